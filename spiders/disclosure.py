"""Select the metadata block of a 政府信息公开 (government disclosure) page.

Disclosure pages carry 索引号, 发文字号, 发布机构, 成文日期, 主题分类, 有效性 in a block of
their own — a table, a ``<dl>`` or template fields in ``<span>`` s — above the text or inside
its container. The block is the smallest element holding the most of those labels; the spider
hands its HTML to :mod:`pipelines.disclosure` and cuts it out of the body HTML, so none of it
is left in the article text.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector
from scrapy.http import TextResponse

from govnews.labels import DISCLOSURE_FIELD_OF, DISCLOSURE_KEY_FIELDS, spaced

#: Fewer labelled fields than this is a sentence naming one, not a block; one of them must be
#: a key field (索引号 or 文号), as a news meta line may carry 发布单位 and 发文日期.
MIN_FIELDS = 2
#: A block holds labels and short values; an element with more text holds the article too.
MAX_BLOCK_CHARS = 1500


#: A label where a field starts: at the start of a text, or after a space or cell bar, and
#: followed by a colon or ending the text (a ``<th>索引号</th>`` cell).
_LABEL = re.compile(
    r"(?:^|(?<=[\s|｜]))(" + "|".join(spaced(label) for label in sorted(DISCLOSURE_FIELD_OF, key=len, reverse=True))
    + r")[\s\u3000]*(?:[:：]|$)")
_BLANKS = re.compile(r"[\s\u3000]+")


def find_block(response: TextResponse) -> Selector | None:
    """The page's disclosure metadata block, or None when it has none."""
    fields: dict[Any, set[str]] = {}
    for node in response.selector.root.iter():
        if not isinstance(node.tag, str):
            continue
        texts = ((node.tail, node.getparent()),) if node.tag in ("script", "style") else (
            (node.text, node), (node.tail, node.getparent()))
        for text, owner in texts:
            found = {DISCLOSURE_FIELD_OF[_BLANKS.sub("", m.group(1))] for m in _LABEL.finditer(text.strip())} if text else ()
            if found and owner is not None:
                for element in (owner, *owner.iterancestors()):
                    fields.setdefault(element, set()).update(found)
    candidates = [(len(names), _depth(element), element) for element, names in fields.items()
                  if len(names) >= MIN_FIELDS and names & DISCLOSURE_KEY_FIELDS and element.tag not in ("html", "body")
                  and len(element.xpath("string()")) <= MAX_BLOCK_CHARS]
    if not candidates:
        return None
    *_, block = max(candidates, key=lambda c: c[:2])
    return Selector(root=block, type="html")


def body_without(body: Selector | None, block: Selector | None) -> str | None:
    """The body's HTML with the block cut out when the body holds it."""
    if body is None:
        return None
    html = body.get()
    return html.replace(block.get(), "", 1) if block is not None else html


def _depth(element: Any) -> int:
    return sum(1 for _ in element.iterancestors())
