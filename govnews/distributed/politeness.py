"""One download delay per site across all workers: a per-domain slot shared through Redis.

Scrapy keeps a site's delay (``DOWNLOAD_DELAY``, the portal's ``download_delay``, as
AutoThrottle adjusts it) per process; three workers would hit a site three times as often.
Before a request goes on to the site's local slot, this downloader middleware reserves the
next free moment of the site in Redis (``govnews:slot:<site>``: a Lua script takes
``max(now, next)`` by Redis's own clock and moves ``next`` one delay on) and waits until
then. Reserved moments are one delay apart across all workers, so the site sees at most one
request per delay from all of them together. No delay (replayed pages), no reservation.
"""

from __future__ import annotations

import asyncio
import logging

from scrapy import Request
from scrapy.crawler import Crawler

from govnews.distributed.link import RedisLink

logger = logging.getLogger(__name__)

#: KEYS[1]: the site's slot; ARGV[1]: its delay in ms. Returns the ms to wait until the
#: reserved moment.
_RESERVE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local delay = tonumber(ARGV[1])
local at = math.max(now_ms, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], at + delay, 'PX', at + delay - now_ms + 60000)
return at - now_ms
"""


class SiteClock:
    """The next free moment of each site, kept in Redis for all workers."""

    def __init__(self, link: RedisLink) -> None:
        self.link = link
        self.script = link.server.register_script(_RESERVE)

    def reserve(self, site: str, delay: float) -> float:
        """Reserve the site's next free moment, one ``delay`` after the last reserved;
        return the seconds to wait until then."""
        wait_ms = self.link.call(lambda server: self.script(keys=[f"govnews:slot:{site}"], args=[int(delay * 1000)]))
        return wait_ms / 1000


class SharedSlots:
    def __init__(self, crawler: Crawler, link: RedisLink) -> None:
        self.crawler = crawler
        self.clock = SiteClock(link)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedSlots:
        return cls(crawler, RedisLink.of(crawler.settings))

    def delay_of(self, request: Request) -> tuple[str, float]:
        """The site's slot key and its current delay (Scrapy's slot, AutoThrottle's value)."""
        downloader = self.crawler.engine.downloader
        key, slot = downloader._get_slot(request)
        return key, slot.delay

    async def process_request(self, request: Request) -> None:
        site, delay = self.delay_of(request)
        if delay <= 0:
            return
        wait = self.clock.reserve(site, delay)
        if wait > 0:
            self.crawler.stats.inc_value("distributed/slot_wait_ms", int(wait * 1000))
            await asyncio.sleep(wait)
