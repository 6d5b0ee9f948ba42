"""Scrapy settings for govnews. Polite by default: robots.txt, AutoThrottle, honest UA."""

from govnews.items import EXPORT_FIELDS as article_fields  # lowercase: not a setting

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

# Answer every request from archives when REPLAY names them (comma-separated): a saved-pages
# folder (or a folder of them, one per portal), a WARC file or a folder of WARC files.
# Unset: live crawl.
REPLAY = None
# Write every request and response as WARC/1.1 records into this folder (govnews.record).
RECORD = None
# A portal's WARC file is closed, and the next one begun, once it reaches this size.
RECORD_MAX_BYTES = 1_000_000_000
DOWNLOADER_MIDDLEWARES = {
    # Last before the network, so robots.txt, retries and redirects apply as live.
    "govnews.replay.ReplayMiddleware": 960,
    # Next to the network (above HttpCompressionMiddleware, 590): responses as received.
    "govnews.record.RecordMiddleware": 950,
}

ITEM_PIPELINES = {
    "pipelines.noise.NoisePipeline": 100,
    "pipelines.disclosure.DisclosurePipeline": 150,
    # Script before meta and dates: they parse labels in one script (來源 → 来源).
    "pipelines.script.ScriptPipeline": 200,
    "pipelines.meta.MetaPipeline": 300,
    "pipelines.dates.DatePipeline": 400,
    # Validate before dedupe, so garbage never enters the crawl state.
    "pipelines.validate.ValidatePipeline": 700,
    "pipelines.dedupe.DedupePipeline": 800,
}
SPIDER_MIDDLEWARES = {
    # Nearest the spider: known articles are dropped before anything counts them.
    "govnews.incremental.IncrementalMiddleware": 950,
    # With REPLAY_ALL_ARTICLES: every article the WARC archives recorded, not only those linked.
    "govnews.replay.articles.ArchivedArticlesMiddleware": 900,
}
# With REPLAY: also request every page the WARC archives recorded as an article (reextract).
REPLAY_ALL_ARTICLES = False

# Crawl state (SQLite, see govnews/state.py): articles seen, body hashes, near-dup index.
STATE_DIR = "state"
# True: emit later duplicates with duplicate_of set; False: drop them (counted in stats).
KEEP_DUPLICATES = False
# Re-fetch articles first seen less than this many days ago (pages corrected later); 0: never.
REFRESH_DAYS = 0
# Runs a failed list or article page is tried again before it is given up on (govnews.incremental).
FAILED_PAGE_ATTEMPTS = 3
# Estimated Jaccard of two bodies' 5-grams at and above which they are near duplicates.
NEAR_DUPLICATE_THRESHOLD = 0.5

# Portal files and seed lists: the project's portals/ and seeds/ unless these name others.
PORTALS_DIR = None
SEEDS_DIR = None

# Width folding of full-width ASCII forms (Ａ，：！ → A,:!) in every text field.
FOLD_WIDTH = True

# Per-portal stats of each run, as JSON (govnews/statsfile.py); None: not written.
STATS_FILE = "output/stats.json"
# Scrapy's log_count/* in STATS_FILE; crawlall turns it off when it runs several portals
# (the counts cover the whole process).
STATS_LOG_COUNTS = True
EXTENSIONS = {"govnews.statsfile.StatsFile": 500, "govnews.itemerrors.ItemErrorStats": 500}

FEEDS = {}
# Local feed files flushed per item: a killed crawl keeps every item the state recorded.
FEED_STORAGES = {"": "govnews.feeds.DurableFileFeedStorage", "file": "govnews.feeds.DurableFileFeedStorage"}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = article_fields  # every Article field but the internal hand-over
REQUEST_FINGERPRINTER_CLASS = "govnews.fingerprint.CanonicalFingerprinter"
DUPEFILTER_CLASS = "govnews.dupefilter.RunDupeFilter"
LOG_LEVEL = "INFO"
