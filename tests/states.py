"""Crawl states for the tests, opened as the crawl opens them (govnews.state.open_state).

``state_settings`` gives each test that asks for it twice: once with a SQLite state in its
``tmp_path``, once with a Redis state on a real ``redis-server`` of its own (the
``redis_server`` fixture), so one set of tests holds both backends to one interface.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from scrapy.settings import Settings

from govnews.state import State, open_state


def sqlite_state(directory: Path) -> State:
    """The SQLite state in ``directory``."""
    return open_state(Settings({"STATE_DIR": str(directory)}))


@pytest.fixture(params=["sqlite", "redis"])
def state_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The settings of a fresh crawl state: ``STATE_DIR`` and, for Redis, ``REDIS_URL``."""
    settings = {"STATE_DIR": str(tmp_path / "state")}
    if request.param == "redis":
        settings["REDIS_URL"] = request.getfixturevalue("redis_server").url
    return settings


@pytest.fixture
def state(state_settings: dict[str, str]) -> Iterator[State]:
    """The crawl state of ``state_settings``, open (and closed after the test)."""
    opened = open_state(Settings(state_settings))
    yield opened
    while opened.users:
        opened.close()


def failures_in(settings: dict[str, str]) -> list[tuple[str, str, int]]:
    """(url, reason, attempts) of every failed page, read as an operator would: with
    sqlite3, or ``HGETALL govnews:failures``."""
    if settings.get("REDIS_URL"):
        client = redis.Redis.from_url(settings["REDIS_URL"], decode_responses=True)
        with contextlib.closing(client):
            rows = client.hgetall("govnews:failures").items()
        return sorted((url, value.split("\t")[1], int(value.split("\t")[2])) for url, value in rows)
    path = Path(settings["STATE_DIR"]) / "crawl.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as db:
        return sorted(db.execute("SELECT url, reason, attempts FROM failures").fetchall())
