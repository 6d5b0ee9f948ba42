"""Mistakes in a command line or a file are one line, never a traceback, and a non-zero
exit: real ``scrapy`` subprocesses, each asserting the one line and the exit code."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crawling import ROOT
from tests.states import sqlite_state

#: The command as users run it (its name starts the error line).
SCRAPY = [str(Path(sys.executable).parent / "scrapy")]


def run(*args: str) -> tuple[int, list[str], str]:
    """Exit code, the lines that say ``error:``, and everything printed."""
    done = subprocess.run([*SCRAPY, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    return done.returncode, [line for line in output.splitlines() if "error:" in line.lower()], output


def assert_one_line(args, message):
    code, errors, output = run(*args)
    assert "Traceback" not in output and "Portal(" not in output, output[-3000:]
    assert errors == [f"scrapy: error: {message}"], output[-3000:]
    assert code == 2


@pytest.fixture
def portals(tmp_path):
    """A copy of the cqmjsw portal file, with a line to break it."""
    folder = tmp_path / "portals"
    folder.mkdir()
    shutil.copy(ROOT / "seeds" / "cqmjsw.txt", folder)

    def write(extra: str) -> str:
        toml = (ROOT / "portals" / "cqmjsw.toml").read_text(encoding="utf-8")
        (folder / "cqmjsw.toml").write_text(toml.replace('scheme = "https"', f'scheme = "https"\n{extra}'), encoding="utf-8")
        return str(folder)
    return write


def test_crawlall_with_portal_instead_of_portals(tmp_path):
    assert_one_line(["crawlall", "-a", "portal=cqmjsw", "-s", f"STATE_DIR={tmp_path}"],
                    "crawlall takes -a portals=a,b (a list of portals), not -a portal=")


def test_crawlall_with_an_unknown_argument(tmp_path):
    assert_one_line(["crawlall", "-a", "portals=cqmjsw", "-a", "portl=x", "-s", f"STATE_DIR={tmp_path}"],
                    "unknown argument -a portl=; crawlall takes -a portals=…")


def test_crawlall_with_an_unknown_portal(tmp_path):
    assert_one_line(["crawlall", "-a", "portals=nope", "-s", f"STATE_DIR={tmp_path}"],
                    f"portal 'nope': no file {ROOT / 'portals' / 'nope.toml'} (known portals: cqmjsw, gjdb, lzbs_mirror, scsqw, whrx)")


@pytest.mark.parametrize("extra, message", [
    ('encoding = "gbkk"', "encoding must name a text encoding such as 'gbk', found 'gbkk'"),
    ("exec = 1", "unknown keys ['exec']"),
])
def test_crawlall_with_a_bad_portal_file(tmp_path, portals, extra, message):
    folder = portals(extra)
    assert_one_line(["crawlall", "-a", "portals=cqmjsw", "-s", f"PORTALS_DIR={folder}", "-s", f"STATE_DIR={tmp_path}"],
                    f"{folder}/cqmjsw.toml: {message}")


@pytest.mark.parametrize("manifest, problem", [
    ("{bad", "unreadable (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
    ('{"responses": {"url": "x"}}', 'not an object with a "responses" list'),
    ('{"responses": [{"file": "a.html"}]}', 'responses[0] has no "url"'),
])
def test_a_malformed_replay_manifest_is_named(tmp_path, manifest, problem):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "manifest.json").write_text(manifest, encoding="utf-8")
    assert_one_line(["crawlall", "-a", "portals=cqmjsw", "-s", f"REPLAY={archive}", "-s", f"STATE_DIR={tmp_path}"],
                    f"replay manifest {archive / 'manifest.json'}: {problem}")


def test_extract_of_a_missing_file():
    assert_one_line(["extract", "/nonexistent/page.html", "--url", "http://www.example.gov.cn/a.html"],
                    "/nonexistent/page.html: no such file")


def test_a_zero_length_state_file_is_refused(tmp_path):
    state = tmp_path / "state" / "crawl.sqlite3"
    state.parent.mkdir()
    state.write_bytes(b"")
    assert_one_line(["crawlall", "-a", "portals=cqmjsw", "-s", f"STATE_DIR={state.parent}", "-s", "REPLAY=tests/fixtures"],
                    f"crawl state {state}: the file is empty (0 bytes), not a new state: a copy or a disk that lost it?"
                    " Restore it from a backup, or delete it to start afresh")
    assert state.stat().st_size == 0  # left as it was


def test_a_locked_state_is_in_use_not_to_be_moved_away(tmp_path):
    sqlite_state(tmp_path / "state").close()
    state = tmp_path / "state" / "crawl.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time; db = sqlite3.connect(sys.argv[1], isolation_level=None);"
         " db.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(120)", str(state)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        assert_one_line(["crawlall", "-a", "portals=cqmjsw", "-s", f"STATE_DIR={state.parent}", "-s", "REPLAY=tests/fixtures"],
                        f"crawl state {state}: in use by another process, which holds its write lock (still after 5 s);"
                        " run again when it is done")
        assert time.monotonic() - started < 30
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
