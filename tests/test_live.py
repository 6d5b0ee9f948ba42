"""The live download path: real HTTP over loopback, robots.txt, retries, the portal's delay.

The spider runs without REPLAY, exactly as in production, through a real HTTP proxy on
127.0.0.1 that answers from the whrx archive (GBK pages, served with their headers).
"""

import shutil

import pytest

from tests.archives import FIXTURES
from tests.crawling import ROOT, crawlall
from tests.loopback import ArchiveProxy

LIST_1 = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/"
FORBIDDEN = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0410/31288.html"
FLAKY = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0422/31655.html"


@pytest.fixture
def live_setup(tmp_path):
    """A copy of the whrx archive whose robots.txt forbids one article, and its portal file
    with no delay (the delay itself is a portal-file value: checked below)."""
    archive = tmp_path / "whrx"
    shutil.copytree(FIXTURES / "whrx", archive)
    robots = archive / "pages" / "robots.txt"
    robots.write_bytes(robots.read_bytes().rstrip() + b"\r\nDisallow: /a/guoneixinwen/hubeixinwen/2020/0410/\r\n")
    portals = tmp_path / "portals"
    portals.mkdir()
    toml = (ROOT / "portals" / "whrx.toml").read_text(encoding="utf-8")
    assert "download_delay = 3.0" in toml
    (portals / "whrx.toml").write_text(toml.replace("download_delay = 3.0", "download_delay = 0.0"), encoding="utf-8")
    shutil.copy(ROOT / "seeds" / "whrx.txt", portals / "whrx.txt")
    return archive, portals


def test_live_crawl_obeys_robots_retries_5xx_and_decodes_gbk(tmp_path, live_setup):
    archive, portals = live_setup
    with ArchiveProxy(archive, fail_once={FLAKY}) as proxy:
        result = crawlall(
            tmp_path, "-a", "portals=whrx", "-s", f"PORTALS_DIR={portals}",
            "-s", "AUTOTHROTTLE_ENABLED=False", replay=None,
            env={"http_proxy": proxy.url, "no_proxy": "", "NO_PROXY": ""},
            returncode=3,  # the page robots.txt forbids is a failed page
        )
    stats = result.stats["whrx"]
    urls = {item["url"] for item in result.items}
    assert len(urls) == 16 and FORBIDDEN not in urls and FLAKY in urls
    assert stats["robotstxt/forbidden"] == 1
    assert stats["retry/count"] == 1
    assert proxy.requests["http://www.whrx.net/robots.txt"] == 1
    assert proxy.requests[FLAKY] == 2 and proxy.requests[LIST_1] == 1
    assert FORBIDDEN not in proxy.requests
    seed = next(i for i in result.items if i["url"].endswith("/31867.html"))
    assert seed["title"] == "下沉干部当好“三员” ,走“心”战疫下社区"
    assert "govnews" in proxy.user_agents.pop()
