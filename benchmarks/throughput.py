"""Throughput of whole crawls (``make bench``): pages a second, CPU seconds and peak memory of
a no-op Scrapy spider (the framework's floor), the full project in one process, and 1, 2 and
4 distributed workers on a real ``redis-server``, all replaying one generated archive.

The archive (:func:`build_archive`) is one DedeCMS-style portal, ``bench``, on whrx's
template and selectors: list pages of 25 links each and ``--articles`` article pages under
distinct URLs, each a different text (sentences drawn at random from the saved articles of
``tests/fixtures``, so no two are near duplicates and the dedupe stage does its full work).
Each run starts from an empty state (and an empty Redis, which holds the workers' state).
CPU seconds and peak RSS come from the kernel's accounting of each crawl process
(``os.wait4``). Redis memory is the growth of ``used_memory`` over the crawl, given per
100,000 articles: the crawl's keys (queue, fingerprints, flags) and its state (articles,
hashes, the near-duplicate index, runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from portals.loader import PORTALS_DIR

ROOT = Path(__file__).resolve().parent.parent
SCRAPY = [sys.executable, "-m", "scrapy.cmdline"]
HOST = "http://www.whrx.net"
COLUMN = "/a/bench/"
PER_LIST = 25
NOOP_SPIDER = Path(__file__).with_name("noop_spider.py")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=2000, help="article pages in the throughput archive")
    parser.add_argument("--workers", default="1,2,4", help="distributed runs: workers in each")
    parser.add_argument("--skip-throughput", action="store_true")


def sentences() -> list[str]:
    """Every sentence of the saved articles' expected bodies, but those of articles flagged
    ``mojibake``: lzbs_mirror's garbled lines (``?!皠e看…``) made a title the validate stage
    drops (``mojibake_title``), 12 of 2,000 generated articles lost as failed pages."""
    found: list[str] = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("*/expected/*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if "mojibake" in (expected.get("flags") or []):
            continue
        body = expected.get("body") or ""
        found += [s.strip() + "。" for s in body.replace("\n", "").split("。") if len(s.strip()) > 8]
    return found


def article_url(number: int) -> str:
    return f"{HOST}{COLUMN}2020/0422/{100000 + number}.html"


def list_url(page: int) -> str:
    return f"{HOST}{COLUMN}" if page == 1 else f"{HOST}{COLUMN}list_9_{page}.html"


def build_archive(folder: Path, articles: int) -> tuple[Path, Path]:
    """(portals folder, replay root) of the ``bench`` portal with ``articles`` article pages."""
    portals, archive = folder / "portals", folder / "archive" / "bench"
    (archive / "pages").mkdir(parents=True)
    portals.mkdir()
    toml = (PORTALS_DIR / "whrx.toml").read_text(encoding="utf-8")
    (portals / "bench.toml").write_text(toml.replace('name = "whrx"', 'name = "bench"')
                                        .replace('encoding = "gbk"', 'encoding = "utf-8"'), encoding="utf-8")
    (portals / "bench.txt").write_text(list_url(1) + "\n", encoding="utf-8")
    pool, rng = sentences(), random.Random(12)
    pages = -(-articles // PER_LIST)
    responses = []

    def save(url: str, name: str, html: str) -> None:
        (archive / "pages" / name).write_text(html, encoding="utf-8")
        responses.append({"url": url, "file": f"pages/{name}", "status": 200,
                          "headers": {"Content-Type": "text/html; charset=utf-8"}})

    for page in range(1, pages + 1):
        numbers = range((page - 1) * PER_LIST, min(page * PER_LIST, articles))
        links = "".join(f'<li><a class="title" href="{article_url(n)}">基准文章{n}</a></li>' for n in numbers)
        pager = f"<span class='pageinfo'>共 <strong>{pages}</strong>页<strong>{articles}</strong>条</span>"
        if page < pages:
            pager += f"<a href='list_9_{page + 1}.html'>下一页</a>"
        save(list_url(page), f"list_{page}.html", f"<html><head><title>湖北新闻</title></head><body>"
             f"<div class='listbox'><ul class='e2'>{links}</ul></div><div class='dede_pages'>{pager}</div>"
             "</body></html>")
    for n in range(articles):
        body = "".join(f"<p>{s}</p>" for s in [f"第{n}号基准稿。", *rng.sample(pool, 12)])
        title = f"基准文章{n}：{rng.choice(pool)[:18]}"
        save(article_url(n), f"article_{n}.html",
             f"<html><head><title>{title}</title></head><body><div class='place'><span class='crumb'>"
             f"当前位置：主页 > 湖北新闻</span></div><div class='article'><h1>{title}</h1><div class='info'>"
             f"来源：武汉热线 发布时间：2020-04-22 10:{n % 60:02d}</div><div class='content'>{body}</div>"
             "</div></body></html>")
    (archive / "manifest.json").write_text(json.dumps({"portal": "bench", "responses": responses}), encoding="utf-8")
    return portals, archive.parent


@dataclass
class Measured:
    name: str
    seconds: float
    pages: int
    articles: int
    cpu: float
    peak_rss_mb: float
    redis_mb_per_100k: float | None = None

    def row(self) -> str:
        redis = f"{self.redis_mb_per_100k:.1f}" if self.redis_mb_per_100k is not None else "-"
        return (f"{self.name:<24} {self.pages:>6} {self.articles:>8} {self.seconds:>7.1f} {self.pages / self.seconds:>8.1f}"
                f" {self.cpu:>7.1f} {self.peak_rss_mb:>9.0f} {redis:>12}")


HEADER = (f"{'run':<24} {'pages':>6} {'articles':>8} {'wall s':>7} {'pages/s':>8} {'CPU s':>7} {'peak RSS MB':>9}"
          f" {'Redis MB/100k':>12}")


def run_all(commands: list[tuple[list[str], Path]], env: dict[str, str]) -> tuple[float, float, float]:
    """Start every command at once; (wall s, CPU s of all, the largest peak RSS in MB)."""
    began = time.monotonic()
    processes = [subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for command, cwd in commands]
    cpu, peak = 0.0, 0.0
    for process in processes:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 3):
            raise RuntimeError(f"{commands[processes.index(process)][0]} exited {process.returncode}")
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
    return time.monotonic() - began, cpu, peak


def crawl_command(folder: Path, portals: Path, archive: Path, name: str, *extra: str) -> list[str]:
    return [*SCRAPY, "crawlall", "-a", "portals=bench", "-O", f"{folder / name}.jsonl:jsonlines",
            "-s", f"STATS_FILE={folder / name}.stats.json", "-s", f"STATE_DIR={folder / 'state'}",
            "-s", f"PORTALS_DIR={portals}", "-s", f"REPLAY={archive}", "-s", "LOG_LEVEL=WARNING",
            "-s", "SPIDERMON_ENABLED=False", *extra]


def counted(folder: Path, names: list[str]) -> tuple[int, int]:
    """(pages fetched, articles emitted) of the crawls ``names`` together."""
    pages = sum(json.loads((folder / f"{n}.stats.json").read_text())["bench"].get("downloader/response_count", 0)
                for n in names)
    articles = sum(len((folder / f"{n}.jsonl").read_text(encoding="utf-8").splitlines()) for n in names)
    return pages, articles


def main(args: argparse.Namespace) -> None:
    if args.skip_throughput:
        return
    from tests.redisserver import REDIS_SERVER, RedisServer

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="govnews-bench-") as tmp:
        base = Path(tmp)
        portals, archive = build_archive(base, args.articles)
        results = []
        floor = base / "floor"
        floor.mkdir()
        seconds, cpu, peak = run_all([([*SCRAPY, "runspider", str(NOOP_SPIDER), "-s", f"REPLAY={archive}",
                                        "-s", f"BENCH_START={list_url(1)}", "-s", "LOG_LEVEL=WARNING",
                                        "-o", f"{floor / 'pages.jsonl'}:jsonlines"], floor)], env)
        pages = len((floor / "pages.jsonl").read_text().splitlines())
        results.append(Measured("no-op spider (floor)", seconds, pages, 0, cpu, peak))
        one = base / "one"
        one.mkdir()
        seconds, cpu, peak = run_all([(crawl_command(one, portals, archive, "one"), ROOT)], env)
        results.append(Measured("project, one process", seconds, *counted(one, ["one"]), cpu, peak))
        if shutil.which("redis-server") or Path(REDIS_SERVER).exists():
            for count in map(int, args.workers.split(",")):
                folder = base / f"workers{count}"
                folder.mkdir()
                redis = RedisServer(folder / "redis").start()
                try:
                    before = redis.client().info("memory")["used_memory"]
                    names = [f"w{n}" for n in range(count)]
                    seconds, cpu, peak = run_all([(crawl_command(folder, portals, archive, name, "-s",
                                                                 f"REDIS_URL={redis.url}"), ROOT) for name in names], env)
                    grown = redis.client().info("memory")["used_memory"] - before
                finally:
                    redis.stop()
                pages, articles = counted(folder, names)
                results.append(Measured(f"{count} worker(s) on Redis", seconds, pages, articles, cpu, peak,
                                        grown / 2**20 / max(articles, 1) * 100_000))
        else:
            print("throughput: no redis-server; the distributed runs are left out")
    print(f"throughput over {args.articles} article pages ({-(-args.articles // PER_LIST)} list pages), one run each")
    print(HEADER)
    for measured in results:
        print(measured.row())
    full, floor_run = results[1], results[0]
    print(f"project / floor, pages/s: {full.pages / full.seconds / (floor_run.pages / floor_run.seconds):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    main(parser.parse_args())
