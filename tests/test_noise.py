"""Each noise rule on its own, on the kinds of widgets the seed portals really carry."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.noise import _ANY_DOM_RULE, DOM_RULES, clean_body, clean_text, line_rule, stop_rule
from tests.seeds import ARTICLE_SPAN, article_lines, seed_lines

BASE = "https://a.gov.cn/news/1.html"


def body(inner: str, title: str | None = "标题", **kw):
    return clean_body(f"<div class='content'>{inner}</div>", BASE, title, **kw)


@pytest.mark.parametrize("rule, widget", [
    ("captcha", '<div class="yidun_popup"><div class="yidun_panel"><span class="yidun_tips__text">向右拖动滑块</span>'
                '<div class="yidun_refresh">刷新</div><div class="yidun_voice">切换至语音验证码</div></div></div>'),
    ("captcha", '<div class="geetest_panel"><div class="geetest_wait">加载中...</div></div>'),
    ("login", '<div id="loginBox" class="login-dialog"><h3>用户登录</h3>用户名：<span>密码</span></div>'),
    ("browser_notice", '<div class="browser-tips">尊敬的用户，您好！网站不支持您所使用的浏览器版本</div>'),
    ("share", '<div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a></div>'),
    ("share", '<div class="qrcode">微信扫一扫：分享<p>Scan me!</p></div>'),
    ("related", '<div class="related-news"><h4>相关新闻</h4><ul><li><a href="/2.html">另一篇</a></li></ul></div>'),
    ("print_close", '<a href="javascript:window.print()">【打印正文】</a><a href="javascript:window.close()">关闭本页</a>'),
    ("view_counter", '<span id="hits">1234</span>'),
    ("back_to_top", '<a href="#top">Top</a>'),
    ("font_switch", '<span class="font-size">【字体：<a>大</a> <a>中</a> <a>小</a>】</span>'),
    ("hidden", '<div style="display: none">隐藏的模板文字</div>'),
    ("pager", '<div id="pages"><a href="5.html">上一页</a><a href="5.html">1</a><a href="5_2.html">2</a></div>'),
    ("video_player", '<div class="prism-player"><div>倍速</div></div>'),
])
def test_each_dom_rule_removes_its_widget_and_keeps_the_article(rule, widget):
    cleaned = body(f"<p>第一段正文。</p>{widget}<p>第二段正文。</p>")
    assert cleaned.paragraphs == ["第一段正文。", "第二段正文。"]
    assert cleaned.rules.get(rule, 0) >= 1


@pytest.mark.parametrize("line, rule", [
    ("加载中...", "captcha"), ("刷新", "captcha"), ("返回文字点选验证", "captcha"),
    ("切换至语音验证码", "captcha"), ("用户登录", "login"),
    ("网站不支持您所使用的浏览器版本(可能会出现网页变形等问题)。", "browser_notice"),
    ("微信扫一扫：分享", "share"), ("Scan me!", "share"), ("微信里点“发现”，扫一下", "share"),
    ("二维码便可将本文分享至朋友圈。", "share"), ("×", "share"),
    ("【字体：大 中 小】", "font_switch"), ("浏览次数： 【字体：", "font_switch"),
    ("关闭本页 【打印正文】", "print_close"), ("浏览次数：1024", "view_counter"),
    ("Top", "back_to_top"), ("返回顶部", "back_to_top"), ("none", "placeholder"),
    ("您的位置： 首页 >新闻中心>政工简讯", "breadcrumb"), ("2024-07-08 15:44:44", "render_clock"),
    ("2021-11-06 09:01:28 智能朗讀:", "render_clock"), ("智能朗读：", "read_aloud"), ("關閉", "print_close"),
    ("国内精品久久人妻无码免费,婷婷五月天久久中文,亚欧无码vs在线观看", "spam"),
    ("欧美精品久久性爱|玖玖资源站365|亚洲精品福利无码", "spam"),
    ("【字体：大 中 小】【打印】【关闭】", "print_close"), ("打印 | 关闭", "print_close"), ("【大】【中】【小】", "font_switch"),
    ("浏览：123次", "view_counter"), ("阅读量：1.2万", "view_counter"), ("您是第12345位访问者", "view_counter"),
    ("您现在的位置：首页 > 新闻中心", "breadcrumb"), ("首页 > 新闻中心 > 工作动态", "breadcrumb"),
    ("2026/11/24 21:40:13", "render_clock"), ("今天是：2026年11月24日 星期二", "render_clock"),
    ("【字體：大 中 小】", "font_switch"), ("瀏(liú)覽(lǎn)次(cì)數(shù)：123", "view_counter"), ("返回頂部", "back_to_top"),
    ("分享至：", "share"),
    ("点击蓝字 关注我们", "wechat_prompt"), ("长按识别二维码关注我们", "wechat_prompt"), ("阅读原文", "wechat_prompt"),
    ("共2页: 上一页 1 2 下一页", "pager"), ("上一頁 1 2 3 下一頁", "pager"), ("[1] [2] [3]", "pager"),
    ("图集", "gallery"), ("+1", "gallery"), ("点击查看大图", "gallery"),
    ("【1】【2】【3】【4】", "pager"), ("点击进入“文艺星青年”>>", "more_link"), ("更多精彩内容»", "more_link"),
    ("微信截图_20250609111515", "file_name"), ("IMG_0412.JPG", "file_name"), ("微信图片_20220916.png", "file_name"),
])
def test_each_line_rule(line, rule):
    assert line_rule(line) == rule


@pytest.mark.parametrize("line, rule", [
    ("请点击查看原文：", "original_link"),
    ("版權(quán)聲明:", "reprint"), ("版权声明：凡本网注明来源的稿件", "reprint"),
    ('凡文章來源為"蘭州新聞網(wǎng)"的稿件，均為…', "reprint"),
    ("相關文章：", "related"), ("特别推荐", "related"), ("分享到：", "share"),
    ("关键词浏览：", "keywords"),
])
def test_each_stop_rule(line, rule):
    assert stop_rule(line) == rule


@pytest.mark.parametrize("line", [
    "当前，重庆疫情形势严峻复杂，重庆民进各级组织和广大会员积极奋战在疫情防控各条战线。",
    "党员更要有担当", "Top secret documents were not involved.", "刷新纪录的一年",
    "女儿在视频通话中最常问的一句话是：“你什么时候回家？”", "作者单位：四川大学",
    "关闭本页面的广告后，居民们才看到通知。", "none of the above",
    "2022年9月16日", "四川省地方志工作办公室 2022年9月16日",  # a document's signature date
    "时间就是生命，来源于群众的智慧。",
    "产品出口到亚洲、欧美、日韩等地区，国产精品牌走向世界。", "影片配有中文字幕。",
    "采访中，他对记者说", "记者了解到，该社区共有志愿者120余名。",
    "图片1", "2022年工作图片展", "IMG展厅开放",
    "2022", "第1页内容", "下一页是结论",
    "分享到朋友圈的内容应当遵守法律法规。", "中华老字号", "规范使用汉字字体", "打印机采购项目",
    "发布会将在线观看平台同步直播，并配有中文字幕。", "阅读", "关闭企业12家",
])
def test_article_lines_are_not_noise(line):
    assert line_rule(line) is None and stop_rule(line) is None
    assert clean_text(line) == line


def test_keyword_row_becomes_tags_and_leaves_the_body():
    cleaned = body('<p>正文。</p><div class="keywords">关键词浏览：<a>新冠肺炎</a><a>新型冠状病毒</a></div>')
    assert cleaned.tags == ["新冠肺炎", "新型冠状病毒"] and cleaned.paragraphs == ["正文。"]


def test_stop_line_ends_the_article_and_footer_meta_is_kept():
    cleaned = body("<p>正文。</p><p>请点击查看原文：</p><p><a>标题</a></p><p>来源： 四川省地方志工作办公室</p>"
                   "<p>终审：何晓波</p><p>分享到：</p>")
    assert cleaned.paragraphs == ["正文。"]
    assert cleaned.footer == ["来源： 四川省地方志工作办公室", "终审：何晓波"]


def test_a_meta_line_inside_a_loose_body_moves_to_the_footer():
    cleaned = body("<p>2024-07-08 15:44:44</p><p>来源：四川省地方志工作办公室 发布时间：2022-09-16 08:35:31 浏览次数：</p>"
                   "<p>发布时间：2023-12-29 08:49:11</p><p>正文。</p>")
    assert cleaned.paragraphs == ["正文。"]
    assert cleaned.footer == ["来源：四川省地方志工作办公室 发布时间：2022-09-16 08:35:31 浏览次数：",
                              "发布时间：2023-12-29 08:49:11"]
    assert cleaned.rules["meta_line"] == 2 and cleaned.rules["render_clock"] == 1


def test_a_closing_byline_moves_to_the_footer_as_the_reporter():
    cleaned = body("<p>正文。</p><p>蘭州日報社全媒體記者 華曉婧</p><p>來源: 蘭州晚報</p>")
    assert cleaned.paragraphs == ["正文。"]
    assert cleaned.footer == ["记者:华晓婧", "來源: 蘭州晚報"]  # the byline read through its key
    cleaned = body("<p>正文。</p><p>□本报记者 颜 娜</p>")
    assert cleaned.footer == ["记者:颜 娜"]


def test_trailing_author_and_editor_lines_move_to_the_footer():
    cleaned = body("<p>正文。</p><p>作者：市委会宣传处</p><p>责任编辑：朱美栋</p><p><a href='#top'>Top</a></p>")
    assert cleaned.paragraphs == ["正文。"]
    assert cleaned.footer == ["作者：市委会宣传处", "责任编辑：朱美栋"]


@pytest.mark.parametrize("closing, footer", [
    ("<p>药剂科供稿 摄影/张艳 编辑/苏芳</p>", ["药剂科供稿 摄影/张艳 编辑/苏芳"]),
    ("<p>（资料来源：参考消息、海外网等）</p><p>【编辑：姚昊】</p>", ["（资料来源：参考消息、海外网等）", "【编辑：姚昊】"]),
    ("<p>【纠错】 <span>【责任编辑:张樵苏\n】</span></p>", ["【责任编辑:张樵苏 】"]),
    ("<p>《光明日报》（2024年05月20日 03版）</p>", ["来源:《光明日报》（2024年05月20日 03版）"]),
])
def test_closing_credit_source_and_edition_lines_move_to_the_footer(closing, footer):
    cleaned = body("<p>会议要求，各地要加强收购资金保障。</p>" + closing)
    assert cleaned.paragraphs == ["会议要求，各地要加强收购资金保障。"]
    assert cleaned.footer == footer


def test_an_editor_line_under_a_pager_button_is_no_caption():
    cleaned = body("<p>正文。</p><div class='zdfy'><a href='/1-2.html'>【1】</a><a href='/1-2.html'>【2】</a></div>"
                   "<center><a href='/1-2.html'><img src='/img/next_page.jpg'></a></center>"
                   "<div class='edit'>(责编：汤某、丁某)</div>")
    assert (cleaned.paragraphs, cleaned.images, cleaned.footer) == (["正文。"], [], ["(责编：汤某、丁某)"])
    cleaned = body("<p>正文。</p><p><img src='/uploads/1.jpg'></p><p>(责编：汤某、丁某)</p>")
    assert cleaned.images == [{"src": "https://a.gov.cn/uploads/1.jpg", "caption": None}]
    assert cleaned.footer == ["(责编：汤某、丁某)"]


def test_a_closing_sentence_that_mentions_an_editor_stays():
    cleaned = body("<p>正文。</p><p>他说：这件事要问编辑/记者本人。</p>")
    assert cleaned.paragraphs == ["正文。", "他说：这件事要问编辑/记者本人。"]


def test_photo_captions_and_alt_texts_go_to_images():
    cleaned = body('<p><strong>党员更要有担当</strong></p>'
                   '<p style="text-align:center"><img src="/uploads/1.jpg" alt="标题"></p>'
                   '<p style="text-align:center">彭邦根在社区进行信息管理工作</p>'
                   '<p>中共党员彭邦根自11月中旬起担任志愿者。</p>'
                   '<p><img src="2.jpg" alt="志愿者在核酸检测点"></p><p>他说：“我们一定能够战胜疫情。”</p>')
    assert cleaned.paragraphs == ["党员更要有担当", "中共党员彭邦根自11月中旬起担任志愿者。", "他说：“我们一定能够战胜疫情。”"]
    assert cleaned.images == [
        {"src": "https://a.gov.cn/uploads/1.jpg", "caption": "彭邦根在社区进行信息管理工作"},
        {"src": "https://a.gov.cn/news/2.jpg", "caption": "志愿者在核酸检测点"},
    ]
    assert cleaned.rules.get("title_repeat") is None  # the alt repeated the title: not kept as caption


def test_a_line_that_merely_repeats_the_title_is_dropped():
    cleaned = body("<p>“不用谢，因为我们是共产党员。”</p><p>正文。</p>", title="“不用谢，因为我们是共产党员。”")
    assert cleaned.paragraphs == ["正文。"] and cleaned.rules["title_repeat"] == 1


def test_portal_rules_extend_the_defaults():
    cleaned = body('<p>正文。</p><div class="ad-slot">广告</div><p>本文来源：某某网</p>',
                   drop_selectors=[".ad-slot"], drop_lines=[re.compile("^本文来源")])
    assert cleaned.paragraphs == ["正文。"] and cleaned.rules["portal"] == 2


def test_a_bad_portal_selector_is_logged_not_fatal(caplog):
    cleaned = body("<p>正文。</p>", drop_selectors=["p[["])
    assert cleaned.paragraphs == ["正文。"]
    assert "bad portal drop_selector" in caplog.text


def test_line_breaks_inside_a_paragraph_split_lines_and_text_after_removed_nodes_stays():
    cleaned = body("<p>老式三轮车谁会骑？“我会”；<br>要去拿物资，“我去”；<span id='hits'>9</span>尾巴。</p>")
    assert cleaned.paragraphs == ["老式三轮车谁会骑？“我会”；", "要去拿物资，“我去”；尾巴。"]


# --- clean_text on the seed documents -------------------------------------------------------

ARTICLE = sorted({line for portal in ARTICLE_SPAN for line in article_lines(portal)})
#: The seeds' own widget lines that a line rule knows (captcha, login, share, font…).
NOISE = sorted({line for portal in ARTICLE_SPAN for line in seed_lines(portal)
                if line not in ARTICLE and line_rule(line)})


def test_the_seed_noise_lines_are_known_to_the_line_rules():
    assert {"加载中...", "刷新", "返回文字点选验证", "切换至语音验证码", "用户登录", "Scan me!", "×", "x",
            "微信扫一扫:分享", "分享到:", "关闭本页 【打印正文】", "Top", "尊敬的用户,您好!"} <= set(NOISE)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(ARTICLE), st.sampled_from(NOISE)), min_size=1, max_size=40))
def test_clean_text_keeps_every_seed_article_line_and_drops_the_widgets(lines):
    assert clean_text("\n".join(lines)).splitlines() == [line for line in lines if line in ARTICLE]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_never_raises_and_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert set(once.splitlines()) <= set(text.splitlines())


def test_a_data_table_row_is_one_line_and_a_layout_table_keeps_its_paragraphs():
    cleaned = body("<p>第一段正文。</p><table><tr><th>项目</th><th>完成数</th></tr>"
                   "<tr><td>志书出版</td><td></td><td>12部</td></tr></table><p>第二段正文。</p>")
    assert cleaned.paragraphs == ["第一段正文。", "项目 | 完成数", "志书出版 | 12部", "第二段正文。"]
    cleaned = body("<table><tr><td>A|B</td><td>12部</td></tr></table>")
    assert cleaned.paragraphs == ["A|B | 12部"]  # a cell's own | is no cell boundary
    cleaned = body("<table><tr><td><p>第一段正文。</p><p>第二段正文。</p></td><td>3月9日,第三段。<br>第四段。</td></tr></table>")
    assert cleaned.paragraphs == ["第一段正文。", "第二段正文。", "3月9日,第三段。", "第四段。"]


def test_two_qr_prompts_after_one_image_drop_that_image_only():
    cleaned = body('<p><img src="/photo.jpg" alt="会场"></p><p>会场</p><p>正文。</p><p><img src="/a.jpg"></p>'
                   "<p>长按识别二维码</p><p>扫描二维码关注我们</p>")
    assert [image["src"] for image in cleaned.images] == ["https://a.gov.cn/photo.jpg"]


def test_a_qr_code_and_a_video_are_no_part_of_the_article():
    cleaned = body('<p>正文。</p><p><img src="/a.jpg"></p><p>长按识别二维码关注我们</p>'
                   '<p><img src="/erweima.png"></p><video src="/v.mp4">您的浏览器不支持视频播放。</video>')
    assert cleaned.paragraphs == ["正文。"] and cleaned.images == []


def test_an_image_file_name_is_no_caption():
    cleaned = body('<p>正文。</p><p><img src="/a.jpg" alt="微信截图_20250609111515"></p>'
                   '<p><img src="/b.jpg" alt="会议现场"></p>')
    assert [image["caption"] for image in cleaned.images] == [None, "会议现场"]


def test_a_centred_line_under_a_photo_is_its_caption_even_as_a_sentence():
    cleaned = body('<p>正文第一段。</p><p style="text-align: center"><img src="/a.jpg"></p>'
                   '<p style="text-align: center">培训结束后，学员们进行了分组考核。</p>'
                   '<p><img src="/b.jpg"></p><p>这是紧跟照片的正文段落。</p>')
    assert [image["caption"] for image in cleaned.images] == ["培训结束后，学员们进行了分组考核。", None]
    assert cleaned.paragraphs == ["正文第一段。", "这是紧跟照片的正文段落。"]


def test_the_page_header_above_a_meta_line_in_a_loose_body_goes():
    cleaned = body("<p>首页/新闻浏览/市委会要闻</p><p>标题——副题</p><p>来源:市委会|作者:某人|时间:2022-11-24</p>"
                   "<p>正文第一段,写得很长。</p>")
    assert cleaned.paragraphs == ["正文第一段,写得很长。"]
    assert (cleaned.rules["breadcrumb"], cleaned.rules["above_meta"]) == (1, 1)
    # a meta line after the text ends nothing: the text above it is prose
    cleaned = body("<p>正文第一段。</p><p>来源:市委会|作者:某人</p><p>正文第二段。</p>")
    assert cleaned.paragraphs == ["正文第一段。", "正文第二段。"]
    # nor does one at the very end of a short article of exclamations
    cleaned = body("<p>加油！</p><p>我们一定能赢！</p><p>来源：区地方志办 发布时间：2023-06-18</p>")
    assert cleaned.paragraphs == ["加油！", "我们一定能赢！"]


def test_a_bullet_a_text_copy_kept_does_not_hide_a_rule():
    assert line_rule("• 分享到:") == "share" and stop_rule("• 关键词浏览:") == "keywords"


@pytest.mark.parametrize("widget, rule", [
    ('<div class="comment"><p>网友评论</p><p>作者：网友甲</p></div>', "comments"),
    ('<div class="related"><ul><li><a href="/a/1.html">另一篇新闻</a></li></ul>'
     "<p>作者：王五</p><p>责任编辑：赵六</p></div>", "related"),
])
def test_credits_in_readers_comments_and_related_stories_are_not_the_articles(widget, rule):
    cleaned = body(f"<p>第一段正文。</p><p>第二段正文。</p>{widget}")
    assert (cleaned.paragraphs, cleaned.footer) == (["第一段正文。", "第二段正文。"], [])
    assert cleaned.rules[rule] == 1


def test_a_readers_comment_gives_the_article_no_author():
    from govnews.extract import extract_page

    text = "".join("<p>党的二十大以来，我市坚持以人民为中心的发展思想，扎实推进各项民生工程建设，取得了显著成效。</p>"
                   for _ in range(6))
    page = ("<html><head><meta charset='utf-8'><title>市政府召开常务会议</title></head><body><h1>市政府召开常务会议</h1>"
            f"<div class='info'>发布时间：2024-05-13 08:49</div><div class='article'>{text}"
            "<div class='comment'><p>网友评论</p><p>作者：网友甲</p></div></div></body></html>")
    article = extract_page(page.encode(), "http://www.example.gov.cn/art/2024/5/13/art_1_123.html")
    assert article.author == [] and not article.body.endswith("网友评论")


def test_the_editor_beside_a_tag_rows_button_is_the_articles():
    cleaned = body("<p>正文。</p><div class='p-tags'><p><a href='/t/1'>民生</a></p><p>【纠错】 责任编辑：尹某</p></div>")
    assert (cleaned.paragraphs, cleaned.tags, cleaned.footer) == (["正文。"], ["民生"], ["责任编辑：尹某"])


SENTENCES = ["5月20日22点起，《中国电影报道》栏目将推出系列访谈节目，讲述电影人的成长故事和艺术生涯。",
             "节目用电影人的艺术探索构建起中国电影和首都北京的发展之路，一起期待吧！"]


def test_a_video_card_and_its_player_are_no_part_of_the_article():
    # a player whose configuration script outweighs the article is still no article
    card = ('<div class="pic-video"><div class="video-fold"><span>《某片》预告</span><span>时长：01:45</span><a>展开</a></div>'
            '<div class="mplayer"><video></video><div>正在为您切换到高清 480P,请稍候...</div>'
            '<div>播放速度：2X</div><div>倍速</div></div><script>var VIDEOCONFIG = {'
            + "vid: '1676284', duration: '105', " * 40 + '};</script></div>')
    cleaned = body(card + "".join(f"<p>{s}</p>" for s in SENTENCES))
    assert cleaned.paragraphs == SENTENCES
    assert (cleaned.rules["video_player"], cleaned.rules["video_card"]) == (1, 1)


@pytest.mark.parametrize("page", [
    '<div class="video-box"><video src="/v/1.mp4"></video></div><div class="video-intro">{text}</div>',
    '<div class="news-video"><video src="/v/1.mp4"></video>{text}</div>',
    '<div class="video-desc">{text}</div>',
])
def test_the_text_of_a_video_page_is_the_article(page):
    cleaned = body(page.format(text="".join(f"<p>{s}</p>" for s in SENTENCES)))
    assert cleaned.paragraphs == SENTENCES


#: A paragraph as Word leaves it pasted into a CMS editor: conditional comments holding
#: Word's XML and style sheet, MsoNormal/mso- styles, lang=EN-US spans around digits,
#: <o:p> marks, smart tags, a list marker, <font> tags, &nbsp; runs and a template comment.
WORD_PASTE = (
    '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->'
    '<!--[if gte mso 10]><style>table.MsoNormalTable {mso-style-name:普通表格;}</style><![endif]-->'
    '<!-- 正文开始 -->'
    '<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0"><span style="font-family:仿宋_GB2312">'
    '&nbsp;&nbsp;&nbsp;&nbsp;<st1:chsdate year="2022" month="11" day="4" w:st="on"><span lang="EN-US">11</span>月'
    '<span lang="EN-US">4</span>日</st1:chsdate>，会议召开。<span lang="EN-US"><o:p></o:p></span></span></p>'
    '<p class="MsoNormal"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>'
    '<p class="MsoNormal" style="margin-left:21pt;text-indent:-21pt;mso-list:l0 level1 lfo1"><![if !supportLists]>'
    '<span lang="EN-US" style="mso-list:Ignore">1.<span style="font:7.0pt &quot;Times New Roman&quot;">'
    '&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>第一项。<o:p></o:p></p>'
    '<p><font face="仿宋_GB2312" size="4">第二段</font><font face="宋体">文字。</font></p>'
    '<p>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</p><!-- {$content} --><!--正文结束-->'
)


def test_a_word_paste_reads_as_its_text():
    cleaned = body(WORD_PASTE)
    assert cleaned.paragraphs == ["11月4日，会议召开。", "1. 第一项。", "第二段文字。"]
    assert cleaned.images == []


def test_a_word_pastes_clipboard_image_is_no_image():
    # Word's VML shape and its fallback <img> point at the editor's disk; the page's own photo stays
    local = ('<p class="MsoNormal" align="center"><!--[if gte vml 1]><v:shape id="图片_x0020_1"><v:imagedata '
             'src="file:///C:/Users/ADMINI~1/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"/></v:shape>'
             '<![endif]--><![if !vml]><img width="554" src="file:///C:/Users/ADMINI~1/AppData/Local/Temp/'
             'msohtmlclip1/01/clip_image002.jpg" v:shapes="图片_x0020_1"><![endif]><o:p></o:p></p>'
             '<p><img src="C:\\Documents and Settings\\user\\桌面\\会场.jpg"></p>')
    cleaned = body(local + '<p>正文。</p><p><img src="/uploads/1.jpg" alt="会议现场"></p>')
    assert cleaned.paragraphs == ["正文。"]
    assert cleaned.images == [{"src": "https://a.gov.cn/uploads/1.jpg", "caption": "会议现场"}]
    assert cleaned.rules["local_image"] == 2


#: Class and id tokens: the words DOM rules name, joined and cased any way, and others.
DOM_TOKEN = st.lists(st.one_of(st.sampled_from(["share", "Login", "bdshare", "related", "tags", "print", "hits",
                                                "gotop", "fontsize", "player", "mplayer", "vjs-big", "video",
                                                "pages", "SOHUCS", "comment", "yidun", "captcha", "content",
                                                "main", "article", "-", "_", "box", "btn", "x"]),
                               st.text(max_size=3)), max_size=4).map("".join)


@settings(max_examples=1000)
@given(DOM_TOKEN)
def test_the_dom_rule_gate_passes_every_token_some_rule_matches(token):
    assert (_ANY_DOM_RULE.search(token) is not None) == any(rule.search(token) for rule in DOM_RULES.values())
