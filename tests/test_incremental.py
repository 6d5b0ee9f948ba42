"""Scheduled runs against one crawl state: nothing twice, new articles only, resume after kill."""

import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

from govnews.feeds import DurableFileFeedStorage
from tests.archives import FIXTURES
from tests.crawling import ROOT, SCRAPY, crawlall, kill_once_recorded, proxy_env, recorded_urls
from tests.loopback import ArchiveProxy
from tests.test_crawl import PORTALS, article_urls


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("scheduled")
    first = crawlall(workdir)
    second = crawlall(workdir)
    return first, second


def test_a_second_run_emits_nothing_and_fetches_only_first_list_pages(two_runs):
    first, second = two_runs
    assert len(first.items) == sum(len(article_urls(p)) for p in PORTALS)
    assert second.items == []
    for portal in PORTALS:
        stats = second.stats[portal]
        robots = stats.get("robotstxt/request_count", 0)
        assert stats["downloader/request_count"] == robots + 1, portal  # robots.txt + list page 1
        assert stats["incremental/skipped"] >= 1 and stats["incremental/stopped"] == 1
        assert stats.get("item_scraped_count", 0) == 0


#: Two new articles of their own (not reposts of the seed: the dedupe stage would drop those).
NEW_ARTICLES = {
    33001: ("武汉东湖绿道恢复开放", [
        "5月10日起,武汉东湖绿道恢复开放,市民可通过预约码分时段入园。",
        "东湖生态旅游风景区管委会介绍,此次开放听涛、磨山、落雁等景区路段,入口处设置测温点和扫码点,"
        "园内每隔一段距离安排志愿者提醒游客保持间距、佩戴口罩。",
        "不少市民一早就来到湖边骑行、散步。家住徐东的刘女士说,关在家里两个多月,终于又看到了满湖的春水,"
        "心情格外舒畅。景区提醒,周末客流较大,请游客错峰出行,不要聚集。",
    ]),
    33002: ("汉口江滩花海迎客", [
        "连日来,汉口江滩的二月兰、虞美人和波斯菊次第开放,吸引不少市民前来赏花拍照。",
        "江滩管理办公室工作人员表示,今年春季共补种花卉三十余万株,形成五片主题花海。各出入口实行实名登记,"
        "亲水平台暂不开放,游览步道按单向通行设置。",
        "傍晚时分,跑步的年轻人和带着孩子的老人沿着江堤慢慢走着,长江两岸的灯光秀也在周末重新亮起,"
        "城市的烟火气正一点点回来。",
    ]),
}


