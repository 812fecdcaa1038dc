"""Assembly: bookmarks, nesting, page labels and metadata of the merged pack."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from cti_briefings.assemble import PackPart, assemble_pack, first_pages, page_count
from cti_briefings.errors import AssemblyError
from cti_briefings.stamp import PackStamp

STAMP = PackStamp("CONFIDENTIAL", "CTI briefing pack · Testland · visit 16–18 February 2027")
META = {"title": "CTI briefing pack: Testland", "subject": "Visit", "keywords": "CTI; UNCAT", "author": "CTI Secretariat"}


def blank_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Jane Template-Editor"})
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


def test_first_pages_follow_each_other():
    assert first_pages([2, 3, 1], start=2) == [2, 4, 7]
    assert first_pages([]) == []


def test_pack_has_a_bookmark_per_document_with_briefs_nested(tmp_path):
    parts = [
        PackPart("Cover", blank_pdf(tmp_path / "c.pdf", 1)),
        PackPart("Invitation", blank_pdf(tmp_path / "i.pdf", 2)),
        PackPart("Brief 1", blank_pdf(tmp_path / "b1.pdf", 3), "Meeting briefs"),
        PackPart("Brief 2", blank_pdf(tmp_path / "b2.pdf", 1), "Meeting briefs"),
        PackPart("Roadmap", blank_pdf(tmp_path / "r.pdf", 2)),
    ]
    reader = PdfReader(io.BytesIO(assemble_pack(parts, META, STAMP)))
    assert len(reader.pages) == 9
    outline = reader.outline
    titles = [item.title if not isinstance(item, list) else [child.title for child in item] for item in outline]
    assert titles == ["Cover", "Invitation", "Meeting briefs", ["Brief 1", "Brief 2"], "Roadmap"]
    pages = [reader.get_destination_page_number(item) for item in outline if not isinstance(item, list)]
    assert pages == [0, 1, 3, 7]
    assert [reader.get_destination_page_number(child) for child in outline[3]] == [3, 6]


def test_page_labels_match_the_contents_numbers(tmp_path):
    parts = [PackPart("Cover", blank_pdf(tmp_path / "c.pdf", 1)), PackPart("Invitation", blank_pdf(tmp_path / "i.pdf", 2))]
    reader = PdfReader(io.BytesIO(assemble_pack(parts, META, STAMP)))
    assert reader.page_labels == ["Cover", "2", "3"]


def test_metadata_is_the_packs_own(tmp_path):
    parts = [PackPart("Cover", blank_pdf(tmp_path / "c.pdf", 1))]
    metadata = PdfReader(io.BytesIO(assemble_pack(parts, META, STAMP))).metadata
    assert metadata.title == META["title"]
    assert metadata["/Keywords"] == "CTI; UNCAT"
    assert metadata.author == "CTI Secretariat"
    assert "Jane" not in str(dict(metadata))


def test_unreadable_pdf_is_an_assembly_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(AssemblyError, match="broken.pdf"):
        page_count(broken)
