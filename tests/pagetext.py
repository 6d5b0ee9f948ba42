"""Visible text of a saved page, the way the seed documents' text-dump tool saw it.

Used to check that saved pages really contain the seed text: window title, body text,
image alt text, with full-width ASCII forms folded to ASCII as the dumps show them.
"""

from __future__ import annotations

import re

from parsel import Selector

_INVISIBLE = {"script", "style", "noscript", "template", "head"}
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Fold full-width ASCII forms (！ to ~) and the ideographic space to ASCII."""
    return text.translate(_FULLWIDTH)


def visible_text(html: str) -> str:
    """Window title, then every visible text node and image alt text, in document order."""
    sel = Selector(text=html)
    root = sel.root
    parts: list[str] = []
    title = sel.xpath("//head/title/text()").get()
    if title:
        parts.append(title)
    body = root.find(".//body")
    for node in (body if body is not None else root).iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if _hidden(node):
            continue
        if tag == "img" and node.get("alt"):
            parts.append(node.get("alt"))
        if tag and tag not in _INVISIBLE and node.text:  # comments and PIs have no tag
            parts.append(node.text)
        if node.tail and not _hidden(node.getparent()):
            parts.append(node.tail)
    return fold_width("\n".join(parts))


def _hidden(node) -> bool:
    while node is not None:
        if isinstance(node.tag, str) and node.tag in _INVISIBLE:
            return True
        node = node.getparent()
    return False


def squash(text: str) -> str:
    """Drop every whitespace character and list bullet: layouts differ, words don't."""
    return re.sub(r"[\s•]+", "", text)


def missing_seed_lines(page_text: str, seed_text: str) -> list[str]:
    """Seed lines not found in ``page_text`` in order (empty list: all found)."""
    haystack = squash(fold_width(page_text))
    position = 0
    missing = []
    for line in seed_text.splitlines():
        needle = squash(fold_width(line))
        if not needle:
            continue
        found = haystack.find(needle, position)
        if found < 0:
            missing.append(line.strip())
        else:
            position = found + len(needle)
    return missing
