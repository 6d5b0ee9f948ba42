"""Each run's Scrapy stats, per portal, in one JSON file for schedulers, dashboards and tests.

``STATS_FILE`` holds ``{portal: stats}``; unset, it is ``<STATE_DIR>/stats.json``, beside
the state whose runs it describes (two deployments on two states never mix their stats);
set empty, no file is written. A crawler writes
its portal's entry when its spider closes and keeps the others, so ``crawlall`` (five
crawlers in one process) and separate ``scrapy crawl`` runs per portal fill one file. The
file is replaced atomically: a reader never sees half of it.
``crawlall`` sets ``STATS_LOG_COUNTS = False`` when it runs several portals: Scrapy's
``log_count/*`` count the log lines of every crawler in the process, so they are left out.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class StatsFile:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StatsFile":
        path = crawler.settings.get("STATS_FILE")
        if path == "":
            raise NotConfigured
        extension = cls(crawler, Path(path) if path else Path(crawler.settings.get("STATE_DIR") or "state") / "stats.json")
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        portal = getattr(getattr(spider, "portal", None), "name", spider.name)
        stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
        if not self.crawler.settings.getbool("STATS_LOG_COUNTS", True):
            stats = {k: v for k, v in stats.items() if not k.startswith("log_count/")}
        write_entry(self.path, portal, stats)


def write_entry(path: Path, key: str, stats: dict[str, Any]) -> None:
    """Set ``key`` in the JSON object at ``path`` (created if missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        data = {}
    except ValueError as exc:
        logger.warning("stats file %s unreadable (%s); starting it afresh", path, exc)
        data = {}
    data[key] = stats
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=f".{path.name}.") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    os.replace(handle.name, path)
