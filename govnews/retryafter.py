"""``Retry-After`` obeyed: a site that answers 429 or 503 with it gets no request before then.

Scrapy's RetryMiddleware retries those answers at once (after the slot's usual delay). This
one retries them the same way and, when the answer says how long to wait (seconds, or an
HTTP date), first pauses the site's whole download slot, so neither the retry nor any other
request to that site leaves before the time is up. The wait is capped by
``RETRY_AFTER_MAX`` (seconds, default 120), because a site saying "come back tomorrow"
should cost a failed page, not a crawl that sleeps a day. Stats: ``retry_after/count``,
``retry_after/capped``.

The pause is the slot's own delay, raised for the wait and put back once the site answers
otherwise after it: the downloader then sends one request per delay whatever
``CONCURRENT_REQUESTS_PER_DOMAIN`` says, and AutoThrottle, which adjusts the same delay on
every response, cannot shorten a pause (it is set again on each answer that arrives
during it).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

logger = logging.getLogger(__name__)

#: Answers whose Retry-After is obeyed (RFC 9110 §10.2.3 names 503 and 3xx; RFC 6585 429).
STATUSES = (429, 503)


@dataclass
class Pause:
    until: float  # time.monotonic() when requests to the site may go again
    delay: float  # the pause, as the slot's delay
    usual_delay: float  # the slot's delay and jitter before the pause
    usual_jitter: float


class RetryAfterMiddleware(RetryMiddleware):
    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX", 120)
        middleware.pauses: dict[str, Pause] = {}
        return middleware

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        wait = retry_after(response) if response.status in STATUSES else None
        if slot is not None and wait is not None and not request.meta.get("dont_retry"):
            self._pause(key, slot, request, response.status, wait)
        elif slot is not None and key in self.pauses:
            pause = self.pauses[key]
            if time.monotonic() < pause.until:
                slot.delay, slot.jitter = pause.delay, 0.0  # AutoThrottle may have just lowered it
            else:
                slot.delay, slot.jitter = pause.usual_delay, pause.usual_jitter
                del self.pauses[key]
        return super().process_response(request, response, spider)

    def _pause(self, key: str, slot, request: Request, status: int, wait: float) -> None:
        stats = self.crawler.stats
        stats.inc_value("retry_after/count")
        if wait > self.max_wait:
            stats.inc_value("retry_after/capped")
            logger.info("%s answered %d with Retry-After of %.0f s; waiting RETRY_AFTER_MAX (%.0f s)",
                        request.url, status, wait, self.max_wait)
            wait = self.max_wait
        else:
            logger.info("%s answered %d with Retry-After of %.0f s; %s waits that long", request.url, status, wait, key)
        earlier = self.pauses.get(key)
        usual = (earlier.usual_delay, earlier.usual_jitter) if earlier else (slot.delay, slot.jitter)
        now = time.monotonic()
        until = max(now + wait, earlier.until if earlier else 0)
        self.pauses[key] = Pause(until, until - now, *usual)
        slot.delay, slot.jitter = until - now, 0.0
        slot.lastseen = now  # the next request leaves one delay from now


def retry_after(response: Response) -> float | None:
    """Seconds ``response``'s Retry-After asks for (``120`` or an HTTP date), None when it
    has none or none that parses."""
    value = response.headers.get("Retry-After", b"").decode("latin-1").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
