"""``make bench``: the time per page of the project, the lxml floor and GNE on a corpus
(:mod:`benchmarks.timing`), then the cost of near-duplicate detection as the state grows
(:mod:`benchmarks.dedupe`), then whole crawls' throughput, distributed ones too
(:mod:`benchmarks.throughput`). ``--skip-dedupe`` and ``--skip-throughput`` leave those out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks import dedupe, throughput
from benchmarks.corpus import load_corpus
from benchmarks.extractors import readers
from benchmarks.timing import CLOCKS, measure, summary, timing_table


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of saved pages (pages/*.html or *.html)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the corpus (after one warm-up)")
    parser.add_argument("--extractors", default="project,gne", help="compared with the lxml floor")
    parser.add_argument("--clock", choices=CLOCKS, default="wall", help="cpu: this process's CPU time (see benchmarks.timing)")
    parser.add_argument("--skip-dedupe", action="store_true")
    dedupe.add_arguments(parser)
    throughput.add_arguments(parser)
    args = parser.parse_args()
    pages = load_corpus(args.corpus)
    if not pages:
        parser.error(f"{args.corpus}: no pages")
    runs = measure(pages, readers(tuple(args.extractors.split(","))), args.rounds, CLOCKS[args.clock])
    print(f"{args.clock} time per page over {len(pages)} pages of {args.corpus}, median of {args.rounds} rounds,"
          " floor: lxml.html.fromstring of the same bytes")
    print(timing_table(summary(runs)), end="\n\n", flush=True)
    if not args.skip_dedupe:
        dedupe.main(args, parser)
    throughput.main(args)


if __name__ == "__main__":
    main()
