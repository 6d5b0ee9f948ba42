"""``scrapy crawlall``: crawl every portal (or ``-a portals=a,b``) in one process."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy import signals
from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from govnews import exitcodes, portallog
from govnews.commands import arguments, preflight
from govnews.feeds import SharedFeed, default_feed_path, log_default_feed
from portals import available_portals


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[-a portals=a,b] [-o FILE|-O FILE] [-s NAME=VALUE]"

    def short_desc(self) -> str:
        return "Crawl every portal (or the ones in -a portals=a,b) in one process"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # Every line names its portal (govnews.portallog), in the handler the crawler
        # process is about to make.
        portallog.tag_log_lines(self.settings)
        # The command owns the output files (see govnews.feeds); crawlers export nothing.
        self.feeds = dict(self.settings.getdict("FEEDS"))
        self.settings.set("FEEDS", {}, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("crawlall takes no positional arguments; use -a portals=a,b")
        arguments.check_arguments(opts.spargs, arguments.CRAWLALL_ARGUMENTS, "crawlall")
        folder = self.settings.get("PORTALS_DIR")
        names = [n for n in opts.spargs.pop("portals", "").split(",") if n] or (
            available_portals(Path(folder)) if folder else available_portals()
        )
        prepared = preflight.prepare(self.settings, names)
        if not prepared.portals:
            self.exitcode = exitcodes.LOCK_HELD
            return
        default = None if self.feeds else default_feed_path(self.settings, "crawlall")
        if default:
            log_default_feed(default, "start")
        feeds = [SharedFeed(uri, options, self.settings)
                 for uri, options in (self.feeds or {default: {"format": "jsonlines"}}).items()]

        crawlers: list[tuple[str, Crawler]] = []
        jobdir = self.settings.get("JOBDIR")
        for portal in prepared.portals:
            crawler = self._create_crawler(portal.template)
            if jobdir:  # one job folder per crawler: a shared request queue would mix portals
                # Above "cmdline": crawl() merges the command's own settings in at that level.
                crawler.settings.set("JOBDIR", str(Path(jobdir) / portal.name),
                                     priority=SETTINGS_PRIORITIES["cmdline"] + 1)
            if len(prepared.portals) > 1:  # Scrapy's log_count/* count every crawler's lines
                crawler.settings.set("STATS_LOG_COUNTS", False, priority=SETTINGS_PRIORITIES["cmdline"] + 1)
            for feed in feeds:
                feed.attach(crawler)
            # Each crawler remakes Scrapy's log handler as it starts; name portals on the last one.
            crawler.signals.connect(portallog.filter_handlers, signal=signals.spider_opened)
            self.crawler_process.crawl(crawler, portal=portal, **opts.spargs)
            crawlers.append((portal.name, crawler))
        try:
            self.crawler_process.start()
            for feed in feeds:
                feed.close()
        finally:
            prepared.close()
        if default:
            log_default_feed(default, "end")

        for name, crawler in crawlers:
            print(summary_line(name, crawler.stats.get_stats()))
        self.exitcode = exitcodes.of_run((crawler.stats.get_stats() for _, crawler in crawlers),
                                         bool(prepared.held), self.crawler_process.bootstrap_failed)


def summary_line(portal: str, stats: dict) -> str:
    """``portal: pages=N articles=N dropped=N failed=N blocked=N errors=N`` for a user's terminal.

    ``failed``: list and article pages that could not be fetched or read (fetched again
    next run); ``blocked``: the block pages among them (govnews.blocks); ``errors``:
    exceptions in the crawler's own code (spider, pipelines or signal handlers), saved pages
    missing from a replay archive and WARC records that could not be written. All come from this portal's own stats:
    Scrapy's log counts cover every crawler of the process."""
    errors = (stats.get("spider_exceptions/count", 0) + stats.get("item_errors/count", 0)
              + stats.get("signal_errors/count", 0) + stats.get("replay/miss", 0) + stats.get("record/errors", 0))
    return (
        f"{portal}: pages={stats.get('downloader/response_count', 0)}"
        f" articles={stats.get('item_scraped_count', 0)}"
        f" dropped={stats.get('item_dropped_count', 0)} failed={stats.get('failed/count', 0)}"
        f" blocked={stats.get('blocked/count', 0)} errors={errors}"
    )
