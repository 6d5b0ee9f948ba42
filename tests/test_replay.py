"""The replay middleware answers from saved pages, and never from anywhere else."""

import json
import subprocess

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from govnews.provenance import PROVENANCE
from govnews.replay import ReplayArchive, ReplayError, ReplayMiddleware
from tests.crawling import ROOT, SCRAPY


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "site"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "a.html").write_bytes("<html><body><h1>标题</h1></body></html>".encode("gbk"))
    (tmp_path / "secret.txt").write_text("not yours")
    (folder / "manifest.json").write_text(json.dumps({"portal": "site", "responses": [
        {"url": "http://a.gov.cn/news/1.html", "file": "pages/a.html", "status": 200,
         "headers": {"Content-Type": "text/html; charset=gbk"}},
        {"url": "http://a.gov.cn/old", "status": 301, "headers": {"Location": "/news/1.html"}},
        {"url": "http://a.gov.cn/escape", "file": "../secret.txt", "status": 200, "headers": {}},
    ]}))
    return tmp_path


def middleware(root):
    crawler = get_crawler(settings_dict={"REPLAY": str(root)})
    return ReplayMiddleware.from_crawler(crawler), crawler.stats


def test_saved_page_comes_back_with_its_status_headers_and_charset(archive):
    mw, stats = middleware(archive)
    request = Request("http://a.gov.cn/news/1.html#comments")
    response = mw.process_request(request)
    assert isinstance(response, HtmlResponse)
    assert request.meta[PROVENANCE] == {"file": str(archive / "site" / "pages" / "a.html")}
    assert response.status == 200 and response.encoding == "gb18030"  # w3lib reads gbk as its superset
    assert response.css("h1::text").get() == "标题"
    assert stats.get_value("replay/hit") == 1


def test_a_folder_of_archives_and_one_archive_both_work(archive):
    for root in (archive, archive / "site"):
        replay = ReplayArchive(root)
        assert len(replay) == 3 and replay.portals == {"site"}
        assert replay.response_for(Request("http://a.gov.cn/news/1.html")).status == 200


def test_redirects_are_served_as_saved(archive):
    mw, _ = middleware(archive)
    response = mw.process_request(Request("http://a.gov.cn/old"))
    assert response.status == 301 and response.headers["Location"] == b"/news/1.html"


def test_missing_url_is_a_counted_404_not_a_crash(archive):
    mw, stats = middleware(archive)
    response = mw.process_request(Request("http://a.gov.cn/news/2.html"))
    assert response.status == 404 and response.body == b""
    assert stats.get_value("replay/miss") == 1 and stats.get_value("replay/hit") is None


def test_a_manifest_cannot_serve_files_outside_its_archive(archive):
    mw, stats = middleware(archive)
    response = mw.process_request(Request("http://a.gov.cn/escape"))
    assert response.status == 404 and b"not yours" not in response.body
    assert stats.get_value("replay/miss") == 1


def test_off_without_the_setting_and_refused_without_a_manifest(tmp_path):
    with pytest.raises(NotConfigured):
        ReplayMiddleware.from_crawler(get_crawler(settings_dict={}))
    with pytest.raises(ReplayError, match="no manifest.json in it or its sub-folders, and no WARC file"):
        ReplayMiddleware.from_crawler(get_crawler(settings_dict={"REPLAY": str(tmp_path)}))


def test_a_replay_path_with_no_archive_stops_crawlall_before_anything_is_fetched(tmp_path):
    done = subprocess.run([*SCRAPY, "crawlall", "-a", "portals=whrx", "-s", f"REPLAY={tmp_path / 'typo'}",
                           "-s", f"STATE_DIR={tmp_path / 'state'}", "-O", str(tmp_path / "out.jsonl")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith(
        f" error: REPLAY={tmp_path / 'typo'}: no manifest.json in it or its sub-folders, and no WARC file")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no state, no output


def test_text_responses_keep_their_type(tmp_path):
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n")
    (tmp_path / "manifest.json").write_text(json.dumps({"responses": [
        {"url": "http://a.gov.cn/robots.txt", "file": "robots.txt", "status": 200,
         "headers": {"Content-Type": "text/plain; charset=utf-8"}}]}))
    mw, _ = middleware(tmp_path)
    response = mw.process_request(Request("http://a.gov.cn/robots.txt"))
    assert isinstance(response, TextResponse) and "Disallow: /admin/" in response.text
