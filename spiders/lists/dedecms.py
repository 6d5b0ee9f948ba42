"""DedeCMS (织梦) lists: a column's ``index.html`` (or its folder), then ``list_<typeid>_2.html``
… ``list_<typeid>_<N>.html``.

The page count and the column's type id are read from the pager DedeCMS writes
(``<span class="pageinfo">共 <strong>5</strong>页<strong>87</strong>条</span>`` and its
``list_12_2.html`` links); the current page from the page's own URL (a column index is page
1). The next page is built in the list page's folder, whether or not ``[urls] list`` names
it; on the last there is none. A page with no such pager is paged as an HTML list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import scrapy
from scrapy.http import TextResponse

from spiders.lists.links import LinkList

_PAGE_COUNT = re.compile(r"共\s*(\d+)\s*页")
_LIST_FILE = re.compile(r"(?:^|/)list_(\d+)_(\d+)\.html(?:[?#]|$)")


class DedeList(LinkList):
    name: ClassVar[str] = "dedecms"

    def next_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        count = _PAGE_COUNT.search(" ".join(response.css(".pageinfo ::text").getall()))
        own = _LIST_FILE.search(response.url)
        type_ids = [m.group(1) for m in map(_LIST_FILE.search, response.css(".pagelist a::attr(href), "
                                                                            ".dede_pages a::attr(href)").getall()) if m]
        type_id = own.group(1) if own else (type_ids[0] if type_ids else None)
        if count is None or type_id is None:
            yield from super().next_pages(response)
            return
        self.spider.crawler.stats.inc_value("lists/dedecms/pager")
        current = int(own.group(2)) if own else 1
        if current < int(count.group(1)):
            yield self.spider.list_request(response.urljoin(f"list_{type_id}_{current + 1}.html"))
