"""Project commands: ``scrapy crawlall`` and ``scrapy extract``."""
