"""Block pages served live over a loopback HTTP server are failed pages, never articles."""

import contextlib
import sqlite3

from tests.loopback import ArchiveProxy, crawl_through
from tests.test_crawl import article_urls
from tests.test_failures import BASE, answer, archive, failures, repair  # noqa: F401 (fixture)

CAPTCHA_WALL = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title></head><body>'
                '<div class="box"><h2>您的访问过于频繁</h2><p>为保证您的正常访问，请完成下方验证</p>'
                '<div id="captcha"></div><button>提交</button></div></body></html>')


def articles_table(tmp_path):
    with contextlib.closing(sqlite3.connect(tmp_path / "state" / "crawl.sqlite3")) as db:
        return dict(db.execute("SELECT url, duplicate_of FROM articles").fetchall())


def test_a_captcha_wall_for_five_articles_is_five_failures_and_all_five_come_once_the_site_recovers(
        tmp_path, archive):
    (archive / "pages" / "wall.html").write_text(CAPTCHA_WALL, encoding="utf-8")
    walled = sorted(article_urls("whrx"))[:5]
    for url in walled:
        answer(archive, url, status=200, file="pages/wall.html", headers={"Content-Type": "text/html; charset=utf-8"})
    with ArchiveProxy(archive) as proxy:
        first = crawl_through(proxy, tmp_path, returncode=4)  # 5 of 22 pages blocked: the block rate fails
        assert sorted(i["url"] for i in first.items) == sorted(set(article_urls("whrx")) - set(walled))
        stats = first.stats["whrx"]
        assert stats["blocked/count"] == 5 and stats["blocked/captcha"] == 5
        assert stats["failed/blocked:captcha"] == 5 and "failed=5 blocked=5" in first.output
        assert f"whrx: article {walled[0]} failed (blocked:captcha)" in first.output
        assert not set(walled) & set(articles_table(tmp_path))  # never seen, never a canonical
        assert sorted(f[0] for f in failures(tmp_path)) == walled

        repair(archive)
        second = crawl_through(proxy, tmp_path)
        assert sorted(i["url"] for i in second.items) == walled
        table = articles_table(tmp_path)
        assert all(table[url] is None for url in walled) and failures(tmp_path) == []
        assert crawl_through(proxy, tmp_path).items == []


def test_a_list_page_that_is_a_challenge_is_fetched_again_with_its_articles(tmp_path, archive):
    (archive / "pages" / "ruishu.html").write_text(
        '<html><head><meta id="aVeryLongRuishuIdentifier" content="K6fJRQ2ppWw1Ayg8PJbcPf9gQ6hUmCCNXi4lKS8dc1tYpVw">'
        '<script r="m">$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=1;</script></head><body></body></html>')
    answer(archive, BASE + "list_12_2.html", status=412, file="pages/ruishu.html",
           headers={"Content-Type": "text/html; charset=utf-8"})
    with ArchiveProxy(archive) as proxy:
        first = crawl_through(proxy, tmp_path, returncode=3)
        assert len(first.items) == 15 and first.stats["whrx"]["failed/blocked:ruishu"] == 1
        assert "http_412" not in str(first.stats["whrx"])
        repair(archive)
        second = crawl_through(proxy, tmp_path)
    assert len(second.items) == 2 and failures(tmp_path) == []
    assert sorted(i["url"] for i in first.items + second.items) == sorted(article_urls("whrx"))
