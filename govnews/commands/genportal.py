"""``scrapy genportal URL --name NAME [--replay FOLDER] [--force]``: propose a portal file.

Fetches the start page, its next list page and a few articles through Scrapy (robots.txt,
User-Agent, delays and retries as in a crawl; with ``--replay``, from saved pages or WARC
files), and writes ``NAME.toml`` into ``PORTALS_DIR`` and ``NAME.txt`` into ``SEEDS_DIR``
(the project's ``portals/`` and ``seeds/`` unless set), each key commented with what it was
inferred from; prints what it could not decide. See :mod:`govnews.genportal`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from govnews.commands.arguments import refuse
from govnews.genportal.fetch import FETCH_SETTINGS, Fetched, SampleSpider
from govnews.genportal.propose import ProposalError, plan, propose
from govnews.genportal.writer import write_files
from govnews.replay import ReplayError, sources_in
from portals.loader import PORTALS_DIR, SEEDS_DIR

#: A live run's delay between requests to the site (no portal file yet names one).
LIVE_DELAY = 2.0


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "URL --name NAME [--replay FOLDER] [--force]"

    def short_desc(self) -> str:
        return "Propose portals/NAME.toml and seeds/NAME.txt from a list page and a few of its articles"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--name", help="the portal's name (lowercase letters, digits, _)")
        parser.add_argument("--replay", metavar="FOLDER", help="read saved pages or WARC files instead of the site")
        parser.add_argument("--force", action="store_true", help="overwrite an existing portal file")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        forced = SETTINGS_PRIORITIES["cmdline"]
        for name, value in FETCH_SETTINGS.items():
            if self.settings.getpriority(name) < forced:
                self.settings.set(name, value, priority=forced)
        if opts.replay:
            self.settings.set("REPLAY", opts.replay, priority=forced)
        if self.settings.getpriority("DOWNLOAD_DELAY") < forced:
            self.settings.set("DOWNLOAD_DELAY", 0 if opts.replay else LIVE_DELAY, priority=forced)
        if opts.replay:
            self.settings.set("AUTOTHROTTLE_ENABLED", False, priority=forced)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one start URL (a list page of the site)")
        url = args[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise refuse(f"{url!r} is not an http(s) URL")
        if not re.fullmatch(r"[a-z0-9_]+", opts.name or ""):
            raise refuse("--name NAME is needed: lowercase letters, digits and _ only")
        portals_dir = Path(self.settings.get("PORTALS_DIR") or PORTALS_DIR)
        seeds_dir = Path(self.settings.get("SEEDS_DIR") or self.settings.get("PORTALS_DIR") or SEEDS_DIR)
        existing = portals_dir / f"{opts.name}.toml"
        if existing.exists() and not opts.force:
            raise refuse(f"portal {opts.name!r} exists ({existing}); choose another --name, or --force to overwrite it")
        if opts.replay:
            try:
                sources_in(Path(opts.replay).resolve())
            except ReplayError as exc:
                raise refuse(str(exc)) from exc
        pages: dict[str, Fetched] = {}
        self.crawler_process.crawl(SampleSpider, start_url=url, plan=plan, pages=pages)
        self.crawler_process.start()
        try:
            proposal = propose(opts.name, url, pages)
        except ProposalError as exc:
            raise refuse(str(exc)) from exc
        portal, seeds = write_files(proposal, portals_dir, seeds_dir)
        print(f"wrote {portal} and {seeds} ({len(pages)} pages fetched)")
        for note in proposal.undecided:
            print(f"could not decide: {note}")
