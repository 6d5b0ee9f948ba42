"""A JSON list API a portal file declares, for sites that render their lists by script.

The seed is the API's first page; ``[list] url`` is the API's URL with ``{page}`` where the
page number goes, ``entries`` a JMESPath to the answer's list of entries and ``link`` one,
in an entry, to its article's URL (relative to the API's). The list ends at the first
page with no entries, or at ``total`` (a JMESPath to the number of entries) or ``pages``
(to the number of pages) when the answer has one. Without either, the page after a full
one is asked for as a probe: its answering no entries ends the list, no failure; the
first page answering none is a failed page (``empty_list``), and so is an answer that is
not JSON (logged).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import jmespath
import scrapy
from jmespath.exceptions import JMESPathError
from scrapy.http import Response, TextResponse

from spiders.lists.links import LIST_API, LIST_PROBE, LinkList

#: Request.meta keys: the API page number a request asks for, and entries read before it.
PAGE = "govnews_json_page"
SEEN = "govnews_json_seen"


class JsonList(LinkList):
    name: ClassVar[str] = "json"
    keys: ClassVar[tuple[str, ...]] = ("url", "first_page", "entries", "link", "total", "pages")

    def __init__(self, spider: Any, config: Mapping[str, Any]) -> None:
        super().__init__(spider, config)
        self.first_page: int = config.get("first_page", 1)
        self.paths = {key: jmespath.compile(config[key]) for key in ("entries", "link", "total", "pages")
                      if key in config}

    @classmethod
    def check(cls, config: Mapping[str, Any]) -> str | None:
        url = config.get("url")
        if not (isinstance(url, str) and url.startswith(("http://", "https://")) and url.count("{page}") == 1):
            return "url must be the API's http(s) URL with {page} once, where the page number goes"
        first = config.get("first_page", 1)
        if not isinstance(first, int) or isinstance(first, bool) or first < 0:
            return "first_page must be a whole number (0 or 1 as the API counts)"
        for key in ("entries", "link"):
            if key not in config:
                return f"{key} is needed (a JMESPath: entries to the list, link to an entry's URL)"
        for key in ("entries", "link", "total", "pages"):
            if key in config:
                try:
                    jmespath.compile(config[key]) if isinstance(config[key], str) else None
                except JMESPathError as exc:
                    return f"{key}: bad JMESPath {config[key]!r}: {exc}"
                if not isinstance(config[key], str):
                    return f"{key} must be a JMESPath string"
        return None

    def start_requests(self, url: str) -> Iterator[scrapy.Request]:
        yield self.spider.list_request(url, dont_filter=True,
                                       meta={PAGE: self.first_page, LIST_API: True})

    def page(self, response: Response) -> TextResponse | None:
        return response if isinstance(response, TextResponse) else super().page(response)

    def entries(self, response: TextResponse) -> tuple[list[Any], Any]:
        """The answer's entries and the whole answer ([] and None when it is not JSON)."""
        try:
            data = json.loads(response.text)
        except ValueError:
            self.spider.logger.warning("%s: list API answer %s is not JSON", self.spider.portal.name, response.url)
            self.spider.crawler.stats.inc_value("lists/json/not_json")
            return [], None
        found = self.paths["entries"].search(data)
        return (found if isinstance(found, list) else []), data

    def article_urls(self, response: TextResponse) -> list[str]:
        links = (self.paths["link"].search(entry) for entry in self.entries(response)[0])
        urls = (response.urljoin(link.strip()) for link in links if isinstance(link, str) and link.strip())
        return [url for url in urls if self.spider.portal.is_article_url(url)]

    def next_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        entries, data = self.entries(response)
        if not entries:
            return
        number = response.meta[PAGE]
        seen = response.meta.get(SEEN, 0) + len(entries)
        total, pages = (_whole(self.paths[key].search(data)) if key in self.paths else None
                        for key in ("total", "pages"))
        if (total is not None and seen >= total) or (
                pages is not None and number - self.first_page + 1 >= pages):
            return
        self.spider.crawler.stats.inc_value("lists/json/requests")
        url = self.config["url"].replace("{page}", str(number + 1))
        yield self.spider.list_request(url, meta={PAGE: number + 1, SEEN: seen, LIST_API: True,
                                                  LIST_PROBE: total is None and pages is None})


def _whole(value: Any) -> int | None:
    """A count as an API gives it (87, "87"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None
