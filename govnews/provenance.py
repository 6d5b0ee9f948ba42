"""Where an article's bytes are kept: the WARC record (or saved page) of each of its pages.

The component that stores or serves a response (the recorder, else the replay archive)
puts its location in ``Request.meta[PROVENANCE]``; the spider copies it into the item's
``provenance`` list, one entry per page of the article, in page order. Locations are
``{"file": NAME, "record_id": "<urn:uuid:…>", "offset": N}`` for a WARC record (NAME in
the RECORD or REPLAY folder) and ``{"file": PATH}`` for a saved page.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

#: Request.meta key: the location of the response's bytes.
PROVENANCE = "govnews_provenance"


def pages_of(response: Response) -> list[dict[str, Any]]:
    """``[location]`` of ``response``'s bytes, or ``[]`` when nothing keeps them (a live
    crawl without RECORD)."""
    request = response.request
    location = request.meta.get(PROVENANCE) if request is not None else None
    return [location] if location else []
