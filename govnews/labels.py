"""The label words of Chinese news pages, shared by the finders that locate meta lines and
footers (spiders.heuristics), the noise stage that moves them out of the body, and the meta
stage that reads them: one vocabulary, so what one finds the others read.

Traditional forms are listed where mirrors print them and text is read before conversion.
"""

import re

SOURCE_LABELS = ("来源", "來源", "来源于", "文章来源", "稿件来源", "信息来源", "新闻来源", "文字来源", "资料来源", "稿源",
                 "出处", "供稿")
AUTHOR_LABELS = ("作者", "记者", "記者", "通讯员", "通訊員", "撰稿", "撰文", "文")
#: In order of preference: the responsible editor, then any editor, then the final reviewer.
#: 选稿 is the duty editor who picked a repost (东方网 and kin).
EDITOR_LABELS = ("责任编辑", "責任編輯", "责编", "网络编辑", "值班编辑", "编辑", "編輯", "选稿", "终审", "終審",
                 "审核", "審核", "签发")
#: Labels of the lines below an article (作者：…, 责任编辑：…), longest first.
FOOTER_LABELS = tuple(sorted({*SOURCE_LABELS, *AUTHOR_LABELS, *EDITOR_LABELS}, key=len, reverse=True))
#: Words that lead a location bar (您的位置：首页 > …), longest first.
CRUMB_LABELS = ("您现在的位置", "你现在的位置", "您所在的位置", "现在的位置", "现在位置", "当前的位置", "您的位置", "你的位置",
                "当前位置", "當前位置", "所在位置", "当前页面", "位置")
#: Labels of a 政府信息公开 page's metadata block, by the field of ``Article.disclosure`` they fill.
DISCLOSURE_LABELS = {
    "index_no": ("索引号", "信息索引号", "索取号"),
    "doc_no": ("发文字号", "文号", "发文号", "文件编号"),
    "issuer": ("发布机构", "发文机关", "发文单位", "发布单位", "制发机关", "公开责任部门"),
    "written_at": ("成文日期", "成文时间", "发文日期"),
    "subject": ("主题分类", "主题类别", "信息分类"),
    "validity": ("有效性", "效力状态", "时效性", "是否有效"),
}
#: The fields only a disclosure block prints; 发布单位 and 发文日期 head plain news stories too, so
#: a block needs one of these besides any other field.
DISCLOSURE_KEY_FIELDS = frozenset({"index_no", "doc_no"})
DISCLOSURE_FIELD_OF = {label: name for name, labels in DISCLOSURE_LABELS.items() for label in labels}
#: Other labels such a block holds: they end the value before them and fill no field.
DISCLOSURE_OTHER_LABELS = ("名称", "标题", "文件名称", "发布日期", "公开日期", "生效日期", "废止日期", "实施日期", "关键词",
                           "主题词", "公开方式", "公开范围", "公开形式", "体裁分类", "组配分类", "服务对象分类", "内容概述",
                           "统一编号", "登记号", "信息来源", "生成日期")


def spaced(label: str) -> str:
    """Regex of ``label`` as pages print it, spaces allowed between its characters (索 引 号)."""
    return r"[\s\u3000]*".join(map(re.escape, label))
