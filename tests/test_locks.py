"""One crawl of a portal at a time on one state (govnews.locks): real ``scrapy``
subprocesses over the replay archives, a real ``flock`` held by another real process."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.crawling import ROOT, SCRAPY

HOLD = ("import sys, time; from govnews.locks import PortalLock;"
        " lock = PortalLock(sys.argv[1], sys.argv[2]); lock.acquire(); print('held', flush=True); time.sleep(120)")


def crawl_command(tmp_path: Path, output: Path, *args: str) -> list[str]:
    return [*SCRAPY, *args, "-O", f"{output}:jsonlines", "-s", "REPLAY=tests/fixtures",
            "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", f"STATS_FILE={output}.stats.json",
            "-s", "LOG_LEVEL=INFO"]


def urls(output: Path) -> list[str]:
    return [json.loads(line)["url"] for line in output.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def whrx_urls(tmp_path_factory) -> list[str]:
    """What one crawl of whrx on a fresh state emits."""
    tmp_path = tmp_path_factory.mktemp("reference")
    output = tmp_path / "a.jsonl"
    done = subprocess.run(crawl_command(tmp_path, output, "crawl", "city_news", "-a", "portal=whrx"),
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    found = urls(output)
    assert len(found) == len(set(found)) > 3
    return found


@pytest.fixture
def holder(tmp_path):
    """Another process holding the whrx lock on ``tmp_path/state``; its pid."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "state"), "whrx"],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "held\n"
    yield process
    process.send_signal(signal.SIGKILL)
    process.wait()


LOCKED = re.compile(r"\[govnews.commands.preflight\] ERROR: portal whrx is being crawled by pid (\d+) since (\S+) \(lock (\S+)\)")


@pytest.mark.parametrize("command", [["crawl", "city_news", "-a", "portal=whrx"], ["crawlall", "-a", "portals=whrx"]])
def test_a_portal_crawled_elsewhere_exits_5_at_once_naming_the_holder(tmp_path, holder, command):
    output = tmp_path / "a.jsonl"
    done = subprocess.run(crawl_command(tmp_path, output, *command), cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 5, done.stderr[-3000:]
    [(pid, since, path)] = LOCKED.findall(done.stderr)
    assert int(pid) == holder.pid and since.startswith("20") and path == str(tmp_path / "state" / "locks" / "whrx.lock")
    assert "Traceback" not in done.stderr and "Spider opened" not in done.stderr
    assert not (tmp_path / "state" / "crawl.sqlite3").exists()  # the state was not touched


def test_crawlall_crawls_the_other_portals_and_exits_5(tmp_path, holder):
    output = tmp_path / "a.jsonl"
    done = subprocess.run(crawl_command(tmp_path, output, "crawlall", "-a", "portals=whrx,cqmjsw"),
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 5, done.stderr[-3000:]
    assert len(LOCKED.findall(done.stderr)) == 1
    emitted = urls(output)
    assert emitted and all("cqmjsw.gov.cn/" in url for url in emitted)
    assert "cqmjsw: pages=" in done.stdout and "whrx: pages=" not in done.stdout


def test_a_killed_holder_leaves_no_lock_behind(tmp_path, holder, whrx_urls):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    output = tmp_path / "a.jsonl"
    done = subprocess.run(crawl_command(tmp_path, output, "crawl", "city_news", "-a", "portal=whrx"),
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert urls(output) == whrx_urls


def test_a_portal_named_twice_is_crawled_once(tmp_path, whrx_urls):
    output = tmp_path / "a.jsonl"
    done = subprocess.run(crawl_command(tmp_path, output, "crawlall", "-a", "portals=whrx,whrx"),
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(urls(output)) == sorted(whrx_urls)
    assert done.stdout.count("whrx: pages=") == 1


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(10))
def test_two_crawls_of_one_portal_started_at_once_emit_every_article_once(tmp_path, whrx_urls, trial):
    outputs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    crawls = [subprocess.Popen(crawl_command(tmp_path, output, "crawl", "city_news", "-a", "portal=whrx"),
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
              for output in outputs]
    codes = []
    for crawl in crawls:
        stderr = crawl.communicate(timeout=180)[1]
        codes.append(crawl.returncode)
        assert crawl.returncode in (0, 5), stderr[-3000:]
        assert crawl.returncode == 0 or LOCKED.search(stderr), stderr[-3000:]
    emitted = Counter(url for output in outputs if output.exists() for url in urls(output))
    assert sorted(emitted) == sorted(whrx_urls) and set(emitted.values()) == {1}, (codes, emitted)
