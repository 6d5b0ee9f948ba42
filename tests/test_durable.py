"""Written before recorded, over a real HTTP server on 127.0.0.1 and real full filesystems
(a small tmpfs): the crawl state never holds an article no feed holds, a feed or state that
cannot be written stops the crawl with one ERROR line naming the file, and a crawl with no
feed writes to the default one."""

import contextlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.crawling import ROOT, SCRAPY, recorded_urls
from tests.site import ROBOTS_ALLOW_ALL, Site, article_html, page, write_portal

HOST = "http://www.full.gov.cn"
LIST = f"{HOST}/news/list_1.html"
ARTICLES = [f"{HOST}/news/{n}.html" for n in range(1, 41)]


def full_site() -> Site:
    links = "".join(f"<li><a href='{url}'>{n}</a></li>" for n, url in enumerate(ARTICLES))
    return Site(routes={f"{HOST}/robots.txt": ROBOTS_ALLOW_ALL, LIST: page(f"<ul>{links}</ul>"),
                        **{url: page(article_html(f"磁盘测试{n}")) for n, url in enumerate(ARTICLES)}})


@contextlib.contextmanager
def tmpfs(folder: Path, size: str):
    """A real filesystem of ``size`` mounted at ``folder`` (we are root in the test box)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def run(tmp_path: Path, site: Site, *args: str) -> subprocess.CompletedProcess:
    """``scrapy <args>`` of the loopback portal ``full``, state and stats in ``tmp_path``."""
    portals = write_portal(tmp_path / "portals", "full", "www.full.gov.cn", r"/news/list_\d+\.html$",
                           r"/news/\d+\.html$", [LIST])
    command = [*SCRAPY, *args, "-s", f"PORTALS_DIR={portals}", "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", f"STATS_FILE={tmp_path / 'stats.json'}", "-s", "LOG_LEVEL=INFO",
               "-s", f"DEFAULT_FEED_DIR={tmp_path / 'output'}"]
    if not any(a.startswith("STATE_DIR=") for a in args):
        command += ["-s", f"STATE_DIR={tmp_path / 'state'}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env={**os.environ, **site.env})


def feed_urls(*paths: Path) -> list[str]:
    return [json.loads(line)["url"] for path in paths if path.exists()
            for line in path.read_text(encoding="utf-8").splitlines()]


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "] ERROR:" in line or " ERROR: " in line]


def test_a_feed_on_a_full_disk_stops_the_crawl_and_the_state_holds_only_what_it_holds(tmp_path):
    with full_site() as site, tmpfs(tmp_path / "disk", "24k") as disk:
        feed = disk / "articles.jsonl"
        done = run(tmp_path, site, "crawlall", "-a", "portals=full", "-o", f"{feed}:jsonlines")
        written = feed_urls(feed)
    recorded = recorded_urls(tmp_path / "state")
    assert done.returncode == 1, done.stderr[-3000:]
    assert 1 <= len(written) < len(ARTICLES)
    assert sorted(recorded) == sorted(written)  # exactly what the feed holds, nothing more
    errors = error_lines(done.stderr)
    assert len(errors) == 1 and f"feed {feed}: cannot write (No space left on device)" in errors[0], errors
    stats = json.loads((tmp_path / "stats.json").read_text())["full"]
    assert stats["halt/reason"] == "feed_failed" and stats["finish_reason"] == "feed_failed"


def test_scrapy_crawl_on_a_full_disk_ends_halted_with_nothing_recorded_unwritten(tmp_path):
    with full_site() as site, tmpfs(tmp_path / "disk", "24k") as disk:
        feeds = [disk / "a.jsonl", tmp_path / "b.jsonl"]  # two feeds: recorded once both hold it
        done = run(tmp_path, site, "crawl", "party_cms", "-a", "portal=full",
                   *(arg for feed in feeds for arg in ("-o", f"{feed}:jsonlines")))
        full, roomy = feed_urls(feeds[0]), feed_urls(feeds[1])
    recorded = recorded_urls(tmp_path / "state")
    assert 1 <= len(full) < len(ARTICLES) and set(full) <= set(roomy)
    assert sorted(recorded) == sorted(full)
    stats = json.loads((tmp_path / "stats.json").read_text())["full"]
    assert stats["halt/reason"] == "feed_failed" and stats["finish_reason"] == "feed_failed"
    assert len(error_lines(done.stderr)) == 1 and f"feed {feeds[0]}: cannot write" in done.stderr


@pytest.mark.parametrize("command", [["crawl", "party_cms", "-a", "portal=full"], ["crawlall", "-a", "portals=full"]])
def test_a_crawl_without_a_feed_writes_the_default_one_and_names_it(tmp_path, command):
    with full_site() as site:
        done = run(tmp_path, site, *command)
    assert done.returncode == 0, done.stderr[-3000:]
    (feed,) = (tmp_path / "output").iterdir()
    name = "full" if command[0] == "crawl" else "crawlall"
    assert feed.name.startswith(f"{name}-20") and feed.name.endswith("Z.jsonl") and len(feed.name) == len(name) + 23
    assert sorted(feed_urls(feed)) == sorted(ARTICLES) == sorted(recorded_urls(tmp_path / "state"))
    assert f"no -o/-O given: articles go to {feed}" in done.stderr
    assert f"no -o/-O given: articles were written to {feed}" in done.stderr



def test_a_crawl_whose_only_feed_is_stdout_records_nothing_and_says_so(tmp_path):
    with full_site() as site:
        piped = run(tmp_path, site, "crawl", "party_cms", "-a", "portal=full", "-o", "-:jsonlines")
        to_file = run(tmp_path, site, "crawl", "party_cms", "-a", "portal=full", "-o", f"{tmp_path / 'a.jsonl'}:jsonlines")
    assert piped.returncode == 0 and to_file.returncode == 0, piped.stderr[-3000:]
    assert sorted(json.loads(line)["url"] for line in piped.stdout.splitlines()) == sorted(ARTICLES)
    assert "no feed of this crawl is a local file written as items come (stdout:)" in piped.stderr
    # Nothing was recorded, so the next run emits every article again, into its file.
    assert sorted(feed_urls(tmp_path / "a.jsonl")) == sorted(ARTICLES) == sorted(recorded_urls(tmp_path / "state"))
    assert "no feed of this crawl" not in to_file.stderr

def test_a_state_on_a_full_disk_stops_the_crawl_and_the_next_run_loses_nothing(tmp_path):
    feeds = [tmp_path / "run1.jsonl", tmp_path / "run2.jsonl"]
    with full_site() as site, tmpfs(tmp_path / "disk", "2m") as disk:
        state = disk / "state"
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (2 * 1024 * 1024 - FREE_FOR_STATE))
        first = run(tmp_path, site, "crawlall", "-a", "portals=full", "-o", f"{feeds[0]}:jsonlines",
                    "-s", f"STATE_DIR={state}")
        halted_with = recorded_urls(state)
        filler.unlink()  # space freed
        second = run(tmp_path, site, "crawlall", "-a", "portals=full", "-o", f"{feeds[1]}:jsonlines",
                     "-s", f"STATE_DIR={state}")
        recorded = recorded_urls(state)
    assert first.returncode == 1 and second.returncode == 0, second.stderr[-3000:]
    assert 1 <= len(halted_with) < len(ARTICLES) and sorted(halted_with) == sorted(feed_urls(feeds[0]))
    errors = error_lines(first.stderr)
    assert len(errors) == 1 and f"crawl state {state / 'crawl.sqlite3'}: cannot write (database or disk is full)" \
        in errors[0], errors
    assert sorted(feed_urls(*feeds)) == sorted(ARTICLES) == sorted(recorded)  # each once across the runs


#: Free space left on the state's disk: room for the state file and some articles, not all.
FREE_FOR_STATE = 160 * 1024
