"""TRS WCM lists: ``index.html``, ``index_1.html`` … ``index_<N-1>.html``.

The page count is read from the list page's script pager (:mod:`spiders.lists.trs_pager`):
the next page is built from it, in the list page's folder, whether or not the portal's
``[urls] list`` names it, and the last page (current + 1 = count) has none. A list page
with no script pager is paged as an HTML list (:class:`~spiders.lists.links.LinkList`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import scrapy
from scrapy.http import TextResponse

from spiders.lists import trs_pager
from spiders.lists.links import LinkList


class TrsList(LinkList):
    name: ClassVar[str] = "trs"

    def next_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        pager = trs_pager.find(response)
        if pager is None:
            yield from super().next_pages(response)
            return
        self.spider.crawler.stats.inc_value("lists/trs/pager")
        if pager.next_page:
            yield self.spider.list_request(response.urljoin(pager.next_page))
