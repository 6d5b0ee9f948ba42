"""The page as the finders read it: one parse, into lxml's plain element classes.

Scrapy's selector parses HTML with ``lxml.html``, whose elements get their Python class
from a lookup written in Python, run again every time an element is visited afresh; the
finders visit every element of a page several times, and on real pages those lookups
cost several times the parse itself. The tree is the same, so are XPath, CSS and
serialization; only ``lxml.html``'s extra element methods (``text_content()`` →
``xpath("string()")``) are not there. The body the finders chose is handed to the noise
stage as a tree (:func:`detached_body`), so a page's HTML is parsed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from typing import Any

from lxml import etree
from parsel.selector import create_root_node
from scrapy.http import HtmlResponse, TextResponse
from scrapy.selector import Selector
from scrapy.utils.response import get_base_url


class PageResponse(HtmlResponse):
    """An HTML response whose selector is built on plain ``lxml.etree`` elements."""

    __slots__ = ()

    @property
    def selector(self) -> Selector:
        if self._cached_selector is None:
            root = create_root_node(self.text, etree.HTMLParser, base_url=get_base_url(self))
            self._cached_selector = Selector(root=root, type="html")
        return self._cached_selector


def as_page(response: TextResponse) -> PageResponse:
    """``response`` as a :class:`PageResponse`, its body decoded once. Scrapy's ``replace``
    builds a response that infers its encoding and decodes the body again (both cost a
    pass over the page), and whose every ``text`` looks for a declared encoding again
    unless one is given: it is given the encoding and the text ``response`` has."""
    page = response.replace(cls=PageResponse, encoding=response.encoding)
    page._cached_ubody = response.text
    return page


def detached_body(body: Selector | None, cuts: Sequence[Selector] = ()) -> Any:
    """A copy of the body element, in a ``<div>``, for the noise stage to take apart (it
    removes nodes) without parsing the body's HTML again: the tree the HTML in
    ``raw["body_html"]`` would parse into, ``cuts`` (the disclosure block or its lines) left
    out as their HTML is cut out of that. None without a body, or when a cut is the whole body."""
    if body is None or any(cut.root is body.root for cut in cuts):
        return None
    root = etree.Element("div")
    copy = deepcopy(body.root)
    copy.tail = None  # the body's HTML ends with its closing tag
    root.append(copy)
    paths = [path for path in (_path_to(cut.root, body.root) for cut in cuts) if path is not None]
    nodes = []
    for path in paths:  # all found before any is cut: a cut shifts its siblings' indexes
        node = copy
        for index in path:
            node = node[index]
        nodes.append(node)
    for node in nodes:
        _cut(node)
    return root


def _path_to(node: Any, ancestor: Any) -> list[int] | None:
    """Child indexes leading from ``ancestor`` down to ``node``, or None when ``node`` is
    not under it."""
    path: list[int] = []
    while node is not ancestor:
        parent = node.getparent()
        if parent is None:
            return None
        path.append(parent.index(node))
        node = parent
    return path[::-1]


def _cut(node: Any) -> None:
    """Remove ``node`` and its content; the text after it stays where it was."""
    previous, parent = node.getprevious(), node.getparent()
    if node.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
