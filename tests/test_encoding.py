"""A page is decoded in the encoding its bytes are in, whatever its header, BOM or <meta> declare."""

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request

from govnews.encoding import is_utf8_text
from govnews.extract import extract_page, make_crawler
from tests.archives import FIXTURES, seed_entry
from tests.crawling import ROOT


def whrx_without_encoding(tmp_path):
    """The whrx portal file without its ``encoding = "gbk"`` override."""
    toml = (ROOT / "portals" / "whrx.toml").read_text(encoding="utf-8")
    assert 'encoding = "gbk"\n' in toml
    (tmp_path / "whrx.toml").write_text(toml.replace('encoding = "gbk"\n', ""), encoding="utf-8")
    shutil.copy(ROOT / "seeds" / "whrx.txt", tmp_path / "whrx.txt")
    return make_crawler("whrx", {"PORTALS_DIR": str(tmp_path)})


def parse(crawler, body, content_type):
    url = seed_entry("whrx")["url"]
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type}, request=Request(url))
    return list(crawler.spider.parse_article(response))[0]


def test_a_gbk_page_served_as_utf8_is_decoded_as_gbk(tmp_path):
    crawler = whrx_without_encoding(tmp_path)
    page = (FIXTURES / "whrx" / seed_entry("whrx")["file"]).read_bytes()
    item = parse(crawler, page, "text/html; charset=utf-8")
    assert item.title == "下沉干部当好“三员” ，走“心”战疫下社区"  # raw: the pipelines fold the comma
    assert crawler.stats.get_value("extract/recoded") == 1


def test_a_page_served_as_what_it_is_is_left_alone(tmp_path):
    crawler = whrx_without_encoding(tmp_path)
    page = (FIXTURES / "whrx" / seed_entry("whrx")["file"]).read_bytes()
    utf8 = page.decode("gbk").replace("gb2312", "utf-8").encode("utf-8")
    item = parse(crawler, utf8, "text/html; charset=utf-8")
    assert item.title == "下沉干部当好“三员” ，走“心”战疫下社区"  # raw: the pipelines fold the comma
    assert crawler.stats.get_value("extract/recoded") is None


# --- bytes against labels (govnews.encoding), in the crawl and in extract_page ----------

ARTICLE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={label}">
<title>朱镕基同志题写馆名的纪念馆开馆_某县人民政府</title>{script}</head><body>
<h1>朱镕基同志题写馆名的纪念馆开馆</h1><div class="info">来源：县融媒体中心 发布时间：2024-03-01</div>
<div class="text"><p>3月1日，由朱镕基同志题写馆名的县革命历史纪念馆正式开馆，首日接待参观群众两千余人次。</p>
<p>纪念馆分为五个展厅，展出文物、图片和文献资料六百余件，全面展示了全县的革命历史。</p></div></body></html>"""
#: The site's scripts: on real pages most bytes are ASCII, so a wrong decode of the few
#: others leaves too few U+FFFD to notice by count.
SCRIPT = "<script>" + "var nav = document.getElementById('nav'); nav.className = 'on';\n" * 80 + "</script>"
TITLE = "朱镕基同志题写馆名的纪念馆开馆"  # 镕: in GBK and GB18030, not in GB2312
URL = "http://www.example.gov.cn/xw/2024/0301/1.html"


def crawl_parse(body, headers=None):
    """The spider's raw item, as a crawl hands the response over."""
    crawler = make_crawler(None)
    response = HtmlResponse(URL, body=body, headers=headers or {}, request=Request(URL))
    return crawler, list(crawler.spider.parse_article(response))[0]


@pytest.mark.parametrize("headers", [None, {"Content-Type": "text/html; charset=gb2312"}])
def test_utf8_bytes_under_a_gb2312_label_are_read_as_utf8(headers):
    crawler, item = crawl_parse(ARTICLE.format(script=SCRIPT, label="gb2312").encode("utf-8"), headers)
    assert item.title == TITLE
    assert crawler.stats.get_value("extract/recoded") == 1
    assert extract_page(ARTICLE.format(script=SCRIPT, label="gb2312").encode("utf-8"), URL, headers=headers).title == TITLE


