"""Request fingerprints on canonical URLs, so host aliases and tracking parameters of one
page are one request: ``http://scdfz.org.cn/x?utm_source=a`` is not fetched again after
``https://www.scsqw.cn/x``."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import fingerprint


class CanonicalFingerprinter:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cache: WeakKeyDictionary[Request, bytes] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CanonicalFingerprinter":
        return cls(crawler)

    def canonical(self, url: str) -> str:
        canonical = getattr(self.crawler.spider, "canonical_url", None)
        return canonical(url) if canonical else url

    def fingerprint(self, request: Request) -> bytes:
        if request not in self.cache:
            url = self.canonical(request.url)
            previous = request.meta.get("redirect_urls") or []
            if previous and self.canonical(previous[-1]) == url:
                # An alias host redirecting to the canonical one is the same page, but its
                # fingerprint was just spent on the alias: mark the hop so it is fetched.
                url += "#redirected"
            self.cache[request] = fingerprint(request.replace(url=url), keep_fragments=True)
        return self.cache[request]
