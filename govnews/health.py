"""Health checks of every run, on Spidermon: loud when a portal quietly breaks.

Run when each spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS = [HealthSuite]``), per portal:

- **items**: the distinct article links the run's first list pages gave (page 1 of each
  start page, ``listed/articles``, known
  articles too, so an incremental run that finds nothing new is not a decline) against a
  baseline of the portal's own earlier runs in the state's ``crawls`` table: the median of
  the finished runs N-1-``HEALTH_BASELINE_SKIP`` … back ``HEALTH_BASELINE_RUNS`` runs (N-2 …
  N-11 by default). Lagged and a median, so that neither the last odd run nor a slow decline
  moves it along with the site. Fewer than ``HEALTH_BASELINE_MIN_RUNS`` such runs: no verdict
  (skipped). Fails below ``HEALTH_MIN_ITEMS_RATIO`` of the baseline.
- **coverage** of title, published_at, body and source: the share of the run's items that
  have the field (Spidermon's field coverage), at least ``HEALTH_MIN_COVERAGE[field]`` or what
  the portal file's ``[health]`` table sets. No items: no verdict.
- **block rate**: block pages (``blocked/count``) per page downloaded, at most
  ``HEALTH_MAX_BLOCK_RATE``.
- **finish reason**: ``finished``, or ``shutdown`` (an operator's stop, fetched on next run).

A failed check sets ``health/failed`` (the number of failed checks; the crawl exits with code 4,
govnews.exitcodes), ``health/checks`` (their reasons, for the state and
``scrapy health``) and logs one WARNING line per check naming the portal and the check.
WARNING, not Spidermon's ERROR report: an ERROR line means an error in the crawler (exit 1).
The run's figures and verdict are kept in the ``crawls`` table by govnews.incremental.

In distributed mode the checks judge the crawl, not the worker (govnews.distributed.tally):
the worker that judges runs them over the crawl's totals and its row is the portal's whole
run; every other worker's row is its share, checked on its finish reason alone.
"""

from __future__ import annotations

import logging
import statistics
import warnings
from typing import Any

from scrapy.exceptions import ScrapyDeprecationWarning

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.runners import SpiderMonitorResult, SpiderMonitorRunner
from spidermon.core.actions import Action

from govnews.distributed import shared_crawl
from govnews.state import open_state
from portals.loader import COVERAGE_FIELDS

logger = logging.getLogger(__name__)
# Spidermon 1.24 reads the stats the way Scrapy 2.19 deprecates; a warning per crawl, no use.
warnings.filterwarnings("ignore", message="Passing a 'spider' argument to StatsCollector.get_stats",
                        category=ScrapyDeprecationWarning, module="spidermon")

#: Finish reasons of a run that went as it should (SIGTERM is an operator's stop).
GOOD_FINISH_REASONS = ("finished", "shutdown")
#: Spidermon's field coverage stat of an Article field.
COVERAGE_STAT = "spidermon_field_coverage/Article/{}"


def judged_stats(crawler: Any) -> dict[str, Any] | None:
    """The stats the checks judge: the run's own; in distributed mode the crawl's totals at
    the worker that judges the crawl, and None at the others (a share, not a whole run)."""
    own = crawler.stats.get_stats()
    crawl = shared_crawl(crawler)
    return own if crawl is None else crawl.judged_stats(own)


def run_figures(crawler: Any) -> dict[str, Any]:
    """The figures of a run the ``crawls`` table keeps (govnews.state.RUN_FIGURES): the
    whole run's, or a distributed worker's share, named by its worker."""
    judged = judged_stats(crawler)
    crawl = shared_crawl(crawler)
    stats = crawler.stats.get_stats() if judged is None else judged
    items = stats.get("item_scraped_count", 0)
    return {
        "finish_reason": stats.get("finish_reason"),
        "items": items,
        "pages": stats.get("downloader/response_count", 0),
        "listed": stats.get("listed/articles", 0),
        "failed": stats.get("failed/count", 0),
        "blocked": stats.get("blocked/count", 0),
        **{f"coverage_{name}": (stats.get(COVERAGE_STAT.format(name), 0.0) if items else None)
           for name in COVERAGE_FIELDS},
        "baseline": stats.get("health/baseline"),
        "health": stats.get("health/checks", ""),
        "share": None if crawl is None else crawl.share,
    }


class HealthMonitor(Monitor):
    """Shared by the checks: the portal, the settings, and a failure that says why."""

    @property
    def portal(self) -> Any:
        return self.data.spider.portal

    @property
    def settings(self) -> Any:
        return self.data.crawler.settings

    def check(self, ok: bool, reason: str) -> None:
        if not ok:
            self.fail(reason)


