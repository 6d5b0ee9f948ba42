"""Attachments: file and 原文 links of the body become ``attachments`` (their text stays in the
body); with FILES_STORE they are downloaded through FilesPipeline over a real loopback HTTP
server and stored once by content hash."""

import hashlib
import io
import json
import zipfile
from pathlib import PurePosixPath

import jsonschema
import pytest
from lxml import etree

from pipelines.attachments import body_links, find_attachments, kind_of
from tests.crawling import crawlall
from tests.archives import FIXTURES
from tests.documents import SCSQW_ATTACHMENTS, docx_bytes, pdf_bytes
from tests.loopback import ArchiveProxy
from tests.states import failures_in
from tests.test_crawl import SCHEMA

BASE = "http://www.example.gov.cn/xxgk/2024/0305/1.html"


def attachment(url, name, kind, **downloaded):
    return {"url": url, "name": name, "kind": kind, "size": None, "sha256": None, "path": None, **downloaded}


@pytest.mark.parametrize("url, text, kind", [
    ("http://a.gov.cn/u/2022/x.PDF", "", "pdf"),
    ("http://a.gov.cn/u/x.wps", "", "wps"),
    ("http://a.gov.cn/u/x.et", "", "et"),
    ("http://a.gov.cn/u/x.ofd", "", "ofd"),
    ("http://a.gov.cn/download.jsp?filename=%E9%80%9A%E7%9F%A5.docx&id=3", "", "docx"),
    ("http://a.gov.cn/download.jsp?id=3", "关于做好2024年工作的通知.xlsx", "xlsx"),
    ("http://a.gov.cn/news/2.html", "下一篇", None),
    ("http://a.gov.cn/petc/", "", None),  # an extension-like path is no file
])
def test_the_kind_of_a_link(url, text, kind):
    assert kind_of(url, text) == kind


def test_file_and_original_links_of_a_body_once_each_in_page_order():
    body = ("<div><p>附件：<a href='/u/a.pdf'>实施方案.pdf</a></p>"
            "<p><a href='/u/b.docx' title='报名表.docx'><img src='/i/doc.gif'></a></p>"
            "<p>请点击查看原文：<br><a href='http://www.stats.gov.cn/sj/zxfb/202403/t20240305_1.html'>2023年统计公报</a></p>"
            "<p><a href='/u/a.pdf'>再次链接</a> <a href='/xxgk/2.html'>相关阅读</a> <a href='javascript:void(0)'>x.pdf</a></p></div>")
    assert find_attachments(body_links(etree.HTML(body)), BASE) == [
        attachment("http://www.example.gov.cn/u/a.pdf", "实施方案.pdf", "pdf"),
        attachment("http://www.example.gov.cn/u/b.docx", "报名表.docx", "docx"),
        attachment("http://www.stats.gov.cn/sj/zxfb/202403/t20240305_1.html", "2023年统计公报", "original"),
    ]



def test_a_comment_before_a_link_is_no_text_and_no_crash():
    body = ("<div><p>请点击查看原文<!-- 模板片段 -->：<a href='http://www.stats.gov.cn/sj/1.html'>2023年统计公报</a>"
            "<!-- 尾 --><a href='/u/c.pdf'>细则</a></p></div>")
    assert find_attachments(body_links(etree.HTML(body)), BASE) == [
        attachment("http://www.stats.gov.cn/sj/1.html", "2023年统计公报", "original"),
        attachment("http://www.example.gov.cn/u/c.pdf", "细则", "pdf"),
    ]

HOST = "http://www.attach.example.gov.cn"
PORTAL = f'''name = "attach"
title = "附件测试"
template = "gazetteer"
hosts = ["www.attach.example.gov.cn"]
scheme = "http"
download_delay = 0
[urls]
list = ['/xxgk/index\\.html$']
article = ['/xxgk/\\d+\\.html$']
'''
FILE_ARTICLE = ("<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                "<div class='article'><h1>{title}</h1><div class='info'>发布时间：2024-03-0{n} 10:00</div>"
                "<div class='content'><p>{text}</p><p>附件：<a href='{href}'>{name}</a></p></div></div></body></html>")


def html(body: str) -> dict:
    return {"body": body.encode("utf-8"), "type": "text/html; charset=utf-8"}


