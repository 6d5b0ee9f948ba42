"""Golden items: the exact final item of every saved article page.

``tests/fixtures/<portal>/expected/<page>.json`` holds what the spider and every pipeline
make of ``pages/<page>`` (all exported fields but ``crawled_at`` and ``provenance``, the
ones that change from run to run). After a deliberate change of output, rewrite them with
``python -m tests.expected`` and read the diff line by line before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

from itemadapter import ItemAdapter

from govnews.extract import item_from_archive, make_crawler, run_pipelines
from govnews.items import EXPORT_FIELDS, RUN_FIELDS
from govnews.replay import ReplayArchive
from portals import available_portals, load_portal
from tests.archives import FIXTURES, manifest

#: Fields compared: what the page says, not when or from which file it was read.
COMPARED = [name for name in EXPORT_FIELDS if name not in RUN_FIELDS]


def article_entries(portal: str) -> list[dict]:
    """Manifest entries of the archive's article pages (status 200)."""
    config = load_portal(portal)
    return [e for e in manifest(portal)["responses"]
            if e.get("status", 200) == 200 and config.is_article_url(e["url"])]


def expected_path(portal: str, entry: dict) -> Path:
    return FIXTURES / portal / "expected" / (Path(entry["file"]).stem + ".json")


def final_item(portal: str, entry: dict) -> dict:
    """The exported fields of the page's final item (through every pipeline), the further
    pages of a split article read from the archive too."""
    crawler = make_crawler(portal)
    item = item_from_archive(crawler, ReplayArchive(FIXTURES / portal), entry["url"])
    adapter = ItemAdapter(run_pipelines(crawler, item))
    return {name: adapter[name] for name in COMPARED}


def main() -> None:
    for portal in available_portals():
        for entry in article_entries(portal):
            path = expected_path(portal, entry)
            path.parent.mkdir(exist_ok=True)
            text = json.dumps(final_item(portal, entry), ensure_ascii=False, indent=1)
            path.write_text(text + "\n", encoding="utf-8")
            print(path.relative_to(FIXTURES))


if __name__ == "__main__":
    main()
