"""``scrapy crawlall`` over every replay archive: each article exactly once, nothing missed."""

import json
from pathlib import Path

import jsonschema
import pytest

from govnews.items import RUN_FIELDS
from govnews.urls import canonical_url
from portals import load_portal
from tests.archives import fetched_entries
from tests.crawling import crawlall
from tests.expected import article_entries, expected_path

PORTALS = ["cqmjsw", "scsqw", "whrx", "lzbs_mirror", "gjdb"]
SCHEMA = json.loads((Path(__file__).parent.parent / "govnews" / "article.schema.json").read_text())


def article_urls(portal: str) -> set[str]:
    """Canonical URLs of the article pages an archive serves (status 200)."""
    config = load_portal(portal)
    return {canonical_url(e["url"], config.hosts, config.scheme) for e in article_entries(portal)}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    return crawlall(tmp_path_factory.mktemp("crawl"))


@pytest.mark.parametrize("portal", PORTALS)
def test_every_article_of_the_archive_comes_out_exactly_once(crawl, portal):
    urls = [item["url"] for item in crawl.items if item["portal"] == portal]
    assert len(urls) == len(set(urls))
    assert set(urls) == article_urls(portal)
    assert len(urls) >= 4


@pytest.mark.parametrize("portal", PORTALS)
def test_every_saved_response_is_fetched_once_and_nothing_else(crawl, portal):
    stats = crawl.stats[portal]
    saved = len(fetched_entries(portal))
    assert stats.get("replay/miss", 0) == 0
    assert stats["replay/hit"] == saved
    assert stats["downloader/request_count"] == saved
    assert stats["item_scraped_count"] == len(article_urls(portal))
    assert stats.get("item_dropped_count", 0) == 0
    assert stats.get("log_count/ERROR", 0) == 0


def test_items_match_the_schema(crawl):
    assert len(crawl.items) >= 20
    for item in crawl.items:
        jsonschema.validate(item, SCHEMA)


def test_one_summary_line_per_portal(crawl):
    for portal in PORTALS:
        count = len(article_urls(portal))
        saved = len(fetched_entries(portal))
        assert f"{portal}: pages={saved} articles={count} dropped=0 failed=0 blocked=0 errors=0" in crawl.output


def test_output_is_plain_utf8_without_escapes(crawl):
    assert "\\u" not in crawl.text and "同心抗疫" in crawl.text


def test_crawled_items_are_the_expected_items(crawl):
    """The crawl's output passes the same checks as each page alone (tests/test_expected.py)."""
    expected = {}
    for portal in PORTALS:
        for entry in article_entries(portal):
            item = json.loads(expected_path(portal, entry).read_text(encoding="utf-8"))
            expected[item["url"]] = item
    crawled = {item["url"]: {k: v for k, v in item.items() if k not in RUN_FIELDS} for item in crawl.items}
    assert crawled == expected
