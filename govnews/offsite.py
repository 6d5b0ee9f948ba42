"""A page that redirects off the portal's hosts is a failed page, not a silent drop.

Scrapy's OffsiteMiddleware filters such a redirect from the ``request_scheduled`` signal
by raising IgnoreRequest, which drops the request with no errback and no
``request_dropped`` signal. This extension, on the same signal, reports a list or article
request that OffsiteMiddleware will filter as a failed page (``failed/offsite``) under
the URL the portal linked.
"""

from __future__ import annotations

from typing import Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.url import url_is_from_any_domain

from govnews import signals as govnews_signals
from spiders.base import PAGE_KIND


class OffsiteFailures:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        return extension

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        domains = getattr(spider, "allowed_domains", None)
        if (not request.meta.get(PAGE_KIND) or not domains or request.dont_filter
                or request.meta.get("allow_offsite") or url_is_from_any_domain(request.url, domains)):
            return
        linked = (request.meta.get("redirect_urls") or [request.url])[0]
        govnews_signals.report_page_failed(
            self.crawler, linked, "offsite",
            f"{request.meta[PAGE_KIND]} {linked} failed (offsite: redirected to {request.url})")
