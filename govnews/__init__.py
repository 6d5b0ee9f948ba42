"""govnews: a Scrapy project that crawls Chinese government news portals."""
