"""The list of an HTML list page: its ``<a>`` links and its next-page link.

Every other adapter starts from this one. Article links are the portal's ``article_links``
selector's, else every link on the page its ``[urls] article`` patterns take; the next page
is the ``next_page`` selector's link, else a 下一页 link, else the page a script pager
(TRS ``createPageHTML``) writes, each only when ``[urls] list`` takes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse

from spiders.lists import trs_pager

#: Pager links any CMS labels "next page" (Simplified, Traditional on mirrors).
NEXT_PAGE_LINKS = ("//a[starts-with(normalize-space(.),'下一页') or starts-with(normalize-space(.),'下一頁')"
                   " or normalize-space(.)='下页' or normalize-space(.)='后页' or normalize-space(.)='下頁'"
                   " or @title='下一页']/@href")
#: Request.meta key of a list request the adapter cannot tell is before the list's end (a
#: JSON API with no total): an answer with no entries there ends the list, it is no failure.
LIST_PROBE = "govnews_list_probe"
#: Request.meta key of a request to a list API: a page (no API answer) that yields one and
#: no article links is the page the API's list is shown on, no empty list.
LIST_API = "govnews_list_api"
#: The target of a link old CMSs open by script: onclick="window.open('9256.html')".
_SCRIPT_LINK = re.compile(r"""(?:window\.open|location(?:\.href)?\s*=)\s*\(?\s*['"]([^'"]+)['"]""")


class LinkList:
    """An HTML list page (the adapter of a portal that names none)."""

    name: ClassVar[str] = "links"
    #: ``[list]`` keys this adapter reads besides ``adapter``.
    keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, spider: Any, config: Mapping[str, Any]) -> None:
        self.spider = spider
        self.config = config

    @classmethod
    def check(cls, config: Mapping[str, Any]) -> str | None:
        """What is wrong with this adapter's ``[list]`` keys, or None."""
        return None

    def start_requests(self, url: str) -> Iterator[scrapy.Request]:
        # Start pages are fetched on every run (that is where new articles appear),
        # also when a JOBDIR remembers them from an earlier run.
        yield self.spider.list_request(url, dont_filter=True)

    def page(self, response: Response) -> TextResponse | None:
        """The answer as the adapter reads it (None: no list, already logged)."""
        return self.spider._page(response)

    def article_urls(self, response: TextResponse) -> list[str]:
        """Absolute URLs of the articles the page links, in page order."""
        spider = self.spider
        articles = [u for u in spider.links(response, "article_links") if spider.portal.is_article_url(u)]
        if not articles:
            every = (response.urljoin(h) for h in filter(None, map(href_of, response.xpath("//a"))))
            articles = spider.fallback("article_links", [u for u in every if spider.portal.is_article_url(u)]) or []
        return articles

    def next_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Requests for the list pages after this one."""
        spider = self.spider
        pages = [u for u in spider.links(response, "next_page") if spider.portal.is_list_url(u)]
        if not pages and spider.selectors["next_page"] != NEXT_PAGE_LINKS:
            found = (response.urljoin(h) for h in response.xpath(NEXT_PAGE_LINKS).getall())
            pages = spider.fallback("next_page", [u for u in found if spider.portal.is_list_url(u)]) or []
        if not pages:
            pager = trs_pager.find(response)
            scripted = response.urljoin(pager.next_page) if pager and pager.next_page else None
            if scripted and spider.portal.is_list_url(scripted):
                pages = [spider.fallback("script_pager", scripted)]
        for url in pages:
            yield spider.list_request(url)


def href_of(link: scrapy.Selector) -> str | None:
    """Where an ``<a>`` leads: its href, or for a ``javascript:`` one the URL its onclick
    opens; None for mail, fragments and script with no URL."""
    href = (link.attrib.get("href") or "").strip()
    if href.lower().startswith("javascript:") or href in ("", "#"):
        found = _SCRIPT_LINK.search(link.attrib.get("onclick", "") + " " + href)
        return found.group(1).strip() if found else None
    return usable_href(href)


def usable_href(href: str) -> str | None:
    """``href`` stripped, or None when it leads to no page (mail, fragment, script)."""
    href = href.strip()
    return None if not href or href.lower().startswith(("javascript:", "mailto:", "#")) else href
