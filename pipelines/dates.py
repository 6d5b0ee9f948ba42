"""The publish date: ISO 8601 in China Standard Time, with how precise the page was.

Users analyse articles by publish date, so a wrong date is worse than none: a date is
only taken from the article's meta line (or, failing that, from the article URL, where
many CMSs store the publish day), never from the body, never from the page-render clock
some portals print above the title, never from the crawl time. A date that cannot be
right (``2022-02-30``, ``25:61``, before 1990, more than a day in the future) is
rejected and counted, not repaired.

All portals publish in China Standard Time, so every result carries ``+08:00``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler

from govnews.items import Article

CST = timezone(timedelta(hours=8), "CST")
EARLIEST = datetime(1990, 1, 1, tzinfo=CST)
PRECISIONS = ("second", "minute", "day")  # finest first

# Full-width ASCII forms (２０２２－０９－１６, ：) and odd spaces folded one character for one
# character, so a match's span in the folded text is its span in the page's text too.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " "}

# A date with a 4-digit year. Dates without a year (``9月14日晚``) are body prose, never matched.
_DATE = re.compile(
    r"(?<![0-9])(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])"
    r"|(?<![0-9])(?P<cy>[0-9]{4})[ \t]*年[ \t]*(?P<cm>[0-9]{1,2})[ \t]*月[ \t]*(?P<cd>[0-9]{1,2})[ \t]*[日号號]"
    r"|(?<![0-9.])(?P<dd>[0-9]{1,2})\.(?P<dm>[0-9]{1,2})\.(?P<dy>[0-9]{4})(?![0-9])"  # 08.02.2022: day first
    # 22-03-20 19:10, 日期：23-06-18: a two-digit year (this century), taken only with a clock
    # after it or right after a label's colon.
    r"|(?<![0-9-])(?P<sy>[0-9]{2})-(?P<sm>[0-9]{1,2})-(?P<sd>[0-9]{1,2})(?=[ \t]+[0-9]{1,2}:[0-9]{2})"
    r"|(?<=[:：])[ \t]?(?P<ly>[0-9]{2})-(?P<lm>[0-9]{1,2})-(?P<ld>[0-9]{1,2})(?![0-9])"
    # 二〇二二年九月十六日: newspapers and official documents write dates in Han numerals.
    r"|(?P<hy>[〇○零一二三四五六七八九]{4})[ \t]*年[ \t]*(?P<hm>十[一二]?|[一二三四五六七八九])[ \t]*月"
    r"[ \t]*(?P<hd>[二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九])[ \t]*[日号號]"
)
_HAN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_HAN_TENS = {"十": 10, "廿": 20, "卅": 30}
# The time right after a date (past a weekday: 2023-06-18 星期日 09:12): 22:29:38, 11:12,
# 20时33分(05秒); an offset only in ISO form (T…Z).
_TIME = re.compile(
    r"(?P<t>T|[ \t]*(?:(?:星期|周)[一二三四五六日天][ \t]*)?(?:(?P<half>上午|早上|凌晨|中午|下午|晚上)[ \t]*)?)"
    r"(?P<H>[0-9]{1,2})(?:"
    r":(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?(?:\.[0-9]+)?(?![0-9:])"
    r"|[ \t]*[时時点點][ \t]*(?P<cM>[0-9]{1,2})[ \t]*分(?:[ \t]*(?P<cS>[0-9]{1,2})[ \t]*秒)?)"
)
_OFFSET = re.compile(r"Z|(?P<sign>[+-])(?P<oh>[0-9]{2}):?(?P<om>[0-9]{2})(?![0-9])")
# The label just before a date decides how far it is trusted (see _TIERS). Labels of other
# times (活动时间, 截止日期, the render clock's 当前时间) are never a publish date.
_LABEL = re.compile(
    r"(?:(?:(?P<publish>发布|發布|發佈|发表|發表|发稿|發稿|发文|發文|刊发|刊發|刊登|上传|上傳|录入|錄入|公开|公開"
    r"|公布|公佈|出版|见报|見報|刊出)"
    r"|(?P<update>更新|修改|修订|修訂)"
    r"|(?P<other>当前|當前|现在|現在|今天|今日|访问|訪問|登录|登錄|活动|活動|会议|會議|报名|報名|截止|截至"
    r"|开始|開始|结束|結束|举办|舉辦|成文|施行|生效|实施|實施|印发|印發|打印|下载|下載))\s*"
    # Any other word right before 时间/日期 names some other time: 采集时间, 北京时间.
    r"|(?P<unknown>[\u4e00-\u9fff]))?"
    r"(?:时\s*间|時\s*間|日\s*期)\s*:?\s*[【\[(]?\s*$"
    r"|(?P<publish2>发布|發布|發佈|发表|發表)[于於]?\s*:?\s*[【\[(]?\s*$"
    r"|(?P<today>今天是|今天|今日|现在是)\s*:?\s*$"
)
_TIERS = ("publish", "update", "plain")  # only the first tier present in a text is used

# Dates CMSs put in article paths, whole path segments only (``/2022nzgjx/`` is no date).
_URL_DATE = re.compile(
    r"(?<=/)(?:(?P<a_y>(?:19|20)[0-9]{2})-(?P<a_m>[0-9]{1,2})/(?P<a_d>[0-9]{1,2})(?=/)"  # /2020-04/08/
    r"|(?P<f_y>(?:19|20)[0-9]{2})-(?P<f_m>[0-9]{1,2})-(?P<f_d>[0-9]{1,2})(?=/)"  # /2026-01-29/
    r"|(?P<b_y>(?:19|20)[0-9]{2})/(?P<b_m>[0-9]{1,2})/(?P<b_d>[0-9]{1,2})(?=/)"  # /2020/02/13/
    r"|(?P<c_y>(?:19|20)[0-9]{2})/(?P<c_m>[0-9]{2})(?P<c_d>[0-9]{2})(?=/)"  # /2020/0429/ (DedeCMS)
    r"|(?P<g_y>(?:19|20)[0-9]{2})(?P<g_m>[0-9]{2})/(?P<g_d>[0-9]{2})(?=/)"  # /202002/11/c_205513.html
    r"|(?P<d_y>(?:19|20)[0-9]{2})(?P<d_m>[0-9]{2})(?P<d_d>[0-9]{2})(?=/)"  # /20260113/
    r"|t(?P<e_y>(?:19|20)[0-9]{2})(?P<e_m>[0-9]{2})(?P<e_d>[0-9]{2})_[0-9]+(?=[./]|$))"  # /t20200417_1976018.shtml
)


@dataclass(frozen=True)
class FoundDate:
    """One date candidate: where it came from and, when it cannot be right, why."""

    iso: str | None  # "2022-09-16T08:35:31+08:00", None when problem is set
    precision: str | None  # one of PRECISIONS, None when problem is set
    raw: str  # the text as it stood in the meta text, or the URL path part
    source: str  # "meta", "head" (the page's head metas) or "url"
    problem: str | None = None  # None, "impossible", "too_old" or "future"


def classify_date(parts: tuple[int, ...], offset: tuple[int, int, int] | None = None, *,
                  now: datetime | None = None) -> tuple[datetime | None, str | None]:
    """``(year, month, day[, hour, minute[, second]])`` → (CST datetime, None) or (None, problem).

    ``offset`` is ``(sign, hours, minutes)`` of an explicit UTC offset (ISO input only);
    without one the parts are China Standard Time. Problems are ``impossible`` (2022-02-30,
    25:61), ``too_old`` (before 1990, older than any of these portals) and ``future`` (more
    than a day after ``now``: a typo or a clock, not a publish date; the day of slack covers
    portals whose clocks run ahead).
    """
    try:
        zone = CST
        if offset is not None:
            sign, hours, minutes = offset
            if hours > 14 or minutes > 59:
                raise ValueError("no such UTC offset")
            zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        when = datetime(*parts, tzinfo=zone).astimezone(CST)
    except (ValueError, OverflowError, TypeError):
        return None, "impossible"
    now = now or datetime.now(CST)
    if now.tzinfo is None:
        now = now.replace(tzinfo=CST)
    if when < EARLIEST:
        return None, "too_old"
    if when > now + timedelta(days=1):
        return None, "future"
    return when, None


def text_dates(text: str, *, now: datetime | None = None) -> list[tuple[str, FoundDate]]:
    """Every date of a meta text in page order, each with its trust tier.

    Tiers: ``publish`` (after 发布时间/时间/日期…), ``update`` (更新时间…), ``plain`` (no
    label: possibly a page-render clock). Dates after labels of other times are dropped.
    """
    folded = text.translate(_FOLD)
    found = []
    for match in _DATE.finditer(folded):
        g = match.groupdict()
        y, m, d = next(names for names in (("y", "m", "d"), ("cy", "cm", "cd"), ("dy", "dm", "dd"),
                                           ("hy", "hm", "hd"), ("sy", "sm", "sd"), ("ly", "lm", "ld"))
                       if g[names[0]])
        parts: tuple[int, ...] = tuple(_number(g[name]) for name in (y, m, d))
        if y in ("sy", "ly"):
            parts = (2000 + parts[0], *parts[1:])
        end, precision, offset = match.end(), "day", None
        clock = _TIME.match(folded, end)
        if clock:
            minute, second = clock["M"] or clock["cM"], clock["S"] or clock["cS"]
            parts += (_hour(clock["H"], clock["half"]), int(minute)) + ((int(second),) if second else ())
            end, precision = clock.end(), "second" if second else "minute"
            zone = _OFFSET.match(folded, end) if clock["t"] == "T" else None
            if zone:
                end = zone.end()
                offset = (-1 if zone["sign"] == "-" else 1, int(zone["oh"] or 0), int(zone["om"] or 0))
        when, problem = classify_date(parts, offset, now=now)
        tier = _tier(folded[max(0, match.start() - 12):match.start()])
        if tier == "other":
            continue
        found.append((tier, FoundDate(
            when.isoformat() if when else None, None if problem else precision,
            text[match.start():end], "meta", problem)))
    return found


def _number(text: str) -> int:
    """``2022``, ``二〇二二`` (digit by digit), ``九``, ``十六``, ``二十``, ``廿一``, ``三十一`` → int."""
    if text.isdigit():
        return int(text)
    for tens_char, tens in _HAN_TENS.items():
        if tens_char in text:
            head, _, tail = text.partition(tens_char)
            return (_HAN_DIGITS[head] * 10 if head else tens) + (_HAN_DIGITS[tail] if tail else 0)
    return int("".join(str(_HAN_DIGITS[c]) for c in text))


def _hour(hour: str, half: str | None) -> int:
    """A 12-hour clock's hour on the 24-hour clock: 下午 8:35 is 20:35, 中午 1:00 is 13:00,
    凌晨 12:30 is 0:30."""
    value = int(hour)
    if half in ("下午", "晚上") and value < 12 or half == "中午" and value < 11:
        return value + 12
    if half in ("凌晨", "上午", "早上") and value == 12:
        return 0
    return value


def _tier(before: str) -> str:
    """How far the label ending ``before`` (the text just before a date) is trusted."""
    label = _LABEL.search(before)
    if not label:
        return "plain"
    if label["other"] or label["unknown"] or label["today"]:
        return "other"
    return "update" if label["update"] else "publish"


def url_dates(url: str, *, now: datetime | None = None) -> list[FoundDate]:
    """Dates in an article URL's path (precision ``day``); ids that are no date are skipped."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    found = []
    for match in _URL_DATE.finditer(path):
        y, m, d = (int(v) for v in match.groups() if v is not None)
        when, problem = classify_date((y, m, d), now=now)
        if problem != "impossible":  # /20221345/ is an id, not a date; 2099 is a rejected date
            found.append(FoundDate(when.isoformat() if when else None, None if problem else "day",
                                   match.group(), "url", problem))
    return found


