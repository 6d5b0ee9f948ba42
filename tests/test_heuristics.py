"""The generic finders stand in for a portal's selectors when a site changes its markup.

Every saved article of every archive is extracted twice: with its portal's selectors, and
with a copy of the portal file whose ``[selectors]`` table is gone. Both must give the
same item, so a redesign that breaks the selectors does not break the crawl.
"""

import re
import shutil

import pytest
from parsel import Selector

from govnews.extract import extract_file, item_from_page, make_crawler
from portals import available_portals
from spiders import heuristics
from tests.archives import FIXTURES, seed_entry
from tests.crawling import ROOT
from tests.expected import article_entries

FIELDS = ("title", "subtitle", "breadcrumb", "source", "author", "editor", "published_at", "date_precision",
          "body", "images", "tags", "script", "flags")


@pytest.fixture(scope="module")
def bare_portals(tmp_path_factory):
    """Portal files without selectors (list/article URL patterns and the rest kept)."""
    folder = tmp_path_factory.mktemp("bare_portals")
    for name in available_portals():
        toml = (ROOT / "portals" / f"{name}.toml").read_text(encoding="utf-8")
        (folder / f"{name}.toml").write_text(re.sub(r"\n\[selectors\].*?(?=\n\[|\Z)", "\n", toml, flags=re.S),
                                             encoding="utf-8")
        shutil.copy(ROOT / "seeds" / f"{name}.txt", folder / f"{name}.txt")
    return folder


SAVED_ARTICLES = [pytest.param(portal, entry, id=f"{portal}:{entry['file']}")
                  for portal in available_portals() for entry in article_entries(portal)]


@pytest.mark.parametrize("portal, entry", SAVED_ARTICLES)
def test_generic_finders_give_the_item_the_selectors_give(portal, entry, bare_portals):
    page = FIXTURES / portal / entry["file"]
    configured = extract_file(page, portal, entry["url"])
    generic = extract_file(page, portal, entry["url"], {"PORTALS_DIR": str(bare_portals)})
    for name in FIELDS:
        assert getattr(generic, name) == getattr(configured, name), name


def test_a_fallback_is_counted(bare_portals):
    crawler = make_crawler("whrx", {"PORTALS_DIR": str(bare_portals)})
    entry = seed_entry("whrx")
    item_from_page(crawler, entry["url"], (FIXTURES / "whrx" / entry["file"]).read_bytes())
    stats = crawler.stats.get_stats()
    assert {k: v for k, v in stats.items() if k.startswith("extract/fallback/")} == {
        "extract/fallback/body": 1, "extract/fallback/title": 1, "extract/fallback/meta": 1,
        "extract/fallback/breadcrumb": 1, "extract/fallback/tags": 1}


PAGE = """<html><head><title>市委会召开专题会议部署工作-民进某市委会</title>
<meta name="PubDate" content="2022-09-16 08:35"></head><body>
<div class="header"><h1 class="logo"><a href="/"><img src="logo.png" alt="民进某市委会"></a></h1>
<ul class="nav"><li><a href="/news/">新闻浏览</a></li></ul></div>
<div class="main"><div class="side"><h2>市委会要闻</h2></div>
<div class="crumbs">您的位置：<a href="/">首页</a> &gt; <a href="/news/">新闻浏览</a></div>
<h2 class="art-title">市委会召开专题<span>会议</span>部署工作</h2>
<div class="info"><span>来源：市委会办公室</span> | <span>时间：2022-09-16</span></div>
<div class="text">第一段正文，市委会召开专题会议，研究部署下一阶段的重点工作任务。<br>
第二段正文，会议要求各级组织认真贯彻落实，确保各项工作取得实效。<br></div>
<p class="editor">责任编辑：朱某</p>
<div class="keywords">关键词：<a href="/t/1">专题会议</a> <a href="/t/2">部署</a></div>
<div class="footer">Copyright 民进某市委会 地址：某市某路1号</div></body></html>"""


def test_generic_finders_on_a_page_of_unknown_markup():
    page = Selector(text=PAGE)
    body = heuristics.find_body(page)
    assert body.attrib["class"] == "text"  # paragraphs split by <br> in one div
    assert heuristics.find_title(page, body) == "市委会召开专题会议部署工作"  # not the logo, not the sidebar
    assert heuristics.find_meta(page, body) == "来源：市委会办公室 | 时间：2022-09-16"
    assert heuristics.find_breadcrumb(page) == "您的位置： 首页 > 新闻浏览"
    assert heuristics.find_head_date(page) == "2022-09-16 08:35"
    assert heuristics.find_footer_lines(page, body) == ["责任编辑：朱某"]
    assert heuristics.find_tags(page) == ["专题会议", "部署"]
    assert heuristics.find_subtitle(page, "市委会召开专题会议部署工作", body) is None  # the meta line comes next


def test_a_subtitle_is_the_short_heading_between_headline_and_meta_line():
    page = Selector(text=PAGE.replace('<div class="info">', '<h4>——记某某社区的志愿者们</h4><div class="info">'))
    body = heuristics.find_body(page)
    assert heuristics.find_subtitle(page, "市委会召开专题会议部署工作", body) == "——记某某社区的志愿者们"


