"""Before the crawl state sees an item: never emit a garbage item.

An item without a title or a body is not an article (a login wall, a selector that no
longer matches), nor is one whose title is mojibake (a page decoded in the wrong codec),
and neither is a short page saying 页面不存在 or 请先登录 (an error page served with
status 200): it is dropped with a log line and a counted stat
(``validate/<reason>``) so a broken portal shows up in the run summary.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from govnews.items import Article
from pipelines.script import detect_mojibake

logger = logging.getLogger(__name__)


#: What CMS error and notice pages say, often with status 200 ("soft 404"s, login walls).
ERROR_PAGE = re.compile(
    r"页面不存在|页面未找到|找不到(该|此)?页面|您(所)?访问的(页面|信息|文章)|(信息|文章|内容|稿件)(已被?删除|不存在)"
    r"|系统繁忙|访问受限|非法访问|无权访问|请先登录|404 Not Found|Page Not Found|^\s*(404|403|500|错误|出错了|提示信息)\s*$",
    re.IGNORECASE,
)
#: An error page is short; a real article that mentions one of those phrases is not.
ERROR_PAGE_MAX_CHARS = 120


def problems(item: Article) -> list[str]:
    """Reasons ``item`` is not fit to emit (empty list: fit)."""
    found = []
    title, body = (item.title or "").strip(), (item.body or "").strip()
    if not title:
        found.append("no_title")
    elif detect_mojibake(title):
        found.append("mojibake_title")
    if not body:
        found.append("no_body")
    elif len(body) <= ERROR_PAGE_MAX_CHARS and (ERROR_PAGE.search(title) or ERROR_PAGE.search(body)):
        found.append("error_page")
    return found


#: How a complete text ends: a sentence mark, a closing quote or bracket, a date, or a
#: signature or byline (四川省地方志工作办公室, 记者 张三 摄, 2022年9月16日).
_TEXT_END = re.compile(r"[。！？!?…”’」』)）\]】.;；]$|[\d日号]$"
                       r"|(记者|编辑|通讯员|作者|供稿|摄|审核|责编|办公室|委员会|政府|局|厅|委|办|部|院|中心|社|会|室|处|科|站|所)"
                       r"\s*\S{0,4}$")


def looks_truncated(item: Article) -> bool:
    """A page cut short in transfer or in an archive: no closing ``</html>``, and a text
    whose last line stops mid-sentence. Either alone is common on sound pages."""
    if item.raw.get("page_complete") is not False or not item.body:
        return False
    last = item.body.rstrip().rsplit("\n", 1)[-1].strip()
    return not _TEXT_END.search(last)


class InvalidArticle(DropItem):
    """An article page that came out without an article (``reasons``: no_title,
    mojibake_title, no_body, error_page): the crawl state counts it as a page that failed, to be fetched again."""

    def __init__(self, message: str, reasons: list[str]) -> None:
        super().__init__(message)
        self.reasons = reasons


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ValidatePipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        found = problems(item)
        if found:
            for reason in found:
                self.stats.inc_value(f"validate/{reason}")
            logger.warning("dropping %s: %s (selectors of portal %s may need a look)",
                           item.url, ", ".join(found), item.portal)
            raise InvalidArticle(f"{item.url}: {', '.join(found)}", reasons=found)
        if looks_truncated(item):
            self.stats.inc_value("validate/truncated")
            logger.warning("%s: the page ends before </html> and its text mid-sentence; flagged truncated", item.url)
            item.flags.append("truncated")
        item.flags = list(dict.fromkeys(item.flags))
        return item
