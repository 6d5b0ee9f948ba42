"""The block-page classifier on pages written for each kind, and on every real page of the suite."""

from pathlib import Path

import pytest

from govnews.blocks import classify
from tests.archives import FIXTURES, manifest as archive_manifest

PAGES = Path(__file__).parent / "blockpages"
LAYOUTS = Path(__file__).parent / "layouts"

BLOCK_PAGES = [
    ("ruishu_412.html", 412, "ruishu"),
    ("ruishu_412.html", 200, "ruishu"),
    ("jiasule_521.html", 521, "jiasule"),
    ("jiasule_clearance.html", 200, "jiasule"),
    ("yunsuo.html", 200, "yunsuo"),
    ("safedog.html", 200, "safedog"),
    ("captcha_wall.html", 200, "captcha"),
    ("captcha_wall.html", 403, "captcha"),
    ("geetest_only.html", 200, "captcha"),
    ("yidun_only.html", 200, "captcha"),
    ("login_wall.html", 200, "login"),
    ("withdrawn_chrome.html", 200, "withdrawn"),
    ("soft_404.html", 200, "soft_404"),
]


@pytest.mark.parametrize("name,status,kind", BLOCK_PAGES)
def test_each_kind_is_named_with_any_status(name, status, kind):
    assert classify(status, (PAGES / name).read_text(encoding="utf-8")) == kind


def test_a_not_found_page_under_an_error_status_is_left_to_the_status():
    assert classify(404, (PAGES / "soft_404.html").read_text(encoding="utf-8")) is None


@pytest.mark.parametrize("name", ["article_about_verification.html", "article_with_comment_captcha.html"])
def test_an_article_that_mentions_verification_or_has_a_comment_captcha_is_an_article(name):
    assert classify(200, (PAGES / name).read_text(encoding="utf-8")) is None


def real_pages():
    """(page, the status the archive serves it with) of every saved HTML page, layouts as 200."""
    for manifest in sorted(FIXTURES.glob("*/manifest.json")):
        statuses = {e["file"]: e.get("status", 200) for e in archive_manifest(manifest.parent.name)["responses"]
                    if e.get("file")}
        for page in sorted((manifest.parent / "pages").glob("*.htm*")):
            yield page, statuses.get(f"pages/{page.name}", 200)
    yield from ((page, 200) for page in sorted(LAYOUTS.glob("*.htm*")))


@pytest.mark.parametrize("page, status", list(real_pages()), ids=lambda p: f"{p.parent.parent.name}/{p.name}"
                         if isinstance(p, Path) else str(p))
def test_no_list_or_article_page_of_the_suite_is_a_block_page(page, status):
    data = page.read_bytes()
    for encoding in ("utf-8", "gbk", "big5"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", "replace")
    assert classify(status, text) is None


def test_an_empty_answer_is_no_block_page():
    assert classify(200, "") is None and classify(200, "   ") is None
