"""Find an article's parts on a page no selector was written for.

Portal selectors are exact but brittle: a redesign, a second template on the same site,
or an alias host serving an older skin makes them match nothing, and the crawl would
silently emit nothing. These finders are what the spiders fall back on when a configured
selector comes back empty. They rely on what Chinese news CMS pages share whatever their
markup: the government-site ``<meta name="ArticleTitle">`` family, a window title that
repeats the headline, a meta line of labels (来源：… 发布时间：…), a location bar
(您的位置：…), and a body made of long paragraphs.

Each finder takes a parsel ``Selector`` of the whole page and returns text, a node, or
None; none raises on odd HTML. They return raw page text: the pipelines clean it.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any
from urllib.parse import urljoin
from weakref import WeakKeyDictionary

from lxml import etree
from parsel import Selector

from govnews.labels import CRUMB_LABELS, FOOTER_LABELS

_SPACES = re.compile(r"\s+")
#: A mirror's pinyin annotation after a character: 來(lái)源(yuán) must still read 来源.
_NOTE = r"(?:[(（][a-zü\u00e0-\u01dc]{1,7}[)）])?"


def _labels(*words: str) -> str:
    """Regex alternation of label ``words`` that tolerates mirror annotations."""
    return "|".join(_NOTE.join(re.escape(char) for char in word) + _NOTE for word in words)


#: Labels of a meta line. A short element holding one of them is meta, not prose.
META_LABEL = re.compile("({})\\s*[:：]".format(_labels(
    "来源", "來源", "来源于", "发布时间", "發布時間", "發佈時間", "发布日期", "發布日期", "时间", "時間", "日期",
    "作者", "记者", "記者")))
#: A line that starts with a full date (2020-02-21 09:21, 2022年09月28日): a bare date line.
DATE_LEAD = re.compile(r"^\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月)")
#: Labels of the lines below an article (作者/责任编辑/终审…), which belong in its fields.
FOOTER_LABEL = re.compile("^\\s*[(（【\\[]?\\s*({})\\s*[:：]".format(_labels(
    *FOOTER_LABELS)))
_TAGS_LEAD = re.compile("^\\s*({}|Tags?)\\s*({})?\\s*[:：]".format(
    _labels("关键词", "关键字", "關鍵詞", "标签", "標籤"), _labels("浏览", "瀏覽")), re.I)
_CRUMB_LEAD = re.compile("^\\s*({})\\s*[:：]".format(_labels(*CRUMB_LABELS)))
_CRUMB_CLASS = re.compile(r"crumb|bread|position|location|place|weizhi|dqwz|mianbao", re.I)
#: Class/id tokens of site chrome (a logo's or a menu's heading is not the headline).
_CHROME_TOKEN = re.compile(
    r"^(logo|nav|navbar|menu|header|head|banner|footer|foot|top|topbar|side|sidebar)([-_]|$)"
    r"|^.*[-_](logo|banner|sitename|navbar|sidebar)([-_]|$)", re.I)  # not article-header
#: Class/id tokens of blocks beside the article: readers' comments, related or recommended
#: stories (which can outweigh a short article).
_BESIDE_TOKEN = re.compile(
    r"^(comments?|cmt|pinglun|reply|replies|related|relate|xiangguan|xg|xgwz|xgxw|xglb|xglist|recommend|tuijian|"
    r"hot|hotnews|remen|paihang|rank|ranking)([-_]|$)"
    # copyright and disclaimer notes, which a site may put inside the body's container
    r"|^(.*[-_])?(copyright|banquan|disclaimer|mianze)([-_]|$)", re.I)
_TITLE_CLASS = re.compile(r"title|biaoti|headline|(^|[-_\s])(tit|bt)([-_\s]|$)", re.I)
#: Class/id tokens of lists of titles (titlelist, title_list): many headlines, none the page's.
_TITLE_LIST_CLASS = re.compile(r"(^|[-_\s])(title|tit|bt)?[-_]?(list|lb)([-_\s]|$)", re.I)
_SUBTITLE_CLASS = re.compile(r"sub-?title|subtit|fbt|fu-?title|vice", re.I)
_WINDOW_SPLIT = re.compile(r"\s*(?:[-_|–]|(?<!—)—(?!—)|::)\s*")  # a lone — splits, 同心抗疫——“…” does not
#: Head metas that give the publish time (government-site standard, Open Graph, CMS habits).
_HEAD_DATE_NAMES = ("PubDate", "pubdate", "publishdate", "PublishDate", "firstpublishedtime",
                    "article:published_time", "og:release_date")
_BLOCK_TAGS = {
    "p", "div", "td", "th", "tr", "table", "tbody", "section", "article", "main", "ul", "ol", "li",
    "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "center", "form",
    "header", "footer", "nav", "aside", "figure", "figcaption", "pre",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "textarea", "select", "a", "button"}
_HEADING_RANK = {"h1": 4, "h2": 3, "h3": 2, "h4": 1, "h5": 1, "h6": 1}
_BOLD_TAGS = {"b", "strong", "font"}
#: A paragraph shorter than this (in characters) is a caption, label or link, not prose.
MIN_PARAGRAPH = 20
#: A meta line is longer than this (in characters, spaces aside) only when it is prose.
META_MAX = 150
#: How many elements after the body may hold its footer lines.
FOOTER_SCAN = 60


def text_of(node: Any, sep: str = " ", unseen: frozenset[str] = frozenset()) -> str:
    """Whitespace-collapsed text a reader sees in an lxml element or a parsel Selector:
    no script or style source, nothing inside a hidden (``display:none``) block, nor inside
    elements of the ``unseen`` tags the caller names.

    Text nodes are joined with ``sep``: a space where elements carry separate values
    (meta, breadcrumb), nothing for headlines (inline tags must not split words).
    """
    root = getattr(node, "root", node)
    if not isinstance(getattr(root, "tag", None), str):
        return ""
    return _SPACES.sub(" ", sep.join(_visible_texts(root, _UNSEEN_TAGS | unseen))).strip()


def _visible_texts(element: Any, unseen: frozenset[str]) -> list[str]:
    """``element``'s text nodes in reading order, less those of unseen elements."""
    texts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in unseen and not is_hidden(child):
            texts.extend(_visible_texts(child, unseen))
        texts.append(child.tail or "")
    return texts


