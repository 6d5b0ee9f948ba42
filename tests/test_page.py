"""The page the finders read (spiders/page.py): parsed once into plain lxml elements, and
its body handed to the noise stage as the same tree its HTML would parse into."""

import pytest
from lxml import etree
from lxml import html as lxml_html
from scrapy.http import HtmlResponse

from spiders.page import PageResponse, as_page, detached_body

PAGE = """<html><head><meta charset="utf-8"><title>t</title></head><body>
<div class="main"><h1>标题</h1>
<div class="text" id="body">前言<!-- 模板注释 --><p>第一段，<b>加粗</b>文字&nbsp;。</p>
<table class="info"><tr><td>索引号：</td><td>001</td></tr></table> 表后文字
<p>第二段<br>换行<img src="a.jpg" alt="图"></p><ul><li>一</li><li>二</li></ul></div>尾巴
</div></body></html>"""


def responses():
    body = PAGE.encode("utf-8")
    return (HtmlResponse("http://a.gov.cn/1.html", body=body),
            PageResponse("http://a.gov.cn/1.html", body=body))


def test_the_page_tree_is_lxml_s_plain_elements_and_selects_as_scrapy_s():
    scrapy_page, page = responses()
    assert type(page.selector.root) is etree._Element
    assert page.css("div.text p::text").getall() == scrapy_page.css("div.text p::text").getall()
    assert page.xpath("//div[@id='body']").get() == scrapy_page.xpath("//div[@id='body']").get()


@pytest.mark.parametrize("headers, body", [
    ({}, PAGE.encode("utf-8")),  # the <meta charset> names it
    ({"Content-Type": "text/html; charset=gb2312"}, PAGE.replace('<meta charset="utf-8">', "").encode("gb18030")),
    ({}, PAGE.replace('<meta charset="utf-8">', "").encode("gb18030")),  # inferred from the bytes
])
def test_as_page_keeps_the_text_and_encoding_the_response_decoded(headers, body):
    served = HtmlResponse("http://a.gov.cn/1.html", body=body, headers=headers)
    page = as_page(served)
    assert type(page) is PageResponse
    assert page.text is served.text and "第一段" in page.text  # not decoded a second time
    assert page.encoding == served.encoding == HtmlResponse("http://a.gov.cn/1.html", body=body, headers=headers).encoding
    assert page.xpath("//h1/text()").get() == "标题"


@pytest.mark.parametrize("cuts", [[], ["//table[@class='info']"], ["//b"], ["//li[2]"], ["//b", "//li[1]", "//li[2]"]])
def test_the_detached_body_is_the_tree_its_html_parses_into(cuts):
    _, page = responses()
    body = page.xpath("//div[@id='body']")[0]
    blocks = [page.xpath(cut)[0] for cut in cuts]
    html = body.get()
    for block in blocks:
        html = html.replace(block.get(), "", 1)
    reparsed = lxml_html.fragment_fromstring(html, create_parent="div")
    tree = detached_body(body, blocks)
    assert etree.tostring(tree, encoding="unicode") == etree.tostring(reparsed, encoding="unicode")
    assert page.xpath("//div[@id='body']").get() == body.get()  # the page itself is untouched


def test_no_body_or_a_cut_of_the_whole_body_gives_no_tree():
    _, page = responses()
    body = page.xpath("//div[@id='body']")[0]
    assert detached_body(None) is None
    assert detached_body(body, [body]) is None


def test_a_cut_outside_the_body_leaves_the_body_whole():
    _, page = responses()
    body = page.xpath("//div[@id='body']")[0]
    tree = detached_body(body, [page.xpath("//h1")[0]])
    assert etree.tostring(tree[0], encoding="unicode", method="html", with_tail=False) == body.get()
