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
    """The three places signs are searched in, each read once per page, with a lower-cased
    ASCII copy for the literal check that spares most regex passes."""

    def __init__(self, html: str, url: str) -> None:
        head = html[:HTML_SCANNED]
        generator = " ".join(" ".join(filter(None, m.groups())) for m in _GENERATOR.finditer(head))
        self.text = {"generator": generator, "html": head, "url": url.split("#")[0]}
        self.folded = {where: text.encode("utf-8", "surrogatepass").lower() for where, text in self.text.items()}

    def found(self, sign: Sign) -> bool:
        text = self.text[sign.where]
        if not text:
            return False
        # A regex pass over 200 kB costs milliseconds; a substring test, microseconds.
        folded = self.folded[sign.where]
        if not all(any(literal in folded for literal in either) for either in _literals_of(sign)):
            return False
        return sign.pattern.search(text) is not None


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
