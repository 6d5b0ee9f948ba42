"""``scrapy reextract ARCHIVE... -o FILE``: the spiders and pipelines over archived pages again.

For when the extractor improved: every portal the archives hold (or ``-a portals=a,b``) is
crawled as ``crawlall`` would, answered from the archives only (WARC files, folders of
them, saved-pages folders; see :mod:`govnews.replay`), so nothing is fetched; every page
the WARC files recorded as an article is requested too (govnews.replay.articles), so
months of incremental runs re-extract whole. Dedupe runs
against a crawl state of its own in a temporary folder, deleted afterwards: the user's
state is neither read nor written, and nothing is recorded again.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from govnews.commands import crawlall
from govnews.replay import ReplayArchive, ReplayError

#: Above "cmdline": crawl() merges the command's own settings in at that level.
FORCED = SETTINGS_PRIORITIES["cmdline"] + 1


class Command(crawlall.Command):
    def syntax(self) -> str:
        return "ARCHIVE... [-a portals=a,b] [-o FILE|-O FILE] [-s NAME=VALUE]"

    def short_desc(self) -> str:
        return "Run spiders and pipelines over archives (WARC or saved pages): no network, own state"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if not args:
            raise UsageError("give the archives to read: WARC files, folders of them, or saved-pages folders")
        self.state = tempfile.mkdtemp(prefix="govnews-reextract-")
        self.settings.set("REPLAY", ",".join(args), priority=FORCED)
        self.settings.set("STATE_DIR", self.state, priority=FORCED)
        self.settings.set("RECORD", None, priority=FORCED)
        self.settings.set("REPLAY_ALL_ARTICLES", True, priority=FORCED)
        if self.settings.getpriority("STATS_FILE") < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("STATS_FILE", "", priority=FORCED)  # the crawl's stats stay as they are

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            archive = ReplayArchive.shared(*map(Path, args))
            if "portals" not in opts.spargs:
                opts.spargs["portals"] = ",".join(sorted(archive.portals))
            if not opts.spargs["portals"]:
                raise UsageError("the archives name no portal (warcinfo or manifest 'portal')", print_help=False)
            super().run([], opts)
        except ReplayError as exc:
            raise UsageError(str(exc), print_help=False) from exc
        finally:
            shutil.rmtree(self.state, ignore_errors=True)
