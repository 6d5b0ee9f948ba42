"""Time every extractor on every page in one process, interleaved (page by page, each
extractor in turn) so that load on the machine falls on all of them alike.

The first round warms caches up (the project builds its crawler and pipelines once per
process, regexes compile) and gives the fields; the next ``rounds`` are timed, and a
page's time is the median of its rounds. Times are also given as ratios to the floor
(``lxml.html.fromstring`` of the same bytes) measured in the same run.

The clock is the wall clock by default. ``cpu`` (``--clock cpu``) counts the CPU time of
this process alone: on a machine whose cores other jobs share, a call that is taken off
its core for a while counts that wait on the wall clock, and a long call (the project's
~15 ms) is taken off more often than a short one (the lxml parse's ~1 ms), which inflates
the ratios; CPU time leaves the wait out (what cache sharing costs stays in).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks.corpus import Page
from benchmarks.extractors import FLOOR, Fields, Read


@dataclass
class Run:
    """One extractor on one page: the fields it read and the time of each timed round."""

    fields: Fields
    seconds: list[float] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(self.seconds) * 1000


#: The clocks a run can be timed with (``--clock``).
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def measure(pages: list[Page], readers: dict[str, Read], rounds: int,
            clock: Callable[[], float] = time.perf_counter) -> dict[str, dict[str, Run]]:
    """``{page key: {extractor: Run}}``, timed with ``clock``."""
    runs = read_once(pages, readers)
    time_rounds(runs, pages, readers, rounds, clock)
    return runs


def read_once(pages: list[Page], readers: dict[str, Read]) -> dict[str, dict[str, Run]]:
    """``{page key: {extractor: Run}}`` of one untimed read each: the warm-up, whose fields are scored."""
    return {page.key: {name: Run(_safely(read, page)) for name, read in readers.items()} for page in pages}


def time_rounds(runs: dict[str, dict[str, Run]], pages: list[Page], readers: dict[str, Read], rounds: int,
                clock: Callable[[], float] = time.perf_counter) -> None:
    """Add ``rounds`` timed reads of every page by every reader to ``runs``."""
    for _ in range(rounds):
        gc.collect()
        for page in pages:
            for name, read in readers.items():
                begin = clock()
                _safely(read, page)
                runs[page.key][name].seconds.append(clock() - begin)
    return runs


def _safely(read: Read, page: Page) -> Fields:
    try:
        return read(page.body, page.url)
    except Exception as error:  # noqa: BLE001 - an extractor's crash is its page's failure
        return {"error": f"{type(error).__name__}: {error}"}


def summary(runs: dict[str, dict[str, Run]]) -> dict[str, dict[str, float]]:
    """Per extractor: median and mean ms a page; the median over pages of its time over
    the floor's on the same page; its mean over the floor's mean."""
    names = next(iter(runs.values())).keys() if runs else ()
    floor_mean = statistics.mean(page[FLOOR].ms for page in runs.values()) if runs else 0.0
    result: dict[str, dict[str, float]] = {}
    for name in names:
        times = [page[name].ms for page in runs.values()]
        result[name] = {
            "median_ms": round(statistics.median(times), 3),
            "mean_ms": round(statistics.mean(times), 3),
            "median_ratio_to_lxml": round(statistics.median(page[name].ms / page[FLOOR].ms for page in runs.values()), 2),
            "mean_ratio_to_lxml": round(statistics.mean(times) / floor_mean, 2),
        }
    return result


def timing_table(totals: dict[str, dict[str, float]]) -> str:
    lines = [f"{'extractor':<12} {'median ms':>10} {'mean ms':>9} {'median ×lxml':>13} {'mean ×lxml':>11}"]
    for name, row in totals.items():
        lines.append(f"{name:<12} {row['median_ms']:>10.2f} {row['mean_ms']:>9.2f}"
                     f" {row['median_ratio_to_lxml']:>12.1f}x {row['mean_ratio_to_lxml']:>10.1f}x")
    return "\n".join(lines)


def per_page_ms(runs: dict[str, dict[str, Run]]) -> dict[str, dict[str, Any]]:
    return {key: {name: round(run.ms, 3) for name, run in page.items()} for key, page in runs.items()}
