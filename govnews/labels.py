"""The label words of Chinese news pages, shared by the finders that locate meta lines and
footers (spiders.heuristics), the noise stage that moves them out of the body, and the meta
stage that reads them: one vocabulary, so what one finds the others read.

Traditional forms are listed where mirrors print them and text is read before conversion.
"""

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
