"""The User-Agent every request names: the project and where a webmaster can reach its operator.

A Scrapy add-on, so the value is made when each crawler starts (not when settings.py is
imported) and lands in the ``USER_AGENT`` setting every component reads: the User-Agent
middleware, robots.txt matching, the WARC request records. ``GOVNEWS_CONTACT_URL`` comes
from ``-s``, else the environment, else settings.py. A ``USER_AGENT`` set by the command
line, a spider or the project wins and is sent as it is.
"""

from __future__ import annotations

import os

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

#: The form of the built User-Agent; {contact} is GOVNEWS_CONTACT_URL.
TEMPLATE = "govnews/0.1 (+{contact}; research crawler for public government news)"


class ContactUserAgent:
    def update_settings(self, settings: BaseSettings) -> None:
        if settings.getpriority("USER_AGENT") > SETTINGS_PRIORITIES["default"]:
            return
        contact = settings.get("GOVNEWS_CONTACT_URL")
        if settings.getpriority("GOVNEWS_CONTACT_URL") < SETTINGS_PRIORITIES["cmdline"]:
            contact = os.environ.get("GOVNEWS_CONTACT_URL") or contact
        settings.set("USER_AGENT", TEMPLATE.format(contact=contact), priority="addon")
