"""Does near-duplicate detection stay as cheap at 100k stored articles as at 1k?

Adds deterministic synthetic articles (random common Simplified characters in sentences and
paragraphs, ~1500 characters, fixed seed) to one :class:`NearDuplicateIndex` on a real state
file, and at each size reports the mean cost of the last ``--window`` adds, its ratio to the
first size, peak RSS and the state file's size. One article in 100 is an edited repost of
an earlier one and must be found ("reposts found"). ``make bench`` runs 1k, 10k and 100k
(a few minutes); ``python -m benchmarks.dedupe --sizes 1000,10000`` is a quick run.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from scrapy.settings import Settings

from govnews.state import open_state
from govnews.state.sqlite import FILENAME
from pipelines.dedupe import NearDuplicateIndex

#: GB2312 level 1: the 3755 most common Simplified characters.
CHARACTERS = [
    bytes([row, cell]).decode("gb2312")
    for row in range(0xB0, 0xD8)
    for cell in range(0xA1, 0xFF)
    if (row, cell) < (0xD7, 0xFA)
]
REPOST_EVERY = 100


def article(rng: random.Random, length: int = 1500) -> str:
    """Sentences of 8–30 characters, five or so to a paragraph."""
    paragraphs, size = [], 0
    while size < length:
        sentences = ["".join(rng.choices(CHARACTERS, k=rng.randint(8, 30))) for _ in range(rng.randint(3, 7))]
        paragraph = ",".join(sentences) + "。"
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "\n\n".join(paragraphs)


def repost(rng: random.Random, text: str) -> str:
    """An edited copy: a new intro line, one paragraph cut, a few characters changed."""
    paragraphs = text.split("\n\n")
    del paragraphs[rng.randrange(len(paragraphs))]
    body = list("\n\n".join(paragraphs))
    for _ in range(5):
        body[rng.randrange(len(body))] = rng.choice(CHARACTERS)
    return "转载自某某日报客户端\n\n" + "".join(body)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def state_mb(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.glob(FILENAME + "*")) / 2**20


def run(sizes: list[int], window: int, directory: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = open_state(Settings({"STATE_DIR": str(directory)}))
    index = NearDuplicateIndex(store)
    recent: list[str] = []  # a few earlier articles to repost
    reposts = found = 0
    baseline = None
    print(f"NearDuplicateIndex.add, ~1500-character synthetic articles, state in {directory}")
    print(f"{'stored':>8} {'µs/add':>8} {'vs first':>9} {'peak RSS MB':>12} {'state MB':>9} {'reposts found':>14}")
    spent, started = 0.0, time.perf_counter()
    for n in range(1, max(sizes) + 1):
        if n % REPOST_EVERY == 0:
            text, reposts = repost(rng, rng.choice(recent)), reposts + 1
        else:
            text = article(rng)
            recent = (recent + [text])[-50:]
        begin = time.perf_counter()
        match = index.add(f"https://bench.example/{n}.html", text)
        elapsed = time.perf_counter() - begin
        found += match is not None
        if any(size - window < n <= size for size in sizes):
            spent += elapsed
        if n in sizes:
            per_add = spent / window * 1e6
            baseline = baseline or per_add
            print(f"{n:>8} {per_add:>8.0f} {per_add / baseline:>8.2f}x {peak_rss_mb():>12.0f}"
                  f" {state_mb(directory):>9.1f} {found:>7}/{reposts:<6}", flush=True)
            spent = 0.0
    store.close()
    print(f"total {time.perf_counter() - started:.0f} s (article generation included)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated store sizes to report at")
    parser.add_argument("--window", type=int, default=1000, help="adds averaged at each size")
    parser.add_argument("--seed", type=int, default=20221124)
    parser.add_argument("--state-dir", type=Path, help="keep the state file here (default: a temporary folder)")


def main(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    if sizes[0] < args.window:
        parser.error(f"every size must be at least --window ({args.window})")
    if args.state_dir:
        run(sizes, args.window, args.state_dir, args.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="govnews-bench-") as folder:
            run(sizes, args.window, Path(folder), args.seed)


if __name__ == "__main__":
    cli = argparse.ArgumentParser(prog="python -m benchmarks.dedupe", description=__doc__.split("\n\n")[0])
    add_arguments(cli)
    main(cli.parse_args(), cli)
