"""Last stage: never emit a garbage item.

An item without a title or a body is not an article (a login wall, an error page served
with status 200, a selector that no longer matches): it is dropped with a log line and a
counted stat (``validate/<reason>``) so a broken portal shows up in the run summary.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from govnews.items import Article

logger = logging.getLogger(__name__)


def problems(item: Article) -> list[str]:
    """Reasons ``item`` is not fit to emit (empty list: fit)."""
    found = []
    if not (item.title or "").strip():
        found.append("no_title")
    if not (item.body or "").strip():
        found.append("no_body")
    return found


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ValidatePipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        found = problems(item)
        if found:
            for reason in found:
                self.stats.inc_value(f"validate/{reason}")
            logger.warning("dropping %s: %s (selectors of portal %s may need a look)",
                           item.url, ", ".join(found), item.portal)
            raise DropItem(f"{item.url}: {', '.join(found)}")
        item.flags = list(dict.fromkeys(item.flags))
        return item
