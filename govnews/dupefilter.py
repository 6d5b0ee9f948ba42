"""Request de-duplication for one run only; the crawl state is what remembers across runs.

Scrapy's RFPDupeFilter writes a fingerprint to ``JOBDIR/requests.seen`` when a request is
*scheduled*, not when it is done. After a SIGKILL, a request that was scheduled but never
finished stays "seen" forever and its article is never fetched again. Here completion is
recorded by the dedupe stage in the SQLite state (a commit per item), and the incremental
middleware skips what it holds; this filter only stops repeats inside one run. JOBDIR keeps
doing the rest of its job (the pending request queue and spider state on a clean stop).
"""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter

from govnews import signals as govnews_signals


class RunDupeFilter(RFPDupeFilter):
    crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        dupefilter = cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                         fingerprinter=crawler.request_fingerprinter)
        dupefilter.crawler = crawler
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        """As Scrapy's; a redirect loop is a failed page (:func:`report_redirect_loop`)."""
        seen = super().request_seen(request)
        if seen and self.crawler is not None:
            report_redirect_loop(self.crawler, request)
        return seen


def report_redirect_loop(crawler: Crawler, request: Request) -> None:
    """For ``request``, found already seen: a redirect loop (a page redirecting back to one
    it came through) would lose its page silently: it is a failed page. A redirect to a page
    fetched through another link lost nothing."""
    hops = request.meta.get("redirect_urls") or []
    if hops:
        canonical = crawler.spider.canonical_url
        if canonical(request.url) in {canonical(hop) for hop in hops}:
            govnews_signals.report_page_failed(
                crawler, hops[0], "redirect_loop", f"{hops[0]} redirects in a loop (through {request.url})")
