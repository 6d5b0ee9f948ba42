"""Block pages: what a government site serves in place of the page asked for.

A WAF challenge, a captcha wall, a login wall, a soft 404 or a withdrawn-article notice is
no article and no list, whatever its status (most come with 200). :func:`classify` names
the kind of such a page, or None for a page with content of its own.

Every kind needs two things: the kind's own mark, and a page with next to no text of its
own (readable text outside links, scripts and styles, and no paragraph). The second guard keeps real
articles out: an article that mentions 验证, quotes 页面不存在, or has a captcha widget in
its comment form has paragraphs of text, a challenge page has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
from lxml import etree
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

#: Readable text outside links at or under which a page can be a block page. A challenge
#: has none; a notice with site chrome around it (links, a footer) a few lines.
THIN_PAGE_CHARS = 400
#: A notice stands alone: its own text node, no longer than this.
NOTICE_CHARS = 80
#: A block page has no paragraph: no text node of its own longer than PARAGRAPH_CHARS,
#: and at most SENTENCES nodes longer than SENTENCE_CHARS (a notice and a footer line). A
#: short article under THIN_PAGE_CHARS still has a paragraph or a few sentences.
PARAGRAPH_CHARS = 100
SENTENCE_CHARS = 40
SENTENCES = 2


@dataclass(frozen=True)
class Page:
    """What the kinds look at: the status, the markup as text, and the readable parts."""

    status: int
    markup: str
    title: str
    own_text: str  # readable text outside links, whitespace removed
    lines: list[str]  # every readable text node outside links, stripped

    @property
    def thin(self) -> bool:
        lengths = [len(line) for line in self.lines]
        return (len(self.own_text) <= THIN_PAGE_CHARS and max(lengths, default=0) <= PARAGRAPH_CHARS
                and sum(n > SENTENCE_CHARS for n in lengths) <= SENTENCES)

    def says(self, pattern: re.Pattern[str]) -> bool:
        """The title or a short text of its own carries ``pattern``."""
        return bool(pattern.search(self.title)) or any(
            len(line) <= NOTICE_CHARS and pattern.search(line) for line in self.lines)


class BlockedPage(IgnoreRequest):
    """``response`` is a block page of ``kind`` (see govnews.blocks.KINDS)."""

    def __init__(self, kind: str, response: Response) -> None:
        super().__init__(f"a block page ({kind}, status {response.status})")
        self.kind = kind
        self.response = response


def ruishu(page: Page) -> bool:
    """瑞数 (Botgate): a 412 (or 202/200) challenge whose script sets ``$_ts`` and whose
    ``<meta id=…>`` and ``<script r="m">`` carry the encrypted payload."""
    marked = "$_ts" in page.markup or (_RUISHU_META.search(page.markup) and _RUISHU_SCRIPT.search(page.markup))
    return bool(marked) and page.thin


def jiasule(page: Page) -> bool:
    """加速乐 (知道创宇): a 521 whose script computes the ``__jsl_clearance`` cookie and reloads."""
    return ("__jsl_clearance" in page.markup or page.status == 521 and "document.cookie" in page.markup) and page.thin


def yunsuo(page: Page) -> bool:
    """云锁: a redirect page setting ``yunsuo_session_verify`` / ``security_verify_data``."""
    return bool(_YUNSUO.search(page.markup)) and page.thin


def safedog(page: Page) -> bool:
    """安全狗 (网站安全狗 / 服务器安全狗): its interception notice or its cookie check."""
    return bool(_SAFEDOG.search(page.markup)) and page.thin


def captcha(page: Page) -> bool:
    """A captcha wall: 安全验证 as the title, 您的访问过于频繁, 请完成下方验证, or a Yidun
    (网易易盾) / GeeTest (极验) widget that is the whole page."""
    return page.thin and (page.says(_CAPTCHA_WORDS) or bool(_CAPTCHA_WIDGET.search(page.markup)))


def login(page: Page) -> bool:
    """A login wall: a password field on a page that asks to log in and holds nothing else."""
    return page.thin and "password" in page.markup.lower() and page.says(_LOGIN_WORDS)


def withdrawn(page: Page) -> bool:
    """A withdrawn or expired article: 抱歉！该信息已撤稿或已过期, often inside the site's chrome."""
    return page.thin and page.says(_WITHDRAWN)


def soft_404(page: Page) -> bool:
    """A not-found page served as a page: 页面不存在, 您访问的页面不存在, 404 Not Found…"""
    return page.thin and page.says(_NOT_FOUND)


#: The kinds in the order they are tried: marks of a WAF first, then walls, then notices.
KINDS: dict[str, Callable[[Page], bool]] = {
    "ruishu": ruishu, "jiasule": jiasule, "yunsuo": yunsuo, "safedog": safedog,
    "captcha": captcha, "login": login, "withdrawn": withdrawn, "soft_404": soft_404,
}
#: Kinds that say the page is gone, not that the site refused: under an HTTP error status
#: the error itself is the better reason.
NOTICES = ("withdrawn", "soft_404")

_RUISHU_META = re.compile(r"<meta\s+id=['\"]?\w+['\"]?\s+content=['\"][^'\"]{40,}", re.I)
_RUISHU_SCRIPT = re.compile(r"<script[^>]*\sr=['\"]m['\"]", re.I)
_YUNSUO = re.compile(r"yunsuo_session_verify|security_verify_data|yunsuologo|云锁", re.I)
_SAFEDOG = re.compile(r"safedog|安全狗|网站防火墙", re.I)
_CAPTCHA_WORDS = re.compile(r"安全验证|人机验证|访问验证|访问过于频繁|请完成(下方|以下)?(的)?(安全)?验证|拖动滑块|滑动验证|请输入验证码")
_CAPTCHA_WIDGET = re.compile(r"static\.geetest\.com|initGeetest|cstaticdun\.126\.net|NECaptcha|initNECaptcha", re.I)
_LOGIN_WORDS = re.compile(r"请先?登录|用户登录|登录后(查看|访问|浏览)|统一身份认证")
_WITHDRAWN = re.compile(r"(信息|文章|稿件|内容)已?(撤稿|撤销|撤回|过期|下线)|已撤稿|已过期")
_NOT_FOUND = re.compile(r"页面不存在|页面未找到|找不到(该|此|您要的)?页面|(信息|文章|内容|稿件)(已被?删除|不存在)"
                        r"|404 Not Found|Page Not Found|^\s*404\s*$", re.I)
_UNREAD = ("script", "style", "noscript", "template")


def read(status: int, markup: str) -> Page:
    """The parts of a page the kinds look at."""
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):  # an empty or markup-free answer
        text = markup.strip()
        return Page(status, markup, "", re.sub(r"\s+", "", text), [text] if text else [])
    title = " ".join(t.strip() for t in root.xpath("//title//text()"))
    lines: list[str] = []
    for node in root.iter():
        # A node's text and its children's tails are its own text; links are chrome.
        if not isinstance(node.tag, str) or node.tag in (*_UNREAD, "title", "a") or any(
                a.tag == "a" for a in node.iterancestors()):
            continue
        lines += filter(None, (t.strip() for t in (node.text or "", *(c.tail or "" for c in node))))
    return Page(status, markup, title, re.sub(r"\s+", "", "".join(lines)), lines)


def classify(status: int, markup: str) -> str | None:
    """The kind of block page ``markup`` (served with ``status``) is, or None for a page."""
    page = read(status, markup)
    for kind, test in KINDS.items():
        if test(page) and not (kind in NOTICES and status >= 400):
            return kind
    return None
