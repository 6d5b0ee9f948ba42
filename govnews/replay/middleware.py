"""Downloader middleware: serve from the archives, 404 (counted) for anything missing."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from govnews.replay.archive import ReplayArchive

logger = logging.getLogger(__name__)


class ReplayMiddleware:
    """Answer every request from ``REPLAY``'s archives; never from the network."""

    def __init__(self, archive: ReplayArchive, crawler: Crawler) -> None:
        self.archive = archive
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        roots = crawler.settings.getlist("REPLAY")
        if not roots:
            raise NotConfigured
        middleware = cls(ReplayArchive.shared(*map(Path, roots)), crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        logger.info("replay: answering from %s (%d saved responses)",
                    ", ".join(map(str, self.archive.roots)), len(self.archive))

    def process_request(self, request: Request, spider: Spider | None = None) -> Response:
        response = self.archive.response_for(request)
        if response is not None:
            self.stats.inc_value("replay/hit")
            return response
        self.stats.inc_value("replay/miss")
        level = logging.DEBUG if request.url.endswith("/robots.txt") else logging.WARNING
        logger.log(level, "replay: %s is not in the archive; answering 404", request.url)
        return Response(url=request.url, status=404, body=b"", request=request, flags=["replay"])
