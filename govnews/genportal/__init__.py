"""``scrapy genportal``: a portal file proposed from a site's own pages.

One job per module: :mod:`~govnews.genportal.fetch` fetches (a small Scrapy crawl),
:mod:`~govnews.genportal.shapes` groups links by URL shape and writes patterns,
:mod:`~govnews.genportal.lists` reads a list page, :mod:`~govnews.genportal.selectors`
names elements, :mod:`~govnews.genportal.fields` proposes the article selectors,
:mod:`~govnews.genportal.propose` puts it together and checks it, and
:mod:`~govnews.genportal.writer` writes the files.
"""
