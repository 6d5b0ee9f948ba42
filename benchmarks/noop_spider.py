"""The floor of ``make bench``'s throughput: Scrapy alone, following the same lists to the
same article pages from the same archive (govnews.replay), doing nothing with them but
one line each. Run with ``scrapy runspider`` outside the project (no project settings)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy


class NoopSpider(scrapy.Spider):
    name = "noop"
    custom_settings = {"DOWNLOADER_MIDDLEWARES": {"govnews.replay.ReplayMiddleware": 960},
                       "TELNETCONSOLE_ENABLED": False}

    async def start(self) -> Any:
        yield scrapy.Request(self.settings["BENCH_START"], callback=self.parse_list)

    def parse_list(self, response: scrapy.http.Response) -> Iterator[Any]:
        yield {"url": response.url}
        for href in response.css("div.listbox ul.e2 li a.title::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article)
        for href in response.xpath("//div[@class='dede_pages']//a[normalize-space(.)='下一页']/@href").getall():
            yield response.follow(href, callback=self.parse_list)

    def parse_article(self, response: scrapy.http.Response) -> Iterator[Any]:
        yield {"url": response.url}
