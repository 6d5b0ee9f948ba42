"""Every way a page can fail to yield, live over a loopback HTTP server: each is a failed
page (logged with portal and URL, counted, in the failures table), and once the site
recovers every article comes exactly once, with no new article needed to trigger it."""

import socket

import pytest

from tests.crawling import crawlall
from tests.loopback import ArchiveProxy, crawl_through
from tests.test_crawl import article_urls
from tests.test_failures import BASE, LIST_TWO, ON_PAGE_TWO, answer, archive, failures, repair  # noqa: F401

HTML = {"Content-Type": "text/html; charset=utf-8"}
SPLIT = BASE + "2020/0502/32087.html"
SPLIT_TWO = BASE + "2020/0502/32087_2.html"
#: A link of the article URL shape past URLLENGTH_LIMIT (2083 characters).
LONG = BASE + "x" * 2100 + "/2020/0325/30815.html"


def redirect_chain(archive, hops):
    for hop in range(hops):
        url = ON_PAGE_TWO + (f"?r={hop}" if hop else "")
        answer(archive, url, status=302, headers={"Location": f"{ON_PAGE_TWO}?r={hop + 1}"})


def redirect_offsite(archive):
    answer(archive, ON_PAGE_TWO, status=302, headers={"Location": "http://elsewhere.example.com/30815.html"})


def oversized(archive):
    page = archive / "pages" / "article_30815.html"
    (archive / "pages" / "big.html").write_bytes(page.read_bytes() + b"<!--" + b" " * 300_000 + b"-->")
    answer(archive, ON_PAGE_TWO, status=200, file="pages/big.html", headers={"Content-Type": "text/html; charset=gbk"})


def serve_list_two(archive, html):
    (archive / "pages" / "list_two.html").write_text(html, encoding="utf-8")
    answer(archive, LIST_TWO, status=200, file="pages/list_two.html", headers=HTML)


def robots_forbid(archive):
    (archive / "pages" / "forbid.txt").write_text("User-agent: *\nDisallow: /a/guoneixinwen/hubeixinwen/2020/0325/\n")
    answer(archive, "http://www.whrx.net/robots.txt", status=200, file="pages/forbid.txt",
           headers={"Content-Type": "text/plain"})


def network(**failure):
    return lambda archive: answer(archive, ON_PAGE_TWO, **failure)


#: case: (how the page breaks, its reason, how often the page is requested while broken)
ARTICLE_CASES = {
    "20 redirects": (lambda a: redirect_chain(a, 25), "redirect_limit", 1),
    "redirect to another host": (redirect_offsite, "offsite", 1),
    "body over the size cap": (oversized, "size_cap", 1),
    "robots.txt forbids it": (robots_forbid, "robots", 0),
    # RETRY_TIMES=1: the first try and one retry.
    "connection reset": (network(network="reset"), "connection_lost", 2),
    "no answer past the timeout": (network(network="hang", seconds=3), "timeout", 2),
    "body cut short": (network(network="truncate"), "data_loss", 2),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(ARTICLE_CASES))
def test_an_article_page_that_does_not_answer_is_a_failure_fetched_again(tmp_path, archive, case):
    breaks, reason, tries = ARTICLE_CASES[case]
    breaks(archive)
    options = ("-s", "DOWNLOAD_MAXSIZE=100000", "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=1")
    with ArchiveProxy(archive) as proxy:
        first = crawl_through(proxy, tmp_path, *options, returncode=3)
        assert sorted(i["url"] for i in first.items) == sorted(set(article_urls("whrx")) - {ON_PAGE_TWO})
        assert proxy.requests[ON_PAGE_TWO] == tries
        assert first.stats["whrx"][f"failed/{reason}"] == 1 and "failed=1 blocked=0" in first.output
        assert f"whrx: article {ON_PAGE_TWO} failed ({reason}" in first.output
        assert [f[:2] for f in failures(tmp_path)] == [(ON_PAGE_TWO, reason)]
        repair(archive)
        second = crawl_through(proxy, tmp_path, *options)
        assert [i["url"] for i in second.items] == [ON_PAGE_TWO] and failures(tmp_path) == []
        assert crawl_through(proxy, tmp_path, *options).items == []



