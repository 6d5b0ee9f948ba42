"""Feed files that hold every item the crawl state records, even after a kill or a full disk.

Written before recorded: the state records an article only once every feed that took it
has it on disk (flushed and fsynced). :class:`FeedWrites` (an extension, connected after
Scrapy's FeedExporter) syncs the feed files an item went into and then sends
:data:`govnews.signals.item_written`, on which the dedupe stage records it. Scrapy's
FeedExporter writes the items of ``scrapy crawl -o`` into :class:`DurableFile` s opened by
:class:`DurableFileFeedStorage`; ``crawlall`` writes its own :class:`SharedFeed` s.

A write error (``ENOSPC``, ``EROFS``, ``EIO``) is kept by the file, not raised: raised, it
would be logged by Scrapy as a signal handler error and the crawl would go on. The next sync
reports it and :func:`govnews.halt.halt` stops the crawl (``feed_failed``), naming the file;
the item and every later one stay unrecorded, so the next run fetches them again. When the
state fails to record an item just written, the item is cut back out of the feeds
(truncated to where it began), and so is every item still in flight as the halted crawl
closes: the next run emits each once, not twice.

A feed that is not a local file written as items come (stdout, S3, FTP, a ``postprocessing``
one) never makes an item written: nothing is recorded, nothing lost, every run fetches and
emits all again; a crawl whose feeds are all such says so at start (a WARNING,
``feeds/unrecorded``).

A crawl with no feed (no -o/-O, ``FEEDS`` empty) writes to a default one,
``<DEFAULT_FEED_DIR>/<portal>-<UTC time>.jsonl`` (:class:`DefaultFeed`, an add-on;
``crawlall`` names it ``crawlall-<time>``), logged at start and end: a crawl that records
its articles writes them somewhere.

One feed file is shared by every crawler of a ``crawlall`` run: Scrapy's FeedExporter is
per crawler, and several crawlers writing one file would interleave partial lines.
``crawlall`` instead owns the files named by -o/-O and writes each item from the single
reactor thread, through Scrapy's own item exporters.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exporters import BaseItemExporter
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.misc import load_object

from govnews.halt import halt, halted
from govnews.signals import item_written

logger = logging.getLogger(__name__)


class DurableFile(io.BufferedWriter):
    """A local file whose writes are on disk once :meth:`sync` returns True."""

    def __init__(self, path: str, mode: str) -> None:
        super().__init__(io.FileIO(path, mode))
        self.path = path
        #: The first write or sync error; every later write is dropped.
        self.error: OSError | None = None
        #: Written to since the last sync.
        self.dirty = False
        #: Size on disk at the last good sync, and at the one before: where the item the
        #: last sync put on disk begins.
        self.synced = self.begun = os.fstat(self.fileno()).st_size

    def write(self, data: Any) -> int:
        if self.error is None:
            try:
                written = super().write(data)
                self.dirty = True
                return written
            except OSError as exc:
                self.error = exc
        return len(data)

    def sync(self) -> bool:
        """Put everything written on disk; False (and :attr:`error` set) when it failed,
        the torn item cut off (truncating needs no space), so the file ends with the last
        whole item."""
        if self.error is not None and self.dirty:
            self.dirty = False
            with contextlib.suppress(OSError):
                os.ftruncate(self.raw.fileno(), self.synced)
        if self.error is None and self.dirty:
            try:
                self.flush()
                os.fsync(self.fileno())
            except OSError as exc:
                if exc.errno != errno.EINVAL:  # a pipe or terminal: handed over, nothing to sync
                    self.error = exc
            if self.error is None:
                self.dirty = False
                self.begun, self.synced = self.synced, os.fstat(self.fileno()).st_size
            else:
                return self.sync()
        return self.error is None

    def take_back(self) -> None:
        """Cut the item the last sync put on disk (one the state failed to record)."""
        self.cut(self.begun)

    def discard(self) -> None:
        """Cut what was written since the last sync (an item of a halted crawl)."""
        self.cut(self.synced)

    def cut(self, size: int) -> None:
        if self.error is None and not self.closed and os.path.isfile(self.path):
            self.flush()
            os.ftruncate(self.fileno(), size)
            self.seek(size)
            os.fsync(self.fileno())
            self.dirty = False
            self.begun = self.synced = size

    def close(self) -> None:
        if self.error is not None and not self.raw.closed:
            self.raw.close()  # the unwritable rest is dropped, not raised once more
        elif not self.closed:
            self.sync()
        super().close()


class FeedWrites:
    """Sends :data:`item_written` once every feed file an item went into has it on disk."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.files: list[DurableFile] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FeedWrites:
        extension = cls(crawler)
        # Extensions connect after FeedExporter (EXTENSIONS_BASE, order 0): it has written,
        # and on spider_opened it has opened its feeds.
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        feeds = self.crawler.settings.getdict("FEEDS")
        if feeds and not any(recorded(uri, options, self.crawler.settings) for uri, options in feeds.items()):
            self.crawler.stats.set_value("feeds/unrecorded", len(feeds))
            logger.warning("no feed of this crawl is a local file written as items come (%s): no article "
                           "is recorded in the state, so every run fetches and emits them all again",
                           ", ".join(feeds))

    def add(self, file: DurableFile) -> None:
        self.files.append(file)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        self.files = [file for file in self.files if not file.closed]
        written = [file for file in self.files if file.dirty or file.error]
        if halted(self.crawler):  # an item still in flight as the crawl stops: never recorded
            for file in written:
                file.discard()
            return
        for file in written:
            if not file.sync():
                assert file.error is not None
                halt(self.crawler, "feed_failed", f"feed {file.path}: cannot write ({file.error.strerror or file.error})")
        if not written or halted(self.crawler):
            return
        self.crawler.signals.send_catch_log(item_written, item=item, spider=spider)
        if halted(self.crawler):  # the state could not record it: out of the feeds again
            for file in written:
                file.take_back()


