"""Weigh the signs of :data:`govnews.cms.families.FAMILIES` found on one page.

A family is named when its signs on the page weigh :data:`SURE` or more and no other family's
weigh as much: one shared URL shape alone (``content_123.htm``) names nothing, a
``TRS_Editor`` body or a DedeCMS asset path does.
"""

from __future__ import annotations

import re
from functools import cache

from govnews.cms.families import FAMILIES, Family, Sign
from govnews.cms.literals import required_literals

#: Weight of signs at and above which a page is taken to run on a family.
SURE = 2
#: Only the page's first characters are searched: the head and the article's markup are
#: there, and a long page must not cost a regex pass over all of it per sign.
HTML_SCANNED = 200_000
_GENERATOR = re.compile(
    r"<meta\s+[^>]*?(?:name=[\"']?generator[\"']?\s+[^>]*?content=[\"']([^\"'>]*)"
    r"|content=[\"']([^\"'>]*)[\"']\s+[^>]*?name=[\"']?generator\b)", re.I)


class _Places:
    """The places signs are searched in, each read once per page, with a lower-cased
    ASCII copy for the literal check that spares most regex passes."""

    def __init__(self, html: str, url: str) -> None:
        head = html[:HTML_SCANNED]
        generator = " ".join(" ".join(filter(None, m.groups())) for m in _GENERATOR.finditer(head))
        source = head.encode("utf-8", "surrogatepass")
        folded = source.lower()  # ASCII alone changes case: offsets stay those of ``source``
        links = _links(source, folded)
        self.text = {"generator": generator, "html": head, "links": links.decode("utf-8", "surrogatepass"),
                     "url": url.split("#")[0]}
        self.folded = {"generator": generator.encode("utf-8", "surrogatepass").lower(), "html": folded,
                       "links": links.lower(), "url": self.text["url"].encode("utf-8", "surrogatepass").lower()}
        #: Whether a literal is in a place's folded text: signs share literals (``href=``).
        self.present: dict[tuple[str, bytes], bool] = {}

    def found(self, sign: Sign) -> bool:
        text = self.text[sign.where]
        if not text:
            return False
        # A regex pass over 200 kB costs milliseconds; a substring test, microseconds.
        if not all(any(self._has(sign.where, literal) for literal in either) for either in _literals_of(sign)):
            return False
        return sign.pattern.search(text) is not None

    def _has(self, where: str, literal: bytes) -> bool:
        key = (where, literal)
        found = self.present.get(key)
        if found is None:
            found = self.present[key] = literal in self.folded[where]
        return found


#: From an ``href=``'s ``=`` on: its quoted value, and the closing quote when there is one.
_QUOTED = re.compile(rb"[\"'][^\"']*([\"'])?")


def _links(source: bytes, folded: bytes) -> bytes:
    """The ``href="…"`` attributes of ``source`` (UTF-8; ``folded`` its lower-cased copy),
    each up to and with its closing quote, joined by a quote.

    A ``links`` sign (``href=["'][^"']*…`` with something required in the value) matches in
    them exactly where it matches in the whole source: its match starts at an ``href=`` and
    never crosses a quote, so it lies in one attribute. Attributes may overlap (``title="
    href="`` opens one at another's closing quote): each is kept whole, and the quote between
    two ends any match that started at the first's tail with an empty value. The value
    running to the end (no closing quote) is the last kept: any later one is inside it.
    UTF-8 puts no quote byte inside a character, so each piece decodes alone.
    """
    pieces = []
    start = folded.find(b"href=")
    while start != -1:
        quoted = _QUOTED.match(folded, start + 5)
        if quoted:
            pieces.append(source[start:quoted.end()])
            if quoted.group(1) is None:
                break
        start = folded.find(b"href=", start + 1)
    return b"'".join(pieces)


@cache
def _literals_of(sign: Sign) -> list[tuple[bytes, ...]]:
    return [tuple(literal.lower().encode("ascii") for literal in either) for either in required_literals(sign.pattern)]


def detect(html: str, url: str = "") -> str | None:
    """Name of the CMS family the page at ``url`` with source ``html`` runs on, or None."""
    places = _Places(html, url)
    scores = sorted(((_score(family, places), family.name) for family in FAMILIES.values()), reverse=True)
    (best, name), (second, _) = scores[0], scores[1]
    return name if best >= SURE and best > second else None


def score(family: Family, html: str, url: str) -> int:
    """Total weight of ``family``'s signs found on the page."""
    return _score(family, _Places(html, url))


def _score(family: Family, places: _Places) -> int:
    return sum(sign.weight for sign in family.signs if places.found(sign))
