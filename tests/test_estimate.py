"""The page estimate: documents of known layout, the shipped packs as LibreOffice laid them out,
and a cold build that converts no fitting trial and the cover once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SLUGS
from docx import Document
from test_pagerules import LINES_PER_PAGE, USUAL, add, add_table, filler, made_and_converted, new_document

from cti_briefings.build import Project, build
from cti_briefings.cache import CachedConverter
from cti_briefings.estimate import FirstVersion, PageEstimate, estimate_pages, expected_to_fit, first_version
from cti_briefings.office import Converter
from cti_briefings.office.converter import DOCUMENTS_PER_START
from cti_briefings.pagerules import read_layout

LAST_PAGE_TOLERANCE = 3
KINDS_BY_STEM = {"02-visit-programme": "programme", "03-meeting-brief": "brief", "04-seminar-programme": "seminar", "05-strategy-roadmap": "roadmap"}


def as_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def lines_of(count: int) -> bytes:
    document = new_document()
    filler(document, count)
    return as_bytes(document)


def test_lines_fall_on_pages_as_the_page_rules_tests_lay_them_out():
    # test_pagerules checks with LibreOffice that 45 lines of 16 pt fill a page of those documents.
    assert estimate_pages(lines_of(LINES_PER_PAGE)).lines == (LINES_PER_PAGE,)
    assert estimate_pages(lines_of(LINES_PER_PAGE + 2)).lines == (LINES_PER_PAGE, 2)
    assert estimate_pages(lines_of(2 * LINES_PER_PAGE + 20)).lines == (LINES_PER_PAGE, LINES_PER_PAGE, 20)


def long_paragraph(document) -> None:
    add(document, " ".join(["Convention"] * 60))


def narrow_words(document) -> None:
    add(document, " ".join(["ill"] * 60))


def heading_kept_with_the_next(document) -> None:
    filler(document, LINES_PER_PAGE - 1)
    add(document, "Heading kept with the next", keep_with_next=True)
    add(document, "First line after the heading.")


def table_continued(document) -> None:
    filler(document, LINES_PER_PAGE - 3)
    add_table(document, [("Time", "Session"), ("09:00", "Opening"), ("10:00", "Lessons"), ("11:00", "Closing")])


def hyphenated_words_after_a_long_list(document) -> None:
    filler(document, 30)
    for number in range(8):
        add(document, f"Item {number}: law-enforcement officials' training in non-refoulement and anti-torture safeguards", style="List Bullet")


LAID_OUT = {
    "long-paragraph": long_paragraph,
    "narrow-words": narrow_words,
    "heading-kept-with-the-next": heading_kept_with_the_next,
    "table-continued": table_continued,
    "hyphens-and-list": hyphenated_words_after_a_long_list,
}


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each document of LAID_OUT as (.docx, .pdf), converted in one LibreOffice."""
    return made_and_converted(tmp_path_factory.mktemp("estimate"), LAID_OUT)


@pytest.mark.parametrize("name", LAID_OUT)
def test_estimate_gives_the_lines_libreoffice_puts_on_each_page(laid_out, name):
    docx, pdf = laid_out[name]
    real = read_layout(pdf, docx)
    assert estimate_pages(docx.read_bytes()).lines == tuple(real.lines_on(page) for page in range(1, real.pages + 1))


def test_the_documents_show_what_they_are_meant_to(laid_out):
    # Long words take more lines than narrow ones; a heading moves with what it is kept with.
    assert estimate_pages(laid_out["long-paragraph"][0].read_bytes()).pages == 1
    assert estimate_pages(laid_out["long-paragraph"][0].read_bytes()).lines[0] > estimate_pages(laid_out["narrow-words"][0].read_bytes()).lines[0] > 1
    assert estimate_pages(laid_out["heading-kept-with-the-next"][0].read_bytes()).lines == (LINES_PER_PAGE - 1, 2)
    assert estimate_pages(laid_out["table-continued"][0].read_bytes()).pages == 2


