"""Signals of this project, sent through each crawler's ``crawler.signals``.

``page_failed(url, reason, spider)``: a list or article page did not yield (any reason of
govnews.failures, a block page, a redirect loop, a link too long or off the portal, a list
with no article links, an article page that came out empty). The crawl state remembers
it until it answers (see govnews.incremental).

``item_written(item, spider)``: every feed that took the item has it on disk (flushed and
fsynced; govnews.feeds.FeedWrites). The dedupe stage records the article on it: the state
never holds an article no feed holds. Sent once per item, however many feeds.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

page_failed = object()
item_written = object()


def report_page_failed(crawler: Any, url: str, reason: str, why: str) -> None:
    """Log (``why`` says what happened), count (``failed/count``, ``failed/<reason>``) and
    send :data:`page_failed` for the page at ``url`` of ``crawler``'s portal."""
    spider = crawler.spider
    crawler.stats.inc_value("failed/count")
    crawler.stats.inc_value(f"failed/{reason}")
    logger.warning("%s: %s; kept to fetch again", spider.portal.name, why, extra={"spider": spider})
    crawler.signals.send_catch_log(page_failed, url=spider.canonical_url(url), reason=reason, spider=spider)
