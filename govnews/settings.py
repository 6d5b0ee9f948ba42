"""Scrapy settings for govnews. Polite by default: robots.txt, AutoThrottle, honest UA."""

from govnews.items import EXPORT_FIELDS as article_fields  # lowercase: not a setting

BOT_NAME = "govnews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "govnews.commands"

# Who we are, and where a webmaster can reach us. Deployments set GOVNEWS_CONTACT_URL (in the
# environment or with -s); the User-Agent naming it is built when each crawler starts
# (govnews.useragent), unless USER_AGENT is set, which is then sent as it is.
GOVNEWS_CONTACT_URL = "https://github.com/govnews/govnews"
ADDONS = {"govnews.useragent.ContactUserAgent": 0, "govnews.feeds.DefaultFeed": 0,
          "govnews.distributed.DistributedMode": 0}

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy's Downloader, with that limit kept also when a site has no delay (govnews.downloader).
DOWNLOADER = "govnews.downloader.Downloader"
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# 429/503 with Retry-After pause the site that long, at most this many seconds (govnews.retryafter).
RETRY_AFTER_MAX = 120
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's RemoteControl runs Python code sent to a local HTTP port: off, like the telnet console.
REMOTE_CONTROL_ENABLED = False

# Bounded work (README "Bounded work"). Article pages are tens to hundreds of KB: a bigger
# answer is logged, one past the cap (compressed or as it inflates) is cut and fails.
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
# Scrapy's memusage extension (needs the `resource` module: Linux, macOS) warns, then
# closes the crawl (finish reason memusage_exceeded) past these.
MEMUSAGE_WARNING_MB = 1024
MEMUSAGE_LIMIT_MB = 2048
MEMUSAGE_CHECK_INTERVAL_SECONDS = 10.0
# List pages followed from one start page (govnews.pagination).
MAX_LIST_PAGES = 300
# An article body longer than this (characters) is cut there and flagged body_cut.
MAX_BODY_CHARS = 200_000
# With FILES_STORE: read the text of PDF and DOCX attachments into attachments[].text.
ATTACHMENT_TEXT = False
ATTACHMENT_TEXT_MAX_CHARS = 200_000

# Answer every request from archives when REPLAY names them (comma-separated): a saved-pages
# folder (or a folder of them, one per portal), a WARC file or a folder of WARC files.
# Unset: live crawl.
REPLAY = None
# Write every request and response as WARC/1.1 records into this folder (govnews.record).
RECORD = None
# A portal's WARC file is closed, and the next one begun, once it reaches this size.
RECORD_MAX_BYTES = 1_000_000_000
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's retries, plus Retry-After obeyed per site.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "govnews.retryafter.RetryAfterMiddleware": 550,
    # Last before the network, so robots.txt, retries and redirects apply as live.
    "govnews.replay.ReplayMiddleware": 960,
    # Next to the network (above HttpCompressionMiddleware, 590): responses as received.
    "govnews.record.RecordMiddleware": 950,
    # After decompression (590), before retries (550): a block page is a failed page.
    "govnews.blocked.BlockPageMiddleware": 580,
}

ITEM_PIPELINES = {
    "pipelines.noise.NoisePipeline": 100,
    # Cut an overlong body before the stages that read it whole.
    "pipelines.bodysize.BodySizePipeline": 120,
    "pipelines.disclosure.DisclosurePipeline": 150,
    "pipelines.attachments.AttachmentsPipeline": 160,
    # Script before meta and dates: they parse labels in one script (來源 → 来源).
    "pipelines.script.ScriptPipeline": 200,
    "pipelines.meta.MetaPipeline": 300,
    "pipelines.dates.DatePipeline": 400,
    # Validate before dedupe, so garbage never enters the crawl state.
    "pipelines.validate.ValidatePipeline": 700,
    # Attachments of valid articles only; off unless FILES_STORE is set.
    "pipelines.files.AttachmentFilesPipeline": 750,
    "pipelines.dedupe.DedupePipeline": 800,
}
SPIDER_MIDDLEWARES = {
    # Nearest the spider: known articles are dropped before anything counts them.
    "govnews.incremental.IncrementalMiddleware": 950,
    # With REPLAY_ALL_ARTICLES: every article the WARC archives recorded, not only those linked.
    "govnews.replay.articles.ArchivedArticlesMiddleware": 900,
    # Nearer still: it counts every article link a list page gave, known ones too.
    "govnews.pagination.PaginationLimitMiddleware": 960,
    # In the place of Scrapy's own: a link too long to fetch is a failed page.
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "govnews.urllength.UrlLengthFailures": 800,
}
# With REPLAY: also request every page the WARC archives recorded as an article (reextract).
REPLAY_ALL_ARTICLES = False

