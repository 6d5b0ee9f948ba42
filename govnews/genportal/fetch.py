"""Fetch what ``genportal`` reads — robots.txt, the start page, its next list page, a few articles —
through Scrapy, so robots.txt, the User-Agent, retries, delays and the block-page check
apply as in a crawl; with ``REPLAY`` set, the project's replay sources answer instead.

Which articles to fetch depends on the start page (its links, grouped by shape), so the
spider asks a ``plan`` for them once the start page is in. Every answer is kept, failed
ones as their reason, for the proposal to read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from govnews.failures import reason_of
from portals import GENERIC_PORTAL
from spiders.base import PAGE_KIND

#: Settings of the fetch crawl: no pipelines, no crawl state, no recording, no stats file;
#: downloader middlewares (replay, robots.txt, retries, block pages) as in a crawl. Its log
#: is off: genportal reports each failure itself (the start page's in its one error line, a
#: sample article's as a line it could not decide); ``-s LOG_LEVEL=INFO`` shows the crawl.
FETCH_SETTINGS: dict[str, Any] = {
    "ITEM_PIPELINES": {},
    "SPIDER_MIDDLEWARES": {
        "govnews.incremental.IncrementalMiddleware": None,
        "govnews.replay.articles.ArchivedArticlesMiddleware": None,
        "govnews.pagination.PaginationLimitMiddleware": None,
    },
    "EXTENSIONS": {"govnews.statsfile.StatsFile": None},
    "RECORD": None,
    "STATS_FILE": "",
    "LOG_LEVEL": "CRITICAL",
}


def robots_url(url: str) -> str:
    """The robots.txt of ``url``'s site."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


@dataclass
class Fetched:
    """One answer: the response, or None and why it failed."""

    url: str
    response: Response | None
    reason: str | None = None


#: What the spider asks once the start page is in: the URLs to fetch next, each with what it
#: is ("list" or "article", as spiders.base.PAGE_KIND names pages: block pages are failures).
Plan = Callable[[Response], list[tuple[str, str]]]


class SampleSpider(scrapy.Spider):
    """The start page, then what ``plan`` names from it; every answer kept in ``pages``."""

    name = "genportal"
    #: Components of the project read a spider's portal (its encoding, its name in log lines).
    portal = GENERIC_PORTAL

    def __init__(self, start_url: str, plan: Plan, pages: dict[str, Fetched], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url, self.plan, self.pages = start_url, plan, pages

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SampleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.response_received, signal=signals.response_received)
        return spider

    def response_received(self, response: Response, request: scrapy.Request) -> None:
        """Keep the robots.txt Scrapy's RobotsTxtMiddleware fetched before the start page
        (its Crawl-delay is the site's own word on the delay), so it is fetched once."""
        if request.url == robots_url(self.start_url):
            self.keep(response)

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse_start, errback=self.failed, dont_filter=True,
                             meta={PAGE_KIND: "list"})

    def parse_start(self, response: Response) -> Iterator[scrapy.Request]:
        self.keep(response)
        for url, kind in self.plan(response):
            yield scrapy.Request(url, callback=self.keep, errback=self.failed, meta={PAGE_KIND: kind})

    def keep(self, response: Response) -> None:
        url = (response.request.meta.get("redirect_urls") or [response.url])[0] if response.request else response.url
        self.pages[url] = Fetched(url, response)

    def failed(self, failure: Failure) -> None:
        url = (failure.request.meta.get("redirect_urls") or [failure.request.url])[0]
        self.pages[url] = Fetched(url, None, reason_of(failure))
