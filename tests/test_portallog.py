"""Under ``scrapy crawlall`` of two portals, the lines of each crawler name its portal, and
each portal has its progress line every LOGSTATS_INTERVAL (govnews/portallog.py)."""

import re
import shutil

from tests.archives import FIXTURES
from tests.crawling import crawlall
from tests.test_failures import answer

LINE = re.compile(r"^\S+ \S+ \[(?P<portal>[^]]+)\] \[(?P<logger>[^]]+)\] (?P<level>[A-Z]+): (?P<message>.*)$")
PROGRESS = re.compile(r"^(\w+): pages=(\d+) \((\d+)/min\) articles=(\d+) failed=(\d+) blocked=(\d+)$")


def test_each_crawlers_lines_and_progress_name_its_portal(tmp_path):
    archive = tmp_path / "archives"
    for portal in ("whrx", "gjdb"):
        shutil.copytree(FIXTURES / portal, archive / portal)
    page = "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0410/31288.html"
    answer(archive / "whrx", page, status=404)  # one failed page, logged by govnews
    result = crawlall(tmp_path, "-a", "portals=whrx,gjdb", "-s", "LOGSTATS_INTERVAL=0.1",
                      "-s", "DOWNLOAD_DELAY=0.2", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", replay=str(archive),
                      returncode=3)  # the failed page
    lines = [match.groupdict() for match in map(LINE.match, result.output.splitlines()) if match]
    for portal in ("whrx", "gjdb"):
        own = [line for line in lines if line["portal"] == portal]
        assert {"message": "Closing spider (finished)", "logger": "scrapy.core.engine"} in [
            {k: line[k] for k in ("message", "logger")} for line in own]
        progress = [PROGRESS.match(line["message"]).groups() for line in own if line["logger"] == "govnews.portallog"]
        assert progress[0] == (portal, "0", "0", "0", "0", "0")  # as the crawl opens
        assert len(progress) >= 2 and all(line[0] == portal for line in progress)  # the opening one and at least one periodic
        pages = [int(line[1]) for line in progress]
        assert pages == sorted(pages) and pages[-1] <= result.stats[portal]["downloader/response_count"]
    failed = [line for line in lines if line["level"] == "WARNING" and page in line["message"]]
    assert [line["portal"] for line in failed] == ["whrx", "whrx"]  # it failed; it is kept to fetch again
    assert failed[0]["message"] == f"whrx: article {page} failed (http_404); kept to fetch again"
    # No line of a crawler's own goes untagged: untagged lines are the process's (start-up, memory, warnings).
    untagged = {line["logger"] for line in lines if line["portal"] == "-"}
    assert untagged <= {"scrapy.utils.log", "scrapy.addons", "scrapy.middleware", "scrapy.crawler",
                        "scrapy.core.engine", "scrapy.extensions.memusage", "py.warnings",
                        "govnews.replay.middleware", "scrapy.extensions.telnet"}, untagged
