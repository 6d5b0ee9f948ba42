"""Scheduled runs cost what is new, not what the site holds.

A spider middleware between the template spiders and the scheduler. On a list page it
drops article requests the crawl state already holds (``incremental/skipped``), and when a
whole list page held nothing new on a portal whose lists run newest first, it drops the
next-page request too (``incremental/stopped``): everything older was crawled before. That
holds only for articles seen before the last crawl of the portal that ran to its end (the
``crawls`` table): a run killed after list page 1 never reached the older pages.
``REFRESH_DAYS = N`` re-fetches articles first seen less than N days ago, for pages that
get corrected after publication.

A page that did not yield (any reason of govnews.failures, a block page, an article page
that came out empty, a list page with no article links: govnews.signals.page_failed) is
remembered in the state's ``failures`` table until it answers, never forgotten. After ``n``
failures it is due again after 2**(n-1) runs (1, 2, 4, 8 …): until then links to it are
skipped (``incremental/backoff``), so a dead page costs a few fetches, not every run. While
a due page is not reached, the lists are paged on past what is known; a due page a finished
run did not reach (no longer linked) counts as failed again. An article emitted without one
of its pages keeps its failure, so it is fetched again, and emitted again whole.
Each run's row in ``crawls`` gets its figures when it closes (govnews.health.run_figures).
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
from govnews.halt import state_writes
from govnews.health import run_figures
from govnews.state import State, open_state, utc_now
from pipelines.validate import InvalidArticle
from spiders.base import PAGE_KIND
from spiders.lists.links import LIST_API, LIST_PROBE

logger = logging.getLogger(__name__)


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler, store: State, refresh_days: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self.refresh_days = refresh_days
        self.crawl_id: int | None = None
        #: When the last crawl of this portal that ran to its end finished (None: never).
        self.complete_until: str | None = None
        #: Failed pages of the portal as the run began: True when due this run.
        self.failed: dict[str, bool] = {}
        #: Canonical URLs of the pages this run requested from its lists.
        self.reached: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "IncrementalMiddleware":
        if not crawler.settings.getbool("INCREMENTAL", True):
            raise NotConfigured
        store = open_state(crawler.settings)
        middleware = cls(crawler, store, crawler.settings.getfloat("REFRESH_DAYS", 0))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.page_failed, signal=govnews_signals.page_failed)
        crawler.signals.connect(middleware.item_dropped, signal=signals.item_dropped)
        return middleware

    def page_failed(self, url: str, reason: str, spider: Spider) -> None:
        """Remember a failed page; say when it is tried again."""
        attempts = 0
        with state_writes(self.crawler, self.store):
            attempts = self.store.record_failure(url, spider.portal.name, reason)
        if attempts > 1:
            self.stats.inc_value("failed/again")
            logger.warning("%s: %s failed %d times (%s); tried again in %d runs",
                           spider.portal.name, url, attempts, reason, 2 ** min(attempts - 1, 30),
                           extra={"spider": spider})

    def item_dropped(self, item: Any, spider: Spider, exception: BaseException) -> None:
        """An article page that came out without an article failed too (an anti-bot or
        error page served with 200): it is fetched again next run."""
        if isinstance(exception, InvalidArticle):
            reason = "invalid:" + ",".join(exception.reasons)
            govnews_signals.report_page_failed(self.crawler, item.url, reason, f"article {item.url} failed ({reason})")

    def is_known(self, url: str) -> bool:
        """True when the article at canonical ``url`` was crawled and needs no refresh."""
        first_seen = self.store.first_seen(url)
        if first_seen is None or url in self.failed:  # incomplete: a page of it failed
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
        canonical = spider.canonical_url
        requests = [r for r in output if isinstance(r, Request) and r.meta.get(PAGE_KIND) in ("article", "list")]
        articles = [r for r in requests if r.meta.get(PAGE_KIND) == "article"]
        if response.status == 200:  # an errback's output comes with the failed response
            if articles:
                with state_writes(self.crawler, self.store):
                    self.store.clear_failure(canonical(response.url))
            elif not (response.meta.get(LIST_PROBE) or (not response.meta.get(LIST_API)
                                                         and any(r.meta.get(LIST_API) for r in requests))):
                # A list of nothing: a changed template or a challenge without a mark (not
                # the end a list adapter probed for, nor the page its list API is shown on).
                govnews_signals.report_page_failed(self.crawler, response.url, "empty_list",
                                                   f"list {response.url} failed (empty_list: no article links)")
        waiting = {id(r) for r in requests if self.failed.get(canonical(r.url)) is False}
        self.reached.update(canonical(r.url) for r in requests if id(r) not in waiting)
        known = {id(r) for r in articles if self.is_known(canonical(r.url))}
        nothing_new = bool(articles) and len(known | waiting) >= len(articles) and bool(known)
        # Stop paging only once every due failed page of the portal was reached.
        stop = (nothing_new and spider.portal.list_order == "newest_first"
                and all(self.crawled_before(canonical(r.url)) for r in articles if id(r) in known)
                and not self.unreached())
        for entry in output:
            if id(entry) in waiting:
                self.stats.inc_value("incremental/backoff")
                continue
            if id(entry) in known:
                self.stats.inc_value("incremental/skipped")
                continue
            if stop and isinstance(entry, Request) and entry.meta.get(PAGE_KIND) == "list" \
                    and not self.failed.get(canonical(entry.url)):
                self.stats.inc_value("incremental/stopped")
                continue
            yield entry

    def unreached(self) -> list[str]:
        """Due failed pages this run has not requested yet."""
        return [url for url, due in self.failed.items() if due and url not in self.reached]

    def spider_opened(self, spider: Spider) -> None:
        self.complete_until = self.store.last_finished(spider.portal.name)
        with state_writes(self.crawler, self.store):
            self.crawl_id = self.store.begin_crawl(spider.portal.name)
        self.failed = self.store.failures_of(spider.portal.name)
        self.reached = {spider.canonical_url(url) for url in spider.portal.start_urls}

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """A finished run is complete: every due failed page was reached (or, no longer
        linked, counted as failed again); failures still open are tracked one by one. A state
        that cannot take these writes halts (one ERROR line, exit code 1, the run unfinished)."""
        with state_writes(self.crawler, self.store):
            if reason == "finished" and self.crawl_id is not None:
                self.store.miss_failures(self.unreached())
                self.store.finish_crawl(self.crawl_id)
            if self.crawl_id is not None:  # after the health checks (an extension) ran
                self.store.close_crawl(self.crawl_id, {"closed": utc_now(), **run_figures(self.crawler)})
        failed = self.store.failures_of(spider.portal.name)
        if failed:
            logger.warning("%s: %d page(s) failed and are fetched again in later runs (%s)",
                           spider.portal.name, len(failed), ", ".join(list(failed)[:5]), extra={"spider": spider})
        self.store.close()
