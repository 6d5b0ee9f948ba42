"""Read a 政府信息公开 page's metadata block into ``Article.disclosure``.

The spider hands over the block's HTML (``raw["disclosure_html"]``, see
:mod:`spiders.disclosure`); this stage reads label and value pairs out of it, whatever the
layout (table cells, ``<dt>``/``<dd>``, ``索引号：…`` fields on one line), and normalizes them:
document numbers to the official ``〔2017〕`` brackets, the 成文日期 to an ISO 8601 date, kept
apart from ``published_at`` (a document is written before it is published). Stats
``disclosure/items`` and ``disclosure/<field>`` for each field found.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html
from scrapy.crawler import Crawler

from govnews.items import Article
from govnews.labels import DISCLOSURE_FIELD_OF, DISCLOSURE_LABELS, DISCLOSURE_OTHER_LABELS, spaced
from pipelines.dates import parse_date
from pipelines.noise import blocks_of

FIELDS = tuple(DISCLOSURE_LABELS)
_ALL_LABELS = sorted([*DISCLOSURE_FIELD_OF, *DISCLOSURE_OTHER_LABELS], key=len, reverse=True)
#: A label, where a value starts: after a line start, space or cell bar; a colon after it.
_LABEL = re.compile(r"(?:^|(?<=[\s|｜]))(" + "|".join(map(spaced, _ALL_LABELS)) + r")[\s\u3000]*[:：]?")
_BLANKS = re.compile(r"[\s\u3000]+")
#: What is left around a value: cell bars, colons, spaces.
_EDGES = " \t\n\u3000|｜:：;；"

#: A year in any of the brackets document numbers are typed with: [2017] ［2017］ (2017) 【2017】.
_YEAR_BRACKETS = re.compile(r"[\[［(（【〔〖]\s*((?:19|20)\d{2})\s*[\]］)）】〕〗]")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_doc_no(text: str) -> str | None:
    """``国发[2017]12号`` → ``国发〔2017〕12号``: the year in 〔〕 as GB/T 9704 writes it,
    full-width digits folded, no spaces; None when nothing is left (a placeholder ``无``)."""
    value = _BLANKS.sub("", text.translate(_FULL_WIDTH_DIGITS))
    value = _YEAR_BRACKETS.sub(r"〔\1〕", value)
    return value if value and value not in ("无", "-", "/", "——") else None


def normalize_written_at(text: str) -> str | None:
    """``2017年1月12日`` → ``2017-01-12`` (ISO 8601 date); None when no date is in it."""
    iso, _precision = parse_date(text.translate(_FULL_WIDTH_DIGITS))
    return iso[:10] if iso else None


def normalize_plain(text: str) -> str | None:
    value = _BLANKS.sub(" ", text).strip()
    return value if value and value not in ("无", "-", "/") else None


NORMALIZERS = {"doc_no": normalize_doc_no, "written_at": normalize_written_at}


def read_block(block_html: str) -> dict[str, str | None]:
    """The six disclosure fields of a block's HTML (None for those it does not give)."""
    root = lxml_html.fragment_fromstring(block_html, create_parent="div")
    text = "\n".join(block.text for block in blocks_of(root, "") if block.text)
    found: dict[str, str | None] = dict.fromkeys(FIELDS)
    labels = list(_LABEL.finditer(text))
    for label, following in zip(labels, [*labels[1:], None]):
        name = DISCLOSURE_FIELD_OF.get(_BLANKS.sub("", label.group(1)))
        if name is None or found[name] is not None:
            continue  # a label no field takes, or a second one for a field already read
        value = text[label.end():following.start() if following else len(text)].strip(_EDGES)
        found[name] = NORMALIZERS.get(name, normalize_plain)(value)
    return found


class DisclosurePipeline:
    """Fill ``disclosure`` from the block the spider selected."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DisclosurePipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        block_html = item.raw.get("disclosure_html")
        if not block_html:
            return item
        fields = read_block(block_html)
        if not any(fields.values()):
            self.stats.inc_value("disclosure/empty")
            return item
        item.disclosure = fields
        self.stats.inc_value("disclosure/items")
        for name, value in fields.items():
            if value is not None:
                self.stats.inc_value(f"disclosure/{name}")
        return item
