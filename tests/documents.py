"""Tiny real PDF and DOCX files, made here so no test depends on a document from elsewhere.

``python -m tests.documents`` wrote the attachments of the scsqw replay archive
(``tests/fixtures/scsqw/pages/*.pdf``, ``*.docx``); the loopback tests serve fresh ones.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF 1.4 showing ``text`` (ASCII) in Helvetica, with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')


def docx_bytes(text: str) -> bytes:
    """A one-paragraph Word document of ``text``; fixed timestamps, so the same bytes each time."""
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                              ("word/document.xml", document)):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2022, 8, 12, 0, 0, 0)), content)
    return buffer.getvalue()


#: The scsqw archive's attachments: file under pages/ → what it holds.
SCSQW_ATTACHMENTS = {
    "202208121528462731.docx": "省地方志办2022年下半年党组理论学习中心组学习安排",
    **{f"{stem}.pdf": f"Sichuan gazetteer office political work bulletin 2022 no. {number}"
       for stem, number in (("202208121530211745", 32), ("202208261731083506", 34), ("202209021005363127", 35),
                            ("202209160835314062", 36), ("202209230852179904", 37), ("202209300912403318", 38))},
}


def main() -> None:
    pages = Path(__file__).parent / "fixtures" / "scsqw" / "pages"
    for name, text in SCSQW_ATTACHMENTS.items():
        (pages / name).write_bytes(docx_bytes(text) if name.endswith(".docx") else pdf_bytes(text))


if __name__ == "__main__":
    main()
