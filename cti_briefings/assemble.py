"""Stage 4: combine the documents' PDFs into one pack with bookmarks, labels, metadata and the stamp."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .errors import AssemblyError, display_path
from .stamp import PackStamp, check_marking, stamp_pages

PRODUCER = "cti-briefings"


@dataclass(frozen=True)
class PackPart:
    """One converted document, in pack order."""

    title: str
    pdf: Path
    group: str | None = None
    """Bookmark under which this part is nested (e.g. 'Meeting briefs'), if any."""
    sent: bool = False
    """True for a document sent to the Government (the invitation): its pages say they are a copy."""
    reader: PdfReader | None = field(default=None, compare=False, repr=False)
    """The PDF read before (read_pdf), so that assembling only copies it; else it is read then."""


def page_count(pdf: Path) -> int:
    """Return the number of pages of a PDF, or raise AssemblyError if it cannot be read."""
    return len(read_pdf(pdf).pages)


def read_pdf(pdf: Path) -> PdfReader:
    """Read a PDF with every object parsed, or raise AssemblyError if it cannot be read.

    Parsing is most of what adding a document to the pack costs; done while LibreOffice still
    converts the other documents, it is not left for after the last one.
    """
    try:
        reader = PdfReader(pdf)
        _parse_every_object(reader.trailer)
        return reader
    except (PdfReadError, OSError, ValueError) as exc:
        raise AssemblyError(f"{display_path(pdf)}: LibreOffice wrote a PDF that cannot be read ({exc})") from None


def _parse_every_object(root: object) -> None:
    seen: set[tuple[int, int]] = set()
    waiting = [root]
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too
            waiting.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            waiting.extend(list.__iter__(item))


def first_pages(counts: list[int], start: int = 1) -> list[int]:
    """Return the page on which each part starts when parts of `counts` pages follow `start`."""
    pages, page = [], start
    for count in counts:
        pages.append(page)
        page += count
    return pages


def assemble_pack(parts: list[PackPart], metadata: dict[str, str], stamp: PackStamp) -> bytes:
    """Merge the parts into one PDF with a bookmark per part, pack page labels and the stamp on every page; return its bytes."""
    writer = PdfWriter()
    groups: dict[str, object] = {}
    cover_pages = 0
    copies: set[int] = set()
    for index, part in enumerate(parts):
        first = len(writer.pages)
        try:
            writer.append(part.reader or PdfReader(part.pdf), import_outline=False)
        except (PdfReadError, OSError, ValueError) as exc:
            raise AssemblyError(f"{display_path(part.pdf)}: cannot be added to the pack ({exc})") from None
        parent: Any = None
        if part.group:
            if part.group not in groups:
                groups[part.group] = writer.add_outline_item(title=part.group, page_number=first)
            parent = groups[part.group]
        writer.add_outline_item(title=part.title, page_number=first, parent=parent)
        if part.sent:
            copies.update(range(first, len(writer.pages)))
        if index == 0:
            cover_pages = len(writer.pages)
    # The viewer's page box then shows the numbers the contents list gives.
    writer.set_page_label(0, cover_pages - 1, prefix="Cover")
    if len(writer.pages) > cover_pages:
        writer.set_page_label(cover_pages, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=cover_pages + 1)
    writer.add_metadata({
        "/Title": metadata["title"],
        "/Subject": metadata["subject"],
        "/Keywords": metadata["keywords"],
        "/Author": metadata["author"],
        "/Creator": PRODUCER,
        "/Producer": PRODUCER,
    })
    writer.page_mode = "/UseOutlines"
    stamp_pages(list(writer.pages), stamp, frozenset(copies))
    buffer = io.BytesIO()
    writer.write(buffer)
    # Checked on what was written, so that the marking never depends on a template or a font.
    check_marking(buffer.getvalue(), stamp.marking)
    return buffer.getvalue()
