"""List adapters by CMS family (spiders/lists/), each over a saved archive of its own
(tests/lists/<family>/, portal files in tests/lists/portals/): replayed through ``scrapy
crawlall`` and served live over a loopback proxy, with exact articles and request counts;
failures, bounded paging and the incremental stop apply to API-driven lists as to pages."""

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st
from parsel import Selector
from scrapy.http import HtmlResponse, Request

from govnews.extract import make_crawler
from govnews.urls import canonical_url
from portals import PortalError, load_portal
from spiders.lists import DedeList, HanwebList, JsonList, TrsList, trs_pager
from tests.crawling import crawlall
from tests.loopback import ArchiveProxy
from tests.test_failures import failures

LISTS = Path(__file__).resolve().parent / "lists"
PORTALS = LISTS / "portals"
TRS, HANWEB, DEDE, JSON_API = ("http://dfz.trs.example.gov.cn", "http://www.hanweb.example.gov.cn",
                               "http://www.dede.example.cn", "http://www.json.example.gov.cn")
PROXY = HANWEB + "/module/web/jpage/dataproxy.jsp"
HANWEB_QUERY = ("col=1&appid=1&webid=1&path=/&columnid=12&sourceContentType=1&unitid=4045469"
                "&webname=%E6%9F%90%E6%9F%90%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0")
JSON_PAGE = JSON_API + "/api/cms/article/list?channelId=7&pageSize=3&pageNo="

ARTICLES = {
    "trs_dfz": [f"{TRS}/gzdt/{path}" for path in (
        "202004/t20200417_1234.html", "202004/t20200410_1229.html", "202003/t20200327_1201.html",
        "202003/t20200318_1188.html", "202003/t20200305_1170.html", "202002/t20200226_1152.html")],
    "hanweb_gov": [f"{HANWEB}/art/2020/4/{day}/art_12_{number}.html" for day, number in (
        (17, 3401), (16, 3398), (14, 3390), (10, 3377), (8, 3362), (3, 3341), (1, 3330))],
    "dede_news": [f"{DEDE}/a/tzgg/2021/{path}" for path in (
        "0618/5120.html", "0611/5103.html", "0528/5077.html", "0520/5060.html", "0507/5041.html")],
    "json_news": [f"{JSON_API}/xwzx/2024/05/{number}.html" for number in (1046, 1041, 1035, 1027, 1019)],
}
#: The list requests of each portal, in paging order.
LIST_PAGES = {
    "trs_dfz": [f"{TRS}/gzdt/index.html", f"{TRS}/gzdt/index_1.html", f"{TRS}/gzdt/index_2.html"],
    "hanweb_gov": [f"{HANWEB}/col/col12/index.html",
                   f"{PROXY}?startrecord=4&endrecord=6&perpage=3&{HANWEB_QUERY}",
                   f"{PROXY}?startrecord=7&endrecord=9&perpage=3&{HANWEB_QUERY}"],
    "dede_news": [f"{DEDE}/a/tzgg/", f"{DEDE}/a/tzgg/list_5_2.html", f"{DEDE}/a/tzgg/list_5_3.html"],
    "json_news": [f"{JSON_PAGE}1", f"{JSON_PAGE}2"],
}
FOLDERS = {"trs_dfz": "trs", "hanweb_gov": "hanweb", "dede_news": "dedecms", "json_news": "json"}
#: The stat each adapter counts its list pages (or API requests) by.
ADAPTER_STATS = {"trs_dfz": ("lists/trs/pager", 3), "hanweb_gov": ("lists/hanweb/requests", 2),
                 "dede_news": ("lists/dedecms/pager", 3), "json_news": ("lists/json/requests", 1)}


def crawl_lists(workdir: Path, portals: str, *args: str, portals_dir: Path = PORTALS, **kwargs):
    return crawlall(workdir, "-a", f"portals={portals}", "-s", f"PORTALS_DIR={portals_dir}",
                    "-s", "AUTOTHROTTLE_ENABLED=False", *args, **kwargs)


