"""Signals of this project, sent through each crawler's ``crawler.signals``.

``page_failed(url, reason, spider)``: a list or article page could not be fetched or read
(an HTTP error after retries, a timeout, a redirect loop, an article page that came out
empty). The crawl state remembers it so the next run fetches it again, and a crawl with
such pages does not count as complete (see govnews.incremental).
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

page_failed = object()


def report_page_failed(crawler: Any, url: str, reason: str, why: str) -> None:
    """Log (``why`` says what happened), count (``failed/count``, ``failed/<reason>``) and
    send :data:`page_failed` for the page at ``url`` of ``crawler``'s portal."""
    spider = crawler.spider
    crawler.stats.inc_value("failed/count")
    crawler.stats.inc_value(f"failed/{reason}")
    logger.warning("%s: %s; it is fetched again next run", spider.portal.name, why)
    crawler.signals.send_catch_log(page_failed, url=spider.canonical_url(url), reason=reason, spider=spider)
