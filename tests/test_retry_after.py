"""Retry-After on 429 and 503 over a real HTTP server on 127.0.0.1: the real gap between
requests to the site, the cap, the per-site concurrency limit."""

import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from scrapy.http import Response

from govnews.retryafter import retry_after
from tests.crawling import crawlall
from tests.site import ROBOTS_ALLOW_ALL, Site, article_html, page, write_portal

HOST = "http://www.busy.gov.cn"
LIST = f"{HOST}/news/list_1.html"
ARTICLES = [f"{HOST}/news/{n}.html" for n in range(1, 7)]


def busy_site(status: int | None, retry_after_value: str = "", pause: float = 0.0) -> Site:
    """Article 1 answers ``status`` with Retry-After once (None: never), then itself; every
    article takes ``pause`` seconds to answer."""
    answered = set()

    def article(url, handler):
        time.sleep(pause)
        if status and url == ARTICLES[0] and url not in answered:
            answered.add(url)
            return status, {"Retry-After": retry_after_value}, b"busy"
        return 200, {}, article_html(f"繁忙测试{url[-6]}").encode()

    links = "".join(f"<li><a href='{url}'>{n}</a></li>" for n, url in enumerate(ARTICLES))
    return Site(routes={f"{HOST}/robots.txt": ROBOTS_ALLOW_ALL, LIST: page(f"<ul>{links}</ul>"),
                        **dict.fromkeys(ARTICLES, article)})


def crawl(tmp_path, site: Site, *args: str):
    """Crawl ``site``; its result and the gap from the refusal to the next request the site
    received. One request at a time (unless ``args`` say otherwise), so no request sent
    before the refusal arrived can be taken for one sent after it."""
    portals = write_portal(tmp_path / "portals", "busy", "www.busy.gov.cn", r"/news/list_\d+\.html$",
                           r"/news/\d+\.html$", [LIST])
    with site:
        result = crawlall(tmp_path, "-a", "portals=busy", "-s", f"PORTALS_DIR={portals}", "-s", "AUTOTHROTTLE_ENABLED=False",
                          "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", *args, replay=None, env=site.env, timeout=120)
    assert len(result.items) == len(ARTICLES)
    assert site.requested(ARTICLES[0]) == 2 and len(site.hits) == 2 + len(ARTICLES) + 1
    refused = next(hit for hit in site.hits if hit.url == ARTICLES[0])
    later = [hit.started - refused.ended for hit in site.hits if hit.started > refused.ended]
    return result, min(later)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_pauses_every_request_to_the_site(tmp_path, status):
    result, gap = crawl(tmp_path, busy_site(status, "2"))
    assert 2.0 <= gap < 3.0
    assert result.stats["busy"]["retry_after/count"] == 1 and "retry_after/capped" not in result.stats["busy"]
    assert f"{ARTICLES[0]} answered {status} with Retry-After of 2 s; www.busy.gov.cn waits that long" in result.output


def test_a_long_retry_after_is_capped(tmp_path):
    result, gap = crawl(tmp_path, busy_site(429, "3600"), "-s", "RETRY_AFTER_MAX=1.5")
    assert 1.5 <= gap < 2.5
    assert result.stats["busy"]["retry_after/capped"] == 1
    assert "Retry-After of 3600 s; waiting RETRY_AFTER_MAX (2 s)" in result.output


def test_the_per_site_concurrency_limit_holds_through_a_pause(tmp_path):
    site = busy_site(503, "1", pause=0.3)
    crawl(tmp_path, site, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
    assert site.peak_concurrency == 2


def test_retry_after_as_seconds_or_an_http_date():
    def answer(value):
        return retry_after(Response("http://a.gov.cn/", status=429, headers={"Retry-After": value} if value else {}))
    assert answer("120") == 120.0
    soon = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 28 <= answer(soon) <= 30
    assert answer("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert answer("soon") is None and answer(None) is None and answer("-5") is None


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_the_per_site_concurrency_limit_holds_with_no_delay(tmp_path, limit):
    site = busy_site(None, pause=0.3)
    portals = write_portal(tmp_path / "portals", "busy", "www.busy.gov.cn", r"/news/list_\d+\.html$",
                           r"/news/\d+\.html$", [LIST])
    with site:
        result = crawlall(tmp_path, "-a", "portals=busy", "-s", f"PORTALS_DIR={portals}", "-s", "AUTOTHROTTLE_ENABLED=False",
                          "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={limit}", replay=None, env=site.env, timeout=120)
    assert len(result.items) == len(ARTICLES)
    assert site.peak_concurrency == limit
