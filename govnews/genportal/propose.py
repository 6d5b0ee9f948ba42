"""From the fetched pages to a portal file's keys, each with what it was inferred from.

The list page gives the URL patterns, hosts and next-page rule (:mod:`govnews.genportal.lists`),
the sample articles the field selectors (:mod:`govnews.genportal.fields`), the CMS family
and the encoding; the site's name gives the template. The proposal is then checked the
way it will be used: each sample article is extracted with the proposed portal and with
none (the generic finders alone), and a selector or family that changes the item is left
out, so the written file never reads a sample page worse than no file at all.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from protego import Protego
from scrapy.http import Response, TextResponse

from govnews import cms
from govnews.encoding import better_encoding
from govnews.extract import PageExtractor, make_crawler
from govnews.genportal import fields
from govnews.genportal.fetch import FETCH_SETTINGS, Fetched, robots_url
from govnews.genportal.lists import ListReading, links_of, read_list
from govnews.genportal.shapes import LinkGroup, generalised, list_path_regex, shape_of, url_pattern
from govnews.genportal.writer import write_files
from govnews.items import RUN_FIELDS
from pipelines.validate import InvalidArticle
from portals.loader import DEFAULT_DOWNLOAD_DELAY, MAX_DOWNLOAD_DELAY

#: Sample articles fetched from the start page's list.
SAMPLES = 3
#: Words of a site's name that say which template it is (spiders/): party committees and
#: democratic parties, gazetteer offices; any other site is a news site (city_news).
_TEMPLATE_WORDS = (
    ("party_cms", re.compile(r"民进|民建|民盟|民革|致公|九三|农工|台盟|党委|市委会|省委会|统战")),
    ("gazetteer", re.compile(r"地方志|方志|史志|省情|年鉴")),
)
_NAME_SPLIT = re.compile(r"\s*(?:[-_|–—]|::)\s*")
#: Item fields each selector decides; a selector whose field comes out different is dropped.
_FIELD_SELECTOR = {"title": "title", "subtitle": "title", "breadcrumb": "breadcrumb", "body": "body",
                   "images": "body", "attachments": "body", "disclosure": "body", "tags": "body",
                   "published_at": "meta", "published_at_raw": "meta", "date_precision": "meta",
                   "source": "meta", "author": "meta", "editor": "meta", "flags": "meta"}
#: Fields that differ between any two extractions of a page, or name the portal itself.
_UNCOMPARED = {*RUN_FIELDS, "raw", "portal", "template", "cms"}


class ProposalError(ValueError):
    """The start page cannot be read: there is nothing to propose."""


@dataclass
class Key:
    """One key of the file: its value and the comment saying what it was inferred from."""

    value: Any
    why: str


@dataclass
class Proposal:
    name: str
    start_urls: list[str]
    top: dict[str, Key] = field(default_factory=dict)
    urls: dict[str, Key] = field(default_factory=dict)
    selectors: dict[str, Key] = field(default_factory=dict)
    undecided: list[str] = field(default_factory=list)


#: Crawlers built here log as the fetch crawl does (a crawler built in a running command
#: re-installs Scrapy's log handler at its own LOG_LEVEL).
_QUIET = {"LOG_LEVEL": FETCH_SETTINGS["LOG_LEVEL"]}


@cache
def generic_extractor() -> PageExtractor:
    """The generic spider (no portal) and every stateless pipeline, built once."""
    return PageExtractor(make_crawler(None, _QUIET))


def readable(response: Response) -> TextResponse | None:
    """``response`` decoded as a crawl's spider decodes it (encoding from the bytes, content
    after ``</html>`` adopted), or None for an answer that is no page."""
    return generic_extractor().crawler.spider._page(response)  # the spiders' own reading


def plan(response: Response) -> list[tuple[str, str]]:
    """What to fetch after the start page: its next list page and the first sample articles."""
    page = readable(response)
    if page is None:
        return []
    reading = read_list(page)
    wanted = [(url, "list") for url in [reading.next_url] if url]
    return wanted + [(url, "article") for url in (reading.articles.urls if reading.articles else [])[:SAMPLES]]


def propose(name: str, start_url: str, pages: dict[str, Fetched]) -> Proposal:
    fetched = pages.get(start_url)
    if fetched is None or fetched.response is None or fetched.response.status != 200:
        why = fetched.reason if fetched and fetched.reason else f"HTTP {fetched.response.status}" if fetched and fetched.response else "no answer"
        raise ProposalError(f"start page {start_url} could not be fetched ({why})")
    page = readable(fetched.response)
    if page is None:
        raise ProposalError(f"start page {start_url} is not an HTML page")
    proposal = Proposal(name, [start_url])
    reading = read_list(page)
    if reading.articles is None:
        raise ProposalError(f"start page {start_url} links no group of article-shaped URLs (a path with a number)")
    articles = _articles(reading, pages)
    samples = [(url, pages[url].response) for url in articles.urls[:SAMPLES]
               if url in pages and pages[url].response is not None and pages[url].response.status == 200]
    sample_pages = [p for p in (readable(r) for _, r in samples) if p is not None]
    for url in articles.urls[:SAMPLES]:
        if not any(url == u for u, _ in samples):
            proposal.undecided.append(f"sample article {url} could not be fetched"
                                      f" ({pages[url].reason if url in pages else 'not fetched'})")
    hosts = _hosts(start_url, articles.urls, samples)
    _site_keys(proposal, page, hosts, start_url, sample_pages, reading, pages.get(robots_url(start_url)))
    _url_keys(proposal, start_url, reading, hosts, articles)
    _selector_keys(proposal, reading, sample_pages)
    _check(proposal, samples)
    return proposal


def _articles(reading: ListReading, pages: dict[str, Fetched]) -> LinkGroup:
    """The start page's article links, and those of its next page's same block."""
    articles = reading.articles
    following = pages.get(reading.next_url or "")
    if following is not None and following.response is not None and reading.block_selector:
        page = readable(following.response)
        if page is not None:
            for block in page.css(reading.block_selector.removesuffix(" a"))[:1]:
                for _, url in links_of(page, block.root):
                    if shape_of(urlsplit(url).path) == articles.shape:
                        articles.add(url)
    return articles


def _hosts(start_url: str, article_urls: list[str], samples: list[tuple[str, Response]]) -> list[str]:
    """The start page's host first (canonical), then the other hosts its list links
    articles on and the hosts sample articles redirected to: one site under several names."""
    hosts = [urlsplit(start_url).netloc.lower()]
    redirected = [urlsplit(r.url).netloc.lower() for _, r in samples]
    for host in [urlsplit(u).netloc.lower() for u in article_urls] + redirected:
        if host not in hosts:
            hosts.append(host)
    return hosts


def _site_keys(proposal: Proposal, page: TextResponse, hosts: list[str], start_url: str,
               samples: list[TextResponse], reading: ListReading, robots: Fetched | None) -> None:
    window = _window_title(page)
    parts = [p for p in _NAME_SPLIT.split(window) if p]
    # The site's name is the part every page's window title repeats (a column's or an
    # article's title changes); of several, the shortest (a slogan is longer).
    common = [p for p in parts if all(p in _window_title(sample) for sample in samples)] or parts[-1:]
    site = min(common, key=len) if common else proposal.name
    proposal.top["name"] = Key(proposal.name, "the --name given")
    proposal.top["title"] = Key(site, f"the part of the start page's window title {window!r} the sample"
                                " pages' titles repeat" if parts else "no window title on the start page: the name")
    template = next((t for t, words in _TEMPLATE_WORDS if words.search(site)), None)
    if template:
        proposal.top["template"] = Key(template, f"the site's name {site!r} (spiders/{template}.py)")
    else:
        proposal.top["template"] = Key("city_news", f"the site's name {site!r} names no party committee"
                                       " or gazetteer office: the news-site template, a guess")
        proposal.undecided.append("template: city_news is a guess (the three templates differ only in name today)")
    aliases = f"; aliases {', '.join(hosts[1:])}: the list links its articles there, or they redirect there" if hosts[1:] else ""
    proposal.top["hosts"] = Key(hosts, f"the start page's host (canonical){aliases}")
    proposal.top["scheme"] = Key(urlsplit(start_url).scheme, "the start URL's scheme")
    proposal.top["download_delay"] = _download_delay(robots)
    order = _list_order(reading.articles.urls if reading.articles else [])
    proposal.top["list_order"] = Key(*order)
    families = Counter(f for f in (cms.detect(p.text, p.url) for p in [page, *samples]) if f)
    if families:
        family, count = families.most_common(1)[0]
        proposal.top["cms"] = Key(family, f"govnews/cms fingerprints: {count} of {1 + len(samples)} pages fetched")
    else:
        proposal.undecided.append("cms: no family's fingerprint on the pages fetched")
    recoded = Counter(filter(None, (better_encoding(p.body, p.encoding, p.text) for p in samples)))
    served = Counter(p.encoding for p in samples)
    if recoded:
        codec = recoded.most_common(1)[0][0]
        proposal.top["encoding"] = Key(codec, f"the bytes of {recoded[codec]} sample pages are {codec},"
                                       " not what they declare")
    else:
        proposal.top["encoding"] = Key(None, "not set: the sample pages are "
                                         f"{', '.join(served) or 'unknown'} as they declare, and are read by their bytes anyway")


def _download_delay(robots: Fetched | None) -> Key:
    """The site's robots.txt Crawl-delay for this crawler when it asks for more than the
    project's default, else that default: a site's tolerance cannot be read off its pages."""
    response = robots.response if robots else None
    declared = None
    if response is not None and response.status == 200 and isinstance(response, TextResponse):
        agent = response.request.headers.get("User-Agent", b"").decode("latin-1") if response.request else ""
        declared = Protego.parse(response.text).crawl_delay(agent or "*")
    if declared is not None and declared > DEFAULT_DOWNLOAD_DELAY:
        delay = min(float(declared), MAX_DOWNLOAD_DELAY)
        return Key(delay, f"the Crawl-delay ({declared:g} s) the site's robots.txt asks of this crawler"
                   + (", cut to the most a portal file takes" if delay < declared else ""))
    return Key(DEFAULT_DOWNLOAD_DELAY, "the project's default (the hand-written portals' 2-3 s): a site's tolerance"
               " cannot be read off its pages and its robots.txt asks no longer Crawl-delay; set what it can take")


def _window_title(page: TextResponse) -> str:
    return " ".join((page.xpath("//head/title/text()").get() or "").split())


def _list_order(urls: list[str]) -> tuple[str, str]:
    """``newest_first`` when the list's article ids fall in page order (sequential CMS ids)."""
    ids = [int(found[-1]) for found in (re.findall(r"\d+", urlsplit(u).path) for u in urls) if found]
    if len(ids) >= 2 and all(a > b for a, b in zip(ids, ids[1:])):
        return "newest_first", f"the list's article ids fall in page order ({ids[0]} … {ids[-1]})"
    return "unordered", "the list's article ids do not fall in page order: no incremental stop"


