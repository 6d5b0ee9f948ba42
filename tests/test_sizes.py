"""Bounded work on what a page can hold: size caps over a real HTTP server on 127.0.0.1,
overlong bodies, deep nesting."""

import zlib

from govnews.extract import extract_page
from tests.crawling import crawlall
from tests.site import ROBOTS_ALLOW_ALL, Site, article_html, page, write_portal

HOST = "http://www.big.gov.cn"
LIST = f"{HOST}/news/list_1.html"
#: A crawl of a few small pages peaks well under this (about 100 MB); a page read whole
#: into memory (1 GB inflated, 30 MB parsed) goes far past it.
PEAK_MB = 400


def gzip_bomb(inflated: int) -> bytes:
    """``inflated`` bytes of spaces inside an HTML page, gzip-compressed (about 1/1000 the size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * (1 << 20)
    parts = [packer.compress(b"<html><body><div class='article'><h1>bomb</h1><div class='content'><p>")]
    parts += [packer.compress(chunk) for _ in range(inflated >> 20)]
    return b"".join([*parts, packer.compress(b"</p></div></div></body></html>"), packer.flush()])


def streamed(size: int):
    """A route sending ``size`` bytes of HTML with no Content-Length, then closing."""
    def route(url, handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        line = ("<p>" + "很长的一页" * 50 + "</p>\n").encode()
        for _ in range(size // len(line)):
            handler.wfile.write(line)
    return route


def crawl_site(tmp_path, routes: dict, *args: str, returncode: int = 0):
    articles = [url for url in routes if url.startswith(f"{HOST}/news/") and url != LIST]
    links = "".join(f"<li><a href='{url}'>{n}</a></li>" for n, url in enumerate(articles))
    site = Site(routes={f"{HOST}/robots.txt": ROBOTS_ALLOW_ALL, LIST: page(f"<ul>{links}</ul>"), **routes})
    portals = write_portal(tmp_path / "portals", "big", "www.big.gov.cn", r"/news/list_\d+\.html$",
                           r"/news/\w+\.html$", [LIST])
    with site:
        result = crawlall(tmp_path, "-a", "portals=big", "-s", f"PORTALS_DIR={portals}",
                          "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "MEMUSAGE_CHECK_INTERVAL_SECONDS=0.2",
                          *args, replay=None, env=site.env, timeout=120, returncode=returncode)
    return site, result


def test_a_gzip_bomb_is_cut_while_it_inflates(tmp_path):
    bomb = gzip_bomb(1 << 30)
    assert len(bomb) < 2 << 20
    site, result = crawl_site(tmp_path, {
        f"{HOST}/news/bomb.html": page(bomb, Content_Encoding="gzip"),
        f"{HOST}/news/fine.html": page(article_html("正常的文章")),
    }, returncode=3)
    assert [item["title"] for item in result.items] == ["正常的文章"]
    assert site.requested(f"{HOST}/news/bomb.html") == 1
    stats = result.stats["big"]
    assert stats["failed/ignored"] == 1
    assert stats["memusage/max"] < PEAK_MB * 2**20
    assert f"exceeded DOWNLOAD_MAXSIZE ({16 << 20} B) during decompression" in result.output


def test_a_30_mb_page_is_cut_off_as_it_arrives(tmp_path):
    site, result = crawl_site(tmp_path, {
        f"{HOST}/news/huge.html": streamed(30 << 20),
        f"{HOST}/news/fine.html": page(article_html("正常的文章")),
    }, returncode=3)
    assert [item["title"] for item in result.items] == ["正常的文章"]
    stats = result.stats["big"]
    assert stats["failed/size_cap"] == 1
    assert stats["memusage/max"] < PEAK_MB * 2**20
    assert f"larger than download max size ({16 << 20})" in result.output


def test_an_overlong_body_is_cut_at_a_paragraph_and_flagged(tmp_path):
    paragraph = "这是一段很长的正文，用来测试正文长度的上限，每一段都一样长。" * 10  # 300 characters
    html = article_html("超长的文章").replace("<div class='content'>", "<div class='content'>" + f"<p>{paragraph}</p>" * 10_000)
    assert 8 << 20 < len(html.encode()) < 16 << 20
    site, result = crawl_site(tmp_path, {f"{HOST}/news/long.html": page(html)})
    [item] = result.items
    assert item["flags"] == ["body_cut"]
    paragraphs = item["body"].split("\n\n")
    # 662 whole paragraphs of 300 characters and their breaks; full-width commas folded (FOLD_WIDTH)
    assert paragraphs == [paragraph.replace("，", ",")] * (200_000 // 302)
    assert result.stats["big"]["bodysize/cut"] == 1
    assert result.stats["big"]["memusage/max"] < 2 * PEAK_MB * 2**20
    # 10,000 paragraphs of 300 and the page's own three of 61, with their breaks
    assert ("body of http://www.big.gov.cn/news/long.html is 3020187 characters; cut to 199922 (MAX_BODY_CHARS)"
            in result.output)


def test_deeply_nested_bodies_come_out_whole():
    paragraphs = [f"第{n}段深层嵌套的正文依然完整、每一段都要读到、一个字也不能少。" for n in range(1, 4)]
    nested = "<div>" * 400 + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>" * 400
    html = article_html("嵌套很深的文章").replace("<div class='content'>", "<div class='content'>" + nested)
    item = extract_page(html.encode(), "http://www.example.gov.cn/a/1.html")
    assert item.body.split("\n\n")[:3] == paragraphs
