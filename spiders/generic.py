"""The spider of a page no portal file describes: every part found by the generic finders.

``govnews.extract.extract_page`` reads such pages with it (a user's first look at a new
site, or a corpus of saved pages). It has no selectors, so every part falls back on
:mod:`spiders.heuristics`; its portal (:data:`portals.GENERIC_PORTAL`) has no hosts, so URLs
keep their own host and scheme.
"""

from __future__ import annotations

from typing import ClassVar

from spiders.base import PortalSpider


class GenericSpider(PortalSpider):
    name = "generic"
    default_selectors: ClassVar[dict[str, str]] = {}
