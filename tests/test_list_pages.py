"""A list page's article links are found however the CMS writes them."""

from scrapy.http import HtmlResponse, Request

from govnews.extract import make_crawler

LIST = "https://cqmjsw.gov.cn/news/list_12.html"
PAGE = """<html><head><base href="https://www.cqmjsw.gov.cn/news/"></head><body>
<div class="news_list"><ul>
<li><a href="9253.html">relative to the base</a></li>
<li><a href=" 9254.html
">spaces and a line break around the href</a></li>
<li><a href="../news/9255.html?from=timeline#top">a tracking parameter and a fragment</a></li>
<li><a href="https://www.cqmjsw.gov.cn/news/9253.html">the first again</a></li>
<li><a href="javascript:void(0)" onclick="window.open('9256.html')">opened by script</a></li>
<li><a href="javascript:location.href='9258.html'">a script href</a></li>
<li><a href="#" onclick="window.open('9259.html')">an empty href opened by script</a></li>
<li><a href="HTTPS://CQMJSW.GOV.CN/news/9257.html">an upper-case host</a></li>
<li><a href="mailto:office@cqmjsw.gov.cn">mail</a><a href="#">nothing</a><a>no href</a></li>
</ul></div>
<div class="page"><a href="list_12_2.html">下一页</a></div></body></html>"""


def test_every_article_link_is_queued_once_in_canonical_form():
    crawler = make_crawler("cqmjsw")
    spider = crawler.spider
    response = HtmlResponse(LIST, body=PAGE.encode(), encoding="utf-8", request=Request(LIST))
    requests = list(spider.parse_list(response))
    canonical = [spider.canonical_url(r.url) for r in requests]
    assert canonical == [
        "https://cqmjsw.gov.cn/news/9253.html",
        "https://cqmjsw.gov.cn/news/9254.html",
        "https://cqmjsw.gov.cn/news/9255.html",
        "https://cqmjsw.gov.cn/news/9256.html",
        "https://cqmjsw.gov.cn/news/9258.html",
        "https://cqmjsw.gov.cn/news/9259.html",
        "https://cqmjsw.gov.cn/news/9257.html",
        "https://cqmjsw.gov.cn/news/list_12_2.html",
    ]
    assert [r.meta["govnews_page"] for r in requests] == ["article"] * 7 + ["list"]


def test_of_several_spellings_of_one_article_the_canonical_one_is_fetched():
    crawler = make_crawler("cqmjsw")
    page = ("<div class='news_list'><ul><li><a href='http://cqmjsw.gov.cn/news/9267.html'>http</a></li>"
            "<li><a href='https://www.cqmjsw.gov.cn/news/9267.html?from=x'>alias</a></li>"
            "<li><a href='https://cqmjsw.gov.cn/news/9267.html'>canonical</a></li>"
            "<li><a href='https://www.cqmjsw.gov.cn/news/9268.html'>only an alias</a></li></ul></div>")
    response = HtmlResponse(LIST, body=page.encode(), encoding="utf-8", request=Request(LIST))
    assert [r.url for r in crawler.spider.parse_list(response)] == [
        "https://cqmjsw.gov.cn/news/9267.html", "https://www.cqmjsw.gov.cn/news/9268.html"]