@pytest.mark.parametrize(("kind", "lines", "fits"), [
    ("brief", (45, 20), True), ("brief", (45, 14), False), ("brief", (45, 3), False), ("brief", (40,), True),
    ("brief", (45, 45, 20), False), ("note_verbale", (30, 8), False), ("seminar", (45, 8), True), ("seminar", (45, 3), False),
])
def test_expected_to_fit_applies_the_length_rules(kind, lines, fits):
    assert expected_to_fit(kind, PageEstimate(lines), USUAL) is fits


def test_the_fullest_version_expected_to_fit_is_converted_first():
    versions = {(0, False): lines_of(LINES_PER_PAGE + 2), (1, False): lines_of(LINES_PER_PAGE + 1), (2, False): lines_of(LINES_PER_PAGE - 1)}
    order = ((0, False), (1, False), (2, False), (0, True))
    assert first_version("brief", versions.get, order, USUAL) == FirstVersion((2, False), versions[(2, False)], 1)
    # Nothing expected to fit: the full version, which the build then fits as it always has.
    assert first_version("brief", {(0, False): versions[(0, False)]}.get, order, USUAL) == FirstVersion((0, False), versions[(0, False)], 2)
    # A letter's closing is for the real check to judge; its pages are still estimated, for the contents.
    assert first_version("letter", versions.get, order, USUAL) == FirstVersion((0, False), versions[(0, False)], 2)


def test_a_document_that_cannot_be_estimated_is_converted_in_full():
    plain = Document()
    data = as_bytes(plain).replace(b"word/document.xml", b"word/documenx.xml")
    assert first_version("brief", {(0, False): data}.get, ((0, False), (1, False)), USUAL) == FirstVersion((0, False), data, None)


@pytest.mark.parametrize("slug", SLUGS)
def test_estimate_matches_the_pages_libreoffice_made_of_each_shipped_document(built, slug):
    _, results = built
    checked = 0
    for document in results[slug].documents:
        kind = next((kind for stem, kind in KINDS_BY_STEM.items() if document.docx.name.startswith(stem)), None)
        if kind is None:
            continue
        real = read_layout(document.pdf, document.docx)
        real_lines = PageEstimate(tuple(real.lines_on(page) for page in range(1, real.pages + 1)))
        estimate = estimate_pages(document.docx.read_bytes())
        assert estimate.pages == real.pages, document.docx.name
        assert expected_to_fit(kind, estimate, USUAL) == expected_to_fit(kind, real_lines, USUAL), document.docx.name
        # Within a few lines: a line or two of rounding a page over, and a paragraph that then moves whole.
        assert abs(estimate.lines[-1] - real_lines.lines[-1]) <= LAST_PAGE_TOLERANCE, document.docx.name
        checked += 1
    assert checked >= 3


def test_a_cold_build_converts_each_document_once(project_root):
    # Every document is converted in the version that fits its pages, the first time (a brief that
    # would run a few lines onto a page is set shorter before it is converted): no fitting trial.
    with Converter(timeout=120) as office:
        counting = CachedConverter(office, None)
        build(Project(root=project_root, cache=False), ["example"], counting)
        assert office.documents_per_start == DOCUMENTS_PER_START  # one pack: one LibreOffice
    assert [name for name in counting.converted if name.startswith(".fit-")] == []
    # The cover went with the documents, its page numbers estimated right: it was not converted again.
    assert ".early-00-cover.docx" in counting.converted and "00-cover.docx" not in counting.converted
    assert len(counting.converted) == len(list((project_root / "build" / "example").glob("*.docx")))
    assert not list((project_root / "build" / "example").glob(".*"))


def test_without_the_fonts_nothing_is_estimated_and_the_full_version_goes_first(monkeypatch):
    from cti_briefings import estimate

    monkeypatch.setattr(estimate, "_font_file", lambda family, bold: None)
    monkeypatch.setattr(estimate, "_metrics", estimate._metrics.__wrapped__)  # not the fonts found before
    estimate._read_styles.cache_clear()  # nor the paragraphs set with them
    versions = {(0, False): lines_of(LINES_PER_PAGE + 2), (1, False): lines_of(LINES_PER_PAGE - 1)}
    assert first_version("brief", versions.get, ((0, False), (1, False)), USUAL) == FirstVersion((0, False), versions[(0, False)], None)
