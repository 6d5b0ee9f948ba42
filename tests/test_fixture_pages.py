"""The saved seed pages contain their seed document, line by line and in order; the list
pages hold as many entries as real ones."""

import re

import pytest
from scrapy import Request

from govnews.extract import make_crawler
from govnews.replay import ReplayArchive
from tests.archives import FIXTURES, page_html, seed_entry
from tests.expected import article_entries
from tests.pagetext import missing_seed_lines, visible_text

PORTALS = ["cqmjsw", "scsqw", "whrx", "lzbs_mirror", "gjdb"]


@pytest.mark.parametrize("portal", PORTALS)
def test_seed_page_contains_seed_text_in_order(portal):
    entry = seed_entry(portal)
    seed = (FIXTURES / portal / "seed.txt").read_text(encoding="utf-8")
    assert missing_seed_lines(visible_text(page_html(portal, entry)), seed) == []


#: Each archive's column whose list pages hold what real ones hold: its first list page.
FULL_COLUMNS = {"cqmjsw": "https://cqmjsw.gov.cn/news/list_12.html", "gjdb": "http://www.gjdbw.com/news/node_6.htm",
                "lzbs_mirror": "http://www.lzxwmirror.com/lzbs/list_1.html",
                "whrx": "http://www.whrx.net/a/guoneixinwen/hubeixinwen/",
                "scsqw": "https://www.scsqw.cn/xwzx/zgjx/2022nzgjx/index"}
#: A pager's counts: 共17条 2页, 共2页, 共 <strong>2</strong>頁<strong>5</strong>條記錄.
_PAGER_PAGES = re.compile(r"(?:共|条|條)\s*(?:<strong>)?(\d+)(?:</strong>)?\s*[页頁]")
_PAGER_ENTRIES = re.compile(r"(?:共|[页頁])\s*(?:<strong>)?(\d+)(?:</strong>)?\s*[条條]")


@pytest.mark.parametrize("portal", FULL_COLUMNS)
def test_a_columns_list_pages_hold_what_real_ones_hold(portal):
    """15 to 20 entries on every page but the last, each a saved article page of the archive;
    as many pages and entries as the pager says; the spider's own list adapter reads them."""
    crawler = make_crawler(portal)
    spider, archive = crawler.spider, ReplayArchive(FIXTURES / portal)
    saved = {spider.canonical_url(e["url"]) for e in article_entries(portal)}
    url, counts, listed, pages, entries = FULL_COLUMNS[portal], [], [], set(), set()
    while url:
        response = archive.response_for(Request(url))
        page = spider.list_adapter.page(response)
        links = spider.one_link_per_article(spider.list_adapter.article_urls(page))
        counts.append(len(links))
        listed += [spider.canonical_url(link) for link in links]
        pages |= {int(n) for n in _PAGER_PAGES.findall(response.text)}
        entries |= {int(n) for n in _PAGER_ENTRIES.findall(response.text)}
        url = next((r.url for r in spider.list_adapter.next_pages(page)), None)
    assert all(15 <= count <= 20 for count in counts[:-1]) and 1 <= counts[-1] <= 20, counts
    assert len(listed) == len(set(listed)) and set(listed) <= saved
    assert pages == {len(counts)} and entries in ({len(listed)}, set())
