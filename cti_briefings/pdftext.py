"""Reading the text of PDFs, with PDFium (pypdfium2): many times faster than pypdf's extraction.

A second reader besides pypdf, which writes the pack: the page rules read each converted
document's lines with their baselines, and the marking check reads every page of the pack.
PDFium is not safe to call from several threads at once; every call here holds one lock.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["PdfTextError", "page_lines", "page_texts", "reader_version"]

_PDFIUM = threading.Lock()
SOFT_HYPHEN_MARK = "\x02"
"""What PDFium gives for a hyphen it takes to break a word at the end of a line."""

PageLines = tuple[float, list[tuple[float, str]]]
"""A page's height and its pieces of text as (baseline y, text), in the order they are drawn."""


class PdfTextError(Exception):
    """A PDF whose text cannot be read."""


@functools.cache
def reader_version() -> str:
    """Return the versions of pypdfium2 and of the PDFium it bundles (text read by another may differ)."""
    from pypdfium2 import version

    return f"pypdfium2 {version.PYPDFIUM_INFO}, pdfium {version.PDFIUM_INFO}"


def page_lines(pdf: Path | bytes) -> list[PageLines]:
    """Return each page's height and its pieces of text with their baselines, in drawing order.

    One piece per text object of the page (a run of text drawn in one go: LibreOffice draws
    each line of a paragraph or table cell as one, or a few when its font changes), with the
    y of its first character's baseline in PDF units from the bottom of the page. Pieces of
    blank text are left out.
    """
    return _read(pdf, _lines_of_page)


def page_texts(pdf: Path | bytes) -> list[str]:
    """Return each page's text, lines separated by line breaks."""
    return _read(pdf, _text_of_page)


def _read(pdf: Path | bytes, read_page: Callable[[pdfium.PdfPage], object]) -> list:
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(str(pdf) if isinstance(pdf, Path) else pdf)
        except pdfium.PdfiumError as exc:
            raise PdfTextError(str(exc)) from None
        try:
            pages = []
            for index in range(len(document)):
                page = document[index]
                try:
                    pages.append(read_page(page))
                finally:
                    page.close()
            return pages
        except pdfium.PdfiumError as exc:
            raise PdfTextError(str(exc)) from None
        finally:
            document.close()


def _text_of_page(page: pdfium.PdfPage) -> str:
    text_page = page.get_textpage()
    try:
        return str(text_page.get_text_range())
    finally:
        text_page.close()


def _lines_of_page(page: pdfium.PdfPage) -> PageLines:
    text_page = page.get_textpage()
    matrix = pdfium_c.FS_MATRIX()
    lines: list[tuple[float, str]] = []

    def visit(objects: list) -> None:
        for handle in objects:
            kind = pdfium_c.FPDFPageObj_GetType(handle)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                text = _object_text(handle, text_page)
                if text.strip():
                    pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
                    lines.append((matrix.f, text))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:  # text inside a form XObject
                visit([pdfium_c.FPDFFormObj_GetObject(handle, index) for index in range(pdfium_c.FPDFFormObj_CountObjects(handle))])

    try:
        visit([pdfium_c.FPDFPage_GetObject(page, index) for index in range(pdfium_c.FPDFPage_CountObjects(page))])
    finally:
        text_page.close()
    return float(page.get_height()), lines


def _object_text(handle: object, text_page: pdfium.PdfTextPage) -> str:
    size = pdfium_c.FPDFTextObj_GetText(handle, text_page, None, 0)  # bytes, with the final NUL
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFTextObj_GetText(handle, text_page, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace").replace(SOFT_HYPHEN_MARK, "-")
