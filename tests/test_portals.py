"""Portal files load, and bad ones fail with a message naming the file and the problem."""

import time

import pytest

from portals import PortalError, available_portals, load_portal

PORTALS = {"cqmjsw": "party_cms", "scsqw": "gazetteer", "whrx": "city_news",
           "lzbs_mirror": "city_news", "gjdb": "city_news"}


def test_every_seed_portal_has_a_file_of_its_template():
    assert set(available_portals()) == set(PORTALS)
    for name, template in PORTALS.items():
        portal = load_portal(name)
        assert portal.template == template
        assert portal.start_urls and portal.article_patterns and portal.list_patterns


def test_host_aliases_of_the_gazetteer_portal():
    portal = load_portal("scsqw")
    assert {"www.scsqw.cn", "scsqw.cn", "www.scdfz.org.cn", "scdfz.org.cn"} <= set(portal.hosts)


def write(tmp_path, name, toml, seeds="https://a.gov.cn/list_1.html\n"):
    (tmp_path / f"{name}.toml").write_text(toml, encoding="utf-8")
    (tmp_path / f"{name}.txt").write_text(seeds, encoding="utf-8")
    return lambda: load_portal(name, tmp_path, tmp_path)


GOOD = '''name = "x"
template = "party_cms"
hosts = ["a.gov.cn"]
[urls]
list = ['list_\\d+\\.html$']
article = ['/news/\\d+\\.html$']
'''


def test_a_minimal_portal_loads_with_defaults(tmp_path):
    portal = write(tmp_path, "x", GOOD)()
    assert portal.download_delay == 2.0 and portal.scheme == "https"
    assert portal.is_article_url("https://a.gov.cn/news/12.html")
    assert not portal.is_article_url("https://a.gov.cn/list_2.html")


@pytest.mark.parametrize("change, message", [
    (('template = "party_cms"', 'template = "blog"'), "template must be one of"),
    (('hosts = ["a.gov.cn"]', 'hosts = []'), "hosts must be"),
    (("article = ['/news/\\d+\\.html$']", "article = ['(unclosed']"), "bad regex"),
    (('name = "x"', 'name = "y"'), "name must be 'x'"),
    (('[urls]', 'download_delay = "fast"\n[urls]'), "download_delay"),
    (('[urls]', 'exec = "import os"\n[urls]'), "unknown keys"),
    (('[urls]', '[selectors]\nheadline = "h1"\n[urls]'), "[selectors] unknown keys"),
    (('[urls]', '[selectors]\ntitle = "div.detail h1[["\n[urls]'), "[selectors] title: bad selector"),
    (('[urls]', '[selectors]\nbody = "//div[@class=\'a\'"\n[urls]'), "[selectors] body: bad selector"),
    (('[urls]', '[noise]\ndrop_selectors = ["div..x"]\n[urls]'), "[noise] drop_selectors: bad selector"),
    (('[urls]', '[noise]\ndrop_selectors = ["div.share::text"]\n[urls]'), "[noise] drop_selectors: bad selector"),
    # what RE2 cannot run in linear time is refused at load, naming the key
    (("article = ['/news/\\d+\\.html$']", "article = ['/news/(?!old)\\d+\\.html$']"),
     "x.toml: [urls] article: bad regex '/news/(?!old)\\d+\\.html$': invalid perl operator: (?!"),
    (("list = ['list_\\d+\\.html$']", "list = ['/(\\w+)/\\1/list\\.html$']"),
     "[urls] list: bad regex '/(\\w+)/\\1/list\\.html$': invalid escape sequence: \\1"),
    (('[urls]', 'encoding = "gbkk"\n[urls]'), "encoding must name a text encoding such as 'gbk', found 'gbkk'"),
    (('[urls]', 'encoding = "base64"\n[urls]'), "encoding must name a text encoding"),
])
def test_bad_portal_files_are_refused_with_a_clear_message(tmp_path, change, message):
    load = write(tmp_path, "x", GOOD.replace(*change))
    with pytest.raises(PortalError) as refused:
        load()
    assert message in str(refused.value)


def test_url_patterns_run_in_linear_time(tmp_path):
    """``(a+)+`` backtracks exponentially in Python's re (about 2**34 steps on this link)."""
    portal = write(tmp_path, "x", GOOD.replace("'/news/\\d+\\.html$'", "'(a+)+\\.html$'"))()
    link = "https://a.gov.cn/" + "a" * 34 + "!"
    assert len(link) - len("https://a.gov.cn/") == 35
    started = time.perf_counter()
    assert not portal.is_article_url(link)
    assert time.perf_counter() - started < 0.05
    assert portal.is_article_url("https://a.gov.cn/" + "a" * 34 + ".html")


def test_bad_toml_and_missing_files(tmp_path):
    with pytest.raises(PortalError, match="not valid TOML"):
        write(tmp_path, "x", "name = \n")()
    with pytest.raises(PortalError, match="no file"):
        load_portal("nosuch", tmp_path, tmp_path)
    with pytest.raises(PortalError, match="lowercase"):
        load_portal("../etc/passwd", tmp_path, tmp_path)
    with pytest.raises(PortalError, match="not on one of the hosts"):
        write(tmp_path, "x", GOOD, seeds="https://elsewhere.cn/\n")()
    with pytest.raises(PortalError, match="not an http"):
        write(tmp_path, "x", GOOD, seeds="ftp://a.gov.cn/\n")()