@monitors.name("items")
class ItemsMonitor(HealthMonitor):
    @monitors.name("items")
    def test_items(self) -> None:
        """Articles the lists gave against the portal's own lagged baseline."""
        settings = self.settings
        store = open_state(settings)
        try:
            runs = store.closed_runs(self.portal.name, settings.getint("HEALTH_BASELINE_RUNS"),
                                     settings.getint("HEALTH_BASELINE_SKIP"), reason="finished", whole=True)
        finally:
            store.close()
        needed = settings.getint("HEALTH_BASELINE_MIN_RUNS")
        if len(runs) < needed:
            self.skipTest(f"no baseline yet ({len(runs)} of {needed} runs)")
        baseline = statistics.median(run["listed"] for run in runs)
        self.data.crawler.stats.set_value("health/baseline", baseline)
        listed = self.data.stats.get("listed/articles", 0)
        ratio = settings.getfloat("HEALTH_MIN_ITEMS_RATIO")
        self.check(listed >= ratio * baseline,
                   f"{listed} articles listed, baseline {baseline:g} (median of runs "
                   f"{runs[-1]['id']}..{runs[0]['id']}); less than {ratio:.0%} of it")


@monitors.name("coverage")
class CoverageMonitor(HealthMonitor):
    def covered(self, name: str) -> None:
        items = self.data.stats.get("item_scraped_count", 0)
        if not items:
            self.skipTest("no items")
        least = {**self.settings.getdict("HEALTH_MIN_COVERAGE"), **self.portal.min_coverage}.get(name, 0.0)
        share = self.data.stats.get(COVERAGE_STAT.format(name), 0.0)
        self.check(share >= least, f"{name} in {round(share * items)} of {items} items ({share:.0%});"
                                   f" at least {least:.0%} wanted")

    @monitors.name("title")
    def test_title(self) -> None:
        self.covered("title")

    @monitors.name("published_at")
    def test_published_at(self) -> None:
        self.covered("published_at")

    @monitors.name("body")
    def test_body(self) -> None:
        self.covered("body")

    @monitors.name("source")
    def test_source(self) -> None:
        self.covered("source")


@monitors.name("blocked")
class BlockRateMonitor(HealthMonitor):
    @monitors.name("rate")
    def test_block_rate(self) -> None:
        """Block pages per page downloaded."""
        pages = self.data.stats.get("downloader/response_count", 0)
        blocked = self.data.stats.get("blocked/count", 0)
        most = self.settings.getfloat("HEALTH_MAX_BLOCK_RATE")
        self.check(not pages or blocked / pages <= most,
                   f"{blocked} of {pages} pages were block pages ({blocked / max(pages, 1):.0%}); at most {most:.0%}")


@monitors.name("finish")
class FinishReasonMonitor(HealthMonitor):
    @monitors.name("reason")
    def test_finish_reason(self) -> None:
        reason = self.data.stats.get("finish_reason")
        self.check(reason in GOOD_FINISH_REASONS, f"finish reason {reason}")


class CountFailedChecks(Action):
    """Every failed check: stat ``health/failed``, its reason in ``health/checks``, a log line."""

    def run_action(self) -> None:
        crawler = self.data.crawler
        portal = self.data.spider.portal.name
        reasons = []
        for result in self.result.monitors_failed_results:
            reason = getattr(result, "reason", None) or result.error.strip().splitlines()[-1]
            reasons.append(f"{result.item.name}: {reason}")
            logger.warning("%s: health check %s failed: %s", portal, result.item.name, reason)
        crawler.stats.set_value("health/failed", len(reasons))
        crawler.stats.set_value("health/checks", "; ".join(reasons))


class HealthSuite(MonitorSuite):
    monitors = [ItemsMonitor, CoverageMonitor, BlockRateMonitor, FinishReasonMonitor]
    monitors_failed_actions = [CountFailedChecks]


class ShareSuite(MonitorSuite):
    """A distributed worker's share of a crawl: judged on how its own run ended alone."""

    monitors = [FinishReasonMonitor]
    monitors_failed_actions = [CountFailedChecks]


class _QuietResult(SpiderMonitorResult):
    """Spidermon's report, at DEBUG: the failed checks are logged by CountFailedChecks."""

    def log(self, msg: str, level: int = logging.DEBUG) -> None:
        self.spider.logger.debug("[Spidermon] %s", msg)


class _QuietRunner(SpiderMonitorRunner):
    def create_result(self) -> SpiderMonitorResult:
        return _QuietResult(self.spider)


class HealthSpidermon(Spidermon):
    """Spidermon's extension, reporting through :class:`_QuietResult`: its own report logs
    each failed monitor as a multi-line ERROR block, which would read as a crawler error."""

    def _run_suites(self, spider: Any, suites: list[MonitorSuite]) -> None:
        """The suites over :func:`judged_stats`; at a distributed worker's share, ShareSuite in
        place of HealthSuite."""
        data = self._generate_data_for_spider(spider)
        judged = judged_stats(self.crawler)
        if judged is None:
            suites = [ShareSuite(crawler=self.crawler) if isinstance(suite, HealthSuite) else suite
                      for suite in suites]
        else:
            data["stats"] = judged
        for suite in suites:
            _QuietRunner(spider=spider).run(suite, **data)
