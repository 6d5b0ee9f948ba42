"""Script normalization: every text field comes out Simplified, width-folded and clean.

Users compare mirror copies against the Simplified originals, so a Traditional mirror page
(seed 003: ``市直機(jī)關(guān)干部…``) must come out exactly as the origin prints it
(``市直机关干部…``), and a Simplified page must come out *unchanged* apart from width
folding: OpenCC's t2s is lossy on Simplified text (乾→干, 於→于, 麽→么, 後→后, 瞭解→了解 …
although 乾隆, the surname 於, 瞭望 are correct Simplified), so it only runs on text that
is actually Traditional.

Steps of :func:`normalize_text`, in this order so that no step can re-create work for an
earlier one; with detection they repeat to a fixed point, hence idempotence:

1. :func:`fold_width` – full-width ASCII forms → ASCII (also turns ``（jī）`` into ``(jī)``).
2. :func:`strip_pinyin` – drop the mirror's ``字(zì)`` annotations.
3. t2s, decided by :func:`detect_script` (or the item-level script the pipeline passes).

:func:`detect_mojibake` flags re-encoding damage, which no conversion can repair.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

import opencc
from opencc import OpenCC
from scrapy.crawler import Crawler

from govnews.items import Article

logger = logging.getLogger(__name__)

# --- character classes ------------------------------------------------------------------

#: Han ideographs: Ext A, URO, compatibility, Ext B–H.  Every key of OpenCC's t2s/s2t
#: dictionaries lies in these ranges, so conversion never touches anything else.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{HAN}]")
_HAN_RUN = re.compile(f"[{HAN}]+")

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_LETTERS = "a-zü" + _TONED
_DEACCENT = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ", "aaaaeeeeiiiioooouuuuüüüünnnm")
#: One pinyin syllable (toneless spelling): initial + final, or a syllabic nasal.
#: Rejects look-alikes such as ``café`` or ``résumé``, accepts every real syllable.
_SYLLABLE = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|üan|ang|eng|ing|ong|iao|ian|uai|uan|uen|ai|ao|an|ei|en|er|"
    r"ia|ie|in|iu|ou|ua|ui|un|uo|üe|ün|ue|a|o|e|i|u|ü|ê)|m|n|ng|hm|hng)"
)
#: A parenthesised single word directly after a Han character (ASCII or full-width
#: parentheses; a mirror emits one syllable per converted character, some mirrors with a
#: space before the closing parenthesis: ``會(huì )``), or after the ``?``/``^`` a
#: re-encoding left of one (``鐓^(qū)``; toned only, see _annotation_spans).
_ANNOTATION = re.compile(f"(?<=[{HAN}?^])[(（]([{_PINYIN_LETTERS}]{{1,6}}) ?[)）]")
#: What a re-encoding leaves of an annotation when it lost the character and the opening
#: parenthesis: ``我?guī)ь^`` (我带头), ``重?fù)?dān)`` (重担).  Toned syllables only.
_ORPHAN = re.compile(f"(?<=\\?)([{_PINYIN_LETTERS}]{{1,6}}) ?[)）]")

#: Syllabic nasals: toneless they are units or letters ((m), (n)), not a mirror's pinyin.
_NASALS = {"m", "n", "ng", "hm", "hng"}

#: A full-width form, and the ASCII it folds to. ``str.translate`` looks every
#: character of a non-ASCII text up in the table (100 ns each); the regex skips the rest of
#: the text in C, and a line holds few full-width forms: several times faster.
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_NARROW = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "}

SCRIPTS = ("hans", "hant", "mixed", "none")

#: detect_script: the minority script must reach both bounds for ``mixed``.  A handful of
#: stray characters (seed 004's template ``相關文章`` on a Simplified page, the ``干部``
#: a mirror leaves unconverted) never does; a quoted Traditional paragraph in a long
#: Simplified article does not either unless it is a fifth of the evidence.
MIXED_MIN_COUNT = 5
MIXED_MIN_SHARE = 0.2

# --- OpenCC, built once and lazily ---------------------------------------------------------


@functools.cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


@functools.cache
def _s2t() -> OpenCC:
    return OpenCC("s2t")


@functools.cache
def _dictionary(filename: str) -> dict[str, list[str]]:
    """One of OpenCC's character dictionaries: character → its counterparts.

    The converters' public API cannot say which characters are valid in both scripts or
    what a character may be converted to, so the package's own dictionary is read; if it
    is missing the classification just gets a little less precise.
    """
    found: dict[str, list[str]] = {}
    try:
        with open(Path(opencc.__file__).parent / "dictionary" / filename, encoding="utf-8") as fh:
            for line in fh:
                key, _, values = line.rstrip("\n").partition("\t")
                found[key] = values.split(" ")
    except OSError:  # pragma: no cover - packaging problem, degrade gracefully
        logger.warning("OpenCC dictionary %s not found; script detection less precise", filename)
    return found


@functools.cache
def _self_candidates(filename: str) -> frozenset[str]:
    """Characters OpenCC lists among their own counterparts, i.e. valid in both scripts.

    ``STCharacters.txt`` has ``干\t幹 乾 干``: 干 is also Traditional (干涉), so it is no
    evidence of Simplified; ``TSCharacters.txt`` has ``乾\t干 乾``: 乾 is also Simplified (乾隆).
    """
    return frozenset(key for key, values in _dictionary(filename).items() if key in values)


@functools.cache
def _traditional_forms() -> frozenset[str]:
    """Every character a Simplified→Traditional conversion may write (幹, 乾, 於, 著 …):
    the characters a mirror converted, hence the only ones it annotates. 著 is added by
    hand: mirrors write the particle 着 as 著, a phrase-level choice OpenCC's table lacks."""
    forms = {value for key, values in _dictionary("STCharacters.txt").items() for value in values if value != key}
    return frozenset(forms | {"著"})


