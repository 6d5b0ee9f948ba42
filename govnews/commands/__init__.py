"""Project commands: ``scrapy crawlall``, ``scrapy extract`` and ``scrapy reextract``."""
