"""Select the metadata block of a 政府信息公开 (government disclosure) page.

Disclosure pages carry 索引号, 发文字号, 发布机构, 成文日期, 主题分类, 有效性 in a block of
their own — a table, a ``<dl>`` or template fields in ``<span>`` s — above the text or inside
its container, or as loose ``<p>`` lines at the head of the text. The block is the smallest
element holding the most of those labels when labels and values are most of its text; when
they are not (the element is the text container, the fields loose lines in it) the block is
those field lines, one by one. Either way it never holds the body or most of its text. The
spider hands its HTML to :mod:`pipelines.disclosure` and cuts it out of the body HTML, so
none of it is left in the article text.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector, SelectorList
from scrapy.http import TextResponse

from govnews.labels import DISCLOSURE_FIELD_OF, DISCLOSURE_KEY_FIELDS, DISCLOSURE_OTHER_LABELS, spaced

#: Fewer labelled fields than this is a sentence naming one, not a block; one of them must be
#: a key field (索引号 or 文号), as a news meta line may carry 发布单位 and 发文日期.
MIN_FIELDS = 2
#: A value is short (a number, a date, a title); past this, what follows a label is text.
MAX_VALUE_CHARS = 100
#: Labels and values are at least this share of a block's text; a text container holds prose.
MIN_FIELD_SHARE = 0.5


def _label_pattern(labels: Any) -> re.Pattern[str]:
    """A label where a field starts: at the start of a text, or after a space or cell bar,
    and followed by a colon or ending the text (a ``<th>索引号</th>`` cell)."""
    return re.compile(r"(?:^|(?<=[\s|｜]))(" + "|".join(spaced(label) for label in sorted(labels, key=len, reverse=True))
                      + r")[\s\u3000]*(?:[:：]|$)")


_LABEL = _label_pattern(DISCLOSURE_FIELD_OF)
#: A key field's label anywhere in a page's text: without one the page has no block, and
#: its text nodes need not be read one by one (most pages are news, not disclosure pages).
_KEY_LABEL = re.compile("|".join(spaced(label) for label, name in DISCLOSURE_FIELD_OF.items()
                                 if name in DISCLOSURE_KEY_FIELDS))
#: Any label of the block, those filling no field too: their values are block text as well.
_ANY_LABEL = _label_pattern([*DISCLOSURE_FIELD_OF, *DISCLOSURE_OTHER_LABELS])
_BLANKS = re.compile(r"[\s\u3000]+")
_EDGES = " \t\n\u3000|｜:：;；"


def find_block(response: TextResponse, body: Selector | None = None) -> SelectorList | None:
    """The page's disclosure metadata block — one element, or the field lines loose in the
    text (``body``) — or None when it has none."""
    root = response.selector.root
    if _KEY_LABEL.search(root.xpath("string()")) is None:
        return None
    fields = _fields_by_element(root)
    groups = [(len(names), _depth(element), element) for element, names in fields.items()
              if len(names) >= MIN_FIELDS and names & DISCLOSURE_KEY_FIELDS]
    if not groups:
        return None
    *_, group = max(groups, key=lambda g: g[:2])
    inside = body.root if body is not None else None
    lines = [group] if _is_block(group, inside) else _field_lines(group, fields, inside)
    found = set().union(*(fields[line] for line in lines))
    if len(found) < MIN_FIELDS or not found & DISCLOSURE_KEY_FIELDS:
        return None
    if inside is not None and 2 * sum(_chars(line) for line in lines if _holds(inside, line)) > _chars(inside):
        return None  # the body would be mostly gone: it is the block, not the text
    return SelectorList(Selector(root=line, type="html") for line in lines)


def body_without(body: Selector | None, block: SelectorList | None) -> str | None:
    """The body's HTML with the block's elements cut out where the body holds them."""
    if body is None:
        return None
    html = body.get()
    for line in block or ():
        html = html.replace(line.get(), "", 1)
    return html


def _fields_by_element(root: Any) -> dict[Any, set[str]]:
    """The fields each element's labels name, its descendants' included."""
    fields: dict[Any, set[str]] = {}
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        texts = ((node.tail, node.getparent()),) if node.tag in ("script", "style") else (
            (node.text, node), (node.tail, node.getparent()))
        for text, owner in texts:
            found = {DISCLOSURE_FIELD_OF[_BLANKS.sub("", m.group(1))] for m in _LABEL.finditer(text.strip())} if text else ()
            if found and owner is not None:
                for element in (owner, *owner.iterancestors()):
                    fields.setdefault(element, set()).update(found)
    return fields


def _is_block(element: Any, body: Any) -> bool:
    """Whether ``element`` may be cut whole: not the page, not holding the body, mostly fields."""
    return (element.tag not in ("html", "body") and not (body is not None and _holds(element, body))
            and _field_share(element) >= MIN_FIELD_SHARE)


def _field_lines(group: Any, fields: dict[Any, set[str]], body: Any) -> list[Any]:
    """The largest elements under ``group`` that hold fields and may be cut whole, in page order."""
    lines: list[Any] = []
    for child in group:
        if child in fields:
            lines.extend([child] if _is_block(child, body) else _field_lines(child, fields, body))
    return lines


def _field_share(element: Any) -> float:
    """The share of the element's text in labels and their values; a label ending its text
    (a ``<th>``, a ``<span>索引号：</span>``) takes the next text as its value."""
    field = total = 0
    value_next = False
    for piece in element.itertext():
        text = piece.strip()
        chars = len(_BLANKS.sub("", text))
        if not chars:
            continue
        total += chars
        labels = list(_ANY_LABEL.finditer(text))
        if not labels:
            field += min(chars, MAX_VALUE_CHARS) if value_next else 0
            value_next = False
            continue
        for label, following in zip(labels, [*labels[1:], None]):
            value = text[label.end():following.start() if following else len(text)]
            field += len(_BLANKS.sub("", label.group(0))) + min(len(_BLANKS.sub("", value)), MAX_VALUE_CHARS)
        value_next = not text[labels[-1].end():].strip(_EDGES)
    return field / total if total else 0.0


def _holds(element: Any, other: Any) -> bool:
    return element is other or any(ancestor is element for ancestor in other.iterancestors())


def _chars(element: Any) -> int:
    return len(_BLANKS.sub("", element.xpath("string()")))


def _depth(element: Any) -> int:
    return sum(1 for _ in element.iterancestors())
