"""The five seed pages against their ground truth, the seed documents.

For each seed page: what the spider hands over (title, meta line, breadcrumb as the page
states them), and the final item field by field. The expected body is computed from the
seed document itself: its lines from the first to the last article line, minus photo
captions (they go to ``images``) and lines repeating the title, each normalized the way
the script stage normalizes (which for the Traditional mirror means Simplified).
"""

import html
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from itemadapter import ItemAdapter

from govnews.extract import item_from_page, make_crawler, run_pipelines
from govnews.items import EXPORT_FIELDS
from pipelines.script import normalize_text
from tests.archives import FIXTURES, seed_entry
from tests.crawling import ROOT
from tests.pagetext import fold_width, squash
from tests.seeds import article_lines

SCHEMA = json.loads((Path(__file__).parent.parent / "govnews" / "article.schema.json").read_text())

SEEDS = {
    "cqmjsw": dict(
        title="同心抗疫重庆民进在行动——“我们也是党的干部!”",
        subtitle="民进重庆市委会机关干部下沉社区抗击疫情小记",
        meta="来源:市委会宣传处|作者:市委会宣传处|时间:2022-11-24 22:29:38",
        crumb="首页/新闻浏览/市委会要闻/同心抗疫重庆民进在行动——“我们也是党的干部!”",
        breadcrumb=["首页", "新闻浏览", "市委会要闻"],
        source="市委会宣传处", author=["市委会宣传处"], editor="朱美栋",
        published_at="2022-11-24T22:29:38+08:00", precision="second",
        captions=["彭邦根在社区进行信息管理工作", "陈涛在协助医务人员准备检测物料",
                  "张晓宁在村民网格群内转发由驻村干部编写的防疫顺口溜",
                  "谯治与社区干部和志愿者一起接收重庆企业家联谊会捐赠物资",
                  "文明配合医务人员进入小区封控楼栋开展信息采集"],
        tags=[], script="hans", flags=[],
    ),
    "scsqw": dict(
        title="四川省地方志办政工简讯2022年第36期(总第97期)", subtitle=None,
        meta="来源:四川省地方志工作办公室 发布时间:2022-09-16 08:35:31 浏览次数: 【字体:",
        crumb="您的位置: 首页 >新闻中心>政工简讯>2022年政工简讯>详细内容",
        breadcrumb=["首页", "新闻中心", "政工简讯", "2022年政工简讯"],
        source="四川省地方志工作办公室", author=[], editor="何晓波",
        published_at="2022-09-16T08:35:31+08:00", precision="second",  # not the 2024-07-08 clock
        captions=[], tags=[], script="hans", flags=[],
    ),
    "whrx": dict(
        title="下沉干部当好“三员” ,走“心”战疫下社区", subtitle=None,
        meta="发布时间: 2020-04-29 20:33:31 来源: 未知 作者: 佚名",
        crumb="当前位置: 主页 > 国内新闻 > 湖北新闻",
        breadcrumb=["主页", "国内新闻", "湖北新闻"],
        source=None, author=[], editor=None,  # 未知 and 佚名 are the CMS's placeholders
        published_at="2020-04-29T20:33:31+08:00", precision="second",
        captions=["支部书记马朝晖同志夜间值守社区", "民主党派副院长袁云光同志与党员一起下沉"],
        tags=["新冠肺炎", "新型冠状病毒"], script="hans", flags=[],
    ),
    "lzbs_mirror": dict(
        title="市直机关干部下沉社区坚决筑牢疫情防控第一线", subtitle=None,
        meta="", crumb="",
        breadcrumb=["首页", "兰州新闻"],
        source=None, author=[], editor=None,
        published_at="2022-10-26T00:00:00+08:00", precision="day",  # only the URL has a date
        captions=["市检察院作为首批对点支援单位,参与安宁封控小区黄河家园疫情防控工作",
                  "志愿者在抗“疫”一线开展工作", "志愿者协助录入核酸检测信息"],
        tags=[], script="hant", flags=["mojibake"],
    ),
    "gjdb": dict(
        title="“不用谢,因为我们是共产党员。”", subtitle=None,
        meta="", crumb="",
        breadcrumb=["首页", "陕西新闻"],
        source=None, author=["张兰"], editor=None,  # from the dateline 各界导报宝鸡讯 ( 张兰)
        published_at="2020-02-08T00:00:00+08:00", precision="day",
        captions=[None, None, None, None],  # every photo's alt text is the title
        tags=[], script="hans", flags=[],
    ),
}


def seed_body(portal: str, spec: dict) -> list[str]:
    """The article lines of the seed document, normalized as the pipeline normalizes."""
    body = [normalize_text(line) for line in article_lines(portal)]
    return [line for line in body if line != spec["title"] and line not in spec["captions"]]


