"""An article split over several pages comes out as one item with all its text.

The whrx archive holds one such article: ``32087.html`` and ``32087_2.html`` (DedeCMS's
pager). Its expected item (tests/fixtures/whrx/expected/article_32087.json) is the whole
article, checked by test_expected and against crawlall's output by test_crawl.
"""

import json
import shutil

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse, Request

from govnews.extract import item_from_archive, make_crawler, run_pipelines
from govnews.replay import ReplayArchive
from spiders.heuristics import find_next_article_page
from tests.archives import FIXTURES
from tests.crawling import crawlall

ARTICLE = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0502/32087.html"
SECOND_PAGE = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0502/32087_2.html"


def pager(url, *hrefs):
    links = "".join(f"<a href='{href}'>{index}</a>" for index, href in enumerate(hrefs, 1))
    return Selector(text=f"<html><body><div class='pages'>{links}</div></body></html>")


@pytest.mark.parametrize("url, stem, number, hrefs, expected", [
    # DedeCMS: every page listed, the first page among them
    ("http://x.cn/a/32087.html", ("http://x.cn/a/32087", ".html"), 0,
     ["32087.html", "32087_2.html", "32087_3.html"], ("http://x.cn/a/32087_2.html", 2)),
    ("http://x.cn/a/32087_2.html", ("http://x.cn/a/32087", ".html"), 2,
     ["32087.html", "32087_2.html", "32087_3.html"], ("http://x.cn/a/32087_3.html", 3)),
    ("http://x.cn/a/32087_3.html", ("http://x.cn/a/32087", ".html"), 3,
     ["32087.html", "32087_2.html", "32087_3.html"], None),  # the last page: links back never loop
    # TRS: the second page is _1; the stem holds an underscore of its own
    ("http://x.gov.cn/t20200417_1976018.html", ("http://x.gov.cn/t20200417_1976018", ".html"), 0,
     ["t20200417_1976018_1.html"], ("http://x.gov.cn/t20200417_1976018_1.html", 1)),
    # a pager with a next link alone; links to other articles are no pages of this one
    ("http://x.cn/a/5.html", ("http://x.cn/a/5", ".html"), 0,
     ["6.html", "55_2.html", "5_2.html#top"], ("http://x.cn/a/5_2.html", 2)),
    ("http://x.cn/a/5.html", ("http://x.cn/a/5", ".html"), 0, ["6.html", "5.html"], None),
])
def test_the_next_page_of_a_split_article(url, stem, number, hrefs, expected):
    assert find_next_article_page(pager(url, *hrefs), url, *stem, number) == expected


def test_a_split_article_is_one_item_with_the_text_of_both_pages():
    crawler = make_crawler("whrx")
    item = run_pipelines(crawler, item_from_archive(crawler, ReplayArchive(FIXTURES / "whrx"), ARTICLE))
    paragraphs = item.body.split("\n\n")
    assert paragraphs[0].startswith("5月1日,劳动节假期首日")  # page 1
    assert paragraphs[-1].startswith("孝感高新区相关负责人表示")  # page 2
    assert len(paragraphs) == 5 and item.flags == []
    assert crawler.stats.get_value("extract/article_pages") == 1


def test_a_missing_further_page_keeps_the_first_and_flags_the_item(tmp_path):
    archive = tmp_path / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    manifest["responses"] = [r for r in manifest["responses"] if r["url"] != SECOND_PAGE]
    (archive / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    crawler = make_crawler("whrx")
    item = run_pipelines(crawler, item_from_archive(crawler, ReplayArchive(archive), ARTICLE))
    assert len(item.body.split("\n\n")) == 2 and item.flags == ["pages_missing"]
    assert crawler.stats.get_value("extract/article_page_missing") == 1

    result = crawlall(tmp_path, "-a", "portals=whrx", replay=str(tmp_path), returncode=3)
    cut = [i for i in result.items if i["url"] == ARTICLE]
    assert len(cut) == 1 and cut[0]["flags"] == ["pages_missing"]
    assert len(result.items) == 17  # every article of the archive, none lost
    stats = result.stats["whrx"]
    assert stats["extract/article_page_missing"] == 1 and stats["replay/miss"] == 1


def test_extract_reads_one_page_only():
    crawler = make_crawler("whrx")
    response = HtmlResponse(ARTICLE, body=(FIXTURES / "whrx" / "pages" / "article_32087.html").read_bytes(),
                            request=Request(ARTICLE))
    item = crawler.spider.article_from(response)
    assert item.raw["fetched_url"] == ARTICLE and "为了赶回" not in item.raw["body_html"]
