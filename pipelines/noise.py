"""Strip page noise from article bodies, and keep what the noise was hiding.

Two levels, each made of named rules so a user can see (stats ``noise/<rule>``) and a
portal can extend (``[noise]`` in its portal file) what was removed:

* DOM rules drop whole widgets from the body HTML the spider hands over: captchas
  (NetEase Yidun ``yidun*``, GeeTest ``geetest_*``), login dialogs, share popups,
  browser notices, related lists, print/close links, counters, back-to-top links.
* Line rules drop boilerplate lines that slip through as text.  A *stop* line (share row,
  "请点击查看原文", reprint notice, related-list heading) ends the article: what follows
  is template, scanned only for 作者/责任编辑/终审/来源 lines, which move to their fields.

Keyword rows become ``tags``; image alt text and photo captions become ``images``.
Matching is done on a folded key (full-width → ASCII, mirror pinyin removed) so one rule
serves Simplified, Traditional and mirror pages alike.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from lxml.cssselect import CSSSelector
from scrapy.crawler import Crawler

from govnews.items import Article
from govnews.labels import CRUMB_LABELS, FOOTER_LABELS
from pipelines.script import normalize_text

logger = logging.getLogger(__name__)

# --- DOM rules: name → regex matched against each class / id token ---------------------

DOM_RULES: dict[str, re.Pattern[str]] = {
    "captcha": re.compile(r"^(yidun|geetest)|captcha|verify-?code|yzm$", re.I),
    "login": re.compile(r"(^|[-_])(login|signin|logon|denglu)([-_]|$)", re.I),
    "browser_notice": re.compile(r"(^|[-_])(browser|ie-?tips?|browsehappy|upgrade-browser)([-_]|$)", re.I),
    "share": re.compile(r"(^|[-_])(b?d?share|bdsharebuttonbox|jiathis|fenxiang|qrcode|wxcode|weixin-?code)([-_]|$)", re.I),
    "related": re.compile(r"(^|[-_])(related?|relevant|xgwz|xglb|xgxw|tjyd|recommend|tuijian|xiangguan|hot-?news|more-?news)([-_]|$)",
                          re.I),
    "keywords": re.compile(r"(^|[-_])(keywords?|tags?|gjc)([-_]|$)", re.I),
    "print_close": re.compile(r"(^|[-_])(print|close|dayin)([-_]|$)", re.I),
    "view_counter": re.compile(r"(^|[-_])(hits|views?-?count|click-?num|readnum|visit-?count)([-_]|$)", re.I),
    "back_to_top": re.compile(r"(^|[-_])(go-?top|back-?top|to-?top|fanhui)([-_]|$)", re.I),
    "font_switch": re.compile(r"(^|[-_])(font-?(size|switch)-?(bar|box|btn)?|zihao)$", re.I),
    # A video player and its UI (倍速, 正在为您切换到高清…): the video is no text. Player
    # names only: video-intro, video-desc and news-video hold a video page's text.
    "video_player": re.compile(r"^(m?player([-_]?(container|box|wrap))?|[\w-]+[-_]player([-_]?box)?|vjs-[\w-]+"
                               r"|video-?js|jwplayer|ckplayer|prism-player)$", re.I),
    # A box named for a video that holds the player (see _is_video_card): the video's card,
    # its title, 时长 and 展开/收起 beside the player.
    "video_card": re.compile(r"video", re.I),
    # The pager of an article split over pages (the spider follows it; its numbers are no text).
    "pager": re.compile(r"^(pages|pagelist|pagination|pager|page-?nav|paging|fenye|dede_pages|page_?box)$", re.I),
    # Readers' comments (畅言's SOHUCS box too): their 作者： lines are readers, not the article's.
    "comments": re.compile(r"(^|[-_])(comments?|pinglun|discuss|replies|liuyan|SOHUCS)([-_]|$)", re.I),
}
#: Whether any DOM rule matches a token (the rules ignore case, as this does): one search
#: where most tokens (``content``, ``main``) match none of the rules, each a search of its own.
_ANY_DOM_RULE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in DOM_RULES.values()), re.I)
#: Widgets that sit beside the article's own credits (a tag or tool row with 【纠错】 and
#: 责任编辑 in one line); a related list, a comment box or a portal's widget holds other
#: stories' and readers' credits, which are not this article's.
CREDIT_WIDGETS = {"keywords", "print_close", "share", "font_switch", "view_counter"}
# Elements whose content is never article text.
_ALWAYS_DROP = {"script", "style", "noscript", "iframe", "form", "button", "select", "input",
                "textarea", "object", "embed", "svg", "template", "video", "audio", "canvas"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_JS_HREF = re.compile(r"^javascript:.*(print|close)|window\.(print|close)", re.I)

# --- Line rules (matched on the folded key of one line) --------------------------------

LINE_RULES: dict[str, re.Pattern[str]] = {
    "captcha": re.compile(r"^(加载中\.*|刷新|返回文字点选验证|切换至语音验证码|请完成安全验证|向右滑动.{0,8}|拖动滑块.{0,10}|验证码|看不清.{0,6}换一张)$"),
    "login": re.compile(r"^(用户登录|登录|注册|忘记密码\??|记住密码|用户名[:：]?|密\s*码[:：]?)$"),
    "browser_notice": re.compile(r"^(尊敬的用户,?您好!?|.{0,6}网站不支持您所使用的浏览器.*|.*请您?使用以下浏览器.*|.*建议使用.{0,20}浏览器.{0,20})$"),
    "share": re.compile(
        r"^(分享(到|至)?[:：]?\s*((微信|朋友圈|微博|新浪微博|腾讯微博|QQ空间|QQ好友|QQ|人人网|豆瓣|更多|复制链接)[\s、,|]*)*"
        r"|微信扫一扫.{0,10}|Scan me!?|微信里点“发现”,?扫一下|二维码便可将本文分享至朋友圈。?|[x×X]|扫一扫.{0,10}分享.{0,10})$", re.I),
    # A reposted WeChat article's own follow prompts and its reader links.
    "wechat_prompt": re.compile(r"^(点击(上方)?蓝字.{0,12}|(长按|扫描|识别).{0,6}二维码.{0,12}|关注我们|阅读原文|点个?“?在看”?.{0,10}|▼|↓+)$"),
    # 【字体：大 中 小】, 浏览次数： 【字体：, 【大】【中】【小】 – never 中华老字号.
    "font_switch": re.compile(
        r"^.{0,20}?【?\s*字[体号]\s*([:：]\s*([【\[]?[大中小超]\s*[】\]]?\s*){0,4}|([【\[]?[大中小超][】\]]?\s*){2,4})】?\s*$"
        r"|^(【[大中小]】\s*){2,4}$"),
    # One tool or a row of them: 【打印】【关闭】, 打印 | 关闭, 【字体：大 中 小】【打印本页】.
    "print_close": re.compile(
        r"^(([【\[]\s*)?(打印(本页|正文|此文)?|关闭(本页|窗口)?|收藏(本页|此文)?|我要纠错|纠错"
        r"|字[体号]\s*[:：]\s*([大中小超]\s*)*)\s*([】\]]\s*)?[|｜]?\s*)+$"),
    "read_aloud": re.compile(r"^(人工)?智能朗读[:：]?$"),
    "view_counter": re.compile(
        r"^(浏览次数|阅读次数|访问次数|阅读量|点击数|点击量|访问量|浏览量|浏览|阅读|点击|人气)\s*"
        r"([:：]\s*[\[【(]?\s*[\d.,]*\s*万?\s*[\]】)]?|[\[【(]?\s*[\d.,]+\s*万?\s*[\]】)]?)\s*次?$"
        r"|^您是(本站)?第\s*\d+\s*位访(问|客)者?$"),
    "back_to_top": re.compile(r"^(Top|TOP|top|返回顶部|回到顶部|↑)$"),
    "pager": re.compile(r"^(共\s*\d+\s*页[:：]?\s*)?((上一页|下一页|首页|尾页|末页|[\[【]?\d{1,3}(?!\d)[\]】]?)\s*){2,}$"),
    # A link to more of the site standing as a line: 点击进入“文艺星青年”>>, 更多精彩»; prose never ends so.
    "more_link": re.compile(r"^[^。！？!?]{0,30}(>>|»|››)$"),
    "placeholder": re.compile(r"^(none|null|undefined|None|NULL)$"),
    # Labels and buttons of a photo gallery or like widget the body container holds.
    "gallery": re.compile(r"^(图集|组图|高清组图|多图|\+1|点赞|赞|查看原图|点击查看大图|点击查看高清原图|上一张|下一张)$"),
    # An image's file name where its alt text belongs (微信截图_20250609111515, IMG_0412.JPG).
    "file_name": re.compile(
        r"^((微信|屏幕)?截图|微信图片|IMG|DSC|DSCN|image|photo|pic)[-_ ]?\d[\d_-]*(\.(jpe?g|png|gif|bmp|webp))?$"
        r"|^[\w.-]+\.(jpe?g|png|gif|bmp|webp)$", re.I),
    # What a loose body container (the generic finder's) may take in above the text.
    "breadcrumb": re.compile(
        rf"^({'|'.join(label for label in CRUMB_LABELS if len(label) > 2)})\s*:"
        r"|^(首页|主页|网站首页)\s*(>|>>|»|›|/)"),
    # A machine timestamp alone on a line is a page-render clock (2024-07-08 15:44:44,
    # 今天是2026年11月24日 星期二); a document's own signature date (2022年9月16日) has no
    # time and stays.
    "render_clock": re.compile(
        r"^(今天是[:：]?\s*)?\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?\s*"
        r"(\d{1,2}:\d{2}(:\d{2})?(\s*星期[一二三四五六日天])?|星期[一二三四五六日天])(\s*(人工)?智能朗读[:：]?)?$"),
    # Porn and gambling keywords a hijacked mirror appends for search engines
    # (国内精品久久人妻无码免费,婷婷五月天…): two of them never meet in a news sentence.
    "spam": re.compile(
        r"^(?:.*?(?:无码|人妻|婷婷|毛片|色综合|一区二区|久久精品|久久国产|国产精品|亚洲精品|偷拍|百家乐|博彩|娱乐城"
        r"|时时彩|六合彩|赌场|菠菜)){2}"),
}
STOP_RULES: dict[str, re.Pattern[str]] = {
    "original_link": re.compile(r"^请?点击查看原文"),
    "reprint": re.compile(r"^(版权声明|版权所有|凡文章?来源为|未经.{0,10}许可.{0,4}不得转载|免责声明|声明\s*[:：])"),
    # A heading of its own (相关新闻：, 特别推荐), not a sentence that starts so (相关新闻报道显示…).
    "related": re.compile(
        r"^(相关(文章|新闻|阅读|链接|报道)|特别推荐|推荐阅读|热点推荐|为(你|您)推荐|猜你喜欢|延伸阅读|上一篇|下一篇)\s*([:：]|$)"),
    "share": re.compile(r"^分享(到|至)?\s*([:：]|$)"),
    "keywords": re.compile(r"^(关键词(浏览)?|关键字|标签)\s*[:：]"),
}
_FOOTER_META = re.compile(rf"^[(（【\[]?\s*({'|'.join(FOOTER_LABELS)})\s*[:：]\s*(.{{1,40}}?)\s*[)）】\]]?$")
#: A credit line closing an article, labels in any place, slash forms too: ``医技药剂党支部供稿
#: 摄影/张艳 编辑/苏芳``, ``(资料来源：参考消息)``. Short, and no sentence in it.
_CREDIT_LINE = re.compile(
    rf"^(?=.{{0,60}}$)(?!.*[。！？；])[^:：]{{0,30}}?(?<![\u4e00-\u9fff])({'|'.join(FOOTER_LABELS)}|摄影|攝影)"
    r"\s*(?:[:：]|(?<=[\u4e00-\u9fff]{2})/(?=\S))")
#: Tool buttons in brackets beside a credit (【纠错】 【责任编辑：张樵苏】).
_BRACKETED_TOOL = re.compile(r"[【\[]\s*(纠错|我要纠错|打印|关闭|收藏|分享|推荐)\s*[】\]]")
#: A paper's print-edition line below a repost: ``《光明日报》(2024年05月20日 03版)``; its source.
_PRINT_EDITION = re.compile(r"^《\s*[^《》]{2,20}?\s*》\s*[(（][^()（）]*\d{4}\s*年[^()（）]*版\s*[)）]$")
#: A reporter's byline closing an article: ``兰州日报社全媒体记者 华晓婧``, ``□本报记者 颜 娜``.
#: The words before 记者 must name a newsroom (…社/报/台/网), so ``他对记者说`` is prose.
_BYLINE = re.compile(
    r"^[□■◎]?\s*(?:[^\s,，。:：]{0,14}?(?:社|报|台|网|站|中心))?\s*(?:全媒体|本报|见习|特约)?"
    r"记者\s*(?P<names>[\u4e00-\u9fff·]{1,4}(?:[\s、]+[\u4e00-\u9fff·]{1,4}){0,5})$"
)
#: A page's meta line (来源:X 发布时间:Y, or a labelled date alone): meta, not text. It may
#: open with the bare time (2019-09-26 12:11来源:X 作者:Y), whose colon is no label's.
_META_LINE = re.compile(
    r"^(?=.{0,150}$)(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?)?(?:[^:]{0,40}?(?:来源|作者|发布时间|时间|日期|浏览次数|点击数|点击|字体)\s*:){2,}"
    r"|^(?:发布时间|发布日期|时间|日期)\s*:\s*\d{4}.{0,60}$"
)
#: At most this many lines above a meta line inside a body are taken for the page header.
HEADER_LINES = 5
_CENTERED_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
_SENTENCE_END = re.compile(r"[。！？!?；;…]”?$")

_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0]+")

BLOCK_TAGS = {
    "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "table", "tr", "td", "th", "tbody", "thead", "blockquote", "center", "dd", "dt", "dl",
    "figure", "figcaption", "header", "footer", "pre", "hr", "caption",
}


#: A list bullet a text copy of a page keeps in front of a line (• 关键词浏览:).
_BULLET = re.compile(r"^[•·●◆◇■□▪▫►]\s*")


def line_key(line: str) -> str:
    """What rules match against: width-folded, mirror pinyin removed, Traditional converted
    (a mirror's 【字體：大 中 小】 is a font switch too), spaces trimmed."""
    return _BULLET.sub("", normalize_text(line.replace("\xa0", " ")).strip())


@dataclass
class Block:
    """One piece of body content in reading order: a text line or an image."""

    text: str = ""
    src: str | None = None
    alt: str | None = None
    centered: bool = False  # a centred line: under a photo, its caption


# --- text-level API ------------------------------------------------------------------


def line_rule(line: str, extra: Iterable[re.Pattern[str]] = ()) -> str | None:
    """Name of the drop rule ``line`` matches, or None when it is article text."""
    return _drop_rule(line_key(line), extra)


def stop_rule(line: str) -> str | None:
    """Name of the stop rule ``line`` matches: the article has ended before it."""
    return _first_match(STOP_RULES, line_key(line))


def _drop_rule(key: str, extra: Iterable[re.Pattern[str]] = ()) -> str | None:
    found = _first_match(LINE_RULES, key)
    return found or ("portal" if any(p.search(key) for p in extra) else None)


def _first_match(rules: dict[str, re.Pattern[str]], key: str) -> str | None:
    return next((name for name, pattern in rules.items() if pattern.match(key)), None)


def clean_text(text: str) -> str:
    """Drop boilerplate lines (captcha, share, login, font, print, counter… lines) from text.

    Text-level only: no stop rules, so it never cuts an article short; body lines of
    real articles are never dropped.
    """
    # Line ends are kept as they are, so only whole lines go and cleaning is idempotent.
    return "".join(line for line in text.splitlines(keepends=True)
                   if line_rule(line.splitlines()[0]) is None)


# --- DOM → blocks --------------------------------------------------------------------


def drop_noise_nodes(root: Any, extra_selectors: Iterable[str] = (),
                     credits: list[str] | None = None) -> dict[str, int]:
    """Remove noise elements under ``root`` in place; return counts per rule. Credit lines a
    dropped tag or tool row holds (the 责任编辑 line beside its 【纠错】 button, rules in
    ``CREDIT_WIDGETS``) are appended to ``credits``, when given: they belong in fields."""
    counts: dict[str, int] = {}
    doomed: list[tuple[Any, str]] = []
    for node in root.iterdescendants():
        if not isinstance(node.tag, str):
            doomed.append((node, "comment"))
            continue
        rule = _dom_rule(node)
        if rule:
            doomed.append((node, rule))
    for selector in extra_selectors:
        try:
            found = root.xpath(selector) if selector.startswith(("/", "(")) else CSSSelector(selector, translator="html")(root)
        except Exception as exc:  # a portal's bad selector must not stop the crawl
            logger.error("noise: bad portal drop_selector %r: %s", selector, exc)
            continue
        doomed.extend((node, "portal") for node in found if node is not root)
    total = _text_length(root) or 1
    # Video cards last: what they hold once their player is gone is what decides.
    doomed.sort(key=lambda found: found[1] == "video_card")
    for node, rule in doomed:
        parent = node.getparent()
        if parent is None or not _attached(node, root):
            continue
        if rule not in ("markup", "comment", "hidden", "portal") and _holds_the_article(node, total, rule):
            # A class name like "content-share" on the text's own container: keep it.
            counts["kept_large"] = counts.get("kept_large", 0) + 1
            continue
        if rule not in ("comment", "markup"):
            counts[rule] = counts.get(rule, 0) + 1
            if credits is not None and rule in CREDIT_WIDGETS:
                credits.extend(filter(None, (closing_meta(b.text) for b in blocks_of(node, "") if b.text)))
        _remove_keep_tail(node)
    return counts


def _holds_the_article(node: Any, total: int, rule: str) -> bool:
    """A widget is small; a node with most of the body's text is the article itself. A video
    card is named for what the page shows, so there most of the text is the article at any
    size (a short video page's 180 characters of text in its video box)."""
    floor = 0 if rule == "video_card" else 400
    return _text_length(node) > max(floor, total // 2)


def _is_video_card(node: Any) -> bool:
    """A node named for a video holds the player: a ``<video>``/``<object>``/``<embed>`` or
    a node with a player's name."""
    player = DOM_RULES["video_player"]
    return any(isinstance(d.tag, str) and (d.tag.lower() in ("video", "object", "embed")
                                           or any(player.search(t) for t in _tokens(d)))
               for d in node.iterdescendants())


def _tokens(node: Any) -> list[str]:
    """Class and id tokens of ``node``, which the DOM rules match."""
    return (node.get("class") or "").split() + (node.get("id") or "").split()


def _text_length(node: Any) -> int:
    """Characters of text under ``node``, whitespace and script and style source aside (a
    video player's configuration script and indented markup are no text, however long)."""
    return sum(len("".join(t.split())) for t in node.xpath(".//text()[not(ancestor::script or ancestor::style)]"))


def _dom_rule(node: Any) -> str | None:
    tag = node.tag.lower()
    if tag in _ALWAYS_DROP:
        return "markup"
    if _HIDDEN_STYLE.search(node.get("style", "")):
        return "hidden"
    if tag == "a" and _JS_HREF.search((node.get("href") or "") + " " + (node.get("onclick") or "")):
        return "print_close"
    if tag == "a" and (node.get("href") or "").strip() in ("#top", "#"):
        if line_rule(node.xpath("string()")) == "back_to_top":
            return "back_to_top"
    tokens = [token for token in _tokens(node) if _ANY_DOM_RULE.search(token)]
    if not tokens:
        return None
    for name, pattern in DOM_RULES.items():
        if any(pattern.search(token) for token in tokens) and (name != "video_card" or _is_video_card(node)):
            return name
    return None


def _attached(node: Any, root: Any) -> bool:
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def _remove_keep_tail(node: Any) -> None:
    """Remove ``node`` but keep the text that follows it (lxml stores it on the node)."""
    parent = node.getparent()
    tail = node.tail
    if tail and tail.strip():
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


_CELL_TAGS = {"td", "th"}
CELL_SEPARATOR = " | "
_CELL_MARK = "\x1f"  # between cells until the row is written: a cell may hold a | of its own


def blocks_of(root: Any, base_url: str) -> list[Block]:
    """Text lines and images of ``root`` in reading order; a table row of plain cells is one
    line (a layout table's cells hold blocks and stay blocks)."""
    blocks: list[Block] = []
    line: list[str] = []
    centered: list[bool] = [False]  # alignment of the blocks being walked, innermost last

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(line)).strip()
        if _CELL_MARK in text:  # empty cells leave marks with nothing between
            text = CELL_SEPARATOR.join(cell for cell in (c.strip() for c in text.split(_CELL_MARK)) if cell)
        line.clear()
        if text:
            blocks.append(Block(text=text, centered=centered[-1]))

    def walk(node: Any) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        block = tag in BLOCK_TAGS
        if tag in _CELL_TAGS and not any(isinstance(d.tag, str) and d.tag.lower() in BLOCK_TAGS for d in node.iterdescendants()):
            # A data table's row reads as one line, cells apart: "志书出版 | 12部".
            block = False
            if "".join(line).strip():
                line.append(_CELL_MARK)
        if block:
            flush()
            centered.append(_is_centered(node) or centered[-1])
        if tag == "br":
            flush()
        elif tag == "img":
            flush()
            src = node.get("data-src") or node.get("src") or node.get("data-original")
            if src and not src.startswith("data:") and not _is_icon(node, src):
                blocks.append(Block(src=urljoin(base_url, src.strip()), alt=(node.get("alt") or "").strip() or None))
        if node.text and tag not in ("br", "img"):
            line.append(node.text.replace("\n", " "))
        for child in node:
            walk(child)
            if child.tail:
                line.append(child.tail.replace("\n", " "))
        if block:
            flush()
            centered.pop()

    walk(root)
    flush()
    return blocks


# --- the pipeline --------------------------------------------------------------------


#: Without huge_tree, libxml2 silently drops what is nested deeper than 255 elements.
_HUGE_TREE = lxml_html.HTMLParser(huge_tree=True)


@dataclass
class CleanBody:
    paragraphs: list[str]
    images: list[dict[str, str | None]]
    tags: list[str]
    footer: list[str]
    rules: dict[str, int]


def clean_body(
    body_html: str,
    base_url: str,
    title: str | None = None,
    drop_selectors: Iterable[str] = (),
    drop_lines: Iterable[re.Pattern[str]] = (),
    tree: Any = None,
) -> CleanBody:
    """Article paragraphs, images, tags and footer meta lines of one body's HTML, read
    from ``tree`` (that HTML already parsed, in a ``<div>``; taken apart here) when given."""
    root = tree if tree is not None else lxml_html.fragment_fromstring(body_html, create_parent="div",
                                                                        parser=_HUGE_TREE)
    tags = _keyword_tags(root)
    credits: list[str] = []
    rules = drop_noise_nodes(root, drop_selectors, credits)
    title_key = line_key(title or "")
    paragraphs: list[str] = []
    images: list[dict[str, str | None]] = []
    footer: list[str] = []
    stopped = False
    after_image = False
    header: int | None = None  # lines above the first meta line, when they are no sentences
    for block in blocks_of(root, base_url):
        if block.src:
            if urlsplit(block.src).scheme not in ("http", "https"):
                # A Word paste's clipboard copy (file:///C:/Users/…/clip_image002.jpg, or a
                # bare C:\ path): the editor's own disk, no image a reader is served.
                rules["local_image"] = rules.get("local_image", 0) + 1
                continue
            alt_key = line_key(block.alt or "")
            alt = block.alt if alt_key and alt_key != title_key and not LINE_RULES["file_name"].match(alt_key) else None
            images.append({"src": block.src, "caption": alt})
            after_image = True
            continue
        text, key = block.text, line_key(block.text)  # rules match the key, output keeps the text
        stop = None if stopped else _first_match(STOP_RULES, key)
        if stopped or stop:
            if stop:
                stopped = True
                rules[stop] = rules.get(stop, 0) + 1
            if _FOOTER_META.match(key):
                footer.append(text)
            continue
        if _META_LINE.match(key):
            footer.append(text)  # its 来源/作者 still reach their fields
            rules["meta_line"] = rules.get("meta_line", 0) + 1
            if header is None and len(paragraphs) <= HEADER_LINES and not any("。" in p for p in paragraphs):
                header = len(paragraphs)  # the page's header, if text follows the meta line
            continue
        rule = _drop_rule(key, drop_lines)
        if rule is None and title_key and key == title_key:
            rule = "title_repeat"
        if rule == "wechat_prompt" and after_image and images and "二维码" in key:
            images.pop()  # the image this prompt asks to scan is a QR code, not a photo
            after_image = False
        if rule:
            rules[rule] = rules.get(rule, 0) + 1
            continue
        if after_image and _is_caption(key, block.centered) and not _FOOTER_META.match(key):
            images[-1]["caption"] = text
            after_image = False
            continue
        after_image = False
        paragraphs.append(text)
    if header and len(paragraphs) > header:
        # Lines above a meta line, with the text below it, are the page's header (location
        # bar, headline, subtitle) a loose body container took in.
        rules["above_meta"] = rules.get("above_meta", 0) + header
        del paragraphs[:header]
    # Trailing 作者/责任编辑 lines and a reporter's byline are meta, not text: move them to
    # the footer (a byline as 记者:<names>, which the meta stage reads).
    while paragraphs:
        moved = closing_meta(paragraphs[-1])
        if moved is None:
            break
        paragraphs.pop()
        footer.insert(0, moved)
        rules["footer_meta"] = rules.get("footer_meta", 0) + 1
    return CleanBody(paragraphs, images, tags, [*footer, *credits], rules)


def closing_meta(line: str) -> str | None:
    """What a line closing an article gives the meta stage, when it is meta and not text:
    a 作者/责任编辑/来源 or credit line (tool buttons beside it dropped), a reporter's
    byline (as 记者:<names>), a print-edition line (as 来源:<line>); else None."""
    key = line_key(line)
    credit = _BRACKETED_TOOL.sub("", key).strip()
    if credit and (_FOOTER_META.match(credit) or _CREDIT_LINE.match(credit)):
        return _BRACKETED_TOOL.sub("", line).strip()  # as the page wrote it, for the meta stage
    byline = _BYLINE.match(key)
    if byline:
        return f"记者:{byline['names']}"
    return f"来源:{line}" if _PRINT_EDITION.match(key) else None


_ICON_SRC = re.compile(r"(^|/)(icon|ico|file_?type|fileicon)s?[/_-]|/(icon|doc|pdf|xls|zip|rar)\w*\.gif$"
                       r"|(^|/)(next|prev|pre)_?page\w*\.(gif|jpe?g|png)$", re.I)  # a pager's buttons


#: A QR code to scan (by file name or alt text) is a share widget, not a photo.
_QR_IMAGE = re.compile(r"qr-?code|erweima|ewm|二维码|二維碼", re.I)


def _is_icon(node: Any, src: str) -> bool:
    """File-type icons, spacers beside attachment links, pager buttons and QR codes are not photos."""
    sizes = [node.get("width", ""), node.get("height", "")]
    tiny = any(s.strip().rstrip("px").isdigit() and int(s.strip().rstrip("px")) < 40 for s in sizes)
    return tiny or bool(_ICON_SRC.search(src)) or bool(_QR_IMAGE.search(f"{src} {node.get('alt', '')}"))


def _is_caption(key: str, centered: bool) -> bool:
    """A photo caption (given its line key): a short line that is not a sentence of prose,
    or is centred under the photo (captions end in 。 too: 图为学员们进行分组考核。)."""
    return len(key) <= 60 and (centered or key.startswith("图为") or not _SENTENCE_END.search(key))


def _is_centered(node: Any) -> bool:
    """``<center>``, ``align="center"`` or ``text-align: center``."""
    return (node.tag == "center" or (node.get("align") or "").lower() == "center"
            or _CENTERED_STYLE.search(node.get("style") or "") is not None)


def _keyword_tags(root: Any) -> list[str]:
    """Texts of keyword-row links, read before the row is dropped as noise."""
    found: list[str] = []
    for node in root.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        if any(DOM_RULES["keywords"].search(t) for t in _tokens(node)):
            for link in node.iter("a"):
                text = _SPACES.sub(" ", link.xpath("string()")).strip()
                if text and text not in found and not _BRACKETED_TOOL.fullmatch(line_key(text)):
                    found.append(text)
    return found


class NoisePipeline:
    """Turn the spider's body HTML into clean paragraphs, images, tags and footer meta."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        spider = getattr(crawler, "spider", None)
        portal = getattr(spider, "portal", None)
        self.drop_selectors = portal.drop_selectors if portal else ()
        self.drop_lines = tuple(re.compile(p) for p in portal.drop_lines) if portal else ()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "NoisePipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        body_html = item.raw.get("body_html")
        if not body_html:
            self.stats.inc_value("noise/no_body")
            return item
        cleaned = clean_body(
            body_html,
            item.raw.get("fetched_url") or item.url,
            item.title,
            self.drop_selectors,
            self.drop_lines,
            item.raw.pop("body_tree", None),
        )
        for rule, count in cleaned.rules.items():
            self.stats.inc_value(f"noise/{rule}", count)
        item.body = "\n\n".join(cleaned.paragraphs)
        item.images = cleaned.images
        item.tags = _merge(item.tags, cleaned.tags)
        # Footer lines inside the body first, then those the spider found below it.
        item.raw["footer_lines"] = list(dict.fromkeys([*cleaned.footer, *item.raw.get("footer_lines", [])]))
        return item


def _merge(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


__all__ = ["NoisePipeline", "clean_body", "clean_text", "line_key", "line_rule", "stop_rule"]


