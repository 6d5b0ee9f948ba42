"""Stop a crawl at once when going on would lose articles.

A feed that cannot be written (disk full, read-only, I/O error) or a crawl state that
cannot be written makes every further item one the crawl cannot keep its promise about
("recorded only once written"). :func:`halt` logs one ERROR line naming the file, sets stat
``halt/reason`` (read by the exit code: non-zero) and closes the spider with that reason
(``finish_reason`` e.g. ``feed_failed``, ``state_failed``), so the portal's crawl stays
unfinished and its next run goes on from what was recorded. Later calls while the crawl is
closing are no-ops: one line, the first reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from govnews.state import State

logger = logging.getLogger(__name__)


def halt(crawler: Crawler, reason: str, message: str) -> None:
    """Stop ``crawler``'s crawl with ``reason``; ``message`` names the file and the error."""
    if halted(crawler):
        return
    crawler.stats.set_value("halt/reason", reason)
    spider = crawler.spider
    portal = getattr(getattr(spider, "portal", None), "name", None) or getattr(spider, "name", "crawl")
    logger.error("%s: %s; crawl stopped (%s), nothing recorded that was not written", portal, message, reason,
                 extra={"spider": spider})
    if crawler.engine is not None and crawler.engine.spider is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=reason))


@contextmanager
def state_writes(crawler: Crawler, store: State) -> Iterator[None]:
    """Writes to the crawl ``store``: one that fails (disk full, read-only, Redis gone: any
    of ``store.errors``) halts the crawl (``state_failed``) instead of raising."""
    try:
        yield
    except store.errors as exc:
        halt(crawler, "state_failed", f"crawl state {store.location}: cannot write ({exc})")


def halted(crawler: Crawler) -> bool:
    """True once :func:`halt` stopped ``crawler``'s crawl."""
    return crawler.stats.get_value("halt/reason") is not None
