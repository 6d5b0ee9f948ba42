"""The scheduler of a distributed crawl worker: scrapy-redis's, on leased requests.

**Taking work.** :meth:`LeasedScheduler.next_request` leases a request from the portal's
shared queue (govnews.distributed.queue), at most ``LEASES_PER_WORKER`` at a time, so one
worker does not take the whole queue into its downloader while others idle; a worker with
room looks at the queue every ``DISTRIBUTED_POLL_SECONDS``.

**Acknowledging.** A lease is acknowledged once the engine is done with its request: the
response went through the callback or the failure through the errback, every item it gave
went through the pipelines and their ``item_scraped``/``item_dropped`` handlers (written to
the feed and recorded in the state: govnews.feeds, the dedupe stage; or the failure
recorded: govnews.incremental), and every request it gave was queued. Scrapy 2.19 has no
signal for that moment; its engine keeps each request in its slot's ``inprogress`` set
until then (``ExecutionEngine._remove_request``), so the scheduler acknowledges the leases
whose request has left that set, each time the engine asks it for work (after every
request it finishes) and on each heartbeat. A redirect or a retry continues its lease: the
new request is queued and the old lease acknowledged in one step. While the crawl is being
stopped (SIGTERM) nothing is acknowledged: the pages cut short then look handled too, so
every lease still held goes back to the queue when the spider closes, for another worker
(a page handled meanwhile is fetched again and found known by the state).

**Dead workers.** Every ``LEASE_SECONDS / 3`` a worker renews its heartbeat key (TTL
``LEASE_SECONDS``) and sends back to the queue the leases of workers whose key expired
(not in a Redis up for less than ``LEASE_SECONDS``: after a Redis restart, live workers
first renew the heartbeats they could not renew while it was down).

**Completion.** When a worker has nothing to do (Scrapy's ``spider_idle``) it checks the
crawl: seeded, nothing queued and no lease held by any worker means complete (a flag in
Redis, so later workers see it); the worker then closes (``finished``) and prints its
summary line like any run. Until then it waits, polling every few seconds (Scrapy's engine
heartbeat), since another worker's page may still add work or its lease expire.
``DISTRIBUTED_KEEP_WAITING = True`` keeps a worker waiting for new work even then.

**Health.** Each acknowledgement adds what its pages added to the stats health is judged
on to the crawl's totals; the first worker to close after the crawl is complete judges it
over those totals (govnews.distributed.tally), the others record their share.

**Redis outages** are waited out by govnews.distributed.link; one that lasts past
``REDIS_OUTAGE_SECONDS`` halts the crawl (``redis_failed``, exit code 1).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from typing import Any, TypeVar

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from govnews.distributed import SharedCrawl
from govnews.distributed.link import RedisGone, RedisLink
from govnews.distributed.queue import LEASE, SEED, CrawlKeys, LeasedQueue
from govnews.distributed.tally import Tally, crawl_stats
from govnews.dupefilter import report_redirect_loop
from govnews.halt import halt
from govnews.state import utc_now

logger = logging.getLogger(__name__)

T = TypeVar("T")


def worker_id() -> str:
    """``host:pid:random``: unique among the workers of all machines, readable in redis-cli."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class LeasedScheduler(Scheduler, SharedCrawl):
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.link = RedisLink.of(settings)
        super().__init__(self.link.server, persist=True,
                         queue_cls=settings["SCHEDULER_QUEUE_CLASS"], dupefilter_cls=settings["DUPEFILTER_CLASS"])
        self.crawler = crawler
        self.stats = crawler.stats
        self.crawl_name = settings.get("DISTRIBUTED_CRAWL") or "crawl"
        self.lease_seconds = settings.getfloat("LEASE_SECONDS", 60)
        self.max_leases = settings.getint("LEASES_PER_WORKER", 4)
        self.keep_waiting = settings.getbool("DISTRIBUTED_KEEP_WAITING")
        self.worker = worker_id()
        #: Requests this worker leased and has not acknowledged, by their lease entry.
        self.leased: dict[bytes, Request] = {}
        self.beat = task.LoopingCall(self.heartbeat)
        self.poll_seconds = settings.getfloat("DISTRIBUTED_POLL_SECONDS", 1)
        self.poll = task.LoopingCall(self.look_for_work)
        self.said_complete = False
        self.tally = Tally()
        #: The crawl's totals when this worker judges the crawl's health (else None).
        self.totals: dict[str, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasedScheduler:
        scheduler = cls(crawler)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.spider_closed, signal=signals.spider_closed)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        portal = spider.portal.name
        self.keys = CrawlKeys.of(self.crawl_name, portal)
        self.queue: LeasedQueue = load_object(self.queue_cls)(self.link, spider, self.keys, self.worker)
        self.df = load_object(self.dupefilter_cls).for_crawl(self.link, self.keys, self.crawler)
        queued = self.guarded(lambda: len(self.queue), 0)
        logger.info("%s: worker %s joins distributed crawl %r (%d request(s) queued)", portal, self.worker,
                    self.crawl_name, queued, extra={"spider": spider})
        self.guarded(lambda: self.queue.heartbeat(self.lease_seconds), None)
        self.beat.start(self.lease_seconds / 3, now=False)
        self.poll.start(self.poll_seconds, now=False)

    def close(self, reason: str) -> None:
        """Hand every lease still held back to the queue (none after a finished crawl)."""
        for loop in (self.beat, self.poll):
            if loop.running:
                loop.stop()
        if reason == "finished":
            self.guarded(self.acknowledge_handled, None)
            self.guarded(lambda: self.send_tally([]), None)
            if self.guarded(lambda: self.queue.take_judgement(self.lease_seconds), False):
                self.totals = self.guarded(self.queue.tally, None)
        back = self.guarded(lambda: self.queue.release(self.worker, only_if_dead=False), 0)
        if back:
            self.stats.inc_value("distributed/handed_back", back)
            logger.info("%s: %d lease(s) handed back to the queue", self.spider.portal.name, back,
                        extra={"spider": self.spider})

    def guarded(self, action: Callable[[], T], default: T) -> T:
        """``action()``; a Redis gone for good halts the crawl and gives ``default``."""
        try:
            return action()
        except RedisGone as exc:
            halt(self.crawler, "redis_failed", str(exc))
            return default

    # --- the engine's calls -------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        check_seen = not request.dont_filter or bool(request.meta.get(SEED))
        continued = request.meta.get(LEASE)
        fingerprint = self.df.request_fingerprint(request)
        queued = self.guarded(lambda: self.queue.push_entry(request, fingerprint, check_seen), False)
        if continued is not None and self.leased.pop(continued, None) is not None:
            self.stats.inc_value("distributed/continued")
        if not queued:
            self.df.log(request, self.spider)
            report_redirect_loop(self.crawler, request)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        self.guarded(self.acknowledge_handled, None)
        if len(self.leased) >= self.max_leases:
            return None
        request = self.guarded(self.queue.take, None)
        if request is not None:
            self.leased[request.meta[LEASE]] = request
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return self.guarded(lambda: len(self.queue), 0) > 0

    def look_for_work(self) -> None:
        """Have the engine look again now when this worker could take work, or holds none (is
        the crawl complete?): Scrapy's engine looks after each request it finishes, else
        only every 5 s (its heartbeat), and a worker with nothing in flight would leave the
        queue to the others, or wait for the end of the crawl, that long."""
        engine = self.crawler.engine
        if engine is None or engine._slot is None or self.link.gone is not None:
            return
        if not self.leased or (len(self.leased) < self.max_leases and self.has_pending_requests()):
            engine._slot.nextcall.schedule()

    # --- leases ------------------------------------------------------------------------

    def acknowledge_handled(self) -> None:
        """Acknowledge the leases whose requests the engine is done with (see the docstring)."""
        engine = self.crawler.engine
        if engine is None or not engine.running or engine._slot is None:
            return
        in_progress = engine._slot.inprogress
        handled = [entry for entry, request in self.leased.items() if request not in in_progress]
        if handled:
            self.send_tally(handled)
            for entry in handled:
                del self.leased[entry]
            self.stats.inc_value("distributed/acknowledged", len(handled))

    def send_tally(self, handled: list[bytes]) -> None:
        """Acknowledge ``handled`` and add what the stats gained since last time to the tally."""
        counts = self.tally.unsent(self.stats.get_stats())
        self.queue.acknowledge(handled, counts)
        self.tally.mark_sent(counts)

    def heartbeat(self) -> None:
        """Renew this worker's heartbeat; send dead workers' leases back to the queue."""
        def beat() -> None:
            self.queue.heartbeat(self.lease_seconds)
            self.acknowledge_handled()
            self.reclaim()
        self.guarded(beat, None)

    def reclaim(self) -> int:
        back = self.queue.reclaim(self.lease_seconds)
        if back:
            self.stats.inc_value("distributed/reclaimed", back)
            logger.warning("%s: %d lease(s) of a worker gone silent for %.0f s back in the queue",
                           self.spider.portal.name, back, self.lease_seconds, extra={"spider": self.spider})
        return back

    # --- health -----------------------------------------------------------------------

    def judged_stats(self, own: dict[str, Any]) -> dict[str, Any] | None:
        return None if self.totals is None else crawl_stats(own, self.totals)

    @property
    def share(self) -> str | None:
        return None if self.totals is not None else self.worker

    def spider_closed(self, spider: Spider) -> None:
        """After the judgement was recorded (govnews.incremental, closed before): no other
        worker judges the crawl again."""
        if self.totals is not None:
            self.guarded(self.queue.judged, None)

    # --- seeding and completion ----------------------------------------------------------

    def is_complete(self) -> bool:
        return self.guarded(self.queue.is_complete, False)

    def mark_seeded(self) -> None:
        self.guarded(self.queue.mark_seeded, None)

    def spider_idle(self, spider: Spider) -> None:
        """Close once the crawl is complete; until then (or with DISTRIBUTED_KEEP_WAITING) wait."""
        if self.link.gone is not None:
            return  # halted: close

        def complete() -> bool:
            self.acknowledge_handled()
            if self.reclaim():
                return False
            return not self.keep_waiting and self.queue.complete(utc_now())
        if self.guarded(complete, True):
            if not self.said_complete:
                self.said_complete = True
                logger.info("%s: distributed crawl %r complete (nothing queued, no lease held)",
                            spider.portal.name, self.crawl_name, extra={"spider": spider})
            return
        raise DontCloseSpider
