"""Whose line is it: the portal of every log line, and a progress line per portal.

Under ``scrapy crawlall`` several crawlers share one process and one log. Scrapy passes the
spider with most of a crawler's lines (``extra={"spider": …}``, and every line of
``spider.logger``); :class:`PortalLogFilter`, set on the log handlers by crawlall, turns it
into ``%(portal)s``, which crawlall's ``LOG_FORMAT`` prints (:data:`PORTAL_LOG_FORMAT`):
``2026-12-02 18:21:24 [whrx] [scrapy.core.engine] INFO: Spider opened``. A line no crawler
sent (the process starting, the reactor) shows ``[-]``.

:class:`PortalProgress` replaces Scrapy's LogStats: every ``LOGSTATS_INTERVAL`` seconds one
line per portal, ``whrx: pages=40 (12/min) articles=31 failed=1 blocked=0``, from the
same stats as the summary line at the end (govnews.commands.crawlall.summary_line).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.settings import Settings
from scrapy.extensions.logstats import LogStats

logger = logging.getLogger(__name__)

#: Scrapy's LOG_FORMAT with the portal in front.
PORTAL_LOG_FORMAT = "%(asctime)s [%(portal)s] [%(name)s] %(levelname)s: %(message)s"


class PortalLogFilter(logging.Filter):
    """Gives each record a ``portal``: its spider's portal name, or ``-``."""

    def filter(self, record: logging.LogRecord) -> bool:
        portal = getattr(getattr(record, "spider", None), "portal", None)
        if portal is not None:
            record.portal = portal.name
        return True


def tag_log_lines(settings: Settings) -> None:
    """Before the log handler is made: its format shows the portal (a ``-s LOG_FORMAT``
    wins), and every record has one, ``-`` until :func:`filter_handlers` names it."""
    settings.set("LOG_FORMAT", PORTAL_LOG_FORMAT, priority="command")
    make_record = logging.getLogRecordFactory()

    def record_with_portal(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.portal = "-"
        return record

    if not getattr(make_record, "gives_portal", False):
        record_with_portal.gives_portal = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(record_with_portal)


def filter_handlers(**signal_arguments: Any) -> None:
    """Put :class:`PortalLogFilter` on every handler of the root logger (Scrapy's own, which
    each crawler makes anew as it starts: called on ``spider_opened``)."""
    for handler in logging.root.handlers:
        if not any(isinstance(f, PortalLogFilter) for f in handler.filters):
            handler.addFilter(PortalLogFilter())


class PortalProgress(LogStats):
    def log(self, spider: Spider) -> None:
        self.calculate_stats()
        stats = self.stats
        logger.info("%s: pages=%d (%d/min) articles=%d failed=%d blocked=%d",
                    getattr(getattr(spider, "portal", None), "name", spider.name), self.pages, self.prate,
                    self.items, stats.get_value("failed/count", 0), stats.get_value("blocked/count", 0),
                    extra={"spider": spider})