@pytest.mark.parametrize("label", ["gb2312", "GBK", "gb18030"])
def test_gb2312_and_gbk_labels_decode_as_gb18030(label):
    crawler, item = crawl_parse(ARTICLE.format(script=SCRIPT, label=label).encode("gb18030"))
    assert item.title == TITLE
    assert crawler.stats.get_value("extract/recoded") is None  # what it declares, read as its superset


def test_a_bom_outweighs_every_label():
    body = b"\xef\xbb\xbf" + ARTICLE.format(script=SCRIPT, label="gbk").encode("utf-8")
    crawler, item = crawl_parse(body, {"Content-Type": "text/html; charset=gbk"})
    assert item.title == TITLE


def test_a_utf8_page_cut_inside_a_character_is_still_utf8():
    body = ARTICLE.format(script=SCRIPT, label="gb2312").encode("utf-8")
    cut = body[: body.index("全面展示".encode("utf-8")) + 1]  # one byte of a three-byte character
    assert is_utf8_text(cut)
    _, item = crawl_parse(cut)
    assert item.title == TITLE


@pytest.mark.parametrize("sentence", [
    "朱镕基同志题写馆名", "来源：县融媒体中心", "全面展示了全县的革命历史。", "发布时间：2024年03月01日",
])
def test_gbk_text_is_not_taken_for_utf8(sentence):
    assert not is_utf8_text(sentence.encode("gb18030"))


@given(st.text(min_size=1).filter(lambda t: not t.isascii()))
def test_any_utf8_text_with_a_non_ascii_character_is_utf8(text):
    assert is_utf8_text(text.encode("utf-8"))


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_is_no_evidence_of_utf8(text):
    assert not is_utf8_text(text.encode("ascii"))


#: A UTF-8 page's text: enough characters for a stray few bytes not to outweigh them.
LONG_TEXT = "".join(f"<p>{sentence}</p>" for sentence in ["3月1日，由朱镕基同志题写馆名的县革命历史纪念馆正式开馆，首日接待参观群众两千余人次。",
                                                           "纪念馆分为五个展厅，展出文物、图片和文献资料六百余件，全面展示了全县的革命历史。"] * 2)


def test_a_utf8_page_with_a_stray_gbk_include_is_still_utf8():
    page = ARTICLE.format(script=SCRIPT, label="gb2312").replace("</div></body>", LONG_TEXT + "</div>@@</body>")
    body = page.encode("utf-8").replace(b"@@", "版权所有".encode("gbk"))  # a footer include left in GBK
    crawler, item = crawl_parse(body)
    assert item.title == TITLE
    assert crawler.stats.get_value("extract/recoded") == 1
    assert crawler.stats.get_value("extract/stray_bytes") >= 1
    text = extract_page(body, URL).body
    assert text.startswith("3月1日,由朱镕基同志题写馆名") and "\ufffd" not in text  # the include is no body


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=200),
       st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=4),
       st.integers(min_value=0))
def test_utf8_text_with_a_few_gbk_characters_in_it_is_utf8(text, include, where):
    body = text.encode("utf-8")
    at = len(text[: where % len(text)].encode("utf-8"))  # on a character boundary
    assert is_utf8_text(body[:at] + include.encode("gbk") + body[at:])


@pytest.mark.parametrize("label", ["ISO-8859-1", "iso-8859-1", "windows-1252"])
def test_a_gbk_page_served_under_a_western_default_charset_is_read_by_its_meta(label):
    body = ARTICLE.format(script=SCRIPT, label="gbk").encode("gbk")
    crawler, item = crawl_parse(body, {"Content-Type": f"text/html;charset={label}"})
    assert item.title == TITLE
    assert crawler.stats.get_value("extract/recoded") == 1


def test_a_western_page_with_a_stale_cjk_meta_stays_western():
    page = ('<html><head><meta charset="gbk"><title>Le café de la mairie</title></head>'
            "<body><h1>Le café de la mairie</h1><p>Ouvert à tous.</p></body></html>")
    crawler, item = crawl_parse(page.encode("cp1252"), {"Content-Type": "text/html; charset=ISO-8859-1"})
    assert item.title == "Le café de la mairie"
    assert crawler.stats.get_value("extract/recoded") is None
