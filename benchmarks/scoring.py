"""The seven checks a page is scored by, as the realpages corpus defines them (its README
says how each compares): title, published_at, source, editor, body_starts, body_ends,
must_not_contain. Golds are width-folded; so is what is compared with them.
"""

from __future__ import annotations

import re
from typing import Any

CHECKS = ("title", "published_at", "source", "editor", "body_starts", "body_ends", "must_not_contain")
#: Date precisions, coarse to fine.
RANK = {"day": 1, "minute": 2, "second": 3}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?")
_FIELDS_OF = {3: "day", 5: "minute", 6: "second"}
#: Spaces the golds write as a plain space: ideographic, no-break, en/em/thin, zero-width, BOM.
_ODD_SPACES = dict.fromkeys((0x3000, 0xA0, 0x2002, 0x2003, 0x2009, 0x200B, 0xFEFF), " ")
_WIDTH = str.maketrans({**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, **_ODD_SPACES})
_WHITESPACE = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Full-width ASCII forms → ASCII (Ａ，： → A,:), odd spaces → a space."""
    return (text or "").translate(_WIDTH)


def trim(text: str | None) -> str:
    """Folded, whitespace runs collapsed to one space, ends trimmed: how fields compare."""
    return _WHITESPACE.sub(" ", fold(text)).strip()


def nospace(text: str | None) -> str:
    """Folded with all whitespace removed: how bodies compare (line breaks are layout)."""
    return _WHITESPACE.sub("", fold(text))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def date_parts(iso: str | None, precision: str | None) -> tuple[list[int], str] | None:
    """The numbers of an ISO date and the precision they hold (never finer than
    ``precision`` says), or None for no date."""
    match = _DATE.match(iso or "")
    if not match:
        return None
    parts = [int(x) for x in match.groups() if x is not None]
    have = _FIELDS_OF[len(parts)]
    if precision in RANK and RANK[precision] < RANK[have]:
        have = precision
    return parts, have


def date_ok(gold: dict[str, Any], item: dict[str, Any]) -> bool:
    """Equal at the gold's precision; a coarser item fails; a null gold wants no date, or
    one on a day ``published_at_alt`` accepts."""
    got = date_parts(item.get("published_at"), item.get("date_precision"))
    if gold["published_at"] is None:
        if not item.get("published_at"):
            return True
        return got is not None and any(got[0][:3] == date_parts(alt, "day")[0][:3]
                                       for alt in gold.get("published_at_alt") or [])
    want, precision = date_parts(gold["published_at"], gold["date_precision"])
    if got is None or RANK[got[1]] < RANK[precision]:
        return False
    n = {"day": 3, "minute": 5, "second": 6}[precision]
    return got[0][:n] == want[:n]


def score_page(gold: dict[str, Any], item: dict[str, Any] | None) -> dict[str, bool]:
    """Each check's outcome for one page; a missing item (dropped, an error) fails all."""
    if item is None or "error" in item:
        return dict.fromkeys(CHECKS, False)
    body = nospace(item.get("body"))
    result = {"title": trim(item.get("title")) == trim(gold["title"]), "published_at": date_ok(gold, item)}
    for name in ("source", "editor"):
        value = trim(item.get(name)) or None
        accepted = [gold[name], *(gold.get(f"{name}_alt") or [])]
        result[name] = value is None if gold[name] is None else any(value == trim(a) for a in accepted)
    result["body_starts"] = bool(body) and any(body.startswith(nospace(s)) for s in _as_list(gold["body_starts"]))
    result["body_ends"] = bool(body) and any(body.endswith(nospace(s)) for s in _as_list(gold["body_ends"]))
    result["must_not_contain"] = bool(body) and not any(nospace(s) in body for s in gold["must_not_contain"])
    return result
