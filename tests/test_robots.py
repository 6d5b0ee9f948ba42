"""robots.txt as real portals answer it when they have none: gjdb's archive answers 404 (the
server's HTML error page), lzbs_mirror's a 200 HTML page (the mirror serves its homepage for
every path it lacks). Both mean "allow all": every article is fetched, no page is forbidden,
and no WARNING or ERROR line is about robots.txt."""

import pytest

from tests.archives import fetched_entries, manifest
from tests.crawling import crawlall
from tests.expected import article_entries

#: portal → how its archive answers /robots.txt: (status, Content-Type).
ANSWERS = {"gjdb": (404, "text/html"), "lzbs_mirror": (200, "text/html; charset=utf-8")}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    return crawlall(tmp_path_factory.mktemp("robots"), "-a", f"portals={','.join(ANSWERS)}")


@pytest.mark.parametrize("portal", ANSWERS)
def test_the_archive_answers_robots_txt_with_no_rules(portal):
    entry = next(e for e in manifest(portal)["responses"] if e["url"].endswith("/robots.txt"))
    assert (entry["status"], entry["headers"]["Content-Type"]) == ANSWERS[portal]
    assert entry["file"].endswith(".html")


@pytest.mark.parametrize("portal", ANSWERS)
def test_a_robots_txt_of_no_rules_allows_every_page(crawl, portal):
    stats = crawl.stats[portal]
    status = ANSWERS[portal][0]
    assert stats["robotstxt/response_status_count/" + str(status)] == 1
    assert not any(key.startswith(("robotstxt/forbidden", "robotstxt/exception_count")) for key in stats)
    articles = len(article_entries(portal))
    assert len([item for item in crawl.items if item["portal"] == portal]) == articles
    pages = len(fetched_entries(portal))
    assert f"{portal}: pages={pages} articles={articles} dropped=0 failed=0 blocked=0 errors=0" in crawl.output


def test_no_warning_or_error_is_about_robots_txt(crawl):
    flagged = [line for line in crawl.output.splitlines()
               if ("WARNING" in line or "ERROR" in line) and "robots" in line.lower()]
    assert flagged == []
