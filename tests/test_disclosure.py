"""Disclosure documents (政府信息公开): the metadata block is read into ``disclosure``, its
values normalized, and none of it stays in the body. The layouts of three CMS families are in
tests/layouts/*_disclosure.html (a table, template fields, a ``<dl>``), each with its exact item."""

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from govnews.extract import extract_page, item_from_page, make_crawler, run_pipelines
from govnews.labels import DISCLOSURE_FIELD_OF
from pipelines.disclosure import normalize_doc_no, normalize_written_at, read_block
from spiders.disclosure import find_block

LAYOUTS = Path(__file__).parent / "layouts"
BRACKETS = ["[]", "［］", "()", "（）", "【】", "〔〕", "〖〗"]


@given(org=st.sampled_from(["国发", "国办函", "浙政办发", "川府发", "京政发"]), year=st.integers(1990, 2030),
       number=st.integers(1, 999), brackets=st.sampled_from(BRACKETS), space=st.sampled_from(["", " ", "\u3000"]),
       full_width=st.booleans())
def test_a_document_number_s_year_is_bracketed_as_gb_t_9704_writes_it(org, year, number, brackets, space, full_width):
    digits = str(year).translate(str.maketrans("0123456789", "０１２３４５６７８９")) if full_width else str(year)
    text = f"{space}{org}{brackets[0]}{space}{digits}{space}{brackets[1]}{number}号{space}"
    assert normalize_doc_no(text) == f"{org}〔{year}〕{number}号"


@given(st.text())
def test_document_number_normalizing_is_idempotent_and_never_raises(text):
    once = normalize_doc_no(text)
    assert once is None or normalize_doc_no(once) == once


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2025, 12, 31)),
       style=st.sampled_from(["{y}年{m}月{d}日", "{y}年{m:02d}月{d:02d}日", "{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}",
                              "{y}.{m:02d}.{d:02d}", "{y}-{m}-{d}"]))
def test_the_date_written_is_an_iso_8601_date(day, style):
    text = style.format(y=day.year, m=day.month, d=day.day)
    assert normalize_written_at(text) == day.isoformat()


@given(st.text())
def test_a_date_written_is_an_iso_date_or_none(text):
    found = normalize_written_at(text)
    assert found is None or date.fromisoformat(found)


def response(body: str) -> HtmlResponse:
    return HtmlResponse("https://a.gov.cn/1.html", body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


def test_a_sentence_naming_a_label_is_no_block():
    page = response("<p>根据国发〔2016〕79号文号要求，索引号：见附件。</p><p>成文日期不详。</p>")
    assert find_block(page) is None


def test_the_smallest_element_with_the_labels_is_the_block():
    page = response("<div class='main'><div class='meta'><span>索引号：</span>1/2020-1 <span>有效性：</span>有效</div>"
                    "<p>正文第一段。</p></div>")
    assert find_block(page).attrib["class"] == "meta"


def test_a_block_with_labels_in_header_cells_and_values_in_the_next_cells():
    html = ("<table><tr><th>索引号</th><td>1/2020-1</td><th>文号</th><td>京政发(2020)3号</td></tr>"
            "<tr><th>公开方式</th><td>主动公开</td><th>效力状态</th><td>有效</td></tr></table>")
    assert read_block(html) == {"index_no": "1/2020-1", "doc_no": "京政发〔2020〕3号", "issuer": None,
                                "written_at": None, "subject": None, "validity": "有效"}


DISCLOSURE_PAGES = ["ucap_disclosure", "hanweb_disclosure", "trs_disclosure"]


@pytest.mark.parametrize("page", DISCLOSURE_PAGES)
def test_none_of_the_block_is_left_in_the_body(page):
    case = json.loads((LAYOUTS / f"{page}.json").read_text(encoding="utf-8"))
    body = case["expected"]["body"].replace(" ", "")
    assert not [label for label in DISCLOSURE_FIELD_OF if label in body]
    # The issuer may sign the text (国务院); the block's own numbers must not be in it.
    assert case["expected"]["disclosure"]["index_no"] not in body


def test_disclosure_fields_are_counted():
    case = json.loads((LAYOUTS / "ucap_disclosure.json").read_text(encoding="utf-8"))
    crawler = make_crawler(case["portal"])
    run_pipelines(crawler, item_from_page(crawler, case["url"], (LAYOUTS / "ucap_disclosure.html").read_bytes()))
    stats = crawler.stats.get_stats()
    assert {k: v for k, v in stats.items() if k.startswith("disclosure/")} == {
        "disclosure/items": 1, "disclosure/index_no": 1, "disclosure/doc_no": 1, "disclosure/issuer": 1,
        "disclosure/written_at": 1, "disclosure/subject": 1}


PROSE = "党的二十大以来，我市坚持以人民为中心的发展思想，扎实推进各项民生工程建设，群众获得感不断增强。"


def news_page(meta: str, article: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>市政府召开常务会议_某某市人民政府</title></head><body>"
            f"<h1>市政府召开常务会议</h1><div class='info'>{meta}</div><div class='article'>{article}</div>"
            f"<div class='footer'>版权所有 某某市人民政府</div></body></html>").encode()


def test_a_news_meta_line_with_an_issuer_and_a_date_is_no_disclosure():
    page = news_page("发布单位：市政府办公室 发文日期：2024-05-13", "".join(f"<p>{PROSE}</p>" for _ in range(4)))
    item = extract_page(page, "https://a.gov.cn/art/2024/5/13/art_1_1.html")
    assert item.disclosure is None
    assert item.body == "\n\n".join([PROSE.replace("，", ",")] * 4)


def test_an_index_number_and_one_more_field_are_a_disclosure():
    page = response("<div class='info'>索引号：11340000/2024-01 发布单位：市政府办公室</div><p>正文第一段。</p>")
    assert read_block("".join(find_block(page).getall())) == {"index_no": "11340000/2024-01", "doc_no": None,
                                                  "issuer": "市政府办公室", "written_at": None, "subject": None,
                                                  "validity": None}


@pytest.mark.parametrize("paragraphs", [8, 30])
def test_loose_field_lines_in_the_text_are_cut_one_by_one(paragraphs):
    fields = "<p>索引号：11340000/2024-01</p><p>发文字号：皖政办〔2024〕3号</p>"
    page = news_page("来源：市政府办公室 发布时间：2024-05-13", fields + "".join(f"<p>{PROSE}</p>" for _ in range(paragraphs)))
    item = extract_page(page, "https://a.gov.cn/art/2024/5/13/art_1_1.html")
    assert item.body == "\n\n".join([PROSE.replace("，", ",")] * paragraphs)
    assert item.disclosure == {"index_no": "11340000/2024-01", "doc_no": "皖政办〔2024〕3号", "issuer": None,
                               "written_at": None, "subject": None, "validity": None}


def test_an_element_holding_the_text_is_never_the_block():
    page = response("<div class='article'><p>索引号：1/2020-1</p><p>文号：京政发〔2020〕3号</p>"
                    f"<p>{PROSE}</p></div>")
    assert [line.root.tag for line in find_block(page)] == ["p", "p"]
