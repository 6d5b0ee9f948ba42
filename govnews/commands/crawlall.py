"""``scrapy crawlall``: crawl every portal (or ``-a portals=a,b``) in one process."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scrapy import signals
from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from govnews.feeds import SharedFeed
from portals import PortalError, available_portals, load_configured_portal


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[-a portals=a,b] [-o FILE|-O FILE] [-s NAME=VALUE]"

    def short_desc(self) -> str:
        return "Crawl every portal (or the ones in -a portals=a,b) in one process"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # The command owns the output files (see govnews.feeds); crawlers export nothing.
        self.feeds = dict(self.settings.getdict("FEEDS"))
        self.settings.set("FEEDS", {}, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("crawlall takes no positional arguments; use -a portals=a,b")
        folder = self.settings.get("PORTALS_DIR")
        names = [n for n in opts.spargs.pop("portals", "").split(",") if n] or (
            available_portals(Path(folder)) if folder else available_portals()
        )
        try:
            portals = [load_configured_portal(name, self.settings) for name in names]
        except PortalError as exc:
            raise UsageError(str(exc), print_help=False) from exc
        feeds = [SharedFeed(uri, options, self.settings) for uri, options in self.feeds.items()]

        def export(item, response, spider):
            for feed in feeds:
                feed.export_item(item)

        crawlers: list[tuple[str, Crawler]] = []
        for portal in portals:
            crawler = self._create_crawler(portal.template)
            crawler.signals.connect(export, signal=signals.item_scraped)
            self.crawler_process.crawl(crawler, portal=portal, **opts.spargs)
            crawlers.append((portal.name, crawler))
        self.crawler_process.start()
        for feed in feeds:
            feed.close()

        summary = {name: crawler.stats.get_stats() for name, crawler in crawlers}
        for name, stats in summary.items():
            print(summary_line(name, stats))
        write_stats(self.settings.get("STATS_FILE"), summary)
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1


def summary_line(portal: str, stats: dict) -> str:
    """``portal: pages=N articles=N dropped=N errors=N`` for a user's terminal."""
    errors = (
        stats.get("log_count/ERROR", 0)
        + stats.get("replay/miss", 0)
        + stats.get("downloader/exception_count", 0)
    )
    return (
        f"{portal}: pages={stats.get('response_received_count', 0)}"
        f" articles={stats.get('item_scraped_count', 0)}"
        f" dropped={stats.get('item_dropped_count', 0)} errors={errors}"
    )


def write_stats(path: str | None, summary: dict[str, dict]) -> None:
    """Per-portal Scrapy stats as JSON, for schedulers, dashboards and tests."""
    if not path:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True, default=str),
        encoding="utf-8",
    )
