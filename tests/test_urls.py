"""Canonical URLs: one spelling per page, whatever alias host or decoration linked it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.utils.test import get_crawler

from govnews.fingerprint import CanonicalFingerprinter
from govnews.urls import canonical_url
from portals import load_portal
from spiders.gazetteer import GazetteerSpider

SCSQW = load_portal("scsqw")
CQMJSW = load_portal("cqmjsw")


@pytest.mark.parametrize("url, portal, canonical", [
    # the four 四川 gazetteer hosts (and the old one) are one site
    ("http://scdfz.org.cn/gzdt/gzjb/2022ngzjb/content_101499", SCSQW, "https://www.scsqw.cn/gzdt/gzjb/2022ngzjb/content_101499"),
    ("https://www.scdfz.org.cn/gzdt/gzjb/2022ngzjb/content_101499", SCSQW, "https://www.scsqw.cn/gzdt/gzjb/2022ngzjb/content_101499"),
    ("http://scsqw.cn/gzdt/gzjb/2022ngzjb/content_101499/", SCSQW, "https://www.scsqw.cn/gzdt/gzjb/2022ngzjb/content_101499"),
    ("http://scdfz.sc.gov.cn:80/gzdt/gzjb/2022ngzjb/content_101499#top", SCSQW,
     "https://www.scsqw.cn/gzdt/gzjb/2022ngzjb/content_101499"),
    # www alias, default port, tracking parameters, fragment, index page
    ("https://www.cqmjsw.gov.cn:443/news/9253.html?utm_source=wechat&from=timeline#p2", CQMJSW,
     "https://cqmjsw.gov.cn/news/9253.html"),
    ("http://www.cqmjsw.gov.cn/news/index.html", CQMJSW, "https://cqmjsw.gov.cn/news"),
    ("https://cqmjsw.gov.cn/news/", CQMJSW, "https://cqmjsw.gov.cn/news"),
    ("https://cqmjsw.gov.cn/news/list_12.html?page=2&catid=12", CQMJSW,
     "https://cqmjsw.gov.cn/news/list_12.html?catid=12&page=2"),
    # a host that is not the portal's keeps its own scheme and host
    ("HTTP://Other.Example.CN:8080/a/../b.html?spm=1", CQMJSW, "http://other.example.cn:8080/b.html"),
])
def test_canonical_url(url, portal, canonical):
    assert canonical_url(url, portal.hosts, portal.scheme) == canonical


def test_canonical_url_is_idempotent():
    for url in ("http://scdfz.org.cn/a/index.html?b=2&a=1#x", "https://www.cqmjsw.gov.cn/news/9253.html/"):
        once = canonical_url(url, SCSQW.hosts, SCSQW.scheme)
        assert canonical_url(once, SCSQW.hosts, SCSQW.scheme) == once


def test_alias_hosts_of_one_page_are_one_request():
    crawler = get_crawler(GazetteerSpider, {"REQUEST_FINGERPRINTER_CLASS": "govnews.fingerprint.CanonicalFingerprinter"})
    crawler.spider = GazetteerSpider(portal=SCSQW)
    fingerprinter = CanonicalFingerprinter(crawler)
    one = fingerprinter.fingerprint(Request("https://www.scsqw.cn/xwzx/zgjx/2022nzgjx/content_99865"))
    two = fingerprinter.fingerprint(Request("http://scdfz.org.cn/xwzx/zgjx/2022nzgjx/content_99865?utm_source=x"))
    other = fingerprinter.fingerprint(Request("https://www.scsqw.cn/xwzx/zgjx/2022nzgjx/content_99866"))
    assert one == two != other


URLS = st.builds(lambda scheme, host, path, query, frag: f"{scheme}://{host}{path}{query}{frag}",
                 st.sampled_from(["http", "https", "HTTP"]),
                 st.sampled_from(["www.scsqw.cn", "scdfz.org.cn", "cqmjsw.gov.cn:443", "a.cn:8080", "[::1]", "例子.中国"]),
                 st.text(alphabet="/abc.%_-index.html中文 ", max_size=30),
                 st.sampled_from(["", "?", "?utm_source=x&b=1&a=2", "?from=x", "?q=中文"]),
                 st.sampled_from(["", "#", "#top"]))


@settings(max_examples=300, deadline=None)
@given(st.one_of(URLS, st.text(max_size=60)))
def test_canonical_url_never_raises_and_is_idempotent(url):
    once = canonical_url(url, SCSQW.hosts, SCSQW.scheme)
    assert canonical_url(once, SCSQW.hosts, SCSQW.scheme) == once


PORTED = ("example.gov.cn:8080", "www.example.gov.cn:8080")
PATHS = st.lists(st.text(alphabet="abcxyz019_-.中文", min_size=1, max_size=8), max_size=4).map(
    lambda parts: "/" + "/".join(parts))
QUERIES = st.sampled_from(["", "?a=1", "?b=2&a=1", "?utm_source=wx&id=9"])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PORTED), st.sampled_from(["http", "https", "HTTP"]), PATHS, QUERIES,
       st.sampled_from(["http", "https"]))
def test_hosts_with_ports_fold_into_the_canonical_host_and_scheme(alias, given_scheme, path, query, scheme):
    url = canonical_url(f"{given_scheme}://{alias}{path}{query}", PORTED, scheme)
    assert url.startswith(f"{scheme}://example.gov.cn:8080/")
    assert url == canonical_url(f"{scheme}://example.gov.cn:8080{path}{query}", PORTED, scheme)
    assert canonical_url(url, PORTED, scheme) == url


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["cqmjsw.gov.cn", "www.cqmjsw.gov.cn", "cqmjsw.gov.cn:443", "www.cqmjsw.gov.cn:80"]),
       st.sampled_from(["http", "https"]), PATHS, QUERIES)
def test_the_portal_scheme_applies_to_every_alias_spelling(alias, given_scheme, path, query):
    url = canonical_url(f"{given_scheme}://{alias}{path}{query}", CQMJSW.hosts, CQMJSW.scheme)
    if alias.endswith(":443") and given_scheme == "http" or alias.endswith(":80") and given_scheme == "https":
        # a port that is not the scheme's default: another service, not folded
        assert url.startswith(f"{given_scheme}://{alias}/")
    else:
        assert url.startswith("https://cqmjsw.gov.cn/")


@pytest.mark.parametrize("url, canonical", [
    ("http://www.example.gov.cn:8080/a/index.html", "http://example.gov.cn:8080/a"),
    ("https://example.gov.cn:8080/a.html#x", "http://example.gov.cn:8080/a.html"),
    ("http://example.gov.cn/a.html", "http://example.gov.cn/a.html"),  # no port: not the portal's host
    ("http://www.example.gov.cn:9090/a.html", "http://www.example.gov.cn:9090/a.html"),  # another port: not folded
])
def test_ported_hosts(url, canonical):
    assert canonical_url(url, PORTED, "http") == canonical


GATEWAY_HOSTS = st.sampled_from(["www.gov.cn", "www.sc.gov.cn", "www.scsqw.cn", "sthjt.hubei.gov.cn"])
PATHS = st.lists(st.from_regex(r"[a-z0-9_-]{1,12}", fullmatch=True), max_size=4).map(lambda p: "/" + "/".join(p))


@given(host=GATEWAY_HOSTS, path=PATHS, gate=st.sampled_from(["big5", "gb"]), scheme=st.sampled_from(["http", "https"]))
def test_a_mirror_gateway_url_is_the_original_page_s(host, path, gate, scheme):
    original = f"{scheme}://{host}{path}"
    gateway = f"{scheme}://{gate}.{host}/gate/{gate}/{host}{path}"
    assert canonical_url(gateway) == canonical_url(original)
    portal = load_portal("scsqw")
    assert canonical_url(gateway, portal.hosts, portal.scheme) == canonical_url(original, portal.hosts, portal.scheme)


def test_a_gateway_of_the_gov_cn_site():
    assert canonical_url("http://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/2020-04/17/content_5503456.htm?utm_source=x") \
        == "http://www.gov.cn/xinwen/2020-04/17/content_5503456.htm"
    # A path that only starts like one is no gateway.
    assert canonical_url("http://a.gov.cn/gate/big5/notes.html") == "http://a.gov.cn/gate/big5/notes.html"
