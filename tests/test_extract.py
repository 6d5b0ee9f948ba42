"""``scrapy extract``: one saved page through its spider and every pipeline, as JSON."""

import json
import subprocess

from tests.archives import FIXTURES
from tests.crawling import ROOT, SCRAPY

SEED = FIXTURES / "whrx" / "pages"


def extract(*args):
    return subprocess.run([*SCRAPY, "extract", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_extract_prints_the_final_item_of_a_gbk_page():
    page = next(SEED.glob("*31867*"))
    done = extract(str(page), "--portal", "whrx",
                   "--url", "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0429/31867.html")
    assert done.returncode == 0, done.stderr
    item = json.loads(done.stdout)
    assert item["title"] == "下沉干部当好“三员” ,走“心”战疫下社区"
    assert item["published_at"] == "2020-04-29T20:33:31+08:00"
    assert item["source"] is None and item["author"] == []
    assert "raw" not in item


def test_extract_refuses_an_unknown_portal_clearly():
    done = extract(str(next(SEED.glob("*.html"))), "--portal", "nosuch", "--url", "http://x.cn/1.html")
    assert done.returncode != 0
    assert "portal 'nosuch'" in done.stderr + done.stdout
