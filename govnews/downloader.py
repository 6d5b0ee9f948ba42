"""Scrapy's Downloader, with its per-site concurrency limit kept when there is no delay and
with a way to stop at once.

**Concurrency.** Scrapy 2.19 hands queued requests of a slot to the network while
``slot.free_transfer_slots() > 0``, but a request joins ``slot.transferring`` only when its
download coroutine starts, a turn of the event loop later. With a download delay the loop
stops after one request, so nothing shows; with none (a portal with ``download_delay = 0``,
or a Retry-After pause just over) every queued request leaves at once: one list page's six
article links reached one site together under ``CONCURRENT_REQUESTS_PER_DOMAIN = 2``. Here a
request counts as transferring from the moment it is handed over; Scrapy's own download
code removes it when it is done, as before.

**Stopping.** A graceful stop (SIGTERM) waits for every request in the downloader: those
on the wire, up to ``DOWNLOAD_TIMEOUT`` and their retries, and those queued behind a
site's delay. :meth:`Downloader.abort` fails them all at once with :class:`CrawlStopped`
(govnews.shutdown calls it), so they go through each request's errback like any failed
page and are fetched again next run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader as ScrapyDownloader
from scrapy.core.downloader import Slot
from scrapy.http import Response
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure


class CrawlStopped(Exception):
    """The crawl was stopped before this page was fetched."""


class Downloader(ScrapyDownloader):
    _downloads: set[asyncio.Task[Response]]

    def _wait_for_download(self, slot: Slot, request: Request,
                           queue_dfd: Deferred[Response]) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)  # now, inside the dispatch loop, not when the coroutine starts
        return super()._wait_for_download(slot, request, queue_dfd)

    async def _download(self, slot: Slot, request: Request) -> Response:
        if not hasattr(self, "_downloads"):
            self._downloads = set()
        task = asyncio.ensure_future(super()._download(slot, request))
        self._downloads.add(task)
        try:
            return await task
        except asyncio.CancelledError:
            # Cancelled by abort(): Scrapy's own code expects an Exception, never a CancelledError.
            raise CrawlStopped(f"crawl stopped while {request.url} was being fetched") from None
        finally:
            self._downloads.discard(task)

    def abort(self) -> int:
        """Fail every request in the downloader now; return how many."""
        stopped = 0
        for slot in self.slots.values():
            while slot.queue:
                request, queued = slot.queue.popleft()
                queued.errback(Failure(CrawlStopped(f"crawl stopped before {request.url} was fetched")))
                stopped += 1
        for task in list(getattr(self, "_downloads", ())):
            task.cancel()  # cancels the download's Deferred: the connection is closed
            stopped += 1
        return stopped
