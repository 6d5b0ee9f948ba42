"""Crawl states for the tests, opened as the crawl opens them (govnews.state.open_state)."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings

from govnews.state import State, open_state


def sqlite_state(directory: Path) -> State:
    """The SQLite state in ``directory``."""
    return open_state(Settings({"STATE_DIR": str(directory)}))
