"""Health checks (govnews/health.py, on Spidermon) and ``scrapy health``, over real crawls of
a scripted loopback site into one real SQLite state: a portal that quietly breaks is loud."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest

from tests.crawling import ROOT, SCRAPY, CrawlResult, crawlall
from tests.site import ROBOTS_ALLOW_ALL, Site, article_html, write_portal
from tests.test_usage_errors import assert_one_line

HOST = "http://www.xinwen.gov.cn"
CAPTCHA = ("<html><head><title>安全验证</title></head><body><p>您的访问过于频繁，请完成下方验证后继续访问。</p>"
           "</body></html>")


class NewsSite(Site):
    """List page 1 links ``articles`` articles; those in ``undated`` have no date line;
    ``list_page`` replaces the list page when set (a block page)."""

    def __init__(self) -> None:
        self.articles = 10
        self.undated: set[int] = set()
        self.list_page: str | None = None
        super().__init__(fallback=self.answer)

    def answer(self, url: str, handler) -> tuple[int, dict, bytes]:
        if url.endswith("/robots.txt"):
            return ROBOTS_ALLOW_ALL(url, handler)
        if url.endswith("/news/list_1.html"):
            links = "".join(f"<li><a href='/news/{n}.html'>第{n}篇</a></li>" for n in range(1, self.articles + 1))
            return 200, {}, (self.list_page or f"<html><body><ul>{links}</ul></body></html>").encode()
        number = int(url.rsplit("/", 1)[1].split(".")[0])
        html = article_html(f"健康检查测试文章{number}")
        if number in self.undated:
            html = html.replace(" 时间：2024-05-13 08:49", "")
        return 200, {}, html.encode()


def crawl(tmp_path, site: NewsSite, extra: str = "", returncode: int = 0) -> CrawlResult:
    portals = write_portal(tmp_path / "portals", "xinwen", "www.xinwen.gov.cn", r"/news/list_\d+\.html$",
                           r"/news/\d+\.html$", [f"{HOST}/news/list_1.html"], extra=extra)
    return crawlall(tmp_path, "-a", "portals=xinwen", "-s", f"PORTALS_DIR={portals}",
                    "-s", "AUTOTHROTTLE_ENABLED=False", replay=None, env=site.env, timeout=120,
                    returncode=returncode)


def health(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SCRAPY, "health", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def warnings_of(result: CrawlResult) -> list[str]:
    return [line.split("WARNING: ", 1)[1] for line in result.output.splitlines() if "health check" in line]


@pytest.mark.slow
def test_a_portal_whose_lists_show_half_their_articles_fails_against_its_own_earlier_runs(tmp_path):
    with NewsSite() as site:
        runs = [crawl(tmp_path, site) for _ in range(4)]
        site.articles = 5  # the site now lists half its articles
        broken = crawl(tmp_path, site, returncode=4)  # govnews.exitcodes.HEALTH_FAILED
    assert [len(run.items) for run in runs] == [10, 0, 0, 0]  # incremental: nothing new after run 1
    for run in runs:  # runs 1-4: no baseline yet (fewer than 3 finished runs N-2 …), the rest fine
        assert "health/failed" not in run.stats["xinwen"] and warnings_of(run) == []
    stats = broken.stats["xinwen"]
    reason = "5 articles listed, baseline 10 (median of runs 1..3); less than 60% of it"
    assert stats["health/failed"] == 1 and stats["health/baseline"] == 10
    assert stats["health/checks"] == f"items/items: {reason}"
    assert warnings_of(broken) == [f"xinwen: health check items/items failed: {reason}"]

    with sqlite3.connect(tmp_path / "state" / "crawl.sqlite3") as db:
        figures = db.execute("SELECT id, finish_reason, items, pages, listed, failed, blocked, coverage_published_at,"
                             " baseline, health FROM crawls ORDER BY id").fetchall()
    assert figures == [(1, "finished", 10, 12, 10, 0, 0, 1.0, None, ""),
                       *[(n, "finished", 0, 2, 10, 0, 0, None, None, "") for n in (2, 3, 4)],
                       (5, "finished", 0, 2, 5, 0, 0, None, 10.0, f"items/items: {reason}")]

    report = health(str(tmp_path / "state"), "--runs", "3")
    assert report.returncode == 4, report.stderr
    lines = report.stdout.splitlines()
    assert lines[0].split() == ["portal", "started", "finished", "reason", "listed", "baseline", "items",
                                "coverage", "t/d/b/s", "%", "blocked", "verdict"]
    assert [line.split()[5:] for line in lines[1:]] == [  # after portal and the two times
        ["finished", "10", "-", "0", "-", "0/2", "ok"], ["finished", "10", "-", "0", "-", "0/2", "ok"],
        ["finished", "5", "10", "0", "-", "0/2", "FAIL:", "items/items:", *reason.split()]]


def test_a_portal_whose_pages_lack_dates_fails_the_coverage_its_portal_file_sets(tmp_path):
    with NewsSite() as site:
        site.undated = {4}  # 9 of 10 dated: enough for the default 80 %, not for this portal's 100 %
        result = crawl(tmp_path, site, extra="[health]\npublished_at = 1.0\n", returncode=4)
    stats = result.stats["xinwen"]
    reason = "published_at in 9 of 10 items (90%); at least 100% wanted"
    assert len(result.items) == 10 and stats["health/failed"] == 1
    assert stats["health/checks"] == f"coverage/published_at: {reason}"
    assert warnings_of(result) == [f"xinwen: health check coverage/published_at failed: {reason}"]
    report = health(str(tmp_path / "state"))
    assert report.returncode == 4
    assert report.stdout.splitlines()[1].split()[6:] == ["10", "-", "10", "100/90/100/100", "0/12", "FAIL:",
                                                         "coverage/published_at:", *reason.split()]


def test_a_run_whose_list_page_is_a_block_page_fails_the_block_rate(tmp_path):
    with NewsSite() as site:
        site.list_page = CAPTCHA
        result = crawl(tmp_path, site, returncode=4)  # a failed page too: health goes first
    stats = result.stats["xinwen"]
    reason = "1 of 2 pages were block pages (50%); at most 20%"
    assert result.items == [] and stats["blocked/count"] == 1 and stats["health/failed"] == 1
    assert warnings_of(result) == [f"xinwen: health check blocked/rate failed: {reason}"]


def test_a_healthy_run_reports_ok_and_exit_0(tmp_path):
    with NewsSite() as site:
        result = crawl(tmp_path, site)
    assert "health/failed" not in result.stats["xinwen"] and warnings_of(result) == []
    report = health(str(tmp_path / "state"))
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[1].split()[5:] == ["finished", "10", "-", "10", "100/100/100/100", "0/12", "ok"]


def test_a_killed_run_is_a_warning(tmp_path):
    with NewsSite() as site:
        crawl(tmp_path, site)
    with sqlite3.connect(tmp_path / "state" / "crawl.sqlite3") as db:  # as a SIGKILL leaves it
        db.execute("INSERT INTO crawls (portal, started) VALUES ('xinwen', '2026-12-02T10:00:00+00:00')")
    report = health(str(tmp_path / "state"))
    assert report.returncode == 4
    assert report.stdout.splitlines()[-1].split()[1:] == [
        "2026-12-02", "10:00:00", "-", "-", "-", "-", "-", "-", "-", "WARN:", "did", "not", "close", "(killed,",
        "or", "still", "running)"]


@pytest.mark.parametrize("state, message", [
    ("missing", "crawl state {dir}/crawl.sqlite3: no such file"),
    ("garbage", "crawl state {dir}/crawl.sqlite3: not a usable SQLite database (file is not a database);"
                " move it away (or set STATE_DIR) to start a fresh crawl state"),
])
def test_a_missing_or_bad_state_is_one_line_and_exit_2(tmp_path, state, message):
    if state == "garbage":
        (tmp_path / "crawl.sqlite3").write_bytes(b"not sqlite at all" * 100)
    assert_one_line(["health", str(tmp_path)], message.format(dir=tmp_path.resolve()))
