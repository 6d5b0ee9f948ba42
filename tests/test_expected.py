"""Every saved article page comes out of the spider and the pipelines exactly as expected."""

import json
from pathlib import Path

import jsonschema
import pytest

from portals import available_portals
from tests.archives import page_html
from tests.expected import article_entries, expected_path, final_item

SCHEMA = json.loads((Path(__file__).parent.parent / "govnews" / "article.schema.json").read_text())
PAGES = [pytest.param(portal, entry, id=f"{portal}:{Path(entry['file']).stem}")
         for portal in available_portals() for entry in article_entries(portal)]


@pytest.mark.parametrize("portal, entry", PAGES)
def test_final_item_equals_the_expected_item(portal, entry):
    item = final_item(portal, entry)
    expected = json.loads(expected_path(portal, entry).read_text(encoding="utf-8"))
    assert item == expected
    jsonschema.validate({**item, "crawled_at": "2026-01-01T00:00:00+00:00", "provenance": []}, SCHEMA)


@pytest.mark.parametrize("portal", available_portals())
def test_every_expected_file_belongs_to_a_saved_page(portal):
    pages = {expected_path(portal, entry) for entry in article_entries(portal)}
    assert set((expected_path(portal, {"file": "x"}).parent).glob("*.json")) == pages
    assert len(pages) >= 4


#: Archive pages carrying the junk real CMS editors leave, and a mark of each kind in them.
EDITORS_JUNK = {
    ("cqmjsw", "news_9201"): ['class="MsoNormal"', "mso-char-indent-count", "<o:p></o:p>", '<span lang="EN-US"',
                              "<!--[if gte mso 9]><xml><w:WordDocument>", "file:///C:/Users/", "<!--正文开始-->"],
    ("gjdb", "content_31947"): ['<font face="宋体" size="3">', "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; ",
                                "<!-- 正文 begin -->"],
    ("whrx", "article_31420"): ['class="MsoNormal"', "<o:p></o:p>", "<!-- /content_start -->"],
    ("whrx", "article_31930"): ['<font face="宋体" size="3">', "&nbsp;&nbsp;&nbsp;&nbsp;", "<!--正文开始-->"],
    ("whrx", "article_32153"): ['class="MsoNormal"', "<o:p></o:p>", '<span lang="EN-US"'],
    ("scsqw", "content_98566"): ['class="MsoNormal"', "<o:p></o:p>", "mso-hansi-font-family"],
    ("scsqw", "content_98197"): ['<font face="仿宋_GB2312" size="4">', "&nbsp;&nbsp;&nbsp;&nbsp;", "<p>&nbsp;</p>"],
    ("lzbs_mirror", "article_357013"): ['class="MsoNormal"', "<o:p></o:p>", "<o:OfficeDocumentSettings>"],
}
_JUNK_IN_TEXT = ("mso", "MsoNormal", "o:p", "&nbsp;", "\xa0", "<", "file:", "EN-US", "正文开始")


@pytest.mark.parametrize("portal, stem", EDITORS_JUNK)
def test_a_page_of_editors_junk_comes_out_as_clean_text(portal, stem):
    entry = next(e for e in article_entries(portal) if Path(e["file"]).stem == stem)
    source = page_html(portal, entry)
    assert [mark for mark in EDITORS_JUNK[portal, stem] if mark not in source] == []
    item = json.loads(expected_path(portal, entry).read_text(encoding="utf-8"))
    text = json.dumps(item, ensure_ascii=False)
    assert [junk for junk in _JUNK_IN_TEXT if junk in text] == []
    assert all(image["src"].startswith(("http://", "https://")) for image in item["images"])
