"""The CMS families government sites run on: the signs each leaves, and its default selectors.

Plain data, read by :mod:`govnews.cms.detect`. A sign is a regex searched in one place of a
page — its ``<meta name="generator">`` (``generator``), its HTML source with asset paths,
markup and the links it holds (``html``), or its own URL (``url``) — with a weight: 3 for a
sign only that family leaves (``TRS_Editor``), 2 for a strong one, 1 for a shape another
family shares (``content_123.htm`` is gov.cn's and Founder's). Selectors are what a portal
file naming the family (``cms = "trs"``) starts from; its own ``[selectors]`` win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Where = Literal["generator", "html", "links", "url"]


@dataclass(frozen=True)
class Sign:
    where: Where
    pattern: re.Pattern[str]
    weight: int


@dataclass(frozen=True)
class Family:
    name: str
    title: str
    signs: tuple[Sign, ...]
    selectors: dict[str, str] = field(default_factory=dict)


def _signs(*specs: tuple[Where, str, int]) -> tuple[Sign, ...]:
    return tuple(Sign(where, re.compile(pattern, re.I), weight) for where, pattern, weight in specs)


FAMILIES: dict[str, Family] = {family.name: family for family in (
    Family("trs", "TRS WCM (拓尔思)", _signs(
        ("generator", r"\bTRS\b", 3),
        ("html", r"class=[\"']?TRS_(?:Editor|UEDITOR)", 3),
        ("html", r"\bcreatePageHTML\s*\(", 2),
        ("links", r"href=[\"'][^\"']*/t\d{8}_\d+\.s?html?[\"']", 1),
        ("url", r"/t\d{8}_\d+(?:_\d+)?\.s?html?$", 2),
    ), {"body": ".TRS_Editor, .TRS_UEDITOR, .trs_editor_view"}),
    Family("hanweb", "Hanweb 大汉 JCMS / jpaas", _signs(
        ("generator", r"hanweb|大汉|\bjcms\b", 3),
        ("html", r"/module/(?:web/jpage/)?dataproxy\.jsp", 3),
        ("html", r"\bhanweb\b|\bjpaas\b|/jcms_files/", 2),
        ("links", r"href=[\"'][^\"']*/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", 2),
        ("links", r"href=[\"'][^\"']*/col/col\d+/", 1),
        ("url", r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$", 3),
        ("url", r"/col/col\d+/(?:index(?:_\d+)?\.html)?$", 2),
    ), {"body": "#zoom, .bt_content, #barrierfree_container .article-content"}),
    Family("ucap", "gov.cn site-cluster platform (开普云 UCAP)", _signs(
        ("generator", r"\bucap\b|开普", 3),
        ("html", r"id=[\"']?UCAP-CONTENT", 3),
        ("html", r"/ucap/|\bucapcms\b", 2),
        ("url", r"/content_\d+\.s?htm$", 1),
    ), {"body": "#UCAP-CONTENT"}),
    Family("founder", "Founder 翔宇 (方正)", _signs(
        ("generator", r"founder|方正|翔宇", 3),
        ("html", r"<!--\s*enp(?:property|content)\b|<founder-content", 3),
        ("html", r"id=[\"']?ozoom\b", 2),
        ("links", r"href=[\"'][^\"']*\bnode_\d+(?:_\d+)?\.htm[\"']", 1),
        ("url", r"/\d{4}-\d{2}/\d{2}/content_\d+\.htm$", 1),
        ("url", r"/node_\d+(?:_\d+)?\.htm$", 2),
    ), {"body": "founder-content, #ozoom"}),
    Family("dedecms", "DedeCMS (织梦)", _signs(
        ("generator", r"dedecms|织梦", 3),
        ("html", r"/include/dedeajax|\bDedeXHTTP\b", 3),
        ("html", r"/templets/|\bdede_pages\b|/plus/(?:count|search|view|list)\.php", 2),
        ("html", r"/uploads/allimg/", 1),
        ("url", r"/plus/view\.php\?aid=\d+", 3),
        ("url", r"/list_\d+_\d+\.html$", 1),
    ), {"body": "div.viewbox div.content, div.article div.content",
        "next_page": "//div[contains(@class,'dede_pages')]//a[normalize-space(.)='下一页']/@href"}),
    Family("phpcms", "PHPCMS", _signs(
        ("generator", r"phpcms", 3),
        ("html", r"index\.php\?m=content&(?:amp;)?c=index&(?:amp;)?a=(?:show|lists)", 3),
        ("html", r"\bphpcms\b|/api\.php\?op=count", 2),
        ("html", r"/statics/(?:js|css|images)/", 1),
        ("url", r"index\.php\?m=content&c=index&a=show", 3),
        ("url", r"/show-\d+-\d+-\d+\.html$", 2),
    ), {"body": "#Article .content", "title": "#Article h1", "breadcrumb": ".crumbs"}),
    Family("empirecms", "EmpireCMS (帝国)", _signs(
        ("generator", r"empirecms|帝国", 3),
        ("html", r"/e/(?:public|action|extend|search|member)/", 2),
        ("html", r"/skin/default/|/d/file/", 1),
        ("url", r"/e/action/ShowInfo\.php", 3),
    ), {"body": "#text"}),
    Family("wordpress", "WordPress", _signs(
        ("generator", r"wordpress", 3),
        ("html", r"/wp-content/|/wp-includes/", 2),
        ("html", r"/wp-json/", 1),
        ("url", r"[?&]p=\d+$", 1),
    ), {"body": ".entry-content", "title": "h1.entry-title", "meta": ".entry-meta", "tags": "a[rel~='tag']"}),
)}
