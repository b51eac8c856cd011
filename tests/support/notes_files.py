"""Test fixtures for notes: files of every accepted type built in the test run (nothing binary is committed)."""

from __future__ import annotations

import io
import zipfile

import docx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def make_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(text: str | None) -> bytes:
    """A one-page PDF whose text layer holds ``text`` (None: a page with no text, like a scan)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    if text is not None:
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        })  # fmt: skip
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_encrypted_pdf(text: str) -> bytes:
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(text))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * 60_000_000)
    return out.getvalue()


REJECTED = {
    "empty": ("empty.txt", b"", "is empty"),
    "binary noise": ("noise.txt", bytes(range(256)) * 40, "not text"),
    "docx that is not a zip": ("fake.docx", b"just text", "not a Word document"),
    "zip that is not a docx": ("other.docx", b"PK\x03\x04" + b"\x00" * 100, "damaged|not a Word"),
    "zip bomb": ("bomb.docx", zip_bomb(), "expands to far more"),
    "encrypted pdf": ("locked.pdf", make_encrypted_pdf("secret"), "password-protected"),
    "image-only pdf": ("scan.pdf", make_pdf(None), "no text layer"),
    "pdf name, other content": ("fake.pdf", b"hello", "not a PDF"),
    "too large": ("big.txt", b"a" * (11 * 1024 * 1024), "limit is 10 MB"),
    "wrong type": ("photo.jpg", b"\xff\xd8\xff", "we accept"),
    "csv missing columns": ("x.csv", b"title,text\na,b\n", "lacks the column\\(s\\) date, areas, themes"),
    "csv impossible date": ("x.csv", b"title,date,areas,themes,text\na,2024-02-30,,,b\n", "row 2.*not a date"),
    "csv too many rows": ("x.csv", b"title,date,areas,themes,text\n" + b"a,,,,b\n" * 2001, "more than 2,000"),
    "csv header only": ("x.csv", b"title,date,areas,themes,text\n", "no notes"),
    "csv empty text": ("x.csv", b"title,date,areas,themes,text\na,,,,\n", "text column is empty"),
}
