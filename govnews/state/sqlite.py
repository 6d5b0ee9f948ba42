"""The crawl state in one SQLite file a user can read: the backend of crawls on one machine.

``<STATE_DIR>/crawl.sqlite3`` in WAL mode. Every write is its own transaction, committed at
once (a commit per item), so a crawl killed at any moment leaves every recorded article on
disk; ``synchronous=NORMAL`` keeps that across a process kill, though not across a power
cut (which loses the last commits, never consistency). Other processes see each commit.

Tables (``sqlite3 state/crawl.sqlite3 '.schema'``)::

    articles                    one row per article URL emitted or dropped as a duplicate
      url           TEXT PRIMARY KEY   canonical article URL
      portal        TEXT NOT NULL      portal name (portals/<portal>.toml)
      first_seen    TEXT NOT NULL      ISO 8601 UTC, when it was first recorded
      last_seen     TEXT NOT NULL      ISO 8601 UTC, when it was last fetched
      content_hash  TEXT NOT NULL      SHA-256 of the normalized body (pipelines.dedupe)
      duplicate_of  TEXT               canonical URL it duplicates; NULL: it is canonical
      (index articles_content_hash on content_hash)

    crawls                      one row per spider run of a portal
      id            INTEGER PRIMARY KEY
      portal        TEXT NOT NULL
      started       TEXT NOT NULL      ISO 8601 UTC
      finished      TEXT               ISO 8601 UTC; NULL: killed, stopped or still running
      closed        TEXT               ISO 8601 UTC the spider closed, whatever the reason
      finish_reason TEXT               Scrapy's (finished, shutdown, …); NULL: killed or running
      items         INTEGER            articles emitted (item_scraped_count)
      pages         INTEGER            responses downloaded (downloader/response_count)
      listed        INTEGER            distinct article links the list pages gave, known ones too
      failed        INTEGER            failed pages (failed/count)
      blocked       INTEGER            block pages among them (blocked/count)
      coverage_title, coverage_published_at, coverage_body, coverage_source
                    REAL               share of the items with that field; NULL: no items
      baseline      REAL               the `listed` this run was checked against (govnews.health)
      health        TEXT               the failed health checks, '; '-separated; '' none
      (the figures are NULL for runs before schema 4 and for runs that never closed)

    minhash_signatures          near-duplicate index: canonical articles only
      doc           INTEGER PRIMARY KEY
      url           TEXT UNIQUE NOT NULL   key given to NearDuplicateIndex.add (the URL)
      signature     BLOB NOT NULL      128 little-endian uint32 MinHash values

    minhash_bands               LSH buckets: 32 bands of 4 signature values each
      band          INTEGER            0–31
      bucket        INTEGER            64-bit hash of the band's 4 values
      doc           INTEGER            → minhash_signatures.doc (ON DELETE CASCADE)
      PRIMARY KEY (band, bucket, doc)

    claims                      articles a running crawl judged new but has not written yet
      url           TEXT NOT NULL      article URL
      content_hash  TEXT NOT NULL      as in articles
      signature     BLOB               MinHash signature as in minhash_signatures; NULL: short text
      pid           INTEGER NOT NULL   the claiming process (os.getpid())
      claimed_at    TEXT NOT NULL      ISO 8601 UTC
      PRIMARY KEY (url, pid)
      (no other index: it holds only the items in flight, and every index is another page
      each item writes twice; see :meth:`SqliteState._claim`)

For example ``SELECT portal, count(*), max(last_seen) FROM articles GROUP BY portal`` or
``SELECT url, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL``.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from govnews.state.base import RUN_FIGURES, Claim, R, Run, Signed, State, StateError, utc_now

FILENAME = "crawl.sqlite3"
SCHEMA_VERSION = 6  # 2: failures; 4: per-run figures in crawls (3: another branch's); 5: claims; 6: share
#: ``PRAGMA application_id``: tells a govnews state from some other SQLite file.
APPLICATION_ID = 0x676E7331  # "gns1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    portal TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    duplicate_of TEXT
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS crawls (
    id INTEGER PRIMARY KEY,
    portal TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    RUN_COLUMNS_HERE
);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY,
    portal TEXT NOT NULL,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_failed TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS minhash_signatures (
    doc INTEGER PRIMARY KEY,
    url TEXT UNIQUE NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS minhash_bands (
    band INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    doc INTEGER NOT NULL REFERENCES minhash_signatures(doc) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    signature BLOB,
    pid INTEGER NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (url, pid)
) WITHOUT ROWID;
"""

# The per-run figures of the crawls table (schema 4), in the order they are stored.
_SCHEMA = _SCHEMA.replace("RUN_COLUMNS_HERE", ",\n    ".join(f"{name} {kind}" for name, kind in RUN_FIGURES))


