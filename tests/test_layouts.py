"""Article pages in the markup of other common CMS skins, read by the generic finders.

The portal's own selectors match none of these pages (a redesign, a second skin on the same
site, an alias host serving an older template): everything comes from spiders.heuristics.
Each page models one skin Chinese government and news sites commonly run: DedeCMS's default
article template in GBK (body in one ``<td>`` split by ``<br>``), a TRS-style government
page (head metas, ``TRS_Editor`` body, editor line below the body's container), an old
table layout (headline in ``<font><b>``, a sidebar heading with a title class), and a body
pasted from the WeChat editor (nested ``<section>``s, and a thread of readers' comments below
with more prose than the article). A mirror copy in Traditional script with pinyin keeps the
origin's date line in the body's container with a read-aloud widget, closes with a reporter
byline and 來源, and has porn-spam keywords appended inside the container.
"""

import json
from pathlib import Path

import jsonschema
import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse, Request

from govnews.extract import extract_file, make_crawler

LAYOUTS = Path(__file__).parent / "layouts"
SCHEMA = json.loads((Path(__file__).parent.parent / "govnews" / "article.schema.json").read_text())

CASES = {
    "dedecms_default.html": ("whrx", "http://www.whrx.net/a/guoneixinwen/hubeixinwen/2020/0429/31867.html", {
        "title": "社区志愿者坚守防疫一线",
        "subtitle": None,
        "breadcrumb": ["主页", "国内新闻", "湖北新闻"],
        "source": None, "author": [], "editor": None,  # 来源: 未知, 作者: 佚名; 点击: ends the value
        "published_at": "2020-04-29T20:33:00+08:00", "date_precision": "minute",
        "body": "4月29日,江汉区某社区的志愿者们依旧坚守在防疫一线,为居民配送生活物资,测量体温,登记出入信息。\n\n"
                "志愿者李女士说:“社区就是我们的家,守好家门是我们每个人的责任。”自1月下旬以来,她每天在小区门口值守8个小时。\n\n"
                "据了解,该社区共有志愿者120余名,其中党员志愿者占到一半以上,他们分成三个班次轮流值守,确保居民出入安全有序。\n\n"
                "(本文来源:长江日报)",
        "images": [{"src": "http://www.whrx.net/uploads/allimg/200429/1-200429203R10-L.jpg", "caption": None}],
        "tags": [], "flags": [],
    }),
    "trs_government.html": ("scsqw", "https://www.scsqw.cn/gzdt/gzjb/2022ngzjb/content_101499", {
        "title": "省地方志办召开2022年度工作会议",
        "subtitle": None,
        "breadcrumb": ["首页", "工作动态", "工作简报"],
        "source": "四川省地方志工作办公室", "author": [], "editor": "王某某",
        "published_at": "2022-03-10T09:12:00+08:00", "date_precision": "minute",
        "body": "3月9日,省地方志办召开2022年度工作会议,总结2021年工作,安排部署2022年重点任务。办党组书记、主任出席会议并讲话。\n\n"
                "会议指出,2021年全省地方志系统坚持以习近平新时代中国特色社会主义思想为指导,圆满完成了各项目标任务,地方志事业取得新成效。\n\n"
                "一、提高政治站位\n\n"
                "会议要求,全省地方志系统要提高政治站位,聚焦主责主业,扎实推进二轮志书出版、年鉴编纂和方志馆建设等重点工作。",
        "images": [{"src": "https://www.scsqw.cn/Upload/main/ContentManage/Article/image/2022/03/10/a.jpg",
                    "caption": "会议现场"}],
        "tags": [], "flags": [],
    }),
    "table_layout.html": ("cqmjsw", "https://cqmjsw.gov.cn/news/2608.html", {
        "title": "市委会开展学习活动",  # not the sidebar's 栏目导航
        "subtitle": None,
        "breadcrumb": ["首页", "新闻浏览", "市委会要闻"],  # the trailing title is no section
        "source": "民进重庆市委会", "author": ["文明", "徐锐", "任慧"], "editor": "张三",
        "published_at": "2020-02-26T00:00:00+08:00", "date_precision": "day",
        "body": "2月25日,民进重庆市委会机关党支部组织开展专题学习活动,全体党员和机关干部参加学习。\n\n"
                "活动中,大家认真学习了有关文件精神,并结合各自工作实际进行了交流发言,一致表示要履职尽责。\n\n"
                "市委会专职副主委出席活动并讲话,要求大家进一步提高认识,把学习成果转化为推动工作的实际行动。",
        "images": [{"src": "https://cqmjsw.gov.cn/uploads/2020/02/a.jpg", "caption": "学习活动现场"}],
        "tags": [], "flags": [],
    }),
    "wechat_editor.html": ("gjdb", "http://www.gjdb.cn/sx/2022/1028/123.html", {
        "title": "“不用谢,因为我们是共产党员。”",
        "subtitle": None,
        "breadcrumb": ["首页", "三秦大地"],
        "source": None, "author": ["张兰"], "editor": None,
        "published_at": "2022-10-28T09:30:00+08:00", "date_precision": "minute",
        "body": "各界导报宝鸡讯 ( 张兰)10月27日,在宝鸡市某社区核酸检测点,志愿者们冒着寒风维持秩序,引导居民有序排队。\n\n"
                "当居民向他们表示感谢时,一位志愿者笑着说:“不用谢,因为我们是共产党员。”朴实的话语温暖了在场的每一个人。\n\n"
                "据介绍,该社区共组织党员志愿者60余人,分组参与核酸检测、物资配送和入户排查等工作。",
        "images": [{"src": "http://www.gjdb.cn/uploads/1.jpg", "caption": "志愿者在核酸检测点引导居民排队"}],
        "tags": [], "flags": [],
    }),
    "mirror_copy.html": ("lzbs_mirror", "http://www.lzxwmirror.com/lanzhounews/2021-11/06/content_4873172.htm", {
        "title": "安宁区某社区下沉干部坚守核酸检测点",
        "subtitle": None,
        "breadcrumb": ["网站首页", "新闻中心", "兰州新闻"],
        "source": "兰州晚报", "author": ["华晓婧"], "editor": None,  # from the closing byline
        "published_at": "2021-11-06T09:01:28+08:00", "date_precision": "second",
        "body": "10月21日以来,市直单位的30余名党员干部下沉到安宁区某社区,投身疫情防控工作。\n\n"
                "根据社区安排,组织居民核酸检测、维护秩序、检测登记是下沉干部们到社区干的第一件工作,连续五轮核酸检测没有一个人休息。\n\n"
                "接到通知时已是晚上11点,下沉干部们立刻开车赶到街道,把18个检测点位的物资全都装齐送到,送完已是凌晨一点多。",
        "images": [], "tags": [], "flags": [],
    }),
}