@pytest.fixture
def site(tmp_path):
    """An archive of four articles: two link one PDF, one links a second URL serving the
    same bytes, one links a DOCX; plus a link to a file the server does not have."""
    pdf = pdf_bytes("Implementation plan 2024")
    articles = [
        ("1", "关于印发实施方案的通知", "/files/plan.pdf", "实施方案.pdf"),
        ("2", "实施方案解读", "/files/plan.pdf", "实施方案.pdf"),
        ("3", "实施方案（转载）", "/mirror/plan-copy.pdf", "实施方案.pdf"),
        ("4", "报名通知", "/files/form.docx", "报名表.docx"),
        ("5", "旧通知", "/files/gone.pdf", "旧方案.pdf"),
    ]
    files = {
        "/robots.txt": {"body": b"User-agent: *\nAllow: /\n", "type": "text/plain"},
        "/xxgk/index.html": html("<ul>" + "".join(f"<li><a href='{n}.html'>{t}</a></li>" for n, t, _, _ in articles)
                                 + "</ul>"),
        "/files/plan.pdf": {"body": pdf, "type": "application/pdf"},
        "/mirror/plan-copy.pdf": {"body": pdf, "type": "application/pdf"},
        "/files/form.docx": {"body": docx_bytes("报名表"), "type": "application/octet-stream"},
    }
    for n, title, href, name in articles:
        files[f"/xxgk/{n}.html"] = html(FILE_ARTICLE.format(title=title, n=n, href=href, name=name,
                                                            text=f"{title}的正文内容，请各单位认真贯彻落实。"))
    archive = tmp_path / "archive"
    (archive / "pages").mkdir(parents=True)
    responses = []
    for number, (path, served) in enumerate(files.items()):
        (archive / "pages" / f"{number}").write_bytes(served["body"])
        responses.append({"url": HOST + path, "file": f"pages/{number}", "status": 200,
                          "headers": {"Content-Type": served["type"]}})
    (archive / "manifest.json").write_text(json.dumps({"portal": "attach", "responses": responses}), encoding="utf-8")
    portals = tmp_path / "portals"
    portals.mkdir()
    (portals / "attach.toml").write_text(PORTAL, encoding="utf-8")
    (portals / "attach.txt").write_text(f"{HOST}/xxgk/index.html\n", encoding="utf-8")
    return archive, portals, pdf


def test_attachments_are_downloaded_once_and_stored_once_by_content_hash(tmp_path, site):
    archive, portals, pdf = site
    store = tmp_path / "files"
    with ArchiveProxy(archive) as proxy:
        result = crawl(tmp_path, proxy, portals, returncode=3)
    # One request per file URL, however many articles link it; the missing file is tried
    # like any request (no retry for a 404).
    assert {path: count for path, count in proxy.requests.items() if "/xxgk/" not in path} == {
        f"{HOST}/robots.txt": 1, f"{HOST}/files/plan.pdf": 1, f"{HOST}/mirror/plan-copy.pdf": 1,
        f"{HOST}/files/form.docx": 1, f"{HOST}/files/gone.pdf": 1}
    pdf_hash = hashlib.sha256(pdf).hexdigest()
    docx_hash = hashlib.sha256(docx_bytes("报名表")).hexdigest()
    # Two URLs of one content: one stored file.
    assert sorted(p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file()) == sorted(
        [f"full/{pdf_hash}.pdf", f"full/{docx_hash}.docx"])
    assert (store / "full" / f"{pdf_hash}.pdf").read_bytes() == pdf
    by_url = {item["url"].rsplit("/", 1)[1]: item for item in result.items}
    assert sorted(by_url) == ["1.html", "2.html", "3.html", "4.html", "5.html"]
    for page in ("1.html", "2.html", "3.html"):
        [got] = by_url[page]["attachments"]
        assert (got["name"], got["kind"], got["size"], got["sha256"], got["path"]) == (
            "实施方案.pdf", "pdf", len(pdf), pdf_hash, f"full/{pdf_hash}.pdf")
        assert by_url[page]["body"].endswith("附件:实施方案.pdf")  # the link's text stays in the body
    assert by_url["4.html"]["attachments"][0]["path"] == f"full/{docx_hash}.docx"
    assert by_url["5.html"]["attachments"] == [attachment(f"{HOST}/files/gone.pdf", "旧方案.pdf", "pdf", missing="http_404")]
    assert by_url["5.html"]["flags"] == ["attachments_missing"]
    assert [item["flags"] for name, item in sorted(by_url.items()) if name != "5.html"] == [[]] * 4
    stats = result.stats["attach"]
    assert (stats["attachments/downloaded"], stats["attachments/failed"], stats["attachments/pdf"]) == (4, 1, 4)
    assert (stats["failed/count"], stats["failed/attachment:http_404"]) == (1, 1)
    assert f"article {HOST}/xxgk/5.html emitted without its attachment(s) {HOST}/files/gone.pdf (http_404)" in result.output
    assert failures(tmp_path) == [(f"{HOST}/xxgk/5.html", "attachment:http_404", 1)]


