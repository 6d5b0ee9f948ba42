"""The saved seed pages contain their seed document, line by line and in order."""

import pytest

from tests.archives import FIXTURES, page_html, seed_entry
from tests.pagetext import missing_seed_lines, visible_text

PORTALS = ["cqmjsw", "scsqw", "whrx", "lzbs_mirror", "gjdb"]


@pytest.mark.parametrize("portal", PORTALS)
def test_seed_page_contains_seed_text_in_order(portal):
    entry = seed_entry(portal)
    seed = (FIXTURES / portal / "seed.txt").read_text(encoding="utf-8")
    assert missing_seed_lines(visible_text(page_html(portal, entry)), seed) == []
