"""``govnews.extract.extract_page``: one page of any site → its final item, no portal needed."""

import json
import subprocess

import jsonschema
import pytest
from itemadapter import ItemAdapter

from govnews.extract import InvalidArticle, extract_page, extractor_for
from tests.crawling import ROOT, SCRAPY
from tests.test_layouts import SCHEMA

PAGE = """<html><head><meta charset="utf-8"><title>全市秋粮收购工作推进会召开_某市人民政府</title></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwdt/">政务动态</a></div>
<div class="article"><h1>全市秋粮收购工作推进会召开</h1>
<div class="info">来源：市粮食局　发布时间：2024-10-18 09:30</div>
<div class="text"><p>10月17日，全市秋粮收购工作推进会召开，会议总结前期收购进展，部署下一阶段工作。</p>
<p>会议要求，各地要加强收购资金保障，优化为农服务，确保农民种粮卖得出、卖得好。</p></div>
<p>责任编辑：王五</p></div></body></html>"""
URL = "http://www.example.gov.cn/zwdt/202410/t20241018_1.html"


def test_a_page_of_a_site_no_portal_describes_comes_out_whole():
    item = ItemAdapter(extract_page(PAGE.encode("utf-8"), URL)).asdict()
    item.pop("raw")
    assert {k: item[k] for k in ("url", "portal", "template", "title", "source", "editor", "published_at",
                                 "date_precision", "body", "flags")} == {
        "url": URL, "portal": "generic", "template": "generic", "title": "全市秋粮收购工作推进会召开",
        "source": "市粮食局", "editor": "王五", "published_at": "2024-10-18T09:30:00+08:00",
        "date_precision": "minute",
        "body": "10月17日,全市秋粮收购工作推进会召开,会议总结前期收购进展,部署下一阶段工作。\n\n"
                "会议要求,各地要加强收购资金保障,优化为农服务,确保农民种粮卖得出、卖得好。",
        "flags": []}
    jsonschema.validate(item, SCHEMA)


def test_the_crawler_is_built_once_for_every_page():
    first = extractor_for(None)
    extract_page(PAGE.encode("utf-8"), URL)
    extract_page(PAGE.encode("utf-8"), URL)
    assert extractor_for(None) is first
    assert first.crawler.stats.get_value("extract/fallback/body") >= 2


def test_a_page_with_no_article_raises_with_its_reasons():
    with pytest.raises(InvalidArticle) as raised:
        extract_page(b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>",
                     "http://www.example.gov.cn/x.html")
    assert raised.value.reasons == ["no_body"]


def test_a_pdf_where_a_page_was_linked_raises_not_text():
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(32)) * 4
    with pytest.raises(InvalidArticle) as raised:
        extract_page(pdf, "http://www.example.gov.cn/a.pdf", headers={"Content-Type": "application/pdf"})
    assert raised.value.reasons == ["not_text"]


def test_scrapy_extract_needs_no_portal(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.encode("utf-8"))
    done = subprocess.run([*SCRAPY, "extract", str(page), "--url", URL], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "全市秋粮收购工作推进会召开"
