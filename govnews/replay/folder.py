"""Saved pages: a folder holding ``manifest.json`` (or a folder of such, one per portal).

The manifest maps each URL to a saved file, an HTTP status and headers, so the spider sees
exactly what the site served, charset included. An entry with ``"method": "POST"`` and a
``"form"`` (field → value) answers only a POST of that form to its URL: a list API such as
Hanweb's dataproxy.jsp answers one URL with other records for each form it is sent.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from scrapy import Request
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url

from govnews.provenance import PROVENANCE
from govnews.replay.errors import ReplayError

logger = logging.getLogger(__name__)


def manifests_in(root: Path) -> list[Path]:
    """``root/manifest.json``, else ``root/*/manifest.json``; [] when neither is there."""
    own = root / "manifest.json"
    return [own] if own.is_file() else sorted(root.glob("*/manifest.json"))


class SavedPages:
    """URL → saved response, read from one or more ``manifest.json`` files."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.entries: dict[str, tuple[Path, dict[str, Any]]] = {}
        self.portals: set[str] = set()
        for manifest in manifests_in(self.root):
            self._load(manifest)

    def __len__(self) -> int:
        return len(self.entries)

    def article_urls(self, portal: str) -> list[str]:
        """None known: a manifest does not say what a page was fetched as."""
        return []

    def _load(self, manifest: Path) -> None:
        folder = manifest.parent.resolve()
        data = read_manifest(manifest)
        self.portals.add(data.get("portal") or folder.name)
        for entry in data["responses"]:
            self.entries[_key(entry["url"], entry.get("method", "GET"), entry.get("form", {}))] = (folder, entry)

    def response_for(self, request: Request) -> Response | None:
        """The saved response for ``request`` (its file in ``request.meta[PROVENANCE]``),
        or None when the archive lacks it."""
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"))) if request.method == "POST" else {}
        found = self.entries.get(_key(request.url, request.method, form))
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
            request.meta[PROVENANCE] = {"file": str(path)}
        headers = Headers(entry.get("headers", {}))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=int(entry.get("status", 200)), headers=headers, body=body,
                   request=request, flags=["replay"])


def _key(url: str, method: str, form: dict[str, str]) -> str:
    """What a saved response is looked up by: the canonical URL, and a POST's form."""
    if method.upper() == "GET":
        return canonicalize_url(url)
    return f"{method.upper()} {canonicalize_url(url)} {urlencode(sorted(form.items()))}"


def read_manifest(manifest: Path) -> dict[str, Any]:
    """The manifest's JSON, or ReplayError naming the file and what is wrong with it."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReplayError(f"replay manifest {manifest}: unreadable ({exc})") from None
    responses = data.get("responses", []) if isinstance(data, dict) else None
    if not isinstance(responses, list):
        raise ReplayError(f"replay manifest {manifest}: not an object with a \"responses\" list")
    for number, entry in enumerate(responses):
        if not (isinstance(entry, dict) and isinstance(entry.get("url"), str)):
            raise ReplayError(f"replay manifest {manifest}: responses[{number}] has no \"url\"")
    return {**data, "responses": responses}
