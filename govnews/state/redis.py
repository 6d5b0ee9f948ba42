"""The crawl state in Redis: one state for crawl workers on many machines (``REDIS_URL``).

Every key starts with the prefix ``REDIS_STATE_PREFIX`` (default ``govnews``), so one Redis
can hold several crawls and an operator can watch one with ``redis-cli --scan --pattern
'govnews:*'``. Hashes hold many entries each rather than a key per article: a key costs
~50 bytes of its own, and a small hash (up to 128 entries, ``hash-max-listpack-entries``) is
stored packed. Texts are UTF-8; ``\\t`` separates the fields of a value::

    P:articles       hash  url → portal \\t first_seen \\t last_seen \\t content_hash \\t duplicate_of
                           (duplicate_of empty: canonical); ``HGET govnews:articles <url>``
    P:hashes         hash  content_hash → the articles with that body, oldest first, one a
                           line: ``url`` or ``url \\t canonical url``
    P:failures       hash  url → portal \\t reason \\t attempts \\t last_failed
    P:runs           hash  crawl id → the run's row as JSON (id, portal, started, finished,
                           and the figures of govnews.state.base.RUN_FIGURES)
    P:runs:seq       the last crawl id given
    P:started:<portal>  sorted set of the portal's crawl ids, scored by start (Unix seconds)
    P:finished       hash  portal → when its latest run that ran to its end finished
    P:portals        set of the portals with a run
    P:docs           hash  url → document id of its near-duplicate signature
    P:docs:seq       the last document id given
    P:signatures     hash  document id → url \\n 512-byte MinHash signature
    P:bands:<n>      hash  (band, bucket) packed as 9 bytes → document ids, space-separated;
                           n is the bucket modulo 32768 (so each hash stays packed up to
                           ~100k articles; more only cost memory)
    P:claims         hash  owner \\t url → content_hash \\t claimed_at \\t signature
    P:owner:<owner>  string with a TTL, refreshed while the owner's process runs
    P:writes         a counter every claim and every record adds one to
    P:schema         the layout version of these keys

Atomicity. Recording an article is one Lua script (:data:`_RECORD`): its row, its body
hash's line, its signature and bands, the end of its failure and the release of its claim
are written together or not at all, and it reads what it rewrites (the row's first_seen,
its old hash line) inside. Judging an article (:meth:`RedisState.judge_and_claim`) cannot
be a script: the verdict needs Python (MinHash similarity, the items this process has in
flight). So it is optimistic, with MULTI/WATCH: WATCH ``P:writes``, read and judge, then
MULTI, take the claim, bump ``P:writes``, EXEC. Every claim and every record bumps that
counter, so when another process claimed or recorded anything between the reads and the
claim, EXEC fails and the judgement runs again on what is there now; of two copies judged at
once, the later sees the earlier's claim, as under SQLite's write lock.

Dead claims. Workers run on other machines, so a pid says nothing. Each open store is an
*owner* (``host:pid:random``) whose key ``P:owner:<owner>`` lives ``REDIS_STATE_CLAIM_TTL``
seconds (default 30) and is refreshed every third of that by a thread of the store. A claim
whose owner key is gone (the process was killed, its machine lost, or it closed) is dead:
dropped before each judgement, so it blocks an article for at most the TTL.

Outages. Every call goes through the worker's :class:`govnews.distributed.link.RedisLink`,
shared with the scheduler: a Redis that goes away is waited for (one WARNING line per
outage), and one away past ``REDIS_OUTAGE_SECONDS`` halts the crawl (``RedisGone``).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import redis
from redis.commands.core import Script
from scrapy.settings import BaseSettings

from govnews.distributed.link import RedisGone, RedisLink
from govnews.state.base import RUN_FIGURES, Claim, R, Run, Signed, State, StateError, utc_now


#: The layout of the keys; a Redis holding a newer one is refused.
SCHEMA_VERSION = 1
#: How many ``P:bands:<n>`` hashes the band buckets are spread over.
BAND_SHARDS = 32768
_BAND_FIELD = struct.Struct(">Bq")  # band, signed 64-bit bucket

#: Lua: store (or replace) one signature and add its document to its band buckets. The old
#: document of a replaced URL leaves ``P:signatures``; its band entries stay, pointing to
#: nothing, and are skipped by lookups (a replaced text is rare: an article corrected).
#: KEYS: docs, docs:seq, signatures, bands…; ARGV: url, signature, band fields…, from the
#: given offsets (_RECORD puts its own keys and arguments first).
_PUT_SIGNATURE = """
local function put_signature(base_key, base_arg)
    local docs, seq, signatures = KEYS[base_key], KEYS[base_key + 1], KEYS[base_key + 2]
    local url, signature = ARGV[base_arg], ARGV[base_arg + 1]
    local old = redis.call('HGET', docs, url)
    if old then redis.call('HDEL', signatures, old) end
    local doc = redis.call('INCR', seq)
    redis.call('HSET', docs, url, doc)
    redis.call('HSET', signatures, doc, url .. '\\n' .. signature)
    for i = 0, #KEYS - base_key - 3 do
        local band, field = KEYS[base_key + 3 + i], ARGV[base_arg + 2 + i]
        local docs_in = redis.call('HGET', band, field)
        redis.call('HSET', band, field, docs_in and (docs_in .. ' ' .. doc) or tostring(doc))
    end
