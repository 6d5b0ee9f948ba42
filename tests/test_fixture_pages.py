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
#: (The other archives' lists still show 2 to 4 entries a page.)
FULL_COLUMNS = {"cqmjsw": "https://cqmjsw.gov.cn/news/list_12.html"}
_PAGER_TOTAL = re.compile(r"共\s*(?:<strong>)?(\d+)(?:</strong>)?\s*[条條]")


@pytest.mark.parametrize("portal", FULL_COLUMNS)
def test_a_columns_list_pages_hold_what_real_ones_hold(portal):
    """15 to 20 entries on every page but the last, each a saved article page of the archive,
    as many in all as the pager's 共N条 says; the spider's own list adapter reads them."""
    crawler = make_crawler(portal)
    spider, archive = crawler.spider, ReplayArchive(FIXTURES / portal)
    saved = {spider.canonical_url(e["url"]) for e in article_entries(portal)}
    url, counts, listed, totals = FULL_COLUMNS[portal], [], [], set()
    while url:
        response = archive.response_for(Request(url))
        page = spider.list_adapter.page(response)
        links = spider.one_link_per_article(spider.list_adapter.article_urls(page))
        counts.append(len(links))
        listed += [spider.canonical_url(link) for link in links]
        totals |= {int(n) for n in _PAGER_TOTAL.findall(response.text)}
        url = next((r.url for r in spider.list_adapter.next_pages(page)), None)
    assert all(15 <= count <= 20 for count in counts[:-1]) and 1 <= counts[-1] <= 20, counts
    assert len(listed) == len(set(listed)) and set(listed) <= saved
    assert totals == {len(listed)}
