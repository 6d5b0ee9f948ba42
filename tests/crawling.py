"""Run real crawls in a subprocess (one Twisted reactor per process) and read what they wrote."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRAPY = [sys.executable, "-m", "scrapy.cmdline"]


@dataclass
class CrawlResult:
    items: list[dict]
    text: str
    stats: dict[str, dict]
    output: str


def crawlall(workdir: Path, *args: str, env: dict | None = None, replay: str | None = "tests/fixtures",
             timeout: float = 240, returncode: int = 0) -> CrawlResult:
    """``scrapy crawlall`` with its output, stats and state inside ``workdir``; it must exit
    with ``returncode``."""
    out, stats = workdir / "articles.jsonl", workdir / "stats.json"
    command = [*SCRAPY, "crawlall", "-O", f"{out}:jsonlines", "-s", f"STATS_FILE={stats}",
               "-s", f"STATE_DIR={workdir / 'state'}", "-s", "LOG_LEVEL=INFO", *args]
    if replay:
        command += ["-s", f"REPLAY={replay}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    assert done.returncode == returncode, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    items = [json.loads(line) for line in text.splitlines()]
    return CrawlResult(items, text, json.loads(stats.read_text(encoding="utf-8")), done.stdout + done.stderr)


def recorded_urls(state_dir: Path) -> list[str]:
    """Article URLs the crawl state holds, read as a user would, with sqlite3.

    Read-only: polled while the crawl starts, a plain connect would create the missing
    file empty, and the crawl rightly refuses an empty state file."""
    db = state_dir / "crawl.sqlite3"
    try:
        with contextlib.closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as connection:
            return [url for (url,) in connection.execute("SELECT url FROM articles")]
    except sqlite3.Error:  # not created yet
        return []


def proxy_env(proxy) -> dict[str, str]:
    """The environment of a crawl that fetches through the loopback ``proxy``."""
    return {**os.environ, "http_proxy": proxy.url, "no_proxy": "", "NO_PROXY": ""}


def kill_once_recorded(command: list[str], env: dict[str, str], state_dir: Path, at_least: int = 2) -> None:
    """Start ``command`` and SIGKILL it as soon as its state holds ``at_least`` articles
    (or after 60 s), so the kill lands between items of a running crawl."""
    crawl = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(recorded_urls(state_dir)) < at_least:
        time.sleep(0.01)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
