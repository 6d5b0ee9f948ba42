"""The flow every template shares: start pages → list pages → article pages → next list page.

A template spider only declares its name and its default selectors; a portal file can
override any of them. Spiders select and hand raw values over; pipelines clean.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from parsel import SelectorList
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from govnews import cms
from govnews import signals as govnews_signals
from govnews.encoding import better_encoding
from govnews.failures import reason_of
from govnews.items import Article
from govnews.provenance import pages_of
from govnews.urls import canonical_url
from pipelines.attachments import body_links
from portals import Portal, PortalError, load_configured_portal, load_portal
from spiders import disclosure, heuristics, lists
from spiders.lists.links import NEXT_PAGE_LINKS, href_of, usable_href
from spiders.page import as_page, detached_body

#: Defaults every template starts from; templates and portals override them. Title, body,
#: meta, breadcrumb and tags have none: when a portal gives none, spiders.heuristics finds them.
COMMON_SELECTORS: dict[str, str] = {
    "article_links": "//a/@href",
    "next_page": NEXT_PAGE_LINKS,
}

_SPACES = re.compile(r"\s+")
#: Request.meta key telling later components what a request fetches: "list", "article" or
#: "article_page" (a further page of an article).
PAGE_KIND = "govnews_page"
#: Request.meta key of a further article page: (the item so far, the URL stem, page number).
ARTICLE_IN_PROGRESS = "govnews_article"
#: An article split over more pages than this is cut there (a pager gone wrong, not prose).
MAX_ARTICLE_PAGES = 30


class PortalSpider(scrapy.Spider):
    """Crawl one portal of this spider's template."""

    default_selectors: ClassVar[dict[str, str]] = {}

    def __init__(self, portal: str | Portal | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not portal:
            raise PortalError(f"spider {self.name} needs a portal: scrapy crawl {self.name} -a portal=NAME")
        self.portal: Portal = portal if isinstance(portal, Portal) else load_portal(portal)
        if self.portal.template != self.name:
            raise PortalError(f"portal {self.portal.name!r} is of template {self.portal.template!r},"
                              f" not {self.name!r}: scrapy crawl {self.portal.template} -a portal={self.portal.name}")
        self.allowed_domains = [host.split(":")[0] for host in self.portal.hosts]
        family = cms.FAMILIES[self.portal.cms].selectors if self.portal.cms else {}
        self.selectors = {**COMMON_SELECTORS, **self.default_selectors, **family, **self.portal.selectors}
        self.list_adapter = lists.adapter_for(self)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "PortalSpider":
        if isinstance(kwargs.get("portal"), str):
            kwargs["portal"] = load_configured_portal(kwargs["portal"], crawler.settings)
        spider = super().from_crawler(crawler, *args, **kwargs)
        # One crawler per portal, so the portal's delay is this crawler's DOWNLOAD_DELAY
        # (a -s on the command line still wins). Saved pages need no politeness.
        replay = bool(crawler.settings.get("REPLAY"))
        if not crawler.settings.frozen:
            crawler.settings.set("DOWNLOAD_DELAY", 0 if replay else spider.portal.download_delay, "spider")
            if replay:
                crawler.settings.set("AUTOTHROTTLE_ENABLED", False, "spider")
        return spider

    def canonical_url(self, url: str) -> str:
        return canonical_url(url, self.portal.hosts, self.portal.scheme)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.portal.start_urls:
            for request in self.list_adapter.start_requests(url):
                yield request

    def list_request(self, url: str, dont_filter: bool = False, meta: dict[str, Any] | None = None,
                     formdata: dict[str, str] | None = None) -> scrapy.Request:
        """A request for a list page (or list API answer) of this portal; ``meta`` adds the
        list adapter's own keys (spiders.lists); ``formdata`` makes it a form POST."""
        common: dict[str, Any] = {"callback": self.parse_list, "errback": self.page_failed,
                                  "dont_filter": dont_filter, "meta": {PAGE_KIND: "list", **(meta or {})}}
        if formdata is not None:
            return scrapy.FormRequest(url, method="POST", formdata=formdata, **common)
        return scrapy.Request(url, **common)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """Queue the article links of a list page, then its next page, as the portal's list
        adapter (spiders.lists) reads them."""
        page = self.list_adapter.page(response)
        if page is None:
            return
        for url in self.one_link_per_article(self.list_adapter.article_urls(page)):
            yield self.article_request(url)
        yield from self.list_adapter.next_pages(page)

    def article_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, errback=self.page_failed, meta={PAGE_KIND: "article"})

    def one_link_per_article(self, urls: list[str]) -> list[str]:
        """One URL per article, in page order: of the spellings a list links one article by
        (``http://cqmjsw.gov.cn/news/1.html``, ``https://www.cqmjsw.gov.cn/news/1.html``…),
        the one on the canonical scheme and host when the list has it, else the first."""
        chosen: dict[str, str] = {}
        for url in urls:
            canonical = self.canonical_url(url)
            if canonical not in chosen or _origin(url) == _origin(canonical) != _origin(chosen[canonical]):
                chosen[canonical] = url
        return list(chosen.values())

    def parse_article(self, response: Response) -> Iterator[Article | scrapy.Request]:
        """The article of an article page, or, when the article runs on over more pages
        (``…/32087.html`` → ``32087_2.html``), the request for its next page."""
        item = self.article_from(response)
        if item is not None:
            yield from self.article_or_next_page(response, item, _url_stem(response.url), 0)

    def article_from(self, response: Response) -> Article | None:
        """Hand the page's raw parts to the pipelines; a selector that finds nothing falls
        back to the generic finders of :mod:`spiders.heuristics` (stat ``extract/fallback/<part>``)."""
        response = self._page(response)
        if response is None:
            return None
        body = self.body_of(response)
        crumb = self.text(response, "breadcrumb", " ") or self.fallback(
            "breadcrumb", heuristics.find_breadcrumb(response))
        title = self.text(response, "title") or self.fallback(
            "title", heuristics.find_title(response, body, crumb or ""))  # "": none, not "look for one"
        meta = "\n".join(filter(None, (text_of(s, " ") for s in self.select(response, "meta"))))
        block = disclosure.find_block(response, body)
        tree = detached_body(body, block or ())
        return Article(
            url=self.canonical_url(response.url),
            portal=self.portal.name,
            template=self.name,
            cms=self.cms_of(response),
            title=title,
            subtitle=self.text(response, "subtitle")
            or self.fallback("subtitle", heuristics.find_subtitle(response, title, body)),
            tags=[t for t in (text_of(s) for s in self.select(response, "tags")) if t]
            or self.fallback("tags", heuristics.find_tags(response)) or [],
            crawled_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            provenance=pages_of(response),
            raw={
                "breadcrumb_text": crumb,
                "meta_text": meta or self.fallback("meta", heuristics.find_meta(response, body)),
                "head_date": heuristics.find_head_date(response),
                "body_html": disclosure.body_without(body, block),
                "disclosure_html": "".join(block.getall()) if block is not None else None,
                "body_tree": tree,
                "body_links": body_links(tree) if tree is not None else [],
                "footer_lines": heuristics.find_footer_lines(response, body),
                "fetched_url": response.url,
                # A saved or served page cut short has no closing </html> (see validate).
                "page_complete": _PAGE_END.search(response.text[-4096:]) is not None,
            },
        )

    def cms_of(self, response: TextResponse) -> str | None:
        """The page's CMS family (stat ``cms/<family>``): as its own markup shows it, else
        as the portal file names it."""
        family = cms.detect(response.text, response.url) or self.portal.cms
        if family:
            self.crawler.stats.inc_value(f"cms/{family}")
        return family

    def body_of(self, response: TextResponse) -> scrapy.Selector | None:
        """The body element: the portal's selector, else the generic body finder."""
        body = self.first(response, "body")
        if body is not None and not text_of(body) and not body.xpath(".//img"):
            body = None  # an empty placeholder the selector matched on another skin of the site
        return body or self.fallback("body", heuristics.find_body(response))

    # --- articles over several pages ---------------------------------------------------

    def article_or_next_page(self, response: Response, item: Article, stem: tuple[str, str],
                             number: int) -> Iterator[Article | scrapy.Request]:
        """The next page of ``item``'s article when this page links one, else the item."""
        following = heuristics.find_next_article_page(response, response.url, *stem, number)
        if following is not None and number >= MAX_ARTICLE_PAGES:
            self.crawler.stats.inc_value("extract/article_pages_cut")
            self.logger.warning("%s: %s has more than %d pages; cut there", self.portal.name, item.url,
                                MAX_ARTICLE_PAGES)
            following = None
        if following is None:
            yield item
            return
        url, next_number = following
        item.raw.pop("body_tree", None)  # the next page's body HTML joins the item's; no tree
        # Never filtered: a page dropped as already seen would lose the pages before it too.
        # MAX_ARTICLE_PAGES and the rising page number bound the chain.
        yield scrapy.Request(url, callback=self.parse_article_page, errback=self.article_page_failed,
                             dont_filter=True,
                             meta={PAGE_KIND: "article_page", ARTICLE_IN_PROGRESS: (item, stem, next_number)})

    def parse_article_page(self, response: Response) -> Iterator[Article | scrapy.Request]:
        """A further page of an article: its body and footer lines join the item's."""
        item, stem, number = response.meta[ARTICLE_IN_PROGRESS]
        page = self._page(response)
        body = self.body_of(page) if page is not None else None
        if body is None:
            yield from self._article_cut_short(item, response.url, "no_article_text")
            return
        item.raw["body_html"] = (item.raw.get("body_html") or "") + body.get()
        item.raw["body_links"] = [*item.raw.get("body_links", []), *body_links(body.root)]
        item.provenance.extend(pages_of(response))
        footer = heuristics.find_footer_lines(page, body)
        item.raw["footer_lines"] = list(dict.fromkeys([*item.raw.get("footer_lines", []), *footer]))
        self.crawler.stats.inc_value("extract/article_pages")
        yield from self.article_or_next_page(page, item, stem, number)

    def article_page_failed(self, failure: Failure) -> Iterator[Article]:
        """A further page could not be fetched: the pages before it still make the item."""
        item, _, _ = failure.request.meta[ARTICLE_IN_PROGRESS]
        yield from self._article_cut_short(item, failure.request.url, reason_of(failure))

    def _article_cut_short(self, item: Article, url: str, reason: str) -> Iterator[Article]:
        """Emit ``item`` flagged ``pages_missing``; the article (its first page: where the
        chain of pages starts) is a failed page, so it stays incomplete in the state and is
        fetched again, and emitted again whole, when the missing page answers."""
        self.crawler.stats.inc_value("extract/article_page_missing")
        govnews_signals.report_page_failed(
            self.crawler, item.url, reason,
            f"article page {url} failed ({reason}); {item.url} emitted without it")
        if "pages_missing" not in item.flags:
            item.flags.append("pages_missing")
        yield item

    def page_failed(self, failure: Failure) -> None:
        """A list or article page that did not yield, however (an HTTP error, a network
        error, a block page, any IgnoreRequest of a middleware: govnews.failures): logged,
        counted (``failed/<reason>``) and signalled (govnews.signals.page_failed) so the
        crawl state fetches it again."""
        request = failure.request
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        reason = reason_of(failure)
        govnews_signals.report_page_failed(
            self.crawler, url, reason, f"{request.meta.get(PAGE_KIND)} {url} failed ({reason})")

    def fallback(self, part: str, found: Any) -> Any:
        """Count (stat ``extract/fallback/<part>``) and return what a generic finder found."""
        if found:
            self.crawler.stats.inc_value(f"extract/fallback/{part}")
            self.logger.debug("%s: no %s selector matched; found one generically", self.portal.name, part)
        return found or None

    # --- selection helpers -------------------------------------------------------------

    def select(self, response: Response, key: str) -> SelectorList:
        """Nodes for selector ``key`` (XPath when it starts with / or (, else CSS)."""
        spec = self.selectors.get(key)
        if not spec:
            return SelectorList([])
        return response.xpath(spec) if spec.startswith(("/", "(")) else response.css(spec)

    def first(self, response: Response, key: str) -> scrapy.Selector | None:
        """The first node selector ``key`` selects, or None."""
        found = self.select(response, key)
        return found[0] if found else None

    def text(self, response: Response, key: str, sep: str = "") -> str | None:
        """Whitespace-collapsed text of the first node ``key`` selects, or None."""
        found = self.select(response, key)
        return text_of(found[0], sep) or None if found else None

    def links(self, response: Response, key: str) -> list[str]:
        """Absolute URLs of the links ``key`` selects (``<a>`` elements or href strings)."""
        urls = []
        for node in self.select(response, key):
            href = usable_href(node.get()) if isinstance(node.root, str) else href_of(node)
            if href:
                urls.append(response.urljoin(href))
        return urls

    def _page(self, response: Response) -> TextResponse | None:
        """The response as text, re-decoded with the portal's encoding when the site's
        headers are known to lie, else with the encoding its bytes are in when that is not
        the one it declares (govnews.encoding, stats ``extract/recoded`` and
        ``extract/stray_bytes``, the bytes that encoding cannot read), content after
        its ``</html>`` moved into its body (``extract/content_after_html``); None for an
        answer that is no page (a PDF or an image where a page was linked), logged and
        counted as ``extract/not_text``."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("extract/not_text")
            self.logger.warning("%s: %s is not a text page (%s); skipped", self.portal.name, response.url,
                                response.headers.get("Content-Type", b"no Content-Type").decode("latin-1"))
            return None
        better = None
        if self.portal.encoding:
            response = response.replace(encoding=self.portal.encoding)
        elif better := better_encoding(response.body, response.encoding, response.text):
            self.crawler.stats.inc_value("extract/recoded")
            self.logger.info("%s: %s is not %s as served; decoded as %s", self.portal.name, response.url,
                             response.encoding, better)
            response = response.replace(encoding=better)
        response = as_page(response)
        if better and (stray := response.text.count("\ufffd")):
            # Bytes the page's encoding cannot read (a GBK footer include in a UTF-8 page).
            self.crawler.stats.inc_value("extract/stray_bytes", stray)
        if heuristics.adopt_stray_content(response):
            self.crawler.stats.inc_value("extract/content_after_html")
        return response


_PAGE_END = re.compile(r"</html\s*>", re.I)
def _origin(url: str) -> str:
    """``https://cqmjsw.gov.cn`` of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _url_stem(url: str) -> tuple[str, str]:
    """``(…/32087, .html)``: what the further pages of an article's URL add a number to."""
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    dot = base.rfind(".")
    if dot > base.rfind("/"):
        return base[:dot], base[dot:]
    return base, ""


def text_of(node: scrapy.Selector, sep: str = "") -> str:
    """All text under ``node`` (or the string it is), whitespace runs collapsed to one space.

    Text nodes are joined with ``sep``: nothing for titles (inline tags must not split
    words), a space where separate elements carry separate values (meta, breadcrumb).
    """
    if isinstance(node.root, str):
        return _SPACES.sub(" ", node.root).strip()
    return _SPACES.sub(" ", sep.join(node.xpath(".//text()").getall())).strip()
