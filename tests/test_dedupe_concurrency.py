"""Two portals crawled at once on one state (scrapyd: one job a portal): every article once.

The portals are whrx and ``whrx_copy``, a site on another host that reposts every whrx
article: fourteen of the seventeen word for word (exact duplicates), three with a line of
its own added (near duplicates). Each trial starts both ``scrapy crawl`` processes at the
same moment on a fresh state; the two feeds together must hold each article exactly once.
Without the claims (the check against other processes' in-flight articles), 4 of 10 trials
emitted some article twice (measured); the crawls do interleave.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipelines.dedupe import canonical_text, content_hash
from portals.loader import PORTALS_DIR, SEEDS_DIR
from tests.archives import FIXTURES
from tests.crawling import ROOT, SCRAPY
from tests.test_crawl import article_urls
from tests.test_dedupe import ORIGIN, SEEDS, article, run  # noqa: F401 (run: a fixture)

HOST, COPY_HOST = "www.whrx.net", "www.whrxcopy.net"
ORIGIN_FILE = FIXTURES / "lzbs_mirror" / "origin_simplified.txt"
#: Articles the copy changes a little (a near duplicate rather than an exact one).
EDITED = ("31102", "31420", "31867")
ADDED_LINE = "<p>　　本文转载自武汉热线，转载时补充了编者按：请读者以官方发布的最新通知为准。</p>"


def copy_portal(workdir: Path) -> tuple[Path, Path]:
    """(portals folder, replay root) holding whrx and its copy site ``whrx_copy``."""
    portals, archive = workdir / "portals", workdir / "archive"
    portals.mkdir()
    shutil.copy(PORTALS_DIR / "whrx.toml", portals)
    shutil.copy(SEEDS_DIR / "whrx.txt", portals)
    toml = (PORTALS_DIR / "whrx.toml").read_text(encoding="utf-8")
    (portals / "whrx_copy.toml").write_text(
        toml.replace('name = "whrx"', 'name = "whrx_copy"').replace(HOST, COPY_HOST), encoding="utf-8")
    (portals / "whrx_copy.txt").write_text((SEEDS_DIR / "whrx.txt").read_text().replace(HOST, COPY_HOST))
    shutil.copytree(FIXTURES / "whrx", archive / "whrx")
    copy = archive / "whrx_copy"
    shutil.copytree(FIXTURES / "whrx", copy, ignore=shutil.ignore_patterns("expected"))
    manifest = (copy / "manifest.json").read_text(encoding="utf-8")
    (copy / "manifest.json").write_text(manifest.replace(HOST, COPY_HOST).replace('"whrx"', '"whrx_copy"'),
                                        encoding="utf-8")
    for page in (copy / "pages").glob("*.html"):
        html = page.read_bytes().decode("gbk").replace(HOST, COPY_HOST)
        if page.stem.removeprefix("article_") in EDITED:
            html = re.sub(r'(<div class="content">.*?)(</div>)', rf"\1{ADDED_LINE}\2", html, count=1, flags=re.S)
        page.write_bytes(html.encode("gbk"))
    return portals, archive


def crawl(workdir: Path, portals: Path, archive: Path, portal: str, *args: str) -> subprocess.Popen:
    out = workdir / f"{portal}.jsonl"
    command = [*SCRAPY, "crawl", "city_news", "-a", f"portal={portal}", "-O", f"{out}:jsonlines",
               "-s", f"PORTALS_DIR={portals}", "-s", f"REPLAY={archive}", "-s", f"STATE_DIR={workdir / 'state'}",
               "-s", "LOG_LEVEL=INFO", "-s", f"STATS_FILE={workdir / portal}.stats.json", *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def article_id(url: str) -> str:
    """What a whrx article and its copy share: the path."""
    return urlsplit(url).path


@pytest.mark.slow
@pytest.mark.parametrize("backend, trial", [("sqlite", trial) for trial in range(10)]
                         + [("redis", trial) for trial in range(5)])
def test_two_portals_crawled_at_once_emit_every_shared_article_once(tmp_path, request, backend, trial):
    """On Redis the two processes stand for two workers: its judgement is optimistic (WATCH)."""
    portals, archive = copy_portal(tmp_path)
    on = ["-s", f"REDIS_URL={request.getfixturevalue('redis_server').url}"] if backend == "redis" else []
    crawls = [crawl(tmp_path, portals, archive, portal, *on) for portal in ("whrx", "whrx_copy")]
    for process in crawls:
        _, stderr = process.communicate(timeout=180)
        assert process.returncode == 0, stderr[-3000:]
    items = [json.loads(line) for portal in ("whrx", "whrx_copy")
             for line in (tmp_path / f"{portal}.jsonl").read_text(encoding="utf-8").splitlines()]
    emitted = Counter(article_id(item["url"]) for item in items)
    assert emitted == Counter(article_id(url) for url in article_urls("whrx"))  # once each, none lost
    stats = [json.loads((tmp_path / f"{portal}.stats.json").read_text(encoding="utf-8"))[portal]
             for portal in ("whrx", "whrx_copy")]
    assert sum(s.get("dedupe/exact", 0) for s in stats) == len(article_urls("whrx")) - len(EDITED)
    assert sum(s.get("dedupe/near", 0) for s in stats) == len(EDITED)


#: A crawl's dedupe stage in a process of its own: it judges (and so claims) one article,
#: then is SIGKILLed ("kill") or stays alive until its stdin closes.
CLAIMER = """
import json, os, signal, sys
from tests.test_dedupe import Run, article
Run(json.loads(sys.argv[1])).pipeline.process_item(article(sys.argv[2], open(sys.argv[3], encoding="utf-8").read()))
print("claimed", flush=True)
if sys.argv[4] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.read()
"""


def claimer(state_settings: dict[str, str], url: str, then: str) -> subprocess.Popen:
    """A process holding a claim of ``url`` (the ORIGIN text) in the state of ``state_settings``."""
    process = subprocess.Popen([sys.executable, "-c", CLAIMER, json.dumps(state_settings), url, str(ORIGIN_FILE), then],
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "claimed\n"
    return process


def test_a_live_claim_of_another_process_counts_as_the_article(state_settings, run):
    holder = claimer(state_settings, "https://lzbs.example/1.html", "wait")
    try:
        itself = article("https://lzbs.example/1.html", ORIGIN)  # under the claimed URL: no copy
        assert run().pipeline.process_item(itself) is itself
        crawl = run()
        exact = article("https://other.example/9.html", ORIGIN.replace(",", "，"))
        near = article("https://www.lzxwmirror.com/lzbs/1.html", SEEDS["lzbs_mirror"])
        assert crawl.feed(exact, near) == ["dropped", "dropped"]
        assert (crawl.stats("exact"), crawl.stats("near")) == (1, 1)
    finally:
        holder.communicate("")


def test_a_claim_of_a_killed_process_does_not_block_the_article(state_settings, run):
    """Under SQLite its pid is gone at once; under Redis its owner key's TTL ends it."""
    settings = {**state_settings, "REDIS_STATE_CLAIM_TTL": "0.5"}
    claimer(settings, "https://lzbs.example/1.html", "kill").wait()
    crawl = run(REDIS_STATE_CLAIM_TTL=0.5)
    store = crawl.pipeline.store
    assert store.claimed_hash(content_hash(canonical_text(ORIGIN)), exclude="x") == "https://lzbs.example/1.html"
    time.sleep(1 if "REDIS_URL" in settings else 0)
    assert crawl.feed(article("https://other.example/9.html", ORIGIN)) == ["emitted"]
    assert store.claimed_hash(content_hash(canonical_text(ORIGIN)), exclude="x") is None  # dropped
    assert store.find_hash(content_hash(canonical_text(ORIGIN))) == "https://other.example/9.html"
    assert store.first_seen("https://lzbs.example/1.html") is None
