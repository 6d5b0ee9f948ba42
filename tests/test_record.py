"""RECORD: a crawl written as WARC/1.1, read back with warcio and checked by ``warcio check``."""

import gzip
import json
import shutil
import subprocess
from collections import Counter

import pytest
from scrapy import Request

from govnews import cdxj
from govnews.items import RUN_FIELDS
from govnews.record.middleware import payload_digest
from govnews.replay import ReplayArchive
from tests.archives import FIXTURES, fetched_entries, manifest
from tests.crawling import ROOT, SCRAPY, crawlall, kill_once_recorded, proxy_env, recorded_urls
from tests.loopback import ArchiveProxy
from tests.test_crawl import article_urls
from tests.warcs import read, read_all, warcio_check

PORTALS = ["cqmjsw", "gjdb", "lzbs_mirror", "scsqw", "whrx"]


def test_one_file_and_one_index_per_portal_each_passing_warcio_check(recorded):
    folder, _ = recorded
    files = sorted(folder.glob("*.warc.gz"))
    assert [f.name.split("-")[0] for f in files] == PORTALS
    assert sorted(p.name for p in folder.glob("*.cdxj")) == [cdxj.index_path(f).name for f in files]
    check = warcio_check(*files)
    assert check.returncode == 0, check.stdout
    assert check.stdout.count("digest pass") == sum(len(read(f)) for f in files)


@pytest.mark.parametrize("portal", PORTALS)
def test_every_saved_response_is_recorded_as_served_with_its_request(recorded, portal):
    folder, result = recorded
    (warc,) = folder.glob(f"{portal}-*.warc.gz")
    records = read(warc)
    info, rest = records[0], records[1:]
    assert info.type == "warcinfo" and info.headers["WARC-Filename"] == warc.name
    assert f"portal: {portal}\r\n" in info.raw.decode() and "isPartOf: govnews-crawl-" in info.raw.decode()
    responses = {r.headers["WARC-Record-ID"]: r for r in rest if r.type == "response"}
    requests = [r for r in rest if r.type == "request"]
    assert Counter(r.type for r in rest) == {"response": len(responses), "request": len(responses)}
    assert len(responses) == result.stats[portal]["downloader/response_count"] == len(fetched_entries(portal))
    for request in requests:  # each request names its response, and says what was sent
        response = responses[request.headers["WARC-Concurrent-To"]]
        assert request.headers["WARC-Target-URI"] == response.headers["WARC-Target-URI"]
        assert request.raw == b"" and request.http_header("User-Agent").startswith("govnews/")
    saved = {e["url"]: e for e in manifest(portal)["responses"]}
    for response in responses.values():
        entry = saved[response.headers["WARC-Target-URI"]]
        body = (FIXTURES / portal / entry["file"]).read_bytes() if entry.get("file") else b""
        assert response.raw == body and response.status == str(entry.get("status", 200))
        assert dict(response.http) == entry["headers"]
        assert response.headers["WARC-Payload-Digest"] == payload_digest(body)
    assert len(cdxj.read(cdxj.index_path(warc))) == len(responses)


def test_each_item_cites_the_response_record_of_its_page(recorded):
    folder, result = recorded
    records = {(r.file, r.offset): r for r in read_all(folder)}
    for item in result.items:
        assert item["provenance"], item["url"]
        for place in item["provenance"]:
            record = records[place["file"], place["offset"]]
            assert record.type == "response" and record.headers["WARC-Record-ID"] == place["record_id"]


def test_a_single_warc_file_replays_as_recorded(recorded, tmp_path):
    folder, first = recorded
    (warc,) = folder.glob("whrx-*.warc.gz")
    again = crawlall(tmp_path, "-a", "portals=whrx", replay=str(warc))
    assert again.stats["whrx"]["replay/hit"] == len(manifest("whrx")["responses"])
    assert "replay/miss" not in again.stats["whrx"]
    def by_url(items):
        return {i["url"]: {k: v for k, v in i.items() if k != "crawled_at"} for i in items}
    assert by_url(again.items) == by_url(i for i in first.items if i["portal"] == "whrx")