def find_date(text: str | None, url: str | None = None, *, now: datetime | None = None) -> FoundDate | None:
    """The publish date of a meta text, else of the URL; a rejected one when only those exist.

    Only the most trusted tier present in the text counts: with a labeled date on the page an
    unlabeled one is the render clock, and a labeled date that is impossible is not replaced
    by the clock. Within the tier the first valid date wins. The URL is used only when the
    text gives no valid date. Returns None when neither holds any date.
    """
    text = text if isinstance(text, str) else ""
    url = url if isinstance(url, str) else ""
    candidates = text_dates(text, now=now)
    for tier in _TIERS:
        chosen = [found for t, found in candidates if t == tier]
        if chosen:
            break
    else:
        chosen = []
    chosen += url_dates(url, now=now) if url else []
    return next((f for f in chosen if not f.problem), chosen[0] if chosen else None)


def labelled_date(text: str, *, now: datetime | None = None) -> FoundDate | None:
    """The first valid date of ``text`` behind a publish or update label (发布时间：…,
    时间：…), as source ``footer``; None when there is none."""
    for tier in ("publish", "update"):
        for found_tier, found in text_dates(text, now=now):
            if found_tier == tier and not found.problem:
                return replace(found, source="footer")
    return None


def parse_date(text: str | None, url: str | None = None, *,
               now: datetime | None = None) -> tuple[str | None, str | None]:
    """``("2020-02-26T00:00:00+08:00", "day")`` from a meta text or URL, or ``(None, None)``.

    Never raises: any text may come from a broken page.
    """
    try:
        found = find_date(text, url, now=now)
    except Exception:  # noqa: BLE001 - a parser bug must cost a date, not the crawl
        return None, None
    return (found.iso, found.precision) if found and not found.problem else (None, None)


