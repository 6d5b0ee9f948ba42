"""Bounded paging: no site can keep a crawl paging through list pages for ever.

A spider middleware, nearest the spider so it sees every link a list page gave. Two stops:

- ``MAX_LIST_PAGES`` (default 300) list pages per start page: the next page of the last one
  is not followed (``pagination/capped``, a warning naming the start page). A calendar or
  search page that always links a "next" one, or a site that links page N+1 of anything.
- A list page whose every article link was already linked by an earlier list page of this
  run ends its chain (``pagination/repeated``): a pager that wraps round, or answers any page
  number with the same list. A page that links no article at all is left to the other
  stages (it may be a failure).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

from spiders.base import PAGE_KIND

logger = logging.getLogger(__name__)

#: Request.meta keys: the start page a list page was reached from, and its place in that chain (1: the start page).
LIST_START = "govnews_list_start"
LIST_NUMBER = "govnews_list_number"


class PaginationLimitMiddleware:
    def __init__(self, crawler: Crawler, max_pages: int) -> None:
        self.crawler = crawler
        self.max_pages = max_pages
        #: Fingerprints of the article requests every list page of this run linked.
        self.linked: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PaginationLimitMiddleware":
        return cls(crawler, crawler.settings.getint("MAX_LIST_PAGES", 300))

    def process_spider_output(self, response: Response, result: Iterable[Any], spider: Spider) -> Iterator[Any]:
        page = self._page(response)
        yield from (entry for entry in result if page is None or page.keep(entry))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        page = self._page(response)
        async for entry in result:
            if page is None or page.keep(entry):
                yield entry

    def _page(self, response: Response) -> "_ListPage | None":
        return _ListPage(self, response) if response.meta.get(PAGE_KIND) == "list" else None


class _ListPage:
    """The output of one list page, entry by entry. Spiders yield a list page's article
    requests before its next-page requests, so by the first next-page request the page's
    links are all known."""

    def __init__(self, limits: PaginationLimitMiddleware, response: Response) -> None:
        self.limits = limits
        self.url = response.url
        self.start = response.meta.get(LIST_START) or response.url
        self.number = response.meta.get(LIST_NUMBER, 1)
        self.articles = self.new = 0

    def keep(self, entry: Any) -> bool:
        if not isinstance(entry, Request):
            return True
        if entry.meta.get(PAGE_KIND) == "article":
            fingerprint = self.limits.crawler.request_fingerprinter.fingerprint(entry)
            self.articles += 1
            new = fingerprint not in self.limits.linked
            self.new += new
            # The articles the portal's first list pages showed this run (govnews.health):
            # the same in a run that pages to the end and in one the incremental stop ends.
            if new and self.number == 1:
                self.limits.crawler.stats.inc_value("listed/articles")
            self.limits.linked.add(fingerprint)
            return True
        if entry.meta.get(PAGE_KIND) == "list":
            return self.follow(entry)
        return True

    def follow(self, request: Request) -> bool:
        crawler = self.limits.crawler
        portal = crawler.spider.portal.name
        if self.articles and not self.new:
            crawler.stats.inc_value("pagination/repeated")
            logger.info("%s: list page %s links only articles linked before; %s not followed",
                        portal, self.url, request.url)
            return False
        if self.number >= self.limits.max_pages:
            crawler.stats.inc_value("pagination/capped")
            logger.warning("%s: %d list pages from %s (MAX_LIST_PAGES); %s not followed",
                           portal, self.number, self.start, request.url)
            return False
        request.meta[LIST_START] = self.start
        request.meta[LIST_NUMBER] = self.number + 1
        return True
