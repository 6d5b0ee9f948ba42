"""Template spider for city news nets (regional news portals that mostly repost, and their mirrors)."""

from __future__ import annotations

from typing import ClassVar

from spiders.base import PortalSpider


class CityNewsSpider(PortalSpider):
    name = "city_news"
    default_selectors: ClassVar[dict[str, str]] = {}
