"""Every Redis call of a worker, through one place that rides out a Redis outage.

A Redis that goes away mid-crawl (a restart, a failover, a network cut) must not kill the
workers, nor lose what they hold: :meth:`RedisLink.call` retries a failed call with backoff
(0.5 s doubling to 8 s), logging one WARNING when the outage begins and one INFO line when
Redis answers again. The worker waits in that call, on purpose: it can neither take, hand
back nor acknowledge work without Redis, and its pages in flight keep their leases (nothing
is acknowledged while Redis is away, so nothing is lost whichever way the outage ends).

A Redis that does not come back within ``REDIS_OUTAGE_SECONDS`` (default 300) raises
:class:`RedisGone`; the scheduler halts the crawl with it (govnews.halt: one ERROR line,
``finish_reason`` ``redis_failed``, exit code 1) and every later call fails at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from scrapy.settings import BaseSettings
from scrapy_redis import connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: The first wait after a failed call, doubled after each further failure up to MAX_BACKOFF.
FIRST_BACKOFF, MAX_BACKOFF = 0.5, 8.0
#: Failures that mean Redis is unreachable (refused, reset, timed out, loading its AOF).
OUTAGE = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


class RedisGone(RuntimeError):
    """Redis did not answer for longer than the crawl may wait."""


class RedisLink:
    """A Redis client whose calls wait out an outage of up to ``outage_seconds``.

    One per Redis URL in a process (:meth:`of`): the crawlers of a ``crawlall`` worker (one
    per portal) share it, so an outage is one WARNING line per worker, not one per portal.
    """

    _links: dict[str, RedisLink] = {}

    def __init__(self, server: redis.Redis, outage_seconds: float) -> None:
        self.server = server
        self.outage_seconds = outage_seconds
        #: Set once an outage outlasted ``outage_seconds``: every later call raises at once.
        self.gone: RedisGone | None = None

    @classmethod
    def of(cls, settings: BaseSettings) -> RedisLink:
        """This process's link to the Redis of ``settings`` (scrapy-redis's client settings)."""
        url = settings.get("REDIS_URL")
        if url not in cls._links:
            cls._links[url] = cls(connection.from_settings(settings), settings.getfloat("REDIS_OUTAGE_SECONDS", 300))
        return cls._links[url]

    @property
    def where(self) -> str:
        kwargs = self.server.connection_pool.connection_kwargs
        return f"redis://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"

    def call(self, action: Callable[[redis.Redis], T]) -> T:
        """``action(server)``, retried while Redis is unreachable."""
        if self.gone is not None:
            raise self.gone
        began: float | None = None
        backoff = FIRST_BACKOFF
        while True:
            try:
                result = action(self.server)
            except OUTAGE as exc:
                now = time.monotonic()
                if began is None:
                    began = now
                    logger.warning("Redis at %s unreachable (%s); workers wait up to %.0f s for it, retrying",
                                   self.where, exc, self.outage_seconds)
                if now - began >= self.outage_seconds:
                    self.gone = RedisGone(f"Redis at {self.where} unreachable for {now - began:.0f} s"
                                          f" (REDIS_OUTAGE_SECONDS={self.outage_seconds:g}): {exc}")
                    raise self.gone from exc
                time.sleep(min(backoff, max(0.0, began + self.outage_seconds - now)))
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            if began is not None:
                logger.info("Redis at %s answers again after %.1f s; going on", self.where, time.monotonic() - began)
            return result
