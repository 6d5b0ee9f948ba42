"""Request de-duplication for one run only; the crawl state is what remembers across runs.

Scrapy's RFPDupeFilter writes a fingerprint to ``JOBDIR/requests.seen`` when a request is
*scheduled*, not when it is done. After a SIGKILL, a request that was scheduled but never
finished stays "seen" forever and its article is never fetched again. Here completion is
recorded by the dedupe stage in the SQLite state (a commit per item), and the incremental
middleware skips what it holds; this filter only stops repeats inside one run. JOBDIR keeps
doing the rest of its job (the pending request queue and spider state on a clean stop).
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter

from govnews import signals as govnews_signals

logger = logging.getLogger(__name__)


class RunDupeFilter(RFPDupeFilter):
    crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        dupefilter = cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                         fingerprinter=crawler.request_fingerprinter)
        dupefilter.crawler = crawler
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        """As Scrapy's; a redirect to a page this run already fetched (a redirect loop, or
        an article sent elsewhere) would lose its page silently: it is a failed page."""
        seen = super().request_seen(request)
        if seen and request.meta.get("redirect_urls") and self.crawler is not None:
            origin = request.meta["redirect_urls"][0]
            spider = self.crawler.spider
            self.crawler.stats.inc_value("failed/count")
            self.crawler.stats.inc_value("failed/redirect_loop")
            logger.warning("%s redirects to %s, a page already fetched in this run (a redirect loop?)",
                           origin, request.url)
            self.crawler.signals.send_catch_log(
                govnews_signals.page_failed, url=spider.canonical_url(origin), reason="redirect_loop", spider=spider)
        return seen
