"""A stopped crawl stops within seconds, whatever the sites are doing.

On SIGTERM or SIGINT (cron's timeout, scrapyd's cancel, systemd, Ctrl-C) Scrapy stops
gracefully: no new request, but it waits for every request already in the downloader, a
page on a slow site up to ``DOWNLOAD_TIMEOUT`` (30 s) and each of its retries. This
extension gives them ``STOP_GRACE_SECONDS`` (default 3) and then fails those still open
(govnews.downloader.Downloader.abort): each goes through its errback as a failed page,
fetched again next run, and the crawl closes as usual (feeds, state, stats file). Stat
``shutdown/aborted``.

A stop is seen as the engine no longer running while its spider is open (checked twice a
second); that is how every stop Scrapy makes looks, whichever signal or caller asked.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from govnews.downloader import Downloader

logger = logging.getLogger(__name__)


class PromptStop:
    def __init__(self, crawler: Crawler, grace: float) -> None:
        self.crawler = crawler
        self.grace = grace
        self.watch = task.LoopingCall(self.check)
        self.aborting = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PromptStop":
        extension = cls(crawler, crawler.settings.getfloat("STOP_GRACE_SECONDS", 3))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.watch.start(0.5, now=False)

    def spider_closed(self) -> None:
        if self.watch.running:
            self.watch.stop()

    def check(self) -> None:
        if self.crawler.engine.running or self.aborting:
            return
        self.aborting = True
        from twisted.internet import reactor

        reactor.callLater(self.grace, self.abort)

    def abort(self) -> None:
        downloader = self.crawler.engine.downloader
        if not isinstance(downloader, Downloader) or not self.watch.running:
            return
        stopped = downloader.abort()
        if stopped:
            self.crawler.stats.inc_value("shutdown/aborted", stopped)
            logger.warning("%s: stopping: %d request(s) still open after %.0f s failed; fetched again next run",
                           self.crawler.spider.portal.name, stopped, self.grace)
