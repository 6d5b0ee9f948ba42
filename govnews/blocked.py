"""Block pages never reach the spider: each is a failed page (``failed/blocked:<kind>``).

A downloader middleware between decompression and retries. A list or article response
that :func:`govnews.blocks.classify` names a block page, with any status, is turned into a
:class:`BlockedPage` (an IgnoreRequest), so it takes the request's errback like any page
that did not answer: logged, counted, kept in the state's failures table and fetched
again later. It is never parsed, so never emitted, never recorded as seen and never a
dedupe canonical. Stats: ``blocked/count`` and ``blocked/<kind>``.
"""

from __future__ import annotations

import codecs
import logging
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from govnews.blocks import BlockedPage, classify
from spiders.base import PAGE_KIND

logger = logging.getLogger(__name__)


def same_codec(one: str, other: str) -> bool:
    """Whether two encoding labels name one codec (``UTF8`` and ``utf-8``); an unknown
    label is another codec."""
    try:
        return codecs.lookup(one).name == codecs.lookup(other).name
    except LookupError:
        return False


class BlockPageMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not request.meta.get(PAGE_KIND) or not isinstance(response, TextResponse):
            return response  # robots.txt, a PDF: not pages of the portal's lists and articles
        # A WAF's page declares its own charset, unlike the CMS pages a portal's encoding
        # corrects: read as served first, then as the portal's pages are read.
        kind = classify(response.status, response.text)
        encoding = getattr(self.crawler.spider.portal, "encoding", None)
        # Read again only when the portal's encoding gives another text: the same text
        # parsed twice (a utf-8 page of a utf-8 portal) was a second lxml parse of every page.
        if kind is None and encoding and not same_codec(encoding, response.encoding):
            kind = classify(response.status, response.replace(encoding=encoding).text)
        if kind is None:
            return response
        self.crawler.stats.inc_value("blocked/count")
        self.crawler.stats.inc_value(f"blocked/{kind}")
        raise BlockedPage(kind, response)
