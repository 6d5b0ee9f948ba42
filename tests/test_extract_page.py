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


# A loose container (location bar, headline, meta line, text, disclaimer, recommendations):
# the headline has a ；, the meta line opens with the bare time and runs its labels together,
# the text is one bare text node, the recommendations carry teaser sentences.
LOOSE_PAGE = """<html><head><meta charset="utf-8"><title>早间快讯：甲公司签约产业园项目；乙公司中标水厂改造项目_某报网</title></head>
<body><div class="main"><div class="left">
<div class="site">您所在的位置：<a href="/">首页</a> &gt; <a href="/kx/">快讯</a></div>
<div class="art-head"><h2>早间快讯：甲公司签约产业园项目；乙公司中标水厂改造项目</h2>
<div class="info">2024-03-05 08:15<span>来源：某报网</span><span>作者：赵六</span></div></div>
<div class="txt" id="content">
   某报讯，甲公司与某市签订产业园投资协议，总投资12亿元。乙公司中标某水厂改造项目，中标额3600万元。
</div>
<div class="statement"><p>声明：本网力求信息真实、准确，文章内容仅供参考，不构成投资建议。</p></div>
<div class="tuijian"><h3>为你推荐</h3>
<dl><dt><a href="/kx/2.html">丙公司发布年度业绩预告</a></dt>
<dd class="exp">丙公司预计去年净利润同比增长三成，主要得益于新产品放量。</dd></dl>
<dl><dt><a href="/kx/3.html">丁公司拟回购股份</a></dt>
<dd class="exp">丁公司拟以自有资金回购股份，用于员工持股计划。</dd></dl>
</div></div></div></body></html>"""


def test_a_loose_container_gives_its_meta_line_and_only_its_text():
    item = ItemAdapter(extract_page(LOOSE_PAGE.encode("utf-8"), "http://www.example.cn/kx/2024/0305/1.shtml"))
    assert (item["title"], item["published_at"], item["date_precision"], item["source"], item["author"]) == (
        "早间快讯:甲公司签约产业园项目;乙公司中标水厂改造项目", "2024-03-05T08:15:00+08:00", "minute", "某报网", ["赵六"])
    assert item["body"] == "某报讯,甲公司与某市签订产业园投资协议,总投资12亿元。乙公司中标某水厂改造项目,中标额3600万元。"
