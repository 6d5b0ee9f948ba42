"""``make eval``'s scoring: the seven checks of the realpages corpus, on golds and pages
written here, and the report ``python -m benchmarks.eval`` writes."""

import json
import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.corpus import UNKNOWN_URL, Page, load_corpus
from benchmarks.eval import evaluate
from benchmarks.scoring import CHECKS, date_ok, fold, nospace, score_page, trim
from benchmarks.timing import CLOCKS, measure
from tests.crawling import ROOT

GOLD = {
    "title": "全市秋粮收购工作推进会召开",
    "published_at": "2024-10-18T09:30:00+08:00",
    "date_precision": "minute",
    "source": "市粮食局",
    "editor": None,
    "body_starts": "10月17日,全市秋粮",
    "body_ends": ["卖得好。", "卖得出。"],
    "must_not_contain": ["打印本页"],
}
ITEM = {
    "title": " 全市秋粮收购工作推进会召开 ",
    "published_at": "2024-10-18T09:30:00+08:00",
    "date_precision": "minute",
    "source": "市粮食局",
    "editor": "",
    "body": "10月17日，全市秋粮收购工作推进会召开。\n\n确保农民种粮卖得出、卖得好。",
}


def test_an_item_as_the_gold_says_passes_every_check():
    # Full-width punctuation folds (，→ ,), line breaks and spaces are layout, an empty
    # editor is none, and any of several accepted body ends will do.
    assert score_page(GOLD, ITEM) == dict.fromkeys(CHECKS, True)


@pytest.mark.parametrize("change, failed", [
    ({"title": "全市秋粮收购工作推进会召开_某市人民政府"}, "title"),
    ({"published_at": "2024-10-18T00:00:00+08:00", "date_precision": "day"}, "published_at"),  # coarser
    ({"published_at": "2024-10-18T09:31:00+08:00"}, "published_at"),
    ({"source": "市粮食局 2024-10-18"}, "source"),
    ({"editor": "王五"}, "editor"),  # a null gold wants none
    ({"body": "会议指出，10月17日，全市秋粮收购。卖得好。"}, "body_starts"),
    ({"body": "10月17日，全市秋粮收购。卖得好。【打印本页】"}, ("body_ends", "must_not_contain")),
])
def test_each_check_fails_on_its_own_field(change, failed):
    failed = {failed} if isinstance(failed, str) else set(failed)
    result = score_page(GOLD, {**ITEM, **change})
    assert {check for check, right in result.items() if not right} == failed


def test_a_missing_or_failed_item_fails_every_check():
    assert score_page(GOLD, None) == dict.fromkeys(CHECKS, False)
    assert score_page(GOLD, {**ITEM, "error": "no_body"}) == dict.fromkeys(CHECKS, False)
    empty = score_page({**GOLD, "must_not_contain": []}, {**ITEM, "body": ""})
    assert [check for check in CHECKS if empty[check]] == ["title", "published_at", "source", "editor"]


def test_dates_compare_at_the_golds_precision():
    day_gold = {"published_at": "2024-10-18T00:00:00+08:00", "date_precision": "day"}
    assert date_ok(day_gold, {"published_at": "2024-10-18T09:30:00+08:00", "date_precision": "minute"})
    assert not date_ok(day_gold, {"published_at": "2024-10-17T09:30:00+08:00", "date_precision": "minute"})
    assert not date_ok(day_gold, {})
    second_gold = {"published_at": "2024-10-18T09:30:05+08:00", "date_precision": "second"}
    # An item's precision caps what its ISO string claims.
    assert not date_ok(second_gold, {"published_at": "2024-10-18T09:30:05+08:00", "date_precision": "minute"})
    none_gold = {"published_at": None, "date_precision": None, "published_at_alt": ["2024-10-18T00:00:00+08:00"]}
    assert date_ok(none_gold, {"published_at": None})
    assert date_ok(none_gold, {"published_at": "2024-10-18T20:00:00+08:00", "date_precision": "minute"})
    assert not date_ok(none_gold, {"published_at": "2024-10-19T00:00:00+08:00", "date_precision": "day"})
    assert not date_ok({**none_gold, "published_at_alt": None}, {"published_at": "2024-10-18T00:00:00+08:00"})


def test_fold_maps_full_width_forms_and_odd_spaces():
    assert fold("ＡＢＣ，１２３：！\u3000a\xa0b\u200bc\ufeff") == "ABC,123:! a b c "
    assert fold(None) == ""
    assert trim(" 来源：\u3000人民日报 \n 记者 ") == "来源: 人民日报 记者"
    assert nospace("人民\n\n日报　２０２４") == "人民日报2024"


