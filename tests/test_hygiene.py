"""Operator hygiene: the User-Agent a deployment names, RemoteControl off, `make clean`
leaving a user's files alone, the stats file beside its state."""

import json
import shutil
import subprocess

import pytest

from govnews.useragent import TEMPLATE
from tests.crawling import ROOT, SCRAPY, crawlall
from tests.site import ROBOTS_ALLOW_ALL, Site, article_html, page, write_portal

HOST = "http://www.ua.gov.cn"
LIST = f"{HOST}/news/list_1.html"


def crawl_recording_headers(tmp_path, *args: str, env: dict | None = None) -> set[str]:
    """The User-Agent headers a crawl of a two-page loopback site sent (robots.txt included)."""
    site = Site(routes={
        f"{HOST}/robots.txt": ROBOTS_ALLOW_ALL,
        LIST: page(f"<a href='{HOST}/news/1.html'>一</a>"),
        f"{HOST}/news/1.html": page(article_html("标识测试")),
    })
    portals = write_portal(tmp_path / "portals", "ua", "www.ua.gov.cn", r"/news/list_\d+\.html$",
                           r"/news/\d+\.html$", [LIST])
    with site:
        result = crawlall(tmp_path, "-a", "portals=ua", "-s", f"PORTALS_DIR={portals}", "-s", "AUTOTHROTTLE_ENABLED=False",
                          *args, replay=None, env={**site.env, **(env or {})}, timeout=120)
    assert len(result.items) == 1 and len(site.hits) == 3
    return {hit.headers["User-Agent"] for hit in site.hits}


def test_the_contact_url_of_the_environment_is_in_every_user_agent(tmp_path):
    agents = crawl_recording_headers(tmp_path, env={"GOVNEWS_CONTACT_URL": "https://ops.example.org/crawler"})
    assert agents == {TEMPLATE.format(contact="https://ops.example.org/crawler")}


def test_a_contact_url_given_with_s_wins_over_the_environment(tmp_path):
    agents = crawl_recording_headers(tmp_path, "-s", "GOVNEWS_CONTACT_URL=mailto:ops@example.org",
                                     env={"GOVNEWS_CONTACT_URL": "https://ops.example.org/crawler"})
    assert agents == {TEMPLATE.format(contact="mailto:ops@example.org")}


def test_a_user_agent_setting_is_sent_as_it_is(tmp_path):
    agents = crawl_recording_headers(tmp_path, "-s", "USER_AGENT=CityArchiveBot/2.0 (+https://archive.example.org)",
                                     env={"GOVNEWS_CONTACT_URL": "https://ops.example.org/crawler"})
    assert agents == {"CityArchiveBot/2.0 (+https://archive.example.org)"}


def test_without_either_the_project_contact_is_named(tmp_path):
    agents = crawl_recording_headers(tmp_path, env={"GOVNEWS_CONTACT_URL": ""})
    assert agents == {TEMPLATE.format(contact="https://github.com/govnews/govnews")}


@pytest.mark.parametrize("setting, enabled", [(None, False), ("REMOTE_CONTROL_ENABLED=True", True)])
def test_remote_control_is_off_unless_turned_on(tmp_path, setting, enabled):
    result = crawlall(tmp_path, "-a", "portals=cqmjsw", *(["-s", setting] if setting else []))
    assert len(result.items) == 17
    assert ("scrapy.extensions.remote_control.RemoteControl" in result.output) is enabled


def test_the_stats_file_lives_beside_its_state_unless_set(tmp_path):
    done = subprocess.run([*SCRAPY, "crawlall", "-a", "portals=cqmjsw", "-O", f"{tmp_path / 'a.jsonl'}:jsonlines",
                           "-s", f"STATE_DIR={tmp_path / 'state'}", "-s", "REPLAY=tests/fixtures"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    stats = json.loads((tmp_path / "state" / "stats.json").read_text(encoding="utf-8"))
    assert list(stats) == ["cqmjsw"] and stats["cqmjsw"]["item_scraped_count"] == 17


def test_make_clean_removes_only_what_make_crawl_and_make_test_made(tmp_path):
    made = [".venv/bin/python", "output/demo-state/crawl.sqlite3", "output/demo-state/stats.json",
            "output/articles.jsonl", ".hypothesis/examples/x", "govnews/__pycache__/x.pyc"]
    users = ["state/crawl.sqlite3", "state/stats.json", "output/cqmjsw.jsonl", "output/warc/a.warc.gz", "govnews/x.py"]
    for name in made + users:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    done = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == sorted(["Makefile", *users])
    assert not (tmp_path / ".venv").exists() and not (tmp_path / "output" / "demo-state").exists()
