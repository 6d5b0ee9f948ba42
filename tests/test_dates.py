"""Publish dates: every form the portals use, what is never a publish date, and the pipeline."""

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from govnews.items import Article
from pipelines.dates import (
    CST,
    PRECISIONS,
    DatePipeline,
    classify_date,
    find_date,
    parse_date,
)

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=CST)
NONE = (None, None)
ISO = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$"


def day(date):
    return (f"{date}T00:00:00+08:00", "day")


def minute(stamp):
    return (f"{stamp}:00+08:00", "minute")


def second(stamp):
    return (f"{stamp}+08:00", "second")


CLOCK_PAGE = "2024-07-08 15:44:44\n来源：四川省地方志工作办公室 发布时间：2022-09-16 08:35:31 浏览次数：【字体："

TABLE = [
    # the forms seen on the portals
    ("2022-11-24 22:29:38", None, second("2022-11-24T22:29:38")),
    ("时间:2020-02-26", None, day("2020-02-26")),
    ("时间：2020-02-26", None, day("2020-02-26")),
    ("来源:民进江北区委会|作者:张德显|时间:2022-11-24 22:29:38", None, second("2022-11-24T22:29:38")),
    ("发布时间:2022-09-16 08:35:31", None, second("2022-09-16T08:35:31")),
    ("发布时间: 2020-04-29 20:33:31 来源: 未知 作者: 佚名", None, second("2020-04-29T20:33:31")),
    ("2026年01月29日 11:12", None, minute("2026-01-29T11:12")),
    ("2022年9月16日", None, day("2022-09-16")),
    ("2022 年 9 月 16 日", None, day("2022-09-16")),
    ("08.02.2022 21:59", None, minute("2022-02-08T21:59")),
    ("8.2.2022", None, day("2022-02-08")),
    ("时间:2020-04-15 20:48", None, minute("2020-04-15T20:48")),
    ("2021-06-10【打印】", None, day("2021-06-10")),
    ("2022/09/16", None, day("2022-09-16")),
    ("2022/09/16 08:35", None, minute("2022-09-16T08:35")),
    ("2022.09.16", None, day("2022-09-16")),
    ("2022.9.16 08:35:31", None, second("2022-09-16T08:35:31")),
    ("２０２２－０９－１６", None, day("2022-09-16")),
    ("发布时间：２０２２－０９－１６　０８：３５：３１", None, second("2022-09-16T08:35:31")),
    ("2020年4月29日 20时33分", None, minute("2020-04-29T20:33")),
    ("2020年4月29日20時33分05秒", None, second("2020-04-29T20:33:05")),
    ("2022年9月16日 下午 8:35", None, minute("2022-09-16T20:35")),
    ("2022年9月16日上午8:35", None, minute("2022-09-16T08:35")),
    ("2022-09-16 中午12:05", None, minute("2022-09-16T12:05")),
    ("【发布时间：2022-09-16】", None, day("2022-09-16")),
    ("2022年9月16日 星期五", None, day("2022-09-16")),
    ("发布时间：2023-06-18 星期日 09:12", None, minute("2023-06-18T09:12")),
    ("發布時間：2022-10-24", None, day("2022-10-24")),
    ("22-03-20 19:10 来源:人民网-甘肃频道 编辑:马某", None, minute("2022-03-20T19:10")),
    ("编号 22-03-20", None, NONE),  # a two-digit year with no clock or label is no date
    ("日期：23-06-18 作者：杨帆", None, day("2023-06-18")),
    ("二〇二二年九月十六日", None, day("2022-09-16")),
    ("发布时间：二○一九年十月一日", None, day("2019-10-01")),
    ("二〇二二年十二月三十一日 星期六", None, day("2022-12-31")),
    ("二〇二三年二月廿一日", None, day("2023-02-21")),
    ("二〇二二年二月三十日", None, NONE),
    ("2022-09-16T08:35:31+08:00", None, second("2022-09-16T08:35:31")),
    ("2022-09-16T00:35:31Z", None, second("2022-09-16T08:35:31")),
    ("2022-09-16 08:35:31-12:00", None, second("2022-09-16T08:35:31")),  # a range, not an offset
    # choosing among several dates
    (CLOCK_PAGE, None, second("2022-09-16T08:35:31")),
    ("2024-07-08 15:05:51\n发布时间:2023-12-29 08:49:11", None, second("2023-12-29T08:49:11")),
    ("更新时间:2023-01-02 发布时间:2022-09-16", None, day("2022-09-16")),
    ("2024-07-08 15:44:44 更新时间:2023-01-02", None, day("2023-01-02")),
    ("当前时间:2024-07-08 15:44:44 日期:2021-03-04", None, day("2021-03-04")),
    ("活动时间:2022-09-20", None, NONE),
    # any other word before 时间/日期 names another time; brackets and spaced labels
    ("采集时间：2026-01-24 发布时间：2023-06-18", None, day("2023-06-18")),
    ("北京时间2023年6月18日 发布时间：2023-06-19", None, day("2023-06-19")),
    ("受理时间：2023-06-10 公开日期：2023-06-18", None, day("2023-06-18")),
    ("刊發時間：2023-06-18 更新時間：2023-06-20", None, day("2023-06-18")),
    ("发布时间：【2023-06-18】 更新时间：2023-07-01", None, day("2023-06-18")),
    ("2026年01月24日 星期六 时 间：2023-06-18", None, day("2023-06-18")),
    ("今天是2026年1月24日 星期六 2023-06-18 来源：市委办", None, day("2023-06-18")),
    ("2024-07-08 15:44:44\n发布时间：2022-02-30", None, NONE),  # labeled date broken: not the clock
    # prose dates without a year are never publish dates
    ("9月14日晚，市委会召开会议", None, NONE),
    ("1月25日", None, NONE),
    ("9月14日晚", "https://cqmjsw.gov.cn/news/9253.html", NONE),
    # impossible, too old, future
    ("2022-02-30", None, NONE),
    ("2022-13-01", None, NONE),
    ("2022-09-16 25:61", None, NONE),
    ("0000-00-00 00:00:00", None, NONE),
    ("1989-12-31", None, NONE),
    ("1990-01-01", None, day("1990-01-01")),
    ("2026-02-02", None, day("2026-02-02")),  # within a day of NOW
    ("2026-02-03", None, NONE),
    ("2099-01-01 00:00:00", None, NONE),
    ("2099-01-01 发布时间:2022-09-16", None, day("2022-09-16")),
    # nothing that looks like a date
    ("", None, NONE),
    ("浏览次数:20220916", None, NONE),
    ("来源:民进重庆市委会|作者:文明 徐锐 任慧", None, NONE),
    # URL fallbacks (only when the text gives no valid date)
    ("", "http://www.news.cn/politics/2020-04/08/c_1125828060.htm", day("2020-04-08")),
    ("", "http://example.cn/local/2022-12/01/content_1.htm", day("2022-12-01")),
    ("", "http://www.gov.cn/xinwen/202004/t20200417_1976018.shtml", day("2020-04-17")),
    ("", "http://news.cctv.com/2020/02/13/ARTI1581549014091480.shtml", day("2020-02-13")),
    ("", "http://example.cn/20260113/1643633.html", day("2026-01-13")),
    ("", "http://example.cn/content/202002/11/c_205513.html", day("2020-02-11")),
    ("", "http://www.51si.cn/scxw/2026-01-29/240182.html", day("2026-01-29")),
    (None, "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0429/31867.html", day("2020-04-29")),
    ("", "http://www.scsqw.cn/gzdt/2022nzgjx/content_99106", NONE),
    ("", "http://example.cn/20221345/1.html", NONE),
    ("", "http://example.cn/2099/01/01/a.html", NONE),
    ("时间:2020-02-26", "http://x.cn/2021/01/01/a.html", day("2020-02-26")),
    ("时间:2020-02-30", "http://x.cn/2020/02/28/a.html", day("2020-02-28")),
    ("", "http://[broken", NONE),
]