@pytest.fixture(params=list(SEEDS))
def seed(request):
    portal = request.param
    entry = seed_entry(portal)
    crawler = make_crawler(portal)
    raw = item_from_page(crawler, entry["url"], (FIXTURES / portal / entry["file"]).read_bytes())
    raw_fields = {"title": raw.title, **dict(raw.raw)}
    return portal, SEEDS[portal], raw_fields, run_pipelines(crawler, raw)


def test_the_spider_hands_over_what_the_page_states(seed):
    portal, spec, raw, _ = seed
    assert normalize_text(raw["title"]) == spec["title"]
    assert squash(fold_width(spec["meta"])) in squash(fold_width(raw["meta_text"] or ""))
    assert squash(fold_width(spec["crumb"])) in squash(fold_width(raw["breadcrumb_text"] or ""))
    assert raw["body_html"] and raw["fetched_url"] == seed_entry(portal)["url"]


def test_the_final_item_field_by_field(seed):
    portal, spec, _, item = seed
    assert item.title == spec["title"]
    assert item.subtitle == spec["subtitle"]
    assert item.breadcrumb == spec["breadcrumb"]
    assert (item.source, item.author, item.editor) == (spec["source"], spec["author"], spec["editor"])
    assert (item.published_at, item.date_precision) == (spec["published_at"], spec["precision"])
    assert [image["caption"] for image in item.images] == spec["captions"]
    assert all(image["src"].startswith("http") for image in item.images)
    assert item.tags == spec["tags"]
    assert (item.script, item.flags) == (spec["script"], spec["flags"])
    assert item.body.split("\n\n") == seed_body(portal, spec)


def test_the_final_item_matches_the_schema(seed):
    _, _, _, item = seed
    jsonschema.validate({name: ItemAdapter(item)[name] for name in EXPORT_FIELDS}, SCHEMA)


NOISE = ["登录", "验证", "刷新", "加载中", "分享", "扫一扫", "Scan me", "二维码", "字体", "打印", "关闭本页",
         "浏览次数", "关键词", "特别推荐", "相关文章", "相關文章", "版权", "版權", "声明", "请点击查看原文",
         "责任编辑", "终审", "Top", "浏览器"]


def test_no_seed_body_carries_page_noise(seed):
    _, _, _, item = seed
    assert [word for word in NOISE if word in item.body] == []


def bare_page(portal: str, title: str, encoding: str) -> bytes:
    """The seed document as a page with no markup to go by: every line a paragraph of one
    ``<div>`` (list items the text dump shows with a bullet as ``<li>``), the headline and a
    site name in the window title."""
    lines = [line.strip() for line in (FIXTURES / portal / "seed.txt").read_text(encoding="utf-8").splitlines()]
    blocks = "".join(f"<li>{html.escape(line[1:].strip())}</li>" if line.startswith("•")
                     else f"<p>{html.escape(line)}</p>" for line in lines if line)
    page = (f"<html><head><meta charset='{encoding}'><title>{html.escape(title)} - 网站</title></head>"
            f"<body><div>{blocks}</div></body></html>")
    return page.encode(encoding)


@pytest.mark.parametrize("portal", list(SEEDS))
def test_the_seed_text_with_no_markup_to_go_by_still_gives_the_article(portal, tmp_path):
    """The worst case of a redesign: no selector matches and the page has no structure."""
    spec = SEEDS[portal]
    for toml in (ROOT / "portals").glob("*.toml"):
        bare = re.sub(r"\n\[selectors\].*?(?=\n\[|\Z)", "\n", toml.read_text(encoding="utf-8"), flags=re.S)
        (tmp_path / toml.name).write_text(bare, encoding="utf-8")
        shutil.copy(ROOT / "seeds" / f"{toml.stem}.txt", tmp_path)
    crawler = make_crawler(portal, {"PORTALS_DIR": str(tmp_path)})
    encoding = crawler.spider.portal.encoding or "utf-8"
    raw = item_from_page(crawler, seed_entry(portal)["url"], bare_page(portal, spec["title"], encoding),
                         {"Content-Type": f"text/html; charset={encoding}"})
    item = run_pipelines(crawler, raw)
    assert item.title == spec["title"]
    # No photos on such a page, so their captions stay lines of the text.
    assert item.body.split("\n\n") == [normalize_text(line) for line in article_lines(portal)
                                         if normalize_text(line) != spec["title"]]
    assert (item.published_at, item.source) == (spec["published_at"], spec["source"])
    assert [word for word in NOISE if word in item.body] == []
