"""Article pages in the markup of other common CMS skins, read by the generic finders.

The portal's own selectors match none of these pages (a redesign, a second skin on the same
site, an alias host serving an older template, another site of the same family): everything
comes from spiders.heuristics. Each ``tests/layouts/<page>.html`` models one skin Chinese
government and news sites commonly run; ``<page>.json`` says which (``about``), the portal
and URL it is read as, and the exact expected item.
"""

import json
from pathlib import Path

import jsonschema
import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse, Request

from govnews.extract import extract_file, make_crawler

LAYOUTS = Path(__file__).parent / "layouts"
SCHEMA = json.loads((Path(__file__).parent.parent / "govnews" / "article.schema.json").read_text())
CASES = {path.with_suffix(".html").name: json.loads(path.read_text(encoding="utf-8"))
         for path in sorted(LAYOUTS.glob("*.json"))}


def test_every_layout_page_has_its_expected_item():
    assert sorted(CASES) == sorted(path.name for path in LAYOUTS.glob("*.html"))
    assert len(CASES) >= 12


@pytest.mark.parametrize("page", sorted(CASES))
def test_a_page_of_another_skin_comes_out_whole_and_clean(page):
    case = CASES[page]
    item = ItemAdapter(extract_file(LAYOUTS / page, case["portal"], case["url"])).asdict()
    item.pop("raw")
    assert {name: item[name] for name in case["expected"]} == case["expected"]
    jsonschema.validate(item, SCHEMA)


TRS_LIST = """<html><head><title>工作动态</title></head><body>
<ul class="list"><li><a href="./202203/t20220310_1.html">省地方志办召开2022年度工作会议</a><span>2022-03-10</span></li>
<li><a href="./202203/t20220308_2.html">省地方志办开展三八节活动</a><span>2022-03-08</span></li></ul>
<div class="page"><script>var countPage = 3//共多少页
createPageHTML(countPage, {current}, "index", "html");</script></div></body></html>"""

TRS_PORTAL = """name = "zjdfz"
title = "浙江省地方志"
template = "gazetteer"
hosts = ["dfz.example.gov.cn"]
[urls]
list = ['^https://dfz\\.example\\.gov\\.cn/gzdt/index(?:_\\d+)?\\.html$']
article = ['^https://dfz\\.example\\.gov\\.cn/gzdt/\\d{6}/t\\d{8}_\\d+\\.html$']
"""


@pytest.mark.parametrize("current, next_page", [
    (0, "https://dfz.example.gov.cn/gzdt/index_1.html"),
    (1, "https://dfz.example.gov.cn/gzdt/index_2.html"),
    (2, None),  # the last of three pages
])
def test_a_pager_written_by_script_is_followed(tmp_path, current, next_page):
    (tmp_path / "zjdfz.toml").write_text(TRS_PORTAL, encoding="utf-8")
    (tmp_path / "zjdfz.txt").write_text("https://dfz.example.gov.cn/gzdt/index.html\n", encoding="utf-8")
    crawler = make_crawler("zjdfz", {"PORTALS_DIR": str(tmp_path), "SEEDS_DIR": str(tmp_path)})
    page = "index.html" if current == 0 else f"index_{current}.html"
    url = f"https://dfz.example.gov.cn/gzdt/{page}"
    response = HtmlResponse(url, body=TRS_LIST.replace("{current}", str(current)).encode(), encoding="utf-8",
                            request=Request(url))
    requests = list(crawler.spider.parse_list(response))
    assert [r.url for r in requests] == [
        "https://dfz.example.gov.cn/gzdt/202203/t20220310_1.html",
        "https://dfz.example.gov.cn/gzdt/202203/t20220308_2.html",
        *([next_page] if next_page else []),
    ]
    expected_stat = 1 if next_page else None
    assert crawler.stats.get_value("extract/fallback/script_pager") == expected_stat


def test_an_empty_element_the_body_selector_matches_is_no_body(tmp_path):
    """whrx's body selector (``div.article div.content``) matching an empty placeholder on
    another skin must not empty the article: the generic finder reads the page instead."""
    page = (LAYOUTS / "dedecms_default.html").read_bytes().replace(
        b'<div class="viewbox">', b'<div class="article"><div class="content"> </div></div><div class="viewbox">')
    (tmp_path / "page.html").write_bytes(page)
    case = CASES["dedecms_default.html"]
    item = extract_file(tmp_path / "page.html", case["portal"], case["url"])
    assert item.body == case["expected"]["body"]