def _url_keys(proposal: Proposal, start_url: str, reading: ListReading, hosts: list[str],
              articles: LinkGroup) -> None:
    start_path = urlsplit(start_url).path
    next_path = urlsplit(reading.next_url).path if reading.next_url else None
    proposal.urls["list"] = Key([url_pattern(hosts, list_path_regex(start_path, next_path))],
                                f"the start page {start_path} and its next page {next_path}" if next_path
                                else f"the start page {start_path} alone: it has no next-page link")
    if not next_path:
        proposal.undecided.append("next page: the start page has no 下一页 link nor a script pager")
    proposal.urls["article"] = Key([url_pattern(hosts, generalised(articles.paths))],
                                   f"{len(articles.urls)} links of the list, shaped {articles.shape}")


def _selector_keys(proposal: Proposal, reading: ListReading, samples: list[TextResponse]) -> None:
    if reading.block_selector:
        proposal.selectors["article_links"] = Key(reading.block_selector, "the block of article links nearest the pager")
    else:
        proposal.undecided.append("article_links: no stable selector for the list's block; every matching link is followed")
    if reading.next_selector:
        proposal.selectors["next_page"] = Key(reading.next_selector, "the start page's 下一页 link, by its pager's name")
    elif reading.scripted_pager:
        proposal.undecided.append("next_page: written by script (createPageHTML); the spiders follow it without a selector")
    chosen, undecided = fields.propose(samples)
    for part, selector in chosen.items():
        proposal.selectors[part] = Key(selector, f"the element the generic {part} finder used on {len(samples)} sample pages")
    for part, why in undecided.items():
        proposal.undecided.append(f"{part} selector: {why}; the generic finder is used")


