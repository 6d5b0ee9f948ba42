"""Scheduled runs cost what is new, not what the site holds.

A spider middleware between the template spiders and the scheduler. On a list page it
drops article requests the crawl state already holds (``incremental/skipped``), and when a
whole list page held nothing new on a portal whose lists run newest first, it drops the
next-page request too (``incremental/stopped``): everything older was crawled before. That
holds only for articles seen before the last crawl of the portal that ran to its end (the
``crawls`` table): a run killed after list page 1 never reached the older pages.
``REFRESH_DAYS = N`` re-fetches articles first seen less than N days ago, for pages that
get corrected after publication.

A page that failed (an HTTP error after retries, a timeout, a redirect loop, an article page
that came out empty: govnews.signals.page_failed) is remembered in the state's ``failures``
table, and while a portal has failed pages its crawls do not count as complete: the next run
pages through the lists past what it knows and fetches them again. After
``FAILED_PAGE_ATTEMPTS`` runs (default 3) a page is given up on, with a warning, so one dead
page cannot make every run a full crawl.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from govnews import signals as govnews_signals
from govnews.state import StateStore, utc_now
from pipelines.validate import InvalidArticle
from spiders.base import PAGE_KIND

logger = logging.getLogger(__name__)


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler, store: StateStore, refresh_days: float, attempts: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self.refresh_days = refresh_days
        self.attempts = attempts
        self.crawl_id: int | None = None
        self.started = ""
        #: When the last crawl of this portal that ran to its end finished (None: never).
        self.complete_until: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "IncrementalMiddleware":
        if not crawler.settings.getbool("INCREMENTAL", True):
            raise NotConfigured
        store = StateStore.open_dir(crawler.settings.get("STATE_DIR") or "state")
        middleware = cls(crawler, store, crawler.settings.getfloat("REFRESH_DAYS", 0),
                         crawler.settings.getint("FAILED_PAGE_ATTEMPTS", 3))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.page_failed, signal=govnews_signals.page_failed)
        crawler.signals.connect(middleware.item_dropped, signal=signals.item_dropped)
        return middleware

    def page_failed(self, url: str, reason: str, spider: Spider) -> None:
        """Remember a failed page; say so when it is given up on."""
        attempts = self.store.record_failure(url, spider.portal.name, reason)
        if attempts >= self.attempts:
            self.stats.inc_value("failed/given_up")
            logger.warning("%s: %s failed in %d runs (%s); given up on until it answers again",
                           spider.portal.name, url, attempts, reason)

    def item_dropped(self, item: Any, spider: Spider, exception: BaseException) -> None:
        """An article page that came out without an article failed too (an anti-bot or
        error page served with 200): it is fetched again next run."""
        if isinstance(exception, InvalidArticle):
            self.page_failed(item.url, "invalid:" + ",".join(exception.reasons), spider)

    def is_known(self, url: str) -> bool:
        """True when the article at canonical ``url`` was crawled and needs no refresh."""
        first_seen = self.store.first_seen(url)
        if first_seen is None:
            return False
        if self.refresh_days <= 0:
            return True
        age = datetime.now(timezone.utc) - datetime.fromisoformat(first_seen)
        return age >= timedelta(days=self.refresh_days)

    def crawled_before(self, url: str) -> bool:
        """True when ``url`` was seen before the last complete crawl of the portal ended."""
        first_seen = self.store.first_seen(url)
        return first_seen is not None and self.complete_until is not None and first_seen <= self.complete_until

    def process_spider_output(self, response: Response, result: Iterable[Any], spider: Spider) -> Iterator[Any]:
        yield from self._filter(response, list(result), spider)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        collected = [entry async for entry in result]
        for entry in self._filter(response, collected, spider or self.crawler.spider):
            yield entry

    def _filter(self, response: Response, output: list[Any], spider: Spider) -> Iterator[Any]:
        if response.meta.get(PAGE_KIND) != "list":
            yield from output
            return
        if response.status == 200:  # an errback's output comes with the failed response
            self.store.clear_failure(spider.canonical_url(response.url))
        articles = [r for r in output if isinstance(r, Request) and r.meta.get(PAGE_KIND) == "article"]
        known = {id(r) for r in articles if self.is_known(spider.canonical_url(r.url))}
        nothing_new = bool(articles) and len(known) == len(articles)
        stop = (nothing_new and spider.portal.list_order == "newest_first"
                and all(self.crawled_before(spider.canonical_url(r.url)) for r in articles))
        for entry in output:
            if id(entry) in known:
                self.stats.inc_value("incremental/skipped")
                continue
            if stop and isinstance(entry, Request) and entry.meta.get(PAGE_KIND) == "list":
                self.stats.inc_value("incremental/stopped")
                continue
            yield entry

    def spider_opened(self, spider: Spider) -> None:
        self.complete_until = self.store.last_finished(spider.portal.name)
        self.crawl_id = self.store.begin_crawl(spider.portal.name)
        self.started = utc_now()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason == "finished":
            self.store.age_failures(spider.portal.name, self.started)
        failed = self.store.open_failures(spider.portal.name, self.attempts)
        if reason == "finished" and self.crawl_id is not None and not failed:
            self.store.finish_crawl(self.crawl_id)
        elif failed:
            logger.warning("%s: %d page(s) failed; the next run pages further back to fetch them again (%s)",
                           spider.portal.name, len(failed), ", ".join(failed[:5]))
        self.store.close()