def recorded(uri: str, options: dict[str, Any], settings: BaseSettings) -> bool:
    """Whether items written to feed ``uri`` are recorded: a local file, no postprocessing.
    The storage is chosen as Scrapy's FeedExporter chooses it (by scheme, else ``file``)."""
    storages = settings.getwithbase("FEED_STORAGES")
    storage = storages.get(urlparse(uri).scheme, storages["file"])
    return issubclass(load_object(storage), DurableFileFeedStorage) and not (options or {}).get("postprocessing")


def _feed_writes(crawler: Crawler) -> FeedWrites:
    extension = crawler.get_extension(FeedWrites)
    assert extension is not None, "govnews.feeds.FeedWrites must be in EXTENSIONS"
    return extension


class DurableFileFeedStorage(FileFeedStorage):
    """Scrapy's local file storage, into a :class:`DurableFile` that :class:`FeedWrites` syncs."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.durable = not (feed_options or {}).get("postprocessing")

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
                     ) -> DurableFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        file = DurableFile(self.path, self.write_mode)
        if self.crawler is not None and self.durable:
            _feed_writes(self.crawler).add(file)
        return file


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
        self.path = path
        self.file = DurableFile(path, "wb" if options.get("overwrite") else "ab")
        self.exporter: BaseItemExporter = load_object(exporters[fmt])(
            self.file,
            fields_to_export=options.get("fields") or settings.getlist("FEED_EXPORT_FIELDS") or None,
            encoding=options.get("encoding") or settings.get("FEED_EXPORT_ENCODING") or "utf-8",
            indent=options.get("indent", settings.getint("FEED_EXPORT_INDENT")),
        )
        self.exporter.start_exporting()

    def attach(self, crawler: Crawler) -> None:
        """Write ``crawler``'s items here, synced by its :class:`FeedWrites`."""
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(lambda: _feed_writes(crawler).add(self.file), signal=signals.spider_opened,
                                weak=False)

    def item_scraped(self, item: Any, response: Any, spider: Spider) -> None:
        self.exporter.export_item(item)

    def close(self) -> None:
        self.exporter.finish_exporting()
        self.file.close()


def default_feed_path(settings: BaseSettings, name: str) -> str:
    """``<DEFAULT_FEED_DIR>/<name>-<UTC time>.jsonl``, e.g. ``output/whrx-20261202T171500Z.jsonl``."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return str(Path(settings.get("DEFAULT_FEED_DIR") or "output") / f"{name}-{stamp}.jsonl")


class DefaultFeed:
    """Add-on: a ``scrapy crawl`` given no feed writes to the default one (see above).

    ``crawlall`` sets ``FEEDS`` on its command line (it owns its feeds), so it gets none here."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DefaultFeed:
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.getdict("FEEDS") or settings.getpriority("FEEDS") >= SETTINGS_PRIORITIES["cmdline"]:
            return
        spider = self.crawler.spider
        name = getattr(getattr(spider, "portal", None), "name", None) or getattr(spider, "name", "crawl")
        path = default_feed_path(settings, name)
        # At FEEDS' own priority: settings.py's empty FEEDS is above "addon".
        settings.set("FEEDS", {path: {"format": "jsonlines"}}, priority=settings.getpriority("FEEDS") or "addon")
        log_default_feed(path, "start")
        self.crawler.signals.connect(lambda: log_default_feed(path, "end"), signal=signals.engine_stopped,
                                     weak=False)


def log_default_feed(path: str, moment: str) -> None:
    logger.info("no -o/-O given: articles %s %s", "go to" if moment == "start" else "were written to", path)
