"""``scrapy crawl TEMPLATE -a portal=NAME``: Scrapy's crawl, with this project's checks,
portal lock and exit codes (govnews.exitcodes).

Scrapy's own command exits 0 unless a crawler failed to start; a scheduled run whose pages
all failed, whose health checks failed or whose portal was being crawled by another
process must say so in its exit code.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from govnews import exitcodes
from govnews.commands import preflight
from govnews.commands.arguments import check_arguments


#: Spider arguments (-a) of ``scrapy crawl``: the portal, and the job id scrapyd gives every spider.
CRAWL_ARGUMENTS = ("portal", "_job")


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("scrapy crawl takes one template: scrapy crawl TEMPLATE -a portal=NAME")
        check_arguments(opts.spargs, CRAWL_ARGUMENTS, "crawl")
        template = args[0]
        templates = self.crawler_process.spider_loader.list()
        if template not in templates:
            raise UsageError(f"no template {template!r}; templates: {', '.join(sorted(templates))}",
                             print_help=False)
        if "portal" not in opts.spargs:
            raise UsageError(f"spider {template} needs a portal: scrapy crawl {template} -a portal=NAME",
                             print_help=False)
        prepared = preflight.prepare(self.settings, [opts.spargs["portal"]], template)
        if not prepared.portals:
            self.exitcode = exitcodes.LOCK_HELD
            return
        try:
            crawler = self._create_crawler(template)
            self.crawler_process.crawl(crawler, **{**opts.spargs, "portal": prepared.portals[0]})
            self.crawler_process.start()
        finally:
            prepared.close()
        self.exitcode = exitcodes.of_run([crawler.stats.get_stats()], False, self.crawler_process.bootstrap_failed)