def crawl(tmp_path, proxy, portals, *args, returncode=0):
    """A live crawl of the attach portal over the loopback ``proxy``, files into ``tmp_path/files``."""
    return crawlall(tmp_path, "-a", "portals=attach", "-s", f"PORTALS_DIR={portals}",
                    "-s", f"FILES_STORE={tmp_path / 'files'}", "-s", "AUTOTHROTTLE_ENABLED=False", *args,
                    replay=None, returncode=returncode, env={"http_proxy": proxy.url, "no_proxy": "", "NO_PROXY": ""})


def failures(tmp_path):
    """(url, reason, attempts) of the SQLite crawl state's failed pages."""
    return failures_in({"STATE_DIR": str(tmp_path / "state")})


def serve(archive, path, **entry):
    """Make the archive answer ``path`` with ``entry`` (a status, a network fault, a file)."""
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    responses = [r for r in manifest["responses"] if r["url"] != HOST + path]
    manifest["responses"] = [*responses, {**entry, "url": HOST + path}]
    (archive / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("fault, reason, tries", [
    ({"status": 404}, "http_404", 1),
    ({"status": 500}, "http_500", 4),  # RETRY_TIMES = 3
    ({"network": "reset"}, "connection_lost", 4),
    ({"network": "truncate"}, "data_loss", 4),
])
def test_a_failed_attachment_is_a_failed_page_and_the_next_run_brings_the_article_whole(tmp_path, site, fault, reason, tries):
    failed_then_whole(tmp_path, site, fault, reason, tries, {"STATE_DIR": str(tmp_path / "state")})


def test_on_a_redis_state_too(tmp_path, site, redis_server):
    failed_then_whole(tmp_path, site, {"network": "reset"}, "connection_lost", 4, {"REDIS_URL": redis_server.url})
    assert not (tmp_path / "state" / "crawl.sqlite3").exists()


def failed_then_whole(tmp_path, site, fault, reason, tries, settings):
    """Three runs: the DOCX answers ``fault`` (and gone.pdf 404) ``tries`` times, then both
    files answer, then nothing is new; the state of ``settings``."""
    archive, portals, _ = site
    def on(run: int) -> tuple[str, ...]:  # on Redis each run is a crawl of its own name (a new day's)
        return ("-s", f"REDIS_URL={settings['REDIS_URL']}", "-s", f"DISTRIBUTED_CRAWL=run{run}") if "REDIS_URL" in settings else ()
    docx = docx_bytes("报名表")
    docx_hash = hashlib.sha256(docx).hexdigest()
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    [form] = [r for r in manifest["responses"] if r["url"] == f"{HOST}/files/form.docx"]
    serve(archive, "/files/form.docx", **fault)
    with ArchiveProxy(archive) as proxy:
        first = crawl(tmp_path, proxy, portals, *on(1), returncode=3)
    assert proxy.requests[f"{HOST}/files/form.docx"] == tries
    [four] = [item for item in first.items if item["url"] == f"{HOST}/xxgk/4.html"]
    assert four["attachments"] == [attachment(f"{HOST}/files/form.docx", "报名表.docx", "docx", missing=reason)]
    assert four["flags"] == ["attachments_missing"]
    assert not (tmp_path / "files" / "full" / f"{docx_hash}.docx").exists()
    assert failures_in(settings) == [(f"{HOST}/xxgk/4.html", f"attachment:{reason}", 1),
                                  (f"{HOST}/xxgk/5.html", "attachment:http_404", 1)]
    stats = first.stats["attach"]
    assert (stats["failed/count"], stats[f"failed/attachment:{reason}"], stats["attachments/failed"]) == (
        2, 1 + (reason == "http_404"), 2)

    # Both files answer now: the two articles are fetched again, each with its one file,
    # and emitted again whole; nothing else is fetched.
    serve(archive, "/files/form.docx", **form)
    serve(archive, "/files/gone.pdf", **{**form, "headers": {"Content-Type": "application/pdf"}})
    with ArchiveProxy(archive) as proxy:
        second = crawl(tmp_path, proxy, portals, *on(2))
    assert dict(proxy.requests) == {f"{HOST}/robots.txt": 1, f"{HOST}/xxgk/index.html": 1,
                                    f"{HOST}/xxgk/4.html": 1, f"{HOST}/xxgk/5.html": 1,
                                    f"{HOST}/files/form.docx": 1, f"{HOST}/files/gone.pdf": 1}
    assert sorted((item["url"], item["flags"], item["attachments"]) for item in second.items) == [
        (f"{HOST}/xxgk/4.html", [], [attachment(f"{HOST}/files/form.docx", "报名表.docx", "docx", size=len(docx),
                                                sha256=docx_hash, path=f"full/{docx_hash}.docx", missing=None)]),
        (f"{HOST}/xxgk/5.html", [], [attachment(f"{HOST}/files/gone.pdf", "旧方案.pdf", "pdf", size=len(docx),
                                                sha256=docx_hash, path=f"full/{docx_hash}.pdf", missing=None)]),
    ]
    assert (tmp_path / "files" / "full" / f"{docx_hash}.docx").read_bytes() == docx
    assert failures_in(settings) == []
    assert (second.stats["attach"]["dedupe/updated"], second.stats["attach"].get("failed/count")) == (2, None)
    for item in [*first.items, *second.items]:
        jsonschema.validate(item, SCHEMA)

    # A third run has nothing to fetch again.
    with ArchiveProxy(archive) as proxy:
        third = crawl(tmp_path, proxy, portals, *on(3))
    assert third.items == []
    assert dict(proxy.requests) == {f"{HOST}/robots.txt": 1, f"{HOST}/xxgk/index.html": 1}


def test_without_files_store_attachments_keep_their_url_only(tmp_path, site):
    archive, portals, _ = site
    result = crawlall(tmp_path, "-a", "portals=attach", "-s", f"PORTALS_DIR={portals}", replay=str(archive))
    assert all(item["attachments"] and item["attachments"][0]["path"] is None for item in result.items)
    assert not any(key.startswith("file_") for key in result.stats["attach"])


def test_with_attachment_text_each_pdf_and_docx_gives_its_text(tmp_path, site):
    archive, portals, _ = site
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    [copy] = [r["file"] for r in manifest["responses"] if r["url"].endswith("/mirror/plan-copy.pdf")]
    (archive / copy).write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")  # damaged: cut off
    with ArchiveProxy(archive) as proxy:
        result = crawl(tmp_path, proxy, portals, "-s", "ATTACHMENT_TEXT=True", returncode=3)  # gone.pdf
    texts = {item["url"].rsplit("/", 1)[1]: item["attachments"][0]["text"] for item in result.items}
    assert texts == {"1.html": "Implementation plan 2024", "2.html": "Implementation plan 2024",
                     "3.html": None, "4.html": "报名表", "5.html": None}
    stats = result.stats["attach"]
    assert (stats["attachments/text"], stats["attachments/text_failed"]) == (2, 1)
    assert f"attachment {HOST}/mirror/plan-copy.pdf: no text read (" in result.output
    for item in result.items:
        jsonschema.validate(item, SCHEMA)


def ofd_text(data: bytes) -> list[str]:
    """The TextCode texts of an OFD's pages, read the way a reader finds them: OFD.xml's
    DocRoot, the document's pages, each page's content."""
    ns = {"ofd": "http://www.ofdspec.org/2016"}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = PurePosixPath(etree.fromstring(package.read("OFD.xml")).findtext(".//ofd:DocRoot", namespaces=ns))
        document = etree.fromstring(package.read(str(root)))
        return [code.text for page in document.iterfind(".//ofd:Pages/ofd:Page", ns)
                for code in etree.fromstring(package.read(str(root.parent / page.get("BaseLoc"))))
                .iterfind(".//ofd:TextCode", ns)]


def test_the_scsqw_archive_gives_a_pdf_a_docx_and_an_ofd_stored_by_content_hash(tmp_path):
    store = tmp_path / "files"
    result = crawlall(tmp_path, "-a", "portals=scsqw", "-s", f"FILES_STORE={store}")
    pages = FIXTURES / "scsqw" / "pages"
    assert sorted(p.name for p in (store / "full").iterdir()) == sorted(
        hashlib.sha256((pages / name).read_bytes()).hexdigest() + PurePosixPath(name).suffix for name in SCSQW_ATTACHMENTS)
    [item] = [item for item in result.items if item["url"].endswith("/content_98921")]
    assert [(a["kind"], a["path"] is not None, a["missing"]) for a in item["attachments"]] == [
        ("docx", True, None), ("ofd", True, None), ("pdf", True, None)]
    [ofd] = [a for a in item["attachments"] if a["kind"] == "ofd"]
    assert ofd_text((store / ofd["path"]).read_bytes()) == [SCSQW_ATTACHMENTS["202208121529105512.ofd"]]
    stats = result.stats["scsqw"]
    assert (stats["attachments/downloaded"], stats.get("attachments/failed"), stats["attachments/ofd"]) == (18, None, 1)
