"""The text of attached PDF and DOCX files (govnews.documenttext): read from real files
made here, and hostile bytes never crash the crawl."""

import io
import zipfile

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from govnews.documenttext import UnreadableDocument, document_text
from tests.documents import docx_bytes, pdf_bytes


def word_file(paragraphs, table=()):
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_gives_its_paragraphs_then_its_table_cells_once_each():
    body = word_file(["关于印发  实施方案的通知", "", "各区县：\u3000现将方案印发给你们。"],
                     table=[["索引号", "11510000/2022-00123"], ["附件", "附件"]])
    grid = Document(io.BytesIO(body)).tables[0]
    grid.cell(1, 0).merge(grid.cell(1, 1))  # a merged cell spans two grid cells
    merged = io.BytesIO()
    grid._parent.part.document.save(merged)
    assert document_text("docx", merged.getvalue(), 1000).splitlines() == [
        "关于印发 实施方案的通知", "各区县： 现将方案印发给你们。", "索引号", "11510000/2022-00123", "附件", "附件"]


def test_a_pdf_gives_the_text_it_shows():
    assert document_text("pdf", pdf_bytes("Implementation plan 2024"), 1000) == "Implementation plan 2024"


def test_text_is_cut_at_max_chars_and_other_kinds_have_none():
    assert document_text("pdf", pdf_bytes("Implementation plan 2024"), 14) == "Implementation"
    assert document_text("wps", b"anything", 1000) is None
    assert document_text("ofd", b"PK\x03\x04", 1000) is None


def test_a_word_file_that_would_inflate_past_the_limit_is_refused_unread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * 2_000_000)
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(UnreadableDocument, match="inflates to 2000000 bytes"):
        document_text("docx", buffer.getvalue(), 1000, max_inflated=1_000_000)


@pytest.mark.parametrize("kind, body", [
    ("pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog"),  # cut off
    ("pdf", b"<html>not found</html>"),  # a 200 error page under a .pdf name
    ("docx", b"PK\x03\x04garbage"),
    ("docx", pdf_bytes("a PDF named .docx")),
])
def test_a_damaged_or_mislabelled_file_is_unreadable(kind, body):
    with pytest.raises(UnreadableDocument):
        document_text(kind, body, 1000)


@given(st.sampled_from(["pdf", "docx"]), st.binary(max_size=2000))
def test_any_bytes_give_text_or_unreadable_never_another_error(kind, body):
    try:
        text = document_text(kind, body, 100)
    except UnreadableDocument:
        return
    assert isinstance(text, str) and len(text) <= 100


@given(st.text(alphabet=st.characters(whitelist_categories=("Lo", "Nd", "Lu", "Ll", "Zs")), max_size=200))
def test_a_word_paragraph_comes_back_with_its_spaces_folded(text):
    expected = " ".join(text.split())
    assert document_text("docx", docx_bytes(text), 10_000) == expected
