"""Read a list page: which links are its articles, where its list is, what its next page is.

The articles are the links of one URL shape (:mod:`govnews.genportal.shapes`) with a
number in their path, in the block of the page that sits nearest its pager: a list page's
sidebars (最新动态, 热点排行) link articles of the same shape, often more of them, but the
pager belongs to the list it pages. Without a pager, the block with the most of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from govnews.genportal.selectors import depth, lowest_common_ancestor, stable_selector
from govnews.genportal.shapes import LinkGroup, group_links, shape_of
from spiders.base import NEXT_PAGE_LINKS
from spiders.lists import trs_pager


@dataclass
class ListReading:
    """What one list page says: its article links and their block, its next page."""

    articles: LinkGroup | None
    block_selector: str | None  # the article_links selector: the block, then its links
    next_url: str | None
    next_selector: str | None
    scripted_pager: bool  # the next page is written by script (TRS createPageHTML)


def links_of(page: TextResponse, root: Any = None) -> list[tuple[Any, str]]:
    """Every ``<a href>`` under ``root`` (the page) leading to a page, as (element, absolute URL)."""
    anchors = (root if root is not None else page.selector.root).iter("a")
    found = []
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "mailto:", "#", "tel:")):
            found.append((anchor, page.urljoin(href).split("#", 1)[0]))
    return found


def read_list(page: TextResponse) -> ListReading:
    links = links_of(page)
    groups = group_links(url for _, url in links)
    next_anchor, next_url = _next_link(page)
    scripted = None
    if next_url is None and (pager_script := trs_pager.find(page)) and (scripted := pager_script.next_page):
        next_url = page.urljoin(scripted)
    pager = next_anchor.getparent() if next_anchor is not None else None
    list_shapes = {shape_of(_path(page.url)), *([shape_of(_path(next_url))] if next_url else [])}
    best: tuple[tuple[int, int], LinkGroup, Any] | None = None
    for shape, group in groups.items():
        if shape in list_shapes or r"\d" not in shape:
            continue
        for block, urls in _blocks(links, set(group.urls)):
            if pager is not None and _within(block, pager):
                continue
            nearness = depth(lowest_common_ancestor([block, pager])) if pager is not None else 0
            score = (nearness, len(urls))
            if best is None or score > best[0]:
                chosen = LinkGroup(shape)
                for url in urls:
                    chosen.add(url)
                best = (score, chosen, block)
    if best is None:
        return ListReading(None, None, next_url, None, bool(scripted))
    _, articles, block = best
    block_selector = stable_selector(block)
    return ListReading(articles, f"{block_selector} a" if block_selector else None, next_url,
                       _next_selector(next_anchor), bool(scripted))


def _path(url: str) -> str:
    return urlsplit(url).path


def _next_link(page: TextResponse) -> tuple[Any, str | None]:
    """The page's 下一页 link and where it leads (the common rule of spiders.base)."""
    for anchor in page.xpath(NEXT_PAGE_LINKS.removesuffix("/@href")):
        url = page.urljoin((anchor.root.get("href") or "").strip())
        if url != page.url:
            return anchor.root, url
    return None, None


def _next_selector(anchor: Any) -> str | None:
    """``//div[@class='pages']//a[normalize-space(.)='下一页']/@href``: the pager's next link,
    by the pager's own class or id and the link's text."""
    if anchor is None:
        return None
    text = " ".join("".join(anchor.itertext()).split())
    for ancestor in anchor.iterancestors():
        for attribute in ("id", "class"):
            value = ancestor.get(attribute)
            if value and "'" not in value and "'" not in text:
                return f"//{ancestor.tag}[@{attribute}='{value}']//a[normalize-space(.)='{text}']/@href"
    return None


def _blocks(links: list[tuple[Any, str]], urls: set[str]) -> list[tuple[Any, list[str]]]:
    """The blocks ``urls`` are linked from: for each link, its nearest ancestor that links
    two of them or more; each block with the URLs it links, in page order."""
    mine = [(anchor, url) for anchor, url in links if url in urls]
    blocks: dict[Any, list[str]] = {}
    for anchor, _ in mine:
        for ancestor in anchor.iterancestors():
            linked = {url for other, url in mine if _within(other, ancestor)}
            if len(linked) >= 2:
                if ancestor not in blocks:
                    blocks[ancestor] = list(dict.fromkeys(url for other, url in mine if _within(other, ancestor)))
                break
    return list(blocks.items())


def _within(element: Any, ancestor: Any) -> bool:
    return element is ancestor or any(a is ancestor for a in element.iterancestors())
