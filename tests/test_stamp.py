"""The pack's marking and footer: stamped on every page, in any Latin script, and checked."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import SLUGS, country_data
from pypdf import PdfReader, PdfWriter

from cti_briefings import stamp
from cti_briefings.assemble import PackPart, assemble_pack
from cti_briefings.errors import AssemblyError
from cti_briefings.stamp import PackStamp, check_marking, find_font

META = {"title": "CTI briefing pack: Testland", "subject": "Visit", "keywords": "CTI; UNCAT", "author": "CTI Secretariat"}


def blank_pdf(path: Path, sizes: list[tuple[float, float]]) -> Path:
    writer = PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width=width, height=height)
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as poppler reads it (not the library that wrote it)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def stamped(tmp_path: Path, pack_stamp: PackStamp, sizes: list[tuple[float, float]]) -> Path:
    parts = [PackPart("Cover", blank_pdf(tmp_path / "cover.pdf", sizes[:1])), PackPart("Brief", blank_pdf(tmp_path / "brief.pdf", sizes[1:]))]
    pack = tmp_path / "pack.pdf"
    pack.write_bytes(assemble_pack(parts, META, pack_stamp))
    return pack


@pytest.mark.parametrize(("marking", "country"), [("CONFIDENTIEL", "Côte d’Ivoire"), ("RESTRINGIDO", "São Tomé y Príncipe"), ("CONFIDENTIAL", "Ελλάδα")])
def test_marking_and_footer_on_every_page_with_accents(tmp_path, marking, country):
    footer = f"CTI briefing pack · {country} · visit 16–18 February 2027"
    pack = stamped(tmp_path, PackStamp(marking, footer), [(595.3, 841.9)] * 3)
    texts = page_texts(pack)
    assert texts == [f"{marking} {footer} Page {number} of 3" for number in (1, 2, 3)]


def test_stamp_fonts_are_embedded(tmp_path):
    pack = stamped(tmp_path, PackStamp("CONFIDENTIAL", "CTI briefing pack · Testland"), [(595.3, 841.9)] * 2)
    fonts = subprocess.run(["pdffonts", str(pack)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert len(rows) == 2 and all("LiberationSans" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows), fonts  # the 'emb' column


def test_landscape_and_rotated_pages_are_stamped_upright(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595.3, height=841.9)
    writer.add_blank_page(width=841.9, height=595.3)
    writer.add_blank_page(width=595.3, height=841.9).rotate(90)
    source = tmp_path / "mixed.pdf"
    with open(source, "wb") as stream:
        writer.write(stream)
    pack = tmp_path / "pack.pdf"
    pack.write_bytes(assemble_pack([PackPart("Cover", source)], META, PackStamp("CONFIDENTIAL", "Footer")))
    layout = subprocess.run(["pdftotext", "-layout", str(pack), "-"], check=True, capture_output=True, text=True).stdout.split("\f")
    for number, page in enumerate(layout[:3], start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "CONFIDENTIAL", (number, lines)
        assert re.fullmatch(rf"Footer\s+Page {number} of 3", lines[-1]), (number, lines)


def test_a_page_without_the_marking_fails_the_build_naming_it(tmp_path):
    marked = io.BytesIO(assemble_pack([PackPart("Cover", blank_pdf(tmp_path / "c.pdf", [(595.3, 841.9)] * 2))], META, PackStamp("CONFIDENTIAL", "Footer")))
    writer = PdfWriter(clone_from=PdfReader(marked))
    writer.insert_blank_page(width=595.3, height=841.9, index=1)
    with pytest.raises(AssemblyError) as raised:
        check_marking(_written(writer).getvalue(), "CONFIDENTIAL")
    assert raised.value.format_message() == "the pack's page 2 of 3 does not carry the marking 'CONFIDENTIAL' (the pack was not written)"


def test_a_marking_the_font_cannot_show_is_refused(tmp_path):
    with pytest.raises(AssemblyError) as raised:
        stamped(tmp_path, PackStamp("机密", "Footer"), [(595.3, 841.9)] * 2)
    assert raised.value.format_message() == "the pack's marking '机密' has characters the font Liberation Sans cannot show: 密 机 (write it in Latin letters)"


def test_a_missing_font_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(stamp, "FONT_FOLDERS", ())
    monkeypatch.setattr(stamp, "FONT_FAMILY", "No Such Sans")  # fc-match answers with another family
    with pytest.raises(AssemblyError) as raised:
        find_font("bold", "NoSuchSans-Bold.ttf")
    assert raised.value.format_message() == (
        "the font No Such Sans (bold), which the pack's marking and footer use, is not installed: "
        "run 'make pack' as root to install it, or: sudo apt-get install fonts-liberation2"
    )


def test_fc_match_finds_the_font_outside_the_usual_folders(monkeypatch):
    monkeypatch.setattr(stamp, "FONT_FOLDERS", ())
    found = find_font("regular", "LiberationSans-Regular.ttf")
    assert found.name == "LiberationSans-Regular.ttf"


@pytest.mark.integration
@pytest.mark.parametrize("slug", SLUGS)
def test_every_page_of_a_built_pack_is_stamped_and_the_documents_are_not(built, slug):
    _, results = built
    result = results[slug]
    data = country_data(slug)
    marking = data.get("marking", "CONFIDENTIAL")
    texts = page_texts(result.pack)
    assert len(texts) == result.pages
    footer = re.compile(rf"CTI briefing pack · {re.escape(data['short_name'])} · visit \d+(–\d+)? \w+ \d{{4}}")
    for number, text in enumerate(texts, start=1):
        assert text.startswith(marking), f"page {number}: {text[:80]}"
        assert footer.search(text), f"page {number}"
        assert text.endswith(f"Page {number} of {result.pages}"), f"page {number}: {text[-80:]}"
    for document in result.documents:
        assert not any("CTI briefing pack ·" in text for text in page_texts(document.pdf)), document.pdf.name


def _written(writer: PdfWriter) -> io.BytesIO:
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    return buffer


def test_the_packs_copy_of_a_document_sent_to_the_government_says_it_is_a_copy(tmp_path):
    cover = blank_pdf(tmp_path / "cover.pdf", [(595.3, 841.9)])
    letter = blank_pdf(tmp_path / "letter.pdf", [(595.3, 841.9)] * 2)
    brief = blank_pdf(tmp_path / "brief.pdf", [(595.3, 841.9)])
    marks = PackStamp("CONFIDENTIAL", "CTI briefing pack · Testland")
    pack = assemble_pack([PackPart("Cover", cover), PackPart("Invitation", letter, sent=True), PackPart("Brief", brief)], META, marks)
    footers = stamp.page_texts(pack)
    assert ["sent to the Government carries no marking" in text for text in footers] == [False, True, True, False]
    assert all("CONFIDENTIAL" in text for text in footers)
