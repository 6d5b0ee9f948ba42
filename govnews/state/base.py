"""What the crawl stages may ask of the crawl state, whichever backend keeps it.

Two backends keep it: SQLite, one file under ``STATE_DIR`` for crawls on one machine
(govnews.state.sqlite), and Redis, for workers on many machines sharing one crawl
(govnews.state.redis). The stages (dedupe, the incremental stop, health, preflight) get a
store from :func:`govnews.state.open_state` and use only the methods below, so none of them
knows which backend it has; ``tests/test_state.py`` runs one set of tests against both.

Every backend keeps these promises, on which "nothing lost, nothing twice" rests:

- A write is kept once its method returns (SQLite: committed; Redis: acknowledged, and on
  disk as the server's AOF policy says) and every other process sees it from then on.
- :meth:`State.judge_and_claim` is atomic against every other process on the state: no
  other judgement or record falls between the reads of the judgement and its claim, so of
  two copies of an article judged at once in two processes, the later sees the earlier.
- :meth:`State.record` writes the article, its near-duplicate signature, the end of its
  failure and the release of its claim all together or not at all.
- A claim of a process that died (SIGKILL, a lost machine) stops counting by itself: it
  never blocks an article for good.

An abstract base class rather than a Protocol: both backends share how a process shares one
open store among its crawlers (:meth:`State.shared`), which a Protocol cannot hold.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, TypeVar

#: Per-run figures a closed crawl keeps (:meth:`State.close_crawl`), with their SQLite types.
RUN_FIGURES = (
    ("closed", "TEXT"), ("finish_reason", "TEXT"), ("items", "INTEGER"), ("pages", "INTEGER"),
    ("listed", "INTEGER"), ("failed", "INTEGER"), ("blocked", "INTEGER"),
    ("coverage_title", "REAL"), ("coverage_published_at", "REAL"), ("coverage_body", "REAL"),
    ("coverage_source", "REAL"), ("baseline", "REAL"), ("health", "TEXT"),
    # The distributed worker whose share of a crawl the row holds; None: a whole run.
    ("share", "TEXT"),
)

#: A near-duplicate signature as stored: the packed MinHash values and their LSH band buckets.
Signed = tuple[bytes, Sequence[int]]
#: A crawl's row: ``id``, ``portal``, ``started``, ``finished`` and the :data:`RUN_FIGURES`.
Run = dict[str, Any]

R = TypeVar("R")


class StateError(RuntimeError):
    """The state cannot be used; the message names it and says what to do."""


def utc_now() -> str:
    """ISO 8601 UTC with microseconds: sorts as text, parses with ``fromisoformat``."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Claim:
    """An article this process judged new and is sending to the feed: until recorded or
    released, other processes' judgements count it as if it were recorded."""

    url: str
    content_hash: str
    signature: bytes | None  # packed MinHash values; None: too short for near dedupe