end
"""

#: Lua: record one article (see the module's docstring). KEYS: articles, hashes, failures,
#: claims, writes, then _PUT_SIGNATURE's; ARGV: url, portal, now, content_hash, duplicate_of
#: ('' none), complete ('1'/'0'), claim field, then _PUT_SIGNATURE's (none: no signature).
_RECORD = _PUT_SIGNATURE + """
local articles, hashes, failures, claims, writes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local url, portal, now, digest, duplicate_of = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local entry = url
if duplicate_of ~= '' then entry = url .. '\\t' .. duplicate_of end
local function lines_of(value)
    local lines = {}
    if value then for line in string.gmatch(value, '[^\\n]+') do table.insert(lines, line) end end
    return lines
end
local function url_of(line) return string.match(line, '^[^\\t]+') end
local first_seen, old_digest = now, nil
local old = redis.call('HGET', articles, url)
if old then
    local fields = {}
    for field in string.gmatch(old .. '\\t', '([^\\t]*)\\t') do table.insert(fields, field) end
    first_seen, old_digest = fields[2], fields[4]
end
if old_digest and old_digest ~= digest then
    local kept = {}
    for _, line in ipairs(lines_of(redis.call('HGET', hashes, old_digest))) do
        if url_of(line) ~= url then table.insert(kept, line) end
    end
    if #kept == 0 then redis.call('HDEL', hashes, old_digest)
    else redis.call('HSET', hashes, old_digest, table.concat(kept, '\\n')) end
end
local lines, placed = lines_of(redis.call('HGET', hashes, digest)), false
for i, line in ipairs(lines) do
    if url_of(line) == url then lines[i], placed = entry, true end
end
if not placed then table.insert(lines, entry) end
redis.call('HSET', hashes, digest, table.concat(lines, '\\n'))
redis.call('HSET', articles, url, portal .. '\\t' .. first_seen .. '\\t' .. now .. '\\t' .. digest .. '\\t' .. duplicate_of)
if ARGV[6] == '1' then redis.call('HDEL', failures, url) end
redis.call('HDEL', claims, ARGV[7])
redis.call('INCR', writes)
if #ARGV > 7 then put_signature(6, 8) end
"""

#: Lua: article met again unchanged. KEYS: articles, failures; ARGV: url, now, complete.
_TOUCH = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
    local portal, first_seen, _, rest = string.match(old, '^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$')
    redis.call('HSET', KEYS[1], ARGV[1], portal .. '\\t' .. first_seen .. '\\t' .. ARGV[2] .. '\\t' .. rest)
end
if ARGV[3] == '1' then redis.call('HDEL', KEYS[2], ARGV[1]) end
"""

