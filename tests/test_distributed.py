"""Distributed mode with a real ``redis-server``: workers as ``scrapy crawlall`` subprocesses
over the replay archives, sharing one Redis, which holds their crawl state too.

Each worker's download delay (0.5 s a request and site, held across the workers by the
shared slots) makes a crawl last several seconds, so a worker started a moment after the
first still finds work, and a kill or a Redis stop triggered by the crawl's progress (the
``done`` fingerprints in Redis) lands while requests are leased.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from portals import available_portals
from govnews.distributed.link import RedisLink
from govnews.distributed.politeness import SiteClock
from tests.crawling import ROOT, SCRAPY
from tests.redisserver import RedisServer
from tests.test_crawl import article_urls
from tests.test_dedupe_concurrency import EDITED, copy_portal

PORTALS = available_portals()
#: Every article of every portal's archive, once.
EVERY_ARTICLE = Counter(url for portal in PORTALS for url in article_urls(portal))
DELAY = "0.5"


@dataclass
class Worker:
    """One ``scrapy crawlall`` worker process and the files it writes."""

    name: str
    process: subprocess.Popen[bytes]
    folder: Path

    def wait(self, timeout: float = 180) -> int:
        return self.process.wait(timeout=timeout)

    def items(self) -> list[dict]:
        """The feed's items (a worker killed mid-write may leave half a last line: not an item)."""
        lines = (self.folder / f"{self.name}.jsonl").read_text(encoding="utf-8").splitlines()
        items = []
        for number, line in enumerate(lines):
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError:
                assert number == len(lines) - 1, f"{self.name}: line {number + 1} is not JSON"
        return items

    def stats(self) -> dict[str, dict]:
        return json.loads((self.folder / f"{self.name}.stats.json").read_text(encoding="utf-8"))

    def log(self) -> str:
        return (self.folder / f"{self.name}.log").read_text(encoding="utf-8", errors="replace")


