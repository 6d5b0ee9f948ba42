"""Dedupe stage: exact and near duplicates, across portals, runs and mirrors.

The tests taking ``store`` or ``run`` run on both backends of the crawl state: a real SQLite
file and a real redis-server (tests/states.py).
"""

import itertools
import os
import subprocess
import sys
from itertools import count

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from govnews.incremental import IncrementalMiddleware
from govnews.signals import item_written
from govnews.state import open_state
from govnews.items import Article
from govnews.urls import canonical_url
from pipelines.dedupe import (
    DEFAULT_THRESHOLD,
    MIN_CHARS,
    DedupePipeline,
    NearDuplicateIndex,
    band_buckets,
    canonical_text,
    content_hash,
    minhash,
    similarity,
)
from portals import load_portal
from tests.archives import FIXTURES
from tests.crawling import ROOT
from tests.states import sqlite_state

PORTALS = ["cqmjsw", "scsqw", "whrx", "lzbs_mirror", "gjdb"]
SEEDS = {portal: (FIXTURES / portal / "seed.txt").read_text(encoding="utf-8") for portal in PORTALS}
#: Seed 003 is a Traditional+pinyin mirror; this is its Simplified original.
ORIGIN = (FIXTURES / "lzbs_mirror" / "origin_simplified.txt").read_text(encoding="utf-8")


def edited_repost(text: str) -> str:
    """A repost as other sites make them: own intro line, one paragraph cut, a sentence reworded."""
    lines = text.split("\n")
    lines = ["转自兰州日报客户端 2022年11月20日 记者 王晓明", *lines[:7], *lines[8:]]
    return "\n".join(lines).replace("市委组织部下发紧急通知后,仅用半天时间", "市委组织部当天下发紧急通知,不到半天时间")


def estimated(a: str, b: str) -> float:
    return similarity(minhash(canonical_text(a)), minhash(canonical_text(b)))


@pytest.fixture
def store(state):
    """The crawl state, in each backend."""
    return state


# --- NearDuplicateIndex ----------------------------------------------------------------------


def test_the_mirror_and_its_simplified_original_are_one_text():
    assert canonical_text(SEEDS["lzbs_mirror"]).startswith(canonical_text(ORIGIN.split("\n")[0]))
    assert estimated(SEEDS["lzbs_mirror"], ORIGIN) >= 0.9


@pytest.mark.parametrize("first, later", [(ORIGIN, SEEDS["lzbs_mirror"]), (SEEDS["lzbs_mirror"], ORIGIN)])
def test_mirror_and_origin_are_near_duplicates_in_either_order(store, first, later):
    index = NearDuplicateIndex(store)
    assert index.add("first", first) is None
    assert index.add("later", later) == "first"


def test_an_edited_repost_is_a_near_duplicate_of_its_source(store):
    index = NearDuplicateIndex(store)
    assert 0.6 <= estimated(edited_repost(ORIGIN), ORIGIN) < 0.9
    index.add("https://lzbs.example/origin", ORIGIN)
    assert index.add("https://repost.example/1", edited_repost(ORIGIN)) == "https://lzbs.example/origin"
    assert index.add("https://repost.example/2", edited_repost(SEEDS["lzbs_mirror"])) == "https://lzbs.example/origin"


def test_the_five_seed_articles_on_one_topic_are_pairwise_not_near(store):
    for a, b in itertools.combinations(PORTALS, 2):
        assert estimated(SEEDS[a], SEEDS[b]) < 0.1, (a, b)
    index = NearDuplicateIndex(store)
    assert [index.add(portal, SEEDS[portal]) for portal in PORTALS] == [None] * 5
    assert [index.query(SEEDS[portal]) for portal in PORTALS] == PORTALS


def test_query_does_not_store(store):
    index = NearDuplicateIndex(store)
    assert index.query(ORIGIN) is None
    assert index.add("origin", ORIGIN) is None


def test_the_index_persists_in_the_state(state_settings):
    first = open_state(Settings(state_settings))
    NearDuplicateIndex(first).add("origin", ORIGIN)
    first.close()
    second = open_state(Settings(state_settings))
    assert second is not first
    assert NearDuplicateIndex(second).query(SEEDS["lzbs_mirror"]) == "origin"
    second.close()


def test_adding_a_key_again_replaces_it_instead_of_matching_itself(store):
    index = NearDuplicateIndex(store)
    assert index.add("origin", ORIGIN) is None
    assert index.add("origin", ORIGIN) is None
    assert [url for url, _ in store.band_matches(band_buckets(minhash(canonical_text(ORIGIN))))] == ["origin"]


def test_short_texts_are_neither_matched_nor_stored(store):
    index = NearDuplicateIndex(store)
    notice = "本文转载自兰州日报,版权归原作者所有。"
    assert len(canonical_text(notice)) < MIN_CHARS
    assert index.add("a", notice) is None and index.add("b", notice) is None
    assert index.query(notice) is None