#: Lua: pages failed once more. KEYS: failures; ARGV: now, portal, reason, urls… A portal of
#: '' counts misses: only pages already failed are counted again, keeping portal and reason.
#: Returns the attempts of the last URL.
_FAIL = """
local attempts = 0
for i = 4, #ARGV do
    local old = redis.call('HGET', KEYS[1], ARGV[i])
    local portal, reason = ARGV[2], ARGV[3]
    attempts = 1
    if old then
        local was_portal, was_reason, was_attempts = string.match(old, '^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t')
        attempts = tonumber(was_attempts) + 1
        if portal == '' then portal, reason = was_portal, was_reason end
    end
    if old or portal ~= '' then
        redis.call('HSET', KEYS[1], ARGV[i], portal .. '\\t' .. reason .. '\\t' .. attempts .. '\\t' .. ARGV[1])
    end
end
return attempts
"""

#: Lua: a hash field set to ARGV[2] unless it holds a later ISO time. KEYS: hash; ARGV: field, time.
_SET_LATEST = """
local was = redis.call('HGET', KEYS[1], ARGV[1])
if not was or was < ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
"""


class Keys:
    """The key names under one prefix (see the module's docstring)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.articles, self.hashes, self.failures = f"{prefix}:articles", f"{prefix}:hashes", f"{prefix}:failures"
        self.runs, self.runs_seq, self.finished = f"{prefix}:runs", f"{prefix}:runs:seq", f"{prefix}:finished"
        self.portals, self.schema, self.writes = f"{prefix}:portals", f"{prefix}:schema", f"{prefix}:writes"
        self.docs, self.docs_seq, self.signatures = f"{prefix}:docs", f"{prefix}:docs:seq", f"{prefix}:signatures"
        self.claims = f"{prefix}:claims"

    def started(self, portal: str) -> str:
        return f"{self.prefix}:started:{portal}"

    def owner(self, owner: str) -> str:
        return f"{self.prefix}:owner:{owner}"

    def band(self, bucket: int) -> str:
        return f"{self.prefix}:bands:{bucket % BAND_SHARDS}"


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8")


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def _band_fields(buckets: Sequence[int]) -> list[bytes]:
    """The ``P:bands:<n>`` field of each band's bucket."""
    return [_BAND_FIELD.pack(band, bucket) for band, bucket in enumerate(buckets)]


class _Patient:
    """A Redis client whose every command waits out an outage (through a RedisLink)."""

    def __init__(self, link: RedisLink) -> None:
        self.link = link

    def __getattr__(self, command: str) -> Callable[..., Any]:
        return lambda *args, **kwargs: self.link.call(lambda server: getattr(server, command)(*args, **kwargs))


