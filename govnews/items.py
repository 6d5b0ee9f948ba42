"""The one item the project emits.

Spiders fill raw values (text as the page shows it, body as HTML in ``raw``);
the pipelines in ``pipelines/`` turn them into the clean, normalized fields.
Only the public fields are exported; ``raw`` is the spider-to-pipeline hand-over.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Article:
    url: str
    portal: str
    template: str
    cms: str | None = None
    title: str | None = None
    subtitle: str | None = None
    breadcrumb: list[str] = field(default_factory=list)
    source: str | None = None
    author: list[str] = field(default_factory=list)
    editor: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None
    date_precision: str | None = None
    body: str = ""
    images: list[dict[str, str | None]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    script: str | None = None
    flags: list[str] = field(default_factory=list)
    crawled_at: str | None = None
    duplicate_of: str | None = None
    # A 政府信息公开 page's metadata block (pipelines.disclosure): index_no, doc_no, issuer,
    # written_at, subject, validity; None on pages without one.
    disclosure: dict[str, str | None] | None = None
    # Files and 原文 links of the body (pipelines.attachments): url, name, kind, and once
    # downloaded (pipelines.files) size, sha256 and path under FILES_STORE.
    attachments: list[dict[str, Any]] = field(default_factory=list)
    # Where the bytes of each page are kept (govnews.provenance): a record, not content.
    provenance: list[dict[str, Any]] = field(default_factory=list)
    # Spider-to-pipeline hand-over, never exported. Keys: body_html (outer HTML of the
    # body container), meta_text (the meta line(s)), breadcrumb_text, fetched_url (set by
    # the spiders), disclosure_html (the page's 政府信息公开 block, cut out of body_html),
    # body_tree (that body as an lxml tree, taken by the noise stage; single pages only),
    # body_links (what pipelines.attachments reads of each link of the body, every page's);
    # footer_lines (作者/责任编辑 lines the noise stage moved out of the body).
    raw: dict[str, Any] = field(default_factory=dict, metadata={"export": False})


#: Field names written to feeds, in order (``raw`` is internal).
EXPORT_FIELDS: list[str] = [f.name for f in fields(Article) if f.metadata.get("export", True)]
#: Fields that say when and from where an item was made, not what it says: left out when
#: two extractions of one page are compared.
RUN_FIELDS: tuple[str, ...] = ("crawled_at", "provenance")
