"""Meta lines, footers and datelines → source, author, editor, breadcrumb."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from govnews.items import Article
from pipelines.meta import (
    MetaPipeline,
    clean_value,
    dateline_authors,
    labeled_values,
    source_name,
    split_breadcrumb,
    split_names,
)


def run(meta_text="", footer=(), body="", breadcrumb=None):
    crawler = get_crawler()
    item = Article(url="https://a.gov.cn/1.html", portal="x", template="party_cms", body=body,
                   raw={"meta_text": meta_text, "footer_lines": list(footer), "breadcrumb_text": breadcrumb})
    return MetaPipeline.from_crawler(crawler).process_item(item), crawler.stats


@pytest.mark.parametrize("meta, source, author", [
    ("来源：市委会宣传处|作者：市委会宣传处|时间：2022-11-24 22:29:38", "市委会宣传处", ["市委会宣传处"]),
    ("来源：民进江北区委会|作者：张德显|时间：2020-02-26", "民进江北区委会", ["张德显"]),
    ("来源：市委会宣传处|作者：文明 徐锐 任慧|时间：2020-04-15 20:48", "市委会宣传处", ["文明", "徐锐", "任慧"]),
    ("来源：四川省地方志工作办公室 发布时间：2022-09-16 08:35:31 浏览次数： 【字体：大 中 小】",
     "四川省地方志工作办公室", []),
    ("发布时间：2023-12-29 08:49:11 浏览次数：", None, []),
    ("发布时间: 2020-04-29 20:33:31 来源: 未知 作者: 佚名", None, []),
    ("发布时间: 2020-04-15 20:48 来源: 长江日报 作者: 记者 王某某 通讯员 李某", "长江日报", ["王某某", "李某"]),
    ("來源：蘭州新聞網 作者：admin", "蘭州新聞網", []),
    # labels no field takes still end the value before them
    ("时间:2020-04-29 20:33 来源:未知 作者:佚名 点击: 次", None, []),
    ("作者：张三 阅读量：1024 发布者：admin", None, ["张三"]),
    # longer labels are not read as the short ones inside them
    ("作者：张三 文章来源：新华社 责编：李四", "新华社", ["张三"]),
    ("稿件来源：湖北日报 撰稿：王五", "湖北日报", ["王五"]),
    # a dateline copied into the source is not part of its name; brackets that pair stay
    ("来源:中新网四川新闻5月13日电(王爵) 发布时间:2020-05-13 22:02:34 浏览次数: 【字体:", "中新网四川新闻", []),
    ("来源：人民网(北京) 作者：【张三】", "人民网(北京)", ["张三"]),
    ("来源：(新华社)", "新华社", []),
    ("来源：新华每日电讯 发稿时间：2018-11-09 13:50:58 作者：刘敏", "新华每日电讯", ["刘敏"]),
    # spaced labels, one-character labels, photo credits apart from the text's source
    ("来 源：市政府 作 者：张三", "市政府", ["张三"]),
    ("供稿：县委办 文：李四 原文：略", "县委办", ["李四"]),
    ("图片来源：新华社 文字来源：市委办", "市委办", []),
    # an edition copied into the source is no part of its name
    ("来源：《人民日报》(2023年06月18日 01 版)", "人民日报", []),
    ("来源：成都日报 记者 张三 实习生 李四", "成都日报", ["张三", "李四"]),
    ("来源：人民日报 编辑部", "人民日报 编辑部", []),  # a newsroom, not a credit
    # a value never runs into the date beside it or the next meta element's line
    ("来源： 人民日报 2024-05-13 08:49", "人民日报", []),
    ("来源： 市政府网\n2023-11-17 15:13", "市政府网", []),
    ("来源于：东区办事处", "东区办事处", []),
    ("来源：求是网 参与互动", "求是网", []), ("来源: 长江网 调整字体", "长江网", []),  # widgets beside it
    ("信息来源：区应急管理局 作者：", "区应急管理局", []),
    ("来源: | 发布时间: 2018-05-17 | 浏览次数:", None, []),  # an empty label
    ("来源：本站原创 作者：宣传科", "本站原创", ["宣传科"]),  # the site's own work is a source
])
def test_meta_line_values(meta, source, author):
    item, _ = run(meta)
    assert (item.source, item.author) == (source, author)


def test_placeholders_are_counted():
    _, stats = run("发布时间: 2020-04-29 20:33:31 来源: 未知 作者: 佚名")
    assert stats.get_value("meta/placeholder") == 2


def test_footer_fills_what_the_meta_line_lacks_and_editor_prefers_the_responsible_editor():
    item, _ = run("发布时间：2022-09-16", footer=["来源： 四川省地方志工作办公室", "终审：何晓波"])
    assert (item.source, item.editor) == ("四川省地方志工作办公室", "何晓波")
    item, _ = run("来源：x|作者：y", footer=["作者：市委会宣传处", "责任编辑：朱美栋", "终审：某人"])
    assert (item.author, item.editor) == (["y"], "朱美栋")


@pytest.mark.parametrize("meta, footer, editor", [
    ("2024-05-20 16:25:01 来源: 区融媒体中心 选稿：许文杰", [], "许文杰"),  # 选稿: the duty editor of a repost
    ("来源：本站", ["供稿：药剂科 摄影/张艳 编辑/苏芳"], "苏芳"),  # slash forms
    ("", ["【责任编辑:张樵苏 】"], "张樵苏"),
    ("作者：陈某 责任编辑：陈某\n2020年07月04日 12:10 来源：求是网", [], "陈某"),
])
def test_editor_labels_and_forms(meta, footer, editor):
    item, _ = run(meta, footer=footer)
    assert item.editor == editor


def test_a_one_character_label_takes_no_slash():
    item, _ = run("", footer=["文/图 张三"])
    assert item.author == []


def test_dateline_gives_the_reporter_when_nothing_else_does():
    item, stats = run("", body="各界导报宝鸡讯 （ 张兰）这是一场没有硝烟的战争。\n\n第二段。")
    assert item.author == ["张兰"] and stats.get_value("meta/author_from_dateline") == 1


@pytest.mark.parametrize("line, names", [
    ("各界导报宝鸡讯 ( 张兰)这是一场没有硝烟的战争", ["张兰"]),
    ("各界导报讯 （记者 王某 通讯员 李某）近日", ["王某", "李某"]),
    ("本报西安讯（记者 刘某）", ["刘某"]),
    ("新华社北京1月25日电（记者 赵某、钱某）", ["赵某", "钱某"]),
    ("本报讯(记者 张三 实习生 李四 摄影报道)", ["张三", "李四"]),
    ("这是一场没有硝烟的战争（宝鸡）", []),
    ("", []),
])
def test_datelines(line, names):
    assert dateline_authors(line) == names


def test_names_and_breadcrumbs():
    assert split_names("记者 王某某 通讯员 李某、张某") == ["王某某", "李某", "张某"]
    assert split_names("佚名") == []
    assert clean_value("区统计局 【") == "区统计局" and clean_value("】新华社") == "新华社"
    assert split_names("特约记者 张三 首席记者 李四 王某某 摄 赵六 等") == ["张三", "李四", "王某某", "赵六"]
    assert split_names("记者张三") == ["张三"] and split_names("张文明") == ["张文明"]
    assert split_breadcrumb("您所在的位置：首页 > 新闻中心") == ["首页", "新闻中心"]
    assert split_names("颜 娜") == ["颜娜"]  # a two-character name spaced to three characters' width
    assert split_names("文明 徐锐 任慧") == ["文明", "徐锐", "任慧"]
    assert split_breadcrumb("您的位置： 首页 >新闻中心>政工简讯>2022年政工简讯>详细内容", "简讯") == [
        "首页", "新闻中心", "政工简讯", "2022年政工简讯"]
    assert split_breadcrumb("当前位置: 主页 > 国内新闻 > 湖北新闻 >") == ["主页", "国内新闻", "湖北新闻"]
    assert split_breadcrumb(None) == []


@pytest.mark.parametrize("text, title, crumbs", [
    # the title closes the trail on some sites, in its own crumb or glued to the last one
    ("首页/新闻浏览/市委会要闻/同心抗疫——“我们也是党的干部!”", "同心抗疫——“我们也是党的干部!”",
     ["首页", "新闻浏览", "市委会要闻"]),
    ("当前位置: 主页 > 国内新闻 > 湖北新闻 下沉干部当好“三员”", "下沉干部当好“三员”", ["主页", "国内新闻", "湖北新闻"]),
    ("首页 > 兰州新闻 > 正文", "标题", ["首页", "兰州新闻"]),
    # a section that happens to be a page word elsewhere in the trail stays
    ("首页 > 内容 > 要闻", "标题", ["首页", "内容", "要闻"]),
])
def test_breadcrumb_is_the_section_path(text, title, crumbs):
    assert split_breadcrumb(text, title) == crumbs


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text(max_size=20)))
@example("0,\r", None)  # a trailing \r once hid a separator from the first strip
def test_meta_normalizers_never_raise_and_are_idempotent(text, title):
    names = split_names(text)
    assert split_names(" ".join(names)) == names
    crumbs = split_breadcrumb(text, title)
    assert all(crumbs) and split_breadcrumb(" > ".join(crumbs), title) == crumbs
    value = clean_value(text)
    assert value is None or clean_value(value) == value
    source = source_name(text)
    assert source is None or source_name(source) == source
    dateline_authors(text)
    labeled_values(text)
