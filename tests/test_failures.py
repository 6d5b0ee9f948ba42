"""Pages that fail are fetched again on the next run; nothing already crawled is lost.

Each test crawls a copy of the whrx archive (list page 1 and 2, seven articles) where one
article of list page 2 misbehaves, then repairs it (or not) and crawls again with the same
crawl state, as a scheduled crawl would.
"""

import contextlib
import json
import shutil
import sqlite3
import subprocess

import pytest

from tests.archives import FIXTURES
from tests.crawling import ROOT, SCRAPY, crawlall
from tests.states import failures_in
from tests.test_crawl import article_urls

BASE = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/"
ON_PAGE_TWO = BASE + "2020/0325/30815.html"
LIST_TWO = BASE + "list_12_2.html"


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive" / "whrx"
    shutil.copytree(FIXTURES / "whrx", folder)
    return folder


def answer(archive, url, **entry):
    """Make the archive answer ``url`` with ``entry`` (status, headers, file) instead."""
    path = archive / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    responses = [r for r in manifest["responses"] if r["url"] != url]
    manifest["responses"] = responses + [{"url": url, **entry}]
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def repair(archive):
    shutil.copy(FIXTURES / "whrx" / "manifest.json", archive / "manifest.json")


def crawl(tmp_path, archive, *args, returncode=0):
    """A replayed whrx crawl; ``returncode`` 3 where pages fail (govnews.exitcodes)."""
    return crawlall(tmp_path, "-a", "portals=whrx", *args, replay=str(archive), returncode=returncode)


def failures(tmp_path):
    with contextlib.closing(sqlite3.connect(tmp_path / "state" / "crawl.sqlite3")) as db:
        return db.execute("SELECT url, reason, attempts FROM failures").fetchall()


def test_an_article_that_failed_past_list_page_one_is_fetched_again_next_run(tmp_path, archive):
    answer(archive, ON_PAGE_TWO, status=500, headers={"Content-Type": "text/html"})
    first = crawl(tmp_path, archive, returncode=3)
    assert sorted(i["url"] for i in first.items) == sorted(set(article_urls("whrx")) - {ON_PAGE_TWO})
    assert first.stats["whrx"]["failed/http_500"] == 1 and first.stats["whrx"]["retry/count"] == 3
    assert "whrx: pages=" in first.output and "failed=1" in first.output
    assert failures(tmp_path) == [(ON_PAGE_TWO, "http_500", 1)]

    repair(archive)
    second = crawl(tmp_path, archive)
    assert [i["url"] for i in second.items] == [ON_PAGE_TWO]  # and nothing emitted twice
    stats = second.stats["whrx"]
    # robots.txt, list page 1 (all known, but the last crawl was not complete), list page 2, the article
    assert stats["downloader/request_count"] == 4 and "incremental/stopped" not in stats
    assert failures(tmp_path) == []

    third = crawl(tmp_path, archive)  # complete again: back to list page 1 only
    assert third.items == [] and third.stats["whrx"]["incremental/stopped"] == 1
    assert third.stats["whrx"]["downloader/request_count"] == 2


