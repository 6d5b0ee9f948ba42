"""The crawl state: what earlier runs saw.

:func:`open_state` is the one way in: the SQLite file under ``STATE_DIR``
(govnews.state.sqlite). The interface every backend keeps is govnews.state.base.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from govnews.state.base import RUN_FIGURES, Claim, Run, Signed, State, StateError, utc_now
from govnews.state.sqlite import SqliteState

__all__ = ["RUN_FIGURES", "Claim", "Run", "Signed", "State", "StateError", "open_state", "utc_now"]


def open_state(settings: BaseSettings) -> State:
    """The crawl state these settings name, shared within the process; :meth:`State.close`
    it once. Raises :class:`StateError` naming a state that cannot be used."""
    return SqliteState.open_dir(settings.get("STATE_DIR") or "state")
