"""An exception in a signal handler is counted and fails the run (summary errors=)."""

from scrapy import signals
from scrapy.utils.test import get_crawler

from govnews.commands.crawlall import summary_line
from govnews.signalerrors import SignalErrorStats


class Spider:
    name = "x"


def test_an_exception_in_a_signal_handler_is_counted_and_reported():
    crawler = get_crawler()
    crawler.spider = Spider()
    extension = SignalErrorStats.from_crawler(crawler)

    def broken(item, spider):
        raise ZeroDivisionError("division by zero")

    crawler.signals.connect(broken, signal=signals.item_scraped)
    other = Spider()  # another crawler's spider (crawlall): not this crawl's error
    try:
        crawler.signals.send_catch_log(signals.item_scraped, item={}, spider=crawler.spider)
        crawler.signals.send_catch_log(signals.item_scraped, item={}, spider=other)
    finally:
        extension.engine_stopped()
    stats = crawler.stats.get_stats()
    assert stats["signal_errors/count"] == 1
    assert summary_line("x", stats).endswith("failed=0 blocked=0 errors=1")
