"""Every saved article page comes out of the spider and the pipelines exactly as expected."""

import json
from pathlib import Path

import jsonschema
import pytest

from portals import available_portals
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
