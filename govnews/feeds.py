"""Feed files that hold every item the crawl state records, even after a kill.

The dedupe stage records an article as seen once its feed has written it, so a written
item must reach the file at once: a buffered item lost with the process would never be
fetched again. :class:`SharedFeed` (``crawlall``) flushes after each item;
:class:`DurableFileFeedStorage` does the same for Scrapy's own feeds (``scrapy crawl -o``).

One feed file is shared by every crawler of a ``crawlall`` run: Scrapy's FeedExporter is
per crawler, and several crawlers writing one file would interleave partial lines.
``crawlall`` instead owns the files named by -o/-O and writes each item from the single
reactor thread, through Scrapy's own item exporters.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any, BinaryIO

from scrapy import Spider
from scrapy.exporters import BaseItemExporter
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object


class SharedFeed:
    """Write items from many crawlers into one local file, in one of Scrapy's formats."""

    def __init__(self, path: str, options: dict[str, Any], settings: BaseSettings) -> None:
        exporters = settings.getwithbase("FEED_EXPORTERS")
        fmt = options.get("format", "jsonlines")
        if fmt not in exporters:
            raise ValueError(f"unknown feed format {fmt!r}; known: {sorted(exporters)}")
        if path.startswith("file://"):
            path = path[len("file://"):]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.file: BinaryIO = open(path, "wb" if options.get("overwrite") else "ab")
        self.exporter: BaseItemExporter = load_object(exporters[fmt])(
            self.file,
            fields_to_export=options.get("fields") or settings.getlist("FEED_EXPORT_FIELDS") or None,
            encoding=options.get("encoding") or settings.get("FEED_EXPORT_ENCODING") or "utf-8",
            indent=options.get("indent", settings.getint("FEED_EXPORT_INDENT")),
        )
        self.exporter.start_exporting()

    def export_item(self, item: Any) -> None:
        self.exporter.export_item(item)
        self.file.flush()  # a killed run keeps every item written so far

    def close(self) -> None:
        self.exporter.finish_exporting()
        self.file.close()


class _FlushingWriter(io.BufferedWriter):
    """A buffered file that hands every write to the OS at once."""

    def write(self, data: Any) -> int:
        written = super().write(data)
        self.flush()
        return written


class DurableFileFeedStorage(FileFeedStorage):
    """Scrapy's local file storage, flushed per write (Scrapy's file is buffered)."""

    def open(self, spider: Spider) -> IO[bytes]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return _FlushingWriter(io.FileIO(self.path, self.write_mode))
