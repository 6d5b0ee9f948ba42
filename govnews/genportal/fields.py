"""Selectors for the parts of an article the generic finders located on the sample pages.

Each finder (:mod:`spiders.heuristics`) gives an element (the body) or a text (title,
breadcrumb, meta line); for a text, the element is the innermost one whose text, read as a
spider reads a selector's match, is that text. A selector is proposed for a part only
when one selector picks that element on every sample page: then the portal's selector and
the finder agree wherever the template holds, and the finder is still there when it does not.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector
from scrapy.http import TextResponse

from govnews.genportal.selectors import selects_first, stable_selector
from spiders import heuristics
from spiders.base import text_of

_SPACES = re.compile(r"\s+")
#: The parts located, with the separator the spider joins a match's text nodes with.
PARTS = {"title": "", "breadcrumb": " ", "meta": " ", "body": ""}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def located(page: TextResponse) -> dict[str, Any]:
    """The element each finder used on ``page``, by part; a part not found is left out."""
    body = heuristics.find_body(page)
    crumb = heuristics.find_breadcrumb(page)
    texts = {
        "breadcrumb": crumb,
        "title": heuristics.find_title(page, body, crumb or ""),
        "meta": heuristics.find_meta(page, body),
    }
    found: dict[str, Any] = {"body": body.root} if body is not None else {}
    root = page.xpath("//body")
    if not root:
        return found
    for part, text in texts.items():
        if text and "\n" not in text:  # a meta line spread over elements: no one selector
            element = _innermost_with_text(root[0].root, text, PARTS[part])
            if element is not None:
                found[part] = element
    return found


def _innermost_with_text(root: Any, text: str, sep: str) -> Any:
    """The element under ``root`` whose text, as the spider reads a match, is ``text``: the
    innermost of its nesting chain, a heading before other elements (the end of a location
    bar or a sidebar link may repeat the headline), else the first in the page."""
    wanted = _SPACES.sub(" ", text).strip()
    matches = [e for e in root.iter() if isinstance(e.tag, str) and e.tag not in ("script", "style")
               and wanted[:1] in "".join(e.itertext()) and _spider_text(e, sep) == wanted]
    innermost = [e for e in matches if not any(o is not e and _inside(o, e) for o in matches)]
    headings = [e for e in innermost if e.tag in _HEADINGS]
    return (headings or innermost or [None])[0]


def _inside(element: Any, ancestor: Any) -> bool:
    return any(a is ancestor for a in element.iterancestors())


def _spider_text(element: Any, sep: str) -> str:
    return text_of(Selector(root=element, type="html"), sep)


def propose(pages: list[TextResponse]) -> tuple[dict[str, str], dict[str, str]]:
    """(selectors by part, why a part has none) over the sample article ``pages``."""
    per_page = [located(page) for page in pages]
    chosen: dict[str, str] = {}
    undecided: dict[str, str] = {}
    for part in PARTS:
        elements = [found.get(part) for found in per_page]
        if not any(element is not None for element in elements):
            undecided[part] = "the finder found none on the sample pages"
            continue
        if any(element is None for element in elements):
            undecided[part] = "the finder found one on some sample pages only"
            continue
        candidates = list(dict.fromkeys(filter(None, map(stable_selector, elements))))
        agreeing = [c for c in candidates if all(_picks(c, e) for e in elements)]
        if agreeing:
            chosen[part] = agreeing[0]
        else:
            undecided[part] = "no one selector picks the finder's element on every sample page"
    return chosen, undecided


def _picks(selector: str, element: Any) -> bool:
    return selects_first(selector, element.getroottree().getroot(), element)
