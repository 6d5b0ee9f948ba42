"""Load and validate portal files (``portals/<name>.toml``).

A portal file is plain data (TOML, read with the standard library, never executed).
Adding a site of a known template means adding one of these plus ``seeds/<name>.txt``.

Keys::

    name = "cqmjsw"                      # must equal the file name
    title = "民进重庆市委会"
    template = "party_cms"              # party_cms | gazetteer | city_news
    hosts = ["cqmjsw.gov.cn", "www.cqmjsw.gov.cn"]   # first = canonical host, rest = aliases
    scheme = "https"                    # scheme of canonical URLs (default https)
    download_delay = 2.0                # seconds between requests to this site
    list_order = "newest_first"         # or "unordered": newest_first allows incremental stop
    encoding = "gbk"                    # optional: force a page encoding when headers lie
    cms = "trs"                         # optional: the site's CMS family (govnews/cms/families.py);
                                        # its default selectors apply under [selectors]

    [urls]                              # RE2 regexes searched in absolute URLs (linear time:
                                        # no lookaround, no backreferences; refused at load)
    list = ['/news/list_\\d+(?:_\\d+)?\\.html$']
    article = ['/news/\\d+\\.html$']

    [selectors]                         # override the template defaults (see spiders/)
    title = "h1.title"                  # CSS, or XPath when it starts with "/" or "("

    [list]                              # optional: where the lists come from (spiders/lists/,
    adapter = "hanweb"                  # README "List adapters"): links | trs | dedecms | hanweb
                                        # | json; default: the cms family's, else links

    [noise]                             # extra cleaning rules for this site only
    drop_selectors = [".ad-box"]        # DOM nodes removed from the body
    drop_lines = ['^本文来源']            # body lines removed (regex, searched)

    [health]                            # least share of a run's items with each field
    published_at = 0.9                  # (title, published_at, body, source; 0 to 1):
                                        # overrides HEALTH_MIN_COVERAGE (govnews/health.py)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import re2
from lxml import etree
from lxml.cssselect import CSSSelector
from parsel import Selector

from govnews.cms import FAMILIES

PORTALS_DIR = Path(__file__).resolve().parent
SEEDS_DIR = PORTALS_DIR.parent / "seeds"
TEMPLATES = ("party_cms", "gazetteer", "city_news")
LIST_ORDERS = ("newest_first", "unordered")
#: Seconds between requests to a site whose portal file sets none (README "Politeness"): the
#: hand-written portals use 2-3 for a small government server. At most MAX_DOWNLOAD_DELAY.
DEFAULT_DOWNLOAD_DELAY = 2.0
MAX_DOWNLOAD_DELAY = 120
SELECTOR_KEYS = (
    "article_links",
    "next_page",
    "title",
    "subtitle",
    "breadcrumb",
    "meta",
    "body",
    "tags",
)
_TOP_KEYS = {
    "name", "title", "template", "hosts", "scheme", "download_delay", "list_order",
    "encoding", "cms", "urls", "selectors", "noise", "health", "list",
}
#: Fields whose coverage a portal file's [health] table may set a minimum for.
COVERAGE_FIELDS = ("title", "published_at", "body", "source")
_HOST_RE = re.compile(r"^[a-z0-9.-]+(:\d+)?$")


class PortalError(ValueError):
    """A portal file or seed list that cannot be used; the message says which and why."""


class UrlPattern(Protocol):
    """A compiled RE2 pattern (``re2.compile``)."""

    def search(self, text: str) -> object | None: ...


#: URL patterns run on every link of every page: RE2 runs them in time linear in the URL,
#: so no pattern (``(a+)+\.html$``) can hang a crawl. Errors are raised, not logged.
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


@dataclass(frozen=True)
class Portal:
    name: str
    title: str
    template: str
    hosts: tuple[str, ...]
    scheme: str = "https"
    download_delay: float = DEFAULT_DOWNLOAD_DELAY
    list_order: str = "newest_first"
    encoding: str | None = None
    cms: str | None = None
    list_patterns: tuple[UrlPattern, ...] = ()
    article_patterns: tuple[UrlPattern, ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    drop_selectors: tuple[str, ...] = ()
    drop_lines: tuple[str, ...] = ()
    #: [health]: least share of a run's items with each field (overrides HEALTH_MIN_COVERAGE).
    min_coverage: dict[str, float] = field(default_factory=dict)
    start_urls: tuple[str, ...] = ()
    #: The ``[list]`` table: which list adapter (spiders.lists) and its keys.
    list_source: dict[str, Any] = field(default_factory=dict)

    @property
    def canonical_host(self) -> str:
        return self.hosts[0]

    def is_list_url(self, url: str) -> bool:
        return any(p.search(_lower_origin(url)) for p in self.list_patterns)

    def is_article_url(self, url: str) -> bool:
        return any(p.search(_lower_origin(url)) for p in self.article_patterns)


#: The portal of a page no portal file describes (read by spiders.generic): no hosts, so
#: URLs keep their own, no URL patterns, no selectors, no extra noise rules.
GENERIC_PORTAL = Portal(name="generic", title="a site with no portal file", template="generic", hosts=())


def _lower_origin(url: str) -> str:
    """``HTTPS://CQMJSW.GOV.CN/news/1.html`` as the patterns are written: scheme and host are
    case-insensitive, the path is not."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def available_portals(directory: Path = PORTALS_DIR) -> list[str]:
    """Names of every portal file in ``directory``, sorted."""
    return sorted(p.stem for p in directory.glob("*.toml"))


