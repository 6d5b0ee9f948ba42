"""Canonical article URLs: one spelling per page, whatever host alias or decoration linked it.

The canonical URL is what the item's ``url``, the request fingerprint and the crawl state
use, so ``http://scdfz.org.cn/a?utm_source=x#top`` and ``http://www.scsqw.cn/a`` are one page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that only say where a click came from.
TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
    "spm", "from", "share_token", "isappinstalled", "fbclid", "gclid", "wxshare_count",
)
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|php|aspx?|jsp)$", re.IGNORECASE)


def canonical_url(url: str, hosts: tuple[str, ...] = (), scheme: str | None = None) -> str:
    """Canonical form of ``url``.

    ``hosts`` is a portal's host list (canonical first); an alias host is replaced by the
    first one and the scheme by ``scheme``. Default ports, fragments, tracking parameters,
    ``index.html`` and a lone trailing slash difference are folded; query order is sorted.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80, 443) else None
    new_scheme = (parts.scheme or "http").lower()
    if hosts and host in hosts:
        host = hosts[0]
        if scheme:
            new_scheme = scheme
    netloc = f"{host}:{port}" if port else host
    path = _INDEX_PAGE.sub("/", parts.path) or "/"
    if path != "/" and path.endswith("/"):
        path = path.rstrip("/") or "/"
    cleaned = urlunsplit((new_scheme, netloc, path, parts.query, ""))
    cleaned = url_query_cleaner(cleaned, TRACKING_PARAMS, remove=True, keep_fragments=False)
    return canonicalize_url(cleaned)
