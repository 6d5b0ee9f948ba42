"""Run real crawls in a subprocess (one Twisted reactor per process) and read what they wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
             timeout: float = 240) -> CrawlResult:
    """``scrapy crawlall`` with its output, stats and state inside ``workdir``."""
    out, stats = workdir / "articles.jsonl", workdir / "stats.json"
    command = [*SCRAPY, "crawlall", "-O", f"{out}:jsonlines", "-s", f"STATS_FILE={stats}",
               "-s", f"STATE_DIR={workdir / 'state'}", "-s", "LOG_LEVEL=INFO", *args]
    if replay:
        command += ["-s", f"REPLAY={replay}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    items = [json.loads(line) for line in text.splitlines()]
    return CrawlResult(items, text, json.loads(stats.read_text(encoding="utf-8")), done.stdout + done.stderr)
