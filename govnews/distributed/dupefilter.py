"""The request fingerprints of a distributed crawl, on scrapy-redis's dupefilter.

scrapy-redis's ``RFPDupeFilter.request_seen`` adds the fingerprint when the request is
*queued*; with its destructive pop, a request that was popped and never finished stays
"seen" and is never fetched (scrapy-redis issues #177, #149, #108). Here ``request_seen``
only asks: a fingerprint is added to ``seen`` by the same Lua script that queues the request
(govnews.distributed.queue), so every fingerprint in ``seen`` belongs to a request that is
queued, leased or done, and it joins ``done`` only when its page has been handled (the
lease acknowledged). Fingerprints are the project's (govnews.fingerprint: canonical URLs),
not scrapy-redis's own.
"""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter

from govnews.distributed.link import RedisLink
from govnews.distributed.queue import CrawlKeys


class LeaseDupeFilter(RFPDupeFilter):
    crawler: Crawler
    link: RedisLink

    @classmethod
    def for_crawl(cls, link: RedisLink, keys: CrawlKeys, crawler: Crawler) -> Self:
        dupefilter = cls(link.server, keys.seen, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))
        dupefilter.link, dupefilter.crawler = link, crawler
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        """True when the request is queued, leased or done in this crawl; marks nothing."""
        fingerprint = self.request_fingerprint(request)
        return bool(self.link.call(lambda server: server.sismember(self.key, fingerprint)))

    def request_fingerprint(self, request: Request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def clear(self) -> None:
        raise TypeError("a distributed crawl's fingerprints are never cleared by a worker")