@pytest.mark.parametrize(("text", "url", "expected"), TABLE)
def test_date_table(text, url, expected):
    assert parse_date(text, url, now=NOW) == expected


def test_table_is_large():
    assert len(TABLE) >= 40


def test_raw_is_the_text_as_the_page_shows_it():
    assert find_date(CLOCK_PAGE, now=NOW).raw == "2022-09-16 08:35:31"
    assert find_date("发布时间：２０２２－０９－１６", now=NOW).raw == "２０２２－０９－１６"
    found = find_date("", "http://www.gov.cn/xinwen/202004/t20200417_1976018.shtml", now=NOW)
    assert (found.source, found.raw) == ("url", "t20200417_1976018")


def test_classify_date_names_the_problem():
    assert classify_date((2022, 2, 30), now=NOW) == (None, "impossible")
    assert classify_date((2022, 9, 16, 25, 61), now=NOW) == (None, "impossible")
    assert classify_date((1989, 12, 31), now=NOW) == (None, "too_old")
    assert classify_date((2026, 2, 3), now=NOW) == (None, "future")
    assert classify_date((2022, 9, 16, 8, 35, 31), now=NOW)[0].isoformat() == "2022-09-16T08:35:31+08:00"


def test_default_now_is_the_current_time():
    tomorrow = datetime.now(CST) + timedelta(hours=20)
    assert parse_date(f"{tomorrow:%Y-%m-%d %H:%M:%S}")[1] == "second"
    assert parse_date(f"{tomorrow + timedelta(days=2):%Y-%m-%d}") == NONE


