"""Weigh the signs of :data:`govnews.cms.families.FAMILIES` found on one page.

A family is named when its signs on the page weigh :data:`SURE` or more and no other family's
weigh as much: one shared URL shape alone (``content_123.htm``) names nothing, a
``TRS_Editor`` body or a DedeCMS asset path does.
"""

from __future__ import annotations

import re

from govnews.cms.families import FAMILIES, Family

#: Weight of signs at and above which a page is taken to run on a family.
SURE = 2
#: Only the page's first characters are searched: the head and the article's markup are
#: there, and a long page must not cost a regex pass over all of it per sign.
HTML_SCANNED = 200_000
_GENERATOR = re.compile(
    r"<meta\s+[^>]*?(?:name=[\"']?generator[\"']?\s+[^>]*?content=[\"']([^\"'>]*)"
    r"|content=[\"']([^\"'>]*)[\"']\s+[^>]*?name=[\"']?generator\b)", re.I)


def detect(html: str, url: str = "") -> str | None:
    """Name of the CMS family the page at ``url`` with source ``html`` runs on, or None."""
    scores = sorted(((score(family, html, url), family.name) for family in FAMILIES.values()), reverse=True)
    (best, name), (second, _) = scores[0], scores[1]
    return name if best >= SURE and best > second else None


def score(family: Family, html: str, url: str) -> int:
    """Total weight of ``family``'s signs found on the page."""
    head = html[:HTML_SCANNED]
    generator = " ".join(" ".join(filter(None, m.groups())) for m in _GENERATOR.finditer(head))
    places = {"generator": generator, "html": head, "url": url.split("#")[0]}
    return sum(sign.weight for sign in family.signs if places[sign.where] and sign.pattern.search(places[sign.where]))
