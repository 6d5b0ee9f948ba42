"""Read WARC files back with warcio, and check them with ``warcio check`` in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

#: The ``warcio`` command of this environment.
WARCIO = str(Path(sys.executable).with_name("warcio"))


@dataclass
class Record:
    """One record as read back: its WARC headers, HTTP head and bytes."""

    file: str
    offset: int
    type: str
    headers: dict[str, str]
    status: str | None
    http: list[tuple[str, str]]
    raw: bytes  # payload as stored (before any Content-Encoding is undone)

    def http_header(self, name: str) -> str | None:
        return next((v for k, v in self.http if k.lower() == name.lower()), None)


def read(warc: Path) -> list[Record]:
    records = []
    with warc.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            http = record.http_headers
            raw = record.raw_stream.read()
            records.append(Record(
                warc.name, iterator.get_record_offset(), record.rec_type, dict(record.rec_headers.headers),
                http.get_statuscode() if http and record.rec_type != "request" else None,
                list(http.headers) if http else [], raw))
    return records


def read_all(folder: Path) -> list[Record]:
    return [record for warc in sorted(folder.glob("*.warc.gz")) for record in read(warc)]


def warcio_check(*files: Path) -> subprocess.CompletedProcess:
    """``warcio check -v FILE...``: exit 0 when every record parses and its digests match."""
    return subprocess.run([WARCIO, "check", "-v", *map(str, files)], capture_output=True, text=True, timeout=60)