_NEUTRAL, _TRAD, _SIMP, _CONVERTIBLE = 0, 1, 2, 3


@functools.cache
def _may_be_traditional() -> re.Pattern[str]:
    """Any character t2s can change on its own (a key of its character table, or a phrase
    of one character): every ``_TRAD`` one is among them. Most lines of a Simplified page
    hold none, and one regex search tells so without classing each character.

    The keys beyond the BMP (354 of ~4100, CJK Extension B and on) are a class of their
    own behind a one-range test: a class holding any of them is one ``re`` checks item by
    item (~650 ns a character of text), a class of BMP characters alone is a bitmap (~7 ns).
    """
    keys = {*_dictionary("TSCharacters.txt"), *(key for key in _dictionary("TSPhrases.txt") if len(key) == 1)}
    bmp = "".join(sorted(re.escape(key) for key in keys if key <= "\uffff"))
    astral = "".join(sorted(re.escape(key) for key in keys if key > "\uffff"))
    return re.compile(f"[{bmp}]" + (f"|[\U00010000-\U0010ffff](?<=[{astral}])" if astral else ""))


@functools.lru_cache(maxsize=1 << 17)
def _char_class(ch: str) -> int:
    """Evidence one Han character gives: Traditional-only, Simplified-only or neither.

    ``_TRAD``: t2s changes it, s2t does not, and it is not also a Simplified form.
    ``_SIMP``: the mirror image.  ``_CONVERTIBLE``: t2s changes it but it is no evidence
    (乾, 於, 麽 …).  Variants both converters change (麽, 藴) count for neither script.
    """
    t_changes = _t2s().convert(ch) != ch
    s_changes = _s2t().convert(ch) != ch
    if t_changes and not s_changes and ch not in _self_candidates("TSCharacters.txt"):
        return _TRAD
    if s_changes and not t_changes and ch not in _self_candidates("STCharacters.txt"):
        return _SIMP
    return _CONVERTIBLE if t_changes else _NEUTRAL