# --- properties ---------------------------------------------------------------------------

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(result):
    iso, precision = result
    if iso is None:
        assert precision is None
        return
    assert precision in PRECISIONS
    when = datetime.fromisoformat(iso)
    assert iso.endswith("+08:00") and len(iso) == 25
    assert datetime(1990, 1, 1, tzinfo=CST) <= when <= NOW + timedelta(days=1)


@FAST
@given(st.text())
def test_never_raises_on_any_text(text):
    assert_well_formed(parse_date(text, now=NOW))


@FAST
@given(st.text(), st.text())
def test_never_raises_on_any_text_and_url(text, url):
    assert_well_formed(parse_date(text, url, now=NOW))
    assert_well_formed(parse_date(text, "http://x.cn/" + url, now=NOW))


NEAR_DATES = st.lists(
    st.sampled_from(["2022-09-16", "2022年9月16日", "16.09.2022", "2022/9/16", "08:35:31", "25:61",
                     "发布时间:", "时间：", "更新时间:", "当前时间:", " ", "\n", "-", "年", "0", "9", "T", "Z",
                     "二〇二二年", "九月", "十", "二", "卅", "廿", "日", "月"]),
).map("".join)


@FAST
@given(NEAR_DATES)
def test_well_formed_on_date_like_noise(text):
    result = parse_date(text, now=NOW)
    assert_well_formed(result)
    if result[0]:  # its own output reads back as the same instant
        assert parse_date(result[0], now=NOW)[0] == result[0]


FORMS = {"second": "%Y-%m-%d %H:%M:%S", "minute": "%Y-%m-%d %H:%M", "day": "%Y-%m-%d"}


@FAST
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2026, 1, 31)),
       st.sampled_from(PRECISIONS))
def test_parsing_is_idempotent(when, precision):
    iso, got = parse_date(when.strftime(FORMS[precision]), now=NOW)
    assert got == precision
    again = datetime.fromisoformat(iso)
    # the formatted result, written back in the page's form, parses to the same result
    assert parse_date(again.strftime(FORMS[precision]), now=NOW) == (iso, precision)
    assert parse_date(iso, now=NOW)[0] == iso
    assert parse_date(iso[:10], now=NOW) == (iso[:10] + "T00:00:00+08:00", "day")


# --- pipeline -----------------------------------------------------------------------------


def run(meta_text=None, url="https://cqmjsw.gov.cn/news/9253.html", raw_footer=(), **fields):
    crawler = get_crawler()
    pipeline = DatePipeline.from_crawler(crawler)
    item = Article(url=url, portal="x", template="party_cms",
                   raw={"meta_text": meta_text, "footer_lines": list(raw_footer)}, **fields)
    item = pipeline.process_item(item)
    stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("dates/")}
    return item, stats


def test_pipeline_takes_the_labeled_date_not_the_clock():
    item, stats = run(CLOCK_PAGE)
    assert (item.published_at, item.date_precision) == ("2022-09-16T08:35:31+08:00", "second")
    assert item.published_at_raw == "2022-09-16 08:35:31"
    assert item.flags == []
    assert stats == {"dates/from_meta": 1}


def test_pipeline_falls_back_to_the_url():
    item, stats = run("来源:未知", url="http://www.whrx.net/a/hubeixinwen/2020/0429/31867.html")
    assert (item.published_at, item.date_precision) == ("2020-04-29T00:00:00+08:00", "day")
    assert item.published_at_raw == "2020/0429"
    assert item.flags == []
    assert stats == {"dates/from_url": 1}


def test_pipeline_flags_a_missing_date():
    item, stats = run("9月14日晚，会议召开", flags=["mojibake"])
    assert (item.published_at, item.date_precision, item.published_at_raw) == (None, None, None)
    assert item.flags == ["mojibake", "date_missing"]
    assert stats == {"dates/missing": 1}


def test_pipeline_without_meta_text_at_all():
    crawler = get_crawler()
    item = DatePipeline.from_crawler(crawler).process_item(
        Article(url="https://cqmjsw.gov.cn/news/9253.html", portal="x", template="party_cms"), None)
    assert item.published_at is None and item.flags == ["date_missing"]
    assert crawler.stats.get_value("dates/missing") == 1


