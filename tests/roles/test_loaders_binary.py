"""Word (.docx, via mammoth) and PDF (via pdfplumber) role documents, built in code, and their bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from fpdf import FPDF

from core.errors import DocumentTooLarge, MalformedDocument, NoRoleContent
from core.store import open_store
from roles.index.library import RoleIndex
from roles.loaders import load_file
from roles.loaders.pdf import EncryptedDocument


def _docx() -> bytes:
    document = Document()
    document.add_heading("Field Service Technician", 0)
    document.add_paragraph("Keeps customer equipment running at their sites.")
    document.add_heading("Responsibilities", 1)
    for text in ("Install new equipment", "Repair faults within the agreed time"):
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("KPIs", 1)
    table = document.add_table(rows=2, cols=3)
    for row, cells in enumerate((["KPI", "Target", "Frequency"], ["First-time fix rate", "85%", "Monthly"])):
        for column, text in enumerate(cells):
            table.rows[row].cells[column].text = text
    document.add_heading("30-day goals", 1)
    document.add_paragraph("Learn every route", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(pages: int = 1, text: bool = True) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    if not text:
        pdf.rect(10, 10, 80, 40, "F")  # a scan: marks on the page, no characters
        return bytes(pdf.output())
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 12, "Field Service Technician", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "Keeps customer equipment running at their sites, from the first install to the last "
                         "repair of the contract.", new_x="LMARGIN", new_y="NEXT")
    for heading, bullets in (("Responsibilities", ["Install new equipment", "Repair faults within the agreed time"]),
                             ("30-day goals", ["Learn every route"])):
        pdf.set_font("Helvetica", "B", 15)
        pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for bullet in bullets:
            pdf.cell(0, 6, f"- {bullet}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 10, "KPIs", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    with pdf.table() as table:
        for cells in (["KPI", "Target", "Frequency"], ["First-time fix rate", "85%", "Monthly"]):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    for n in range(pages - 1):
        pdf.add_page()
        pdf.cell(0, 6, f"Appendix page {n}")
    return bytes(pdf.output())


def _load(tmp_path: Path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    return load_file(tmp_path / name, tmp_path)


@pytest.mark.parametrize(("name", "make"), [("technician.docx", _docx), ("technician.pdf", _pdf)])
def test_word_and_pdf_keep_headings_lists_and_tables(tmp_path: Path, name: str, make) -> None:
    document = _load(tmp_path, name, make())
    (role,) = document.roles
    assert role.title == "Field Service Technician" and role.source.format == document.format == name.rsplit(".")[1]
    sections = {s.heading: s for s in role.walk()}
    assert sections["Summary"].text.startswith("Keeps customer equipment running at their sites")
    assert [i.text for i in sections["Responsibilities"].items] == ["Install new equipment",
                                                                   "Repair faults within the agreed time"]
    assert [(k.name, k.target, k.frequency) for k in role.kpis()] == [("First-time fix rate", "85%", "Monthly")]
    assert [(g.horizon_days, g.items) for g in role.goals()] == [(30, ["Learn every route"])]


def test_a_word_ladder_gives_one_role_per_level_heading(tmp_path: Path) -> None:
    document = Document()
    document.add_heading("Warehouse ladder", 0)
    document.add_paragraph("How pickers grow into shift leads.")
    for title, duty in (("Picker I", "Picks single orders."), ("Picker II", "Picks batches and trains new pickers."),
                        ("Shift Lead", "Plans the shift and owns its safety briefing.")):
        document.add_heading(title, 1)
        document.add_paragraph(duty, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    loaded = _load(tmp_path, "ladder.docx", out.getvalue())
    assert [r.title for r in loaded.roles] == ["Picker I", "Picker II", "Shift Lead"]
    assert loaded.roles[1].sections[0].items[0].text == "Picks batches and trains new pickers."


def test_a_docx_file_name_is_not_needed(tmp_path: Path) -> None:
    assert _load(tmp_path, "technician", _docx()).format == "docx"


@pytest.mark.parametrize(("name", "data", "error", "reason"), [
    ("role.docx", b"PK\x03\x04 not really a zip at all", MalformedDocument, "not a Word document"),
    ("slides.docx", None, MalformedDocument, "not a Word document: the zip holds no word/document.xml"),
    ("scan.pdf", _pdf(text=False), NoRoleContent, "no text layer: export it with text, or add OCR"),
    ("book.pdf", _pdf(pages=500), DocumentTooLarge, "PDF has 500 pages; the limit is 300"),
    ("broken.pdf", b"%PDF-1.4\n% cut short", MalformedDocument, "PDF cannot be read"),
])
def test_bad_word_and_pdf_files_fail_with_one_line(tmp_path: Path, name, data, error, reason) -> None:
    if data is None:  # a zip of something else, saved with a .docx name
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("slide1.xml", "<slide/>")
        data = out.getvalue()
    with pytest.raises(error) as caught:
        _load(tmp_path, name, data)
    assert reason in caught.value.reason and "\n" not in caught.value.reason


def test_a_password_protected_pdf_says_so(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 6, "Secret role")
    pdf.set_encryption(owner_password="owner", user_password="user")
    with pytest.raises(EncryptedDocument, match="password-protected"):
        _load(tmp_path, "secret.pdf", bytes(pdf.output()))


def test_bad_files_are_skipped_and_retried_while_the_rest_indexes(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scan.pdf").write_bytes(_pdf(text=False))
    (docs / "good.docx").write_bytes(_docx())
    index = RoleIndex(open_store(tmp_path / "r.db"))
    report = index.index_folder(docs)
    assert [r.title for r in index.list_roles()] == ["Field Service Technician"]
    assert report.failures == [("scan.pdf", "PDF has no text layer: export it with text, or add OCR")]
    (docs / "scan.pdf").write_bytes(_pdf())  # exported again, with text
    again = index.index_folder(docs)
    assert again.failed == 0 and again.added == 1 and len(index.list_roles()) == 2

