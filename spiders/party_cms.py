"""Template spider for party-committee CMS (民进/民建/致公党… provincial committee sites)."""

from __future__ import annotations

from typing import ClassVar

from spiders.base import PortalSpider


class PartyCmsSpider(PortalSpider):
    name = "party_cms"
    default_selectors: ClassVar[dict[str, str]] = {}
