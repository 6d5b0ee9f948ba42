"""The shared request queue of one portal's distributed crawl, with leases.

scrapy-redis's queues pop destructively: a request a worker popped and had not finished
when it died is gone (scrapy-redis issues #177, #149, #108/#167). Here a worker *leases* a
request: ``LMOVE`` takes it from the queue into the worker's own lease list in one atomic
step, so at every instant each request is in the queue or in exactly one lease list, and
the worker's heartbeat key (``alive:<worker>``, with a TTL) says the lease is still held.
A request is acknowledged (removed from the lease list, its fingerprint added to ``done``)
only once its page is handled (govnews.distributed.scheduler). The lease lists of a worker
whose heartbeat key expired go back to the queue (:meth:`LeasedQueue.reclaim`); a worker
that closes hands its own back the same way.

Why lists and not a Streams consumer group with ``XAUTOCLAIM``: a stream entry stays in the
stream after ``XACK`` (it needs ``XDEL`` or trimming, a second step to get right), a
claimed entry cannot be sent back to the *head* of the work, and "is anything pending
anywhere" needs ``XPENDING`` per group. With lists, the queue is one ``LLEN``, the leases of
a worker one ``LRANGE``, every transition one atomic command or script, and the state can
be read with plain ``redis-cli`` (README, "Distributed mode").

Keys of portal P in crawl C (``DISTRIBUTED_CRAWL``), all under ``govnews:C:P:``:
``queue`` (list: serialized requests, taken from the right), ``leases:<worker>`` (list),
``workers`` (set of worker ids that took work), ``alive:<worker>`` (heartbeat, TTL
``LEASE_SECONDS``), ``seen`` (set: fingerprints queued, leased or done), ``done`` (set:
fingerprints handled), ``seeded`` and ``complete`` (flags), ``tally`` (hash: the crawl's totals
of the stats its health is judged on, govnews.distributed.tally) and ``judge`` (the worker
judging the crawl's health; without a TTL once judged). The scripts build lease and
heartbeat keys from the prefix: one Redis (or one primary), not a Redis Cluster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scrapy import Request, Spider
from scrapy_redis.queue import Base

from govnews.distributed.link import RedisLink

#: Request.meta key of a leased request: its entry as it sits in the lease list. Never
#: serialized; a request made from a leased one by ``replace`` (a redirect, a retry) carries
#: it, and is queued in the same step as the lease it continues is acknowledged.
LEASE = "govnews_lease"
#: Request.meta key of a start page: de-duplicated against the crawl (seeded once) although
#: the spider asks for it with ``dont_filter`` (each non-distributed run fetches it again).
SEED = "govnews_seed"

#: Queue the entry unless its fingerprint is seen (ARGV[3] == "1"), and acknowledge the lease
#: ARGV[4] of fingerprint ARGV[5] (when not empty) in the same step.
_PUSH = """
local pushed = 0
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 or ARGV[3] == '0' then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  pushed = 1
end
if ARGV[4] ~= '' then
  redis.call('LREM', KEYS[3], 1, ARGV[4])
  redis.call('SADD', KEYS[4], ARGV[5])
end
return pushed
"""
#: Send every lease of worker ARGV[2] back to the queue and forget the worker; ARGV[3] == "1":
#: only when its heartbeat key has expired. Returns how many went back.
_RELEASE = """
local prefix, worker = ARGV[1], ARGV[2]
if ARGV[3] == '1' and redis.call('EXISTS', prefix .. 'alive:' .. worker) == 1 then return 0 end
local moved = 0
while redis.call('LMOVE', prefix .. 'leases:' .. worker, KEYS[1], 'RIGHT', 'RIGHT') do moved = moved + 1 end
redis.call('SREM', KEYS[2], worker)
redis.call('DEL', prefix .. 'alive:' .. worker)
return moved
"""
#: The crawl is complete once seeded, with nothing queued and no lease held anywhere.
_COMPLETE = """
local prefix = ARGV[1]
if redis.call('EXISTS', prefix .. 'complete') == 1 then return 1 end
if redis.call('EXISTS', prefix .. 'seeded') == 0 or redis.call('LLEN', prefix .. 'queue') > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', prefix .. 'workers')) do
  if redis.call('LLEN', prefix .. 'leases:' .. worker) > 0 then return 0 end
end
redis.call('SET', prefix .. 'complete', ARGV[2])
return 1
"""
#: The judgement of a complete crawl (KEYS[1]: complete, KEYS[2]: judge) goes to worker
#: ARGV[1] for ARGV[2] ms unless another holds it or has judged. 1 when taken.
_JUDGE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""


@dataclass(frozen=True)
class CrawlKeys:
    """The keys of one portal's distributed crawl (see the module docstring)."""

    prefix: str

    @classmethod
    def of(cls, crawl: str, portal: str) -> CrawlKeys:
        return cls(f"govnews:{crawl}:{portal}:")

    queue = property(lambda self: self.prefix + "queue")
    workers = property(lambda self: self.prefix + "workers")
    seen = property(lambda self: self.prefix + "seen")
    done = property(lambda self: self.prefix + "done")
    seeded = property(lambda self: self.prefix + "seeded")
    complete = property(lambda self: self.prefix + "complete")
    tally = property(lambda self: self.prefix + "tally")
    judge = property(lambda self: self.prefix + "judge")

    def leases(self, worker: str) -> str:
        return f"{self.prefix}leases:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}alive:{worker}"


