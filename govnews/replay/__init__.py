"""Answer requests from archives instead of the network.

On when the ``REPLAY`` setting names archives (several: comma-separated): a folder of
saved pages (:mod:`govnews.replay.folder`), a WARC file, or a folder of WARC files
(:mod:`govnews.replay.warc`). The same spider code runs live when ``REPLAY`` is unset.
"""

from govnews.replay.archive import ReplayArchive, ReplayError, sources_in
from govnews.replay.middleware import ReplayMiddleware

__all__ = ["ReplayArchive", "ReplayError", "ReplayMiddleware", "sources_in"]
