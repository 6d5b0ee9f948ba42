"""Canonical article URLs: one spelling per page, whatever host alias or decoration linked it.

The canonical URL is what the item's ``url``, the request fingerprint and the crawl state
use, so ``http://scdfz.org.cn/a?utm_source=x#top`` and ``https://www.scsqw.cn/a`` are one page.
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
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SLASHES = re.compile(r"/{2,}")
#: A script-conversion gateway's copy of a page: ``big5.www.gov.cn/gate/big5/www.gov.cn/<path>``
#: serves ``www.gov.cn/<path>`` converted to Traditional (``gate/gb`` the other way).
_GATEWAY = re.compile(r"^/gate/(?:big5|gb)/([a-z0-9.-]+\.[a-z]{2,}(?::\d+)?)(/.*)$", re.I)
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|php|aspx?|jsp)$", re.IGNORECASE)


def canonical_url(url: str, hosts: tuple[str, ...] = (), scheme: str | None = None) -> str:
    """Canonical form of ``url``.

    ``hosts`` is a portal's host list (canonical first, each ``host`` or ``host:port``); an
    alias is replaced by the first one and the scheme by ``scheme``. Default ports, fragments, tracking parameters,
    ``index.html`` and a lone trailing slash difference are folded; query order is sorted.
    A mirror gateway's URL (``…/gate/big5/www.gov.cn/<path>``) is the original page's.
    A string that is no absolute http(s) URL, or does not parse (a bad port), is returned
    stripped, as it is.
    """
    try:
        return _canonical(url.strip(), hosts, scheme)
    except ValueError:
        return url.strip()


def _canonical(url: str, hosts: tuple[str, ...], scheme: str | None) -> str:
    given = urlsplit(url)
    if given.scheme.lower() not in _DEFAULT_PORTS or not given.hostname:
        return url
    gateway = _GATEWAY.match(given.path)
    if gateway:
        original = urlunsplit((given.scheme, gateway[1], gateway[2], given.query, given.fragment))
        return _canonical(original, hosts, scheme)
    # w3lib first (host case and IDNA, ./ and ../, percent-encoding, query order), so the
    # host compared with the portal's and the path folded below are already in one form.
    parts = urlsplit(canonicalize_url(url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False)))
    new_scheme, host = parts.scheme, parts.hostname or ""
    port = parts.port if parts.port != _DEFAULT_PORTS.get(new_scheme) else None
    # A portal's hosts may carry a port (example.gov.cn:8080): an alias is the host and
    # port together, and becomes the canonical host with its port.
    if hosts and (f"{host}:{port}" if port else host) in hosts:
        host, _, canonical_port = hosts[0].partition(":")
        new_scheme = scheme or new_scheme
        port = int(canonical_port) if canonical_port else None
        if port == _DEFAULT_PORTS.get(new_scheme):
            port = None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    path = _INDEX_PAGE.sub("/", _SLASHES.sub("/", parts.path))
    if path != "/" and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((new_scheme, f"{host}:{port}" if port else host, path or "/", parts.query, ""))
