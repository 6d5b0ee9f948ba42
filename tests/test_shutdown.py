"""SIGTERM stops a crawl within seconds, also while a site takes its time to answer: a real
crawler subprocess against a slow HTTP server on 127.0.0.1."""

import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.crawling import ROOT, SCRAPY
from tests.site import ROBOTS_ALLOW_ALL, Site, article_html, page, write_portal

HOST = "http://www.slow.gov.cn"
LIST = f"{HOST}/news/list_1.html"
ARTICLES = [f"{HOST}/news/{n}.html" for n in range(1, 6)]


def slow_article(url, handler):
    time.sleep(40)  # past the stop, well inside DOWNLOAD_TIMEOUT (30 s) plus retries
    return 200, {}, article_html("很慢的文章").encode()


@pytest.mark.slow
@pytest.mark.parametrize("delay", ["0", "1.0"])  # all five on the wire; or one on the wire, four queued behind the delay
def test_sigterm_stops_a_crawl_of_a_slow_site_within_seconds(tmp_path, delay):
    links = "".join(f"<a href='{url}'>{n}</a>" for n, url in enumerate(ARTICLES))
    site = Site(routes={f"{HOST}/robots.txt": ROBOTS_ALLOW_ALL, LIST: page(links)}, fallback=slow_article)
    portals = write_portal(tmp_path / "portals", "slow", "www.slow.gov.cn", r"/news/list_\d+\.html$",
                           r"/news/\d+\.html$", [LIST])
    command = [*SCRAPY, "crawlall", "-a", "portals=slow", "-s", f"PORTALS_DIR={portals}", "-s", f"STATE_DIR={tmp_path / 'state'}",
               "-O", f"{tmp_path / 'a.jsonl'}:jsonlines", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"DOWNLOAD_DELAY={delay}",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
    with site:
        crawl = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **site.env},
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while not any(hit.url in ARTICLES for hit in site.hits) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        stopped = time.monotonic()
        crawl.send_signal(signal.SIGTERM)
        output, _ = crawl.communicate(timeout=60)
        took = time.monotonic() - stopped
    assert took < 8, output[-2000:]
    stats = json.loads((tmp_path / "state" / "stats.json").read_text(encoding="utf-8"))["slow"]
    assert stats["finish_reason"] == "shutdown" and stats["shutdown/aborted"] == len(ARTICLES)
    assert stats["failed/CrawlStopped"] == len(ARTICLES)
    with sqlite3.connect(tmp_path / "state" / "crawl.sqlite3") as db:
        failed = sorted(url for (url,) in db.execute("SELECT url FROM failures"))
    assert failed == sorted(ARTICLES)  # fetched again next run
    assert "slow: stopping: 5 request(s) still open after 3 s failed; fetched again next run" in output
