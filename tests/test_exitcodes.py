"""Exit codes (govnews.exitcodes): what one crawl's stats earn, which of several wins, and
``scrapy crawl`` exiting with them (real subprocesses over the replay archives)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govnews import exitcodes
from tests.archives import FIXTURES
from tests.crawling import ROOT, SCRAPY
from tests.test_article_pages import SECOND_PAGE


@pytest.mark.parametrize(("stats", "code"), [
    ({}, 0),
    ({"item_scraped_count": 7, "failed/count": 0}, 0),
    ({"failed/count": 1}, 3),
    ({"failed/count": 1, "health/failed": 2}, 4),
    ({"failed/count": 1, "health/failed": 1, "halt/reason": "feed_failed"}, 1),
    ({"spider_exceptions/count": 1}, 1),
    ({"signal_errors/count": 1}, 1),
    ({"record/errors": 3}, 1),
])
def test_a_crawls_stats_earn_their_code(stats, code):
    assert exitcodes.of_crawl(stats) == code


@given(st.lists(st.sampled_from([0, 1, 2, 3, 4, 5])))
def test_the_most_urgent_code_wins_in_the_documented_order(codes):
    order = [1, 5, 2, 4, 3, 0]
    expected = min(codes, key=order.index) if codes else 0
    assert exitcodes.most_urgent(codes) == expected
    assert exitcodes.most_urgent([*codes, 1]) == 1


def crawl(tmp_path, replay) -> subprocess.CompletedProcess:
    return subprocess.run([*SCRAPY, "crawl", "city_news", "-a", "portal=whrx", "-s", f"REPLAY={replay}",
                           "-s", f"STATE_DIR={tmp_path / 'state'}", "-O", f"{tmp_path / 'a.jsonl'}:jsonlines",
                           "-s", f"STATS_FILE={tmp_path / 'stats.json'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_scrapy_crawl_exits_3_when_a_page_failed_and_0_once_it_answers(tmp_path):
    archive = tmp_path / "archives" / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    manifest = archive / "manifest.json"
    whole = manifest.read_text(encoding="utf-8")
    cut = json.loads(whole)
    cut["responses"] = [r for r in cut["responses"] if r["url"] != SECOND_PAGE]
    manifest.write_text(json.dumps(cut, ensure_ascii=False), encoding="utf-8")
    failed = crawl(tmp_path, archive.parent)
    assert failed.returncode == 3, failed.stderr[-3000:]
    manifest.write_text(whole, encoding="utf-8")
    recovered = crawl(tmp_path, archive.parent)
    assert recovered.returncode == 0, recovered.stderr[-3000:]
