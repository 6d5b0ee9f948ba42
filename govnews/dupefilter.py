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

from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter)
