"""The page as the finders read it: one parse, into lxml's plain element classes.

Scrapy's selector parses HTML with ``lxml.html``, whose elements get their Python class
from a lookup written in Python, run again every time an element is visited afresh; the
finders visit every element of a page several times, and on real pages those lookups
cost several times the parse itself. The tree is the same, so are XPath, CSS and
serialization; only ``lxml.html``'s extra element methods (``text_content()`` →
``xpath("string()")``) are not there.
"""

from __future__ import annotations

from lxml import etree
from parsel.selector import create_root_node
from scrapy.http import HtmlResponse
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
