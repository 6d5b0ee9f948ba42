"""The text of an attached document (PDF, DOCX), for ``attachments[].text``.

What users study is often the attached file itself: the PDF of a notice, the Word file of a
plan. ``ATTACHMENT_TEXT = True`` puts its text in the item, read with pypdf (PDF) and
python-docx (DOCX), both maintained and pure Python. Other kinds (doc, wps, et, ofd, xls …)
have no text here: their readers are native programs or unmaintained.

A file comes from a site, so it is hostile input: any reader error makes it
:class:`UnreadableDocument`, never a crash; a DOCX whose parts would inflate past
:data:`MAX_INFLATED` is refused before it is read (a zip bomb is small on the wire and
DOWNLOAD_MAXSIZE caps only that); the text is cut at ``max_chars``.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile

#: Kinds (pipelines.attachments.FILE_KINDS) whose text can be read.
READABLE_KINDS = ("pdf", "docx")
#: Most bytes a DOCX's parts may inflate to.
MAX_INFLATED = 64 * 1024 * 1024
_SPACES = re.compile(r"[^\S\n]+")  # any run of whitespace within a line


class UnreadableDocument(Exception):
    """The file is damaged, encrypted, too big inflated, or not what its kind says."""


def document_text(kind: str, body: bytes, max_chars: int, max_inflated: int = MAX_INFLATED) -> str | None:
    """The text of a ``kind`` file, one line per paragraph, at most ``max_chars``; None
    for a kind with no reader here. Raises :class:`UnreadableDocument`."""
    if kind not in READABLE_KINDS:
        return None
    try:
        lines = _pdf_lines(body) if kind == "pdf" else _docx_lines(body, max_inflated)
        text = "\n".join(line for line in (_SPACES.sub(" ", raw).strip() for raw in lines) if line)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a third-party reader on hostile bytes: any error is "unreadable"
        raise UnreadableDocument(f"{type(exc).__name__}: {exc}") from exc
    return text[:max_chars]


def _pdf_lines(body: bytes) -> list[str]:
    from pypdf import PdfReader  # only crawls with ATTACHMENT_TEXT import it

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings name byte offsets, not the file
    reader = PdfReader(io.BytesIO(body))
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnreadableDocument("encrypted")
    return [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]


def _docx_lines(body: bytes, max_inflated: int) -> list[str]:
    from docx import Document

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        inflated = sum(member.file_size for member in archive.infolist())
    if inflated > max_inflated:
        raise UnreadableDocument(f"inflates to {inflated} bytes (limit {max_inflated})")
    document = Document(io.BytesIO(body))
    lines = [paragraph.text for paragraph in document.paragraphs]
    seen: list[object] = []  # a merged cell is listed once per grid cell it spans
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell._tc not in seen:  # lxml elements compare by identity
                    seen.append(cell._tc)
                    lines.append(cell.text)
    return lines
