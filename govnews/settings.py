"""Scrapy settings for govnews. Polite by default: robots.txt, AutoThrottle, honest UA."""

BOT_NAME = "govnews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "govnews.commands"

# Who we are, and where a webmaster can reach us. Deployments set GOVNEWS_CONTACT_URL.
GOVNEWS_CONTACT_URL = "https://github.com/govnews/govnews"
USER_AGENT = f"govnews/0.1 (+{GOVNEWS_CONTACT_URL}; research crawler for public government news)"

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Answer every request from saved pages when REPLAY names an archive folder
# (or a folder of archives, one per portal). Unset: live crawl.
REPLAY = None
DOWNLOADER_MIDDLEWARES = {
    # Last before the network, so robots.txt, retries and redirects apply as live.
    "govnews.replay.ReplayMiddleware": 960,
}

ITEM_PIPELINES = {
    "pipelines.noise.NoisePipeline": 100,
    # Script before meta and dates: they parse labels in one script (來源 → 来源).
    "pipelines.script.ScriptPipeline": 200,
    "pipelines.meta.MetaPipeline": 300,
    "pipelines.dates.DatePipeline": 400,
    "pipelines.validate.ValidatePipeline": 900,
}

# Portal files and seed lists: the project's portals/ and seeds/ unless these name others.
PORTALS_DIR = None
SEEDS_DIR = None

# Width folding of full-width ASCII forms (Ａ，：！ → A,:!) in every text field.
FOLD_WIDTH = True

FEEDS = {}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = None  # set from govnews.items.EXPORT_FIELDS below
REQUEST_FINGERPRINTER_CLASS = "govnews.fingerprint.CanonicalFingerprinter"
LOG_LEVEL = "INFO"

from govnews.items import EXPORT_FIELDS as _EXPORT_FIELDS  # noqa: E402

FEED_EXPORT_FIELDS = _EXPORT_FIELDS
STATS_FILE = "output/stats.json"
