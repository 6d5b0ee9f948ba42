"""Which encoding a page's bytes are in, whatever the page declares.

The ``Content-Type`` charset, a BOM and ``<meta charset>`` are hints, and they lie: a site
migrated to UTF-8 keeps its old ``<meta charset=gb2312>``, and GBK sites are served under a
proxy's default ``charset=utf-8``. The bytes decide:

* a BOM names the encoding (Scrapy reads it first already);
* bytes that are valid UTF-8 and hold multi-byte sequences are UTF-8, whatever the label
  says: GBK text of any length is almost never valid UTF-8 by chance. A few invalid
  sequences among many valid ones (a GBK footer include in a UTF-8 page) do not change
  that: GBK read as UTF-8 gives about four invalid sequences for each valid one;
* a single-byte Western label (Tomcat's default ISO-8859-1) decodes any byte, so no U+FFFD
  shows it wrong: a page whose ``<meta charset>`` names a CJK codec its bytes decode in,
  strictly, is in that codec;
* otherwise the served label stands unless it decodes to U+FFFD all over; then the page's
  own ``<meta charset>``, GB18030 and UTF-8 are tried, strictly.

GB2312 and GBK labels always decode as GB18030, their superset (w3lib's table does this):
characters outside GB2312 (人名 such as 镕 or 堃) are common on these sites.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

#: Replacement characters per 1000 of a decoded page above which the served charset is doubted.
BAD_DECODE_PER_MILLE = 5
#: Codecs that read every byte as some character: decoding under them never fails.
_ANY_BYTE_CODECS = {"cp1252", "iso8859-1", "iso8859-15", "latin-1"}
#: Multi-byte East Asian codecs (as ``codecs.lookup`` names them) a page's <meta> may declare.
_CJK_CODECS = {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "euc_jp", "shift_jis", "cp932",
               "euc_kr", "cp949"}
#: A multi-byte UTF-8 sequence is at most this long: a page cut short may end inside one.
_UTF8_MAX_SEQUENCE = 4


#: Valid multi-byte UTF-8 sequences a page needs before stray bytes are forgiven, and how
#: many of them per invalid sequence.
STRAY_MIN_VALID = 100
STRAY_VALID_PER_INVALID = 20


def is_utf8_text(body: bytes) -> bool:
    """Whether ``body`` is UTF-8 with at least one multi-byte sequence (pure ASCII is no
    evidence either way). A sequence cut off at the very end (a truncated page) is allowed,
    and so are a stray few invalid ones among many valid (``STRAY_*``)."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(body) - _UTF8_MAX_SEQUENCE + 1:
            return True
        return _mostly_utf8(body)
    return True


def _mostly_utf8(body: bytes) -> bool:
    """Many valid multi-byte UTF-8 sequences and only a stray few invalid ones."""
    text = body.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - body.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - invalid
    return valid >= STRAY_MIN_VALID and invalid * STRAY_VALID_PER_INVALID <= valid


def better_encoding(body: bytes, served: str, text: str) -> str | None:
    """The encoding ``body`` is really in when it is not ``served`` (the one the response
    was decoded with, giving ``text``), else None."""
    if read_bom(body)[0]:
        return None  # a BOM is the one declaration that cannot be stale
    served_name = _name(served)
    if is_utf8_text(body):
        return "utf-8" if served_name != "utf-8" else None
    if served_name in _ANY_BYTE_CODECS:
        declared = _name(html_body_declared_encoding(body))
        if declared in _CJK_CODECS and _decodes(body, declared):
            return declared
    if text.count("\ufffd") * 1000 <= BAD_DECODE_PER_MILLE * max(len(text), 1):
        return None
    for candidate in dict.fromkeys(filter(None, (html_body_declared_encoding(body), "gb18030", "utf-8"))):
        name = _name(candidate)
        if name and name != served_name and _decodes(body, name):
            return name
    return None


def _decodes(body: bytes, codec: str) -> bool:
    """Whether every byte of ``body`` is ``codec`` text."""
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _name(label: str | None) -> str | None:
    """The codec a label decodes with (``gb2312``, ``GBK`` → ``gb18030``; ``utf8`` → ``utf-8``)."""
    resolved = resolve_encoding(label or "")
    if not resolved:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None
