"""Signals of this project, sent through each crawler's ``crawler.signals``.

``page_failed(url, reason, spider)``: a list or article page could not be fetched or read
(an HTTP error after retries, a timeout, a redirect loop, an article page that came out
empty). The crawl state remembers it so the next run fetches it again, and a crawl with
such pages does not count as complete (see govnews.incremental).
"""

page_failed = object()
