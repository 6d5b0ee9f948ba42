"""Bounded paging over a real HTTP server on 127.0.0.1: pagination traps end by themselves."""

import re

from tests.crawling import crawlall
from tests.site import ROBOTS_ALLOW_ALL, Site, article_html, write_portal

HOST = "http://www.trap.gov.cn"


def trap_list(url: str, handler) -> tuple[int, dict, bytes]:
    """List page N of a trap: always a next page; /same/ lists always link the same three
    articles, /more/ lists one new article each."""
    kind, number = re.search(r"/(same|more)/list_(\d+)\.html$", url).groups()
    number = int(number)
    articles = range(1, 4) if kind == "same" else [number]
    links = "".join(f"<li><a href='/{kind}/a_{n}.html'>第{n}篇</a></li>" for n in articles)
    html = f"<html><body><ul>{links}</ul><a href='/{kind}/list_{number + 1}.html'>下一页</a></body></html>"
    return 200, {}, html.encode()


def trap_site() -> Site:
    def route(url, handler):
        if url.endswith("/robots.txt"):
            return ROBOTS_ALLOW_ALL(url, handler)
        if "/list_" in url:
            return trap_list(url, handler)
        number = re.search(r"a_(\d+)\.html$", url).group(1)
        return 200, {}, article_html(f"陷阱测试文章{number}").encode()
    return Site(fallback=route)


def crawl_trap(tmp_path, site: Site, kind: str, *args: str):
    portals = write_portal(tmp_path / "portals", "trap", "www.trap.gov.cn", rf"/{kind}/list_\d+\.html$",
                           rf"/{kind}/a_\d+\.html$", [f"{HOST}/{kind}/list_1.html"])
    return crawlall(tmp_path, "-a", "portals=trap", "-s", f"PORTALS_DIR={portals}", "-s", "AUTOTHROTTLE_ENABLED=False",
                    *args, replay=None, env=site.env, timeout=120)


def test_a_pager_that_repeats_its_articles_stops_at_the_first_repeat(tmp_path):
    with trap_site() as site:
        result = crawl_trap(tmp_path, site, "same")
    assert sorted(hit.url for hit in site.hits) == sorted([
        f"{HOST}/robots.txt", f"{HOST}/same/list_1.html", f"{HOST}/same/list_2.html",
        f"{HOST}/same/a_1.html", f"{HOST}/same/a_2.html", f"{HOST}/same/a_3.html"])
    assert sorted(item["title"] for item in result.items) == ["陷阱测试文章1", "陷阱测试文章2", "陷阱测试文章3"]
    stats = result.stats["trap"]
    assert stats["pagination/repeated"] == 1 and "pagination/capped" not in stats
    assert "list page http://www.trap.gov.cn/same/list_2.html links only articles linked before" in result.output


def test_a_pager_with_no_end_stops_at_max_list_pages(tmp_path):
    with trap_site() as site:
        result = crawl_trap(tmp_path, site, "more", "-s", "MAX_LIST_PAGES=5")
    lists = sorted(hit.url for hit in site.hits if "/list_" in hit.url)
    assert lists == [f"{HOST}/more/list_{n}.html" for n in range(1, 6)]
    assert len(site.hits) == 1 + 5 + 5  # robots.txt, five list pages, their five articles
    assert len(result.items) == 5
    stats = result.stats["trap"]
    assert stats["pagination/capped"] == 1 and "pagination/repeated" not in stats
    assert (f"5 list pages from {HOST}/more/list_1.html (MAX_LIST_PAGES); {HOST}/more/list_6.html not followed"
            in result.output)
