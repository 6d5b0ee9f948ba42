"""Every archive under the paths ``REPLAY`` names, asked in turn."""

from __future__ import annotations

from pathlib import Path

from scrapy import Request
from scrapy.http import Response

from govnews import cdxj
from govnews.replay.errors import ReplayError
from govnews.replay.folder import SavedPages, manifests_in, read_manifest
from govnews.replay.warc import WarcArchive


def sources_in(root: Path) -> tuple[bool, list[Path]]:
    """(whether ``root`` is a saved-pages folder, the WARC files under it); ReplayError
    when it is neither, or a manifest in it is malformed."""
    manifests = manifests_in(root) if root.is_dir() else []
    for manifest in manifests:  # a malformed one is one line naming it, before any crawl starts
        read_manifest(manifest)
    saved = bool(manifests)
    warcs = cdxj.warc_files(root) if root.exists() else []
    if not saved and not warcs:
        raise ReplayError(f"REPLAY={root}: no manifest.json in it or its sub-folders, and no WARC file")
    return saved, warcs


class ReplayArchive:
    """Saved-page folders and WARC files found under ``roots``; the first that has a URL
    answers it (the WARC files together: the latest capture among them)."""

    #: Archives opened through :meth:`shared`, by their roots.
    _shared: dict[tuple[Path, ...], ReplayArchive] = {}

    @classmethod
    def shared(cls, *roots: Path) -> ReplayArchive:
        """The archive of ``roots``, opened once per process: the crawlers of a ``crawlall``
        run and their middlewares read months of indexes once, not once each."""
        key = tuple(Path(root).resolve() for root in roots)
        if key not in cls._shared:
            cls._shared[key] = cls(*key)
        return cls._shared[key]

    def __init__(self, *roots: Path) -> None:
        self.roots = [Path(root).resolve() for root in roots]
        self.sources: list[SavedPages | WarcArchive] = []
        warcs: list[Path] = []
        for root in self.roots:
            saved, found = sources_in(root)
            if saved:
                self.sources.append(SavedPages(root))
            warcs.extend(found)
        if warcs:
            self.sources.append(WarcArchive(warcs))

    def __len__(self) -> int:
        return sum(len(source) for source in self.sources)

    @property
    def portals(self) -> set[str]:
        """Portals the archives hold pages of (manifests' and warcinfo records' ``portal``)."""
        return set().union(*(source.portals for source in self.sources))

    def article_urls(self, portal: str) -> list[str]:
        """Every page the archives recorded as an article of ``portal``."""
        return list(dict.fromkeys(url for source in self.sources for url in source.article_urls(portal)))

    def response_for(self, request: Request) -> Response | None:
        """The archived response for ``request``, or None when no archive has it."""
        for source in self.sources:
            response = source.response_for(request)
            if response is not None:
                return response
        return None
