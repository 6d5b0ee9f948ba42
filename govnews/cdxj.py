"""CDXJ indexes of WARC files: where each captured URL's record is, one line per capture.

The recorder writes ``NAME.cdxj`` beside each finished ``NAME.warc.gz``; replay and the
recorder's revisit check read it instead of the whole WARC. A WARC without its index (the
crawl writing it was killed) is indexed by reading it through warcio, as far as it is
readable. Lines are pywb's form, ``SURT-key timestamp {json}``, sorted; the JSON has pywb's
fields (url, mime, status, digest, length, offset, filename) plus ``record_id`` and
``warc_date``, which a revisit record and an item's provenance cite, and ``page``, what
the crawl fetched the page as (re-extraction requests every recorded article again).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from surt import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders

logger = logging.getLogger(__name__)

#: Record types replay serves; requests and warcinfo are not indexed.
INDEXED_TYPES = ("response", "revisit")
WARC_SUFFIXES = (".warc.gz", ".warc")
REVISIT_MIME = "warc/revisit"
#: Named field of govnews' response records (not WARC-*: not the standard's): what the
#: crawl fetched the page as, list, article or article_page (spiders.base.PAGE_KIND).
PAGE_FIELD = "Govnews-Page"


@dataclass(frozen=True)
class Capture:
    """One indexed response or revisit record."""

    url: str
    warc_date: str  # WARC-Date as written, ISO 8601 with microseconds
    record_type: str  # "response" or "revisit"
    record_id: str
    status: int
    mime: str  # the payload's media type; "warc/revisit" for a revisit, as pywb has it
    digest: str  # WARC-Payload-Digest, "sha1:BASE32"
    filename: str  # the WARC file's name, in the folder of the index
    offset: int
    length: int
    page: str = ""  # PAGE_FIELD: "" for a record govnews did not write

    def line(self) -> str:
        """This capture as a CDXJ line (no newline)."""
        timestamp = "".join(c for c in self.warc_date if c.isdigit())[:14]
        fields = {"url": self.url, "mime": self.mime,
                  "status": str(self.status), "digest": self.digest, "length": str(self.length),
                  "offset": str(self.offset), "filename": self.filename,
                  "record_id": self.record_id, "warc_date": self.warc_date, "page": self.page}
        return f"{surt(self.url)} {timestamp} {json.dumps(fields, ensure_ascii=False)}"

    @classmethod
    def from_line(cls, line: str) -> Capture:
        fields = json.loads(line.split(" ", 2)[2])
        return cls(url=fields["url"], warc_date=fields["warc_date"],
                   record_type="revisit" if fields["mime"] == REVISIT_MIME else "response",
                   record_id=fields["record_id"], status=int(fields["status"]), mime=fields["mime"],
                   digest=fields["digest"],
                   filename=fields["filename"], offset=int(fields["offset"]), length=int(fields["length"]),
                   page=fields.get("page", ""))


def index_path(warc: Path) -> Path:
    """``NAME.cdxj`` beside ``NAME.warc.gz``."""
    name = warc.name
    for suffix in WARC_SUFFIXES:
        if name.endswith(suffix):
            return warc.with_name(name[: -len(suffix)] + ".cdxj")
    return warc.with_name(name + ".cdxj")


def scan(warc: Path) -> list[Capture]:
    """Index ``warc`` by reading it; a damaged or cut-off tail ends the index there (logged)."""
    captures = []
    with warc.open("rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                if record.rec_type not in INDEXED_TYPES:
                    continue
                headers, http = record.rec_headers, record.http_headers
                offset, length = records.get_record_offset(), records.get_record_length()
                captures.append(Capture(
                    url=headers.get_header("WARC-Target-URI"), warc_date=headers.get_header("WARC-Date"),
                    record_type=record.rec_type, record_id=headers.get_header("WARC-Record-ID"),
                    status=int(http.get_statuscode()) if http else 0,
                    mime=REVISIT_MIME if record.rec_type == "revisit" else _media_type(http),
                    digest=headers.get_header("WARC-Payload-Digest") or "",
                    filename=warc.name, offset=offset, length=length,
                    page=headers.get_header(PAGE_FIELD) or ""))
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            logger.warning("%s: unreadable after %d records (%s); indexed that far", warc, len(captures), exc)
    return captures


def _media_type(http: StatusAndHeaders | None) -> str:
    return (http.get_header("Content-Type") or "").split(";")[0].strip() if http else ""


def write(captures: Iterable[Capture], path: Path) -> None:
    """Write a sorted index atomically: an index that exists is complete."""
    lines = sorted(capture.line() for capture in captures)
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)


def read(path: Path) -> list[Capture]:
    return [Capture.from_line(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def warc_files(path: Path) -> list[Path]:
    """``path`` itself when it is a WARC file, else the WARC files under it, sorted."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES))


def captures_of(warc: Path) -> Iterator[Capture]:
    """The captures of one WARC file: from its index when it has one, else read from it."""
    index = index_path(warc)
    yield from read(index) if index.is_file() else scan(warc)
