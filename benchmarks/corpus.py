"""A folder of saved pages to measure on: ``pages/<key>.html`` and, for scoring,
``golds.json`` (what a careful reader finds on each page; the format of
``../shared/realpages``, whose README says what each field means).

A folder without ``golds.json`` can still be timed: every ``*.html`` under it is a page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The URL a page with no known address is read under (the spider needs one; nothing on
#: such a page depends on it).
UNKNOWN_URL = "http://www.example.cn/{key}.html"


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    body: bytes = field(repr=False)
    gold: dict[str, Any] | None = field(default=None, repr=False)


def load_corpus(folder: Path) -> list[Page]:
    """The folder's pages, in the order of its golds (else by path)."""
    golds_file = folder / "golds.json"
    if golds_file.is_file():
        golds: dict[str, dict[str, Any]] = json.loads(golds_file.read_text(encoding="utf-8"))
        return [Page(key, gold.get("url_if_known") or UNKNOWN_URL.format(key=key),
                     (folder / gold.get("path", f"pages/{key}.html")).read_bytes(), gold)
                for key, gold in golds.items()]
    paths = sorted(folder.rglob("*.html"))
    keys = [str(path.relative_to(folder).with_suffix("")).replace("/", "_") for path in paths]
    return [Page(key, UNKNOWN_URL.format(key=key), path.read_bytes()) for key, path in zip(keys, paths)]
