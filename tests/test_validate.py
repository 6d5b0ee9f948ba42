"""Garbage never leaves the pipelines: no title, no body, or an error page served as 200."""

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from govnews.extract import make_crawler
from govnews.items import Article
from pipelines.validate import ValidatePipeline

ARTICLE = "当前，重庆疫情形势严峻复杂，重庆民进各级组织和广大会员积极奋战在疫情防控各条战线。"


def validate(title, body):
    crawler = get_crawler()
    item = Article(url="https://cqmjsw.gov.cn/news/1.html", portal="cqmjsw", template="party_cms",
                   title=title, body=body)
    try:
        return ValidatePipeline.from_crawler(crawler).process_item(item), crawler.stats.get_stats()
    except DropItem:
        return None, crawler.stats.get_stats()


@pytest.mark.parametrize("title, body, reason", [
    (None, ARTICLE, "no_title"),
    ("标题", "  ", "no_body"),
    ("提示信息", "对不起，您访问的页面不存在或已被删除！\n\n返回首页", "error_page"),
    ("404", "Not Found", "error_page"),
    ("民进重庆市委会", "请先登录后再查看本文。", "error_page"),
    # GBK read as ISO-8859-1: the page's bytes under the wrong codec, no title of an article
    ("ÊÐÕþ¸®ÕÙ¿ª³£Îñ»áÒé", ARTICLE, "mojibake_title"),
    ("ä¸­æ–‡ç½‘", ARTICLE, "mojibake_title"),
])
def test_garbage_is_dropped_and_counted(title, body, reason):
    item, stats = validate(title, body)
    assert item is None and stats[f"validate/{reason}"] == 1


def test_an_article_that_mentions_a_deleted_page_is_kept():
    body = "\n\n".join([ARTICLE] * 4 + ["有居民反映，社区公众号上的通知页面不存在了，工作人员随即重新发布。"])
    item, stats = validate("社区通知重新发布", body)
    assert item is not None and not any(k.startswith("validate/") for k in stats)


def test_a_link_to_a_pdf_where_a_page_was_expected_is_counted_not_parsed():
    crawler = make_crawler("cqmjsw")
    pdf = Response("https://cqmjsw.gov.cn/news/9999.html", body=b"%PDF-1.7",
                   headers={"Content-Type": "application/pdf"}, request=Request("https://cqmjsw.gov.cn/news/9999.html"))
    assert list(crawler.spider.parse_article(pdf)) == [] and list(crawler.spider.parse_list(pdf)) == []
    assert crawler.stats.get_value("extract/not_text") == 2


def test_a_page_cut_short_is_flagged_truncated_and_a_whole_one_is_not(tmp_path):
    from govnews.extract import extract_file
    from tests.archives import FIXTURES, manifest

    entry = next(e for e in manifest("gjdb")["responses"] if e["file"].endswith("content_32610.htm"))
    page = (FIXTURES / "gjdb" / entry["file"]).read_bytes()
    cut = page[:page.index("受疫情影响，今年春茶".encode()) + len("受疫情影响".encode())]
    (tmp_path / "cut.htm").write_bytes(cut)
    (tmp_path / "unclosed.htm").write_bytes(page.replace(b"</html>", b""))  # sloppy, yet whole
    assert "truncated" in extract_file(tmp_path / "cut.htm", "gjdb", entry["url"]).flags
    assert "truncated" not in extract_file(tmp_path / "unclosed.htm", "gjdb", entry["url"]).flags
    assert "truncated" not in extract_file(FIXTURES / "gjdb" / entry["file"], "gjdb", entry["url"]).flags