def start_worker(folder: Path, redis: RedisServer, name: str, *args: str, replay: str = "tests/fixtures") -> Worker:
    command = [*SCRAPY, "crawlall", "-O", f"{folder / name}.jsonl:jsonlines",
               "-s", f"STATS_FILE={folder / name}.stats.json", "-s", f"STATE_DIR={folder / 'state'}",
               "-s", f"REPLAY={replay}", "-s", f"REDIS_URL={redis.url}", "-s", "LOG_LEVEL=INFO",
               "-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "DOWNLOAD_DELAY_JITTER=0",
               "-s", "LEASE_SECONDS=3", "-s", "LEASES_PER_WORKER=2", *args]
    log = (folder / f"{name}.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    return Worker(name, process, folder)


def done_pages(redis: RedisServer) -> int:
    """Pages handled so far in the crawl, all portals together (0 while Redis is away)."""
    try:
        client = redis.client()
        return sum(client.scard(key) for key in client.scan_iter("govnews:crawl:*:done"))
    except Exception:
        return 0


def when_done(redis: RedisServer, pages: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while done_pages(redis) < pages:
        assert time.monotonic() < deadline, f"the crawl never handled {pages} pages"
        time.sleep(0.02)


def emitted(workers: list[Worker]) -> Counter:
    return Counter(item["url"] for worker in workers for item in worker.items())


def finish(workers: list[Worker], code: int = 0) -> None:
    for worker in workers:
        assert worker.wait() == code, worker.log()[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("count", [2, 3])
def test_workers_share_a_crawl_every_article_once_and_each_did_part(tmp_path, redis_server, count):
    workers = [start_worker(tmp_path, redis_server, f"w{n}") for n in range(count)]
    finish(workers)
    assert emitted(workers) == EVERY_ARTICLE
    for worker in workers:
        pages = sum(s.get("downloader/response_count", 0) for s in worker.stats().values())
        assert pages > 0, f"{worker.name} fetched nothing"
        assert "complete (nothing queued, no lease held)" in worker.log()
    client = redis_server.client()
    for portal in PORTALS:  # every fingerprint queued was handled, no lease is left
        keys = f"govnews:crawl:{portal}:"
        assert client.smembers(keys + "seen") == client.smembers(keys + "done")
        assert client.llen(keys + "queue") == 0 and client.exists(keys + "complete")
        assert not list(client.scan_iter(keys + "leases:*"))


@pytest.mark.slow
def test_a_worker_killed_midway_and_started_again_loses_nothing_and_repeats_at_most_its_last_items(
        tmp_path, redis_server):
    """Every article once, but for the project's one window (govnews.feeds, "written before
    recorded"): an item the killed worker had put on disk and not yet recorded in the state
    (the kill landed in the feed's fsync or just after) comes out again from the worker that
    takes its lease over. Such an item is one of the last the killed worker wrote, one at
    most per portal it had in flight; measured, 1 kill in 5 to 10 lands there on a loaded
    machine (the fsync is the long part of the window)."""
    first = start_worker(tmp_path, redis_server, "first")
    when_done(redis_server, 12)
    first.process.send_signal(signal.SIGKILL)
    first.wait()
    at_kill = done_pages(redis_server)
    again = start_worker(tmp_path, redis_server, "again")
    finish([again])
    assert at_kill < done_pages(redis_server), "the kill came after the crawl"
    counts = emitted([first, again])
    assert set(counts) == set(EVERY_ARTICLE)  # nothing lost
    repeated = {url for url, count in counts.items() if count > 1}
    last_written = {item["url"] for item in first.items()[-len(PORTALS):]}
    assert repeated <= last_written and max(counts.values()) <= 2, repeated
    assert sum(s.get("distributed/reclaimed", 0) for s in again.stats().values()) > 0, "no lease was held"
    assert "back in the queue" in again.log()


@pytest.mark.slow
def test_a_worker_stopped_midway_hands_its_leases_back_and_another_finishes(tmp_path, redis_server):
    first = start_worker(tmp_path, redis_server, "first")
    when_done(redis_server, 12)
    first.process.send_signal(signal.SIGTERM)
    assert first.wait(timeout=60) in (0, 3), first.log()[-3000:]  # 3: pages cut short failed
    assert "lease(s) handed back to the queue" in first.log()
    again = start_worker(tmp_path, redis_server, "again")
    finish([again])
    assert emitted([first, again]) == EVERY_ARTICLE


@pytest.mark.slow
def test_redis_stopped_and_started_again_midway_loses_nothing_and_repeats_nothing(tmp_path, redis_server):
    workers = [start_worker(tmp_path, redis_server, f"w{n}") for n in range(2)]
    when_done(redis_server, 12)
    redis_server.stop()
    time.sleep(2)
    redis_server.start()
    finish(workers)
    assert emitted(workers) == EVERY_ARTICLE
    for worker in workers:
        log = worker.log()
        assert log.count("unreachable") == 1 and log.count("answers again") == 1, log[-3000:]


@pytest.mark.slow
def test_a_redis_that_never_returns_stops_the_workers_with_exit_code_1(tmp_path, redis_server):
    worker = start_worker(tmp_path, redis_server, "w", "-s", "REDIS_OUTAGE_SECONDS=2")
    when_done(redis_server, 8)
    redis_server.stop()
    assert worker.wait(timeout=60) == 1
    log = worker.log()
    assert "unreachable for" in log and "REDIS_OUTAGE_SECONDS=2" in log and "(redis_failed)" in log


@pytest.mark.slow
def test_a_worker_started_after_the_crawl_completed_does_nothing_and_says_so(tmp_path, redis_server):
    finish([start_worker(tmp_path, redis_server, "first", "-s", "DOWNLOAD_DELAY=0")])
    late = start_worker(tmp_path, redis_server, "late")
    finish([late])
    assert late.items() == []
    assert late.log().count("is already complete; nothing to do") == len(PORTALS)
    for portal in PORTALS:
        assert f"{portal}: pages=0 articles=0" in late.log()


@pytest.mark.slow
def test_a_copy_site_and_its_original_on_two_workers_are_one_article_each(tmp_path, redis_server):
    portals, archive = copy_portal(tmp_path)
    workers = [start_worker(tmp_path, redis_server, portal, "-a", f"portals={portal}", "-s", f"PORTALS_DIR={portals}",
                            replay=str(archive)) for portal in ("whrx", "whrx_copy")]
    finish(workers)
    paths = Counter(item["url"].split("/", 3)[3] for item in (*workers[0].items(), *workers[1].items()))
    assert paths == Counter(url.split("/", 3)[3] for url in article_urls("whrx"))
    stats = [worker.stats()[worker.name] for worker in workers]
    assert sum(s.get("dedupe/exact", 0) for s in stats) == len(article_urls("whrx")) - len(EDITED)
    assert sum(s.get("dedupe/near", 0) for s in stats) == len(EDITED)


def test_a_site_s_moments_are_one_delay_apart_across_workers(redis_server):
    """Two workers (two clients) reserving one site alternately get moments 0.2 s apart;
    another site is not held up by them."""
    clocks = [SiteClock(RedisLink(redis_server.client(), 5)) for _ in range(2)]
    began = time.monotonic()
    waits = [clocks[n % 2].reserve("www.whrx.net", 0.2) + (time.monotonic() - began) for n in range(6)]
    for n, wait in enumerate(waits):  # each moment as seen from the start
        assert wait == pytest.approx(0.2 * n, abs=0.05)
    assert clocks[0].reserve("www.gjdbw.com", 0.2) == 0
    time.sleep(1.3)  # past every reserved moment: the site is free again
    assert clocks[1].reserve("www.whrx.net", 0.2) == 0


def thin_whrx_archive(folder: Path) -> Path:
    """A replay root whose whrx list shows one article where the real one shows fifteen: a
    portal that genuinely declined (its pages still all answer)."""
    archive = folder / "thin_archive"
    shutil.copytree(ROOT / "tests" / "fixtures" / "whrx", archive / "whrx", ignore=shutil.ignore_patterns("expected"))
    index = archive / "whrx" / "pages" / "hubeixinwen_index.html"
    html = index.read_bytes().decode("gbk")
    others = r"<a [^>]*href=['\"][^'\"]*/hubeixinwen/2020/\d{4}/(?!32590\.)\d+\.html['\"][^>]*>.*?</a>"
    html, removed = re.subn(others, "", html, flags=re.S)
    assert removed == 19  # 14 titles, 4 preview images, 1 热点新闻 link
    index.write_bytes(html.encode("gbk"))
    return archive


def whole_runs(redis: RedisServer, portal: str) -> list[dict]:
    runs = [json.loads(row) for row in redis.client().hvals("govnews:runs")]
    return sorted((run for run in runs if run["portal"] == portal and not run["share"]), key=lambda run: run["id"])


@pytest.mark.slow
def test_health_judges_the_crawl_not_the_worker_and_a_declined_portal_still_exits_4(tmp_path, redis_server):
    """With a baseline from the one run before (HEALTH_BASELINE_*), every worker of a healthy
    crawl exits 0 although one of them listed none of a portal's articles (each portal has one
    start page: one worker gets it); one whole run per portal and crawl is kept, with the
    crawl's totals. A crawl whose whrx list shows one of its fifteen articles exits 4 at the
    worker that judges it, alone."""
    health = ("-s", "HEALTH_BASELINE_MIN_RUNS=1", "-s", "HEALTH_BASELINE_SKIP=0")
    for crawl, count in (("one", 2), ("two", 2), ("three", 3)):
        (tmp_path / crawl).mkdir()
        workers = [start_worker(tmp_path / crawl, redis_server, f"w{n}", "-s", f"DISTRIBUTED_CRAWL={crawl}", *health)
                   for n in range(count)]
        finish(workers)
        listed = [sum(stats.get("listed/articles", 0) for stats in worker.stats().values()) for worker in workers]
        assert 0 in listed or crawl == "one" or min(listed) < max(listed), listed  # shares, not whole runs
    for portal in PORTALS:
        runs = whole_runs(redis_server, portal)
        assert len(runs) == 3 and [run["health"] for run in runs] == ["", "", ""], runs
        assert len({run["listed"] for run in runs}) == 1 and runs[0]["listed"] > 0
        assert runs[-1]["baseline"] == runs[0]["listed"]
    assert subprocess.run([*SCRAPY, "health", "-s", f"REDIS_URL={redis_server.url}"], cwd=ROOT,
                          capture_output=True).returncode == 0

    archive = thin_whrx_archive(tmp_path)
    (tmp_path / "thin").mkdir()
    workers = [start_worker(tmp_path / "thin", redis_server, f"w{n}", "-s", "DISTRIBUTED_CRAWL=thin", "-a",
                            "portals=whrx", *health, replay=str(archive)) for n in range(2)]
    codes = sorted(worker.wait(timeout=180) for worker in workers)
    assert codes == [0, 4], [worker.log()[-3000:] for worker in workers]
    judge = next(worker for worker in workers if worker.process.returncode == 4)
    assert "whrx: health check items/items failed: 1 articles listed, baseline 15" in judge.log()
    assert whole_runs(redis_server, "whrx")[-1]["listed"] == 1
    assert subprocess.run([*SCRAPY, "health", "-s", f"REDIS_URL={redis_server.url}"], cwd=ROOT,
                          capture_output=True).returncode == 4
