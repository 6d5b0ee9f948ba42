"""Hanweb 大汉 JCMS lists: a column page (``/col/col12/index.html``) and its ``dataproxy.jsp`` API.

A Hanweb column renders its list by script (jpage): the column page embeds the first records
in a ``<div id="<unitid>"><script type="text/xml"><datastore>…`` block, each record an
``<li>`` in ``<record><![CDATA[…]]></record>``, with a ``<nextgroup>`` link to
``/module/web/jpage/dataproxy.jsp?…&webid=1&columnid=12&unitid=…`` and the record count in
the jpage call (``totalRecord: 87, perPage: 15``). The rest comes from the API,
``dataproxy.jsp?startrecord=16&endrecord=30&perpage=15&col=1&appid=1&webid=…&path=/&columnid=…
&sourceContentType=1&unitid=…&webname=…&permissiontype=0``, which answers the same
``<datastore>`` with ``<totalrecord>``. There is no static ``index_1.html`` (it 404s).

Parameters are read off the column page; ``[list]`` keys declare or override them
(``params = {columnid = "12", unitid = "345", webid = "1"}``, ``perpage``, ``proxy``).
``method = "POST"`` sends them as real Hanweb sites' jpage script does: a form POST of
col … permissiontype to ``dataproxy.jsp?startrecord=16&endrecord=30&perpage=15`` (many of
them answer nothing, or an error, to the same query by GET). An
answer with no records ends the list (and is a failed page, ``empty_list``); so does
reaching ``totalrecord``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse

from spiders.lists.links import LIST_API, LIST_PROBE, LinkList

PROXY = "/module/web/jpage/dataproxy.jsp"
#: Request.meta key of a list API request: the query it sent (``startrecord`` … ``webname``).
QUERY = "govnews_hanweb_query"
#: The query every jpage request sends, in its order; values the column page or portal give.
DEFAULTS = {"col": "1", "appid": "1", "webid": "", "path": "/", "columnid": "", "sourceContentType": "1",
            "unitid": "", "webname": "", "permissiontype": "0"}
REQUIRED = ("webid", "columnid", "unitid")
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)", re.S | re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PERPAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_PROXY_URL = re.compile(r"proxyUrl\s*[:=]\s*['\"]([^'\"]+)", re.I)
_UNIT = re.compile(r"<div[^>]+id=[\"']?(\d+)[\"']?[^>]*>\s*<script[^>]+type=[\"']text/xml", re.I)


class HanwebList(LinkList):
    name: ClassVar[str] = "hanweb"
    keys: ClassVar[tuple[str, ...]] = ("params", "perpage", "proxy", "method")

    @classmethod
    def check(cls, config: Mapping[str, Any]) -> str | None:
        params = config.get("params", {})
        if not isinstance(params, dict) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                                   for v in params.values()):
            return "params must be a table of strings or numbers (columnid, unitid, webid …)"
        if unknown := set(params) - set(DEFAULTS):
            return f"params: unknown keys {sorted(unknown)}; known: {sorted(DEFAULTS)}"
        perpage = config.get("perpage", 15)
        if not isinstance(perpage, int) or isinstance(perpage, bool) or not 1 <= perpage <= 500:
            return "perpage must be a whole number from 1 to 500"
        proxy = config.get("proxy", PROXY)
        if not (isinstance(proxy, str) and proxy.startswith("/")):
            return "proxy must be a path on the site, such as '/module/web/jpage/dataproxy.jsp'"
        if config.get("method", "GET") not in ("GET", "POST"):
            return "method must be 'GET' (the query in the URL) or 'POST' (col … permissiontype as a form)"
        return None

    def page(self, response: Response) -> TextResponse | None:
        if QUERY in response.meta and isinstance(response, TextResponse):
            return response  # XML, read as text: no HTML page to re-decode or repair
        return super().page(response)

    def article_urls(self, response: TextResponse) -> list[str]:
        records = "".join(_RECORD.findall(response.text))
        if not records:
            return []
        listed = HtmlResponse(response.url, body=f"<ul>{records}</ul>".encode(), encoding="utf-8")
        return super().article_urls(listed)

    def next_pages(self, response: TextResponse) -> Iterator[scrapy.Request]:
        text = response.text
        read = len(_RECORD.findall(text))
        total = _TOTAL.search(text)
        total_records = int(total.group(1) or total.group(2)) if total else None
        sent = response.meta.get(QUERY)
        if sent is None:  # the column page
            query, proxy = self._column_query(response)
            if query is None:
                return
            perpage = int(self.config.get("perpage") or _number(_PERPAGE, text) or read or 15)
            end = read
        else:
            if not read:
                return
            query, proxy = dict(sent), urlsplit(response.url).path
            perpage, end = int(query["perpage"]), int(query["endrecord"])
        if total_records is not None and end >= total_records:
            return
        self.spider.crawler.stats.inc_value("lists/hanweb/requests")
        query.update(startrecord=str(end + 1), endrecord=str(end + perpage), perpage=str(perpage))
        paged = {key: query[key] for key in ("startrecord", "endrecord", "perpage")}
        form = {key: query[key] for key in DEFAULTS}
        meta = {QUERY: {**paged, **form}, LIST_API: True, LIST_PROBE: total_records is None and sent is None}
        if self.config.get("method") == "POST":
            url = response.urljoin(f"{proxy}?{urlencode(paged)}")
            yield self.spider.list_request(url, meta=meta, formdata=form)
        else:
            url = response.urljoin(f"{proxy}?{urlencode(meta[QUERY], safe='/')}")
            yield self.spider.list_request(url, meta=meta)

    def _column_query(self, response: TextResponse) -> tuple[dict[str, str] | None, str]:
        """The API query of a column page (its nextgroup link, its jpage block, the portal's
        ``params``) and the API's path; None when webid, columnid or unitid is unknown."""
        text = response.text
        nextgroup = _NEXTGROUP.search(text)
        found = dict(parse_qsl(urlsplit(nextgroup.group(1).replace("&amp;", "&")).query)) if nextgroup else {}
        unit = _UNIT.search(text)
        if unit and not found.get("unitid"):
            found["unitid"] = unit.group(1)
        declared = {key: str(value) for key, value in self.config.get("params", {}).items()}
        query = {**DEFAULTS, **{k: v for k, v in found.items() if k in DEFAULTS}, **declared}
        proxy = self.config.get("proxy") or (urlsplit(nextgroup.group(1)).path if nextgroup else "") \
            or _text(_PROXY_URL, text) or PROXY
        missing = [key for key in REQUIRED if not query[key]]
        if missing:
            self.spider.crawler.stats.inc_value("lists/hanweb/no_params")
            self.spider.logger.warning("%s: column page %s names no %s of its list API; declare them under"
                                       " [list] params", self.spider.portal.name, response.url, ", ".join(missing))
            return None, proxy
        return query, proxy


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return int(found.group(1)) if found else None


def _text(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return found.group(1) if found else None
