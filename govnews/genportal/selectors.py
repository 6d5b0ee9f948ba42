"""A stable CSS selector for an element the finders chose: by id, class and tag, never by position.

Positions (``div[3]``) change with every added banner; ids and class names are what a
template is written with, so they are what a portal file's selectors use
(``div.article h1.art_title``). Ids and classes with long digit runs (``item_38412``) are
generated per page and left out.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.cssselect import CSSSelector

#: A name a CMS generated for one page or item rather than wrote into its template.
_GENERATED = re.compile(r"\d{3,}")
_NAME = re.compile(r"^[A-Za-z_][\w-]*$")
#: Ancestors looked at to make a selector unique.
ANCESTORS = 6


def simple_selectors(element: Any) -> list[str]:
    """``tag#id``, ``tag.class`` for each usable class, ``tag``: the ways to name one element."""
    tag = element.tag
    found = []
    ident = element.get("id") or ""
    if _NAME.match(ident) and not _GENERATED.search(ident):
        found.append(f"{tag}#{ident}")
    for name in (element.get("class") or "").split():
        if _NAME.match(name) and not _GENERATED.search(name):
            found.append(f"{tag}.{name}")
    found.append(tag)
    return found


def selects_first(selector: str, root: Any, element: Any) -> bool:
    """Whether ``selector``'s first match under ``root`` is ``element`` (what the spider uses)."""
    matches = CSSSelector(selector)(root)
    return bool(matches) and matches[0] is element


def stable_selector(element: Any) -> str | None:
    """The shortest selector of id, class and tag names whose first match on the page is
    ``element``, an ancestor's name before it when its own are not enough (``div.crumbs``,
    ``div.news_list ul``); None when no such selector exists."""
    if not isinstance(element.tag, str):
        return None
    root = element.getroottree().getroot()
    own = simple_selectors(element)
    for selector in own[:-1]:  # a bare tag alone (h1) is too loose to last
        if selects_first(selector, root, element):
            return selector
    ancestors = [a for a in element.iterancestors() if isinstance(a.tag, str) and a.tag not in ("html", "body")]
    for ancestor in ancestors[:ANCESTORS]:
        for above in simple_selectors(ancestor)[:-1]:
            for selector in own:
                candidate = f"{above} {selector}"
                if selects_first(candidate, root, element):
                    return candidate
    return None


def lowest_common_ancestor(elements: list[Any]) -> Any:
    """The deepest element holding all of ``elements``."""
    chains = [[element, *element.iterancestors()][::-1] for element in elements]
    common = None
    for level in zip(*chains):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return common


def depth(element: Any) -> int:
    return sum(1 for _ in element.iterancestors())

