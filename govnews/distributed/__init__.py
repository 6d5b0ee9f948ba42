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
"""

from __future__ import annotations

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
