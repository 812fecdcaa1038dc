"""Page rules: each shown failing on a deliberately faulty document and passing on a sound one.

The documents are made with python-docx in an exact layout (A4, 2 cm margins, every line 16 pt,
so 45 lines to a page) and converted once, together, by real LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SLUGS, country_data, write_country
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

from cti_briefings.cli import cli
from cti_briefings.office import Converter
from cti_briefings.pagerules import KINDS, PageFacts, PageFinding, ProgrammeEvent, check_document, read_layout

LINES_PER_PAGE = 45
DAY_1, DAY_2, DAY_3 = dt.date(2027, 2, 16), dt.date(2027, 2, 17), dt.date(2027, 2, 18)
EVENTS = (
    ProgrammeEvent(DAY_1, "09:30", "Ms Ana Pérez"),
    ProgrammeEvent(DAY_1, "11:30", "Mr Ben Okafor"),
    ProgrammeEvent(DAY_2, "09:00", "Ms Chloé Martin"),
    ProgrammeEvent(DAY_2, "14:00", "Ratifying UNCAT in Testland"),
)
USUAL = PageFacts("en", visit_days=3, meetings=6, events=EVENTS)
LONG_VISIT = PageFacts("en", visit_days=5, meetings=12)


def new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2.5)
    return document


def add(document, text: str, style: str | None = None, page_break: bool = False, keep_with_next: bool = False):
    paragraph = document.add_paragraph(text, style=style)
    layout = paragraph.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(16)
    layout.space_before = layout.space_after = Pt(0)
    layout.page_break_before = page_break
    layout.keep_with_next = keep_with_next
    layout.widow_control = False
    for run in paragraph.runs:
        run.font.size = Pt(11)
    return paragraph


def filler(document, count: int, what: str = "Line") -> None:
    for number in range(1, count + 1):
        add(document, f"{what} {number} of the text, short enough for one line.")


def add_table(document, rows: list[tuple[str, ...]], rows_may_break: bool = False) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    for index, cells in enumerate(rows):
        row = table.add_row()
        properties = row._tr.get_or_add_trPr()
        if index == 0:
            properties.append(OxmlElement("w:tblHeader"))
        elif not rows_may_break:
            properties.append(OxmlElement("w:cantSplit"))
        for cell, text in zip(row.cells, cells):
            cell.text = text


def letter(document, page_break_before_close: bool = False, lines: int = 20) -> None:
    add(document, "Excellency,")
    filler(document, lines, "Paragraph")
    add(document, "I should be grateful if your Government could confirm the dates.")
    add(document, "Accept, Excellency, the assurances of my highest consideration.", page_break=page_break_before_close)
    add(document, "Ms Ingrid Solberg-Achterberg")
    add(document, "Head of the CTI Secretariat")


def programme(document, faulty: bool) -> None:
    add(document, "Programme", style="Heading 1")
    add(document, "16–17 February 2027, Port Testland.")
    add(document, "Day 1: Tuesday 16 February 2027", style="Heading 2")
    day_1 = [("Time", "Meeting"), ("09:30–10:30", "Meeting with Ms Ana Pérez, Minister of Justice")]
    day_2 = [("Time", "Meeting"), ("09:00–10:00", "Ms Chloé Martin, Director")]
    moved = ("11:30–12:30", "Mr Ben Okafor, Inspector-General")
    (day_2 if faulty else day_1).append(moved)
    if not faulty:
        day_2.append(("14:00–17:00", "Seminar: Ratifying UNCAT in Testland"))
    add_table(document, day_1)
    add(document, "Day 2: Wednesday 17 February 2027", style="Heading 2")
    add_table(document, day_2)
    add(document, "Meetings with partners", style="Heading 1")
    add(document, "17 February 2027, 14:00: Ratifying UNCAT in Testland (seminar).")


def split_list(document, keep_together: bool) -> None:
    filler(document, LINES_PER_PAGE - 2)
    items = ["Item one of the list", "Item two of the list", "Item three of the list", "Item four of the list"]
    for index, item in enumerate(items):
        add(document, item, style="List Bullet", keep_with_next=keep_together and index < len(items) - 1)
    filler(document, 10, "After")


DOCUMENTS = {
    "letter-closing-alone": lambda d: letter(d, page_break_before_close=True),
    "letter-signature-apart": lambda d: letter(d, lines=LINES_PER_PAGE - 3),
    "letter-sound": lambda d: letter(d),
    "note-two-pages": lambda d: filler(d, LINES_PER_PAGE + 10),
    "note-one-page": lambda d: filler(d, 20),
    "page-of-two-lines": lambda d: filler(d, LINES_PER_PAGE + 2),
    "pages-well-filled": lambda d: filler(d, LINES_PER_PAGE + 8),
    "list-split": lambda d: split_list(d, keep_together=False),
    "list-kept-together": lambda d: split_list(d, keep_together=True),
    "rows-may-break": lambda d: add_table(d, [("Time", "Session"), ("09:00", "Opening"), ("10:00", "Lessons")], rows_may_break=True),
    "rows-kept-whole": lambda d: add_table(d, [("Time", "Session"), ("09:00", "Opening"), ("10:00", "Lessons")]),
    "programme-missing-events": lambda d: programme(d, faulty=True),
    "programme-complete": lambda d: programme(d, faulty=False),
    "brief-three-pages": lambda d: filler(d, 2 * LINES_PER_PAGE + 20),
    "brief-two-pages": lambda d: filler(d, LINES_PER_PAGE + 20),
    "brief-short-last-page": lambda d: filler(d, LINES_PER_PAGE + 9),
}


def made_and_converted(folder: Path, makers: dict) -> dict[str, tuple[Path, Path]]:
    """Each maker's document saved in `folder` as name.docx and converted in one LibreOffice: {name: (.docx, .pdf)}."""
    pairs = []
    for name, make in makers.items():
        document = new_document()
        make(document)
        document.save(folder / f"{name}.docx")
        pairs.append((folder / f"{name}.docx", folder / f"{name}.pdf"))
    with Converter() as office:
        office.convert_all(pairs)
    return {docx.stem: (docx, pdf) for docx, pdf in pairs}


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Every test document as (.pdf, .docx), converted in one LibreOffice."""
    made = made_and_converted(tmp_path_factory.mktemp("pagerules"), DOCUMENTS)
    return {name: (pdf, docx) for name, (docx, pdf) in made.items()}


def findings(converted, name: str, kind: str, facts: PageFacts = USUAL, with_docx: bool = True) -> list[tuple[int, str, str]]:
    pdf, docx = converted[name]
    return [(finding.page, finding.rule, finding.message) for finding in check_document(kind, pdf, docx if with_docx else None, facts)]


NEAR_EMPTY = "(shorten the document to pull them onto the page before, or move more onto this page)"


def test_the_layout_is_what_the_tests_assume(converted):
    layout = read_layout(*converted["page-of-two-lines"])
    assert layout.pages == 2
    assert [layout.lines_on(1), layout.lines_on(2)] == [LINES_PER_PAGE, 2]


def test_closing_and_signature_alone_on_the_last_page(converted):
    assert findings(converted, "letter-closing-alone", "invitation_letter") == [
        (2, "closing-with-last-paragraph", "the closing and signature stand alone on the last page (keep the last paragraph with them: shorten the letter, or set 'Keep with next' on the last paragraph and the closing)"),
        (2, "no-near-empty-page", f"the page holds only 3 lines of text {NEAR_EMPTY}"),
    ]


def test_closing_found_from_the_pdf_alone(converted):
    assert findings(converted, "letter-closing-alone", "invitation_letter", with_docx=False)[0][:2] == (2, "closing-with-last-paragraph")
    assert findings(converted, "letter-sound", "invitation_letter", with_docx=False) == []


def test_signature_apart_from_the_closing(converted):
    assert findings(converted, "letter-signature-apart", "invitation_letter") == [
        (2, "closing-with-last-paragraph", "the signature stands on page 2, apart from the closing on page 1 (keep them together: set 'Keep with next' on the closing and the signature lines)"),
        (2, "no-near-empty-page", f"the page holds only 2 lines of text {NEAR_EMPTY}"),
    ]


def test_closing_is_looked_for_in_the_letters_language(converted):
    assert findings(converted, "letter-sound", "invitation_letter", PageFacts("fr")) == [
        (1, "closing-with-last-paragraph", "the complimentary close ('Je vous prie d’agréer, Excellence, …') was not found: a letter ends with it, then the signature"),
    ]


def test_sound_letter(converted):
    assert findings(converted, "letter-sound", "invitation_letter") == []


def test_note_verbale_over_two_pages(converted):
    assert findings(converted, "note-two-pages", "note_verbale") == [
        (2, "note-verbale-on-one-page", "the note verbale runs to 2 pages; for a visit of 3 days and 6 meetings it should fit on one (shorten it)"),
    ]


def test_note_verbale_on_one_page_or_for_a_long_visit(converted):
    assert findings(converted, "note-one-page", "note_verbale") == []
    assert findings(converted, "note-two-pages", "note_verbale", LONG_VISIT) == []


def test_page_with_two_lines(converted):
    assert findings(converted, "page-of-two-lines", "roadmap") == [(2, "no-near-empty-page", f"the page holds only 2 lines of text {NEAR_EMPTY}")]


def test_pages_well_filled_and_a_cover_may_be_short(converted):
    assert findings(converted, "pages-well-filled", "seminar") == []
    assert findings(converted, "page-of-two-lines", "cover") == []


def test_short_list_split_between_pages(converted):
    assert findings(converted, "list-split", "seminar") == [
        (1, "short-lists-together", "the list 'Item one of the list' (4 items) is split between pages 1 and 2 (keep it together: set 'Keep with next' on every item but the last)"),
    ]


def test_short_list_kept_together(converted):
    layout = read_layout(*converted["list-kept-together"])
    assert [paragraph.page for paragraph in layout.paragraphs if paragraph.list_item] == [2, 2, 2, 2]
    assert findings(converted, "list-kept-together", "seminar") == []


def test_table_rows_that_may_break(converted):
    assert findings(converted, "rows-may-break", "seminar") == [
        (1, "table-rows-unbroken", "table 1 ('Time') lets 2 of its 3 rows break across pages (untick 'Allow row to break across pages' in Table Properties, Row)"),
    ]
    assert findings(converted, "rows-kept-whole", "seminar") == []


def test_events_missing_from_their_days_table(converted):
    facts = PageFacts("en", 3, 6, (*EVENTS, ProgrammeEvent(DAY_3, "10:00", "Ms Dana Roy")))
    assert findings(converted, "programme-missing-events", "programme", facts) == [
        (1, "every-event-in-its-day", "'Mr Ben Okafor' at 11:30 is missing from the table of Tuesday 16 February 2027"),
        (1, "every-event-in-its-day", "'Ratifying UNCAT in Testland' at 14:00 is missing from the table of Wednesday 17 February 2027"),
        (1, "every-event-in-its-day", "no heading for Thursday 18 February 2027 was found, so 'Ms Dana Roy' at 10:00 is not under its day (give each day a heading with its date)"),
    ]


def test_every_event_in_its_days_table(converted):
    assert findings(converted, "programme-complete", "programme") == []


def test_brief_over_two_pages(converted):
    assert findings(converted, "brief-three-pages", "brief") == [
        (3, "brief-within-two-pages", "the brief runs to 3 pages; with the usual amount of data it should fit on 2 (shorten it)"),
    ]
    assert findings(converted, "brief-two-pages", "brief") == []
    assert findings(converted, "brief-three-pages", "brief", LONG_VISIT) == []


def test_brief_with_a_few_lines_on_its_last_page(converted):
    [(page, rule, message)] = findings(converted, "brief-short-last-page", "brief")
    assert (page, rule) == (2, "last-page-filled")
    assert re.fullmatch(r"the last page holds only (\d+) lines of text \(fit the document on one page fewer, or move more onto its last page\)", message)
    assert "last-page-filled" in [rule for _, rule, _ in findings(converted, "brief-short-last-page", "programme")]
    assert findings(converted, "brief-short-last-page", "seminar") == []  # the rule is a brief's, a programme's and the roadmap's


def test_a_finding_reads_with_its_document_and_page():
    finding = PageFinding("01-invitation.pdf", 2, "closing-with-last-paragraph", "the closing and signature stand alone on the last page")
    assert str(finding) == "01-invitation.pdf page 2: the closing and signature stand alone on the last page"


def test_a_kind_without_rules_of_its_own_gets_those_for_every_document(converted):
    assert [rule for _, rule, _ in findings(converted, "page-of-two-lines", "annex")] == ["no-near-empty-page"]
    assert "note_verbale" in KINDS


# What the rules find on the shipped packs before their templates are reworked (issue 7). A new
# finding fails this test; so does a fixed one until it is taken off the list, which must shrink
# to nothing as the templates are fixed.
@pytest.mark.integration
@pytest.mark.parametrize("slug", SLUGS)
def test_shipped_packs_break_no_page_rule(built, slug):
    _, results = built
    assert not results[slug].page_findings, "\n".join(str(finding) for finding in results[slug].page_findings)


@pytest.mark.integration
def test_build_prints_each_broken_rule_as_a_warning_and_goes_on(project_root):
    # Thirty long priorities cannot fit a note verbale on one page, even set tighter.
    data = country_data("veloria")
    data["visit"]["priorities"] = [f"priority number {number}, which the Government describes at some length so that the paragraph grows well beyond a few lines of text" for number in range(1, 31)]
    write_country(project_root, "veloria", data)
    result = CliRunner().invoke(cli, ["build", "veloria"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: build/veloria/")]
    assert any(re.fullmatch(r"warning: build/veloria/01-invitation\.pdf page 2: the note verbale runs to [23] pages; for a visit of 2 days and 6 meetings it should fit on one \(shorten it\)", line) for line in warnings), result.output
    assert "build/veloria/veloria-briefing-pack.pdf: " in result.output


def test_a_short_last_page_tells_the_country_files_writer_what_to_change():
    from cti_briefings.pagerules import Layout, Line, PageFacts, last_page_filled

    lines = tuple(Line(1, 800 - 14 * row, "x") for row in range(40)) + tuple(Line(2, 800 - 14 * row, "x") for row in range(8))
    [(page, message)] = last_page_filled(Layout("02-visit-programme.pdf", 2, lines, None, None, None), PageFacts())
    assert (page, message) == (2, "the last page holds only 8 lines of text (in the country file, move a meeting to another day or shorten long venues and titles; or accept the page)")