# Crawl state (govnews/state/): articles seen, body hashes, near-dup index, failures, runs.
# In SQLite under STATE_DIR, or, when REDIS_URL is set, in that Redis (STATE_DIR then holds
# only the portal locks and stats.json).
STATE_DIR = "state"
# Redis state: every key starts with this prefix and ':' (one Redis can hold several crawls).
REDIS_STATE_PREFIX = "govnews"
# Redis state: seconds a claim of a process that stopped answering blocks its article.
REDIS_STATE_CLAIM_TTL = 30.0
# True: emit later duplicates with duplicate_of set; False: drop them (counted in stats).
KEEP_DUPLICATES = False
# Re-fetch articles first seen less than this many days ago (pages corrected later); 0: never.
REFRESH_DAYS = 0
# Estimated Jaccard of two bodies' 5-grams at and above which they are near duplicates.
NEAR_DUPLICATE_THRESHOLD = 0.5

# Distributed mode (govnews/distributed/, README "Distributed mode"): set REDIS_URL
# (redis://host:6379/0) and every worker started with it shares one crawl.
REDIS_URL = None
# The crawl a worker joins: workers of one name share its queue; once it is complete, a
# worker started with that name does nothing (a new crawl: a new name, e.g. the date).
DISTRIBUTED_CRAWL = "crawl"
# A worker's leases go back to the queue this long after its last heartbeat (it died).
LEASE_SECONDS = 60
# Requests one worker holds at a time (per portal): the rest stay for other workers.
LEASES_PER_WORKER = 4
# A worker with room for more leases looks at the queue this often.
DISTRIBUTED_POLL_SECONDS = 1
# True: a worker waits for new work after the crawl is complete instead of exiting.
DISTRIBUTED_KEEP_WAITING = False
# How long workers wait for a Redis that went away before they stop (exit code 1).
REDIS_OUTAGE_SECONDS = 300

# Portal files and seed lists: the project's portals/ and seeds/ unless these name others.
PORTALS_DIR = None
SEEDS_DIR = None

# Width folding of full-width ASCII forms (Ａ，：！ → A,:!) in every text field.
FOLD_WIDTH = True

# Per-portal stats of each run, as JSON (govnews/statsfile.py); None: <STATE_DIR>/stats.json,
# beside the state; empty: not written.
STATS_FILE = None
# Scrapy's log_count/* in STATS_FILE; crawlall turns it off when it runs several portals
# (the counts cover the whole process).
STATS_LOG_COUNTS = True
# On SIGTERM, requests still open this many seconds later fail (fetched again next run)
# instead of holding the stop up to DOWNLOAD_TIMEOUT and retries (govnews.shutdown).
STOP_GRACE_SECONDS = 3
# Health checks when each spider closes (govnews/health.py, on Spidermon): before StatsFile
# (500) writes the stats, after CoreStats (0) set finish_reason.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["govnews.health.HealthSuite"]
# Spidermon's field coverage of the items (spidermon_field_coverage/Article/<field>): a field
# counts when it is not None; fields inside dicts are not counted.
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True
SPIDERMON_DICT_FIELDS_COVERAGE_LEVELS = 0
# Articles listed against the median of the finished runs N-2 … N-11 (HEALTH_BASELINE_SKIP
# newest left out, HEALTH_BASELINE_RUNS taken); no verdict with fewer than MIN_RUNS of them.
HEALTH_BASELINE_RUNS = 10
HEALTH_BASELINE_SKIP = 1
HEALTH_BASELINE_MIN_RUNS = 3
HEALTH_MIN_ITEMS_RATIO = 0.6
# Least share of a run's items with each field; a portal file's [health] table overrides it.
HEALTH_MIN_COVERAGE = {"title": 1.0, "published_at": 0.8, "body": 1.0, "source": 0.0}
HEALTH_MAX_BLOCK_RATE = 0.2
EXTENSIONS = {"govnews.health.HealthSpidermon": 400, "govnews.statsfile.StatsFile": 500, "govnews.itemerrors.ItemErrorStats": 500,
              "govnews.shutdown.PromptStop": 500, "govnews.offsite.OffsiteFailures": 500,
              # After Scrapy's FeedExporter (0): items on disk are sent as item_written.
              "govnews.feeds.FeedWrites": 500, "govnews.signalerrors.SignalErrorStats": 500,
              # Every LOGSTATS_INTERVAL seconds, one progress line per portal (govnews.portallog).
              "scrapy.extensions.logstats.LogStats": None, "govnews.portallog.PortalProgress": 0}

FEEDS = {}
# A crawl given no feed writes to <DEFAULT_FEED_DIR>/<portal or crawlall>-<UTC time>.jsonl.
DEFAULT_FEED_DIR = "output"
# Local feed files synced per item: the state records only what is on disk (govnews.feeds).
FEED_STORAGES = {"": "govnews.feeds.DurableFileFeedStorage", "file": "govnews.feeds.DurableFileFeedStorage"}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = article_fields  # every Article field but the internal hand-over
REQUEST_FINGERPRINTER_CLASS = "govnews.fingerprint.CanonicalFingerprinter"
DUPEFILTER_CLASS = "govnews.dupefilter.RunDupeFilter"
LOG_LEVEL = "INFO"
