"""The list pager TRS WCM (the CMS of many government sites) writes by script.

``createPageHTML(5, 0, "index", "html")``: page count, 0-based current page, file stem and
extension, the numbers sometimes variables set just before (``var countPage = 5``); newer
templates put the pager element's id first (``createPageHTML('page_div', 5, 0, 'index',
'html', 87)``). Page 0 is ``index.html``, page n ``index_n.html``; the pager's links are
written by the script, so the page has no ``<a>`` to the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsel import Selector

_CALL = re.compile(r"createPageHTML\(([^)]*)\)")
_NUMBER = r"\b{}\s*=\s*['\"]?(\d+)"


@dataclass(frozen=True)
class ScriptPager:
    count: int
    current: int
    stem: str
    extension: str

    @property
    def next_page(self) -> str | None:
        """The next page (relative URL), None on the last."""
        following = self.current + 1
        return f"{self.stem}_{following}.{self.extension}" if following < self.count else None


def find(page: Selector) -> ScriptPager | None:
    """The script pager of a list page, or None when it has none."""
    for script in page.xpath("//script/text()").getall():
        for call in _CALL.finditer(script):
            args = [arg.strip().strip("'\"") for arg in call.group(1).split(",")]
            if len(args) >= 5 and not args[0].isdigit() and not re.search(_NUMBER.format(re.escape(args[0])), script):
                args = args[1:]  # the pager element's id first
            if len(args) < 4:
                continue
            numbers = []
            for arg in args[:2]:
                if not arg.isdigit():
                    value = re.search(_NUMBER.format(re.escape(arg)), script) if arg else None
                    arg = value.group(1) if value else ""
                numbers.append(int(arg) if arg.isdigit() else None)
            count, current = numbers
            stem, extension = args[2], args[3]
            if count is not None and current is not None and re.fullmatch(r"[\w-]+", stem + extension):
                return ScriptPager(count, current, stem, extension)
    return None
