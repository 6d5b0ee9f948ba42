"""Tiny real PDF, DOCX and OFD files, made here so no test depends on a document from elsewhere.

``python -m tests.documents`` wrote the attachments of the scsqw replay archive
(``tests/fixtures/scsqw/pages/*.pdf``, ``*.docx``, ``*.ofd``); the loopback tests serve fresh ones.
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
    return _zip({"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/document.xml": document})


_OFD_NS = "http://www.ofdspec.org/2016"
#: An OFD package (GB/T 33190-2016): the entry file, one document, its fonts, one page.
_OFD_PARTS = {
    "OFD.xml": f'<ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
               '<ofd:DocID>6f666401000000000000000000000000</ofd:DocID><ofd:Title>{text}</ofd:Title>'
               '<ofd:CreationDate>2022-08-12</ofd:CreationDate></ofd:DocInfo>'
               '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
    "Doc_0/Document.xml": f'<ofd:Document xmlns:ofd="{_OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>4</ofd:MaxUnitID>'
                          '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                          '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
                          '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
    "Doc_0/PublicRes.xml": f'<ofd:Res xmlns:ofd="{_OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
                           '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
    "Doc_0/Pages/Page_0/Content.xml": f'<ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content><ofd:Layer ID="3">'
                                      '<ofd:TextObject ID="4" Boundary="20 20 170 10" Font="2" Size="5">'
                                      '<ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>'
                                      '</ofd:Layer></ofd:Content></ofd:Page>',
}


def ofd_bytes(text: str) -> bytes:
    """A one-page OFD (the national fixed-layout format: a zip of XML parts) showing ``text``."""
    return _zip({name: '<?xml version="1.0" encoding="UTF-8"?>' + part.replace("{text}", text)
                 for name, part in _OFD_PARTS.items()})


def _zip(parts: dict[str, str]) -> bytes:
    """A zip of ``parts`` (name → text) with fixed timestamps: the same bytes each time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2022, 8, 12, 0, 0, 0)), content)
    return buffer.getvalue()


#: The scsqw archive's attachments: file under pages/ → what it holds.
SCSQW_ATTACHMENTS = {
    "202208121528462731.docx": "省地方志办2022年下半年党组理论学习中心组学习安排",
    "202208121529105512.ofd": "省地方志办2022年下半年党组理论学习中心组学习安排(版式文件)",
    **{f"{stem}.pdf": f"Sichuan gazetteer office political work bulletin 2022 no. {number}"
       for stem, number in (("202206021644479738", 22), ("202206100937564592", 23), ("202206171020448127", 24),
                            ("202206240853116950", 25), ("202207011711588604", 26), ("202207080905263391", 27),
                            ("202207151637412368", 28), ("202207220846545907", 29), ("202207291013574416", 30),
                            ("202208050926128835", 31), ("202208121530211745", 32), ("202208261731083506", 34),
                            ("202209021005363127", 35), ("202209160835314062", 36), ("202209230852179904", 37),
                            ("202209300912403318", 38))},
}


def main() -> None:
    pages = Path(__file__).parent / "fixtures" / "scsqw" / "pages"
    for name, text in SCSQW_ATTACHMENTS.items():
        make = {".docx": docx_bytes, ".ofd": ofd_bytes}.get(Path(name).suffix, pdf_bytes)
        (pages / name).write_bytes(make(text))


if __name__ == "__main__":
    main()
