"""The WARC files of one portal's run: gzip per record, on disk as written, rolled at a size.

Files are ``<portal>-<UTC start, to the microsecond>-<serial>.warc.gz`` in the ``RECORD``
folder, each opening with a ``warcinfo`` record. A group of records (a response and its
request) is serialized in memory and reaches the file in one ``write`` followed by
``fsync``: a crawl killed at any moment leaves every record it finished whole on disk,
and at worst nothing of the one it was writing. A file is closed once it reaches the size
limit (a group is never split over two files); its CDXJ index is written then.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from govnews import cdxj

WARC_VERSION = "1.1"


@dataclass(frozen=True)
class Location:
    """Where one record is: an item's provenance."""

    file: str
    record_id: str
    offset: int

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "record_id": self.record_id, "offset": self.offset}


class RollingWarcFile:
    """Append records to the current file of a run, opening the next one past ``max_bytes``."""

    def __init__(self, folder: Path, portal: str, max_bytes: int, info: dict[str, str]) -> None:
        self.folder = folder
        self.stem = f"{portal}-{datetime.now(timezone.utc):%Y%m%d%H%M%S%f}"
        self.max_bytes = max_bytes
        self.info = info  # the fields of each file's warcinfo record
        self.writer = WARCWriter(None, gzip=True, warc_version=WARC_VERSION)
        self.serial = 0
        self.path: Path | None = None
        self.fd: int | None = None
        self.size = 0

    def write(self, records: list[ArcWarcRecord]) -> list[Location]:
        """Write ``records`` together, durably; their locations, in order."""
        if self.fd is None:
            self._open()
        locations = self._append(records)
        if self.size >= self.max_bytes:
            self.close()
        return locations

    def close(self) -> None:
        """Close the current file and write its index; the next write opens a new file."""
        if self.fd is None:
            return
        os.close(self.fd)
        self.fd = None
        assert self.path is not None
        cdxj.write(cdxj.scan(self.path), cdxj.index_path(self.path))

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.stem}-{self.serial:05d}.warc.gz"
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        self.path, self.size = path, 0
        self.serial += 1
        directory = os.open(self.folder, os.O_RDONLY)  # the new name survives a power cut too
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        self._append([self.writer.create_warcinfo_record(path.name, self.info)])

    def _append(self, records: list[ArcWarcRecord]) -> list[Location]:
        """Serialize ``records`` in memory, then one write and an fsync."""
        assert self.fd is not None and self.path is not None
        buffer = io.BytesIO()
        self.writer.out = buffer
        starts = []
        for record in records:
            starts.append(buffer.tell())
            self.writer.write_record(record)
        view = memoryview(buffer.getvalue())
        while view:
            view = view[os.write(self.fd, view):]
        os.fsync(self.fd)
        locations = [Location(self.path.name, r.rec_headers.get_header("WARC-Record-ID"), self.size + start)
                     for r, start in zip(records, starts)]
        self.size += buffer.tell()
        return locations
