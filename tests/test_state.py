"""The crawl state: a real SQLite file, shared in a process, visible across processes."""

import contextlib
import sqlite3
import subprocess
import sys

import pytest

from govnews.state import StateError
from govnews.state.sqlite import APPLICATION_ID, FILENAME, SCHEMA_VERSION
from tests.crawling import ROOT, SCRAPY
from tests.states import sqlite_state


@pytest.fixture
def store(tmp_path):
    opened = sqlite_state(tmp_path / "state")
    yield opened
    if opened.users:
        opened.close()


def columns(db, table):
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def test_schema_is_plain_tables_a_user_can_read(store, tmp_path):
    db = sqlite3.connect(tmp_path / "state" / FILENAME)
    assert columns(db, "articles") == ["url", "portal", "first_seen", "last_seen", "content_hash", "duplicate_of"]
    assert columns(db, "crawls") == ["id", "portal", "started", "finished", "closed", "finish_reason", "items",
                                     "pages", "listed", "failed", "blocked", "coverage_title",
                                     "coverage_published_at", "coverage_body", "coverage_source", "baseline",
                                     "health"]
    assert columns(db, "minhash_signatures") == ["doc", "url", "signature"]
    assert columns(db, "minhash_bands") == ["band", "bucket", "doc"]
    assert "articles_content_hash" in {row[1] for row in db.execute("PRAGMA index_list(articles)")}
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_wal_mode_and_foreign_keys(store, tmp_path):
    db = sqlite3.connect(tmp_path / "state" / FILENAME)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    assert store.connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.connection.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_every_record_is_committed_at_once_and_seen_by_another_process(store, tmp_path):
    store.record("https://a.cn/1.html", "a", "h1")
    assert not store.connection.in_transaction
    other = sqlite3.connect(tmp_path / "state" / FILENAME)
    assert other.execute("SELECT portal, content_hash FROM articles").fetchall() == [("a", "h1")]
    code = (
        "import sys; from tests.states import sqlite_state;"
        "s = sqlite_state(sys.argv[1]); print(s.first_seen('https://a.cn/1.html'));"
        "s.record('https://a.cn/2.html', 'a', 'h2'); s.close()"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "state")],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == store.first_seen("https://a.cn/1.html")
    assert store.first_seen("https://a.cn/2.html") is not None


def test_one_store_per_file_in_a_process_until_the_last_close(store, tmp_path):
    again = sqlite_state(tmp_path / "x" / ".." / "state")
    assert again is store and store.users == 2
    again.close()
    assert store.first_seen("https://a.cn/1.html") is None  # still open
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        store.first_seen("https://a.cn/1.html")
    fresh = sqlite_state(tmp_path / "state")
    assert fresh is not store
    fresh.close()


def test_meeting_an_article_again_keeps_first_seen(store):
    store.record("https://a.cn/1.html", "a", "h1")
    first = store.connection.execute("SELECT first_seen, last_seen FROM articles").fetchone()
    store.record("https://a.cn/1.html", "a", "h1b")
    again = store.connection.execute("SELECT first_seen, last_seen, content_hash FROM articles").fetchone()
    assert again[0] == first[0] and again[1] > first[1] and again[2] == "h1b"


def test_find_hash_names_the_canonical_article(store):
    store.record("https://a.cn/1.html", "a", "h")
    store.record("https://b.cn/9.html", "b", "h", duplicate_of="https://a.cn/1.html")
    assert store.find_hash("h") == "https://a.cn/1.html"
    assert store.find_hash("h", exclude="https://a.cn/1.html") == "https://a.cn/1.html"
    assert store.find_hash("other") is None


def test_a_crawl_counts_as_complete_only_once_finished(store):
    assert store.last_finished("a") is None
    first = store.begin_crawl("a")
    store.begin_crawl("a")  # killed: never finished
    assert store.last_finished("a") is None
    store.finish_crawl(first)
    assert store.last_finished("a") is not None and store.last_finished("b") is None


def test_replacing_a_signature_drops_its_old_bands(store):
    store.put_signature("k", b"\0" * 8, [1, 2, 3])
    store.put_signature("k", b"\1" * 8, [4, 5, 6])
    assert store.connection.execute("SELECT count(*) FROM minhash_bands").fetchone()[0] == 3
    assert store.band_matches([1, 2, 3]) == []
    assert store.band_matches([9, 5, 9]) == [("k", b"\1" * 8)]


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(ZeroDivisionError), store.transaction():
        store.record("https://a.cn/1.html", "a", "h")
        1 / 0
    assert store.first_seen("https://a.cn/1.html") is None and not store.connection.in_transaction


@pytest.mark.parametrize("content", [b"this is not a database at all " * 100, b"SQLite format 3\0" + b"\xff" * 4000])
def test_a_corrupt_file_is_refused_with_its_name(tmp_path, content):
    (tmp_path / FILENAME).write_bytes(content)
    with pytest.raises(StateError, match=str(tmp_path / FILENAME)) as failure:
        sqlite_state(tmp_path)
    assert "move it away" in str(failure.value)


