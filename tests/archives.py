"""Read the replay archives under tests/fixtures/ (manifest + saved pages)."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def manifest(portal: str) -> dict:
    return json.loads((FIXTURES / portal / "manifest.json").read_text(encoding="utf-8"))


def fetched_entries(portal: str) -> list[dict]:
    """The saved responses a crawl fetches without FILES_STORE: all but the attachments
    (PDF, DOCX…: no text/ Content-Type)."""
    return [e for e in manifest(portal)["responses"]
            if e.get("headers", {}).get("Content-Type", "text/html").startswith("text/")]


def seed_entry(portal: str) -> dict:
    """The manifest entry of the portal's seed page (the one with a ``seed`` key)."""
    return next(e for e in manifest(portal)["responses"] if e.get("seed"))


def page_html(portal: str, entry: dict) -> str:
    """Decode a saved page with the charset its headers declare."""
    content_type = entry.get("headers", {}).get("Content-Type", "")
    charset = content_type.split("charset=")[-1].strip() if "charset=" in content_type else "utf-8"
    return (FIXTURES / portal / entry["file"]).read_bytes().decode(charset)