def load_portal(name: str, directory: Path = PORTALS_DIR, seeds_dir: Path = SEEDS_DIR) -> Portal:
    """Read ``<directory>/<name>.toml`` and ``<seeds_dir>/<name>.txt`` into a :class:`Portal`."""
    if not re.fullmatch(r"[a-z0-9_]+", name or ""):
        raise PortalError(f"portal name {name!r}: use lowercase letters, digits and _ only")
    path = directory / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(available_portals(directory)) or "none"
        raise PortalError(f"portal {name!r}: no file {path} (known portals: {known})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PortalError(f"{path}: not valid TOML: {exc}") from exc
    return _build(path, data, _read_seeds(seeds_dir / f"{name}.txt"))


def load_configured_portal(name: str, settings: Any) -> Portal:
    """Load ``name`` from the folders named by the ``PORTALS_DIR``/``SEEDS_DIR`` settings.

    Unset, they are the project's ``portals/`` and ``seeds/``; a user may keep their own
    portal files elsewhere without touching the project.
    """
    directory = Path(settings.get("PORTALS_DIR") or PORTALS_DIR)
    seeds = Path(settings.get("SEEDS_DIR") or settings.get("PORTALS_DIR") or SEEDS_DIR)
    return load_portal(name, directory, seeds)


def _read_seeds(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        raise PortalError(f"{path}: seed list missing (one start URL a line)")
    urls = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not re.match(r"https?://", line):
            raise PortalError(f"{path}:{number}: not an http(s) URL: {line!r}")
        urls.append(line)
    if not urls:
        raise PortalError(f"{path}: no start URL")
    return tuple(urls)


def _build(path: Path, data: dict[str, Any], start_urls: tuple[str, ...]) -> Portal:
    def fail(message: str) -> PortalError:
        return PortalError(f"{path}: {message}")

    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise fail(f"unknown keys {sorted(unknown)}")
    if data.get("name") != path.stem:
        raise fail(f"name must be {path.stem!r}, found {data.get('name')!r}")
    if data.get("template") not in TEMPLATES:
        raise fail(f"template must be one of {TEMPLATES}, found {data.get('template')!r}")
    hosts = data.get("hosts")
    if not isinstance(hosts, list) or not hosts or not all(
        isinstance(h, str) and _HOST_RE.match(h) for h in hosts
    ):
        raise fail("hosts must be a non-empty list of lowercase host names")
    scheme = data.get("scheme", "https")
    if scheme not in ("http", "https"):
        raise fail("scheme must be http or https")
    delay = data.get("download_delay", DEFAULT_DOWNLOAD_DELAY)
    if not isinstance(delay, (int, float)) or isinstance(delay, bool) or not 0 <= delay <= MAX_DOWNLOAD_DELAY:
        raise fail(f"download_delay must be a number of seconds from 0 to {MAX_DOWNLOAD_DELAY}")
    list_order = data.get("list_order", "newest_first")
    if list_order not in LIST_ORDERS:
        raise fail(f"list_order must be one of {LIST_ORDERS}")
    encoding = data.get("encoding")
    if encoding is not None and not (isinstance(encoding, str) and _is_codec(encoding)):
        raise fail(f"encoding must name a text encoding such as 'gbk', found {encoding!r}")
    cms = data.get("cms")
    if cms is not None and cms not in FAMILIES:
        raise fail(f"cms must be one of {sorted(FAMILIES)}, found {cms!r}")

    urls = _table(data, "urls", fail)
    list_patterns = _patterns(urls, "list", fail)
    article_patterns = _patterns(urls, "article", fail)
    if not article_patterns:
        raise fail("[urls] article needs at least one pattern")

    selectors = _table(data, "selectors", fail)
    bad = set(selectors) - set(SELECTOR_KEYS)
    if bad:
        raise fail(f"[selectors] unknown keys {sorted(bad)}; known: {SELECTOR_KEYS}")
    if not all(isinstance(v, str) and v.strip() for v in selectors.values()):
        raise fail("[selectors] values must be non-empty strings")
    for key, selector in selectors.items():
        _check_selector(selector, f"[selectors] {key}", fail)

    noise = _table(data, "noise", fail)
    drop_selectors = _strings(noise, "drop_selectors", fail)
    for selector in drop_selectors:
        _check_drop_selector(selector, fail)
    drop_lines = _strings(noise, "drop_lines", fail)
    for pattern in drop_lines:
        _compile(pattern, "[noise] drop_lines", fail)

    min_coverage = _table(data, "health", fail)
    bad = set(min_coverage) - set(COVERAGE_FIELDS)
    if bad:
        raise fail(f"[health] unknown keys {sorted(bad)}; known: {COVERAGE_FIELDS}")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1
               for v in min_coverage.values()):
        raise fail("[health] values must be shares from 0 to 1")

    list_source = _table(data, "list", fail)
    from spiders.lists import check_list_table  # spiders import this module: not at its top
    if (wrong := check_list_table(cms, list_source)) is not None:
        raise fail(f"[list] {wrong}")

    for url in start_urls:
        if not (url.split("/")[2].lower() in hosts):
            raise fail(f"start URL {url} is not on one of the hosts {hosts}")

    return Portal(
        name=data["name"],
        title=str(data.get("title", data["name"])),
        template=data["template"],
        hosts=tuple(hosts),
        scheme=scheme,
        download_delay=float(delay),
        list_order=list_order,
        encoding=encoding,
        cms=cms,
        list_patterns=list_patterns,
        article_patterns=article_patterns,
        selectors=dict(selectors),
        drop_selectors=drop_selectors,
        drop_lines=drop_lines,
        min_coverage={key: float(value) for key, value in min_coverage.items()},
        start_urls=start_urls,
        list_source=dict(list_source),
    )


def _table(data: dict[str, Any], key: str, fail) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise fail(f"[{key}] must be a table")
    return value


def _strings(table: dict[str, Any], key: str, fail) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"{key} must be a list of strings")
    return tuple(value)


