"""The extractors measured side by side, each as one call on a page's bytes and URL that
returns the scored fields (title, published_at, date_precision, source, editor, body).

``project`` is :func:`govnews.extract.extract_page` without a portal (the generic path a
new site gets). GNE and trafilatura are imported only when asked for: they live in the
benchmark environment (``.venv-bench``, ``benchmarks/requirements-eval.txt``), never in
the project's. Both are given what they need to do their best: GNE the text decoded as
the project decodes it (it takes a ``str``), trafilatura the bytes (it decodes them
itself); their raw date strings are read by the project's date parser. ``lxml`` is the
floor: ``lxml.html.fromstring`` of the same bytes, no fields.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import lxml.html
from itemadapter import ItemAdapter
from w3lib.encoding import html_to_unicode

from govnews.encoding import better_encoding
from pipelines.dates import parse_date

Fields = dict[str, Any]
Read = Callable[[bytes, str], Fields]

#: The floor every time is compared with.
FLOOR = "lxml"
NAMES = ("project", "gne", "trafilatura")


def read_project(body: bytes, url: str) -> Fields:
    from govnews.extract import DropItem, extract_page

    try:
        item = ItemAdapter(extract_page(body, url)).asdict()
    except DropItem as dropped:  # no article found: every check fails
        return {"error": str(dropped)}
    item.pop("raw", None)
    return item


def read_floor(body: bytes, url: str) -> Fields:
    lxml.html.fromstring(body)
    return {}


def page_text(body: bytes) -> str:
    """The page decoded as the project decodes it (the bytes over a stale label)."""
    encoding, text = html_to_unicode(None, body)
    better = better_encoding(body, encoding, text)
    return body.decode(better, errors="replace") if better else text


def _dated(raw: str | None) -> Fields:
    published_at, precision = parse_date(raw) if raw else (None, None)
    return {"published_at": published_at, "date_precision": precision}


def gne_reader() -> Read:
    extractor = _need("gne").GeneralNewsExtractor()

    def read(body: bytes, url: str) -> Fields:
        found = extractor.extract(page_text(body))
        return {"title": found.get("title"), "body": found.get("content"), "source": None, "editor": None,
                **_dated(found.get("publish_time"))}
    return read


#: trafilatura gives days by default; asked, it gives the clock it found too.
_CLOCK = {"outputformat": "%Y-%m-%d %H:%M:%S"}


def trafilatura_reader() -> Read:
    trafilatura = _need("trafilatura")

    def read(body: bytes, url: str) -> Fields:
        found = trafilatura.bare_extraction(body, url=url, with_metadata=True, date_extraction_params=_CLOCK)
        if found is None:
            return {"error": "no extraction"}
        return {"title": found.title, "body": found.text, "source": None, "editor": None, **_dated(found.date)}
    return read


def _need(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise SystemExit(f"{module} is not installed in this environment ({error}); "
                         "`make eval` / `make bench` build .venv-bench with it") from None


def readers(names: tuple[str, ...]) -> dict[str, Read]:
    """The floor and the named extractors, in that order."""
    makers: dict[str, Callable[[], Read]] = {
        "project": lambda: read_project, "gne": gne_reader, "trafilatura": trafilatura_reader}
    unknown = set(names) - set(makers)
    if unknown:
        raise SystemExit(f"unknown extractor(s): {', '.join(sorted(unknown))} (known: {', '.join(makers)})")
    return {FLOOR: read_floor, **{name: makers[name]() for name in names}}
