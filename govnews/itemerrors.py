"""Count items a pipeline raised an exception on: Scrapy logs them and sends ``item_error``
but keeps no stat, so a crashing stage would lose items without a number anywhere.

Stats: ``item_errors/count`` and ``item_errors/<exception class>``.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler


class ItemErrorStats:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ItemErrorStats":
        extension = cls(crawler)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        return extension

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        self.stats.inc_value("item_errors/count")
        self.stats.inc_value(f"item_errors/{failure.type.__name__}")