def _check(proposal: Proposal, samples: list[tuple[str, Response]]) -> None:
    """Leave out selectors (and the CMS family) that make a sample's item differ from the
    generic finders' item."""
    for _ in range(len(proposal.selectors) + 2):
        with tempfile.TemporaryDirectory(prefix="genportal-") as folder:
            write_files(proposal, Path(folder), Path(folder))
            extractor = PageExtractor(make_crawler(proposal.name, {**_QUIET, "PORTALS_DIR": folder, "SEEDS_DIR": folder}))
            differing = set()
            for _, response in samples:
                differing |= _differences(extractor, response)
        if not differing:
            return
        dropped = {_FIELD_SELECTOR.get(f) for f in differing} & set(proposal.selectors)
        if not dropped and "cms" in proposal.top:
            family = proposal.top.pop("cms").value
            proposal.undecided.append(f"cms: {family}'s default selectors change the sample items; not named")
            continue
        if not dropped:
            proposal.undecided.append(f"the sample items differ from the generic finders' in {sorted(differing)}")
            return
        for key in dropped:
            selector = proposal.selectors.pop(key).value
            proposal.undecided.append(f"{key} selector {selector!r} changed the sample items' {sorted(differing)}; left out")


def _differences(extractor: PageExtractor, response: Response) -> set[str]:
    url = response.url  # where a redirect ended, as the crawl's spider sees it
    headers = dict(response.headers.to_unicode_dict())
    try:
        generic = ItemAdapter(generic_extractor().extract(response.body, url, headers)).asdict()
    except InvalidArticle:
        return set()  # not an article either way: nothing to compare
    try:
        proposed = ItemAdapter(extractor.extract(response.body, url, headers)).asdict()
    except InvalidArticle as exc:
        return set(exc.reasons) | {"title", "body"}
    return {k for k in generic if k not in _UNCOMPARED and generic[k] != proposed.get(k)}
