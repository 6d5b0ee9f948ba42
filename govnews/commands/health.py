"""``scrapy health [STATE_DIR]``: the last runs of every portal and their health verdicts.

Read from the crawl state's runs (the ``crawls`` table, or Redis with ``-s REDIS_URL=…``),
where each run keeps its figures and the health checks it failed (govnews.health). A cron
job or an operator sees at a glance which portal broke and why; the exit code says whether
every portal's latest run is healthy (0) or not (4; in distributed mode the latest whole run,
not a worker's share), so a monitoring script needs nothing
more. A state that is missing or cannot be read is one line and exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from govnews.exitcodes import HEALTH_FAILED
from govnews.state import Run, StateError, open_state
from govnews.state.sqlite import FILENAME

COLUMNS = ("portal", "started", "finished", "reason", "listed", "baseline", "items",
           "coverage t/d/b/s %", "blocked", "verdict")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[STATE_DIR] [--runs N]"

    def short_desc(self) -> str:
        return "Print the last runs of every portal with their health verdict; exit 4 if a latest one is not ok"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--runs", type=int, default=5, help="runs shown per portal (default 5)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) > 1:
            raise UsageError("give at most one STATE_DIR", print_help=False)
        settings = self.settings.copy()
        folder = Path(args[0] if args else settings.get("STATE_DIR") or "state")
        settings.set("STATE_DIR", str(folder))
        if not settings.get("REDIS_URL") and not (folder / FILENAME).is_file():  # a new, empty one
            raise UsageError(f"crawl state {folder / FILENAME}: no such file", print_help=False)
        try:
            store = open_state(settings)
        except StateError as exc:
            raise UsageError(str(exc), print_help=False) from exc
        try:
            rows, healthy = [], True
            for portal in store.portals_run():
                runs = store.last_runs(portal, max(opts.runs, 1))
                whole = [run for run in runs if not run["share"]] or runs
                healthy &= verdict(whole[-1]) == "ok"
                rows += [row_cells(run) for run in runs]
        finally:
            store.close()
        print(format_table([COLUMNS, *rows]))
        if not healthy:
            self.exitcode = HEALTH_FAILED


def verdict(run: Run) -> str:
    """ok; WARN when the run never closed (killed, or still running); FAIL with its checks.
    A distributed worker's share says so (the crawl's verdict is its whole run's)."""
    if run["finish_reason"] is None:
        return "WARN: did not close (killed, or still running)"
    if run["health"]:
        return f"FAIL: {run['health']}"
    return f"ok (share of worker {run['share']})" if run["share"] else "ok"


def row_cells(run: Run) -> list[str]:
    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    shares = [run[f"coverage_{name}"] for name in ("title", "published_at", "body", "source")]
    coverage = "-" if shares[0] is None else "/".join(f"{share * 100:.0f}" for share in shares)
    blocked = "-" if run["pages"] is None else f"{run['blocked']}/{run['pages']}"
    return [run["portal"], _moment(run["started"]), _moment(run["closed"]), run["finish_reason"] or "-",
            number(run["listed"]), number(run["baseline"]), number(run["items"]), coverage, blocked, verdict(run)]


def _moment(iso: str | None) -> str:
    """``2026-12-02 18:21:24`` (UTC) of an ISO 8601 time the state keeps."""
    return "-" if iso is None else iso[:19].replace("T", " ")


def format_table(rows: list[list[str] | tuple[str, ...]]) -> str:
    """Columns padded to their widest cell; the verdict, last, is left unpadded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[-1]]).rstrip()
                     for row in rows)