def test_pipeline_rejects_an_impossible_date_and_keeps_what_the_page_said():
    item, stats = run("发布时间:2022-02-30 08:35:31")
    assert (item.published_at, item.date_precision) == (None, None)
    assert item.published_at_raw == "2022-02-30 08:35:31"
    assert item.flags == ["date_missing", "date_rejected"]
    assert stats == {"dates/missing": 1, "dates/rejected": 1}


def test_pipeline_rejected_meta_date_with_a_url_date():
    item, stats = run("时间:2099-01-01", url="http://x.cn/2022/09/16/a.html")
    assert (item.published_at, item.date_precision) == ("2022-09-16T00:00:00+08:00", "day")
    assert item.flags == ["date_rejected"]
    assert stats == {"dates/from_url": 1, "dates/rejected": 1}


def test_pipeline_checks_a_date_the_spider_gave():
    item, stats = run("时间:2020-02-26", published_at="2022-09-16 08:35", date_precision=None)
    assert (item.published_at, item.date_precision) == ("2022-09-16T08:35:00+08:00", "minute")
    assert item.published_at_raw == "2022-09-16 08:35"
    assert stats == {"dates/from_item": 1}

    item, stats = run("时间:2020-02-26", published_at="1970-01-01T00:00:00Z")
    assert (item.published_at, item.date_precision) == ("2020-02-26T00:00:00+08:00", "day")
    assert item.flags == ["date_rejected"]
    assert stats == {"dates/from_meta": 1, "dates/rejected": 1}


def test_pipeline_twice_changes_nothing():
    crawler = get_crawler()
    pipeline = DatePipeline.from_crawler(crawler)
    item = Article(url="https://cqmjsw.gov.cn/news/2608.html", portal="x", template="party_cms",
                   raw={"meta_text": "来源:民进重庆市委会|作者:文明 徐锐 任慧|时间:2020-02-26"})
    first = pipeline.process_item(item)
    snapshot = (first.published_at, first.date_precision, first.published_at_raw, list(first.flags))
    assert snapshot == ("2020-02-26T00:00:00+08:00", "day", "2020-02-26", [])
    second_pass = pipeline.process_item(first)
    assert (second_pass.published_at, second_pass.date_precision, second_pass.published_at_raw,
            second_pass.flags) == snapshot
    assert crawler.stats.get_value("dates/from_meta") == 1
    assert crawler.stats.get_value("dates/from_item") == 1


def test_pipeline_keeps_a_coarser_precision_the_spider_stated():
    item, stats = run(None, published_at="2020-02-26T00:00:00+08:00", date_precision="day")
    assert (item.published_at, item.date_precision) == ("2020-02-26T00:00:00+08:00", "day")
    item, _ = run(None, published_at="2020-02-26", date_precision="second")  # cannot be finer than the text
    assert (item.published_at, item.date_precision) == ("2020-02-26T00:00:00+08:00", "day")
    assert stats == {"dates/from_item": 1}


def test_pipeline_uses_the_head_metas_after_the_meta_line_and_before_the_url():
    crawler = get_crawler()
    pipeline = DatePipeline.from_crawler(crawler)
    url = "http://x.cn/2020/04/29/a.html"
    head_only = Article(url=url, portal="x", template="city_news",
                        raw={"meta_text": "来源:未知", "head_date": "2022-09-16 08:35"})
    assert pipeline.process_item(head_only).published_at == "2022-09-16T08:35:00+08:00"
    both = Article(url=url, portal="x", template="city_news",
                   raw={"meta_text": "发布时间:2022-09-16 08:35:31", "head_date": "2022-09-16 08:35"})
    assert pipeline.process_item(both).date_precision == "second"
    assert crawler.stats.get_value("dates/from_head") == 1
    assert crawler.stats.get_value("dates/from_meta") == 1


def test_a_labelled_meta_line_found_inside_the_body_dates_the_article():
    item, stats = run(None, url="https://cqmjsw.gov.cn/news/9253.html",
                      raw_footer=["来源:市委会宣传处|作者:市委会宣传处|时间:2022-11-24 22:29:38", "2024-07-08 15:44:44"])
    assert (item.published_at, stats) == ("2022-11-24T22:29:38+08:00", {"dates/from_footer": 1})
    item, stats = run(None, url="https://cqmjsw.gov.cn/news/9253.html", raw_footer=["2024-07-08 15:44:44"])
    assert item.published_at is None  # a bare date there may be anything
