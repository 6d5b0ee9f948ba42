"""Script stage: mirror pinyin, Traditional → Simplified, width folding, mojibake."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from govnews.items import Article
from pipelines.script import (
    HAN,
    MIXED_MIN_COUNT,
    MIXED_MIN_SHARE,
    SCRIPTS,
    ScriptPipeline,
    detect_mojibake,
    detect_script,
    fold_width,
    normalize_text,
    _dictionary,
    _may_be_traditional,
    _script_counts,
    strip_pinyin,
)

# Lines of seed 003 (Traditional mirror with pinyin annotations) and their Simplified
# originals; lines of seeds 000/001/004 (Simplified, served with full-width forms).
NORMALIZE_CASES = [
    # seed 003
    ("市直機(jī)關(guān)干部下沉社區(qū)堅(jiān)決筑牢疫情防控第一線", "市直机关干部下沉社区坚决筑牢疫情防控第一线"),
    ("疫情發(fā)生以來，全市2萬余名機(jī)關(guān)干部積極響應(yīng)號召",
     "疫情发生以来,全市2万余名机关干部积极响应号召"),
    ("市檢察院作為首批對點(diǎn)支援單位,參與安寧封控小區(qū)黃河家園疫情防控工作",
     "市检察院作为首批对点支援单位,参与安宁封控小区黄河家园疫情防控工作"),
    ("請派我去抗疫第一線", "请派我去抗疫第一线"),
    ("志愿者在抗“疫”一線開展工作", "志愿者在抗“疫”一线开展工作"),
    ("等疫情過去了,媽媽回家好好陪你", "等疫情过去了,妈妈回家好好陪你"),
    ("志愿者協(xié)助錄入核酸檢測信息", "志愿者协助录入核酸检测信息"),
    ("眾人拾柴火焰高", "众人拾柴火焰高"),
    ("老式三輪車誰會(huì)騎？“我會(huì)”；", "老式三轮车谁会骑?“我会”;"),
    ("電動(dòng)三馬子誰會(huì)開?“我來”;", "电动三马子谁会开?“我来”;"),
    ("第一天竟然帶著幼兒園大班的小女兒一起當(dāng)志愿者", "第一天竟然带着幼儿园大班的小女儿一起当志愿者"),
    ("版權(quán)聲明:", "版权声明:"),
    # seeds 000 / 001 / 004: unchanged apart from width folding
    ("来源：市委会宣传处|作者：市委会宣传处|时间：2022-11-24 22:29:38",
     "来源:市委会宣传处|作者:市委会宣传处|时间:2022-11-24 22:29:38"),
    ("同心抗疫重庆民进在行动——“我们也是党的干部！”", "同心抗疫重庆民进在行动——“我们也是党的干部!”"),
    ("彭邦根主动承担起基层数据核查、管控台账整理、出入渝政策解答和申请办理等工作。",
     "彭邦根主动承担起基层数据核查、管控台账整理、出入渝政策解答和申请办理等工作。"),
    ("四川省地方志办政工简讯2022年第36期（总第97期）", "四川省地方志办政工简讯2022年第36期(总第97期)"),
    ("网站不支持您所使用的浏览器版本(可能会出现网页变形等问题)。",
     "网站不支持您所使用的浏览器版本(可能会出现网页变形等问题)。"),
    ("各界导报宝鸡讯 ( 张兰)这是一场没有硝烟的战争", "各界导报宝鸡讯 ( 张兰)这是一场没有硝烟的战争"),
    ("1月27日(年初三)、1月28日(年初四)连续2天", "1月27日(年初三)、1月28日(年初四)连续2天"),
    ("“不用谢，因为我们是共产党员。”", "“不用谢,因为我们是共产党员。”"),
    # Simplified text that t2s would damage stays as it is
    ("乾隆年间於姓后人著书,吃了么", "乾隆年间於姓后人著书,吃了么"),
    ("我们要了解情况,瞭望远方", "我们要了解情况,瞭望远方"),
    # real parentheses are never pinyin annotations
    ("世界卫生组织(WHO)发布(COVID-19)指南", "世界卫生组织(WHO)发布(COVID-19)指南"),
    ("　　本报讯（记者 王某）", "  本报讯(记者 王某)"),
    ("拼音写作 (jī guān) 或 Beijing(jī)", "拼音写作 (jī guān) 或 Beijing(jī)"),
    ("选项(a)和(ok),好(ok)", "选项(a)和(ok),好(ok)"),
    ("咖啡(café)与饕餮(tāo tiè)", "咖啡(café)与饕餮(tāo tiè)"),
    ("(2023)年度报告", "(2023)年度报告"),
    # annotation variants
    ("機（jī）關（guān）", "机关"),
    ("市委機構編制委員會(huì )辦公室的創(chuàng )傷", "市委机构编制委员会办公室的创伤"),  # a mirror's spaced form
    ("機(jī)(guān)", "机"),
    ("我們(men)機(jī)關(guān)", "我们机关"),  # toneless syllable chained to toned ones
    ("什麼(me)都有", "什么都有"),  # toneless, but after a character only Traditional writes
    ("我們(men)都有", "我们都有"),
    ("这是我的(de)书", "这是我的(de)书"),  # a lone toneless syllable after a shared character stays
    # an author's reading aid on a Simplified page is content; so is a unit after a Traditional word
    ("犍(qián)为县、郫(pí)都区和邛(qióng)崃市", "犍(qián)为县、郫(pí)都区和邛(qióng)崃市"),
    ("隧道全長(m)：1200", "隧道全长(m):1200"),
    ("有著(zhe)悠久歷(lì)史(shǐ),這(zhè)意味著(zhe)什麼(me)", "有着悠久历史,这意味着什么"),  # 著: mirrors write 着 so
    # mirrors that drop the tone marks and put a space after each annotation
    ("在社會(hui) 變遷中記錄人間百態", "在社会变迁中记录人间百态"),
    ("立於(yu) 時代潮頭,靠的是什麽(me) ?", "立于时代潮头,靠的是什么?"),
    ("記者們(men) 從(cong) 世界各地傳(chuan) 遞訊息", "记者们从世界各地传递讯息"),
    ("全市萬(wan) 2人參加,再推動(dong) 40部", "全市万2人参加,再推动40部"),
    ("據(ju) 瞭(liao) 解,", "据了解,"),  # 瞭 is shared by both scripts: chained across the space
    ("全市萬(wàn) 2人", "全市万 2人"),  # after a toned annotation the space is the text's own
    # a toned annotation's following space is the text's own, as in a two-part title
    ("兰州市中小學(xué)有序開(kāi)展線(xiàn)上教學(xué) “雲(yún)端課堂”", "兰州市中小学有序开展线上教学 “云端课堂”"),
    ("ＡＢＣ１２３！", "ABC123!"),
    ("", ""),
]


@pytest.mark.parametrize("raw, expected", NORMALIZE_CASES)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize_text(expected) == expected


def test_fold_setting_off_keeps_full_width():
    assert normalize_text("来源：市委会（宣传处）", fold=False) == "来源：市委会（宣传处）"
    assert normalize_text("機（jī）關（guān）：", fold=False) == "机关："


def test_strip_pinyin_and_fold_width():
    assert strip_pinyin("市直機(jī)關(guān)干部") == "市直機關干部"
    assert strip_pinyin("( 张兰)(2023)(COVID-19)(总第97期)（记者 王某）") == "( 张兰)(2023)(COVID-19)(总第97期)（记者 王某）"
    assert strip_pinyin("Xi (jī) a(jī) 的(de)") == "Xi (jī) a(jī) 的(de)"
    # What damage left of an annotation goes; the lost character's ``?`` stays, unguessed.
    assert strip_pinyin("我?guī)ь^，重?fù)?dān)") == "我?ь^，重??"
    assert strip_pinyin("What?no) 为什么?lol)") == "What?no) 为什么?lol)"
    assert strip_pinyin("當?shù)弥鐓^(qū)書記") == "當?弥鐓^書記"
    assert strip_pinyin("What?(no) x^(2) 为什么?(de)") == "What?(no) x^(2) 为什么?(de)"
    assert fold_width("“Ｈｉ，”—\u3000！～") == "“Hi,”— !~"


@pytest.mark.parametrize("text, script", [
    ("市直機(jī)關(guān)干部下沉社區(qū)堅(jiān)決筑牢疫情防控第一線", "hant"),
    ("凡文章來源為\"蘭州新聞網(wǎng)\"的稿件,均為蘭州新聞網(wǎng)獨(dú)家版權(quán)所有", "hant"),
    ("後來", "hant"),
    ("当前,重庆疫情形势严峻复杂,重庆民进各级组织和广大会员积极奋战在疫情防控各条战线。", "hans"),
    ("这就是我们的党员,在祖国危难时刻,不畏艰险,挺身而出,把人民的利益放在心上。\n\n分享到:\n\n相關文章:", "hans"),
    ("乾隆", "hans"),  # 乾 is also Simplified: no evidence either way
    ("中国人民", "hans"),  # no distinguishing character at all
    ("我们是共产党员,这是一场没有硝烟的战争。疫情發生以來,全市機關幹部積極響應號召。", "mixed"),
    ("", "none"),
    ("COVID-19 (2023) jī guān ！", "none"),
])
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_pinyin_does_not_affect_script():
    assert detect_script("機(jī)關(guān)") == detect_script("機關") == "hant"


@pytest.mark.parametrize("text", [
    "“我是黨員我?guī)ь^”。疫情突如其來",
    "勇挑重?fù)?dān)、忘我工作的大局意識",
    "他說?!皠e看了",
    "無(wú)新增確診病人?！艾F在物資供應",
    "疫情\ufffd防控",
    "ä¸­æ–‡ç½‘",
    "市直機?jī",
    "社区ь干部",
    "ÊÐÕþ¸®ÕÙ¿ª³£Îñ»áÒé", "ÊÐÕþ¸®",  # GBK read as ISO-8859-1
])
def test_mojibake_positive(text):
    assert detect_mojibake(text)


@pytest.mark.parametrize("text", [
    "你什么时候回家?",
    "你什么时候回家？",
    "为什么?我不知道。",
    "真的吗?!太好了",
    "老式三輪車誰會(huì)騎?“我會(huì)”;",
    "使用iPhone 14的用户越来越多,什么?iPhone也行",
    "COVID-19疫情,5G网络,B超室,哆啦A梦",
    "α粒子与γ射线",
    "俄罗斯总统普京(Путин)说",
    "2.39万名干部,第36期(总第97期),电话:0931-1234567",
    "What? Is it OK?",
    "Größe und Qualität, café crème, São Paulo",
    "",
])
def test_mojibake_negative(text):
    assert not detect_mojibake(text)


# --- properties ------------------------------------------------------------------------

_CJK = "機關干部社區堅決築筑线線乾隆於後后麽么著着藉瞭覆徵清宮宫薴苧發发里裡臺台這这們们的是了"
_PIECES = st.one_of(
    st.sampled_from(list(_CJK)),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(["(jī)", "(guān)", "(de)", "(men)", "（qū）", "(ｊī)", "(café)", "(ok)", "(WHO)",
                     "(jī guān)", "(", ")", "（", "）", "?", "!", "？", "\n", "\n\n", " ", "\u3000"]),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.characters(),
)
MIXED_TEXT = st.lists(_PIECES, max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(), MIXED_TEXT)


@settings(deadline=None, max_examples=1500)
@given(ANY_TEXT, st.booleans())
def test_normalize_is_idempotent_and_never_raises(text, fold):
    once = normalize_text(text, fold)
    assert normalize_text(once, fold) == once
    assert detect_script(text) in SCRIPTS
    assert isinstance(detect_mojibake(text), bool)


@settings(deadline=None, max_examples=500)
@given(ANY_TEXT)
def test_simplified_han_characters_are_never_touched(text):
    import re

    if detect_script(text) in {"hans", "none"}:
        han = re.compile(f"[{HAN}]")
        assert han.findall(normalize_text(text)) == han.findall(fold_width(text))



#: Any Han character (all ranges), Traditional-only, Simplified-only and shared ones alike.
HAN_TEXT = st.lists(st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                              st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
                              st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
                              st.characters(min_codepoint=0x20000, max_codepoint=0x3134F), _PIECES),
                    max_size=30).map("".join)


@settings(deadline=None, max_examples=1500)
@given(st.one_of(ANY_TEXT, HAN_TEXT))
def test_the_script_is_the_one_its_character_counts_give(text):
    """detect_script answers hans at once for a text t2s could not change a character of;
    that shortcut must never differ from counting every character."""
    han, trad, simp = _script_counts(text)
    minority = min(trad, simp)
    expected = ("none" if not han else "mixed" if minority >= MIXED_MIN_COUNT and minority >= MIXED_MIN_SHARE * (trad + simp)
                else "hant" if trad > simp else "hans")
    assert detect_script(text) == expected

#: The characters t2s changes alone (its character table's keys and one-character
#: phrases), those beyond the BMP (CJK Extension B and on) among them.
T2S_KEYS = frozenset({*_dictionary("TSCharacters.txt"), *(k for k in _dictionary("TSPhrases.txt") if len(k) == 1)})
ASTRAL_KEYS = sorted(key for key in T2S_KEYS if ord(key) > 0xFFFF)


@settings(deadline=None, max_examples=1000)
@given(st.lists(st.one_of(st.sampled_from(sorted(T2S_KEYS)), st.sampled_from(ASTRAL_KEYS), _PIECES,
                          st.characters(min_codepoint=0x20000, max_codepoint=0x3134F)), max_size=12).map("".join))
def test_the_traditional_prefilter_finds_the_first_t2s_key(text):
    """The BMP keys' bitmap and the astral keys' class behind it find what one class of
    all keys found: the first character t2s could change, wherever it lies."""
    assert ASTRAL_KEYS  # the case the split is for
    found = _may_be_traditional().search(text)
    assert (found.start() if found else None) == next((i for i, c in enumerate(text) if c in T2S_KEYS), None)


# --- pipeline ---------------------------------------------------------------------------

MIRROR_BODY = "\n\n".join([
    "疫情發(fā)生以來，全市2萬余名機(jī)關(guān)干部積極響應(yīng)號召",
    "“我報(bào)名”“我參加”“請組織派我去”“我是黨員我?guī)ь^”。疫情突如其來",
    "志愿者協(xié)助錄入核酸檢測信息",
    "勇挑重?fù)?dān)、忘我工作的大局意識和奉獻(xiàn)精神",
])


def mirror_item(**overrides):
    values = dict(
        url="https://mirror.example.com/a/1.html", portal="lzmirror", template="city_news",
        title="市直機(jī)關(guān)干部下沉社區(qū)堅(jiān)決筑牢疫情防控第一線",
        subtitle="請派我去抗疫第一線", body=MIRROR_BODY, source="蘭州新聞網(wǎng)",
        author=["馬麗娜"], editor="張廣", published_at_raw="時間：2022-10-24",
        breadcrumb=["首頁", "蘭州新聞"], tags=["疫情防控", "機(jī)關(guān)干部"],
        images=[{"src": "https://mirror.example.com/1.jpg", "caption": "志愿者協(xié)助錄入核酸檢測信息"},
                {"src": "https://mirror.example.com/2.jpg", "caption": None}],
        raw={"meta_text": "來源：蘭州新聞網(wǎng)", "breadcrumb_text": "當前位置：首頁 > 蘭州新聞",
             "footer_lines": ["責任編輯：張廣"], "body_html": "<p>機(jī)</p>"},
    )
    values.update(overrides)
    return Article(**values)


def run(item, **settings_dict):
    crawler = get_crawler(settings_dict=settings_dict)
    pipeline = ScriptPipeline.from_crawler(crawler)
    item = pipeline.process_item(item)
    stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("script/")}
    return item, stats


def test_pipeline_on_a_traditional_mirror_page():
    item, stats = run(mirror_item())
    assert item.script == "hant"
    assert item.flags == ["mojibake"]
    assert item.title == "市直机关干部下沉社区坚决筑牢疫情防控第一线"
    assert item.subtitle == "请派我去抗疫第一线"
    assert item.body == "\n\n".join([
        "疫情发生以来,全市2万余名机关干部积极响应号召",
        "“我报名”“我参加”“请组织派我去”“我是党员我?ь^”。疫情突如其来",
        "志愿者协助录入核酸检测信息",
        "勇挑重??、忘我工作的大局意识和奉献精神",
    ])
    assert (item.source, item.author, item.editor) == ("兰州新闻网", ["马丽娜"], "张广")
    assert item.published_at_raw == "时间:2022-10-24"
    assert item.breadcrumb == ["首页", "兰州新闻"] and item.tags == ["疫情防控", "机关干部"]
    assert [i["caption"] for i in item.images] == ["志愿者协助录入核酸检测信息", None]
    assert item.raw["meta_text"] == "来源:兰州新闻网"
    assert item.raw["breadcrumb_text"] == "当前位置:首页 > 兰州新闻"
    assert item.raw["footer_lines"] == ["责任编辑:张广"]
    assert item.raw["body_html"] == "<p>機(jī)</p>"  # HTML hand-over is not a text field
    assert stats == {"script/hant": 1, "script/converted": 1, "script/pinyin_stripped": 1,
                     "script/mojibake": 1}


def test_pipeline_keeps_existing_flag_once_and_reprocessing_changes_nothing():
    item, _ = run(mirror_item(flags=["mojibake"]))
    assert item.flags == ["mojibake"]
    fields = (item.title, item.body, item.source, item.tags)
    again, stats = run(item)
    assert (again.title, again.body, again.source, again.tags) == fields
    assert stats == {"script/hans": 1, "script/mojibake": 1}


def test_pipeline_on_a_simplified_page():
    body = "各界导报宝鸡讯 （ 张兰）这是一场没有硝烟的战争。\n\n1月27日(年初三)连续2天\n\n分享到：\n\n相關文章："
    item, stats = run(Article(url="https://gjdb.example.cn/1.html", portal="gjdb", template="city_news",
                              title="“不用谢，因为我们是共产党员。”", body=body, author=["张兰"]))
    assert item.script == "hans" and item.flags == []
    assert item.title == "“不用谢,因为我们是共产党员。”"
    assert item.body == "各界导报宝鸡讯 ( 张兰)这是一场没有硝烟的战争。\n\n1月27日(年初三)连续2天\n\n分享到:\n\n相關文章:"
    assert stats == {"script/hans": 1}


def test_pipeline_fold_width_setting():
    item, _ = run(mirror_item(title="来源：市委会"), FOLD_WIDTH=False)
    assert item.title == "来源：市委会"
    assert item.body.startswith("疫情发生以来，全市2万余名机关干部")