def test_an_unchanged_page_fetched_again_is_a_revisit_of_the_first_record(tmp_path):
    """Run 2 (same state, same RECORD folder) fetches only the start pages and robots.txt
    again, all unchanged: each is a revisit record citing run 1's response."""
    folder = tmp_path / "warc"
    crawlall(tmp_path, "-a", "portals=whrx", "-s", f"RECORD={folder}")
    (run1,) = folder.glob("whrx-*.warc.gz")
    second = crawlall(tmp_path, "-a", "portals=whrx", "-s", f"RECORD={folder}")
    (run2,) = set(folder.glob("whrx-*.warc.gz")) - {run1}
    stats = second.stats["whrx"]
    assert stats["record/revisits"] == stats["downloader/response_count"] >= 2
    assert "record/responses" not in stats and second.items == []
    originals = {r.headers["WARC-Target-URI"]: r for r in read(run1) if r.type == "response"}
    revisits = [r for r in read(run2) if r.type == "revisit"]
    assert len(revisits) == stats["record/revisits"]
    for revisit in revisits:
        original = originals[revisit.headers["WARC-Target-URI"]]
        assert revisit.headers["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
        assert revisit.headers["WARC-Refers-To-Target-URI"] == original.headers["WARC-Target-URI"]
        assert revisit.headers["WARC-Refers-To-Date"] == original.headers["WARC-Date"]
        assert revisit.headers["WARC-Refers-To"] == original.headers["WARC-Record-ID"]
        assert revisit.headers["WARC-Payload-Digest"] == original.headers["WARC-Payload-Digest"]
        assert revisit.raw == b"" and revisit.status == original.status
    assert warcio_check(run1, run2).returncode == 0
    # Replayed from both runs, a revisited page has its first record's bytes.
    url = revisits[-1].headers["WARC-Target-URI"]
    response = ReplayArchive(folder).response_for(Request(url))
    assert response.body == originals[url].raw and response.status == 200


def test_files_roll_at_the_size_limit_without_splitting_a_pair(tmp_path):
    folder = tmp_path / "warc"
    result = crawlall(tmp_path, "-a", "portals=whrx", "-s", f"RECORD={folder}", "-s", "RECORD_MAX_BYTES=20000")
    files = sorted(folder.glob("whrx-*.warc.gz"))
    assert len(files) >= 3 and result.stats["whrx"]["record/files"] == len(files)
    assert [f.name.removesuffix(".warc.gz")[-5:] for f in files] == [f"{n:05d}" for n in range(len(files))]
    assert all(f.stat().st_size >= 20000 for f in files[:-1])
    total = 0
    for warc in files:
        records = read(warc)
        assert records[0].type == "warcinfo" and cdxj.index_path(warc).is_file()
        ids = {r.headers["WARC-Record-ID"] for r in records}
        assert all(r.headers["WARC-Concurrent-To"] in ids for r in records if r.type == "request")
        last_pair_start = records[-2].offset
        assert last_pair_start < 20000  # a file closes at the first pair that reaches the limit
        total += sum(r.type == "response" for r in records)
    assert total == len(manifest("whrx")["responses"])
    assert warcio_check(*files).returncode == 0


def live_crawl_command(tmp_path, folder, *extra):
    return [*SCRAPY, "crawlall", "-a", "portals=whrx", "-O", f"{tmp_path / 'out.jsonl'}:jsonlines",
            "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", f"RECORD={folder}", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", f"STATS_FILE={tmp_path / 'stats.json'}", *extra]


@pytest.mark.slow
def test_a_crawl_killed_while_recording_leaves_a_whole_file_holding_every_recorded_article(tmp_path):
    folder, state = tmp_path / "warc", tmp_path / "state"
    with ArchiveProxy(FIXTURES / "whrx") as proxy:
        kill_once_recorded(live_crawl_command(tmp_path, folder, "-s", "DOWNLOAD_DELAY=0.4"), proxy_env(proxy), state)
    recorded = recorded_urls(state)
    assert 2 <= len(recorded) < len(article_urls("whrx"))
    (warc,) = folder.glob("whrx-*.warc.gz")
    assert not cdxj.index_path(warc).exists()  # killed before the file was closed
    check = warcio_check(warc)
    assert check.returncode == 0, check.stdout
    responses = {r.headers["WARC-Target-URI"] for r in read(warc) if r.type == "response"}
    assert set(recorded) <= responses
    archive = ReplayArchive(folder)  # read whole, having no index
    assert all(archive.response_for(Request(url)).status == 200 for url in recorded)


def test_a_live_gzip_response_is_recorded_as_it_came_over_the_wire(tmp_path):
    """A real HTTP server on 127.0.0.1 sends one article gzip-encoded: the record keeps
    the compressed bytes and Content-Encoding; the item is the same as from the plain page."""
    archive = tmp_path / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    data = manifest("whrx")
    entry = next(e for e in data["responses"] if e["url"].endswith("/32214.html"))
    page = (archive / entry["file"]).read_bytes()
    zipped = gzip.compress(page, mtime=0)
    (archive / entry["file"]).write_bytes(zipped)
    entry["headers"]["Content-Encoding"] = "gzip"
    # A GBK header value: http.server sends a str as Latin-1, so these are the GBK bytes.
    disposition = 'inline; filename="通知.html"'.encode("gbk")
    entry["headers"]["Content-Disposition"] = disposition.decode("latin-1")
    (archive / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    folder = tmp_path / "warc"
    with ArchiveProxy(archive) as proxy:
        done = subprocess.run(live_crawl_command(tmp_path, folder, "-s", "DOWNLOAD_DELAY=0"), cwd=ROOT, env=proxy_env(proxy),
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    (warc,) = folder.glob("whrx-*.warc.gz")
    records = read(warc)
    (record,) = [r for r in records if r.type == "response" and r.headers["WARC-Target-URI"] == entry["url"]]
    assert record.http_header("Content-Encoding") == "gzip" and record.raw == zipped
    assert record.http_header("Content-Length") == str(len(zipped))
    assert record.headers["WARC-Payload-Digest"] == payload_digest(zipped)
    assert record.headers["WARC-IP-Address"] == "127.0.0.1"
    with warc.open("rb") as stream:  # the head as it came over the wire, GBK bytes included
        stream.seek(record.offset)
        assert b"\r\nContent-Disposition: " + disposition + b"\r\n" in gzip.GzipFile(fileobj=stream).read1(1 << 16)
    replayed = ReplayArchive(warc).response_for(Request(entry["url"]))
    assert replayed.headers["Content-Disposition"] == disposition and replayed.body == zipped
    (request,) = [r for r in records if r.type == "request" and r.headers["WARC-Target-URI"] == entry["url"]]
    assert request.http_header("Host") == "www.whrx.net" and "gzip" in request.http_header("Accept-Encoding")
    assert warcio_check(warc).returncode == 0
    items = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    (item,) = [i for i in items if i["url"] == entry["url"]]
    expected = json.loads((FIXTURES / "whrx" / "expected" / "article_32214.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in item.items() if k not in RUN_FIELDS} == expected
    assert item["provenance"] == [{"file": warc.name, "record_id": record.headers["WARC-Record-ID"],
                                   "offset": record.offset}]


def test_a_record_that_cannot_be_written_stops_the_crawl_before_any_article_is_recorded(tmp_path):
    folder = tmp_path / "warc"
    folder.mkdir()
    subprocess.run(["chattr", "+i", str(folder)], check=True)  # no new file, even for root
    try:
        done = subprocess.run(
            [*SCRAPY, "crawlall", "-a", "portals=whrx", "-s", "REPLAY=tests/fixtures", "-s", f"RECORD={folder}",
             "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", f"STATS_FILE={tmp_path / 'stats.json'}",
             "-O", f"{tmp_path / 'out.jsonl'}:jsonlines"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    stats = json.loads((tmp_path / "stats.json").read_text())["whrx"]
    assert done.returncode == 1
    assert stats["finish_reason"] == "record_failed" and stats["record/errors"] >= 1
    assert "item_scraped_count" not in stats and recorded_urls(tmp_path / "state") == []
    assert (tmp_path / "out.jsonl").read_text() == "" and list(folder.iterdir()) == []
    # The start page it stopped on did not yield: a failed page, fetched again next run.
    assert stats["failed/count"] == 1
    assert f"whrx: pages=0 articles=0 dropped=0 failed=1 blocked=0 errors={stats['record/errors']}" in done.stdout
