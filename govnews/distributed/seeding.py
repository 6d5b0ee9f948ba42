"""Start pages of a distributed crawl: seeded once, whichever worker starts first.

A spider middleware around ``Spider.start()``. Every worker offers the portal's start
pages; each is marked a seed (govnews.distributed.queue.SEED), so the queue script takes it
only when its fingerprint is new to the crawl, although the spider asks for start pages
with ``dont_filter``. Once all are queued the crawl is marked ``seeded`` (it cannot be
complete before). A worker that dies while seeding leaves the flag unset; the next one
seeds again and the fingerprints keep what was queued from being queued twice. A worker
that joins a crawl already complete offers nothing, says so, and closes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler

from govnews.distributed.queue import SEED

logger = logging.getLogger(__name__)


class SeedOnce:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnce:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        scheduler = self.crawler.engine.scheduler
        spider = self.crawler.spider
        if scheduler.is_complete():
            logger.warning("%s: distributed crawl %r is already complete; nothing to do (a new crawl needs"
                           " another -s DISTRIBUTED_CRAWL=NAME)", spider.portal.name, scheduler.crawl_name,
                           extra={"spider": spider})
            return
        async for entry in start:
            if isinstance(entry, Request):
                entry.meta[SEED] = True
            yield entry
        scheduler.mark_seeded()
