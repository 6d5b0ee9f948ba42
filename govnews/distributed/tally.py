"""A distributed crawl's health is the crawl's, not a worker's: its stats, tallied in Redis.

The health checks (govnews.health) compare a run's figures with earlier whole runs of the
portal. A worker of a distributed crawl handles only a share of a portal's pages, so judged
alone it could fail against whole runs while the crawl is healthy. Instead:

- **Tally.** Each worker adds what its pages added to the stats the checks read
  (:data:`TALLIED`) to the crawl's ``tally`` hash in Redis, *in the same MULTI/EXEC that
  acknowledges their leases* (govnews.distributed.queue.LeasedQueue.acknowledge). A page's
  figures thus enter the totals exactly when it is done: a worker killed (SIGKILL, a lost
  machine) loses no figure of a page it finished, and the pages it held are done, and
  counted, by the worker that takes their leases over. What a killed worker's pages in
  flight had already added to its stats since its last acknowledgement was not added yet
  (it goes with an acknowledgement), so it is not counted twice; only the part of such a
  page that went out with an acknowledgement of another page is (a few pages at most,
  ``LEASES_PER_WORKER``: more, never fewer, so a kill cannot make a healthy crawl fail
  the items check).
- **Judge.** Once the crawl is complete (nothing queued, no lease anywhere: every page's
  figures are in the tally), the first worker to close after takes the judgement
  (``judge``, a key with a TTL of ``LEASE_SECONDS``), runs every check over the crawl's
  totals and records them as the portal's one whole run in the state; then the key loses
  its TTL, so no later worker judges again. A judge killed before it recorded leaves the key
  to expire, and the next worker started on the crawl (it finds it complete) judges it.
- **Shares.** Every other worker records its own figures as a *share* of the crawl
  (``share`` in the ``crawls`` table names the worker), judged only on how its own run
  ended (its finish reason); shares are never a baseline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spidermon.utils.field_coverage import calculate_field_coverage

#: The stats the health checks and the ``crawls`` figures read, by name or prefix (Spidermon's
#: per-field item counts, from which the crawl's field coverage is computed).
TALLIED = ("item_scraped_count", "downloader/response_count", "listed/articles", "failed/count",
           "blocked/count", "spidermon_item_scraped_count")


def tallied(stats: Mapping[str, Any]) -> dict[str, int]:
    """The tallied stats among ``stats``."""
    return {name: value for name, value in stats.items()
            if name.startswith(TALLIED) and isinstance(value, int) and not isinstance(value, bool)}


class Tally:
    """What a worker's stats added to the tallied stats since it last sent them."""

    def __init__(self) -> None:
        self.sent: dict[str, int] = {}

    def unsent(self, stats: Mapping[str, Any]) -> dict[str, int]:
        return {name: value - self.sent.get(name, 0) for name, value in tallied(stats).items()
                if value != self.sent.get(name, 0)}

    def mark_sent(self, counts: Mapping[str, int]) -> None:
        for name, value in counts.items():
            self.sent[name] = self.sent.get(name, 0) + value


def crawl_stats(own: Mapping[str, Any], totals: Mapping[str, int]) -> dict[str, Any]:
    """The judge's stats with the crawl's totals in place of its own share, and the field
    coverage of the crawl's items."""
    return {**own, **totals, **calculate_field_coverage(totals)}
