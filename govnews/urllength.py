"""Links too long to fetch are failed pages, not silent drops.

Scrapy's UrlLengthMiddleware drops a request whose URL is over ``URLLENGTH_LIMIT`` (2083)
with one INFO line and the stat ``urllength/request_ignored_count``; its article would be
lost without a trace. This subclass, in its place in SPIDER_MIDDLEWARES, reports each
dropped list or article link as a failed page (``failed/url_length``).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.urllength import UrlLengthMiddleware

from govnews import signals as govnews_signals
from spiders.base import PAGE_KIND


class UrlLengthFailures(UrlLengthMiddleware):
    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        kept = super().get_processed_request(request, response)
        if kept is None and request.meta.get(PAGE_KIND):
            govnews_signals.report_page_failed(
                self.crawler, request.url, "url_length",
                f"{request.meta[PAGE_KIND]} {request.url[:120]}… failed (url_length: over {self.maxlength} characters)")
        return kept
