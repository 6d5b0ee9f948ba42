"""A page served under the wrong charset is decoded by what it says it is."""

import shutil

from scrapy.http import HtmlResponse, Request

from govnews.extract import make_crawler
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