def add_two_articles(archive):
    """Publish two new articles at the top of list page 1 of a copy of the whrx archive."""
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    seed_page = archive / "pages" / "article_31867.html"
    base = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0510/"
    html = seed_page.read_bytes().decode("gbk")
    links = ""
    for number, (topic, paragraphs) in NEW_ARTICLES.items():
        page = html.replace("下沉干部当好“三员” ，走“心”战疫下社区", topic)
        body = "".join(f"<p>　　{text}</p>" for text in paragraphs)
        page = re.sub(r'(<div class="content">).*?(</div>\s*<div class="dede_pages">)', rf"\1{body}\2",
                      page, count=1, flags=re.S)
        (archive / "pages" / f"article_{number}.html").write_bytes(page.encode("gbk"))
        manifest["responses"].append({"url": f"{base}{number}.html", "file": f"pages/article_{number}.html",
                                      "status": 200, "headers": {"Content-Type": "text/html; charset=gbk"}})
        links += f'<li><a href="{base}{number}.html" class="title">{topic}</a></li>'
    (archive / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    list_page = archive / "pages" / "hubeixinwen_index.html"
    text = list_page.read_bytes().decode("gbk")
    text = text.replace('<ul class="e2">', f'<ul class="e2">{links}', 1)
    list_page.write_bytes(text.encode("gbk"))
    return [f"{base}33001.html", f"{base}33002.html"]


def test_new_articles_on_a_list_page_are_exactly_what_the_next_run_fetches(tmp_path):
    archive = tmp_path / "archive" / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    first = crawlall(tmp_path, "-a", "portals=whrx", replay=str(archive))
    new = add_two_articles(archive)
    second = crawlall(tmp_path, "-a", "portals=whrx", replay=str(archive))
    assert len(first.items) == len(article_urls("whrx"))
    assert sorted(item["url"] for item in second.items) == new
    stats = second.stats["whrx"]
    # robots.txt, list page 1 (two new articles, so on to) list page 2 (all seen), two articles
    assert stats["downloader/request_count"] == 1 + 2 + 2
    assert stats["incremental/skipped"] == len(article_urls("whrx"))
    assert stats["dedupe/unique"] == 2 and stats.get("item_dropped_count", 0) == 0


def test_after_an_unfinished_run_pagination_goes_on_past_pages_it_recorded(tmp_path):
    """A run killed once list page 1 was done never reached page 2: the next one must."""
    crawlall(tmp_path, "-a", "portals=whrx")
    base = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/"
    page_two = [f"{base}0415/31420.html", f"{base}0410/31288.html", f"{base}0403/31102.html"]
    with contextlib.closing(sqlite3.connect(tmp_path / "state" / "crawl.sqlite3")) as db:
        db.execute("UPDATE crawls SET finished = NULL")
        db.executemany("DELETE FROM articles WHERE url = ?", [(url,) for url in page_two])
        db.commit()
    resumed = crawlall(tmp_path, "-a", "portals=whrx")
    assert sorted(item["url"] for item in resumed.items) == sorted(page_two)
    stats = resumed.stats["whrx"]
    assert stats["incremental/skipped"] == len(article_urls("whrx")) - len(page_two)
    assert "incremental/stopped" not in stats


def test_refresh_days_fetches_young_articles_again_and_emits_only_the_corrected_ones(tmp_path):
    archive = tmp_path / "archive" / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    first = crawlall(tmp_path, "-a", "portals=whrx", replay=str(archive))
    page = archive / "pages" / "article_31102.html"  # the site corrects one article
    page.write_bytes(page.read_bytes().decode("gbk").replace("一垄垄茶树间", "一垄垄茶园间").encode("gbk"))
    again = crawlall(tmp_path, "-a", "portals=whrx", "-s", "REFRESH_DAYS=1", replay=str(archive))
    assert [item["url"] for item in again.items] == [
        "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0403/31102.html"]
    assert "一垄垄茶园间" in again.items[0]["body"]
    stats = again.stats["whrx"]
    assert stats["dedupe/updated"] == 1 and stats["dedupe/unchanged"] == len(first.items) - 1
    assert "incremental/skipped" not in stats and "dedupe/unique" not in stats


def test_a_crawl_killed_midway_resumes_with_every_article_exactly_once(tmp_path):
    """SIGKILL after the first item, restart with the same JOBDIR and STATE_DIR.

    The kill lands between two items (half a download delay after the first line shows),
    as a reboot or OOM kill almost always does. Right at an item, between its feed line
    and its state commit (0.1–0.4 ms, measured), a kill would make it come out again in the
    next run: the one window where "nothing lost" was chosen over "nothing twice".
    """
    outputs = [tmp_path / "run1.jsonl", tmp_path / "run2.jsonl"]
    with ArchiveProxy(FIXTURES / "whrx") as proxy:
        def command(output):
            return [*SCRAPY, "crawlall", "-a", "portals=whrx", "-o", f"{output}:jsonlines",
                    "-s", f"JOBDIR={tmp_path / 'job'}", "-s", f"STATE_DIR={tmp_path / 'state'}",
                    "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.4",
                    "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", "-s", f"STATS_FILE={tmp_path / 'stats.json'}"]
        env = {**os.environ, "http_proxy": proxy.url, "no_proxy": "", "NO_PROXY": ""}
        crawl = subprocess.Popen(command(outputs[0]), cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            outputs[0].exists() and outputs[0].read_text(encoding="utf-8").count("\n") >= 1
        ):
            time.sleep(0.02)
        time.sleep(0.2)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        killed_with = outputs[0].read_text(encoding="utf-8").count("\n")
        done = subprocess.run(command(outputs[1]), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
    urls = [json.loads(line)["url"] for output in outputs for line in output.read_text(encoding="utf-8").splitlines()]
    assert 1 <= killed_with < len(article_urls("whrx"))
    assert sorted(urls) == sorted(article_urls("whrx"))
    assert (tmp_path / "job" / "whrx" / "requests.queue").is_dir()  # the portal's own job folder


def test_crawlall_gives_each_portal_its_own_job_folder(tmp_path):
    result = crawlall(tmp_path, "-a", "portals=whrx,gjdb", "-s", f"JOBDIR={tmp_path / 'job'}")
    assert sorted(p.name for p in (tmp_path / "job").iterdir()) == ["gjdb", "whrx"]
    assert len(result.items) == len(article_urls("whrx")) + len(article_urls("gjdb"))


def test_scrapy_crawl_killed_midway_loses_no_item_the_state_recorded(tmp_path):
    """Plain ``scrapy crawl -o``: Scrapy's own feed file must hold every recorded item."""
    outputs = [tmp_path / "run1.jsonl", tmp_path / "run2.jsonl"]
    state = tmp_path / "state"
    with ArchiveProxy(FIXTURES / "whrx") as proxy:
        def command(output):
            return [*SCRAPY, "crawl", "city_news", "-a", "portal=whrx", "-o", f"{output}:jsonlines",
                    "-s", f"JOBDIR={tmp_path / 'job'}", "-s", f"STATE_DIR={state}",
                    "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.4",
                    "-s", f"STATS_FILE={tmp_path / 'stats.json'}"]
        env = proxy_env(proxy)
        kill_once_recorded(command(outputs[0]), env, state)
        recorded = recorded_urls(state)
        done = subprocess.run(command(outputs[1]), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
    first, second = ([json.loads(line)["url"] for line in output.read_text(encoding="utf-8").splitlines()]
                     for output in outputs)
    assert 2 <= len(recorded) < len(article_urls("whrx"))
    assert set(recorded) <= set(first)
    assert sorted(first + second) == sorted(article_urls("whrx"))


def test_durable_feed_storage_puts_an_item_on_disk_at_sync_and_can_take_it_back(tmp_path):
    path = tmp_path / "feeds" / "items.jsonl"
    storage = DurableFileFeedStorage(str(path), feed_options={"overwrite": True})
    file = storage.open(None)
    file.write(b'{"url": "https://a.cn/1.html"}\n')
    assert file.sync() and path.read_bytes() == b'{"url": "https://a.cn/1.html"}\n'
    file.write(b'{"url": "https://a.cn/2.html"}\n')
    assert file.sync()
    file.take_back()  # the item the last sync put on disk is gone (its record failed)...
    assert path.read_bytes() == b'{"url": "https://a.cn/1.html"}\n'
    file.write(b'{"url": "https://a.cn/3.html"}\n')  # ...and the file goes on from there
    storage.store(file)
    assert file.closed and path.read_bytes() == b'{"url": "https://a.cn/1.html"}\n{"url": "https://a.cn/3.html"}\n'
