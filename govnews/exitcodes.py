"""Exit codes of ``scrapy crawl`` and ``scrapy crawlall``: what cron and scrapyd act on.

A run that went wrong must never look like a quiet day. Each code names one kind of
trouble; a run with several reports the most urgent, in this order: errors (1, the crawler
or the disk is broken) over a lock held elsewhere (5, this run did not crawl a portal) over
usage (2, Scrapy's own code for a bad command line or file, raised before any crawl) over a
failed health check (4) over failed or blocked pages (3, fetched again next run).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

OK = 0
#: The crawler's own code raised, a feed or the state could not be written, WARC records
#: were lost, or a crawler did not start.
ERRORS = 1
#: A mistake in the command line, a portal file, the replay manifest or the state file.
USAGE = 2
#: Pages that did not yield their content (``failed/count``, block pages included).
PAGES_FAILED = 3
#: A Spidermon health check failed (``health/failed``; govnews.health).
HEALTH_FAILED = 4
#: A portal is being crawled by another process on the same state (govnews.locks).
LOCK_HELD = 5

_URGENCY = (ERRORS, LOCK_HELD, USAGE, HEALTH_FAILED, PAGES_FAILED, OK)

#: Stats that mean the run itself is broken (see ``crawlall.summary_line``'s ``errors``).
ERROR_STATS = ("halt/reason", "record/errors", "signal_errors/count", "spider_exceptions/count",
               "item_errors/count")


def most_urgent(codes: Iterable[int]) -> int:
    """The code to exit with when a run has several outcomes (one per portal)."""
    return min(codes, key=_URGENCY.index, default=OK)


def of_run(crawls: Iterable[Mapping[str, object]], lock_held: bool, bootstrap_failed: bool) -> int:
    """The exit code of a run: its crawls' stats, a portal it could not lock, a crawler
    that did not start."""
    codes = [of_crawl(stats) for stats in crawls]
    codes += [LOCK_HELD] * lock_held + [ERRORS] * bootstrap_failed
    return most_urgent(codes)


def of_crawl(stats: Mapping[str, object]) -> int:
    """The exit code one portal's crawl earns from its stats."""
    if any(stats.get(name) for name in ERROR_STATS):
        return ERRORS
    if stats.get("health/failed"):
        return HEALTH_FAILED
    if stats.get("failed/count"):
        return PAGES_FAILED
    return OK
