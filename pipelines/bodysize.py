"""Article bodies past ``MAX_BODY_CHARS`` are cut and flagged ``body_cut``.

A page the size cap lets through can still hold megabytes of text (a database dump, a
log pasted into a CMS, a page repeating its body): no reader wants that as one article,
and the stages after this one read the body whole. The cut falls at the last paragraph
break before the limit, so no paragraph is cut mid-way unless the first one is too long.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from govnews.items import Article

logger = logging.getLogger(__name__)


class BodySizePipeline:
    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.stats = crawler.stats
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "BodySizePipeline":
        return cls(crawler, crawler.settings.getint("MAX_BODY_CHARS", 200_000))

    def process_item(self, item: Article, spider: Any = None) -> Article:
        if len(item.body) <= self.limit:
            return item
        size = len(item.body)
        item.body = cut_body(item.body, self.limit)
        item.flags.append("body_cut")
        self.stats.inc_value("bodysize/cut")
        logger.warning("%s: body of %s is %d characters; cut to %d (MAX_BODY_CHARS)",
                       item.portal, item.url, size, len(item.body))
        return item


def cut_body(body: str, limit: int) -> str:
    """``body`` up to its last paragraph break within ``limit`` characters (hard at
    ``limit`` when the first paragraph is longer)."""
    head = body[:limit]
    end = head.rfind("\n\n")
    return head[:end] if end > 0 else head
