"""Answer requests from saved pages instead of the network.

On when the ``REPLAY`` setting names a folder: either one archive (a folder holding
``manifest.json``) or a folder of archives (one sub-folder per portal). The manifest maps
each URL to a saved file, an HTTP status and headers, so the spider sees exactly what the
site served, charset included. The same spider code runs live when ``REPLAY`` is unset.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url

logger = logging.getLogger(__name__)


class ReplayArchive:
    """URL → saved response, read from one or more ``manifest.json`` files."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.entries: dict[str, tuple[Path, dict[str, Any]]] = {}
        manifests = [self.root / "manifest.json"]
        if not manifests[0].is_file():
            manifests = sorted(self.root.glob("*/manifest.json"))
        if not manifests:
            raise NotConfigured(f"REPLAY={root}: no manifest.json in it or its sub-folders")
        for manifest in manifests:
            self._load(manifest)

    def _load(self, manifest: Path) -> None:
        folder = manifest.parent.resolve()
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for entry in data.get("responses", []):
            self.entries[canonicalize_url(entry["url"])] = (folder, entry)

    def response_for(self, request: Request) -> Response | None:
        """The saved response for ``request``, or None when the archive lacks it."""
        found = self.entries.get(canonicalize_url(request.url))
        if found is None:
            return None
        folder, entry = found
        body = b""
        if entry.get("file"):
            path = (folder / entry["file"]).resolve()
            if not path.is_relative_to(folder) or not path.is_file():
                logger.error("replay: %s points outside its archive or to no file", entry["file"])
                return None
            body = path.read_bytes()
        headers = Headers(entry.get("headers", {}))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=int(entry.get("status", 200)),
            headers=headers,
            body=body,
            request=request,
            flags=["replay"],
        )


class ReplayMiddleware:
    """Downloader middleware: serve from the archive, 404 (counted) for anything missing."""

    def __init__(self, archive: ReplayArchive, crawler: Crawler) -> None:
        self.archive = archive
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ReplayMiddleware":
        root = crawler.settings.get("REPLAY")
        if not root:
            raise NotConfigured
        middleware = cls(ReplayArchive(Path(root)), crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        logger.info("replay: answering from %s (%d saved responses)",
                    self.archive.root, len(self.archive.entries))

    def process_request(self, request: Request, spider: Spider | None = None) -> Response:
        response = self.archive.response_for(request)
        if response is not None:
            self.stats.inc_value("replay/hit")
            return response
        self.stats.inc_value("replay/miss")
        level = logging.DEBUG if request.url.endswith("/robots.txt") else logging.WARNING
        logger.log(level, "replay: %s is not in the archive; answering 404", request.url)
        return Response(url=request.url, status=404, body=b"", request=request, flags=["replay"])