@pytest.mark.slow
def test_a_link_over_the_url_length_limit_is_a_failure_fetched_once_the_limit_allows_it(tmp_path, archive):
    page = archive / "pages" / "hubeixinwen_list_12_2.html"
    page.write_bytes(page.read_bytes().replace(b"/a/guoneixinwen/hubeixinwen/2020/0325/30815.html",
                                               LONG.removeprefix("http://www.whrx.net").encode()))
    answer(archive, LONG, status=200, file="pages/article_30815.html", headers={"Content-Type": "text/html; charset=gbk"})
    with ArchiveProxy(archive) as proxy:
        first = crawl_through(proxy, tmp_path, returncode=3)
        assert len(first.items) == 16 and first.stats["whrx"]["failed/url_length"] == 1
        assert "whrx: article " + LONG[:120] in first.output and "failed (url_length: over 2083 characters)" in first.output
        assert [f[:2] for f in failures(tmp_path)] == [(LONG, "url_length")]
        second = crawl_through(proxy, tmp_path, "-s", "URLLENGTH_LIMIT=4000")
        assert [i["url"] for i in second.items] == [LONG] and failures(tmp_path) == []


LIST_TWO_CASES = {
    "an empty 200": "<html><head><title>湖北新闻</title></head><body></body></html>",
    "a JS challenge": "<html><head><script>document.cookie='c=1';window.location.href='/?t=1'</script></head>"
                      "<body></body></html>",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(LIST_TWO_CASES))
def test_list_page_two_that_yields_no_links_is_a_failure_and_its_articles_come_later(tmp_path, archive, case):
    serve_list_two(archive, LIST_TWO_CASES[case])
    with ArchiveProxy(archive) as proxy:
        first = crawl_through(proxy, tmp_path, returncode=3)
        assert len(first.items) == 15 and first.stats["whrx"]["failed/empty_list"] == 1
        assert f"whrx: list {LIST_TWO} failed (empty_list: no article links)" in first.output
        repair(archive)
        second = crawl_through(proxy, tmp_path)  # list page 1 holds nothing new: paged on all the same
        assert len(second.items) == 2 and failures(tmp_path) == []
        assert sorted(i["url"] for i in first.items + second.items) == sorted(article_urls("whrx"))
        assert crawl_through(proxy, tmp_path).items == []


@pytest.mark.slow
def test_a_split_article_whose_later_page_answers_412_is_emitted_again_whole_once(tmp_path, archive):
    (archive / "pages" / "ruishu.html").write_text(
        '<html><head><meta id="aVeryLongRuishuIdentifier" content="K6fJRQ2ppWw1Ayg8PJbcPf9gQ6hUmCCNXi4lKS8dc1tYpVw">'
        '<script r="m">$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=1;</script></head><body></body></html>')
    answer(archive, SPLIT_TWO, status=412, file="pages/ruishu.html", headers=HTML)
    with ArchiveProxy(archive) as proxy:
        first = crawl_through(proxy, tmp_path, returncode=3)
        assert sorted(i["url"] for i in first.items) == sorted(article_urls("whrx"))
        cut = next(i for i in first.items if i["url"] == SPLIT)
        assert "pages_missing" in cut["flags"] and first.stats["whrx"]["failed/blocked:ruishu"] == 1
        assert f"whrx: article page {SPLIT_TWO} failed (blocked:ruishu); {SPLIT} emitted without it" in first.output
        assert [f[:2] for f in failures(tmp_path)] == [(SPLIT, "blocked:ruishu")]
        repair(archive)
        second = crawl_through(proxy, tmp_path)
        assert [i["url"] for i in second.items] == [SPLIT]
        whole = second.items[0]
        assert "pages_missing" not in whole["flags"] and len(whole["body"]) > len(cut["body"])
        assert failures(tmp_path) == [] and crawl_through(proxy, tmp_path).items == []


@pytest.mark.slow
def test_a_site_that_refuses_connections_leaves_its_start_page_failed_until_it_answers(tmp_path, archive):
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = crawlall(tmp_path, "-a", "portals=whrx", "-s", "RETRY_TIMES=0", replay=None,
                    env={"http_proxy": f"http://127.0.0.1:{closed}", "no_proxy": "", "NO_PROXY": ""}, returncode=3)
    assert down.items == [] and down.stats["whrx"]["failed/connection_refused"] == 1
    assert [f[:2] for f in failures(tmp_path)] == [(BASE.rstrip("/"), "connection_refused")]
    with ArchiveProxy(archive) as proxy:
        back = crawl_through(proxy, tmp_path)
        assert sorted(i["url"] for i in back.items) == sorted(article_urls("whrx")) and failures(tmp_path) == []