class LeasedQueue(Base):
    """A FIFO queue (scrapy-redis's extension point) whose requests are leased by ``worker``."""

    def __init__(self, link: RedisLink, spider: Spider, keys: CrawlKeys, worker: str) -> None:
        super().__init__(link.server, spider, keys.queue)
        self.link = link
        self.keys = keys
        self.worker = worker
        self.lease_key = keys.leases(worker)
        server = link.server
        self._push, self._release, self._complete, self._judge = (
            server.register_script(source) for source in (_PUSH, _RELEASE, _COMPLETE, _JUDGE))

    def __len__(self) -> int:
        return self.link.call(lambda server: server.llen(self.key))

    def _encode_request(self, request: Request) -> bytes:
        """As scrapy-redis's, without the lease (it names an entry of this worker's list)."""
        data = request.to_dict(spider=self.spider)
        data["meta"] = {k: v for k, v in data["meta"].items() if k != LEASE}
        return self.serializer.dumps(data)

    def push_entry(self, request: Request, fingerprint: str, check_seen: bool) -> bool:
        """Queue ``request`` unless ``check_seen`` and its fingerprint is already seen; a request
        continuing a lease (a redirect, a retry) acknowledges that lease in the same step.
        True when queued."""
        entry = fingerprint.encode("ascii") + b" " + self._encode_request(request)
        continued = request.meta.get(LEASE, b"")
        keys = [self.keys.seen, self.key, self.lease_key, self.keys.done]
        args = [fingerprint, entry, int(check_seen), continued, continued.split(b" ", 1)[0]]
        return bool(self.link.call(lambda server: self._push(keys=keys, args=args)))

    def push(self, request: Request) -> None:
        raise TypeError("LeasedQueue takes requests through push_entry (their fingerprint decides)")

    def take(self) -> Request | None:
        """Lease the next request: moved into this worker's lease list in one step."""
        def lease(server) -> bytes | None:
            pipe = server.pipeline(transaction=True)
            pipe.sadd(self.keys.workers, self.worker).lmove(self.key, self.lease_key, "RIGHT", "LEFT")
            return pipe.execute()[1]
        entry = self.link.call(lease)
        if entry is None:
            return None
        request = self._decode_request(entry.split(b" ", 1)[1])
        request.meta[LEASE] = entry
        return request

    def pop(self, timeout: int = 0) -> Request | None:
        return self.take()

    def acknowledge(self, entries: list[bytes], counts: Mapping[str, int]) -> None:
        """These leases' pages are handled: out of the lease list, fingerprints ``done``, and
        what they added to the tallied stats (``counts``) into the crawl's ``tally``, in one
        MULTI/EXEC: a page's figures count in the crawl's totals exactly when it is done."""
        def ack(server) -> None:
            pipe = server.pipeline(transaction=True)
            for entry in entries:
                pipe.lrem(self.lease_key, 1, entry).sadd(self.keys.done, entry.split(b" ", 1)[0])
            for name, value in counts.items():
                pipe.hincrby(self.keys.tally, name, value)
            pipe.execute()
        if entries or counts:
            self.link.call(ack)

    def heartbeat(self, lease_seconds: float) -> None:
        """Say this worker still holds its leases, for ``lease_seconds`` more."""
        self.link.call(lambda server: server.set(self.keys.alive(self.worker), "1", px=int(lease_seconds * 1000)))

    def release(self, worker: str, only_if_dead: bool) -> int:
        """Send ``worker``'s leases back to the queue (``only_if_dead``: when its heartbeat expired)."""
        keys, args = [self.key, self.keys.workers], [self.keys.prefix, worker, int(only_if_dead)]
        return int(self.link.call(lambda server: self._release(keys=keys, args=args)))

    def reclaim(self, lease_seconds: float) -> int:
        """Send the leases of every worker whose heartbeat expired back to the queue; none while
        Redis has been up for less than ``lease_seconds``: after a restart every live worker
        gets a whole lease period to renew its heartbeat (they could not while it was down)."""
        uptime = self.link.call(lambda server: server.info("server")["uptime_in_seconds"])
        if uptime < lease_seconds:
            return 0
        workers = self.link.call(lambda server: server.smembers(self.keys.workers))
        return sum(self.release(worker.decode(), only_if_dead=True) for worker in workers
                   if worker.decode() != self.worker)

    def mark_seeded(self) -> None:
        self.link.call(lambda server: server.set(self.keys.seeded, "1"))

    def is_complete(self) -> bool:
        return bool(self.link.call(lambda server: server.exists(self.keys.complete)))

    def complete(self, when: str) -> bool:
        """Mark the crawl complete when it is (seeded, nothing queued, no lease anywhere)."""
        args = [self.keys.prefix, when]
        return bool(self.link.call(lambda server: self._complete(keys=[self.keys.complete], args=args)))

    def take_judgement(self, lease_seconds: float) -> bool:
        """Become the worker that judges the complete crawl's health, unless another holds
        the judgement (for ``lease_seconds``, renewed by nothing) or has judged."""
        keys, args = [self.keys.complete, self.keys.judge], [self.worker, int(lease_seconds * 1000)]
        return bool(self.link.call(lambda server: self._judge(keys=keys, args=args)))

    def judged(self) -> None:
        """The judgement is recorded: the judge key stays, so no later worker judges again."""
        self.link.call(lambda server: server.persist(self.keys.judge))

    def tally(self) -> dict[str, int]:
        """The crawl's totals of the tallied stats."""
        values = self.link.call(lambda server: server.hgetall(self.keys.tally))
        return {name.decode(): int(value) for name, value in values.items()}

    def clear(self) -> None:
        raise TypeError("a distributed crawl's queue is never flushed by a worker")
