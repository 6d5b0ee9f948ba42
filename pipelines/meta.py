"""Who and where an article comes from: 来源, 作者, 编辑, and the breadcrumb trail.

Reads the spider's meta line(s), the footer lines the noise stage moved out of the body,
and the body's dateline (``各界导报宝鸡讯 ( 张兰)``). CMS placeholders such as ``未知`` and
``佚名`` mean "not given" and become null, so users never count "佚名" as an author.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.crawler import Crawler

from govnews.items import Article
from govnews.labels import AUTHOR_LABELS, CRUMB_LABELS, EDITOR_LABELS, SOURCE_LABELS

#: Labels whose values no field takes; they end the value before them (作者:佚名 点击:…).
_OTHER_LABELS = (
    "发布时间", "發布時間", "發佈時間", "发布日期", "發布日期", "发稿时间", "發稿時間", "发表时间", "发表日期",
    "发文时间", "发文日期", "刊发时间", "录入时间", "上传时间", "更新时间", "更新日期", "时间", "時間", "日期",
    "浏览次数", "瀏覽次數", "浏览量", "浏览", "阅读次数", "阅读量", "阅读", "点击数", "点击量", "点击",
    "访问量", "访问次数", "人气", "字体", "字體", "字号", "发布者", "发布人", "发布机构", "摄影", "攝影",
    "校对", "录入", "分享到", "打印", "评论", "评论数", "收藏", "图片来源", "图片", "视频来源",
)


def _label_pattern(label: str) -> str:
    """A label as pages print it: spaced to width (来 源：) and, when it is one character
    (文：), not the end of a longer word (原文：)."""
    spaced = r"[ \t\u3000]?".join(re.escape(char) for char in label)
    return spaced if len(label) > 1 else rf"(?<![\u4e00-\u9fff]){spaced}"


# Longest first, so 责任编辑 wins over 编辑 and 文章来源 over 来源.
_LABELS = "|".join(_label_pattern(label) for label in sorted(
    {*SOURCE_LABELS, *AUTHOR_LABELS, *EDITOR_LABELS, *_OTHER_LABELS}, key=len, reverse=True))
#: A label and its colon; labels of two characters or more also take a slash (编辑/苏芳,
#: 摄影/张艳), one-character ones not (文/图 is a credit, not 文：图).
_LABEL = re.compile(rf"({_LABELS})\s*[:：]|(?<![\u4e00-\u9fff])({_LABELS})(?<=[\u4e00-\u9fff]{{2}})/(?=\S)")
#: Where a value ends though no label follows: a line break (the next meta element), a
#: full date after a space (来源：人民日报 2024-05-13 08:49; a date in brackets is an edition)
#: or a widget's word beside the line (来源：求是网 参与互动, 来源: 长江网 调整字体).
_VALUE_END = re.compile(r"\n|\s(?=\d{4}\s*[-/.年]\s*\d{1,2})"
                        r"|\s(?=(?:参与互动|调整字体|字[体号]|打印|分享到?|收藏|评论|我要纠错|纠错|关闭)(?:\s|[:：]|$))")
_SEPARATOR_CLASS = r"[\s|｜/,，;；]+"
#: Separators and any whitespace at either end of a value (``\r`` and U+3000 included).
_EDGES = re.compile(rf"^{_SEPARATOR_CLASS}|{_SEPARATOR_CLASS}$")
_BRACKETS = {"(": ")", "（": "）", "【": "】", "[": "]"}
_CLOSERS = {close: open_ for open_, close in _BRACKETS.items()}
#: Newsroom roles in front of names (特约记者 张三, 记者张三) and credits after them (王某 摄, 张三 等).
_ROLE_PREFIX = r"(特约|特約|首席|全媒体|全媒體|融媒体|融媒體|本报|本報|见习|見習|驻站|駐站)?"
_ROLE = rf"{_ROLE_PREFIX}(记者|記者|通讯员|通訊員|实习生|實習生|摄影记者|攝影記者|编辑|編輯)"
_ROLE_WORDS = re.compile(rf"^({_ROLE}|摄影|攝影|摄影报道|攝影報道|文|图|圖|文/图|摄|攝|等|报道|報道)$")
_ROLE_LEAD = re.compile(rf"^{_ROLE}(?=[\u4e00-\u9fff]{{2,4}}$)")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
#: An unknown label's text run into a name list (原文：略): names hold no colon.
_NOT_A_NAME = re.compile(r"[:：]")
_NAME_SPLIT = re.compile(r"[\s、，,;；/|]+")
PLACEHOLDERS = {"未知", "佚名", "admin", "Admin", "ADMIN", "本站", "本网", "管理员", "匿名", "不详", "网络", "无",
                "暂无", "原创", "null", "NULL", "None", "-", "--", "—"}
_DATELINE = re.compile(r"^\s*\S{0,24}?[讯訊電电]\s*[(（]\s*([^()（）]{1,40}?)\s*[)）]")
#: A dateline at the end of a 来源 value: ``5月13日电(王爵)``, ``讯(记者 王某)``.
_SOURCE_DATELINE = re.compile(
    r"\s*(?:\d{1,2}月\d{1,2}日[电電讯訊](?:\s*[(（][^()（）]{0,40}[)）])?|[电電讯訊]\s*[(（][^()（）]{0,40}[)）])$")
#: Reporters credited after a source: ``成都日报 记者 张三 实习生 李四``.
_SOURCE_CREDITS = re.compile(rf"\s+{_ROLE}\s*[\u4e00-\u9fff·]{{2,4}}(\s.*)?$")  # not 人民日报 编辑部
#: An edition after a paper's name: ``(2023年06月18日 01 版)``, ``（第01版）``.
_SOURCE_EDITION = re.compile(r"\s*[(（][^()（）]*(\d{4}\s*年|\d{4}-\d{1,2}-\d{1,2}|\d+\s*版)[^()（）]*[)）]$")
_CRUMB_SPLIT = re.compile(r"\s*(?:>|»|›|→|＞|/|\\|->)\s*")
_CRUMB_LABEL = re.compile(rf"^({'|'.join(CRUMB_LABELS)})\s*[:：]?\s*")


def trim_value(value: str) -> str:
    """``value`` without separators, spaces and unpaired or wrapping brackets at its ends.

    ``【新华社】`` → ``新华社``, ``(记者 王某`` → ``记者 王某``, ``区统计局 【`` (cut before
    【字体:…】) → ``区统计局``; a bracket that pairs with one inside stays:
    ``中新网四川新闻5月13日电(王爵)``, ``人民网(北京)``.
    """
    while True:
        before = value
        value = _EDGES.sub("", value)
        if value[:1] in _BRACKETS and value.endswith(_BRACKETS[value[0]]) and _balanced(value[1:-1]):
            value = value[1:-1]
        elif value[:1] in _BRACKETS and not _balanced(value) or value[:1] in _CLOSERS:
            value = value[1:]
        elif value[-1:] in _CLOSERS and not _balanced(value) or value[-1:] in _BRACKETS:
            value = value[:-1]
        if value == before:
            return value


def _balanced(text: str) -> bool:
    """Whether every bracket in ``text`` closes one opened before it, of its own kind."""
    stack: list[str] = []
    for char in text:
        if char in _BRACKETS:
            stack.append(char)
        elif char in _CLOSERS:
            if not stack or stack.pop() != _CLOSERS[char]:
                return False
    return not stack


def labeled_values(text: str) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of a meta text such as ``来源:X|作者:Y|时间:Z``."""
    pairs = []
    matches = list(_LABEL.finditer(text or ""))
    for match, following in zip(matches, [*matches[1:], None]):
        end = following.start() if following else len(text)
        start = end - len(text[match.end():end].lstrip())
        cut = _VALUE_END.search(text, start, end)
        value = trim_value(text[start:cut.start() if cut else end])
        pairs.append((re.sub(r"\s", "", match.group(1) or match.group(2)), value))
    return pairs


def clean_value(value: str | None) -> str | None:
    """A meta value, or None for empty values and CMS placeholders."""
    value = trim_value(value or "")
    return None if not value or value in PLACEHOLDERS else value


def source_name(value: str | None) -> str | None:
    """The source a 来源 value names, without a dateline, an edition or credits copied into it:
    ``中新网四川新闻5月13日电(王爵)`` → ``中新网四川新闻``, ``《人民日报》(2023年06月18日 01 版)``
    → ``人民日报``, so one source keeps one name; None for placeholders."""
    value = clean_value(value)
    if value is None:
        return None
    name = clean_value(_SOURCE_EDITION.sub("", _SOURCE_DATELINE.sub("", _SOURCE_CREDITS.sub("", value))))
    if name and name.startswith("《") and name.endswith("》") and name.count("《") == 1:
        name = name[1:-1]
    return clean_value(name) or value


def split_names(value: str | None) -> list[str]:
    """``文明 徐锐 任慧`` → three names, ``颜 娜`` → one; role words (记者, 通讯员) and
    placeholders dropped."""
    names = []
    for part in _NAME_SPLIT.split(value or ""):
        part = _ROLE_LEAD.sub("", trim_value(part))
        if part and not _ROLE_WORDS.match(part) and clean_value(part) and part not in names \
                and not _NOT_A_NAME.search(part):
            names.append(part)
    if len(names) == 2 and all(len(name) == 1 and _HAN_CHAR.match(name) for name in names):
        return ["".join(names)]  # a two-character name spaced to the width of three: 颜 娜
    return names


def dateline_authors(first_paragraph: str | None) -> list[str]:
    """Reporter names of a dateline ``各界导报宝鸡讯 ( 张兰)`` / ``本报讯（记者 王某）``."""
    match = _DATELINE.match(first_paragraph or "")
    return split_names(match.group(1)) if match else []


#: Last crumbs that name the page kind, not a section (详细内容 = "details").
CRUMB_PAGE_WORDS = {"正文", "详细内容", "詳細內容", "内容", "详情", "詳情", "文章内容", "阅读文章", "浏览文章", "查看内容"}


def split_breadcrumb(text: str | None, title: str | None = None) -> list[str]:
    """``您的位置: 首页 >新闻中心>政工简讯>详细内容`` → ``["首页", "新闻中心", "政工简讯"]``.

    The breadcrumb is the section path: a trailing repeat of the article's ``title``
    (``首页/新闻浏览/市委会要闻/<title>``) and a trailing page word (正文, 详细内容) are
    not sections and are dropped.
    """
    text = _CRUMB_LABEL.sub("", (text or "").strip())
    if title and text.endswith(title):
        text = text[: -len(title)]
    parts = [part.strip() for part in _CRUMB_SPLIT.split(text) if part.strip()]
    while parts and (parts[-1] in CRUMB_PAGE_WORDS or parts[-1] == title):
        parts.pop()
    return parts


class MetaPipeline:
    """Fill ``source``, ``author``, ``editor`` and ``breadcrumb`` from the raw meta texts."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "MetaPipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        pairs = labeled_values(item.raw.get("meta_text") or "")
        footer = [pair for line in item.raw.get("footer_lines", []) for pair in labeled_values(line)]
        placeholders = sum(1 for _, v in pairs + footer if v and clean_value(v) is None)
        if placeholders:
            self.stats.inc_value("meta/placeholder", placeholders)

        raw_source = _first(pairs + footer, SOURCE_LABELS)
        item.source = item.source or source_name(raw_source)
        authors = [n for label, v in pairs if label in AUTHOR_LABELS for n in split_names(v)]
        if not authors:
            authors = [n for label, v in footer if label in AUTHOR_LABELS for n in split_names(v)]
        if not authors and raw_source:  # 来源：成都日报 记者 张三
            credits = _SOURCE_CREDITS.search(raw_source)
            authors = split_names(credits.group(0)) if credits else []
        if not authors:
            authors = dateline_authors(item.body.split("\n", 1)[0] if item.body else None)
            if authors:
                self.stats.inc_value("meta/author_from_dateline")
        item.author = item.author or authors
        for label in EDITOR_LABELS:
            item.editor = item.editor or _first(pairs + footer, {label})
        if not item.breadcrumb:
            item.breadcrumb = split_breadcrumb(item.raw.get("breadcrumb_text"), item.title)
        return item


def _first(pairs: list[tuple[str, str]], labels: tuple[str, ...] | set[str]) -> str | None:
    for label, value in pairs:
        if label in labels and clean_value(value):
            return clean_value(value)
    return None