def live(proxy: ArchiveProxy, workdir: Path, portal: str, *args: str, **kwargs):
    env = {"http_proxy": proxy.url, "no_proxy": "", "NO_PROXY": ""}
    return crawl_lists(workdir, portal, "-s", "DOWNLOAD_DELAY=0", *args, env=env, replay=None, **kwargs)


def copy_archive(tmp_path: Path, portal: str) -> Path:
    folder = tmp_path / "archive" / FOLDERS[portal]
    shutil.copytree(LISTS / FOLDERS[portal], folder)
    return folder


def serve(archive: Path, url: str, file: str, text: str, content_type: str) -> None:
    """Make ``archive`` answer ``url`` with ``text`` (a new file) instead."""
    (archive / "pages" / file).write_text(text, encoding="utf-8")
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    manifest["responses"] = [r for r in manifest["responses"] if r["url"] != url] + [
        {"url": url, "file": f"pages/{file}", "status": 200, "headers": {"Content-Type": content_type}}]
    (archive / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def lists_requested(proxy: ArchiveProxy) -> list[str]:
    """The list pages (and list API answers) ``proxy`` was asked for, in order."""
    articles = {url for urls in ARTICLES.values() for url in urls}
    return [url for url in proxy.requests if url not in articles and not url.endswith("/robots.txt")]


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    return crawl_lists(tmp_path_factory.mktemp("lists"), ",".join(ARTICLES), replay=str(LISTS))


@pytest.mark.parametrize("portal", list(ARTICLES))
def test_a_replayed_crawl_pages_each_familys_lists_and_emits_every_article_once(replayed, portal):
    urls = [item["url"] for item in replayed.items if item["portal"] == portal]
    assert sorted(urls) == sorted(ARTICLES[portal])
    stats = replayed.stats[portal]
    # robots.txt, every list page (or API answer) and every article, each once; nothing else
    assert stats["downloader/request_count"] == 1 + len(LIST_PAGES[portal]) + len(ARTICLES[portal])
    assert stats["replay/hit"] == stats["downloader/request_count"] and stats.get("replay/miss", 0) == 0
    stat, count = ADAPTER_STATS[portal]
    assert stats[stat] == count
    assert stats.get("failed/count", 0) == 0 and stats.get("log_count/ERROR", 0) == 0
    assert f"{portal}: pages={stats['downloader/request_count']} articles={len(ARTICLES[portal])} dropped=0" \
        " failed=0" in replayed.output


def test_replayed_items_carry_their_family_title_and_date(replayed):
    item = next(i for i in replayed.items if i["url"] == ARTICLES["hanweb_gov"][0])
    assert (item["cms"], item["title"], item["published_at"]) == (
        "hanweb", "市政府召开常务会议研究部署民生工作", "2020-04-17T10:00:00+08:00")
    item = next(i for i in replayed.items if i["url"] == ARTICLES["trs_dfz"][0])
    assert (item["cms"], item["title"], item["published_at"]) == (
        "trs", "省地方志办公室召开2020年工作部署会", "2020-04-17T09:30:00+08:00")


@pytest.mark.slow
@pytest.mark.parametrize("portal", list(ARTICLES))
def test_a_live_crawl_requests_each_list_page_and_article_once(tmp_path, portal):
    with ArchiveProxy(copy_archive(tmp_path, portal)) as proxy:
        result = live(proxy, tmp_path, portal)
    assert sorted(item["url"] for item in result.items) == sorted(ARTICLES[portal])
    robots = "/".join(LIST_PAGES[portal][0].split("/")[:3]) + "/robots.txt"
    assert lists_requested(proxy) == LIST_PAGES[portal]
    assert sorted(proxy.requests) == sorted([robots, *LIST_PAGES[portal], *ARTICLES[portal]])
    assert set(proxy.requests.values()) == {1}
    assert f"{HANWEB}/col/col12/index_1.html" not in proxy.requests


@pytest.mark.slow
def test_a_dataproxy_answer_with_no_records_is_an_empty_list_fetched_again(tmp_path):
    archive = copy_archive(tmp_path, "hanweb_gov")
    second_group = LIST_PAGES["hanweb_gov"][1]
    serve(archive, second_group, "empty.xml", "<?xml version='1.0' encoding='UTF-8'?><datastore><recordset>"
          "</recordset><totalrecord>7</totalrecord></datastore>", "text/xml; charset=UTF-8")
    with ArchiveProxy(archive) as proxy:
        first = live(proxy, tmp_path, "hanweb_gov", returncode=3)
        assert sorted(i["url"] for i in first.items) == sorted(ARTICLES["hanweb_gov"][:3])
        assert first.stats["hanweb_gov"]["failed/empty_list"] == 1
        assert f"hanweb_gov: list {second_group} failed (empty_list: no article links)" in first.output
        portal = load_portal("hanweb_gov", PORTALS, PORTALS)  # the state keeps canonical URLs
        assert [f[:2] for f in failures(tmp_path)] == [(canonical_url(second_group, portal.hosts, "http"), "empty_list")]
        shutil.copy(LISTS / "hanweb" / "manifest.json", archive / "manifest.json")
        second = live(proxy, tmp_path, "hanweb_gov")  # nothing new on the column page: paged on all the same
        assert sorted(i["url"] for i in second.items) == sorted(ARTICLES["hanweb_gov"][3:])
        assert failures(tmp_path) == []
        proxy.requests.clear()
        third = live(proxy, tmp_path, "hanweb_gov")
    assert third.items == [] and third.stats["hanweb_gov"]["incremental/stopped"] == 1
    assert sorted(proxy.requests) == [f"{HANWEB}/col/col12/index.html", f"{HANWEB}/robots.txt"]


@pytest.mark.slow
def test_list_api_paging_stops_at_max_list_pages(tmp_path):
    with ArchiveProxy(copy_archive(tmp_path, "hanweb_gov")) as proxy:
        result = live(proxy, tmp_path, "hanweb_gov", "-s", "MAX_LIST_PAGES=2")
    assert lists_requested(proxy) == LIST_PAGES["hanweb_gov"][:2]
    assert sorted(i["url"] for i in result.items) == sorted(ARTICLES["hanweb_gov"][:6])
    assert result.stats["hanweb_gov"]["pagination/capped"] == 1


def json_portal_without_total(tmp_path: Path) -> Path:
    folder = tmp_path / "portals"
    folder.mkdir()
    text = (PORTALS / "json_news.toml").read_text(encoding="utf-8").replace('total = "data.total"\n', "")
    (folder / "json_news.toml").write_text(text, encoding="utf-8")
    shutil.copy(PORTALS / "json_news.txt", folder)
    return folder


@pytest.mark.slow
def test_a_json_api_without_a_total_ends_at_its_first_page_with_no_entries_and_stops_when_nothing_is_new(tmp_path):
    portals = json_portal_without_total(tmp_path)
    archive = copy_archive(tmp_path, "json_news")
    serve(archive, f"{JSON_PAGE}3", "list_3.json", '{"code": 200, "data": {"list": []}}', "application/json")
    with ArchiveProxy(archive) as proxy:
        first = live(proxy, tmp_path, "json_news", portals_dir=portals)
        assert sorted(i["url"] for i in first.items) == sorted(ARTICLES["json_news"])
        assert lists_requested(proxy) == [f"{JSON_PAGE}1", f"{JSON_PAGE}2", f"{JSON_PAGE}3"]
        assert first.stats["json_news"].get("failed/count", 0) == 0 and failures(tmp_path) == []
        proxy.requests.clear()
        second = live(proxy, tmp_path, "json_news", portals_dir=portals)
    assert second.items == [] and second.stats["json_news"]["incremental/stopped"] == 1
    assert lists_requested(proxy) == [f"{JSON_PAGE}1"]


@pytest.mark.slow
def test_a_json_api_that_ignores_the_page_number_stops_at_the_first_repeat(tmp_path):
    portals = json_portal_without_total(tmp_path)
    archive = copy_archive(tmp_path, "json_news")
    first_page = (archive / "pages" / "list_1.json").read_text(encoding="utf-8")
    for number in (2, 3):
        serve(archive, f"{JSON_PAGE}{number}", f"same_{number}.json", first_page, "application/json")
    with ArchiveProxy(archive) as proxy:
        result = live(proxy, tmp_path, "json_news", portals_dir=portals)
    assert lists_requested(proxy) == [f"{JSON_PAGE}1", f"{JSON_PAGE}2"]
    assert sorted(i["url"] for i in result.items) == sorted(ARTICLES["json_news"][:3])
    assert result.stats["json_news"]["pagination/repeated"] == 1


@pytest.mark.slow
def test_a_json_api_answer_that_is_not_json_is_an_empty_list(tmp_path):
    archive = copy_archive(tmp_path, "json_news")
    serve(archive, f"{JSON_PAGE}1", "waf.html", "<html><body>系统繁忙，请稍后再试</body></html>", "text/html")
    with ArchiveProxy(archive) as proxy:
        result = live(proxy, tmp_path, "json_news", returncode=3)
    assert result.items == [] and lists_requested(proxy) == [f"{JSON_PAGE}1"]
    assert f"json_news: list API answer {JSON_PAGE}1 is not JSON" in result.output
    assert result.stats["json_news"]["failed/empty_list"] == 1


@pytest.mark.slow
def test_a_json_api_page_whose_entries_link_no_article_is_an_empty_list_and_paging_goes_on(tmp_path):
    archive = copy_archive(tmp_path, "json_news")
    page = (archive / "pages" / "list_1.json").read_text(encoding="utf-8").replace('"/xwzx/', '"/xwzx/zt/')
    serve(archive, f"{JSON_PAGE}1", "moved.json", page, "application/json")
    with ArchiveProxy(archive) as proxy:
        result = live(proxy, tmp_path, "json_news", returncode=3)
    assert lists_requested(proxy) == LIST_PAGES["json_news"]
    assert sorted(i["url"] for i in result.items) == sorted(ARTICLES["json_news"][3:])
    assert result.stats["json_news"]["failed/empty_list"] == 1


# --- adapters chosen by portal file, and their keys -----------------------------------


def test_the_adapter_is_the_list_tables_else_the_cms_familys_else_links():
    assert type(make_crawler("whrx").spider.list_adapter) is DedeList  # [list] adapter = "dedecms"
    assert type(make_crawler("cqmjsw").spider.list_adapter).__name__ == "LinkList"
    settings = {"PORTALS_DIR": str(PORTALS), "SEEDS_DIR": str(PORTALS)}
    kinds = {name: type(make_crawler(name, settings).spider.list_adapter) for name in ARTICLES}
    assert kinds == {"trs_dfz": TrsList, "hanweb_gov": HanwebList, "dede_news": DedeList, "json_news": JsonList}


def test_whrx_pages_through_the_dedecms_adapter_as_before():
    crawler = make_crawler("whrx")
    base = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/"
    pages = {base: "hubeixinwen_index.html", base + "list_12_2.html": "hubeixinwen_list_12_2.html"}
    found = {}
    for url, file in pages.items():
        body = (Path(__file__).parent / "fixtures" / "whrx" / "pages" / file).read_bytes()
        response = HtmlResponse(url, body=body, encoding="gbk", request=Request(url))
        found[url] = [r.url for r in crawler.spider.parse_list(response) if r.meta["govnews_page"] == "list"]
    assert found == {base: [base + "list_12_2.html"], base + "list_12_2.html": []}
    assert crawler.stats.get_value("lists/dedecms/pager") == 2


def portal_error(tmp_path: Path, table: str, cms: str = "") -> str:
    (tmp_path / "x.toml").write_text(
        f'name = "x"\ntemplate = "party_cms"\nhosts = ["x.gov.cn"]\n{cms}\n[urls]\narticle = [\'/a/\\d+\\.html$\']\n'
        f"[list]\n{table}\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text("https://x.gov.cn/\n", encoding="utf-8")
    with pytest.raises(PortalError) as error:
        load_portal("x", tmp_path, tmp_path)
    return str(error.value)


@pytest.mark.parametrize("table, cms, message", [
    ('adapter = "rss"', "", "[list] adapter must be one of ['dedecms', 'hanweb', 'json', 'links', 'trs'], found 'rss'"),
    ('perpage = 15', "", "[list] unknown keys ['perpage'] for adapter 'links'; known: []"),
    ('perpage = 0', 'cms = "hanweb"', "[list] perpage must be a whole number from 1 to 500"),
    ('params = {colid = "12"}', 'cms = "hanweb"', "[list] params: unknown keys ['colid']"),
    ('adapter = "json"\nurl = "https://x.gov.cn/api?page=1"\nentries = "list"\nlink = "url"', "",
     "[list] url must be the API's http(s) URL with {page} once"),
    ('adapter = "json"\nurl = "https://x.gov.cn/api?page={page}"\nentries = "data.[list"\nlink = "url"', "",
     "[list] entries: bad JMESPath 'data.[list'"),
    ('adapter = "json"\nurl = "https://x.gov.cn/api?page={page}"\nentries = "data.list"', "",
     "[list] link is needed"),
])
def test_a_bad_list_table_is_refused_naming_the_key(tmp_path, table, cms, message):
    error = portal_error(tmp_path, table, cms)
    assert error.startswith(f"{tmp_path / 'x.toml'}: ") and message in error


COLUMN = """<html><body><div id="88"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2021/3/2/art_40_901.html">一</a></li>]]></record>
<record><![CDATA[<li><a href="/art/2021/3/1/art_40_900.html">二</a></li>]]></record>
</recordset></datastore></script></div></body></html>"""


def hanweb_crawler(tmp_path: Path, table: str):
    (tmp_path / "hw.toml").write_text(
        'name = "hw"\ntemplate = "city_news"\ncms = "hanweb"\nhosts = ["www.hw.gov.cn"]\nscheme = "http"\n'
        f"[urls]\narticle = ['/art/\\d{{4}}/\\d+/\\d+/art_\\d+_\\d+\\.html$']\n[list]\n{table}\n", encoding="utf-8")
    (tmp_path / "hw.txt").write_text("http://www.hw.gov.cn/col/col40/index.html\n", encoding="utf-8")
    return make_crawler("hw", {"PORTALS_DIR": str(tmp_path), "SEEDS_DIR": str(tmp_path)})


def column_requests(crawler) -> list[str]:
    url = "http://www.hw.gov.cn/col/col40/index.html"
    response = HtmlResponse(url, body=COLUMN.encode(), encoding="utf-8", request=Request(url))
    return [r.url for r in crawler.spider.parse_list(response)]


def test_hanweb_parameters_the_column_page_lacks_come_from_the_portal_file(tmp_path):
    crawler = hanweb_crawler(tmp_path, 'perpage = 2\nparams = {webid = "3", columnid = "40", webname = "某县"}')
    assert column_requests(crawler) == [
        "http://www.hw.gov.cn/art/2021/3/2/art_40_901.html", "http://www.hw.gov.cn/art/2021/3/1/art_40_900.html",
        "http://www.hw.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=2&col=1&appid=1"
        "&webid=3&path=/&columnid=40&sourceContentType=1&unitid=88&webname=%E6%9F%90%E5%8E%BF&permissiontype=0"]


#: The form a Hanweb jpage POSTs with each group of records (the query string keeps the paging).
HANWEB_FORM = dict(parse_qsl(HANWEB_QUERY))


def hanweb_by_post(tmp_path: Path) -> tuple[Path, Path]:
    """The hanweb archive answering its list API to a form POST only, and the portal file
    declaring ``method = "POST"``: the saved answers are the same pages."""
    archive = copy_archive(tmp_path, "hanweb_gov")
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["responses"]:
        if entry["url"].startswith(PROXY):
            entry.update(url=entry["url"].split("&col=")[0], method="POST", form=HANWEB_FORM)
    (archive / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    portals = tmp_path / "portals"
    shutil.copytree(PORTALS, portals)
    with (portals / "hanweb_gov.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[list]\nmethod = "POST"\n')
    return archive, portals


def test_a_hanweb_list_api_declared_post_is_replayed_from_its_saved_answers(tmp_path):
    archive, portals = hanweb_by_post(tmp_path)
    result = crawl_lists(tmp_path, "hanweb_gov", portals_dir=portals, replay=str(archive.parent))
    assert sorted(item["url"] for item in result.items) == sorted(ARTICLES["hanweb_gov"])
    stats = result.stats["hanweb_gov"]
    assert stats["downloader/request_count"] == stats["replay/hit"] == 1 + 3 + 7
    assert (stats["downloader/request_method_count/POST"], stats.get("replay/miss", 0), stats.get("failed/count", 0)) == (2, 0, 0)


@pytest.mark.slow
def test_a_hanweb_list_api_declared_post_is_sent_its_form_and_paged_by_the_query(tmp_path):
    archive, portals = hanweb_by_post(tmp_path)
    with ArchiveProxy(archive) as proxy:
        result = live(proxy, tmp_path, "hanweb_gov", portals_dir=portals)
    assert sorted(item["url"] for item in result.items) == sorted(ARTICLES["hanweb_gov"])
    assert proxy.posts == [(f"{PROXY}?startrecord=4&endrecord=6&perpage=3", HANWEB_FORM),
                           (f"{PROXY}?startrecord=7&endrecord=9&perpage=3", HANWEB_FORM)]
    assert sorted(proxy.requests.items()) == sorted(
        [(f"{HANWEB}/robots.txt", 1), (LIST_PAGES["hanweb_gov"][0], 1), *((url, 1) for url in ARTICLES["hanweb_gov"]),
         *((url, 1) for url, _ in proxy.posts)])


def test_the_hanweb_method_is_get_or_post(tmp_path):
    assert "[list] method must be 'GET' (the query in the URL) or 'POST'" in portal_error(
        tmp_path, 'method = "PUT"', 'cms = "hanweb"')


def test_a_hanweb_column_page_naming_no_api_parameters_gives_its_records_and_says_what_is_missing(tmp_path, caplog):
    crawler = hanweb_crawler(tmp_path, "")
    assert column_requests(crawler) == [
        "http://www.hw.gov.cn/art/2021/3/2/art_40_901.html", "http://www.hw.gov.cn/art/2021/3/1/art_40_900.html"]
    assert crawler.stats.get_value("lists/hanweb/no_params") == 1
    assert ("hw: column page http://www.hw.gov.cn/col/col40/index.html names no webid, columnid of its list API;"
            " declare them under [list] params") in caplog.text


@pytest.mark.parametrize("script, pager", [
    ('createPageHTML(5, 0, "index", "html");', trs_pager.ScriptPager(5, 0, "index", "html")),
    ("var countPage = 7;var currentPage = 2;createPageHTML(countPage, currentPage, 'index', 'shtml');",
     trs_pager.ScriptPager(7, 2, "index", "shtml")),
    ("createPageHTML('page_div', 12, 3, 'index', 'html', 178);", trs_pager.ScriptPager(12, 3, "index", "html")),
    ("document.write('no pager');", None),
])
def test_the_trs_script_pager_is_read_in_each_form(script, pager):
    assert trs_pager.find(Selector(text=f"<html><body><script>{script}</script></body></html>")) == pager


@given(count=st.integers(1, 2000), data=st.data())
def test_trs_pages_run_from_index_1_to_index_count_minus_1(count, data):
    current = data.draw(st.integers(0, count - 1))
    found = trs_pager.find(Selector(text=f"<script>createPageHTML({count}, {current}, 'index', 'html');</script>"))
    assert found.next_page == (f"index_{current + 1}.html" if current + 1 < count else None)
