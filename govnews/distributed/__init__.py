"""Distributed mode: any number of worker processes, on any machines, share one crawl.

One setting switches it on: ``REDIS_URL`` (``scrapy crawlall -s REDIS_URL=redis://host:6379/0``
on each machine). :class:`DistributedMode`, an add-on, then puts scrapy-redis's extension
points in place: the scheduler (govnews.distributed.scheduler), its queue of leased requests
(govnews.distributed.queue) and dupefilter (govnews.distributed.dupefilter), start pages
seeded once (govnews.distributed.seeding) and each site's download delay shared by all
workers (govnews.distributed.politeness). Without ``REDIS_URL`` nothing changes: Scrapy's
scheduler, the project's RunDupeFilter, the embedded state.

Workers of one crawl share its name, ``DISTRIBUTED_CRAWL`` (default ``crawl``): a worker
joins the crawl of that name, and once it is complete, a worker started with the same name
does nothing. In distributed mode a portal's file lock (govnews.locks) is not taken: the
workers of a crawl crawl the same portals by design, and what keeps two of them from
emitting one article twice is the shared queue, its fingerprints and the dedupe stage's
claims in the state (in the same Redis: govnews.state), not a lock per machine.

The stages of a run that must know it is a worker's part of a crawl (health, the
incremental stage) ask :func:`shared_crawl`; the scheduler answers as a :class:`SharedCrawl`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

#: What distributed mode sets, at the project's own priority (``-s`` on the command line wins).
SETTINGS = {
    "SCHEDULER": "govnews.distributed.scheduler.LeasedScheduler",
    "SCHEDULER_QUEUE_CLASS": "govnews.distributed.queue.LeasedQueue",
    "DUPEFILTER_CLASS": "govnews.distributed.dupefilter.LeaseDupeFilter",
}
SPIDER_MIDDLEWARES = {"govnews.distributed.seeding.SeedOnce": 10}
DOWNLOADER_MIDDLEWARES = {
    # After robots.txt (100) and retries (550), before the WARC recorder (950) and replay (960).
    "govnews.distributed.politeness.SharedSlots": 945,
}


def distributed(settings: BaseSettings) -> bool:
    """True when ``settings`` put the crawl in distributed mode."""
    return bool(settings.get("REDIS_URL"))


class DistributedMode:
    """The add-on: distributed mode's components, when ``REDIS_URL`` is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not distributed(settings):
            return
        for name, value in SETTINGS.items():
            if (settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
                settings.set(name, value, priority="project")
        for name, added in (("SPIDER_MIDDLEWARES", SPIDER_MIDDLEWARES),
                            ("DOWNLOADER_MIDDLEWARES", DOWNLOADER_MIDDLEWARES)):
            settings.set(name, {**settings.getdict(name), **added}, priority="project")


class SharedCrawl(ABC):
    """A run that is one worker's part of a distributed crawl, as the other stages of the run
    see it (govnews.distributed.scheduler.LeasedScheduler is one). An explicit base class, not
    a scheduler probed for a method: a scheduler of another program that happened to have
    one would not silently change how a run is judged."""

    @abstractmethod
    def judged_stats(self, own: dict[str, Any]) -> dict[str, Any] | None:
        """The stats health judges at this worker: the crawl's when it judges the crawl, None
        when its run is a share only (govnews.distributed.tally)."""

    @property
    @abstractmethod
    def share(self) -> str | None:
        """This worker, when its run is a share of the crawl (not its judge); else None."""


def shared_crawl(crawler: Any) -> SharedCrawl | None:
    """The distributed crawl ``crawler``'s run is part of, None for a run of its own."""
    scheduler = crawler.engine.scheduler if crawler.engine is not None else None
    return scheduler if isinstance(scheduler, SharedCrawl) else None
