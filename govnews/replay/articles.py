"""Re-extraction reads every article an archive holds, not only those its last lists link.

A portal's lists shift between runs: an article linked from run 1's page 1 may be on no
page the latest captures hold (pushed past where run 2's incremental crawl stopped, or
taken off the lists). With ``REPLAY_ALL_ARTICLES`` (``scrapy reextract`` sets it), this
spider middleware requests, after the start pages, every page the WARC archives recorded
as one of this portal's articles (their ``Govnews-Page: article`` field); the run's
dupefilter drops those the lists reach as well. Stat ``replay/archived_articles``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from govnews.replay.archive import ReplayArchive


class ArchivedArticlesMiddleware:
    """Spider middleware: the start requests, then one per archived article page."""

    def __init__(self, crawler: Crawler, archive: ReplayArchive) -> None:
        self.crawler = crawler
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivedArticlesMiddleware:
        roots = crawler.settings.getlist("REPLAY")
        if not (roots and crawler.settings.getbool("REPLAY_ALL_ARTICLES")):
            raise NotConfigured
        return cls(crawler, ReplayArchive.shared(*map(Path, roots)))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for request in start:
            yield request
        spider = self.crawler.spider
        for url in self.archive.article_urls(spider.portal.name):
            self.crawler.stats.inc_value("replay/archived_articles")
            yield spider.article_request(url)
