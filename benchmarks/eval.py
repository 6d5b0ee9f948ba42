"""Score the project's generic path on a corpus of real pages with golds, next to GNE and
trafilatura on the same pages in the same run, and time all of them against a bare lxml
parse of the same bytes.

    python -m benchmarks.eval --corpus ../shared/realpages --out output/eval.json

Writes the per-page, per-check table, the totals per extractor and the per-page times to
``--out`` and prints them; ``make eval`` runs it in the benchmark environment.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from collections.abc import Callable
from typing import Any

from benchmarks.corpus import Page, load_corpus
from benchmarks.extractors import NAMES, readers
from benchmarks.scoring import CHECKS, score_page
from benchmarks.timing import CLOCKS, Run, per_page_ms, read_once, summary, time_rounds, timing_table


def evaluate(pages: list[Page], names: tuple[str, ...], rounds: int, clock: str = "wall",
             scored: Callable[[dict[str, Any]], None] = lambda result: None) -> dict[str, Any]:
    """The report ``--out`` holds: checks per page and extractor, totals, times (on ``clock``).

    ``scored`` gets the checks before the timing rounds, which take most of the run: a run
    stopped while timing has still shown its scores."""
    chosen = readers(names)
    runs = read_once(pages, chosen)
    checks = {page.key: {name: score_page(page.gold, runs[page.key][name].fields) for name in names}
              for page in pages}
    result = {
        "pages": len(pages),
        "rounds": rounds,
        "clock": clock,
        "checks": checks,
        "totals": {name: totals(checks, name) for name in names},
        "failures": failures(pages, runs, checks, names),
    }
    scored(result)
    time_rounds(runs, pages, chosen, rounds, CLOCKS[clock])
    return {**result, "timing": summary(runs), "ms": per_page_ms(runs)}


def totals(checks: dict[str, dict[str, dict[str, bool]]], name: str) -> dict[str, Any]:
    pages = [page[name] for page in checks.values()]
    return {
        "per_check": {check: sum(page[check] for page in pages) for check in CHECKS},
        "right": sum(sum(page.values()) for page in pages),
        "total": len(pages) * len(CHECKS),
        "pages_all_right": sum(all(page.values()) for page in pages),
    }


def failures(pages: list[Page], runs: dict[str, dict[str, Run]], checks: dict[str, dict[str, dict[str, bool]]],
             names: tuple[str, ...]) -> dict[str, list[str]]:
    """Per extractor, one line per failed check: what it read and what the gold wants."""
    found: dict[str, list[str]] = {name: [] for name in names}
    for page in pages:
        for name in names:
            fields = runs[page.key][name].fields
            for check, right in checks[page.key][name].items():
                if not right:
                    found[name].append(f"{page.key} {check}: got {_shown(fields, check)!r}, "
                                       f"want {page.gold.get(check if check in page.gold else 'body')!r}")
    return found


def _shown(fields: dict[str, Any], check: str) -> Any:
    if "error" in fields:
        return fields["error"]
    if check in ("body_starts", "body_ends", "must_not_contain"):
        body = fields.get("body") or ""
        return body[:40] + " … " + body[-40:] if len(body) > 90 else body
    return fields.get(check)


def scores_report(result: dict[str, Any]) -> str:
    """The tables a reader wants first: checks per extractor, then per page, then the project's misses."""
    names = list(result["totals"])
    n = result["pages"]
    width = max(12, *map(len, names))
    lines = ["check".ljust(20) + "".join(name.rjust(width) for name in names)]
    for check in CHECKS:
        lines.append(check.ljust(20) + "".join(
            f"{result['totals'][name]['per_check'][check]}/{n}".rjust(width) for name in names))
    lines.append("all checks".ljust(20) + "".join(
        f"{result['totals'][name]['right']}/{result['totals'][name]['total']}".rjust(width) for name in names))
    lines.append("pages wholly right".ljust(20) + "".join(
        f"{result['totals'][name]['pages_all_right']}/{n}".rjust(width) for name in names))
    lines += ["", "page".ljust(24) + "".join(name.rjust(width) for name in names)
              + f"  ({' '.join(c[:5] for c in CHECKS)})"]
    for key, page in result["checks"].items():
        lines.append(key.ljust(24) + "".join(
            "".join("✓" if page[name][c] else "✗" for c in CHECKS).rjust(width) for name in names))
    if "project" in result["failures"]:
        lines += ["", "project's failed checks:", *(result["failures"]["project"] or ["none"])]
    return "\n".join(lines)


def timing_report(result: dict[str, Any]) -> str:
    return (f"{result['clock']} time per page, median of {result['rounds']} rounds,"
            f" floor: lxml.html.fromstring of the same bytes\n{timing_table(result['timing'])}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder with pages/<key>.html and golds.json")
    parser.add_argument("--out", type=Path, default=Path("output/eval.json"))
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the corpus (after one warm-up)")
    parser.add_argument("--extractors", default=",".join(NAMES), help=f"comma-separated, of {', '.join(NAMES)}")
    parser.add_argument("--clock", choices=CLOCKS, default="wall", help="cpu: this process's CPU time (see benchmarks.timing)")
    args = parser.parse_args()
    if not (args.corpus / "golds.json").is_file():
        parser.error(f"{args.corpus}: no golds.json (a corpus is pages/<key>.html + golds.json); pass CORPUS=DIR")
    result = evaluate(load_corpus(args.corpus), tuple(filter(None, args.extractors.split(","))), args.rounds,
                      args.clock, scored=lambda scores: print(scores_report(scores), "\ntiming…", sep="\n", flush=True))
    result["corpus"] = str(args.corpus)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(timing_report(result))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
