"""Dedupe stage: every article once in the main feed, across portals, runs and mirrors.

Bodies are compared in canonical form (:func:`canonical_text`): normalized as the script
stage does (Simplified, width-folded, mirror pinyin stripped), then without whitespace and
punctuation, so layout never matters. *Exact* duplicates share the SHA-256 of that form;
*near* duplicates (a Traditional+pinyin mirror, a lightly edited repost) are found by
MinHash-LSH over its character 5-grams (:class:`NearDuplicateIndex`). Two articles on one
topic share phrases but few 5-grams: estimated Jaccard below 0.05 on the seeds, against
above 0.8 for a mirror (see tests/test_dedupe.py).

The first article seen is canonical. A later duplicate is dropped (stats ``dedupe/exact``,
``dedupe/near``; ``dedupe/unique`` counts the rest), or with ``KEEP_DUPLICATES = True``
emitted with ``duplicate_of`` set to the canonical URL. An article met again under its own
URL (``REFRESH_DAYS``, or any request that reaches it again) is dropped when its text is
unchanged (``dedupe/unchanged``) and emitted again when it changed (``dedupe/updated``: a
correction) or when it now has the attachments it was first emitted without (flag
``attachments_missing``, pipelines.files).

Order of writes, for crash safety ("nothing lost" beats "nothing duplicated"): the verdict
is made in ``process_item``, but the state is written only once the item is out: on
``govnews.signals.item_written``, sent once every feed has the item on disk
(govnews.feeds), or on ``item_dropped`` for a duplicate this stage dropped (no feed needed).
An item no feed wrote (a full disk, a feed that is not a local file) is never recorded, so
it is fetched again. A kill between write and record leaves an item exported but
unrecorded, so it is fetched again (a rare repeat), never recorded but lost. Until then the
verdict waits in ``pending``, so two copies in flight at once are still caught; for
crawls of other portals running at once in other processes, a new article's verdict is
also a *claim* in the state, taken atomically with the check against recorded articles and
other processes' claims (``State.judge_and_claim``), and released atomically with its
record (``State.record``; released alone when the item is not written). A state that
cannot be written (disk full, read-only, Redis gone) halts the crawl (govnews.halt,
``state_failed``).
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from govnews import signals as govnews_signals
from govnews.halt import state_writes
from govnews.items import Article
from govnews.state import Claim, Signed, State, open_state
from pipelines.files import ATTACHMENTS_MISSING
from pipelines.script import normalize_text

SHINGLE = 5
#: One-permutation MinHash: each shingle hash lands in one of BINS bins (low bits) and
#: competes there with its high 32 bits; a signature is the BINS minima.
BINS = 128
BANDS, ROWS = 32, 4  # LSH: candidate when one band of 4 values is equal (BANDS·ROWS = BINS)
#: Shorter canonical texts (a caption, a notice) get exact dedupe only.
MIN_CHARS = 50
#: Estimated Jaccard at and above which two bodies are near duplicates. Measured: seed 003
#: (mirror) vs its origin 0.97, the crawled mirror body vs origin 0.86, an edited repost
#: 0.70, the five seeds (one topic) pairwise ≤ 0.02. LSH finds a pair at 0.5 with p = 0.87,
#: at 0.7 with p > 0.999.
DEFAULT_THRESHOLD = 0.5

_NON_WORD = re.compile(r"[\W_]+")
_EMPTY = 1 << 32  # above every 32-bit value
_PACK = struct.Struct(f"<{BINS}I")
_BAND = struct.Struct(f"<{ROWS}I")

Signature = tuple[int, ...]


def canonical_text(text: str) -> str:
    """``text`` normalized (Simplified, width-folded, no pinyin), letters and digits only."""
    return _NON_WORD.sub("", normalize_text(text))


def content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash64(data: bytes) -> int:
    """A stable 64-bit hash (never Python's per-process randomized ``hash``)."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


@cache
def _probe(bin_: int, attempt: int) -> int:
    """The ``attempt``-th bin an empty ``bin_`` borrows from: one fixed order for all texts."""
    return _hash64(struct.pack("<HI", bin_, attempt)) % BINS


def minhash(canonical: str) -> Signature | None:
    """MinHash signature of a canonical text's 5-grams; None when shorter than MIN_CHARS.

    One-permutation hashing with optimal densification (Shrivastava 2017): an empty bin
    copies the bin its fixed probe sequence first finds filled, which keeps
    equal-bin fractions an unbiased estimate of Jaccard similarity for short texts too.
    """
    if len(canonical) < MIN_CHARS:
        return None
    data = canonical.encode("utf-32-le")  # 4 bytes a character: a shingle is a slice
    width = 4 * SHINGLE
    bins = [_EMPTY] * BINS
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    for shingle in {data[i : i + width] for i in range(0, len(data) - width + 1, 4)}:
        h = from_bytes(blake2b(shingle, digest_size=8).digest(), "little")
        slot, value = h % BINS, h >> 32
        if value < bins[slot]:
            bins[slot] = value
    signature = list(bins)
    for slot in range(BINS):
        attempt = 0
        while signature[slot] == _EMPTY:
            signature[slot] = bins[_probe(slot, attempt)]
            attempt += 1
    return tuple(signature)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return sum(x == y for x, y in zip(a, b)) / BINS


def band_buckets(signature: Signature) -> list[int]:
    """One signed 64-bit bucket per band (SQLite integers are signed)."""
    return [
        _hash64(_BAND.pack(*signature[band * ROWS : (band + 1) * ROWS])) - (1 << 63)
        for band in range(BANDS)
    ]


class NearDuplicateIndex:
    """MinHash-LSH index of canonical articles, persisted in the crawl state.

    A lookup reads the ``BANDS`` buckets of the signature through the table's primary key
    and verifies each candidate's signature, so its cost depends on how many stored texts
    resemble this one, not on how many are stored.
    """

    def __init__(self, store: State, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.threshold = threshold

    def add(self, key: str, text: str) -> str | None:
        """Key of an earlier near duplicate of ``text``; else store ``text`` under ``key``
        (replacing what ``key`` had) and return None. Short texts are neither matched nor
        stored."""
        signature = minhash(canonical_text(text))
        if signature is None:
            return None
        found = self.match(signature, exclude=key)
        if found is None:
            self.insert(key, signature)
        return found

    def query(self, text: str) -> str | None:
        """Key of a stored near duplicate of ``text``, without storing anything."""
        signature = minhash(canonical_text(text))
        return None if signature is None else self.match(signature)

    def match(self, signature: Signature, exclude: str | None = None) -> str | None:
        """The most similar stored key at or above the threshold (earliest on a tie)."""
        best, best_score = None, -1.0
        for key, packed in self.store.band_matches(band_buckets(signature)):
            score = similarity(signature, _PACK.unpack(packed))
            if key != exclude and score >= self.threshold and score > best_score:
                best, best_score = key, score
        return best

    def insert(self, key: str, signature: Signature) -> None:
        self.store.put_signature(key, *signed(signature))


def signed(signature: Signature) -> Signed:
    """A signature as the state keeps it: packed, with its band buckets."""
    return _PACK.pack(*signature), band_buckets(signature)


@dataclass(frozen=True)
class Verdict:
    """What ``process_item`` decided about one article, until it is recorded."""

    portal: str
    content_hash: str
    signature: Signature | None
    duplicate_of: str | None = None
    kind: str = "unique"  # unique | updated | unchanged | exact | near
    complete: bool = True  # False: emitted without some of its pages (flag pages_missing)


class DuplicateItem(DropItem):
    """A later copy of an article already in the feed (the message names the canonical URL)."""


class DedupePipeline:
    """Drops (or marks) duplicates; records each article in the state once it is out."""

    def __init__(self, crawler: Crawler, store: State) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self.index = NearDuplicateIndex(store, settings.getfloat("NEAR_DUPLICATE_THRESHOLD", DEFAULT_THRESHOLD))
        self.keep = settings.getbool("KEEP_DUPLICATES", False)
        self.pending: dict[str, Verdict] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        pipeline = cls(crawler, open_state(crawler.settings))
        crawler.signals.connect(pipeline.item_written, signal=govnews_signals.item_written)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: Article, spider: Any = None) -> Article:
        verdict = None
        # Check and claim at once: no other process in between.
        with state_writes(self.crawler, self.store):
            verdict = self.store.judge_and_claim(lambda: self.judge_claim(item))
        if verdict is None:
            raise DropItem(f"not judged, the crawl state failed: {item.url}")
        self.pending[item.url] = verdict
        self.stats.inc_value(f"dedupe/{verdict.kind}")
        if verdict.kind == "unchanged":
            raise DuplicateItem(f"already emitted, unchanged: {item.url}", log_level="INFO")
        if verdict.duplicate_of is None:
            return item
        if self.keep:
            item.duplicate_of = verdict.duplicate_of
            return item
        raise DuplicateItem(f"{verdict.kind} duplicate of {verdict.duplicate_of}: {item.url}", log_level="INFO")

    def judge_claim(self, item: Article) -> tuple[Verdict, Claim | None]:
        """The verdict on ``item`` and, when it goes to the feed as a new text, its claim."""
        complete = not {"pages_missing", ATTACHMENTS_MISSING} & set(item.flags)
        verdict = replace(self.judge(item.url, item.portal, item.body or ""), complete=complete)
        if verdict.kind == "unchanged" and complete and self.completes(item):
            verdict = replace(verdict, kind="updated")  # its signature is indexed already
        if verdict.duplicate_of is not None or verdict.kind == "unchanged":
            return verdict, None
        packed = None if verdict.signature is None else _PACK.pack(*verdict.signature)
        return verdict, Claim(item.url, verdict.content_hash, packed)

    def completes(self, item: Article) -> bool:
        """True when ``item`` brings the attachments an earlier emission of it lacked: its
        text is unchanged, but it is emitted again (pipelines.files) since that one
        failed and the failure is still open."""
        return any(a.get("path") for a in item.attachments) and item.url in self.store.failures_of(item.portal)

    def judge(self, url: str, portal: str, body: str) -> Verdict:
        """The article itself met again (unchanged, or updated), else exact, then near
        duplicates; against the state first (older), then items in flight."""
        canonical = canonical_text(body)
        digest = content_hash(canonical)
        signature = minhash(canonical)
        in_flight = self.pending.get(url)
        recorded = in_flight.content_hash if in_flight else self.store.content_hash_of(url)
        if recorded == digest:
            return Verdict(portal, digest, None, kind="unchanged")
        exact = self.store.find_hash(digest, exclude=url) or self.store.claimed_hash(digest, url) or next(
            (v.duplicate_of or other for other, v in self.pending.items()
             if other != url and v.content_hash == digest), None)
        if exact:
            return Verdict(portal, digest, None, exact, "exact")
        if signature is not None:
            claimed = ((other, _PACK.unpack(packed)) for other, packed in self.store.claimed_signatures(url))
            pending = ((other, v.signature) for other, v in self.pending.items() if other != url and v.signature)
            near = self.index.match(signature, exclude=url) or next(
                (other for other, theirs in (*claimed, *pending)
                 if similarity(signature, theirs) >= self.index.threshold), None)
            if near:
                return Verdict(portal, digest, None, near, "near")
        return Verdict(portal, digest, signature, kind="updated" if recorded else "unique")

    def item_written(self, item: Any, spider: Spider) -> None:
        """The item is on disk in every feed: now it is seen (and, if canonical, indexed)."""
        verdict = self.pending.pop(getattr(item, "url", None), None)
        if verdict is not None:
            self._record(item.url, verdict)

    def item_dropped(self, item: Any, spider: Spider, exception: BaseException) -> None:
        """A duplicate dropped here is seen too, so the next run does not fetch it again.
        An item a later stage dropped was never emitted and stays unseen."""
        verdict = self.pending.pop(getattr(item, "url", None), None)
        if verdict is not None and verdict.kind == "unchanged":
            self._write(lambda: self.store.touch(item.url, verdict.complete))
        elif verdict is not None and isinstance(exception, DuplicateItem):
            self._record(item.url, verdict)
        elif verdict is not None:
            self._write(lambda: self.store.release([item.url]))

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        """A later stage failed on the item: it is not emitted, so its claim goes."""
        if self.pending.pop(getattr(item, "url", None), None) is not None:
            self._write(lambda: self.store.release([item.url]))

    def _record(self, url: str, verdict: Verdict) -> None:
        self._write(lambda: self.store.record(
            url, verdict.portal, verdict.content_hash, verdict.duplicate_of, verdict.complete,
            None if verdict.signature is None else signed(verdict.signature)))

    def _write(self, write: Any) -> None:
        """Run one state write; when the state cannot take it, halt the crawl."""
        with state_writes(self.crawler, self.store):
            write()

    def spider_closed(self, spider: Spider) -> None:
        """Items still pending were never written (a feed failed): their claims go."""
        self._write(lambda: self.store.release(self.pending))
        self.store.close()
