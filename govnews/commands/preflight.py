"""What ``scrapy crawl`` and ``scrapy crawlall`` check and take before any crawler starts.

A bad portal file, a malformed replay manifest or an unusable state file is one line and
exit code 2 here, instead of a traceback inside a crawler (and, for a bad replay root, a
crawl that would silently go live). Each portal's lock (govnews.locks) is taken before
the state is opened, so a second run of a portal leaves the state untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.settings import BaseSettings

from govnews.commands.arguments import refuse
from govnews.distributed import distributed
from govnews.locks import LockHeld, PortalLock
from govnews.replay import ReplayError, sources_in
from govnews.state import State, StateError, open_state
from portals import Portal, PortalError, load_configured_portal

logger = logging.getLogger(__name__)


@dataclass
class PreparedRun:
    """The portals this run crawls (their locks held), and the ones another process holds."""

    portals: list[Portal]
    held: list[str] = field(default_factory=list)  # one message per portal crawled elsewhere
    locks: list[PortalLock] = field(default_factory=list)
    state: State | None = None

    def close(self) -> None:
        """Close the state and let the next crawls of these portals in."""
        if self.state is not None:
            self.state.close()
            self.state = None
        for lock in self.locks:
            lock.release()
        self.locks.clear()


def prepare(settings: BaseSettings, names: Iterable[str], template: str | None = None) -> PreparedRun:
    """Load the portals ``names`` (each once), check the replay roots, lock the portals
    and open the state; every mistake is a ``UsageError`` naming it. A portal another
    process is crawling is left out, with one ERROR line (its run exits 5)."""
    try:
        portals = [load_configured_portal(name, settings) for name in dict.fromkeys(names)]
        for portal in portals:
            if template and portal.template != template:
                raise PortalError(f"portal {portal.name!r} is of template {portal.template!r}, not"
                                  f" {template!r}: scrapy crawl {portal.template} -a portal={portal.name}")
        for root in settings.getlist("REPLAY"):  # a bad one must not mean a live crawl
            sources_in(Path(root).resolve())
    except (PortalError, ReplayError) as exc:
        raise refuse(str(exc)) from exc
    state_dir = settings.get("STATE_DIR") or "state"
    run = PreparedRun([])
    for portal in portals:
        if distributed(settings):  # workers of one crawl share its portals (govnews.distributed)
            run.portals.append(portal)
            continue
        lock = PortalLock(state_dir, portal.name)
        try:
            lock.acquire()
        except LockHeld as exc:
            logger.error("%s", exc)
            run.held.append(str(exc))
            continue
        except OSError as exc:
            run.close()
            raise refuse(f"portal lock {lock.path}: cannot be created ({exc})") from None
        run.locks.append(lock)
        run.portals.append(portal)
    if run.portals:
        try:
            # Opened once for all crawlers: a bad state file is one clear line, not a
            # traceback per crawler; the crawlers share this store (State.shared).
            run.state = open_state(settings)
        except StateError as exc:
            run.close()
            raise refuse(str(exc)) from exc
    return run
