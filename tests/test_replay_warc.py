"""REPLAY from WARC files: a record comes back with its status, headers, charset and bytes."""

import gzip
import io
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govnews import cdxj
from govnews.provenance import PROVENANCE
from govnews.record.middleware import payload_digest
from govnews.replay import ReplayArchive, ReplayMiddleware

PAGE = "<html><head><title>通知</title></head><body><h1>关于开展检查的通知</h1></body></html>".encode("gbk")
ARTICLE = "http://a.gov.cn/news/1.html"


def response_record(writer, url, status, headers, body, date):
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"), warc_headers_dict={"WARC-Date": date})


@pytest.fixture
def warc(tmp_path):
    """A WARC written with warcio alone (not the recorder): a GBK page, a redirect, a 404,
    a gzip-encoded page with two cookies, and a later revisit of the GBK page."""
    path = tmp_path / "site.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test", "portal": "site"}))
        writer.write_record(response_record(writer, ARTICLE, "200 OK", [("Content-Type", "text/html; charset=gbk")],
                                            PAGE, "2026-01-01T00:00:00.000001Z"))
        writer.write_record(response_record(writer, "http://a.gov.cn/old", "301 Moved Permanently",
                                            [("Location", "/news/1.html")], b"", "2026-01-01T00:00:01Z"))
        writer.write_record(response_record(writer, "http://a.gov.cn/gone", "404 Not Found",
                                            [("Content-Type", "text/html")], b"<html>gone</html>", "2026-01-01T00:00:02Z"))
        writer.write_record(response_record(
            writer, "http://a.gov.cn/zipped", "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
             ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
            gzip.compress("<html><h1>压缩</h1></html>".encode()), "2026-01-01T00:00:03Z"))
        writer.write_record(writer.create_revisit_record(
            ARTICLE, payload_digest(PAGE), ARTICLE, "2026-01-01T00:00:00.000001Z",
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=gbk"), ("X-Run", "2")],
                                          protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2026-02-01T00:00:00Z"}))
    return path


def replay(root):
    crawler = get_crawler(settings_dict={"REPLAY": str(root)})
    return ReplayMiddleware.from_crawler(crawler), crawler


@pytest.mark.parametrize("indexed", [True, False], ids=["through its CDXJ index", "read whole"])
def test_a_page_comes_back_with_its_charset_and_the_record_holding_its_bytes(warc, indexed):
    if indexed:
        cdxj.write(cdxj.scan(warc), cdxj.index_path(warc))
    mw, crawler = replay(warc.parent)
    request = Request(ARTICLE + "#top")
    response = mw.process_request(request)
    assert isinstance(response, HtmlResponse) and response.status == 200
    assert response.encoding == "gb18030" and response.css("h1::text").get() == "关于开展检查的通知"
    assert response.headers["X-Run"] == b"2"  # the latest capture: the revisit's own headers
    original = next(c for c in cdxj.scan(warc) if c.url == ARTICLE and c.record_type == "response")
    assert request.meta[PROVENANCE] == {"file": warc.name, "record_id": original.record_id, "offset": original.offset}
    assert crawler.stats.get_value("replay/hit") == 1


def test_redirects_and_errors_come_back_as_recorded(warc):
    mw, _ = replay(warc)
    moved = mw.process_request(Request("http://a.gov.cn/old"))
    assert moved.status == 301 and moved.headers["Location"] == b"/news/1.html"
    gone = mw.process_request(Request("http://a.gov.cn/gone"))
    assert gone.status == 404 and gone.body == b"<html>gone</html>"


def test_an_encoded_body_comes_back_encoded_and_scrapy_decodes_it(warc):
    mw, crawler = replay(warc)
    request = Request("http://a.gov.cn/zipped")
    response = mw.process_request(request)
    assert response.headers["Content-Encoding"] == b"gzip" and response.body[:2] == b"\x1f\x8b"
    assert response.headers.getlist("Set-Cookie") == [b"a=1", b"b=2"]
    decoded = HttpCompressionMiddleware.from_crawler(crawler).process_response(request, response)
    assert decoded.css("h1::text").get() == "压缩"


LIST = "http://a.gov.cn/news/"
LIST_PAGE = '<html><body><a href="/news/1.html">关于开展检查的通知</a></body></html>'.encode()
BLOCKS = Path(__file__).parent / "blockpages"


def test_a_later_failure_or_block_page_does_not_hide_the_page_read_before(tmp_path):
    """Run 1 read an article and a list; run 2 got a 404, a soft 404 served 200, a captcha
    wall and a server error in their place: replay answers with run 1's pages, and with the
    newest failure only for a URL no run read."""
    html = [("Content-Type", "text/html; charset=utf-8")]
    path = tmp_path / "runs.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        run1, run2, run3 = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"
        writer.write_record(response_record(writer, ARTICLE, "200 OK", [("Content-Type", "text/html; charset=gbk")],
                                            PAGE, run1))
        writer.write_record(response_record(writer, LIST, "200 OK", html, LIST_PAGE, run1))
        writer.write_record(response_record(writer, "http://a.gov.cn/gone", "404 Not Found", html, b"gone", run1))
        writer.write_record(response_record(writer, ARTICLE, "404 Not Found", html, b"<html>404</html>", run2))
        writer.write_record(response_record(writer, LIST, "200 OK", html + [("Content-Encoding", "gzip")],
                                            gzip.compress((BLOCKS / "captcha_wall.html").read_bytes()), run2))
        writer.write_record(response_record(writer, "http://a.gov.cn/gone", "503 Service Unavailable", [], b"", run2))
        writer.write_record(response_record(writer, ARTICLE, "200 OK", html, (BLOCKS / "soft_404.html").read_bytes(),
                                            run3))
        writer.write_record(response_record(writer, LIST, "503 Service Unavailable", [], b"", run3))
        for url in ("http://a.gov.cn/down", "http://a.gov.cn/down"):
            writer.write_record(response_record(writer, url, "503 Service Unavailable", [], b"", run3))
    mw, _ = replay(path)
    article = mw.process_request(Request(ARTICLE))
    assert article.status == 200 and article.css("h1::text").get() == "关于开展检查的通知"
    assert mw.process_request(Request(LIST)).body == LIST_PAGE
    assert mw.process_request(Request("http://a.gov.cn/gone")).status == 404  # an error before a server error
    assert mw.process_request(Request("http://a.gov.cn/down")).status == 503


def test_a_block_page_is_answered_when_no_capture_is_good(tmp_path):
    path = tmp_path / "blocked.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        writer.write_record(response_record(writer, ARTICLE, "404 Not Found", [], b"", "2026-01-01T00:00:00Z"))
        writer.write_record(response_record(writer, ARTICLE, "200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                            (BLOCKS / "captcha_wall.html").read_bytes(), "2026-02-01T00:00:00Z"))
    mw, _ = replay(path)
    assert mw.process_request(Request(ARTICLE)).css("title::text").get() == "安全验证"  # the newest: BlockPageMiddleware's to fail


def test_a_url_no_record_has_is_a_counted_404(warc):
    mw, crawler = replay(warc)
    assert mw.process_request(Request("http://a.gov.cn/news/2.html")).status == 404
    assert crawler.stats.get_value("replay/miss") == 1


def test_the_portal_comes_from_the_warcinfo_record(warc):
    assert ReplayArchive(warc).portals == {"site"}


def test_a_file_cut_short_is_read_up_to_its_last_whole_record(warc, tmp_path):
    whole = cdxj.scan(warc)
    cut = tmp_path / "cut" / "site.warc.gz"
    cut.parent.mkdir()
    cut.write_bytes(warc.read_bytes()[: whole[-1].offset + 20])  # a kill mid-way through the last record
    assert cdxj.scan(cut) == whole[:-1]
    response = ReplayArchive(cut).response_for(Request("http://a.gov.cn/zipped"))
    assert response.status == 200


def test_index_lines_read_back_to_the_same_captures(warc):
    captures = cdxj.scan(warc)
    assert [c.record_type for c in captures] == ["response"] * 4 + ["revisit"]
    assert [cdxj.Capture.from_line(c.line()) for c in captures] == captures
    assert captures[0].line().startswith("cn,gov,a)/news/1.html 20260101000000 {")
