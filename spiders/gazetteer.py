"""Template spider for provincial gazetteer office (地方志工作办公室) sites."""

from __future__ import annotations

from typing import ClassVar

from spiders.base import PortalSpider


class GazetteerSpider(PortalSpider):
    name = "gazetteer"
    default_selectors: ClassVar[dict[str, str]] = {}
