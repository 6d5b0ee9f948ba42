"""STATS_FILE: one JSON object, one entry per portal, written whole or not at all."""

import json

from scrapy.utils.test import get_crawler

from govnews.statsfile import StatsFile, write_entry
from spiders.city_news import CityNewsSpider


def test_entries_of_other_portals_are_kept_and_the_own_one_replaced(tmp_path):
    path = tmp_path / "out" / "stats.json"
    write_entry(path, "whrx", {"item_scraped_count": 7})
    write_entry(path, "gjdb", {"item_scraped_count": 5})
    write_entry(path, "whrx", {"item_scraped_count": 2})
    assert json.loads(path.read_text()) == {"whrx": {"item_scraped_count": 2}, "gjdb": {"item_scraped_count": 5}}
    assert [p.name for p in path.parent.iterdir()] == ["stats.json"]  # no temporary file left


def test_an_unreadable_file_is_started_afresh_with_a_warning(tmp_path, caplog):
    path = tmp_path / "stats.json"
    path.write_text("{half a file")
    write_entry(path, "whrx", {"n": 1})
    assert json.loads(path.read_text()) == {"whrx": {"n": 1}}
    assert "unreadable" in caplog.text


def test_the_extension_writes_the_portal_stats_when_the_spider_closes(tmp_path):
    path = tmp_path / "stats.json"
    crawler = get_crawler(CityNewsSpider, {"STATS_FILE": str(path)})
    extension = StatsFile.from_crawler(crawler)
    spider = CityNewsSpider(portal="whrx")
    crawler.stats.set_value("item_scraped_count", 3)
    extension.spider_closed(spider, "finished")
    assert json.loads(path.read_text()) == {"whrx": {"item_scraped_count": 3, "finish_reason": "finished"}}