class State(ABC):
    """One open crawl state; :meth:`close` it once per open."""

    #: Open stores by what they open (a file, a Redis URL and prefix): every crawler of a
    #: process shares one, so the crawlers of ``crawlall`` dedupe against each other.
    _open: ClassVar[dict[str, State]] = {}
    #: The exceptions a write that failed raises (disk full, read-only, Redis gone): a
    #: crawl stops on them (govnews.halt.state_writes).
    errors: ClassVar[tuple[type[Exception], ...]] = ()

    key: str
    users: int
    #: What messages name the state by (its file, its Redis URL and prefix).
    location: str

    @classmethod
    def shared(cls, key: str, make: Callable[[], State]) -> State:
        """The store open under ``key`` in this process, else a new one from ``make``."""
        store = State._open.get(key)
        if store is None:
            store = State._open[key] = make()
            store.key, store.users = key, 1
        else:
            store.users += 1
        return store

    def close(self) -> None:
        """Release one open; the last release closes the connection."""
        self.users -= 1
        if self.users == 0:
            self.disconnect()
            if State._open.get(self.key) is self:
                del State._open[self.key]

    @abstractmethod
    def disconnect(self) -> None:
        """Close the connection (the last :meth:`close`)."""

    # --- articles ------------------------------------------------------------------------

    @abstractmethod
    def first_seen(self, url: str) -> str | None:
        """When article ``url`` was first recorded (ISO 8601 UTC), or None."""

    @abstractmethod
    def content_hash_of(self, url: str) -> str | None:
        """The body hash recorded for article ``url``, or None when it was never recorded."""

    @abstractmethod
    def record(self, url: str, portal: str, content_hash: str, duplicate_of: str | None = None,
               complete: bool = True, signature: Signed | None = None) -> None:
        """Remember article ``url`` (met again, it keeps ``first_seen`` and updates the rest),
        index its near-duplicate ``signature`` when given, and release this process's claim
        of it: all at once. An article emitted without some of its pages (``complete``
        False) keeps its failure, so it is fetched again."""

    @abstractmethod
    def touch(self, url: str, complete: bool = True) -> None:
        """Note that article ``url`` was met again, unchanged (see :meth:`record`)."""

    @abstractmethod
    def find_hash(self, content_hash: str, exclude: str | None = None) -> str | None:
        """Canonical URL of the earliest article with this body hash, other than ``exclude``."""

    # --- claims: articles in flight in some process ----------------------------------------

    @abstractmethod
    def judge_and_claim(self, judge: Callable[[], tuple[R, Claim | None]]) -> R:
        """Run ``judge`` (which reads this store) and take the claim it returns, with no
        other process's judgement or record in between; return its result. Claims of dead
        processes are gone before it runs. ``judge`` may run more than once (a backend may
        retry it), so it must have no effects of its own."""

    @abstractmethod
    def release(self, urls: Iterable[str]) -> None:
        """Drop this process's claims of ``urls`` (never written)."""

    @abstractmethod
    def claimed_hash(self, content_hash: str, exclude: str) -> str | None:
        """URL of the earliest live claim of another process with this body hash, other
        than ``exclude``."""

    @abstractmethod
    def claimed_signatures(self, exclude: str) -> list[tuple[str, bytes]]:
        """(url, signature) of every live claim of another process, oldest first, other
        than ``exclude``. No LSH here: claims are only the items in flight."""

    # --- pages that failed -----------------------------------------------------------------

    @abstractmethod
    def record_failure(self, url: str, portal: str, reason: str) -> int:
        """Remember that page ``url`` failed once more; return how many times it has failed."""

    @abstractmethod
    def clear_failure(self, url: str) -> None:
        """Page ``url`` was read this time."""

    @abstractmethod
    def failures_of(self, portal: str) -> dict[str, bool]:
        """Every failed page of ``portal``, each with whether it is due this run: after
        failing ``n`` times a page waits 2**(n-1) runs of its portal (1, 2, 4, 8 …),
        counted from the crawls begun since; it is never forgotten."""

    @abstractmethod
    def miss_failures(self, urls: Iterable[str]) -> None:
        """Due pages a run did not reach (no longer linked) count as failed again, so
        they wait longer each time like pages that keep failing."""

    # --- crawls --------------------------------------------------------------------------

    @abstractmethod
    def begin_crawl(self, portal: str) -> int:
        """A new run of ``portal``, started now; its id."""

    @abstractmethod
    def finish_crawl(self, crawl_id: int) -> None:
        """The run ran to its end: articles seen before now need no older list pages."""

    @abstractmethod
    def close_crawl(self, crawl_id: int, figures: dict[str, object]) -> None:
        """Keep the figures of a run that closed (any reason), for later runs to compare
        against (govnews.health) and for ``scrapy health``: keys of :data:`RUN_FIGURES`."""

    @abstractmethod
    def closed_runs(self, portal: str, limit: int, offset: int = 0, reason: str | None = None,
                    whole: bool = False) -> list[Run]:
        """The runs of ``portal`` that closed (with finish ``reason`` when given; ``whole``:
        no worker's share of a distributed crawl), newest first, the ``offset`` newest left out."""

    @abstractmethod
    def last_runs(self, portal: str, limit: int) -> list[Run]:
        """The ``limit`` latest runs of ``portal``, closed or not, oldest first."""

    @abstractmethod
    def portals_run(self) -> list[str]:
        """Every portal with a run, by name."""

    @abstractmethod
    def last_finished(self, portal: str) -> str | None:
        """When the latest crawl of ``portal`` that ran to its end finished."""

    # --- near-duplicate index ------------------------------------------------------------

    @abstractmethod
    def put_signature(self, url: str, signature: bytes, buckets: Sequence[int]) -> None:
        """Store (or replace) the MinHash signature of ``url`` and its band ``buckets``."""

    @abstractmethod
    def band_matches(self, buckets: Sequence[int]) -> list[tuple[str, bytes]]:
        """(url, signature) of every stored signature sharing a band bucket, oldest first."""
