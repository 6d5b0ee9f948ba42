"""One crawl of a portal at a time on one state: a lock file per portal beside the state.

Two runs of one portal at once (a slow cron run overlapping the next, ``-a portals=a`` given
to two jobs) would both fetch and emit the same new articles before either records them.
``<STATE_DIR>/locks/<portal>.lock`` is held with ``flock`` for the whole run; the kernel
drops it when the process ends however it ends (SIGKILL, power cut), so there is never a
stale lock to clean up by hand. The file holds the holder's pid and start time, for the
message the second run exits with. Different portals lock different files and run at once.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from govnews.state import utc_now

FOLDER = "locks"


class LockHeld(RuntimeError):
    """The portal is being crawled by another process on this state."""


class PortalLock:
    """The lock of one portal's crawls on the state in ``state_dir``; :meth:`release` it."""

    def __init__(self, state_dir: str | Path, portal: str) -> None:
        self.portal = portal
        self.path = Path(state_dir) / FOLDER / f"{portal}.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`LockHeld` saying who holds it and since when."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            by = f"pid {holder[0]} since {holder[1]}" if holder else "another process"
            raise LockHeld(f"portal {self.portal} is being crawled by {by} (lock {self.path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {utc_now()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        """Let the next crawl of the portal in (the file stays: it is reused)."""
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor drops the flock
            self._fd = None


def _holder(fd: int) -> tuple[str, str] | None:
    """The holder's pid and start time. A holder writes them just after taking the lock:
    read again for up to a second while the file is still empty (or half written)."""
    for _ in range(20):
        words = os.pread(fd, 200, 0).decode("ascii", "replace").split()
        if len(words) == 2:
            return words[0], words[1]
        time.sleep(0.05)
    return None
