"""Download attachments through Scrapy's FilesPipeline, stored by content hash.

With ``FILES_STORE`` set (a folder, or any store FilesPipeline knows: s3://, gs://, ftp://)
each attachment is fetched like any request (robots.txt, retries, replay) and written to
``full/<sha256>.<ext>``: one copy of a file however many articles or URLs link it. Scrapy's
media cache fetches a URL once a run, whatever the number of articles that link it. The
attachment gets ``size``, ``sha256`` and ``path`` (relative to ``FILES_STORE``).

A file that cannot be fetched (an HTTP error after the retries, a network error, an empty
answer) fails like a page (README "Failure lifecycle"): the article is emitted with what it
has, that attachment's ``size``/``sha256``/``path`` null, its ``missing`` naming why and the
item flagged ``attachments_missing``, so no ``path`` ever names a file that is not stored.
The article is a failed page (``failed/attachment:<reason>``, exit code 3) kept in the crawl
state's failures, so a later run fetches it again, its attachments with it, and emits it
again whole (``dedupe/updated``, pipelines.dedupe), which clears the failure. Holding the
article back instead would lose its text for as long as a dead link stays dead.
With ``ATTACHMENT_TEXT = True`` each attachment also gets ``text``: a PDF's or DOCX's text
(govnews.documenttext, at most ``ATTACHMENT_TEXT_MAX_CHARS``), null for other kinds and
for a file that cannot be read (``attachments/text_failed``, a warning naming it).
Unset, the stage is off and attachments keep their URL only.
"""

from __future__ import annotations

import hashlib
import logging
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any, NoReturn

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.media import MediaPipeline, _MediaRequestFiltered
from scrapy.utils.defer import ensure_awaitable
from twisted.python.failure import Failure

from govnews import signals as govnews_signals
from govnews.documenttext import UnreadableDocument, document_text
from govnews.failures import reason_of
from pipelines.attachments import FILE_KINDS
from spiders.base import PAGE_KIND

logger = logging.getLogger(__name__)

#: Request.meta[PAGE_KIND] of an attachment download.
ATTACHMENT = "attachment"
#: Item flag: an attachment could not be downloaded (its ``missing`` says why).
ATTACHMENTS_MISSING = "attachments_missing"


class AttachmentFailed(_MediaRequestFiltered):
    """A download that did not give the file; ``reason`` as govnews.failures names it.
    MediaPipeline logs every other failure as an ERROR with its traceback; this one is a
    failed page, logged once as a WARNING (``report_page_failed``), hence the private base
    (Scrapy's own for a request it does not download; pinned Scrapy 2.19)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AttachmentFilesPipeline(FilesPipeline):
    """FilesPipeline over ``Article.attachments``, naming files by their content's SHA-256."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: ATTACHMENT_TEXT_MAX_CHARS with ATTACHMENT_TEXT on; 0: no text read.
        self.text_chars = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AttachmentFilesPipeline":
        if not crawler.settings.get("FILES_STORE"):
            raise NotConfigured  # no message: off is the default, not a problem to log
        pipeline = super().from_crawler(crawler)
        pipeline.text_chars = (crawler.settings.getint("ATTACHMENT_TEXT_MAX_CHARS")
                               if crawler.settings.getbool("ATTACHMENT_TEXT") else 0)
        return pipeline

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        # A file on another host (a 原文 link to the issuing office) belongs to the article too.
        return [Request(a["url"], callback=NO_CALLBACK, meta={PAGE_KIND: ATTACHMENT, "allow_offsite": True})
                for a in ItemAdapter(item).get("attachments") or []]

    def file_path(self, request: Request, response: Response | None = None,
                  info: MediaPipeline.SpiderInfo | None = None, *, item: Any = None) -> str:
        """``full/<sha256 of the content>.<ext>``. Asked before the download (to look for a
        stored copy), the content is unknown: the URL's hash names a path never written, so
        the file is fetched and then stored under its content's name."""
        if response is None:
            return f"pending/{hashlib.sha256(request.url.encode()).hexdigest()}"
        suffix = PurePosixPath(request.url.split("?")[0]).suffix.lower()
        extension = suffix if suffix[1:] in FILE_KINDS else ""
        return f"full/{hashlib.sha256(response.body).hexdigest()}{extension}"

    async def media_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                               *, item: Any = None) -> dict[str, Any]:
        """FilesPipeline's result with the file's ``size`` and, with ATTACHMENT_TEXT, its
        ``text``: MediaPipeline keeps the result per URL for the run, so every article
        linking the file gets them. A non-200 or empty answer fails with its reason."""
        if response.status != 200:
            raise AttachmentFailed(f"http_{response.status}")
        if not response.body:
            raise AttachmentFailed("empty_file")
        result = {**await super().media_downloaded(response, request, info, item=item), "size": len(response.body)}
        if self.text_chars:
            kind = next((a["kind"] for a in ItemAdapter(item).get("attachments") or [] if a["url"] == request.url), "")
            result["text"] = self.read_text(request.url, kind, response.body)
        return result

    async def file_downloaded(self, response: Response, request: Request, info: MediaPipeline.SpiderInfo,
                              *, item: Any = None) -> str:
        """Store the body under its hash; the checksum reported is that SHA-256."""
        path = self.file_path(request, response=response, info=info, item=item)
        await ensure_awaitable(self.store.persist_file(path, BytesIO(response.body), info))
        return hashlib.sha256(response.body).hexdigest()

    def media_failed(self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo) -> NoReturn:
        """Keep why the download failed (FilesPipeline's own exception does not say)."""
        if failure.check(AttachmentFailed):
            raise failure.value
        raise AttachmentFailed(reason_of(failure))

    def read_text(self, url: str, kind: str, body: bytes) -> str | None:
        try:
            text = document_text(kind, body, self.text_chars)
        except UnreadableDocument as exc:
            self.crawler.stats.inc_value("attachments/text_failed")
            logger.warning("attachment %s: no text read (%s)", url, exc)
            return None
        if text is not None:
            self.crawler.stats.inc_value("attachments/text")
        return text

    def item_completed(self, results: list[tuple[bool, Any]], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        adapter = ItemAdapter(item)
        attachments = adapter.get("attachments") or []
        for attachment, (ok, result) in zip(attachments, results):
            if ok:
                attachment.update(path=result["path"], sha256=result["checksum"], size=result["size"], missing=None)
                if self.text_chars:
                    attachment["text"] = result["text"]
                self.crawler.stats.inc_value("attachments/downloaded")
                continue
            attachment["missing"] = result.value.reason if isinstance(result.value, AttachmentFailed) \
                else result.type.__name__
            if self.text_chars:
                attachment["text"] = None
            self.crawler.stats.inc_value("attachments/failed")
        missing = [a for a in attachments if a.get("missing")]
        if missing:
            # One failed page however many of its files failed: each failure counts toward
            # the article's backoff (govnews.incremental), so one a run.
            reason = f"attachment:{missing[0]['missing']}"
            files = ", ".join(f"{a['url']} ({a['missing']})" for a in missing)
            govnews_signals.report_page_failed(
                self.crawler, adapter["url"], reason,
                f"article {adapter['url']} emitted without its attachment(s) {files}")
            if ATTACHMENTS_MISSING not in adapter["flags"]:
                adapter["flags"].append(ATTACHMENTS_MISSING)
        return item