# --- public text functions ---------------------------------------------------------------


def fold_width(text: str) -> str:
    """Full-width ASCII forms U+FF01–U+FF5E → ASCII, ideographic space → space.

    Pages serve ``来源：`` and ``，``; the origin sites and the users' references use the
    folded form.  Curly quotes and dashes (“ ” —) are real typography and stay.
    """
    return _WIDE.sub(_narrow, text)


def _narrow(match: re.Match[str]) -> str:
    return _NARROW[match.group()]


def _annotation_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the mirror annotations in ``text`` (see :func:`strip_pinyin`)."""
    found: list[tuple[int, int, bool]] = []  # start, end, surely an annotation
    for m in _ANNOTATION.finditer(text):
        word = m.group(1)
        if _SYLLABLE.fullmatch(word.translate(_DEACCENT)):
            # After a character a mirror converts (們(men), 於(yu), 著(zhe); toned or, on
            # mirrors that drop tone marks, toneless: 會(hui) 變遷): the mirror annotates
            # exactly the characters it converted. Elsewhere it may be the author's own
            # reading aid (犍(qián)为, 邛(qióng)崃) or a unit (間(min), 長(m)), kept unless
            # chained to sure ones; a toneless bare nasal (m, n, ng) never counts. A toned
            # one after the ?/^ a re-encoding left of its character is sure too.
            before = text[m.start() - 1]
            toned = any(c in _TONED for c in word)
            if not toned and word in _NASALS:
                continue
            converted = before in _traditional_forms() or _char_class(before) in (_TRAD, _CONVERTIBLE)
            found.append((m.start(), m.end(), converted or toned and before in "?^"))
    for m in _ORPHAN.finditer(text):
        word = m.group(1)
        if any(c in _TONED for c in word) and _SYLLABLE.fullmatch(word.translate(_DEACCENT)):
            found.append((m.start(), m.end(), True))
    found.sort()
    keep = [sure for _, _, sure in found]
    # Another toneless syllable counts only when chained to a stripped one, one Han char
    # apart (``據(ju) 瞭(liao) 解``): ``的(de)機(jī)`` – never on its own (``(de)``, ``(an)``
    # may be real text).
    changed = True
    while changed:
        changed = False
        for i, (start, end, _) in enumerate(found):
            if keep[i]:
                continue
            prev_ok = i > 0 and keep[i - 1] and _one_char_apart(text, found[i - 1][1], start)
            next_ok = i + 1 < len(found) and keep[i + 1] and _one_char_apart(text, end, found[i + 1][0])
            if prev_ok or next_ok:
                keep[i] = changed = True
    return [(s, e) for (s, e, _), k in zip(found, keep) if k]


def _one_char_apart(text: str, end: int, start: int) -> bool:
    """Whether one character (after the space some mirrors write) parts two annotations."""
    gap = text[end:start]
    return len(gap.removeprefix(" ")) == 1


def strip_pinyin(text: str) -> str:
    """Remove mirror pinyin annotations: ``機(jī)關(guān)`` → ``機關``.

    An annotation is one parenthesised pinyin syllable (toned or not) directly after a
    character a Simplified→Traditional conversion writes (機, 們, 於, 著): a mirror annotates
    exactly the characters it converted. After any other character it is stripped only
    when chained to a stripped one, one character away; elsewhere it is the author's
    (``犍(qián)为``, ``的(de)``, a unit ``長(m)``) and stays. Real parentheses never match:
    they follow a space or Latin text (``( 张兰)``, ``COVID (jī)``), hold digits, capitals,
    several words or non-pinyin (``(2023)``, ``世界卫生组织(WHO)``, ``(总第97期)``, ``(café)``).
    A space some mirrors put after each annotation (``會(hui) 變遷``) goes with it.
    Multi-syllable glosses like ``饕餮(tāo tiè)`` are an author's content, not a mirror's,
    and stay.  What a re-encoding left of an annotation whose character became ``?``
    (``我?guī)ь^``) goes too; the ``?`` stays as the mark of the lost character.
    Repeated until nothing changes (``機(jī)(guān)`` leaves ``機(guān)``).
    """
    while True:
        if ")" not in text and "）" not in text:
            return text  # every annotation, orphans too, closes a parenthesis
        spans = _annotation_spans(text)
        if not spans:
            return text
        # Some mirrors write a space after each annotation, toneless (會(hui) 變遷, 動(dong) 40部):
        # that space goes with it. After a toned annotation a space is the text's own
        # (教學(xué) “雲端”) unless nearly every annotation of the text has one.
        spaced = sum(text[end:end + 1] == " " for _, end in spans)
        spacing_style = len(spans) >= 2 and spaced >= 0.8 * len(spans)
        parts, pos = [], 0
        for start, end in spans:
            parts.append(text[pos:start])
            following = text[end + 1:end + 2]
            toneless = not any(c in _TONED for c in text[start:end])
            drop_space = text[end:end + 1] == " " and bool(following) and (toneless or spacing_style)
            pos = end + 1 if drop_space else end
        parts.append(text[pos:])
        text = "".join(parts)


def _script_counts(text: str) -> tuple[int, int, int]:
    """(Han characters, Traditional-only, Simplified-only) in ``text``."""
    classes = list(map(_char_class, _HAN_RE.findall(text)))  # C loops: no Python step per character
    return len(classes), classes.count(_TRAD), classes.count(_SIMP)


def detect_script(text: str) -> str:
    """``hans``, ``hant``, ``mixed`` or ``none`` (no Han characters at all).

    Only characters that exist in one script count as evidence (see ``_char_class``);
    pinyin annotations are Latin and never count.  With T Traditional-only and S
    Simplified-only characters: ``mixed`` when min(T, S) ≥ MIXED_MIN_COUNT and
    min(T, S) ≥ MIXED_MIN_SHARE·(T+S); otherwise ``hant`` when T > S, else ``hans``
    (no evidence, or a tie, means leave the text alone).
    """
    try:
        if _may_be_traditional().search(text) is None:  # no Traditional-only character: T = 0
            return "hans" if _HAN_RE.search(text) else "none"
        han, trad, simp = _script_counts(text)
    except Exception:  # never raise on page text
        logger.exception("detect_script failed")
        return "none"
    if not han:
        return "none"
    minority = min(trad, simp)
    if minority >= MIXED_MIN_COUNT and minority >= MIXED_MIN_SHARE * (trad + simp):
        return "mixed"
    return "hant" if trad > simp else "hans"


#: OpenCC t2s keeps 著 as is, but Traditional writes the aspect particle (帶著, 隨著,
#: 意味著) and 著陸/著急/執著 with 著 where Simplified writes 着; Simplified keeps 著 only
#: in its zhù words (著名, 著作, 顯著/显著, 名著 …).  Runs before t2s (partners in both
#: scripts) so that t2s phrases spelt with 着 still apply (藉著 → 藉着 → 借着).
_ZHE = re.compile(
    "(?<![顯显卓名專专論论原巨編编譯译昭土遺遗合新拙傑杰力佳鴻鸿宏撰])著(?![名作稱称述錄录書书者有])"
)


def _to_simplified(text: str) -> str:
    """The 著 → 着 rule OpenCC lacks, then OpenCC t2s.

    One pass only: t2s is not idempotent (乾清宮 → 乾清宫 → 干清宫), and its first answer
    is the right one.  :func:`_normalize` re-detects the script before any further pass,
    and t2s output holds no Traditional-only characters, so it is not converted again.
    """
    return _t2s().convert(_ZHE.sub("着", text))


def _convert(text: str, script: str) -> str:
    """Traditional → Simplified as ``script`` asks.

    ``hant``: the whole text through t2s (phrases such as 瞭解 need context).  ``mixed``:
    only runs of Han characters holding a Traditional-only character, so the Simplified
    parts keep their 乾隆 and 於.  ``hans``/``none``: untouched.
    """
    if script == "hant":
        return _to_simplified(text)
    if script == "mixed":
        return _HAN_RUN.sub(_convert_run, text)
    return text


def _convert_run(match: re.Match[str]) -> str:
    run = match.group()
    return _to_simplified(run) if any(_char_class(c) == _TRAD for c in run) else run


def _normalize(text: str, fold: bool, script: str | None) -> tuple[str, bool, bool]:
    """(normalized, pinyin stripped?, Han converted?).

    Folding and stripping are idempotent and conversion (Han → Han) cannot create work for
    them, so only conversion can make a second pass differ.  With a given ``script`` the
    page's decision is applied once.  When detecting, passes repeat until the text stops
    changing (in practice: the second pass detects ``hans`` and stops), so the result is
    a fixed point and a second :func:`normalize_text` returns it unchanged.
    """
    stripped = converted = False
    for _ in range(1 if script else 8):
        step = fold_width(text) if fold else text
        unannotated = strip_pinyin(step)
        stripped |= unannotated != step
        result = _convert(unannotated, script or detect_script(unannotated))
        converted |= result != unannotated
        if result == text or result == unannotated:
            # Unchanged, or changed by folding and stripping alone: a pass over the result
            # would fold, strip and convert nothing more.
            text = result
            break
        text = result
    return text, stripped, converted


def normalize_text(text: str, fold: bool = True, *, script: str | None = None) -> str:
    """Fold width, strip mirror pinyin, and convert Traditional text to Simplified.

    ``script`` overrides per-text detection: the pipeline passes the item's script so all
    fields of one page are treated alike (a short Simplified field with a stray 於 must
    not be converted on its own).  Idempotent when detecting (the default); a forced
    ``hant`` is applied once, and t2s itself is not idempotent (薴 → 苧 → 苎), so re-run
    forced conversions only on raw text.  Never raises (logs, returns the input).
    """
    if not isinstance(text, str):
        return text
    try:
        return _normalize(text, fold, script)[0]
    except Exception:
        logger.exception("normalize_text failed")
        return text


# --- mojibake -----------------------------------------------------------------------------

#: Signals of re-encoding damage, each one unlikely in sound text:
_MOJIBAKE = {
    # U+FFFD: a decoder already gave up.  C1 controls: bytes decoded as Latin-1.
    "replacement": re.compile("[\ufffd\u0080-\u009f]"),
    # Mirror annotation whose character became ``?``: ``我?guī)``, ``重?fù)?dān)``.
    "orphan_pinyin": re.compile(f"\\?[a-zü]*[{_TONED}][{_PINYIN_LETTERS}]*[)）]"),
    # ``?`` between a character and tone-marked pinyin (truncated annotation): ``字?guī``.
    # English never carries tone marks, so ``什么?iPhone`` does not count.
    "question_in_word": re.compile(f"[{HAN})]\\?+[a-zü]*[{_TONED}]"),
    # Lost curly quote: ``?!皠e看``, ``?！艾F在`` – a lone Latin letter wedged between Han
    # characters right after a ``?``.  A lone letter elsewhere (``e家``) is not enough.
    "lost_quote": re.compile(f"\\?[!\"']?[{HAN}]{{1,2}}[A-Za-z][{HAN}]"),
    # Cyrillic letter with no Cyrillic neighbour (GBK's Cyrillic row): ``我?guī)ь^``.
    "stray_cyrillic": re.compile("(?<![\u0400-\u04ff])[\u0400-\u04ff](?![\u0400-\u04ff])"),
    # GBK read as Latin-1/cp1252 (Tomcat's default charset): ``ÊÐÕþ¸®`` (= 市政府), each
    # character two accented letters; real Latin text never runs four of them together.
    "gbk_latin1": re.compile("[\u00a1-\u00ff]{4}"),
    # UTF-8 read as Latin-1/cp1252: ``ä¸­æ–‡`` (= 中文).
    # Lead byte (Â…ï) followed by a continuation byte as Latin-1 or cp1252 shows it.
    "latin1_utf8": re.compile(
        "[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
        "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026]"
    ),
}


def detect_mojibake(text: str) -> bool:
    """True when ``text`` shows re-encoding damage (signals in ``_MOJIBAKE``).

    Checked on folded text, so a normal question (``你什么时候回家？`` → ``回家?``,
    ``为什么?我不知道``) is fine: ``?`` between Han characters or before punctuation,
    spaces, quotes and line ends never counts; only ``?`` glued to Latin/pinyin letters
    or an orphan annotation does.  Stray Cyrillic needs Han in the text (a Russian
    quotation has Cyrillic neighbours anyway).
    """
    try:
        if not isinstance(text, str) or not text:
            return False
        folded = fold_width(text)
        has_han = _HAN_RE.search(folded) is not None
        for name, pattern in _MOJIBAKE.items():
            if name == "stray_cyrillic" and not has_han:
                continue
            if pattern.search(folded):
                return True
        return False
    except Exception:
        logger.exception("detect_mojibake failed")
        return False


# --- pipeline ------------------------------------------------------------------------------


class ScriptPipeline:
    """Records the script a page was served in, flags mojibake, normalizes every field.

    Stats: ``script/<hans|hant|mixed|none>``, ``script/converted`` (items whose Han text
    changed), ``script/pinyin_stripped`` (items that had annotations), ``script/mojibake``.
    """

    TEXT_FIELDS = ("title", "subtitle", "body", "source", "editor", "published_at_raw")
    LIST_FIELDS = ("author", "breadcrumb", "tags")
    # Raw texts the meta and date stages parse after this one.
    RAW_FIELDS = ("meta_text", "breadcrumb_text")
    RAW_LISTS = ("footer_lines",)

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.fold = crawler.settings.getbool("FOLD_WIDTH", True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ScriptPipeline":
        return cls(crawler)

    def process_item(self, item: Article, spider: Any = None) -> Article:
        served = "\n".join(t for t in (item.title, item.body, item.subtitle) if isinstance(t, str))
        script = detect_script(served)
        item.script = script
        self.stats.inc_value(f"script/{script}")
        if detect_mojibake(item.title or "") or detect_mojibake(item.body or ""):
            if "mojibake" not in item.flags:
                item.flags.append("mojibake")
            self.stats.inc_value("script/mojibake")

        seen = {"stripped": False, "converted": False}

        def norm(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            # Per line: body paragraphs keep their exact "\n\n" structure.
            out = []
            for line in value.split("\n"):
                text, stripped, converted = _safe_normalize(line, self.fold, script)
                seen["stripped"] |= stripped
                seen["converted"] |= converted
                out.append(text)
            return "\n".join(out)

        for name in self.TEXT_FIELDS:
            setattr(item, name, norm(getattr(item, name)))
        for name in self.LIST_FIELDS:
            setattr(item, name, [norm(v) for v in getattr(item, name) or []])
        for image in item.images:
            if isinstance(image, dict) and "caption" in image:
                image["caption"] = norm(image["caption"])
        for key in self.RAW_FIELDS:
            if key in item.raw:
                item.raw[key] = norm(item.raw[key])
        for key in self.RAW_LISTS:
            if key in item.raw:
                item.raw[key] = [norm(v) for v in item.raw[key]]

        if seen["converted"]:
            self.stats.inc_value("script/converted")
        if seen["stripped"]:
            self.stats.inc_value("script/pinyin_stripped")
        return item


def _safe_normalize(text: str, fold: bool, script: str) -> tuple[str, bool, bool]:
    try:
        return _normalize(text, fold, script)
    except Exception:
        logger.exception("normalization failed")
        return text, False, False
