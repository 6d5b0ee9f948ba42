"""Count exceptions in signal handlers, and fail the run on them.

Scrapy calls each signal handler inside ``send_catch_log`` and only logs what one raises
("Error caught on signal handler: …", scrapy.utils.signal): the crawl goes on and would
exit 0 with a component (the state, a feed, the stats file) silently not doing its job.
This extension watches that logger and counts each such error of its crawler's spider (or of
no spider: a signal sent without one) as ``signal_errors/count``, part of ``errors=`` in the
``crawlall`` summary and of its exit code 1. An exception in Scrapy's FeedExporter while it
writes an item means that item may be missing from a feed: the crawl halts
(``feed_failed``, govnews.halt) so it is not recorded.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter

from govnews.halt import halt

SIGNAL_LOGGER = logging.getLogger("scrapy.utils.signal")


class SignalErrorStats(logging.Handler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(logging.ERROR)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SignalErrorStats:
        extension = cls(crawler)
        SIGNAL_LOGGER.addHandler(extension)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def emit(self, record: logging.LogRecord) -> None:
        if not str(record.msg).startswith("Error caught on signal handler"):
            return
        spider = getattr(record, "spider", None)
        if spider is not None and spider is not self.crawler.spider:
            return  # another crawler's (crawlall)
        self.crawler.stats.inc_value("signal_errors/count")
        receiver = record.args.get("receiver") if isinstance(record.args, dict) else None
        if isinstance(getattr(receiver, "__self__", None), FeedExporter):
            error = record.exc_info[1] if record.exc_info else None
            halt(self.crawler, "feed_failed", f"a feed could not take an item ({error!r})")

    def engine_stopped(self) -> None:
        SIGNAL_LOGGER.removeHandler(self)
