"""CMS families are recognised from a page's generator tag, assets, markup and URL shape;
a portal file naming its family gets that family's selectors under its own."""

import json
from pathlib import Path

import pytest

from govnews.cms import FAMILIES, detect
from govnews.extract import extract_file, item_from_page, make_crawler
from pipelines.validate import InvalidArticle
from portals import PortalError, load_portal
from portals.loader import _check_selector

SCHEMA = json.loads((Path(__file__).parent.parent / "govnews" / "article.schema.json").read_text())


def page(head: str = "", body: str = "") -> str:
    return f"<html><head><meta charset='utf-8'><title>t</title>{head}</head><body>{body}</body></html>"


# One small page per family, each carrying the signs a real page of that family shows.
FAMILY_PAGES = {
    "trs": ("http://www.example.gov.cn/zwgk/202004/t20200417_123.html",
            page(body="<div class='TRS_Editor'><p>正文。</p></div>")),
    "trs_list": ("http://www.example.gov.cn/zwgk/index.html",
                 page(body="<a href='./202004/t20200417_123.html'>a</a>"
                           "<script>createPageHTML(5, 0, 'index', 'html');</script>")),
    "hanweb": ("http://www.example.gov.cn/art/2020/4/17/art_12_34.html",
               page(body="<div id='zoom'><p>正文。</p></div>")),
    "hanweb_list": ("http://www.example.gov.cn/col/col12/index.html",
                    page(body="<script src='/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&columnid=12'></script>")),
    "ucap": ("https://www.example.gov.cn/xinwen/2020-04/17/content_5503456.htm",
             page(body="<div class='pages_content' id='UCAP-CONTENT'><p>正文。</p></div>")),
    "founder": ("http://www.example.com.cn/html/2020-04/17/content_123.htm",
                page(body="<!--enpproperty <articleid>123</articleid>/enpproperty--><div id='ozoom'><p>正文。</p></div>")),
    "founder_list": ("http://www.example.com.cn/html/2020-04/17/node_2.htm",
                     page(body="<a href='content_123.htm'>a</a>")),
    "dedecms": ("http://www.example.net/a/news/2020/0417/123.html",
                page("<script src='/include/dedeajax2.js'></script>", "<div class='dede_pages'></div>")),
    "phpcms": ("https://www.example.org/news/123.html",
               page("<meta name='generator' content='PHPCMS V9'>", "<div id='Article'></div>")),
    "phpcms_assets": ("https://www.example.org/news/123.html",
                      page("<link href='/statics/css/reset.css'>",
                           "<script src='/api.php?op=count&amp;id=1&amp;modelid=1'></script>")),
    "empirecms": ("http://www.example.cn/sx/2023/0308/201.html",
                  page(body="<form action='/e/search/index.php'></form><a href='/e/public/ClickNews?id=1'>x</a>")),
    "wordpress": ("https://blog.example.org/?p=12",
                  page("<meta name='generator' content='WordPress 6.4.2'>"
                       "<link rel='stylesheet' href='/wp-content/themes/t/style.css'>")),
}


@pytest.mark.parametrize("case", sorted(FAMILY_PAGES))
def test_each_family_is_recognised_from_a_page_of_it(case):
    url, html = FAMILY_PAGES[case]
    assert detect(html, url) == case.split("_")[0]


@pytest.mark.parametrize("url, html", [
    ("https://a.gov.cn/news/1.html", page(body="<p>正文。</p>")),
    # content_123.htm is the shape of gov.cn's platform and of Founder's: alone it names neither.
    ("https://a.gov.cn/xinwen/2020-04/17/content_123.htm", page(body="<p>正文。</p>")),
    # A sentence about a CMS is no sign of one.
    ("https://a.gov.cn/news/1.html", page(body="<p>我们比较了 WordPress 和 DedeCMS。</p>")),
])
def test_a_page_with_no_sure_sign_names_no_family(url, html):
    assert detect(html, url) is None


def test_the_schema_lists_every_family():
    assert SCHEMA["properties"]["cms"]["enum"] == [*FAMILIES, None]


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_family_selector_is_valid(name):
    for key, selector in FAMILIES[name].selectors.items():
        _check_selector(selector, key, ValueError)


PORTAL = '''name = "wp"
title = "x"
template = "city_news"
hosts = ["blog.example.org"]
cms = "wordpress"
[urls]
list = ['/category/']
article = ['/\\d{4}/\\d{2}/[a-z-]+/$']
'''

WORDPRESS_ARTICLE = page(
    "<meta name='generator' content='WordPress 6.4.2'>",
    "<div class='sidebar'><p>这是一段足够长的侧栏文字，它不是文章，但比文章的段落还要长得多，"
    "长到通用的正文查找会把它当作正文来读，所以只有家族的选择器能够选对正文的位置。</p></div>"
    "<article><h1 class='entry-title'>市政府召开常务会议</h1><div class='entry-meta'>发布时间：2024-03-05 10:20</div>"
    "<div class='entry-content'><p>会议研究部署了近期重点工作。</p></div></article>")


def portal_dir(tmp_path, toml=PORTAL):
    (tmp_path / "wp.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "wp.txt").write_text("https://blog.example.org/category/news/\n", encoding="utf-8")
    (tmp_path / "a.html").write_text(WORDPRESS_ARTICLE, encoding="utf-8")
    return {"PORTALS_DIR": str(tmp_path), "SEEDS_DIR": str(tmp_path)}


URL = "https://blog.example.org/2024/03/meeting/"


def test_a_portal_naming_its_family_reads_pages_with_the_family_selectors(tmp_path):
    item = extract_file(tmp_path / "a.html", "wp", URL, portal_dir(tmp_path))
    assert (item.cms, item.title, item.body, item.published_at) == (
        "wordpress", "市政府召开常务会议", "会议研究部署了近期重点工作。", "2024-03-05T10:20:00+08:00")


def test_the_portal_file_s_own_selectors_win_over_its_family_s(tmp_path):
    settings = portal_dir(tmp_path, PORTAL + '[selectors]\nbody = "div.sidebar"\n')
    assert make_crawler("wp", settings).spider.selectors["title"] == FAMILIES["wordpress"].selectors["title"]
    item = extract_file(tmp_path / "a.html", "wp", URL, settings)
    assert item.body.startswith("这是一段足够长的侧栏文字")


def test_without_the_family_s_selectors_this_page_has_no_body(tmp_path):
    """The page still shows WordPress, but detection names the family only: selectors come
    from what the portal file says."""
    settings = portal_dir(tmp_path, PORTAL.replace('cms = "wordpress"\n', ""))
    with pytest.raises(InvalidArticle, match="no_body"):
        extract_file(tmp_path / "a.html", "wp", URL, settings)


def test_the_family_a_page_shows_is_counted(tmp_path):
    crawler = make_crawler("wp", portal_dir(tmp_path))
    item_from_page(crawler, URL, WORDPRESS_ARTICLE.encode())
    item_from_page(crawler, "https://blog.example.org/2024/03/other/", page(body="<p>x</p>").encode())
    # The second page shows no sign: it is taken to run on the family its portal file names.
    assert crawler.stats.get_value("cms/wordpress") == 2


def test_a_portal_naming_an_unknown_family_is_refused(tmp_path):
    portal_dir(tmp_path, PORTAL.replace('cms = "wordpress"', 'cms = "joomla"'))
    with pytest.raises(PortalError, match="cms must be one of"):
        load_portal("wp", tmp_path, tmp_path)