class DatePipeline:
    """Fill ``published_at``, ``date_precision`` and ``published_at_raw``; count where from.

    Sources, most trusted first: a date the spider set (``dates/from_item``), the page's
    meta line (``dates/from_meta``), a labelled meta line found inside the body
    (``dates/from_footer``), its head metas such as ``PubDate``
    (``dates/from_head``), the URL (``dates/from_url``). Also ``dates/missing`` (flag
    ``date_missing``) and ``dates/rejected`` (flag ``date_rejected``) when the date a page
    states cannot be right; such an item may still get a date from the URL, or go without.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DatePipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        rejected = False
        if item.published_at:
            given = find_date(str(item.published_at))
            if given and not given.problem:
                precision = given.precision or "day"
                stated = item.date_precision
                if stated in PRECISIONS and PRECISIONS.index(stated) > PRECISIONS.index(precision):
                    precision = stated  # 2020-02-26T00:00:00 that the spider knows is a day
                item.published_at, item.date_precision = given.iso, precision
                item.published_at_raw = item.published_at_raw or given.raw
                self.stats.inc_value("dates/from_item")
                return item
            rejected = True

        meta = find_date(item.raw.get("meta_text"))
        # Meta lines the noise stage took out of the body (a loose page keeps its 来源|时间
        # line among the paragraphs): only a labelled date there, never a bare one.
        footer = labelled_date("\n".join(item.raw.get("footer_lines") or []))
        head = find_date(item.raw.get("head_date"))
        head = replace(head, source="head") if head else None
        from_url = find_date(None, item.url)
        found = next((f for f in (meta, footer, head, from_url) if f and not f.problem), meta or head or from_url)
        if found and not found.problem:
            item.published_at, item.date_precision, item.published_at_raw = found.iso, found.precision, found.raw
            self.stats.inc_value(f"dates/from_{found.source}")
        else:
            item.published_at = item.date_precision = None
            item.published_at_raw = found.raw if found else item.published_at_raw
            self.stats.inc_value("dates/missing")
            _flag(item, "date_missing")
        if rejected or any(f and f.problem for f in (meta, head, found)):
            self.stats.inc_value("dates/rejected")
            _flag(item, "date_rejected")
        return item


def _flag(item: Article, flag: str) -> None:
    if flag not in item.flags:
        item.flags.append(flag)