def test_generic_finders_never_raise_on_empty_or_broken_pages():
    for text in ("<html></html>", "<p>只有一句", "<html><body><a>链接</a></body></html>", "\x00<<<"):
        page = Selector(text=text)
        body = heuristics.find_body(page)
        heuristics.find_title(page, body)
        heuristics.find_meta(page, body)
        heuristics.find_breadcrumb(page)
        heuristics.find_footer_lines(page, body)
        assert heuristics.find_tags(page) == []


MIRROR_PAGE = """<html><head><title>2026年四川省地方志工作會(huì)議在成都召開(kāi)_四川新聞網(wǎng)</title></head><body>
<div class="top"><a href="/">四川新聞網(wǎng)</a></div>
<div class="dq">當(dāng)前位置:<a href="/">首頁(yè)</a> &gt; <a href="/scxw/">中新網(wǎng)四川</a></div>
<div class="wz"><h1>2026年四川省地方志工作會(huì)議在成都召開(kāi)</h1>
<div class="xx">2026年01月29日 11:12 來(lái)源:中新網(wǎng)四川 編輯:韓金雨</div>
<div class="nr"><p>中新網(wǎng)四川新聞1月29日電 會(huì)議傳達(dá)學(xué)習(xí)全國地方志系統(tǒng)學(xué)習(xí)貫徹精神。</p>
<p>志鑒編纂主業(yè)深耕細(xì)作,扎實(shí)推進(jìn)各項(xiàng)重點(diǎn)工作任務(wù)落實(shí)落細(xì)。</p></div></div>
</body></html>"""


def test_generic_finders_read_a_mirror_through_its_pinyin_annotations():
    page = Selector(text=MIRROR_PAGE)
    body = heuristics.find_body(page)
    assert body.attrib["class"] == "nr"
    assert heuristics.find_title(page, body) == "2026年四川省地方志工作會(huì)議在成都召開(kāi)"
    assert heuristics.find_meta(page, body) == "2026年01月29日 11:12 來(lái)源:中新網(wǎng)四川 編輯:韓金雨"
    assert heuristics.find_breadcrumb(page) == "當(dāng)前位置: 首頁(yè) > 中新網(wǎng)四川"


def test_an_article_header_is_not_site_chrome_and_a_lone_dash_parts_the_window_title():
    page = Selector(text="<html><head><title>兰州市召开防汛会议—兰州市人民政府网站</title></head><body>"
                         "<div class='gov-header'><h1 class='gov-sitename'>兰州市人民政府门户网站</h1></div>"
                         "<div class='article-header'><h1>兰州市召开防汛工作会议</h1></div>"
                         "<div class='text'><p>会议要求,各区县压紧压实防汛责任,做好汛期各项准备工作。</p></div></body></html>")
    assert heuristics.find_title(page, heuristics.find_body(page)) == "兰州市召开防汛工作会议"
    window_only = Selector(text="<html><head><title>兰州市召开2023年防汛工作会议—兰州市人民政府网站</title></head>"
                                "<body><p>会议要求,各区县压紧压实防汛责任,做好汛期各项准备工作。</p></body></html>")
    assert heuristics.find_title(window_only) == "兰州市召开2023年防汛工作会议"


@pytest.mark.parametrize("meta_title, title", [
    ("《乡村影人》5月20日起播出_华语_电影网_example.com", "《乡村影人》5月20日起播出"),  # site names after _
    ("全省地理教育研讨会举行--某省地理学会官网", "全省地理教育研讨会举行"),
    ("中国-东盟博览会开幕", "中国-东盟博览会开幕"),  # a lone - is the headline's own
    ("专访某某 | 初代“霸道总裁”变了吗", "专访某某 | 初代“霸道总裁”变了吗"),  # so is a |
    ("关于调整2023　年市级预算的决议", "关于调整2023年市级预算的决议"),  # padding between a number and its unit
])
def test_a_head_meta_title_loses_its_site_name_and_padding(meta_title, title):
    page = Selector(text=f"<html><head><meta property='og:title' content='{meta_title}'></head>"
                         "<body><p>会议要求,各区县压紧压实防汛责任,做好汛期各项准备工作。</p></body></html>")
    assert heuristics.find_title(page) == title


@pytest.mark.parametrize("note_class", ["copyright", "news-copyright", "banquan_box", "disclaimer"])
def test_a_copyright_note_longer_than_a_short_article_is_not_its_body(note_class):
    """A two-paragraph story whose container also holds the site's 版权声明: the note's one
    long paragraph outweighed the story's two, and the body came out as the note."""
    note = "凡本网注明来源为本网的稿件，均为本网独家版权所有，未经许可不得转载或镜像；授权转载必须注明来源，并保留本网电头。如本网转载稿涉及版权等问题，请作者在两周内速来电或来函与本网联系；本网所载文字、图片等内容，仅供个人学习研究使用，任何单位和个人不得用于商业用途，违者本网将依法追究其法律责任。"
    page = Selector(text=(
        "<html><body><div class='main'><h1>黄河风情线迎来国庆游客</h1><div class='content'>"
        "<p>国庆假期临近，黄河风情线沿线挂起了红灯笼和国旗，景点装扮一新。</p>"
        "<p>不少市民和游客来到黄河岸边散步拍照，感受金秋美景。</p>"
        f"<div class='{note_class}'><p><strong>版权声明：</strong></p><p>{note}</p></div>"
        "</div></div></body></html>"))
    body = heuristics.find_body(page)
    assert body is not None and body.root.get("class") == "content"
