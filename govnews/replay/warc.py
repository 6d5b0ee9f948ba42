"""WARC files as a replay source: each URL answered with its newest good capture.

Captures are found through the CDXJ index beside each file (:mod:`govnews.cdxj`; a file
without one is read whole). The response comes back as recorded: status, headers and body
bytes before decompression (HttpCompressionMiddleware then decodes them as live), so
charsets and redirects are the site's. A ``revisit`` record answers with its own status and
headers and the payload of the record it refers to (same digest).

A later run's failure never hides a page an earlier run read: a URL is answered with its
newest *good* capture, a 2xx that :func:`govnews.blocks.classify` does not name a block
page (WAF challenge, captcha, soft 404 served 200...). Only when no capture is good does
the newest one answer, a server error (5xx) only when every capture is one. The rule is
the same for article and list pages: the newest good list is the latest the site showed,
and a 404 or a challenge in its place would hide every article it links. A page taken
down since is still in the archive, which is what re-extraction is for.
"""

from __future__ import annotations

import logging
import zlib
from pathlib import Path
from typing import BinaryIO

from scrapy import Request
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.gz import gunzip
from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from govnews import blocks, cdxj
from govnews.cdxj import Capture
from govnews.provenance import PROVENANCE

logger = logging.getLogger(__name__)


def warcinfo_fields(warc: Path) -> dict[str, str]:
    """The ``name: value`` fields of the file's opening warcinfo record ({} if none)."""
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "warcinfo":
                return {}
            text = record.content_stream().read().decode("utf-8", "replace")
            return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
    return {}


def _as_received(text: str) -> bytes:
    """The bytes of a header warcio read back (it reads a line as UTF-8, else as Latin-1).
    Text within Latin-1 goes back as Latin-1: a GBK value read so comes back whole; only a
    UTF-8 value of Latin-1 letters alone (café) cannot be told from one, and changes."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _is_block_page(response: Response) -> bool:
    """Whether ``response`` (body as recorded) is a block page. A gzip or deflate body is
    decoded for the look; one in another coding is taken as a page."""
    coding = response.headers.get("Content-Encoding", b"").strip().lower()
    try:
        body = gunzip(response.body) if coding in (b"gzip", b"x-gzip") else (
            zlib.decompress(response.body) if coding == b"deflate" else response.body)
    except (OSError, EOFError, zlib.error):
        return False
    decoded = responsetypes.from_args(headers=response.headers, url=response.url, body=body)
    if not issubclass(decoded, TextResponse):
        return False  # a PDF, an image: no page to look at
    text = decoded(url=response.url, headers=response.headers, body=body).text
    return blocks.classify(response.status, text) is not None


class WarcArchive:
    """The captures of a set of WARC files (names unique across them)."""

    def __init__(self, files: list[Path]) -> None:
        self.files: dict[str, Path] = {}
        self.by_url: dict[str, list[Capture]] = {}  # canonical URL → its captures, newest first
        self.payloads: dict[str, Capture] = {}  # payload digest → a response record holding it
        self.portal_of: dict[str, str] = {}  # file name → the portal its warcinfo names
        captures: list[Capture] = []
        for warc in files:
            if warc.name in self.files:
                logger.warning("replay: %s and %s share a name; the first is used", self.files[warc.name], warc)
                continue
            self.files[warc.name] = warc
            self.portal_of[warc.name] = warcinfo_fields(warc).get("portal", "")
            captures.extend(cdxj.captures_of(warc))
        self.captures = sorted(captures, key=lambda c: c.warc_date)
        for capture in reversed(self.captures):
            self.by_url.setdefault(canonicalize_url(capture.url), []).append(capture)
            if capture.record_type == "response" and capture.digest not in self.payloads:
                self.payloads[capture.digest] = capture

    def __len__(self) -> int:
        return len(self.by_url)

    @property
    def portals(self) -> set[str]:
        return set(filter(None, self.portal_of.values()))

    def article_urls(self, portal: str) -> list[str]:
        """URLs ``portal``'s crawls fetched as articles (PAGE_FIELD), oldest capture first."""
        return list(dict.fromkeys(c.url for c in self.captures
                                  if c.page == "article" and self.portal_of[c.filename] == portal))

    def response_for(self, request: Request) -> Response | None:
        """The newest good capture of ``request``'s URL, else its newest that is no server
        error, else its newest (the record holding its bytes in ``request.meta[PROVENANCE]``);
        None when there is none."""
        captures = self.by_url.get(canonicalize_url(request.url))
        if not captures:
            return None
        if len(captures) > 1:  # only a choice needs a look at the bodies
            for capture in captures:
                if 200 <= capture.status < 300:
                    response = self._response(request, capture)
                    if response is not None and not _is_block_page(response):
                        return response
        answer = next((c for c in captures if c.status < 500), captures[0])
        return self._response(request, answer)

    def _response(self, request: Request, capture: Capture) -> Response | None:
        """``capture`` as a response to ``request``; None when its payload is nowhere."""
        holder = capture if capture.record_type == "response" else self.payloads.get(capture.digest)
        if holder is None:
            logger.error("replay: revisit of %s refers to a payload no given WARC holds", capture.url)
            return None
        with self.files[holder.filename].open("rb") as stream:
            record = self._record(stream, holder)
            http, body = record.http_headers, record.raw_stream.read()
        if holder is not capture:  # a revisit: its own status and headers
            with self.files[capture.filename].open("rb") as stream:
                http = self._record(stream, capture).http_headers
        headers = Headers()
        for name, value in http.headers:
            headers.appendlist(_as_received(name), _as_received(value))
        request.meta[PROVENANCE] = {"file": holder.filename, "record_id": holder.record_id,
                                    "offset": holder.offset}
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=int(http.get_statuscode()), headers=headers, body=body,
                   request=request, flags=["replay"])

    @staticmethod
    def _record(stream: BinaryIO, capture: Capture) -> ArcWarcRecord:
        stream.seek(capture.offset)
        return next(iter(ArchiveIterator(stream)))