def _add_run_figures(db: sqlite3.Connection) -> None:
    """Schema 4 (and 6: ``share``): the crawls table gains the per-run figures it lacks."""
    present = {row[1] for row in db.execute("PRAGMA table_info(crawls)")}
    for name, kind in RUN_FIGURES:
        if name not in present:
            db.execute(f"ALTER TABLE crawls ADD COLUMN {name} {kind}")


#: The step to each schema version from the one before, applied in order to a file an older
#: govnews made (tables that are only new come from _SCHEMA's CREATE IF NOT EXISTS).
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {4: _add_run_figures, 6: _add_run_figures}


class SqliteState(State):
    """One open state file; from :meth:`open_dir`."""

    errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        self.connection = _connect(path)
        # Claims under this pid are from a process that had it before (pids are reused)
        # or from this one's earlier store: nothing of this store is in flight yet.
        with self.transaction() as db:
            db.execute("DELETE FROM claims WHERE pid = ?", (os.getpid(),))

    @classmethod
    def open_dir(cls, directory: str | Path) -> State:
        """The store of ``<directory>/crawl.sqlite3``, shared within the process."""
        path = (Path(directory) / FILENAME).resolve()
        return cls.shared(f"sqlite:{path}", lambda: cls(path))

    def disconnect(self) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One commit for everything inside; nested uses join the outer transaction."""
        outer = not self.connection.in_transaction
        if outer:
            self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            if outer:
                self.connection.execute("ROLLBACK")
            raise
        if outer:
            try:
                self.connection.execute("COMMIT")
            except sqlite3.Error:  # disk full, read-only: nothing of it stays pending
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
                raise

    # --- articles ------------------------------------------------------------------------

    def first_seen(self, url: str) -> str | None:
        row = self.connection.execute("SELECT first_seen FROM articles WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def record(self, url: str, portal: str, content_hash: str, duplicate_of: str | None = None,
               complete: bool = True, signature: Signed | None = None) -> None:
        now = utc_now()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO articles (url, portal, first_seen, last_seen, content_hash, duplicate_of)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET last_seen = excluded.last_seen,"
                " content_hash = excluded.content_hash, duplicate_of = excluded.duplicate_of",
                (url, portal, now, now, content_hash, duplicate_of),
            )
            if complete:
                db.execute("DELETE FROM failures WHERE url = ?", (url,))
            if signature is not None:
                self.put_signature(url, *signature)
            self.release([url])

    def content_hash_of(self, url: str) -> str | None:
        row = self.connection.execute("SELECT content_hash FROM articles WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def touch(self, url: str, complete: bool = True) -> None:
        with self.transaction() as db:
            db.execute("UPDATE articles SET last_seen = ? WHERE url = ?", (utc_now(), url))
            if complete:
                db.execute("DELETE FROM failures WHERE url = ?", (url,))

    def find_hash(self, content_hash: str, exclude: str | None = None) -> str | None:
        row = self.connection.execute(
            "SELECT coalesce(duplicate_of, url) FROM articles WHERE content_hash = ? AND url IS NOT ?"
            " ORDER BY first_seen LIMIT 1",
            (content_hash, exclude),
        ).fetchone()
        return row[0] if row else None

    # --- claims: articles in flight in some process ----------------------------------------
    # Two crawls of different portals (scrapyd runs one job a portal) share the state. Each
    # judges an article in one BEGIN IMMEDIATE transaction (:meth:`judge_and_claim`) that
    # looks at the recorded articles and the claims of other processes and, when the article
    # is new, claims it; the claim becomes an article row on record, in one transaction too.
    # So of two copies judged at once in two processes the later sees the earlier's claim.
    # A claim's owner is its pid: a claim whose process is gone is dead.

    def judge_and_claim(self, judge: Callable[[], tuple[R, Claim | None]]) -> R:
        """BEGIN IMMEDIATE takes the file's write lock before the first read: other
        processes wait (busy_timeout) until the claim is committed."""
        with self.transaction():
            self._drop_dead_claims()
            result, claim = judge()
            if claim is not None:
                self._claim(claim)
        return result

    def _claim(self, claim: Claim) -> None:
        """Mark ``claim.url`` as judged new by this process and on its way to the feed."""
        self.connection.execute(
            "INSERT OR REPLACE INTO claims (url, content_hash, signature, pid, claimed_at) VALUES (?, ?, ?, ?, ?)",
            (claim.url, claim.content_hash, claim.signature, os.getpid(), utc_now()))

    def release(self, urls: Iterable[str]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM claims WHERE url = ? AND pid = ?", [(url, os.getpid()) for url in urls])

    def claimed_hash(self, content_hash: str, exclude: str) -> str | None:
        row = self.connection.execute(
            "SELECT url FROM claims WHERE content_hash = ? AND url IS NOT ? AND pid != ?"
            " ORDER BY claimed_at LIMIT 1", (content_hash, exclude, os.getpid())).fetchone()
        return row[0] if row else None

    def claimed_signatures(self, exclude: str) -> list[tuple[str, bytes]]:
        return self.connection.execute(
            "SELECT url, signature FROM claims WHERE signature IS NOT NULL AND url IS NOT ? AND pid != ?"
            " ORDER BY claimed_at", (exclude, os.getpid())).fetchall()

    def _drop_dead_claims(self) -> None:
        """Forget the claims of processes that are gone (a SIGKILLed crawl), so they never
        block an article: once per judgement, before :meth:`claimed_hash` and
        :meth:`claimed_signatures`."""
        pids = [pid for (pid,) in self.connection.execute(
            "SELECT DISTINCT pid FROM claims WHERE pid != ?", (os.getpid(),))]
        dead = [(pid,) for pid in pids if not _alive(pid)]
        if dead:
            self.connection.executemany("DELETE FROM claims WHERE pid = ?", dead)

    # --- pages that failed -----------------------------------------------------------------

    def record_failure(self, url: str, portal: str, reason: str) -> int:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO failures (url, portal, reason, attempts, last_failed) VALUES (?, ?, ?, 1, ?)"
                " ON CONFLICT (url) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1,"
                " last_failed = excluded.last_failed",
                (url, portal, reason, utc_now()),
            )
            return db.execute("SELECT attempts FROM failures WHERE url = ?", (url,)).fetchone()[0]

    def clear_failure(self, url: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM failures WHERE url = ?", (url,))

    def failures_of(self, portal: str) -> dict[str, bool]:
        return dict(self.connection.execute(
            "SELECT url, (SELECT count(*) FROM crawls WHERE crawls.portal = failures.portal"
            " AND crawls.started > failures.last_failed) >= (1 << min(attempts - 1, 30))"
            " FROM failures WHERE portal = ?", (portal,)).fetchall())

    def miss_failures(self, urls: Iterable[str]) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE failures SET attempts = attempts + 1, last_failed = ? WHERE url = ?",
                           [(utc_now(), url) for url in urls])

    # --- crawls --------------------------------------------------------------------------

    def begin_crawl(self, portal: str) -> int:
        with self.transaction() as db:
            cursor = db.execute("INSERT INTO crawls (portal, started) VALUES (?, ?)", (portal, utc_now()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_crawl(self, crawl_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE crawls SET finished = ? WHERE id = ?", (utc_now(), crawl_id))

    def close_crawl(self, crawl_id: int, figures: dict[str, object]) -> None:
        names = [name for name, _ in RUN_FIGURES if name in figures]
        with self.transaction() as db:
            db.execute(f"UPDATE crawls SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                       [*(figures[n] for n in names), crawl_id])

    def closed_runs(self, portal: str, limit: int, offset: int = 0, reason: str | None = None,
                    whole: bool = False) -> list[Run]:
        return self._runs(
            "SELECT * FROM crawls WHERE portal = ? AND finish_reason IS NOT NULL AND finish_reason = coalesce(?, finish_reason)"
            " AND (share IS NULL OR NOT ?) ORDER BY id DESC LIMIT ? OFFSET ?", (portal, reason, whole, limit, offset))

    def last_runs(self, portal: str, limit: int) -> list[Run]:
        return self._runs(
            "SELECT * FROM (SELECT * FROM crawls WHERE portal = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
            (portal, limit))

    def _runs(self, query: str, parameters: tuple[object, ...]) -> list[Run]:
        """The crawls rows ``query`` selects, each a dict by column name."""
        cursor = self.connection.cursor()
        cursor.row_factory = sqlite3.Row
        return [dict(row) for row in cursor.execute(query, parameters)]

    def portals_run(self) -> list[str]:
        return [name for (name,) in self.connection.execute("SELECT DISTINCT portal FROM crawls ORDER BY portal")]

    def last_finished(self, portal: str) -> str | None:
        row = self.connection.execute(
            "SELECT max(finished) FROM crawls WHERE portal = ?", (portal,)
        ).fetchone()
        return row[0]

    # --- near-duplicate index ------------------------------------------------------------

    def put_signature(self, url: str, signature: bytes, buckets: Sequence[int]) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM minhash_signatures WHERE url = ?", (url,))
            doc = db.execute(
                "INSERT INTO minhash_signatures (url, signature) VALUES (?, ?)", (url, signature)
            ).lastrowid
            db.executemany(
                "INSERT OR IGNORE INTO minhash_bands (band, bucket, doc) VALUES (?, ?, ?)",
                [(band, bucket, doc) for band, bucket in enumerate(buckets)],
            )

    def band_matches(self, buckets: Sequence[int]) -> list[tuple[str, bytes]]:
        """One query for all the bands (not one a band: 33 round trips an article were most
        of the dedupe stage's SQLite calls): the wanted (band, bucket) pairs drive primary-key
        lookups in minhash_bands."""
        if not buckets:
            return []
        wanted = ",".join(["(?, ?)"] * len(buckets))
        return self.connection.execute(
            f"WITH wanted (band, bucket) AS (VALUES {wanted})"
            " SELECT url, signature FROM minhash_signatures WHERE doc IN"
            " (SELECT doc FROM wanted CROSS JOIN minhash_bands USING (band, bucket)) ORDER BY doc",
            [value for pair in enumerate(buckets) for value in pair],
        ).fetchall()


#: Brings any file, new or migrated, to this version's tables and marks it as govnews's.
_INITIALIZE = (f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA application_id = {APPLICATION_ID};"
               f" PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")


def _connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the state file, or raise :class:`StateError` naming it."""
    advice = "move it away (or set STATE_DIR) to start a fresh crawl state"
    if _stays_empty(path):
        raise StateError(f"crawl state {path}: the file is empty (0 bytes), not a new state: a copy or a"
                         " disk that lost it? Restore it from a backup, or delete it to start afresh")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create(path)
        # A short wait while opening: a file locked longer is in use, not slow.
        db = sqlite3.connect(path, isolation_level=None, timeout=_OPEN_WAIT)
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"crawl state {path}: cannot open: {exc}") from None
    try:
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        empty = db.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0
        if application_id != APPLICATION_ID and not empty:
            raise StateError(f"crawl state {path}: a SQLite file of another program; {advice}")
        if version > SCHEMA_VERSION:
            raise StateError(f"crawl state {path}: schema version {version} is newer than this "
                             f"govnews ({SCHEMA_VERSION}); upgrade govnews or {advice}")
        # A file damaged past its first pages opens fine and fails mid-crawl; check it whole.
        damage = db.execute("PRAGMA quick_check").fetchone()[0]
        if damage != "ok":
            raise StateError(f"crawl state {path}: damaged ({damage}); restore it from a backup or {advice}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if not empty:
            _migrate(db, version)
        db.executescript(_INITIALIZE)
    except sqlite3.DatabaseError as exc:
        db.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise StateError(f"crawl state {path}: in use by another process, which holds its write lock"
                             f" (still after {_OPEN_WAIT:.0f} s); run again when it is done") from None
        if "readonly" in str(exc) or "unable to open" in str(exc) and path.exists():
            raise StateError(f"crawl state {path}: cannot be written ({exc}); give this user write "
                             "access to the file and its folder (the crawl history in it is intact)") from None
        raise StateError(f"crawl state {path}: not a usable SQLite database ({exc}); {advice}") from None
    except StateError:
        db.close()
        raise
    db.execute("PRAGMA busy_timeout = 30000")  # in a crawl, wait for other crawlers' commits
    return db


def _create(path: Path) -> None:
    """Make a new state file whole under another name, then link it into place.

    Opening a missing file makes SQLite create it with 0 bytes and write its schema only
    later: a crawl killed in between left an empty file, which the next run must refuse (it
    cannot tell it from a state that lost its data). Linked complete, the file is never
    empty; of two processes creating it at once, the first link wins and the other uses it.
    """
    for stale in path.parent.glob(f".{path.name}.*.new"):
        pid = stale.name.removeprefix(f".{path.name}.").removesuffix(".new")
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.new")
    draft.unlink(missing_ok=True)
    db = sqlite3.connect(draft, isolation_level=None)
    try:
        db.executescript(_INITIALIZE)
    finally:
        db.close()
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on this machine: the state is a local file)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a file of schema ``version`` up to date, one step at a time, in one transaction."""
    steps = [step for number, step in sorted(_MIGRATIONS.items()) if number > version]
    if steps:
        db.execute("BEGIN IMMEDIATE")
        for step in steps:
            step(db)
        db.execute("COMMIT")


#: Seconds opening the state waits for another process's write lock.
_OPEN_WAIT = 5.0


def _stays_empty(path: Path) -> bool:
    """True for a state file of 0 bytes that stays so: SQLite would take it for a new
    database and the crawl history would be silently gone. Another process creating the
    file right now fills it within milliseconds, so it is given a second."""
    for _ in range(10):
        try:
            if path.stat().st_size > 0:
                return False
        except FileNotFoundError:
            return False
        time.sleep(0.1)
    return True