def test_signatures_are_the_same_in_every_process():
    """Persisted signatures must not depend on Python's per-process hash seed."""
    code = "import sys; from pipelines.dedupe import *; print(minhash(canonical_text(sys.stdin.read())))"
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", code], input=ORIGIN, capture_output=True, text=True,
                              check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.stdout.strip() == str(minhash(canonical_text(ORIGIN)))


TEXT = st.text(alphabet=st.sampled_from(
    list("市直機關干部下沉社區堅決筑牢疫情防控第一線志愿者党员核酸检测") + list("jīguān()（）,，。 \n\tAZaz09０９—“”")
), max_size=300)
KEYS = count()


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(TEXT, st.text(max_size=300)))
def test_add_never_raises_and_a_text_is_a_near_duplicate_of_itself(tmp_path_factory, text):
    store = sqlite_state(tmp_path_factory.getbasetemp() / "hypothesis-state")
    try:
        index = NearDuplicateIndex(store)
        key = f"k{next(KEYS)}"
        earlier = index.add(key, text)
        found = index.query(text)
        if len(canonical_text(text)) >= MIN_CHARS:
            assert found == (earlier or key)
        else:
            assert earlier is None and found is None
    finally:
        store.close()


# --- DedupePipeline ---------------------------------------------------------------------------


def article(url: str, body: str, portal: str = "lzbs_mirror") -> Article:
    return Article(url=url, portal=portal, template="city_news", title="标题", body=body)


class Run:
    """One crawler's dedupe stage over a real state file; emits and drops as Scrapy does."""

    def __init__(self, state_settings, **settings):
        self.crawler = get_crawler(settings_dict={**state_settings, **settings})
        self.pipeline = DedupePipeline.from_crawler(self.crawler)
        self.emitted: list[Article] = []

    def feed(self, *items: Article) -> list[str]:
        """Process every item, then let each leave (scraped or dropped); outcome per item."""
        outcomes = []
        for item in items:
            try:
                outcomes.append(self.pipeline.process_item(item))
            except DropItem as exc:
                outcomes.append(exc)
        for item, outcome in zip(items, outcomes):
            if isinstance(outcome, DropItem):
                self.crawler.signals.send_catch_log(signals.item_dropped, item=item, response=None,
                                                    exception=outcome, spider=None)
            else:
                self.emitted.append(item)
                self.crawler.signals.send_catch_log(item_written, item=item, spider=None)
        return ["dropped" if isinstance(o, DropItem) else "emitted" for o in outcomes]

    def stats(self, kind: str) -> int:
        return self.crawler.stats.get_value(f"dedupe/{kind}", 0)

    def close(self) -> None:
        self.crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")


@pytest.fixture
def run(state_settings):
    runs: list[Run] = []

    def start(**settings):
        runs.append(Run(state_settings, **settings))
        return runs[-1]

    yield start
    for opened in runs:
        opened.close()


def test_later_duplicates_are_dropped_and_counted(run):
    crawl = run()
    origin = article("https://lzbs.example/1.html", ORIGIN, "lzbs")
    exact = article("https://other.example/9.html", ORIGIN.replace("\n", "\n\n").replace(",", "，"))
    mirror = article("https://www.lzxwmirror.com/lzbs/1.html", SEEDS["lzbs_mirror"])
    other = article("https://www.gjdbw.com/news/1.htm", SEEDS["gjdb"], "gjdb")
    assert crawl.feed(origin, exact, mirror, other) == ["emitted", "dropped", "dropped", "emitted"]
    assert (crawl.stats("unique"), crawl.stats("exact"), crawl.stats("near")) == (2, 1, 1)
    assert [item.duplicate_of for item in crawl.emitted] == [None, None]


def test_a_dropped_duplicate_names_its_canonical_url(run):
    crawl = run()
    crawl.feed(article("https://lzbs.example/1.html", ORIGIN))
    with pytest.raises(DropItem, match=r"near duplicate of https://lzbs\.example/1\.html"):
        crawl.pipeline.process_item(article("https://mirror.example/1.html", SEEDS["lzbs_mirror"]))


def test_keep_duplicates_emits_them_marked(run):
    crawl = run(KEEP_DUPLICATES=True)
    items = [article("https://lzbs.example/1.html", ORIGIN), article("https://a.example/2.html", ORIGIN),
             article("https://mirror.example/3.html", SEEDS["lzbs_mirror"])]
    assert crawl.feed(*items) == ["emitted"] * 3
    assert [item.duplicate_of for item in crawl.emitted] == [None, "https://lzbs.example/1.html",
                                                             "https://lzbs.example/1.html"]
    assert (crawl.stats("unique"), crawl.stats("exact"), crawl.stats("near")) == (1, 1, 1)


def test_two_copies_in_flight_at_once_are_still_caught(run):
    crawl = run()
    first, second = article("https://a.example/1.html", ORIGIN), article("https://b.example/1.html", edited_repost(ORIGIN))
    outcomes = [crawl.pipeline.process_item(first)]
    with pytest.raises(DropItem, match="https://a.example/1.html"):
        crawl.pipeline.process_item(second)
    assert outcomes == [first]


