"""PDF text read by PDFium: pieces of text with their baselines, pages' text, unreadable files."""

from __future__ import annotations

import io
import threading

import pytest
from reportlab.pdfgen.canvas import Canvas

from cti_briefings.errors import AssemblyError
from cti_briefings.pagerules import read_layout
from cti_briefings.pdftext import PdfTextError, page_lines, page_texts
from cti_briefings.stamp import check_marking

A4 = (595.3, 841.9)


def drawn_pdf(pages: list[list[tuple[float, str]]], in_form: tuple[float, str] | None = None) -> bytes:
    """A PDF with each page's strings drawn at the given baselines (and one inside a form XObject)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    if in_form is not None:
        canvas.beginForm("stamp")
        canvas.drawString(72, in_form[0], in_form[1])
        canvas.endForm()
    for strings in pages:
        for y, text in strings:
            canvas.drawString(72, y, text)
        if in_form is not None:
            canvas.doForm("stamp")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_each_piece_of_text_comes_with_its_baseline_in_drawing_order():
    pdf = drawn_pdf([[(700.5, "Day 1: Tuesday 16 February 2027"), (680.25, "09:30 Ministry of Justice"), (660, "   ")], [(400, "Second page")]])
    pages = page_lines(pdf)
    assert [height for height, _ in pages] == [pytest.approx(A4[1], abs=0.01)] * 2
    assert [[(round(y, 2), " ".join(text.split())) for y, text in lines] for _, lines in pages] == [
        [(700.5, "Day 1: Tuesday 16 February 2027"), (680.25, "09:30 Ministry of Justice")],  # blank text left out
        [(400.0, "Second page")],
    ]


def test_text_inside_a_form_is_read_at_its_place():
    pages = page_lines(drawn_pdf([[(700, "Body")]], in_form=(30, "Footer in a form")))
    assert [(round(y), " ".join(text.split())) for y, text in pages[0][1]] == [(700, "Body"), (30, "Footer in a form")]


def test_a_word_broken_at_the_end_of_a_line_keeps_its_hyphen():
    pages = page_lines(drawn_pdf([[(700, "drawing on the anti-"), (686, "torture framework")]]))
    assert [" ".join(text.split()) for _, text in pages[0][1]] == ["drawing on the anti-", "torture framework"]


def test_page_texts_reads_every_page_and_a_path_as_well_as_bytes(tmp_path):
    pdf = drawn_pdf([[(700, "CONFIDENTIAL")], [], [(700, "CONFIDENTIAL")]])
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    assert [" ".join(text.split()) for text in page_texts(pdf)] == ["CONFIDENTIAL", "", "CONFIDENTIAL"]
    assert page_texts(path) == page_texts(pdf)


def test_readers_in_several_threads_get_what_one_gets():
    pdf = drawn_pdf([[(800 - 14 * line, f"line {line} of page {page}") for line in range(40)] for page in range(6)])
    expected = page_lines(pdf)
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(page_lines(pdf))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


def test_a_file_that_is_not_a_pdf_is_an_error(tmp_path):
    with pytest.raises(PdfTextError) as raised:
        page_lines(b"not a pdf")
    assert str(raised.value) == "Failed to load document (PDFium: Data format error)."


def test_the_page_rules_say_which_pdf_they_cannot_read(tmp_path):
    pdf = tmp_path / "03-meeting-brief-01-justice.pdf"
    pdf.write_bytes(b"%PDF-1.7\nnot really")
    with pytest.raises(AssemblyError) as raised:
        read_layout(pdf, None)
    assert raised.value.format_message() == f"{pdf}: its pages cannot be read to check them (Failed to load document (PDFium: Data format error).)"


def test_the_marking_check_says_when_it_cannot_read_the_pack():
    with pytest.raises(AssemblyError) as raised:
        check_marking(b"%PDF-1.7\nnot really", "CONFIDENTIAL")
    assert raised.value.format_message() == "the pack cannot be read to check its marking (Failed to load document (PDFium: Data format error).)"