@pytest.mark.parametrize("page", sorted(CASES))
def test_a_page_of_another_skin_comes_out_whole_and_clean(page):
    portal, url, expected = CASES[page]
    item = ItemAdapter(extract_file(LAYOUTS / page, portal, url)).asdict()
    item.pop("raw")
    assert {name: item[name] for name in expected} == expected
    assert item["script"] == ("hant" if portal == "lzbs_mirror" else "hans")
    jsonschema.validate(item, SCHEMA)


TRS_LIST = """<html><head><title>工作动态</title></head><body>
<ul class="list"><li><a href="./202203/t20220310_1.html">省地方志办召开2022年度工作会议</a><span>2022-03-10</span></li>
<li><a href="./202203/t20220308_2.html">省地方志办开展三八节活动</a><span>2022-03-08</span></li></ul>
<div class="page"><script>var countPage = 3//共多少页
createPageHTML(countPage, {current}, "index", "html");</script></div></body></html>"""

TRS_PORTAL = """name = "zjdfz"
title = "浙江省地方志"
template = "gazetteer"
hosts = ["dfz.example.gov.cn"]
[urls]
list = ['^https://dfz\\.example\\.gov\\.cn/gzdt/index(?:_\\d+)?\\.html$']
article = ['^https://dfz\\.example\\.gov\\.cn/gzdt/\\d{6}/t\\d{8}_\\d+\\.html$']
"""


@pytest.mark.parametrize("current, next_page", [
    (0, "https://dfz.example.gov.cn/gzdt/index_1.html"),
    (1, "https://dfz.example.gov.cn/gzdt/index_2.html"),
    (2, None),  # the last of three pages
])
def test_a_pager_written_by_script_is_followed(tmp_path, current, next_page):
    (tmp_path / "zjdfz.toml").write_text(TRS_PORTAL, encoding="utf-8")
    (tmp_path / "zjdfz.txt").write_text("https://dfz.example.gov.cn/gzdt/index.html\n", encoding="utf-8")
    crawler = make_crawler("zjdfz", {"PORTALS_DIR": str(tmp_path), "SEEDS_DIR": str(tmp_path)})
    page = "index.html" if current == 0 else f"index_{current}.html"
    url = f"https://dfz.example.gov.cn/gzdt/{page}"
    response = HtmlResponse(url, body=TRS_LIST.replace("{current}", str(current)).encode(), encoding="utf-8",
                            request=Request(url))
    requests = list(crawler.spider.parse_list(response))
    assert [r.url for r in requests] == [
        "https://dfz.example.gov.cn/gzdt/202203/t20220310_1.html",
        "https://dfz.example.gov.cn/gzdt/202203/t20220308_2.html",
        *([next_page] if next_page else []),
    ]
    expected_stat = 1 if next_page else None
    assert crawler.stats.get_value("extract/fallback/script_pager") == expected_stat


def test_an_empty_element_the_body_selector_matches_is_no_body(tmp_path):
    """whrx's body selector (``div.article div.content``) matching an empty placeholder on
    another skin must not empty the article: the generic finder reads the page instead."""
    page = (LAYOUTS / "dedecms_default.html").read_bytes().replace(
        b'<div class="viewbox">', b'<div class="article"><div class="content"> </div></div><div class="viewbox">')
    (tmp_path / "page.html").write_bytes(page)
    portal, url, expected = CASES["dedecms_default.html"]
    item = extract_file(tmp_path / "page.html", portal, url)
    assert item.body == expected["body"]