def test_the_state_is_written_when_a_feed_wrote_the_item_not_before(run):
    crawl = run()
    item = article("https://a.example/1.html", ORIGIN)
    crawl.pipeline.process_item(item)
    assert crawl.pipeline.store.first_seen(item.url) is None  # not exported yet: a kill here loses nothing
    crawl.crawler.signals.send_catch_log(signals.item_scraped, item=item, response=None, spider=None)
    assert crawl.pipeline.store.first_seen(item.url) is None  # scraped is not written (a full disk)
    crawl.crawler.signals.send_catch_log(item_written, item=item, spider=None)
    assert crawl.pipeline.store.first_seen(item.url) is not None


def test_dropped_duplicates_are_remembered_so_the_next_run_skips_them(run):
    crawl = run()
    crawl.feed(article("https://a.example/1.html", ORIGIN), article("https://m.example/1.html", SEEDS["lzbs_mirror"]))
    store = crawl.pipeline.store
    mirror = canonical_text(SEEDS["lzbs_mirror"])
    assert store.first_seen("https://m.example/1.html") is not None
    assert store.find_hash(content_hash(mirror)) == "https://a.example/1.html"  # its canonical article
    # Only canonical articles enter the near-duplicate index.
    assert [url for url, _ in store.band_matches(band_buckets(minhash(mirror)))] == ["https://a.example/1.html"]


def test_an_item_a_later_stage_drops_stays_unseen(run):
    crawl = run()
    item = article("https://a.example/1.html", ORIGIN)
    crawl.pipeline.process_item(item)
    crawl.crawler.signals.send_catch_log(signals.item_dropped, item=item, response=None,
                                         exception=DropItem("later stage"), spider=None)
    assert crawl.pipeline.store.first_seen(item.url) is None


def test_duplicates_are_found_across_runs_and_portals(run):
    run().feed(article("https://lzbs.example/1.html", ORIGIN, "lzbs"))
    later = run()
    assert later.feed(article("https://www.lzxwmirror.com/lzbs/1.html", SEEDS["lzbs_mirror"])) == ["dropped"]
    assert later.stats("near") == 1


def test_an_article_met_again_is_not_a_duplicate_of_itself(run):
    crawl = run()
    crawl.feed(article("https://a.example/1.html", ORIGIN))
    store = crawl.pipeline.store
    before = store.first_seen("https://a.example/1.html")
    assert run().feed(article("https://a.example/1.html", edited_repost(ORIGIN))) == ["emitted"]
    assert store.first_seen("https://a.example/1.html") == before
    assert store.content_hash_of("https://a.example/1.html") == content_hash(canonical_text(edited_repost(ORIGIN)))
    assert store.find_hash(content_hash(canonical_text(ORIGIN))) is None


def test_an_article_met_again_unchanged_is_not_emitted_again(run):
    """A resumed run re-fetches what its restored request queue holds: no second copy."""
    crawl = run()
    assert crawl.feed(article("https://a.example/1.html", ORIGIN)) == ["emitted"]
    again = run()
    assert again.feed(article("https://a.example/1.html", ORIGIN)) == ["dropped"]
    assert again.stats("unchanged") == 1
    assert again.feed(article("https://a.example/1.html", ORIGIN)) == ["dropped"]  # in one run too


def test_host_alias_urls_of_one_article_dedupe(run):
    scsqw = load_portal("scsqw")
    path = "/xwzx/zgjx/2022nzgjx/content_99512"
    aliases = [f"http://www.scsqw.cn{path}", f"http://scdfz.org.cn{path}?utm_source=wechat",
               f"https://www.scdfz.org.cn{path}#top", f"http://scsqw.cn{path}/"]
    canonical = {canonical_url(url, scsqw.hosts, scsqw.scheme) for url in aliases}
    assert len(canonical) == 1
    body = SEEDS["scsqw"]
    crawl = run()
    assert crawl.feed(article(canonical.pop(), body, "scsqw")) == ["emitted"]
    # The next run skips every alias spelling: they are one URL in the state.
    middleware = IncrementalMiddleware(crawl.crawler, crawl.pipeline.store, refresh_days=0)
    assert all(middleware.is_known(canonical_url(url, scsqw.hosts, scsqw.scheme)) for url in aliases)
    # An alias the portal file does not list yet is caught by the body hash.
    assert run().feed(article(f"http://scdfz.sc.gov.cn{path}", body, "scsqw")) == ["dropped"]


def test_the_default_threshold_separates_the_measured_pairs():
    near = [estimated(SEEDS["lzbs_mirror"], ORIGIN), estimated(edited_repost(ORIGIN), ORIGIN)]
    apart = [estimated(SEEDS[a], SEEDS[b]) for a, b in itertools.combinations(PORTALS, 2)]
    assert max(apart) + 0.3 < DEFAULT_THRESHOLD < min(near) - 0.1
