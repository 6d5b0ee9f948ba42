"""``scrapy extract FILE --url URL [--portal NAME]``: one saved page → its final item as JSON.

Without ``--portal`` the page is read by the generic finders, as a site no portal file
describes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import DropItem, UsageError

from govnews.extract import extract_file
from govnews.items import EXPORT_FIELDS
from portals import PortalError


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "FILE --url URL [--portal NAME]"

    def short_desc(self) -> str:
        return "Run one saved page through its spider and every pipeline; print the item"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--portal", help="portal name (portals/NAME.toml); without it, the generic finders")
        parser.add_argument("--url", required=True, help="the URL the page was fetched from")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one saved page FILE")
        if not Path(args[0]).is_file():
            raise UsageError(f"{args[0]}: no such file", print_help=False)
        try:
            item = extract_file(args[0], opts.portal, opts.url)
        except PortalError as exc:
            raise UsageError(str(exc), print_help=False) from exc
        except DropItem as exc:
            print(f"dropped: {exc}")
            self.exitcode = 1
            return
        data = {name: ItemAdapter(item)[name] for name in EXPORT_FIELDS}
        print(json.dumps(data, ensure_ascii=False, indent=2))
