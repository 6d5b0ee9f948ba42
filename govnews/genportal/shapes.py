"""URL shapes: a start page's links grouped by path, and the RE2 patterns portal files use.

A CMS writes every article of a site through one template of path (``/a/x/y/2020/0508/32214.html``,
``/news/2020-05/22/content_33174.htm``), so links of one kind share a shape: the path with its
digit runs generalised. Grouping the links of a list page by shape separates articles from
navigation, and the group's members say how each digit run varies: a run of one length in
every member (a year, a ``mmdd``) is written ``\\d{n}``, the last run (an id, which grows) and
runs of varying length ``\\d+``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_DIGITS = re.compile(r"\d+")
#: What may follow a path in a URL the pattern matches (query, fragment), as the project's portal files write it.
_TAIL = r"(?:[?#].*)?$"


def shape_of(path: str) -> str:
    r"""``/news/\d/content_\d.htm`` for ``/news/2020-05/22/content_33174.htm``: the grouping key."""
    return _DIGITS.sub(r"\\d", path)


@dataclass
class LinkGroup:
    """Links of one path shape: their URLs (page order, once each) and the hosts they are on."""

    shape: str
    urls: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)

    def add(self, url: str) -> None:
        if url not in self.urls:
            self.urls.append(url)
        host = urlsplit(url).netloc.lower()
        if host not in self.hosts:
            self.hosts.append(host)

    @property
    def paths(self) -> list[str]:
        return [urlsplit(url).path for url in self.urls]

    def path_regex(self) -> str:
        """The group's paths as one regex: literal text escaped, digit runs generalised."""
        return generalised(self.paths)


def group_links(urls: Iterable[str]) -> dict[str, LinkGroup]:
    """http(s) ``urls`` grouped by :func:`shape_of` their path, in page order."""
    groups: dict[str, LinkGroup] = {}
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        key = shape_of(parts.path)
        groups.setdefault(key, LinkGroup(key)).add(url)
    return groups


def generalised(paths: list[str]) -> str:
    r"""One regex for paths of one shape: ``/a/b/\d{4}/\d{4}/\d+\.html`` for
    ``/a/b/2020/0508/32214.html`` and ``/a/b/2020/0429/31867.html``."""
    literals = _DIGITS.split(paths[0])
    runs = [_DIGITS.findall(path) for path in paths]
    pieces = [_escape(literals[0])]
    for index, literal in enumerate(literals[1:]):
        lengths = {len(found[index]) for found in runs}
        last = index == len(literals) - 2
        pieces.append(rf"\d{{{lengths.pop()}}}" if len(lengths) == 1 and not last else r"\d+")
        pieces.append(_escape(literal))
    return "".join(pieces)


def host_prefix(hosts: list[str]) -> str:
    """``^https?://(?:a\\.cn|b\\.cn)(?::\\d+)?``: a pattern's start, on the portal's hosts only."""
    names = sorted({host.split(":")[0] for host in hosts}, key=hosts.index)
    alternation = "|".join(re.escape(name) for name in names)
    return rf"^https?://(?:{alternation})(?::\d+)?"


def url_pattern(hosts: list[str], path_regex: str) -> str:
    """A full ``[urls]`` pattern: the portal's hosts, the path, an optional query or fragment."""
    return host_prefix(hosts) + path_regex + _TAIL


def list_path_regex(start: str, following: str | None) -> str:
    r"""The path regex of a list's pages from its first page's path and its next page's:
    ``/news/list_\d+(?:_\d+)?\.html`` from ``/news/list_12.html`` and ``/news/list_12_2.html``;
    ``/a/b/(?:list_\d+_\d+\.html)?`` from ``/a/b/`` and ``/a/b/list_12_2.html``. The part the
    next page changes or adds is generalised, the rest kept as on the first page (digit runs
    generalised). Without a next page, the first page's path alone."""
    if following is None or following == start:
        return generalised([start])
    prefix = _common_prefix(start, following)
    suffix = _common_prefix(start[len(prefix):][::-1], following[len(prefix):][::-1])[::-1]
    first, second = start[len(prefix):len(start) - len(suffix)], following[len(prefix):len(following) - len(suffix)]
    # A digit run split between the common part and the changed part is all in the changed part.
    while prefix and prefix[-1].isdigit() and (first[:1].isdigit() or second[:1].isdigit()):
        prefix, first, second = prefix[:-1], prefix[-1] + first, prefix[-1] + second
    while suffix and suffix[0].isdigit() and (first[-1:].isdigit() or second[-1:].isdigit()):
        suffix, first, second = suffix[1:], first + suffix[0], second + suffix[0]
    changed = [_loose(part) for part in (first, second) if part]
    middle = changed[0] if len(set(changed)) == 1 else "(?:" + "|".join(dict.fromkeys(changed)) + ")"
    if len(changed) == 1:
        middle = f"(?:{changed[0]})?"
    return _loose(prefix) + middle + _loose(suffix)


def _loose(text: str) -> str:
    """``text`` escaped with every digit run as ``\\d+`` (a list's or page's number)."""
    return "".join(r"\d+" if part.isdigit() else _escape(part) for part in re.split(r"(\d+)", text) if part)


def _escape(text: str) -> str:
    """``text`` as a regex matching it literally, as a person writes one (``-`` and ``/``
    need no backslash outside a character class)."""
    return re.escape(text).replace(r"\-", "-")


def _common_prefix(a: str, b: str) -> str:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return a[:length]
