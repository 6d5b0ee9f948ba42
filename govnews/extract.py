"""Run one page through a spider and every stateless item pipeline, as a crawl would.

This is what ``scrapy extract``, the tests and other tools use: the same spider code and
the same pipelines as a crawl, with no engine and no network, so one page can be examined
alone. :func:`extract_page` reads a page of any site; without a portal it uses the generic
finders (``spiders.generic``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.project import get_project_settings
from twisted.python.failure import Failure

from govnews.items import Article
from govnews.replay import ReplayArchive
from pipelines.validate import InvalidArticle
from portals import GENERIC_PORTAL, load_configured_portal
from spiders.base import PortalSpider

#: Stages a single page skips: one page is a duplicate of nothing, and examining it must
#: not read or write the user's crawl state.
STATEFUL_PIPELINES = ("pipelines.dedupe.DedupePipeline",)
#: Stages that fetch more (attachments): a page is examined alone, with no engine to fetch with.
FETCHING_PIPELINES = ("pipelines.files.AttachmentFilesPipeline",)


def make_crawler(portal: str | None, settings: dict[str, Any] | None = None) -> Crawler:
    """A configured crawler (stats, settings) for ``portal``'s template spider; for None,
    the generic spider, which uses the generic finders alone."""
    base: Settings = get_project_settings()
    pipelines = {**base.getdict("ITEM_PIPELINES"), **dict.fromkeys(STATEFUL_PIPELINES + FETCHING_PIPELINES)}
    base.setdict({"ITEM_PIPELINES": pipelines, "STATS_FILE": "", **(settings or {})}, priority="cmdline")
    config = load_configured_portal(portal, base) if portal else GENERIC_PORTAL
    spidercls = get_spider_loader(base).load(config.template)
    crawler = Crawler(spidercls, base, init_reactor=True)
    crawler._apply_settings()
    crawler.spider = spidercls.from_crawler(crawler, portal=config)
    return crawler


def item_from_page(crawler: Crawler, url: str, body: bytes, headers: Mapping[str, Any] | None = None) -> Article:
    """The spider's raw item for a saved article page (this page only: further pages of a
    split article are not fetched). ``headers`` are the HTTP headers it was served with
    (``Content-Type`` and its charset), when known. Raises :class:`InvalidArticle`
    (reason ``not_text``) for an answer that is no page, such as a PDF."""
    spider: PortalSpider = crawler.spider
    served = Headers(headers or {})
    cls = responsetypes.from_args(headers=served, url=url, body=body) if headers else HtmlResponse
    response = cls(url=url, body=body, headers=served, request=Request(url))
    item = spider.article_from(response)
    if item is None:
        raise InvalidArticle(f"{url}: not a text page", reasons=["not_text"])
    return item


def item_from_archive(crawler: Crawler, archive: ReplayArchive, url: str) -> Article:
    """The spider's raw item for an archived article page, its further pages (a split
    article) fetched from the archive as a replayed crawl would."""
    spider: PortalSpider = crawler.spider
    pending = [Request(url, callback=spider.parse_article)]
    while pending:
        request = pending.pop()
        response = archive.response_for(request)
        if response is None or response.status != 200:
            missing = response or Response(request.url, status=404, request=request)
            failure = Failure(HttpError(missing))
            failure.request = request  # as Scrapy hands it to an errback
            outputs = request.errback(failure) if request.errback else []
        else:
            outputs = request.callback(response)
        for output in outputs or []:
            if isinstance(output, Request):
                pending.append(output)
            else:
                return output
    raise ValueError(f"{url}: the spider made no item of it")


def run_pipelines(crawler: Crawler, item: Article) -> Article:
    """Pass ``item`` through ITEM_PIPELINES in order; DropItem propagates."""
    return PageExtractor(crawler).pipe(item)


class PageExtractor:
    """One crawler and its pipelines, built once, for any number of pages (building a
    crawler costs milliseconds, more than reading a page)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        pipelines = crawler.settings.getwithbase("ITEM_PIPELINES")
        enabled = sorted((order, path) for path, order in pipelines.items() if order is not None)
        self.pipelines = [build_from_crawler(load_object(path), crawler) for _order, path in enabled]

    def pipe(self, item: Article) -> Article:
        for pipeline in self.pipelines:
            item = pipeline.process_item(item)
        return item

    def extract(self, body: bytes, url: str, headers: Mapping[str, Any] | None = None) -> Article:
        return self.pipe(item_from_page(self.crawler, url, body, headers))


@cache
def extractor_for(portal: str | None = None) -> PageExtractor:
    """The process's extractor for ``portal`` (None: the generic one), built on first use."""
    return PageExtractor(make_crawler(portal))


def extract_page(body: bytes, url: str, portal: str | None = None,
                 headers: Mapping[str, Any] | None = None) -> Article:
    """The final item of one page, as a crawl of ``portal`` would emit it (the dedupe stage
    and the crawl state left out: one page is a duplicate of nothing).

    ``body`` is the page's bytes as served, ``url`` the URL it was fetched from, ``headers``
    the HTTP headers it was served with, when known (their charset is a hint checked against
    the bytes). Without ``portal`` every part is found by the generic finders. A page that
    holds no article (no title, no body, an error or login page, a PDF) raises
    :class:`pipelines.validate.InvalidArticle`, a ``DropItem`` whose ``reasons`` say why
    (``no_title``, ``mojibake_title``, ``no_body``, ``error_page``, ``not_text``); an unknown portal raises
    ``portals.PortalError``.
    """
    return extractor_for(portal).extract(body, url, headers)


def extract_file(path: str | Path, portal: str | None, url: str, settings: dict | None = None) -> Article:
    """Final item for the saved page at ``path``, as a crawl of ``portal`` would emit it."""
    extractor = PageExtractor(make_crawler(portal, settings)) if settings else extractor_for(portal)
    return extractor.extract(Path(path).read_bytes(), url)


__all__ = ["DropItem", "InvalidArticle", "PageExtractor", "extract_file", "extract_page", "item_from_archive",
           "item_from_page", "make_crawler", "run_pipelines"]