class RedisState(State):
    """One crawl state in Redis under one key prefix; from :meth:`open`."""

    errors = (redis.RedisError, RedisGone)

    def __init__(self, link: RedisLink, prefix: str, claim_ttl: float) -> None:
        self.link, self.server = link, link.server  # the server itself: for the heartbeat alone
        self.redis = _Patient(link)
        self.location = f"{link.where} (keys {prefix}:*)"
        self.keys = Keys(prefix)
        self.claim_ttl = claim_ttl
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        try:  # at once, not waited for: a Redis not there when the crawl starts is a usage error
            version = self.server.get(self.keys.schema)
            if version is not None and int(version) > SCHEMA_VERSION:
                raise StateError(f"crawl state {self.location}: layout version {int(version)} is newer than this"
                                 f" govnews ({SCHEMA_VERSION}); upgrade govnews or use another REDIS_STATE_PREFIX")
            self.server.set(self.keys.schema, SCHEMA_VERSION)
            self._beat()
        except (redis.RedisError, ValueError) as exc:
            raise StateError(f"crawl state {self.location}: cannot use Redis ({exc}); start it, or check"
                             " REDIS_URL") from None
        self._record, self._touch, self._fail, self._set_latest = (
            self.server.register_script(script) for script in (_RECORD, _TOUCH, _FAIL, _SET_LATEST))
        self._put_signature = self.server.register_script(_PUT_SIGNATURE + "put_signature(1, 1)")
        #: Other owners' live claims as the judgement running now read them (else None).
        self._snapshot: list[tuple[str, str, str, str, bytes]] | None = None
        self._stop = threading.Event()
        self._heart = threading.Thread(target=self._heartbeat, name=f"state owner {self.owner}", daemon=True)
        self._heart.start()

    @classmethod
    def open(cls, settings: BaseSettings) -> State:
        """The state under ``REDIS_STATE_PREFIX`` in the Redis at ``REDIS_URL``, shared
        within the process."""
        prefix = settings.get("REDIS_STATE_PREFIX") or "govnews"
        return cls.shared(f"redis:{settings.get('REDIS_URL')}:{prefix}", lambda: cls(
            RedisLink.of(settings), prefix, settings.getfloat("REDIS_STATE_CLAIM_TTL", 30.0)))

    def disconnect(self) -> None:
        """Stop the heartbeat and end the owner: claims still held are dead at once. The
        connection is the link's, shared with the scheduler: it stays."""
        self._stop.set()
        self._heart.join()
        try:
            self.server.delete(self.keys.owner(self.owner))
        except redis.RedisError:  # the key's TTL ends it anyway
            pass

    def _beat(self) -> None:
        self.server.set(self.keys.owner(self.owner), f"pid {os.getpid()} since {utc_now()}",
                        px=max(int(self.claim_ttl * 1000), 1))

    def _script(self, script: Script, keys: list[str], args: list[Any]) -> Any:
        """One Lua script, waiting out an outage."""
        return self.link.call(lambda server: script(keys=keys, args=args, client=server))

    def _batch(self, fill: Callable[[redis.client.Pipeline], None], transaction: bool = True) -> list[Any]:
        """The commands ``fill`` puts in a pipeline (MULTI/EXEC when ``transaction``), sent
        at once, waiting out an outage."""
        def send(server: redis.Redis) -> list[Any]:
            with server.pipeline(transaction=transaction) as pipe:
                fill(pipe)
                return pipe.execute()
        return self.link.call(send)

    def _heartbeat(self) -> None:
        """Keep the owner alive while the process runs; a Redis away for a moment is
        tried again next beat (a write that fails halts the crawl on its own)."""
        while not self._stop.wait(self.claim_ttl / 3):
            try:
                self._beat()
            except redis.RedisError:
                pass

    # --- articles ------------------------------------------------------------------------

    def _article(self, url: str) -> list[str] | None:
        """portal, first_seen, last_seen, content_hash, duplicate_of of article ``url``."""
        value = _text(self.redis.hget(self.keys.articles, url))
        return None if value is None else value.split("\t")

    def first_seen(self, url: str) -> str | None:
        article = self._article(url)
        return None if article is None else article[1]

    def content_hash_of(self, url: str) -> str | None:
        article = self._article(url)
        return None if article is None else article[3]

    def record(self, url: str, portal: str, content_hash: str, duplicate_of: str | None = None,
               complete: bool = True, signature: Signed | None = None) -> None:
        k = self.keys
        keys = [k.articles, k.hashes, k.failures, k.claims, k.writes]
        args: list[str | bytes] = [url, portal, utc_now(), content_hash, duplicate_of or "", "1" if complete else "0",
                                   self._claim_field(url)]
        if signature is not None:
            packed, buckets = signature
            keys += self._signature_keys(buckets)
            args += [url, packed, *_band_fields(buckets)]
        self._script(self._record, keys, args)

    def touch(self, url: str, complete: bool = True) -> None:
        self._script(self._touch, [self.keys.articles, self.keys.failures], [url, utc_now(), "1" if complete else "0"])

    def find_hash(self, content_hash: str, exclude: str | None = None) -> str | None:
        lines = _text(self.redis.hget(self.keys.hashes, content_hash))
        for line in (lines or "").split("\n"):
            url, _, canonical = line.partition("\t")
            if url and url != exclude:
                return canonical or url
        return None

    # --- claims --------------------------------------------------------------------------

    def _claim_field(self, url: str) -> str:
        return f"{self.owner}\t{url}"

    def judge_and_claim(self, judge: Callable[[], tuple[R, Claim | None]]) -> R:
        """Optimistic (see the module's docstring): run again when another process claimed
        or recorded between the judgement's reads and its claim. A verdict without a claim
        (a duplicate) is checked the same way: its reads are several commands, and a record
        between them would make an exact duplicate look near, or a claim look unknown."""
        def attempt(server: redis.Redis) -> tuple[bool, R]:
            with server.pipeline() as pipe:
                try:
                    pipe.watch(self.keys.writes)
                    self._snapshot = self._live_claims()
                    result, claim = judge()
                    pipe.multi()
                    if claim is None:
                        pipe.get(self.keys.writes)  # EXEC fails all the same if it moved
                    else:
                        pipe.hset(self.keys.claims, self._claim_field(claim.url),
                                  b"\t".join([claim.content_hash.encode(), utc_now().encode(), claim.signature or b""]))
                        pipe.incr(self.keys.writes)
                    pipe.execute()
                    return True, result
                except redis.WatchError:
                    return False, result
                finally:
                    self._snapshot = None

        while True:
            done, result = self.link.call(attempt)  # an outage: the whole attempt again
            if done:
                return result

    def release(self, urls: Iterable[str]) -> None:
        fields = [self._claim_field(url) for url in urls]
        if fields:
            self.redis.hdel(self.keys.claims, *fields)

    def _others(self, exclude: str) -> list[tuple[str, str, str, bytes]]:
        """(claimed_at, url, content_hash, signature) of other owners' live claims, oldest
        first: from the judgement's one read of ``P:claims``, else read now."""
        claims = self._snapshot if self._snapshot is not None else self._live_claims()
        return sorted((at, url, digest, signature) for owner, url, digest, at, signature in claims
                      if url != exclude)

    def claimed_hash(self, content_hash: str, exclude: str) -> str | None:
        return next((url for _, url, digest, _ in self._others(exclude) if digest == content_hash), None)

    def claimed_signatures(self, exclude: str) -> list[tuple[str, bytes]]:
        return [(url, signature) for _, url, _, signature in self._others(exclude) if signature]

    def _live_claims(self) -> list[tuple[str, str, str, str, bytes]]:
        """owner, url, content_hash, claimed_at, signature of other owners' live claims, from
        one read of ``P:claims``; the claims whose owner key has expired or was deleted are
        forgotten on the way."""
        claims = []
        for field, value in self.redis.hgetall(self.keys.claims).items():
            owner, _, url = field.decode("utf-8").partition("\t")
            if owner != self.owner:
                content_hash, claimed_at, signature = value.split(b"\t", 2)
                claims.append((owner, url, content_hash.decode(), claimed_at.decode(), signature, field))
        owners = sorted({claim[0] for claim in claims})
        def ask(pipe: redis.client.Pipeline) -> None:
            for owner in owners:
                pipe.exists(self.keys.owner(owner))
        alive = {owner for owner, exists in zip(owners, self._batch(ask, transaction=False) if owners else [])
                 if exists}
        dead = [claim[-1] for claim in claims if claim[0] not in alive]
        if dead:
            self.redis.hdel(self.keys.claims, *dead)
        return [claim[:5] for claim in claims if claim[0] in alive]

    # --- pages that failed -----------------------------------------------------------------

    def record_failure(self, url: str, portal: str, reason: str) -> int:
        return int(self._script(self._fail, [self.keys.failures], [utc_now(), portal, reason, url]))

    def clear_failure(self, url: str) -> None:
        self.redis.hdel(self.keys.failures, url)

    def failures_of(self, portal: str) -> dict[str, bool]:
        failed = []
        for url, value in self.redis.hgetall(self.keys.failures).items():
            their_portal, _, attempts, last_failed = value.decode("utf-8").split("\t")
            if their_portal == portal:
                failed.append((url.decode("utf-8"), int(attempts), last_failed))
        def count(pipe: redis.client.Pipeline) -> None:
            for _, _, last_failed in failed:
                pipe.zcount(self.keys.started(portal), f"({_epoch(last_failed)!r}", "+inf")
        runs_since = self._batch(count, transaction=False)
        return {url: since >= 1 << min(attempts - 1, 30) for (url, attempts, _), since in zip(failed, runs_since)}

    def miss_failures(self, urls: Iterable[str]) -> None:
        urls = list(urls)
        if urls:
            self._script(self._fail, [self.keys.failures], [utc_now(), "", "", *urls])

    # --- crawls --------------------------------------------------------------------------

    def begin_crawl(self, portal: str) -> int:
        crawl_id = int(self.redis.incr(self.keys.runs_seq))
        started = utc_now()
        row = {"id": crawl_id, "portal": portal, "started": started, "finished": None,
               **{name: None for name, _ in RUN_FIGURES}}
        def write(pipe: redis.client.Pipeline) -> None:  # MULTI: the row and its indexes together
            pipe.hset(self.keys.runs, str(crawl_id), json.dumps(row))
            pipe.zadd(self.keys.started(portal), {str(crawl_id): _epoch(started)})
            pipe.sadd(self.keys.portals, portal)
        self._batch(write)
        return crawl_id

    def _run(self, crawl_id: int) -> Run:
        value = self.redis.hget(self.keys.runs, str(crawl_id))
        if value is None:
            raise StateError(f"crawl state {self.location}: no crawl {crawl_id}")
        return json.loads(value)

    def finish_crawl(self, crawl_id: int) -> None:
        """Only its own process writes a run's row, so reading and writing it back is safe."""
        run = self._run(crawl_id)
        run["finished"] = utc_now()
        self.redis.hset(self.keys.runs, str(crawl_id), json.dumps(run))
        self._script(self._set_latest, [self.keys.finished], [run["portal"], run["finished"]])

    def close_crawl(self, crawl_id: int, figures: dict[str, object]) -> None:
        run = self._run(crawl_id)
        run.update({name: figures[name] for name, _ in RUN_FIGURES if name in figures})
        self.redis.hset(self.keys.runs, str(crawl_id), json.dumps(run))

    def _newest_runs(self, portal: str, page: int = 100) -> Iterator[Run]:
        """The runs of ``portal``, newest first, read ``page`` at a time."""
        for start in range(0, self.redis.zcard(self.keys.started(portal)), page):
            ids = self.redis.zrevrange(self.keys.started(portal), start, start + page - 1)
            for value in self.redis.hmget(self.keys.runs, ids) if ids else []:
                if value is not None:  # a row of an older govnews lacks the newer figures
                    yield {**{name: None for name, _ in RUN_FIGURES}, **json.loads(value)}

    def closed_runs(self, portal: str, limit: int, offset: int = 0, reason: str | None = None,
                    whole: bool = False) -> list[Run]:
        runs: list[Run] = []
        for run in self._newest_runs(portal):
            if run["finish_reason"] is not None and reason in (None, run["finish_reason"]) \
                    and not (whole and run.get("share")):
                runs.append(run)
                if len(runs) == offset + limit:
                    break
        return runs[offset:]

    def last_runs(self, portal: str, limit: int) -> list[Run]:
        runs = []
        for run in self._newest_runs(portal, page=max(limit, 1)):
            if len(runs) == limit:
                break
            runs.append(run)
        return runs[::-1]

    def portals_run(self) -> list[str]:
        return sorted(name.decode("utf-8") for name in self.redis.smembers(self.keys.portals))

    def last_finished(self, portal: str) -> str | None:
        return _text(self.redis.hget(self.keys.finished, portal))

    # --- near-duplicate index ------------------------------------------------------------

    def put_signature(self, url: str, signature: bytes, buckets: Sequence[int]) -> None:
        self._script(self._put_signature, self._signature_keys(buckets), [url, signature, *_band_fields(buckets)])

    def _signature_keys(self, buckets: Sequence[int]) -> list[str]:
        """_PUT_SIGNATURE's keys."""
        k = self.keys
        return [k.docs, k.docs_seq, k.signatures, *(k.band(bucket) for bucket in buckets)]

    def band_matches(self, buckets: Sequence[int]) -> list[tuple[str, bytes]]:
        def ask(pipe: redis.client.Pipeline) -> None:
            for bucket, field in zip(buckets, _band_fields(buckets)):
                pipe.hget(self.keys.band(bucket), field)
        found = self._batch(ask, transaction=False)
        docs = sorted({int(doc) for value in found if value for doc in value.split()})
        if not docs:
            return []
        matches = []
        for value in self.redis.hmget(self.keys.signatures, docs):
            if value is not None:  # a replaced signature's old document
                url, _, signature = value.partition(b"\n")
                matches.append((url.decode("utf-8"), signature))
        return matches
