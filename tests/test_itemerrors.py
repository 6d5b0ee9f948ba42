"""A pipeline exception is counted, so the summary's errors= shows a lost item."""

from scrapy import signals
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from govnews.commands.crawlall import summary_line
from govnews.itemerrors import ItemErrorStats


def test_an_item_a_pipeline_raised_on_is_counted_and_reported():
    crawler = get_crawler()
    extension = ItemErrorStats.from_crawler(crawler)  # kept: signals hold weak references
    try:
        raise IndexError("pop from empty list")
    except IndexError:
        failure = Failure()
    crawler.signals.send_catch_log(signals.item_error, item={}, response=None, spider=None, failure=failure)
    stats = crawler.stats.get_stats()
    assert (stats["item_errors/count"], stats["item_errors/IndexError"]) == (1, 1)
    assert summary_line("x", stats).endswith("failed=0 blocked=0 errors=1") and extension.stats is crawler.stats