def test_a_file_damaged_past_its_first_pages_is_refused_before_the_crawl(tmp_path):
    store = sqlite_state(tmp_path)
    for number in range(2000):
        store.record(f"https://a.cn/{number}.html", "a", f"h{number}")
    store.close()
    path = tmp_path / FILENAME
    data = bytearray(path.read_bytes())
    page = 4096
    data[2 * page:3 * page] = bytes(range(256)) * (page // 256)  # page 3: an index, overwritten
    path.write_bytes(bytes(data))
    with pytest.raises(StateError, match="damaged"):
        sqlite_state(tmp_path)


@pytest.mark.parametrize("frozen", ["file", "folder"])
def test_a_state_this_user_cannot_write_is_refused_without_advising_to_drop_it(tmp_path, frozen):
    sqlite_state(tmp_path).close()
    path = tmp_path / FILENAME
    target = path if frozen == "file" else tmp_path
    subprocess.run(["chattr", "+i", str(target)], check=True)  # read-only even for root
    try:
        with pytest.raises(StateError, match="cannot be written") as failure:
            sqlite_state(tmp_path)
        assert "move it away" not in str(failure.value)
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=True)


def test_a_state_of_schema_1_gains_the_failures_table_on_open(tmp_path):
    store = sqlite_state(tmp_path)
    store.record("https://a.cn/1.html", "a", "h")
    store.connection.executescript("DROP TABLE failures; PRAGMA user_version = 1;")
    store.close()
    store = sqlite_state(tmp_path)
    assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.first_seen("https://a.cn/1.html") is not None
    assert store.record_failure("https://a.cn/2.html", "a", "http_500") == 1
    store.close()


def test_a_failure_ends_when_its_page_is_read_again_changed_or_not(store):
    store.record("https://a.cn/1.html", "a", "h")
    for url in ("https://a.cn/1.html", "https://a.cn/2.html"):
        store.record_failure(url, "a", "http_500")
    assert store.record_failure("https://a.cn/2.html", "a", "TimeoutError") == 2
    store.touch("https://a.cn/1.html")  # fetched again, unchanged
    store.record("https://a.cn/2.html", "a", "h2")  # fetched at last
    assert store.failures_of("a") == {}


def test_an_article_recorded_without_a_page_keeps_its_failure_until_recorded_whole(store):
    store.record_failure("https://a.cn/1.html", "a", "blocked:ruishu")
    store.record("https://a.cn/1.html", "a", "part", complete=False)
    store.touch("https://a.cn/1.html", complete=False)
    assert list(store.failures_of("a")) == ["https://a.cn/1.html"]
    store.record("https://a.cn/1.html", "a", "whole")
    assert store.failures_of("a") == {}


def test_a_failed_page_is_due_after_1_2_4_8_runs_of_its_portal(store):
    url = "https://a.cn/1.html"
    due_runs = []
    for run in range(1, 17):
        store.begin_crawl("a")
        due = store.failures_of("a").get(url)
        if due is None or due:  # the first run fetches it anyway; a due run fetches it again
            due_runs.append(run)
            store.record_failure(url, "a", "http_500")
        store.begin_crawl("b")  # runs of another portal do not count
    assert due_runs == [1, 2, 4, 8, 16]


def test_another_programs_database_is_refused(tmp_path):
    db = sqlite3.connect(tmp_path / FILENAME)
    db.execute("CREATE TABLE articles (id INTEGER, text TEXT)")
    db.commit()
    db.close()
    with pytest.raises(StateError, match="another program"):
        sqlite_state(tmp_path)


def test_a_newer_schema_is_refused(tmp_path):
    sqlite_state(tmp_path).close()
    db = sqlite3.connect(tmp_path / FILENAME)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StateError, match="newer"):
        sqlite_state(tmp_path)


def test_crawlall_refuses_a_bad_state_file_in_one_clear_line(tmp_path):
    (tmp_path / FILENAME).write_bytes(b"garbage, not SQLite")
    done = subprocess.run([*SCRAPY, "crawlall", "-s", f"STATE_DIR={tmp_path}", "-s", "REPLAY=tests/fixtures"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"crawl state {tmp_path / FILENAME}: not a usable SQLite database" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / FILENAME).read_bytes() == b"garbage, not SQLite"  # nothing overwritten


@pytest.mark.parametrize("version", [2, 3])
def test_a_state_of_an_older_schema_gains_the_run_figures_and_keeps_its_runs(tmp_path, version):
    """A file as schema 2 (or 3, which adds a table of its own) left it: crawls of four columns."""
    path = tmp_path / FILENAME
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(
            "CREATE TABLE articles (url TEXT PRIMARY KEY, portal TEXT NOT NULL, first_seen TEXT NOT NULL,"
            " last_seen TEXT NOT NULL, content_hash TEXT NOT NULL, duplicate_of TEXT);"
            "CREATE TABLE crawls (id INTEGER PRIMARY KEY, portal TEXT NOT NULL, started TEXT NOT NULL, finished TEXT);"
            "INSERT INTO crawls (portal, started, finished) VALUES ('a', '2026-01-01', '2026-01-01');"
            f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {version};")
    store = sqlite_state(tmp_path)
    try:
        run = store.begin_crawl("a")
        store.close_crawl(run, {"finish_reason": "finished", "items": 3, "listed": 7, "health": ""})
        assert [(r["id"], r["finish_reason"], r["items"], r["listed"]) for r in store.closed_runs("a", 10)] == [
            (2, "finished", 3, 7)]
        assert store.last_finished("a") == "2026-01-01"
    finally:
        store.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert columns(db, "crawls")[:4] == ["id", "portal", "started", "finished"]
        assert len(columns(db, "crawls")) == 17