def _patterns(table: dict[str, Any], key: str, fail) -> tuple[UrlPattern, ...]:
    compiled = []
    for pattern in _strings(table, key, fail):
        try:
            compiled.append(re2.compile(pattern, _RE2_OPTIONS))
        except re2.error as exc:
            why = exc.args[0].decode("utf-8", "replace") if isinstance(exc.args[0], bytes) else str(exc)
            raise fail(f"[urls] {key}: bad regex '{pattern}': {why} (URL patterns are RE2, which runs in"
                       " linear time: no lookaround, no backreferences)") from None
    return tuple(compiled)


def _is_codec(name: str) -> bool:
    try:
        "".encode(name)  # LookupError for unknown names and for bytes codecs (base64)
    except LookupError:
        return False
    return True


def _check_selector(selector: str, where: str, fail) -> None:
    """Raise when ``selector`` is no valid XPath (starting with / or () or CSS: caught
    here, a typo would fail on every page of the crawl instead."""
    probe = Selector(text="<html><body></body></html>")
    try:
        probe.xpath(selector) if selector.startswith(("/", "(")) else probe.css(selector)
    except Exception as exc:  # parsel raises ValueError for XPath, cssselect its own errors
        raise fail(f"{where}: bad selector {selector!r}: {exc}") from exc


def _check_drop_selector(selector: str, fail) -> None:
    """As :func:`_check_selector`, with the lxml the noise stage removes nodes with (it
    refuses what only parsel accepts, such as ``::text``)."""
    try:
        etree.XPath(selector) if selector.startswith(("/", "(")) else CSSSelector(selector)
    except Exception as exc:
        raise fail(f"[noise] drop_selectors: bad selector {selector!r}: {exc}") from exc


def _compile(pattern: str, where: str, fail) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise fail(f"{where}: bad regex {pattern!r}: {exc}") from exc
