"""Downloader middleware: every request and response of a crawl, as WARC/1.1 records.

On when ``RECORD`` names a folder. It sits closest to the downloader (above
HttpCompressionMiddleware and the redirect and retry stages, below REPLAY), so a response is
recorded as received: status line, headers and body bytes before any decompression, with
``Content-Encoding`` intact, redirects and retried answers each as their own record; a
replayed crawl is recorded the same way. Each response record is followed by the request
that fetched it (``WARC-Concurrent-To`` links the two). A body whose payload digest equals
the last one recorded for its URL, in this run or an earlier one in the folder, is written
as a ``revisit`` record (identical-payload-digest profile) that refers to it.

The records are on disk (fsynced) before the response goes on to the spider, so an article
the crawl state records always has its response record. Stats: ``record/responses``,
``record/revisits``, ``record/bytes``, ``record/files``, ``record/errors``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.utils.defer import deferred_from_coro
from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

import scrapy
from govnews import cdxj
from govnews.provenance import PROVENANCE
from govnews.record.warcfile import WARC_VERSION, Location, RollingWarcFile
from spiders.base import PAGE_KIND

logger = logging.getLogger(__name__)

#: Settings named in each file's warcinfo record: the ones that change what was fetched.
WARCINFO_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "REPLAY", "REFRESH_DAYS", "JOBDIR")
#: Hop-by-hop framing the downloader already undid: the body recorded is not chunked.
UNDONE_HEADERS = (b"Transfer-Encoding",)


def payload_digest(body: bytes) -> str:
    """``sha1:BASE32``, the form warcio writes and checks."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


@dataclass(frozen=True)
class Recorded:
    """The payload a URL's latest response record holds: what a revisit refers to."""

    digest: str
    url: str
    warc_date: str
    location: Location


class RawHeaders(StatusAndHeaders):
    """HTTP head written back byte for byte: values are the received bytes read as Latin-1,
    so Latin-1 restores them (warcio would %-encode a GBK filename or site name)."""

    def compute_headers_buffer(self, header_filter=None) -> None:  # noqa: ANN001 (warcio's signature)
        self.headers_buff = self.to_bytes(header_filter, encoding="latin-1")


def _pairs(headers: Headers, skip: tuple[bytes, ...] = ()) -> list[tuple[str, str]]:
    """Header (name, value) pairs as sent, bytes read as Latin-1 (what HTTP carries)."""
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() if name not in skip for value in values]


class RecordMiddleware:
    """Write each response (and its request) of one portal's crawl to its WARC files."""

    def __init__(self, crawler: Crawler, folder: Path) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.folder = folder
        self.max_bytes = crawler.settings.getint("RECORD_MAX_BYTES")
        self.builder = RecordBuilder(warc_version=WARC_VERSION)
        self.file: RollingWarcFile | None = None
        #: URL → its latest response record (this run, or earlier runs in the folder).
        self.last: dict[str, Recorded] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordMiddleware:
        folder = crawler.settings.get("RECORD")
        if not folder:
            raise NotConfigured
        middleware = cls(crawler, Path(folder))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        portal = spider.portal.name
        for warc in cdxj.warc_files(self.folder) if self.folder.is_dir() else []:
            if warc.name.startswith(f"{portal}-"):
                for c in cdxj.captures_of(warc):
                    if c.record_type == "response":
                        self.last[c.url] = Recorded(c.digest, c.url, c.warc_date,
                                                    Location(c.filename, c.record_id, c.offset))
        settings = self.crawler.settings
        info = {"software": f"govnews (Scrapy {scrapy.__version__}, warcio {version('warcio')})",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "isPartOf": f"govnews-crawl-{uuid.uuid4()}", "portal": portal,
                **{name: str(settings.get(name)) for name in WARCINFO_SETTINGS if settings.get(name) is not None}}
        self.file = RollingWarcFile(self.folder, portal, self.max_bytes, info)
        logger.info("record: writing %s's requests and responses to %s (%s, %d earlier captures)",
                    portal, self.folder, info["isPartOf"], len(self.last))

    def spider_closed(self, spider: Spider) -> None:
        if self.file is not None:
            self.file.close()

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        assert self.file is not None
        url = urldefrag(response.url)[0]
        digest = payload_digest(response.body)
        earlier = self.last.get(url)
        revisit = earlier is not None and earlier.digest == digest and response.body != b""
        answer = (self._revisit(url, request, response, digest, earlier) if revisit
                  else self._response(url, request, response, digest))
        try:
            locations = self.file.write([answer, self._request(url, request, answer)])
        except OSError as exc:
            # Without its record the page must reach neither the spider nor the crawl state.
            self.stats.inc_value("record/errors")
            logger.error("record: cannot write to %s (%s); stopping the crawl", self.folder, exc)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="record_failed"))
            raise IgnoreRequest(f"not recorded: {exc}") from exc
        self.stats.inc_value("record/revisits" if revisit else "record/responses")
        self.stats.inc_value("record/bytes", len(response.body))
        self.stats.set_value("record/files", self.file.serial)
        if revisit:
            assert earlier is not None
            location = earlier.location  # where the bytes are
        else:
            location = locations[0]
            self.last[url] = Recorded(digest, url, answer.rec_headers.get_header("WARC-Date"), location)
        request.meta[PROVENANCE] = location.as_dict()
        return response

    # --- records ---------------------------------------------------------------------------

    def _warc_headers(self, request: Request, response: Response) -> dict[str, str]:
        headers = {}
        if request.meta.get(PAGE_KIND):
            headers[cdxj.PAGE_FIELD] = request.meta[PAGE_KIND]
        if response.ip_address is not None:
            headers["WARC-IP-Address"] = str(response.ip_address)
        if "dataloss" in response.flags:  # the server closed before Content-Length was sent
            headers["WARC-Truncated"] = "length"
        return headers

    def _http_headers(self, response: Response) -> StatusAndHeaders:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        return RawHeaders(f"{response.status} {reason}".strip(), _pairs(response.headers, UNDONE_HEADERS),
                          protocol=response.protocol or "HTTP/1.1")

    def _response(self, url: str, request: Request, response: Response, digest: str) -> ArcWarcRecord:
        return self.builder.create_warc_record(
            url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            http_headers=self._http_headers(response),
            warc_headers_dict={**self._warc_headers(request, response), "WARC-Payload-Digest": digest})

    def _revisit(self, url: str, request: Request, response: Response, digest: str,
                 earlier: Recorded) -> ArcWarcRecord:
        return self.builder.create_revisit_record(
            url, digest, earlier.url, earlier.warc_date, http_headers=self._http_headers(response),
            warc_headers_dict={**self._warc_headers(request, response),
                               "WARC-Refers-To": earlier.location.record_id})

    def _request(self, url: str, request: Request, answer: ArcWarcRecord) -> ArcWarcRecord:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = _pairs(request.headers)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        return self.builder.create_warc_record(
            url, "request", payload=io.BytesIO(request.body), length=len(request.body),
            http_headers=RawHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True),
            warc_headers_dict={"WARC-Concurrent-To": answer.rec_headers.get_header("WARC-Record-ID"),
                               "WARC-Date": answer.rec_headers.get_header("WARC-Date")})
