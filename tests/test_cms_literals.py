"""The literal check that spares CMS detection most regex passes never rules out a match."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.cms import FAMILIES
from govnews.cms.detect import _links, score
from govnews.cms.literals import required_literals

SIGNS = [sign for family in FAMILIES.values() for sign in family.signs]


@pytest.mark.parametrize("pattern, literals", [
    (r"class=[\"']?TRS_(?:Editor|UEDITOR)", [("class=",), ("TRS_",), ("Editor", "UEDITOR")]),
    (r"\bhanweb\b|\bjpaas\b|/jcms_files/", [("hanweb", "jpaas", "/jcms_files/")]),
    # An optional part, a class of characters and a short run require nothing.
    (r"/t\d{8}_\d+(?:_\d+)?\.s?html?$", [("htm",)]),
    # A branch without an ASCII literal (大汉) leaves the whole alternation unchecked.
    (r"hanweb|大汉|\bjcms\b", []),
])
def test_required_literals_of_a_pattern(pattern, literals):
    assert required_literals(re.compile(pattern, re.I)) == literals


@st.composite
def sign_and_text(draw):
    """A sign and a page text holding a match of it, in random case, amid random text."""
    sign = draw(st.sampled_from(SIGNS))
    match = draw(st.from_regex(sign.pattern, fullmatch=True))
    match = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in match) if sign.pattern.flags & re.I else match
    return sign, draw(st.text(max_size=20)) + match + draw(st.text(max_size=20))


@settings(max_examples=300)
@given(sign_and_text())
def test_the_check_never_rules_out_a_page_the_regex_matches(case):
    sign, text = case
    if sign.pattern.search(text) is None:  # random case can break a match (ß, İ…)
        return
    folded = text.encode("utf-8", "surrogatepass").lower()
    for either in required_literals(sign.pattern):
        assert any(literal.lower().encode() in folded for literal in either)


def test_score_counts_the_signs_found():
    html = "<div class='TRS_Editor'></div><script>createPageHTML(2, 0, 'index', 'html')</script>"
    assert score(FAMILIES["trs"], html, "http://a.gov.cn/zw/202001/t20200101_1.html") == 3 + 2 + 2
    assert score(FAMILIES["trs"], html.replace("TRS_Editor", "TRS_Edit"), "http://a.gov.cn/1.html") == 2


LINK_SIGNS = [sign for sign in SIGNS if sign.where == "links"]


@st.composite
def page_with_links(draw):
    """Page text of attribute-like pieces (``href=``, quotes, matches of a ``links`` sign,
    random text) in any order, so attributes overlap, nest and run unclosed."""
    sign = draw(st.sampled_from(LINK_SIGNS))
    piece = st.one_of(st.sampled_from(["href=", "HREF=", '"', "'", " ", "title=\"", "/", "大"]),
                      st.from_regex(sign.pattern, fullmatch=True), st.text(max_size=8))
    return sign, "".join(draw(st.lists(piece, max_size=12)))


@settings(max_examples=500)
@given(page_with_links())
def test_a_links_sign_matches_in_the_links_where_it_matches_in_the_page(case):
    sign, html = case
    source = html.encode("utf-8", "surrogatepass")
    links = _links(source, source.lower()).decode("utf-8", "surrogatepass")
    assert (sign.pattern.search(links) is None) == (sign.pattern.search(html) is None)