def test_with_redis_url_the_whole_state_is_in_redis_from_run_to_run(tmp_path, archive, redis_server):
    """Dedupe, the incremental stop, failures and the health checks' baseline read and
    write the Redis state; the folder holds no state file. Each scheduled run is a crawl of
    its own name (its queue), on the one state."""
    settings = {"REDIS_URL": redis_server.url}

    def on_redis(run):
        return "-s", f"REDIS_URL={redis_server.url}", "-s", f"DISTRIBUTED_CRAWL=run{run}"

    answer(archive, ON_PAGE_TWO, status=500, headers={"Content-Type": "text/html"})
    first = crawl(tmp_path, archive, *on_redis(1), returncode=3)
    assert sorted(i["url"] for i in first.items) == sorted(set(article_urls("whrx")) - {ON_PAGE_TWO})
    assert failures_in(settings) == [(ON_PAGE_TWO, "http_500", 1)]
    repair(archive)
    second = crawl(tmp_path, archive, *on_redis(2))
    assert [i["url"] for i in second.items] == [ON_PAGE_TWO] and failures_in(settings) == []
    third = crawl(tmp_path, archive, *on_redis(3), "-s", "HEALTH_BASELINE_MIN_RUNS=2", "-s", "HEALTH_BASELINE_SKIP=0")
    assert third.items == [] and third.stats["whrx"]["incremental/stopped"] == 1
    assert third.stats["whrx"]["health/baseline"] == 15  # list page 1's links in runs 1 and 2
    assert not (tmp_path / "state" / "crawl.sqlite3").exists()
    health = subprocess.run([*SCRAPY, "health", *on_redis(3)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert health.returncode == 0, health.stderr
    assert [line.split()[0] for line in health.stdout.splitlines()] == ["portal", "whrx", "whrx", "whrx"]


def test_a_list_page_that_failed_is_fetched_again_with_its_articles(tmp_path, archive):
    answer(archive, LIST_TWO, status=503, headers={"Content-Type": "text/html"})
    first = crawl(tmp_path, archive, returncode=3)
    assert len(first.items) == 15 and first.stats["whrx"]["failed/http_503"] == 1
    repair(archive)
    second = crawl(tmp_path, archive)
    assert len(second.items) == 2 and failures(tmp_path) == []
    assert len(first.items) + len(second.items) == len(article_urls("whrx"))


def test_an_article_page_without_an_article_is_a_failure_too(tmp_path, archive):
    """An anti-bot or error page served with 200 is dropped, and fetched again next run."""
    (archive / "pages" / "challenge.html").write_text(
        "<html><head><script>window.location.href='/?t=1'</script></head><body></body></html>")
    answer(archive, ON_PAGE_TWO, status=200, file="pages/challenge.html",
           headers={"Content-Type": "text/html; charset=utf-8"})
    first = crawl(tmp_path, archive, returncode=3)
    assert len(first.items) == 16 and first.stats["whrx"]["validate/no_title"] == 1
    assert first.stats["whrx"]["failed/invalid:no_title,no_body"] == 1 and "failed=1" in first.output
    assert f"whrx: article {ON_PAGE_TWO} failed (invalid:no_title,no_body); kept to fetch again" in first.output
    assert failures(tmp_path) == [(ON_PAGE_TWO, "invalid:no_title,no_body", 1)]
    repair(archive)
    assert [i["url"] for i in crawl(tmp_path, archive).items] == [ON_PAGE_TWO]


@pytest.mark.slow
def test_a_page_that_keeps_failing_is_tried_after_1_2_4_runs_and_comes_when_it_answers(tmp_path, archive):
    """Past the old give-up limit (three runs) a page is still tried, at growing intervals."""
    answer(archive, ON_PAGE_TWO, status=404, headers={"Content-Type": "text/html"})
    runs = [crawl(tmp_path, archive, returncode=code) for code in (3, 3, 0, 3)]
    tried = [run.stats["whrx"].get("failed/http_404", 0) for run in runs]
    assert tried == [1, 1, 0, 1] and len(runs[0].items) == 16 and not any(run.items for run in runs[1:])
    assert runs[2].stats["whrx"]["downloader/request_count"] == 2  # robots.txt, list page 1: cheap
    assert runs[2].stats["whrx"]["incremental/stopped"] == 1
    assert "failed 3 times (http_404); tried again in 4 runs" in runs[3].output
    assert failures(tmp_path) == [(ON_PAGE_TWO, "http_404", 3)]
    repair(archive)
    later = [crawl(tmp_path, archive) for _ in range(4)]  # due again in the fourth
    assert [[i["url"] for i in run.items] for run in later] == [[], [], [], [ON_PAGE_TWO]]
    assert failures(tmp_path) == []


def test_a_redirect_loop_is_a_failed_page_not_a_silent_loss(tmp_path, archive):
    answer(archive, ON_PAGE_TWO, status=302, headers={"Location": ON_PAGE_TWO + "?r=1"})
    answer(archive, ON_PAGE_TWO + "?r=1", status=302, headers={"Location": ON_PAGE_TWO})
    first = crawl(tmp_path, archive, returncode=3)
    assert len(first.items) == 16 and first.stats["whrx"]["failed/redirect_loop"] == 1
    assert "redirects in a loop" in first.output and "failed=1" in first.output
    assert failures(tmp_path) == [(ON_PAGE_TWO, "redirect_loop", 1)]


def test_log_counts_are_left_out_of_per_portal_stats_when_portals_share_a_process(tmp_path):
    shared = crawlall(tmp_path / "two", "-a", "portals=whrx,gjdb")
    alone = crawlall(tmp_path / "one", "-a", "portals=whrx")
    assert not any(key.startswith("log_count/") for key in shared.stats["whrx"])
    assert alone.stats["whrx"]["log_count/INFO"] > 0


def test_a_failed_page_no_longer_linked_waits_longer_each_run_it_is_not_reached(tmp_path, archive):
    answer(archive, ON_PAGE_TWO, status=500, headers={"Content-Type": "text/html"})
    crawl(tmp_path, archive, returncode=3)
    # The site drops the article from its lists: list page 2 no longer links it.
    page = archive / "pages" / "hubeixinwen_list_12_2.html"
    page.write_bytes(page.read_bytes().replace(b'href="/a/guoneixinwen/hubeixinwen/2020/0325/30815.html"', b""))
    second = crawl(tmp_path, archive)  # due: the lists are paged to their end looking for it
    assert "incremental/stopped" not in second.stats["whrx"]
    assert failures(tmp_path) == [(ON_PAGE_TWO, "http_500", 2)]  # not reached: counted, never forgotten
    third = crawl(tmp_path, archive)  # not due for two runs: list page 1 only
    assert third.stats["whrx"]["incremental/stopped"] == 1


def test_a_redirect_to_a_page_fetched_through_another_link_is_no_failure(tmp_path, archive):
    other = BASE + "2020/0403/31102.html"
    answer(archive, ON_PAGE_TWO, status=301, headers={"Location": other})
    first = crawl(tmp_path, archive)
    assert "failed/redirect_loop" not in first.stats["whrx"] and failures(tmp_path) == []
