"""Why a page did not yield: the ``<reason>`` of ``failed/<reason>`` and the failures table.

Scrapy reports most ways a request ends without its page as an IgnoreRequest carrying only
a message (the redirect limit, an offsite redirect, robots.txt); :func:`reason_of` names
each, so every one is a failed page with a reason a user can read in the stats. (A URL over
``URLLENGTH_LIMIT`` never becomes a request at all: govnews.urllength reports it.)
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from govnews.blocks import BlockedPage

#: IgnoreRequest messages of Scrapy's middlewares → reason.
_IGNORED = {
    "max redirections reached": "redirect_limit",
    "Filtered offsite request": "offsite",
    "Forbidden by robots.txt": "robots",
}


#: Scrapy's download errors (scrapy.exceptions, 2.13+) → reason.
_NETWORK = (
    (DownloadTimeoutError, "timeout"),
    (TwistedTimeoutError, "timeout"),
    (CannotResolveHostError, "dns"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (ResponseDataLossError, "data_loss"),  # fewer body bytes than Content-Length promised
    (DownloadFailedError, "connection_lost"),  # closed or reset before a whole answer came
)


def reason_of(failure: Failure) -> str:
    """``blocked:<kind>``, ``http_<status>``, ``redirect_limit``, ``offsite``, ``robots``,
    ``size_cap`` (a body over DOWNLOAD_MAXSIZE), ``timeout``, ``dns``,
    ``connection_refused``, ``data_loss``, ``connection_lost``, else the exception's name."""
    if failure.check(BlockedPage):  # BlockedPage and HttpError are IgnoreRequests: first
        return f"blocked:{failure.value.kind}"
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(IgnoreRequest):
        message = str(failure.value)
        return next((reason for start, reason in _IGNORED.items() if message.startswith(start)), "ignored")
    if failure.check(DownloadCancelledError):
        return "size_cap"
    return next((reason for error, reason in _NETWORK if failure.check(error)), failure.type.__name__)
