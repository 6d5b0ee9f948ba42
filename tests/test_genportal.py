"""``scrapy genportal``: a portal file written from a site's pages crawls as the hand-written one.

For each of the five seed portals, genportal reads its replay archive from the start page
(the seed) and writes a portal file into a temporary PORTALS_DIR/SEEDS_DIR; a replay crawl
with that file must emit the same articles — URLs, titles, bodies, dates — as a crawl with
the hand-written file. Live, over a loopback proxy serving an archive, it fetches through
Scrapy (robots.txt, the User-Agent) and writes the file the replay run writes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib

import pytest
import re2
from hypothesis import given
from hypothesis import strategies as st

from govnews.genportal.shapes import generalised, list_path_regex, shape_of, url_pattern

from tests.archives import FIXTURES
from tests.crawling import ROOT, crawlall, proxy_env
from tests.loopback import ArchiveProxy
from tests.test_usage_errors import SCRAPY, assert_one_line

PORTALS = ("cqmjsw", "gjdb", "lzbs_mirror", "scsqw", "whrx")
COMPARED = ("url", "title", "body", "published_at")


def seed_of(portal: str) -> str:
    return (ROOT / "seeds" / f"{portal}.txt").read_text(encoding="utf-8").split()[0]


def genportal(folder, url: str, name: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SCRAPY, "genportal", url, "--name", name, "-s", f"PORTALS_DIR={folder}", "-s", f"SEEDS_DIR={folder}", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env or dict(os.environ))


def articles(items: list[dict], portal: str) -> list[tuple]:
    return sorted(tuple(item[key] for key in COMPARED) for item in items if item["portal"] == portal)


@pytest.mark.slow
def test_generated_portals_crawl_the_same_articles_as_the_hand_written(tmp_path):
    generated = tmp_path / "generated"
    for portal in PORTALS:
        done = genportal(generated, seed_of(portal), f"gen_{portal}", "--replay", str(FIXTURES / portal))
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.startswith(f"wrote {generated / f'gen_{portal}.toml'} and "), done.stdout
        text = (generated / f"gen_{portal}.toml").read_text(encoding="utf-8")
        keys = [line.split(" = ")[0] for line in text.splitlines() if " = " in line and not line.startswith(("#", " "))]
        lines = text.splitlines()
        for key in keys:  # every key says what it was inferred from
            above = lines[lines.index(next(line for line in lines if line.startswith(f"{key} = "))) - 1]
            assert above.startswith(f"# {key}: "), (portal, key)
        assert (generated / f"gen_{portal}.txt").read_text(encoding="utf-8") == f"{seed_of(portal)}\n"

    hand = crawlall(tmp_path / "hand", "-a", f"portals={','.join(PORTALS)}")
    names = ",".join(f"gen_{portal}" for portal in PORTALS)
    ours = crawlall(tmp_path / "ours", "-a", f"portals={names}", "-s", f"PORTALS_DIR={generated}",
                    "-s", f"SEEDS_DIR={generated}")
    for portal in PORTALS:
        expected = articles(hand.items, portal)
        assert len(expected) >= 5
        assert articles(ours.items, f"gen_{portal}") == expected, portal
        stats = ours.stats[f"gen_{portal}"]
        assert stats.get("failed/count", 0) == 0 and stats.get("replay/miss", 0) == 0, (portal, stats)
        assert stats["downloader/request_count"] == hand.stats[portal]["downloader/request_count"], portal


def test_what_genportal_infers_for_a_dedecms_site(tmp_path):
    done = genportal(tmp_path, seed_of("whrx"), "mysite", "--replay", str(FIXTURES / "whrx"))
    assert done.returncode == 0, done.stderr[-3000:]
    portal = tomllib.loads((tmp_path / "mysite.toml").read_text(encoding="utf-8"))
    assert portal["hosts"] == ["www.whrx.net"] and portal["scheme"] == "http"
    assert portal["title"] == "武汉热线" and portal["cms"] == "dedecms" and portal["list_order"] == "newest_first"
    assert portal["urls"] == {
        "list": [r"^https?://(?:www\.whrx\.net)(?::\d+)?/a/guoneixinwen/hubeixinwen/(?:list_\d+_\d+\.html)?(?:[?#].*)?$"],
        "article": [r"^https?://(?:www\.whrx\.net)(?::\d+)?/a/guoneixinwen/hubeixinwen/\d{4}/\d{4}/\d+\.html(?:[?#].*)?$"],
    }
    assert portal["selectors"]["article_links"] == "ul.e2 a"
    assert portal["selectors"]["next_page"] == "//ul[@class='pagelist']//a[normalize-space(.)='下一页']/@href"
    assert portal["selectors"]["title"] == "div.article h1"
    assert "could not decide: template: city_news is a guess" in done.stdout


def delay_written(tmp_path, robots: str | None) -> tuple[float, str]:
    """``download_delay`` and its comment in the file genportal writes for whrx's archive,
    its robots.txt replaced by ``robots`` (None: as saved, no Crawl-delay)."""
    archive = tmp_path / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    if robots is not None:
        (archive / "pages" / "robots.txt").write_text(robots, encoding="utf-8")
    done = genportal(tmp_path, seed_of("whrx"), "polite", "--replay", str(archive))
    assert done.returncode == 0, done.stderr[-3000:]
    text = (tmp_path / "polite.toml").read_text(encoding="utf-8")
    [comment] = re.findall(r"^# download_delay: (.*)\ndownload_delay = ", text, re.M)
    return tomllib.loads(text)["download_delay"], comment


@pytest.mark.parametrize("robots, delay, says", [
    (None, 2.0, "the project's default (the hand-written portals' 2-3 s)"),
    ("User-agent: *\nCrawl-delay: 1\n", 2.0, "its robots.txt asks no longer Crawl-delay"),
    ("User-agent: *\nCrawl-delay: 10\nDisallow: /plus/\n", 10.0, "the Crawl-delay (10 s) the site's robots.txt asks"),
    ("User-agent: govnews\nCrawl-delay: 7.5\n\nUser-agent: *\nCrawl-delay: 1\n", 7.5, "Crawl-delay (7.5 s)"),
    ("User-agent: *\nCrawl-delay: 600\n", 120.0, "(600 s) the site's robots.txt asks of this crawler, cut to the most"),
    ("User-agent: otherbot\nCrawl-delay: 30\n", 2.0, "the project's default"),
])
def test_the_download_delay_is_the_projects_default_or_the_longer_crawl_delay_robots_txt_asks(tmp_path, robots, delay, says):
    written, comment = delay_written(tmp_path, robots)
    assert written == delay and says in comment


def test_aliases_are_the_hosts_the_list_links_its_articles_on(tmp_path):
    done = genportal(tmp_path, seed_of("cqmjsw"), "cq", "--replay", str(FIXTURES / "cqmjsw"))
    assert done.returncode == 0, done.stderr[-3000:]
    portal = tomllib.loads((tmp_path / "cq.toml").read_text(encoding="utf-8"))
    assert portal["hosts"] == ["cqmjsw.gov.cn", "www.cqmjsw.gov.cn"]
    assert portal["template"] == "party_cms" and portal["title"] == "民进重庆市委会"
    # the sidebar's 最新动态 links six articles of the same shape, the list three: the list is the pager's
    assert portal["selectors"]["article_links"] == "div.news_list ul a"


@pytest.mark.slow
def test_live_over_loopback_fetches_through_scrapy_and_writes_the_replay_file(tmp_path):
    replayed, live = tmp_path / "replayed", tmp_path / "live"
    assert genportal(replayed, seed_of("whrx"), "whrx2", "--replay", str(FIXTURES / "whrx")).returncode == 0
    with ArchiveProxy(FIXTURES / "whrx") as proxy:
        done = genportal(live, seed_of("whrx"), "whrx2", "-s", "DOWNLOAD_DELAY=0", env=proxy_env(proxy))
    assert done.returncode == 0, done.stderr[-3000:]
    assert (live / "whrx2.toml").read_text(encoding="utf-8") == (replayed / "whrx2.toml").read_text(encoding="utf-8")
    base = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/"
    assert proxy.requests == {
        "http://www.whrx.net/robots.txt": 1, base: 1, f"{base}list_12_2.html": 1,
        f"{base}2020/0521/32590.html": 1, f"{base}2020/0516/32471.html": 1, f"{base}2020/0512/32338.html": 1,
    }
    assert all(agent.startswith("govnews/") for agent in proxy.user_agents), proxy.user_agents


def test_mistakes_are_one_line(tmp_path):
    folder = f"PORTALS_DIR={tmp_path}"
    assert_one_line(["genportal", "ftp://example.gov.cn/list.html", "--name", "x", "-s", folder],
                    "'ftp://example.gov.cn/list.html' is not an http(s) URL")
    assert_one_line(["genportal", "http://www.whrx.net/a/", "--name", "X-1", "-s", folder],
                    "--name NAME is needed: lowercase letters, digits and _ only")
    assert_one_line(["genportal", "http://www.whrx.net/nothing/", "--name", "x", "-s", folder,
                     "--replay", str(FIXTURES / "whrx")],
                    "start page http://www.whrx.net/nothing/ could not be fetched (http_404)")
    (tmp_path / "x.toml").write_text("name = 'x'\n", encoding="utf-8")
    assert_one_line(["genportal", "http://www.whrx.net/a/", "--name", "x", "-s", folder],
                    f"portal 'x' exists ({tmp_path / 'x.toml'}); choose another --name, or --force to overwrite it")
    assert (tmp_path / "x.toml").read_text(encoding="utf-8") == "name = 'x'\n"


def test_an_unreachable_live_start_page_is_one_line(tmp_path):
    done = genportal(tmp_path, "http://127.0.0.1:9/list/", "x", "-s", "RETRY_ENABLED=False")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "scrapy: error: start page http://127.0.0.1:9/list/ could not be fetched (connection_refused)")
    assert not (tmp_path / "x.toml").exists()


def test_force_overwrites_an_existing_portal(tmp_path):
    (tmp_path / "x.toml").write_text("name = 'x'\n", encoding="utf-8")
    done = genportal(tmp_path, seed_of("gjdb"), "x", "--force", "--replay", str(FIXTURES / "gjdb"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert tomllib.loads((tmp_path / "x.toml").read_text(encoding="utf-8"))["cms"] == "founder"


_SEGMENT = st.from_regex(r"[a-z_.-]{0,6}[0-9]{0,6}[a-z_.-]{0,4}", fullmatch=True)
_PATH = st.lists(_SEGMENT, min_size=1, max_size=5).map(lambda parts: "/" + "/".join(parts))


@given(_PATH, st.lists(st.integers(0, 10**7), min_size=1, max_size=4))
def test_a_shape_pattern_matches_every_path_of_its_group(path, numbers):
    """Paths of one shape (the same path, its digit runs renumbered) all match the group's regex,
    written as the portal files write patterns and compiled as the loader compiles them."""
    runs = iter(numbers * 20)
    others = [re.sub(r"\d+", lambda m: str(next(runs)), path) for _ in numbers]
    group = [path, *others]
    assert {shape_of(p) for p in group} == {shape_of(path)}
    pattern = re2.compile(url_pattern(["www.example.gov.cn"], generalised(group)))
    for member in group:
        assert pattern.search(f"http://www.example.gov.cn{member}?page=1")
    assert not pattern.search(f"http://other.example.cn{path}")


@given(_PATH, st.sampled_from(["_2", "_12", "index_3.html", "list_5_2.html"]))
def test_a_list_pattern_matches_its_first_and_next_page(path, added):
    start = path if path.endswith("/") else path + "/"
    following = start + added
    pattern = re2.compile("^" + list_path_regex(start, following) + "$")
    assert pattern.search(start) and pattern.search(following)
