"""Recording a crawl as WARC files (``RECORD`` setting): the middleware and its files."""

from govnews.record.middleware import RecordMiddleware

__all__ = ["RecordMiddleware"]