#: Elements whose text a reader never sees as text.
_UNSEEN_TAGS = frozenset({"script", "style", "noscript", "template", "textarea", "select"})
#: A location bar's parts are links, spans and list items; a box inside it is a widget
#: (字号：默认 大, a print link) the template put beside the path.
_CRUMB_WIDGETS = frozenset({"div", "form", "table"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def is_hidden(element: Any) -> bool:
    """Whether ``element`` is hidden by its own style attribute (``display:none``)."""
    style = element.get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


class PageIndex:
    """What several finders read of one page, found once: the ``<body>``'s nodes and which
    of them are excluded, each element's own prose, the characters a reader sees in it, and
    the head metas. Every finder used to walk the whole page and re-read each element's
    text on its own; on real pages those walks cost many times the parse. Built on first
    use by :func:`index_of`; the tree must not change while it is in use."""

    def __init__(self, page: Selector) -> None:
        self.page = page
        found = page.xpath("//body")
        self.body = found[0].root if found else None
        self._token_memo: dict[re.Pattern[str], dict[Any, bool]] = {}

    @cached_property
    def nodes(self) -> list[Any]:
        """Every node under ``<body>`` (itself first), in document order."""
        return list(self.body.iter()) if self.body is not None else []

    @cached_property
    def excluded(self) -> set[Any]:
        """The elements under ``<body>`` that are :func:`_excluded`. The hidden elements and
        those that close their content (links, scripts…) are found by lxml, and only their
        descendants are visited to mark them: neither a walk up to the document's root from
        each element nor a check of each."""
        if self.body is None:
            return set()
        if _closed_above(self.body):
            return set(self.nodes)
        excluded = set(self.hidden)
        for closing in (*self.hidden, *self.body.iter(*_SKIP_TAGS)):
            excluded.update(closing.iterdescendants())
        return excluded

    @cached_property
    def hidden(self) -> set[Any]:
        """The elements under ``<body>`` (itself too) that :func:`is_hidden`."""
        return {element for element in _STYLED(self.body) if is_hidden(element)} if self.body is not None else set()

    @cached_property
    def prose(self) -> dict[Any, str]:
        """:func:`own_prose` of every element under ``<body>``."""
        return self._texts[0]

    @cached_property
    def seen_chars(self) -> dict[Any, int]:
        """Characters, whitespace aside, of :func:`text_of` every element under ``<body>``."""
        return self._texts[1]

    @cached_property
    def _texts(self) -> tuple[dict[Any, str], dict[Any, int]]:
        """:attr:`prose` and :attr:`seen_chars`, each element's built from its children's
        in one pass (a reversed document order visits children before their parent)."""
        prose: dict[Any, str] = {}
        chars: dict[Any, int] = {}
        hidden = self.hidden
        inline = _BLOCK_TAGS | _SKIP_TAGS
        for element in reversed(self.nodes):
            if not isinstance(element.tag, str):
                continue
            text = element.text or ""
            parts = [text]
            count = len("".join(text.split())) if text else 0
            for child in element:
                tag = child.tag
                if isinstance(tag, str):
                    if tag not in inline:
                        parts.append(prose[child])
                    if tag not in _UNSEEN_TAGS and child not in hidden:
                        count += chars[child]
                tail = child.tail
                if tail:
                    parts.append(tail)
                    count += len("".join(tail.split()))
            prose[element] = "".join(parts)
            chars[element] = count
        return prose, chars

    def own_prose(self, element: Any) -> str:
        found = self.prose.get(element)
        return found if found is not None else own_prose(element)

    @cached_property
    def head_metas(self) -> dict[str, list[str]]:
        """``content`` of the page's ``<meta>`` elements by their ``name`` and ``property``,
        in page order."""
        metas: dict[str, list[str]] = {}
        for meta in _METAS(getattr(self.page, "selector", self.page).root):
            attrib = meta.attrib
            for key in {attrib.get("name"), attrib.get("property")} - {None}:
                metas.setdefault(key, []).append(attrib["content"])
        return metas

    def has_token(self, element: Any, pattern: re.Pattern[str]) -> bool:
        """:func:`_has_token`, each ancestor's answer kept for the elements under it."""
        memo = self._token_memo.setdefault(pattern, {})
        chain = []
        node = element
        while node is not None and node not in memo:
            chain.append(node)
            node = node.getparent()
        above = memo[node] if node is not None else False
        for node in reversed(chain):
            above = memo[node] = above or _own_token(node, pattern)
        return memo[element]


_INDEXES: WeakKeyDictionary[Any, PageIndex] = WeakKeyDictionary()


def index_of(page: Selector) -> PageIndex:
    """The :class:`PageIndex` of ``page`` (a response or selector), built once per page."""
    index = _INDEXES.get(page)
    if index is None:
        index = _INDEXES[page] = PageIndex(page)
    return index


def _nonspace(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def adopt_stray_content(page: Selector) -> int:
    """Move what a page has after its ``</body>`` or ``</html>`` into ``<body>``, as a
    browser does. lxml leaves it beside the body, or in a second top-level ``<html>`` beside
    the document's (a CMS that prints a whole header include, ``</html>`` and all, above the
    article), where no finder looks. Returns how many elements moved."""
    body = page.xpath("/html/body")
    if not body:
        return 0
    body_root = body[0].root
    html = body_root.getparent()
    stray = [node for node in body_root.itersiblings() if isinstance(node.tag, str)]
    for other in html.itersiblings():
        if isinstance(other.tag, str):
            stray.extend(other if other.tag == "html" else [other])
    for node in stray:
        body_root.append(node)
    _INDEXES.pop(page, None)  # an index read before would miss what moved
    return len(stray)


def head_meta(page: Selector, *names: str) -> str | None:
    """The first non-empty ``<meta name|property=…>`` content among ``names``."""
    metas = index_of(page).head_metas
    for name in names:
        for value in metas.get(name, ()):
            if value.strip():
                return _SPACES.sub(" ", value).strip()
    return None


def find_head_date(page: Selector) -> str | None:
    """The publish time a page states in its head metas (``PubDate`` and kin)."""
    return head_meta(page, *_HEAD_DATE_NAMES)


def find_body(page: Selector) -> Selector | None:
    """The element holding the article's paragraphs, by a readability-style vote.

    Every block with at least MIN_PARAGRAPH characters of prose of its own (text not in
    links, not in nested blocks) votes its length for its parent and half of it for its
    grandparent; a block whose own text is long also votes for itself (paragraphs split by
    ``<br>`` in one div). Navigation, related lists and footers are links or short lines
    and hardly vote; teasers cut short with ``...`` and blocks of readers' comments or
    related stories never do (a short page of a split article must not lose to them).
    Ties go to the deeper element, the tighter fit.
    """
    index = index_of(page)
    if index.body is None:
        return None
    votes: dict[Any, float] = {}
    excluded = index.excluded
    for element in index.nodes:
        if not isinstance(element.tag, str) or element.tag not in _BLOCK_TAGS or element in excluded:
            continue
        own = index.prose[element]
        if len(own) < MIN_PARAGRAPH:  # shorter still without its spaces: counting them is spared
            continue
        length = len(_SPACES.sub("", own))
        if (length < MIN_PARAGRAPH or is_meta_line(own) or own.rstrip().endswith("...")
                or index.has_token(element, _CHROME_TOKEN) or index.has_token(element, _BESIDE_TOKEN)):
            continue
        if element.tag != "p":
            votes[element] = votes.get(element, 0.0) + length
        parent = element.getparent()
        for weight in (1.0, 0.5):
            if parent is None or parent.tag in ("body", "html"):
                break
            votes[parent] = votes.get(parent, 0.0) + weight * length
            parent = parent.getparent()
    if not votes:
        return None
    best = max(votes, key=lambda e: (votes[e], _depth(e)))
    return Selector(root=best, type="html")


def own_prose(element: Any) -> str:
    """Text of ``element`` outside links, scripts and nested blocks (inline markup kept)."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _BLOCK_TAGS and tag not in _SKIP_TAGS:
            parts.append(own_prose(child))
        parts.append(child.tail or "")
    return "".join(parts)


def is_meta_line(own: str) -> bool:
    """Whether an element's own text is a meta line: short, and labelled (来源：…) or led by
    a date. Prose that merely mentions a label (``(本文来源：长江日报)`` closing a body
    written in one ``<td>``) is too long to be one."""
    if not own or own.isspace():  # most elements' own text: no label, no date, and no pass to count it
        return False
    length = len(_SPACES.sub("", own))
    return length <= META_MAX and META_LABEL.search(own) is not None or length <= 60 and DATE_LEAD.match(own) is not None


def _excluded(element: Any) -> bool:
    """Whether ``element`` is inside a link, a script… or anywhere in a hidden block."""
    return is_hidden(element) or _closed_above(element)


def _closed_above(element: Any) -> bool:
    return any(isinstance(a.tag, str) and (a.tag in _SKIP_TAGS or is_hidden(a)) for a in element.iterancestors())


_STYLED = etree.XPath("descendant-or-self::*[@style]")
_METAS = etree.XPath("//meta[@content]")


def _depth(element: Any) -> int:
    return sum(1 for _ in element.iterancestors())


#: Punctuation inside a sentence; a location bar or a headline long enough to pass for a
#: paragraph has none, so the meta-line scan goes on past it.
_PROSE = re.compile(r"[，。；,;]")


def find_meta(page: Selector, body: Selector | None) -> str:
    """Meta-line texts above the article text: short elements holding labels (来源：…)
    or starting with a date (2020-02-21 09:21), and a date split over widgets
    (:func:`widget_date`).

    Read in document order up to the first paragraph of prose inside ``body`` (a loose
    body container may hold the meta line too); the innermost matching element is taken,
    one per line, so the meta line's own container is used and not the whole page. The
    date stage tells a page-render clock from the publish date by the labels.
    """
    index = index_of(page)
    if index.body is None:
        return ""
    body_root = body.root if body is not None else None
    lines: list[str] = []
    excluded = index.excluded
    for element in index.nodes:
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS or element in excluded:
            continue
        own = index.prose[element]
        labelled = is_meta_line(own)
        if not labelled and body_root is not None and element.tag not in _HEADING_RANK \
                and len(own) >= MIN_PARAGRAPH and len(_SPACES.sub("", own)) >= MIN_PARAGRAPH and _PROSE.search(own) and _within(element, body_root):
            break  # the first sentence of the article (a headline with a ；in it is none): no meta line below it
        # A widget date is 20 characters at most: most elements are not read for one.
        text = text_of(element) if labelled else widget_date(element) if index.seen_chars[element] <= 20 else None
        if text and len(text) <= 200 and not any(text in line for line in lines):
            lines = [line for line in lines if line not in text]
            lines.append(text)
    return "\n".join(lines)


#: A date a template splits over widgets, day apart from year and month:
#: ``<div class="day">21</div><div class="year">2024年02月</div>`` (either order).
_DAY_THEN_MONTH = re.compile(r"^(?P<d>\d{1,2})日?\s+(?P<y>\d{4})\s*[年/.-]\s*(?P<m>\d{1,2})月?$")
_MONTH_THEN_DAY = re.compile(r"^(?P<y>\d{4})\s*[年/.-]\s*(?P<m>\d{1,2})月?\s+(?P<d>\d{1,2})日?$")


def widget_date(element: Any) -> str | None:
    """``2024年02月21日`` for a date split over two or three child elements of ``element``
    and nothing else; None otherwise. A list item's date (a sidebar of other stories) is
    not the page's."""
    children = [child for child in element if isinstance(child.tag, str)]
    if not 2 <= len(children) <= 3 or (element.text or "").strip() or element.tag == "li" \
            or any(ancestor.tag == "li" for ancestor in element.iterancestors()):
        return None
    text = text_of(element)
    found = len(text) <= 20 and (_DAY_THEN_MONTH.match(text) or _MONTH_THEN_DAY.match(text))
    return f"{found['y']}年{int(found['m']):02d}月{int(found['d']):02d}日" if found else None


def _within(element: Any, ancestor: Any) -> bool:
    return element is ancestor or any(a is ancestor for a in element.iterancestors())


def find_title(page: Selector, body: Selector | None = None, crumb: str | None = None) -> str | None:
    """The headline: standard head metas, else the heading above the body that ranks best.

    Candidates are headings, title-classed elements and bold lines standing alone (old
    table layouts: ``<td><font size="4"><b>…</b></font></td>``) above the body, outside the
    site's chrome (logo, navigation, header, sidebar). A candidate the window title or the
    end of the location bar repeats wins; then a headline's length (column headings such as
    栏目导航 or 市委会要闻 are short); then heading rank (h1 > h2 …); then nearness to the
    body. The window title's longest part is taken when no heading is found, or only a short
    one nothing repeats. ``crumb`` is the location bar's text when the caller has it.
    """
    found = head_meta(page, "ArticleTitle", "og:title")
    if found:
        return tidy_title(max(_SITE_SUFFIX.split(found), key=len))
    window = _SPACES.sub(" ", page.xpath("//head/title/text()").get() or "").strip()
    crumb = (crumb if crumb is not None else find_breadcrumb(page) or "").replace(" ", "")
    body_root = body.root if body is not None else None
    candidates: list[tuple[tuple[bool, bool, int, int], str]] = []
    index = index_of(page)
    for position, element in enumerate(index.nodes):
        if body_root is not None and element is body_root:
            break
        if not isinstance(element.tag, str):
            continue
        rank = _HEADING_RANK.get(element.tag, 0)
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if not rank and _TITLE_CLASS.search(names) and not _TITLE_LIST_CLASS.search(names):
            rank = 2
        if not rank and element.tag not in _BOLD_TAGS or element in index.excluded \
                or index.has_token(element, _CHROME_TOKEN):
            continue
        text = _headline_text(element)
        if not rank and _stands_alone(element, text):
            rank = 1
        if not rank or not 4 <= len(text) <= 120 or _CRUMB_TEXT.match(text) or _CRUMB_LEAD.match(text):
            continue  # a location bar set as a heading (首页 - 新闻动态) is none
        echoed = len(text) >= 6 and (text in window or crumb.endswith(text.replace(" ", "")))
        candidates.append(((echoed, len(text) >= 8, rank, position), text))
    parts = [p for p in _WINDOW_SPLIT.split(window) if p]
    longest = max(parts, key=len) if parts else None
    if candidates:
        (echoed, long, _, _), text = max(candidates)
        # A short heading nothing echoes is a column's name (政务动态) when the window
        # title holds a headline-length part.
        if echoed or long or not longest or len(longest) < 8:
            return tidy_title(text)
    return tidy_title(longest) if longest else None


#: Separators of a site name after a headline in a head meta (…播出_华语_电影网_1905.com,
#: …--中国地理学会官网): never inside a Chinese headline, unlike - or |.
_SITE_SUFFIX = re.compile(r"\s*(?:_|--)\s*")
#: A heading that is a location bar: 首页 - 新闻动态, 首页 > 要闻.
_CRUMB_TEXT = re.compile(r"^(首页|主页|网站首页)\s*(>|»|›|/|-|→)")
#: Layout padding between a number and its unit (2007　年末, set to fit a line).
_NUMBER_PADDING = re.compile(r"(?<=\d)[ \u3000]+(?=[年月日号期届次])")


def tidy_title(title: str) -> str:
    """``title`` without the padding a layout put between a number and its unit."""
    return _NUMBER_PADDING.sub("", title)


def _headline_text(element: Any) -> str:
    """A heading's text without a meta line nested in it (PHPCMS's stock template:
    ``<h1>标题<br><span>2023-09-22 16:05:41 来源:… 点击:</span></h1>``)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not is_meta_line(text_of(child)):
            parts.append(text_of(child, ""))
        parts.append(child.tail or "")
    return _SPACES.sub(" ", "".join(parts)).strip()


def _stands_alone(element: Any, text: str) -> bool:
    """Whether ``element`` is all the text of the block it sits in (a line of its own)."""
    block = element.getparent()
    while block is not None and block.tag not in _BLOCK_TAGS:
        block = block.getparent()
    return block is not None and text_of(block, "") == text


def find_subtitle(page: Selector, title: str | None, body: Selector | None) -> str | None:
    """A subtitle line: a short heading between the headline and the meta line or body.

    Only headings (h2–h6) and subtitle-classed elements count, and the search ends at the
    first labelled meta element or at the body, so a meta line is never taken for one.
    """
    index = index_of(page)
    if index.body is None or not title:
        return None
    body_root = body.root if body is not None else None
    after_title = False
    title_chars = _nonspace(title)
    for element in index.nodes:
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS:
            continue
        if element is body_root:
            return None
        if not after_title:
            # Only an element with as many characters can read as the title.
            after_title = (index.seen_chars[element] == title_chars and element.tag not in ("title", "body")
                           and text_of(element, "") == title)
            continue
        if META_LABEL.search(index.prose[element]):
            return None
        text = text_of(element, "")
        if DATE_LEAD.match(text):
            return None
        names = f"{element.get('class', '')} {element.get('id', '')}"
        subtitle_like = element.tag in ("h2", "h3", "h4", "h5", "h6") or _SUBTITLE_CLASS.search(names)
        if subtitle_like and 4 <= len(text) <= 80 and text != title:
            return text
    return None


def _own_token(node: Any, pattern: re.Pattern[str]) -> bool:
    """Whether a class or id token of ``node`` itself matches ``pattern``."""
    return any(pattern.match(token) for token in f"{node.get('class', '')} {node.get('id', '')}".split())


def find_breadcrumb(page: Selector) -> str | None:
    """Text of the location bar (您的位置：首页 > …), found by its lead words or its class."""
    index = index_of(page)
    if index.body is None:
        return None
    elements = [e for e in index.nodes if isinstance(e.tag, str) and e.tag not in _SKIP_TAGS]
    for element in elements:
        if _CRUMB_LEAD.match(index.prose[element]):
            text = text_of(element, " ", _CRUMB_WIDGETS)
            if len(text) < 300:
                return text
    for element in elements:
        if _CRUMB_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"):
            text = text_of(element, " ", _CRUMB_WIDGETS)
            if 2 <= len(text) < 300:
                return text
    return None


def find_footer_lines(page: Selector, body: Selector | None) -> list[str]:
    """Short 作者/责任编辑/终审/来源 lines and labelled meta lines (发布日期：… 责任编辑：…)
    right below the body, which belong in fields: some templates put the whole meta line there.

    Scans the elements after the body in document order (siblings of the body and of its
    containers alike: ``<div class="content"><div class="TRS_Editor">…</div></div>`` then
    ``<div class="bottom"><p>责任编辑：…</p>``) and stops at the first long prose (a
    related-story summary) or after a screenful of elements.
    """
    if body is None:
        return []
    lines: list[str] = []
    index = index_of(page)
    for node in _FOLLOWING(body.root):
        if not isinstance(node.tag, str) or node.tag in _SKIP_TAGS \
                or (node in index.excluded if node in index.prose else _excluded(node)):
            continue
        own = index.own_prose(node)
        if FOOTER_LABEL.match(own.lstrip()) or is_meta_line(own) and META_LABEL.search(own):
            text = text_of(node)
            if len(text) <= 60 and text not in lines:
                lines.append(text)
        elif len(_SPACES.sub("", own)) >= MIN_PARAGRAPH:
            return lines
    return lines


_FOLLOWING = etree.XPath(f"following::*[position() <= {FOOTER_SCAN}]")


def find_next_article_page(page: Selector, page_url: str, stem: str, extension: str,
                           number: int) -> tuple[str, int] | None:
    """The next page of a split article and its number, or None on its last page.

    Further pages add a number to the first page's URL: DedeCMS ``32087.html`` →
    ``32087_2.html``, TRS ``t20200417_1976018.html`` → ``t20200417_1976018_1.html``. Of the
    page's links to ``<stem>_<n><extension>``, the lowest ``n`` above ``number`` (the current
    page's; 0 on the first) is next, so pagers that list every page and pagers with a
    下一页 link alone both work, and a link back to an earlier page never loops.
    """
    pattern = re.compile(re.escape(stem) + r"_(\d{1,3})" + re.escape(extension) + r"$")
    found: dict[int, str] = {}
    for href in page.xpath("//a/@href").getall():
        url = urljoin(page_url, href.strip()).split("#", 1)[0]
        match = pattern.match(url)
        if match and int(match.group(1)) > number:
            found.setdefault(int(match.group(1)), url)
    if not found:
        return None
    lowest = min(found)
    return found[lowest], lowest


def find_tags(page: Selector) -> list[str]:
    """Texts of the links in a keyword row (关键词：<a>…</a> <a>…</a>)."""
    index = index_of(page)
    for element in index.nodes:
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS:
            continue
        if not _TAGS_LEAD.match(index.prose[element]):
            continue
        row = element
        for _ in range(2):  # the label may sit in its own <li>/<span> beside the links
            if row.find(".//a") is not None or row.getparent() is None:
                break
            row = row.getparent()
        tags = [text_of(a, "") for a in row.iter("a")]
        return list(dict.fromkeys(t for t in tags if 0 < len(t) <= 20))
    return []
