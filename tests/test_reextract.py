"""``scrapy reextract``: the recorded crawl of all five portals, extracted again from its WARCs."""

import json
import re
import shutil
import subprocess

import pytest

from tests.archives import FIXTURES
from tests.crawling import ROOT, SCRAPY, crawlall
from tests.expected import article_entries
from tests.test_crawl import article_urls
from tests.test_incremental import add_two_articles

BLOCKS = ROOT / "tests" / "blockpages"
PORTALS = ["cqmjsw", "gjdb", "lzbs_mirror", "scsqw", "whrx"]


def reextract(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SCRAPY, "reextract", *args], cwd=ROOT, capture_output=True, text=True, timeout=240)


def by_url(batch: list[dict]) -> dict[str, dict]:
    """Items by URL, all fields but ``crawled_at`` (provenance too: the records cited)."""
    return {item["url"]: {k: v for k, v in item.items() if k != "crawled_at"} for item in batch}


@pytest.fixture(scope="module")
def again(recorded, tmp_path_factory):
    """Re-extraction of the recording, told to use a state and a RECORD folder of the
    user's: it must touch neither."""
    folder, _ = recorded
    workdir = tmp_path_factory.mktemp("reextract")
    before = sorted(p.name for p in folder.iterdir())
    done = reextract(str(folder), "-O", f"{workdir / 'out.jsonl'}", "-s", f"STATE_DIR={workdir / 'mystate'}",
                     "-s", f"RECORD={folder}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing recorded again
    items = [json.loads(line) for line in (workdir / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    return workdir, done, items


@pytest.mark.slow
def test_the_same_items_come_out_citing_the_same_records(recorded, again):
    _, crawl = recorded
    _, _, items = again
    assert len(items) == len(crawl.items) == 85
    assert by_url(items) == by_url(crawl.items)  # provenance too: the records the crawl wrote


@pytest.mark.slow
def test_every_portal_of_the_archive_is_run_with_nothing_fetched_and_nothing_failed(recorded, again):
    _, crawl = recorded
    _, done, _ = again
    for portal in PORTALS:
        count = sum(item["portal"] == portal for item in crawl.items)
        pages = crawl.stats[portal]["downloader/response_count"]
        assert f"{portal}: pages={pages} articles={count} dropped=0 failed=0 blocked=0 errors=0" in done.stdout


@pytest.mark.slow
def test_the_users_state_is_not_touched(again):
    workdir, _, _ = again
    assert not (workdir / "mystate").exists()


def test_no_archive_or_a_folder_without_one_is_a_usage_error(tmp_path):
    none = reextract("-O", str(tmp_path / "out.jsonl"))
    assert none.returncode == 2 and "give the archives to read" in none.stderr
    empty = reextract(str(tmp_path), "-O", str(tmp_path / "out.jsonl"))
    assert empty.returncode == 2 and f"REPLAY={tmp_path}: no manifest.json" in empty.stderr
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.slow
def test_months_of_incremental_runs_re_extract_whole(tmp_path):
    """Run 2 is incremental, and its list page no longer links an article run 1 read:
    re-extracting both runs' files still gives every article of both, as they were."""
    archive = tmp_path / "archive" / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    folder = tmp_path / "warc"
    first = crawlall(tmp_path / "run1", "-a", "portals=whrx", "-s", f"RECORD={folder}",
                     "-s", f"STATE_DIR={tmp_path / 'state'}", replay=str(archive))
    new = add_two_articles(archive)
    dropped = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0508/32214.html"
    list_page = archive / "pages" / "hubeixinwen_index.html"
    text = re.sub(r"<a [^>]*2020/0508/32214\.html[^>]*>.*?</a>", "", list_page.read_bytes().decode("gbk"))
    list_page.write_bytes(text.encode("gbk"))
    second = crawlall(tmp_path / "run2", "-a", "portals=whrx", "-s", f"RECORD={folder}",
                      "-s", f"STATE_DIR={tmp_path / 'state'}", replay=str(archive))
    assert sorted(item["url"] for item in second.items) == new
    linked = crawlall(tmp_path / "linked", "-a", "portals=whrx", replay=str(folder))
    assert dropped not in {item["url"] for item in linked.items}  # the latest lists alone miss it
    done = reextract(str(folder), "-O", str(tmp_path / "out.jsonl"))
    assert done.returncode == 0, done.stderr[-3000:]
    items = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert by_url(items) == by_url(first.items + second.items)
    assert len(items) == len(article_urls("whrx")) + 2


@pytest.mark.slow
def test_a_later_404_or_block_page_does_not_lose_an_article_read_before(tmp_path):
    """Run 2, from a fresh state, got a 404 for one of run 1's articles and a soft 404
    served 200 for another: re-extracting both runs gives every article of run 1 once."""
    archive = tmp_path / "archive" / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    folder = tmp_path / "warc"
    first = crawlall(tmp_path / "run1", "-a", "portals=whrx", "-s", f"RECORD={folder}", replay=str(archive))
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    articles = [entry for entry in manifest["responses"] if entry["url"] in {e["url"] for e in article_entries("whrx")}]
    gone, soft = articles[0], articles[1]
    gone["status"] = 404
    (archive / soft["file"]).write_bytes((BLOCKS / "soft_404.html").read_bytes())
    soft["headers"] = {"Content-Type": "text/html; charset=utf-8"}
    (archive / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    second = crawlall(tmp_path / "run2", "-a", "portals=whrx", "-s", f"RECORD={folder}", replay=str(archive),
                      returncode=3)
    assert len(second.items) == len(first.items) - 2
    done = reextract(str(folder), "-O", str(tmp_path / "out.jsonl"))
    assert done.returncode == 0, done.stderr[-3000:]
    items = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(items) == len(first.items) == len(article_urls("whrx"))
    assert by_url(items) == by_url(first.items)
    assert "failed=0 blocked=0" in done.stdout
