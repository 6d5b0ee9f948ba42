"""Where a portal's article lists come from and how they page: one adapter per CMS family.

A list adapter turns a start URL into list requests, reads a list answer's article links and
builds its next list request. Which one a portal gets is data: its file's ``[list] adapter``,
else the adapter of its ``cms =`` family, else :class:`~spiders.lists.links.LinkList` (the
``<a>`` links of an HTML list page and its 下一页 link). Adapters never fetch anything
themselves: their requests are list requests of the spider, so failures, bounded paging
(govnews.pagination) and the incremental stop (govnews.incremental) apply to them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spiders.lists.dedecms import DedeList
from spiders.lists.hanweb import HanwebList
from spiders.lists.jsonapi import JsonList
from spiders.lists.links import LinkList
from spiders.lists.trs import TrsList

ADAPTERS: dict[str, type[LinkList]] = {adapter.name: adapter for adapter in (
    LinkList, TrsList, DedeList, HanwebList, JsonList)}
#: The adapter of a portal file naming its CMS family (``cms = "trs"``) and no ``[list] adapter``.
FAMILY_ADAPTERS = {"trs": "trs", "dedecms": "dedecms", "hanweb": "hanweb"}


def adapter_name(cms: str | None, table: Mapping[str, Any]) -> str:
    """The adapter a portal file asks for: ``[list] adapter``, else its family's, else ``links``."""
    return table.get("adapter") or FAMILY_ADAPTERS.get(cms or "", "links")


def check_list_table(cms: str | None, table: Mapping[str, Any]) -> str | None:
    """What is wrong with a portal file's ``[list]`` table, or None."""
    name = adapter_name(cms, table)
    if name not in ADAPTERS:
        return f"adapter must be one of {sorted(ADAPTERS)}, found {name!r}"
    adapter = ADAPTERS[name]
    unknown = set(table) - {"adapter", *adapter.keys}
    if unknown:
        return f"unknown keys {sorted(unknown)} for adapter {name!r}; known: {sorted(adapter.keys)}"
    return adapter.check(table)


def adapter_for(spider: Any) -> LinkList:
    """The list adapter of ``spider``'s portal."""
    portal = spider.portal
    return ADAPTERS[adapter_name(portal.cms, portal.list_source)](spider, portal.list_source)


__all__ = ["ADAPTERS", "FAMILY_ADAPTERS", "DedeList", "HanwebList", "JsonList", "LinkList", "TrsList",
           "adapter_for", "adapter_name", "check_list_table"]
