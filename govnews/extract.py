"""Run one saved page through its portal's spider and every item pipeline.

This is what ``scrapy extract`` and the tests use: the same spider code and the same
pipelines as a crawl, with no engine and no network, so one page can be examined alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.project import get_project_settings
from twisted.python.failure import Failure

from govnews.items import Article
from govnews.replay import ReplayArchive
from portals import load_configured_portal
from spiders.base import PortalSpider

#: Stages a single page skips: one page is a duplicate of nothing, and examining it must
#: not read or write the user's crawl state.
STATEFUL_PIPELINES = ("pipelines.dedupe.DedupePipeline",)


def make_crawler(portal: str, settings: dict[str, Any] | None = None) -> Crawler:
    """A configured crawler (stats, settings) for ``portal``'s template spider."""
    base: Settings = get_project_settings()
    pipelines = {**base.getdict("ITEM_PIPELINES"), **dict.fromkeys(STATEFUL_PIPELINES)}
    base.setdict({"ITEM_PIPELINES": pipelines, "STATS_FILE": None, **(settings or {})}, priority="cmdline")
    config = load_configured_portal(portal, base)
    spidercls = get_spider_loader(base).load(config.template)
    crawler = Crawler(spidercls, base, init_reactor=True)
    crawler._apply_settings()
    crawler.spider = spidercls.from_crawler(crawler, portal=config)
    return crawler


def item_from_page(crawler: Crawler, url: str, body: bytes, encoding: str | None = None) -> Article:
    """The spider's raw item for a saved article page (this page only: further pages of a
    split article are not fetched)."""
    spider: PortalSpider = crawler.spider
    response = HtmlResponse(url=url, body=body, encoding=encoding, request=Request(url))
    item = spider.article_from(response)
    if item is None:
        raise ValueError(f"{url}: not a text page")
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
    pipelines = crawler.settings.getwithbase("ITEM_PIPELINES")
    enabled = [(order, path) for path, order in pipelines.items() if order is not None]
    for _order, path in sorted(enabled):
        pipeline = build_from_crawler(load_object(path), crawler)
        item = pipeline.process_item(item)
    return item


def extract_file(path: str | Path, portal: str, url: str, settings: dict | None = None) -> Article:
    """Final item for the saved page at ``path``, as a crawl of ``portal`` would emit it."""
    crawler = make_crawler(portal, settings)
    item = item_from_page(crawler, url, Path(path).read_bytes(), crawler.spider.portal.encoding)
    return run_pipelines(crawler, item)


__all__ = ["DropItem", "extract_file", "item_from_archive", "item_from_page", "make_crawler", "run_pipelines"]
