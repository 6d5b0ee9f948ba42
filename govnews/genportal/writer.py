"""Write a proposal as ``<PORTALS_DIR>/NAME.toml`` and ``<SEEDS_DIR>/NAME.txt``.

Every key has a comment above it saying what it was inferred from, so the file can be
reviewed key by key; a key left unset (``encoding`` when the pages declare theirs right)
is written as a comment only. Values are written as TOML strings the loader reads back
exactly: literal strings (no escapes, as the hand-written files write regexes) unless the
value holds a quote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # propose imports this module to check what it writes
    from govnews.genportal.propose import Key, Proposal


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        if len(value) <= 1 and all(len(str(v)) < 60 for v in value):
            return "[" + ", ".join(map(toml_value, value)) + "]"
        return "[\n" + "".join(f"    {toml_value(v)},\n" for v in value) + "]"
    text = str(value)
    if "'" not in text and "\n" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)  # JSON's string escapes are TOML's


def _lines(keys: dict[str, "Key"]) -> list[str]:
    lines = []
    for name, key in keys.items():
        lines.append(f"# {name}: {key.why}")
        if key.value is not None:
            lines.append(f"{name} = {toml_value(key.value)}")
    return lines


def portal_text(proposal: "Proposal") -> str:
    lines = [f"# Written by `scrapy genportal {proposal.start_urls[0]} --name {proposal.name}`;",
             "# review each key (the comment above it says what it was inferred from).", ""]
    lines += _lines(proposal.top)
    for table, keys in (("urls", proposal.urls), ("selectors", proposal.selectors)):
        lines += ["", f"[{table}]", *_lines(keys)]
    if proposal.undecided:
        lines += ["", "# Not decided:", *(f"# - {note}" for note in proposal.undecided)]
    return "\n".join(lines) + "\n"


def write_files(proposal: "Proposal", portals_dir: Path, seeds_dir: Path) -> tuple[Path, Path]:
    """Write both files (folders made as needed); returns their paths."""
    portals_dir.mkdir(parents=True, exist_ok=True)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    portal = portals_dir / f"{proposal.name}.toml"
    seeds = seeds_dir / f"{proposal.name}.txt"
    portal.write_text(portal_text(proposal), encoding="utf-8")
    seeds.write_text("".join(f"{url}\n" for url in proposal.start_urls), encoding="utf-8")
    return portal, seeds
