"""Attachments: the files an article links to, and its 原文 (original) link, as ``attachments``.

A 政府信息公开 or bulletin page often *is* its attachment: the PDF, Word, WPS or OFD file of
the document, or the 请点击查看原文 link to the original bulletin. The noise stage keeps such a
link's text in the body (``附件：学习安排.docx``) or drops it after a stop line; either way the
URL would be lost, so this stage reads every link of the body the spider handed over
(``raw["body_links"]``, read off the spider's tree of the page: the body is parsed once) and
lists the file links: ``{url, name, kind, size, sha256, path}``. ``size``, ``sha256`` and
``path`` stay null unless :mod:`pipelines.files` downloads them (``FILES_STORE`` set).
Stat ``attachments/<kind>``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree
from scrapy.crawler import Crawler

from govnews.items import Article
from pipelines.script import normalize_text

#: File types a government article attaches (WPS 文字/表格 as .wps/.et, OFD the national e-document format).
FILE_KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "txt")
#: The link to the original document a repost or summary points to (请点击查看原文, 原文链接).
ORIGINAL_KIND = "original"
_ORIGINAL = re.compile(r"原文")
_FILE_NAME = re.compile(r"[^/\\?#=&]+\.(" + "|".join(FILE_KINDS) + r")$", re.I)
_SPACES = re.compile(r"\s+")


def kind_of(url: str, text: str = "") -> str | None:
    """The file type a link leads to (by its path, a ``filename=`` query value, or a file
    name as its text), :data:`ORIGINAL_KIND` for a 原文 link, None for any other link."""
    parts = urlsplit(url)
    for candidate in (unquote(parts.path), *(unquote(v) for _, v in parse_qsl(parts.query)), text.strip()):
        found = _FILE_NAME.search(candidate)
        if found:
            return found.group(1).lower()
    return None


def body_links(root: Any) -> list[dict[str, str]]:
    """What this stage reads of each link in a body's tree (``root``, the body in a
    ``<div>``): its href, its text, its title and the last characters of text before it.
    The spider reads them off the tree it has (``raw["body_links"]``), so the body's HTML
    is not parsed again here; the noise stage takes that tree apart before this stage."""
    return [{"href": link.get("href") or "", "text": _STRING(link), "title": link.get("title") or "",
             "before": _text_before(link)} for link in root.iter("a")]


def find_attachments(links: list[dict[str, str]], base_url: str) -> list[dict[str, Any]]:
    """The file and 原文 links among a body's :func:`body_links`, once each, in page order."""
    found: dict[str, dict[str, Any]] = {}
    for link in links:
        href = link["href"].strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(base_url, href)
        text = _SPACES.sub(" ", link["text"]).strip()
        kind = kind_of(url, text) or (ORIGINAL_KIND if _ORIGINAL.search(text + link["before"]) else None)
        if kind and url not in found and urlsplit(url).scheme in ("http", "https"):
            name = text or link["title"].strip() or PurePosixPath(unquote(urlsplit(url).path)).name
            found[url] = {"url": url, "name": normalize_text(name) or None, "kind": kind,
                          "size": None, "sha256": None, "path": None}
    return list(found.values())


_STRING = etree.XPath("string()")


def _text_before(link: Any) -> str:
    """The last characters of text before ``link`` in its parent (``请点击查看原文：<br><a>…``):
    where a page labels a link whose own text is the document's title."""
    parent = link.getparent()
    if parent is None:
        return ""
    pieces = [parent.text or ""]
    for sibling in parent:
        if sibling is link:
            break
        # A comment's text is no reader's (and lxml reads no string() of a comment).
        pieces.append((_STRING(sibling) if isinstance(sibling.tag, str) else "") + (sibling.tail or ""))
    return "".join(pieces).strip()[-12:]


class AttachmentsPipeline:
    """Fill ``attachments`` from the links of the body."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AttachmentsPipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        links = item.raw.get("body_links")
        if links:
            item.attachments = find_attachments(links, item.raw.get("fetched_url") or item.url)
            for attachment in item.attachments:
                self.stats.inc_value(f"attachments/{attachment['kind']}")
        return item
