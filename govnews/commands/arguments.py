"""Spider arguments (``-a``), checked before any crawler starts.

A typo (``-a portal=`` to crawlall, ``-a portl=``) would otherwise be passed to the spider
and ignored, or fail inside a crawler with a traceback; here it is one line naming it
(``scrapy: error: …``, exit code 2, Scrapy's usage-error path).
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import UsageError

#: Spider arguments (-a) of ``scrapy crawlall``: the portals, and the job id scrapyd gives every spider.
CRAWLALL_ARGUMENTS = ("portals", "_job")


def refuse(message: str) -> UsageError:
    return UsageError(message, print_help=False)


def check_arguments(spargs: dict[str, Any], known: tuple[str, ...], command: str) -> None:
    """Refuse ``-a`` arguments ``command`` does not take (a typo would be ignored silently)."""
    unknown = sorted(set(spargs) - set(known))
    if not unknown:
        return
    if command == "crawlall" and unknown == ["portal"]:
        raise refuse("crawlall takes -a portals=a,b (a list of portals), not -a portal=")
    takes = ", ".join(f"-a {name}=…" for name in known if not name.startswith("_"))
    raise refuse(f"unknown argument {', '.join(f'-a {name}=' for name in unknown)}; {command} takes {takes}")