@given(st.text())
def test_fold_leaves_no_full_width_ascii_and_keeps_the_length(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert not any(0xFF01 <= ord(c) <= 0xFF5E for c in folded)
    assert fold(folded) == folded


@given(st.text())
def test_trim_and_nospace_are_idempotent_and_agree(text):
    trimmed, bare = trim(text), nospace(text)
    assert trim(trimmed) == trimmed and nospace(bare) == bare
    assert trimmed == trimmed.strip() and "  " not in trimmed
    assert not any(c.isspace() for c in bare)
    assert nospace(trimmed) == bare  # whitespace is all either one ever changes beyond fold


# --- a corpus of pages written here, through the project's generic path ---------------

ARTICLE = """<html><head><meta charset="utf-8"><title>全市秋粮收购工作推进会召开_某市人民政府</title></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwdt/">政务动态</a></div>
<div class="article"><h1>全市秋粮收购工作推进会召开</h1>
<div class="info">来源：市粮食局　发布时间：2024-10-18 09:30</div>
<div class="text"><p>10月17日，全市秋粮收购工作推进会召开，会议总结前期收购进展，部署下一阶段工作。</p>
<p>会议要求，各地要加强收购资金保障，优化为农服务，确保农民种粮卖得出、卖得好。</p></div>
<p>【打印本页】【关闭窗口】</p></div></body></html>"""
NOT_AN_ARTICLE = "<html><head><meta charset='utf-8'><title>页面不存在</title></head><body><p>404</p></body></html>"


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "grain.html").write_bytes(ARTICLE.encode("gb18030"))  # no charset it declares
    (tmp_path / "pages" / "gone.html").write_bytes(NOT_AN_ARTICLE.encode("utf-8"))
    golds = {"grain": {**GOLD, "path": "pages/grain.html", "url_if_known": "http://www.example.gov.cn/zwdt/1.html",
                       "body_ends": "卖得好。"},
             "gone": {**GOLD, "path": "pages/gone.html"}}
    (tmp_path / "golds.json").write_text(json.dumps(golds, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_the_project_is_scored_and_timed_on_each_page(corpus):
    result = evaluate(load_corpus(corpus), ("project",), rounds=2)
    assert result["checks"] == {"grain": {"project": dict.fromkeys(CHECKS, True)},
                                "gone": {"project": dict.fromkeys(CHECKS, False)}}
    assert result["totals"] == {"project": {
        "per_check": dict.fromkeys(CHECKS, 1), "right": 7, "total": 14, "pages_all_right": 1}}
    assert set(result["ms"]["grain"]) == {"lxml", "project"}
    assert all(ms > 0 for page in result["ms"].values() for ms in page.values())
    assert set(result["timing"]) == {"lxml", "project"} and result["timing"]["lxml"]["median_ratio_to_lxml"] == 1.0
    assert result["failures"]["project"][0].startswith("gone title: got ")


def test_cpu_time_leaves_out_a_wait_the_wall_clock_counts():
    """A call off its core (here asleep) costs wall time but no CPU time of the process."""
    def waits(body: bytes, url: str) -> dict:
        time.sleep(0.05)
        return {}

    page = Page("p", "http://www.example.gov.cn/1.html", b"<p>1</p>")
    wall, cpu = (measure([page], {"waits": waits}, 1, CLOCKS[clock])["p"]["waits"].ms for clock in ("wall", "cpu"))
    assert wall >= 50 > 10 > cpu


def test_eval_can_time_on_cpu_time(corpus):
    result = evaluate(load_corpus(corpus), ("project",), rounds=1, clock="cpu")
    assert result["clock"] == "cpu" and all(ms > 0 for page in result["ms"].values() for ms in page.values())


def test_a_folder_without_golds_is_every_html_file_under_it(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_bytes(b"<p>1</p>")
    (tmp_path / "two.html").write_bytes(b"<p>2</p>")
    pages = load_corpus(tmp_path)
    assert [(p.key, p.url, p.body, p.gold) for p in pages] == [
        ("a_one", UNKNOWN_URL.format(key="a_one"), b"<p>1</p>", None),
        ("two", UNKNOWN_URL.format(key="two"), b"<p>2</p>", None)]


def test_eval_writes_its_report_and_prints_the_tables(corpus, tmp_path):
    out = tmp_path / "eval.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.eval", "--corpus", str(corpus), "--out", str(out),
                           "--extractors", "project", "--rounds", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["totals"]["project"]["right"] == 7 and report["corpus"] == str(corpus)
    lines = done.stdout.splitlines()
    assert "all checks                  7/14" in lines
    assert "pages wholly right           1/2" in lines
    timing = next(n for n, line in enumerate(lines) if line.startswith("wall time per page"))
    assert lines.index("all checks                  7/14") < lines.index("timing…") < timing  # scores before timing


def test_eval_refuses_a_folder_without_golds(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmarks.eval", "--corpus", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no golds.json" in done.stderr
