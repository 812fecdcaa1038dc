"""Page rules: what a careful reader checks on every converted document, checked by the build.

Each rule is a small function over a document's layout: the lines LibreOffice wrote on each page
(PDFium's text objects with their baselines, pdftext.py; headers and footers left out) and, when
the .docx is given, its paragraphs and tables, each placed on the page where its text begins.
LibreOffice writes each line of a paragraph or table cell as one piece of text, in document
order, so paragraphs are found by their text without a layout analysis.

A rule returns plain-words findings naming the document and the page. `build` logs them as
warnings and goes on; the tests treat them as failures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date
from lxml import etree

from .cache import remembered
from .errors import AssemblyError, display_path
from .layout import SHORT_LIST_CHARACTERS, SHORT_LIST_ITEMS, is_short_list
from .pdftext import PdfTextError, page_lines

if TYPE_CHECKING:
    from .schema import Country

log = logging.getLogger(__name__)

KINDS = ("cover", "invitation_letter", "note_verbale", "programme", "brief", "seminar", "roadmap")
KIND_ALIASES = {"letter": "invitation_letter", "visit_programme": "programme", "meeting_brief": "brief", "seminar_programme": "seminar", "strategy_roadmap": "roadmap"}
"""Other names a build may give its kinds of document."""

MIN_LINES_ON_A_PAGE = 6
"""A page of a document of several pages holding fewer text lines than this looks left over."""
"""A list of at most this many items is kept on one page."""
USUAL_VISIT_DAYS = 3
USUAL_VISIT_MEETINGS = 10
"""A usual visit: its note verbale fits on one page and each brief on two."""
BRIEF_PAGES = 2
BRIEF_LAST_PAGE_LINES = 15
"""The last page of a brief, a programme or the roadmap holds at least this many lines (about a quarter of a page), or the document is one page shorter."""
DAY_HEADING_LENGTH = 60
"""A day's heading in a programme is a short paragraph holding the date, e.g. 'Day 1: Tuesday 16 February 2027'."""
CLOSINGS = {
    "en": ("Accept, Excellency,", "Accept, "),
    "fr": ("Je vous prie d’agréer, Excellence,", "Veuillez agréer", "Je vous prie d’agréer"),
    "es": ("Aprovecho la oportunidad", "Reciba, Excelencia,"),
}
"""How a letter's complimentary close begins, per language; the first is the usual one."""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS = 1 / 20
DEFAULT_MARGINS = (56.7, 51.0)
"""Top and bottom page margins in points (2 cm and 1.8 cm) when no .docx says otherwise."""
LINE_TOLERANCE = 3.0
"""Pieces of text whose baselines differ by less than this many points share a line."""
KEY_LENGTH = 24
"""Letters and digits of a paragraph's opening used to find it in the PDF."""


@dataclass(frozen=True)
class PageFinding:
    """One broken page rule, in a document, on a page."""

    document: str
    page: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.document} page {self.page}: {self.message}"


@dataclass(frozen=True)
class ProgrammeEvent:
    """A meeting or the seminar, as the visit programme must show it under its day."""

    day: dt.date
    start: str
    """Start time as printed, e.g. '09:30'."""
    title: str
    """Text that names it in the programme: the counterpart's name (or office), the seminar's title."""


@dataclass(frozen=True)
class PageFacts:
    """What the rules need to know of the country: the language, the size of the visit, its events."""

    language: str = "en"
    visit_days: int = 1
    meetings: int = 0
    events: tuple[ProgrammeEvent, ...] = ()

    @property
    def usual_visit(self) -> bool:
        return self.visit_days <= USUAL_VISIT_DAYS and self.meetings <= USUAL_VISIT_MEETINGS


def page_facts(country: Country) -> PageFacts:
    """Return the facts the page rules check a country's documents against."""
    from .schema import COURTESY_TITLE  # loaded with the Country it is given

    events = []
    for meeting in country.meetings:
        counterpart = meeting.counterpart
        # The name without its Mr or Ms, which 'Hon.' drops in print.
        name = COURTESY_TITLE.sub("", counterpart.name) if counterpart.name else ""
        events.append(ProgrammeEvent(meeting.date, meeting.start.strftime("%H:%M"), name or counterpart.office or ""))
    if country.seminar is not None:
        seminar = country.seminar
        events.append(ProgrammeEvent(seminar.date, seminar.sessions[0].start.strftime("%H:%M"), seminar.title))
    return PageFacts(country.language, (country.visit.end - country.visit.start).days + 1, len(country.meetings), tuple(events))


# --- A converted document as the rules see it --------------------------------------------

@dataclass(frozen=True)
class Line:
    """A piece of text LibreOffice wrote on one line of a page (of a paragraph or a table cell)."""

    page: int
    y: float
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the .docx and the page of the PDF on which its text begins (None: not found)."""

    text: str
    page: int | None
    list_item: bool
    list_start: bool
    """True for the first item of a run of list paragraphs."""


@dataclass(frozen=True)
class Table:
    number: int
    first_text: str
    page: int | None
    rows: tuple[tuple[str, ...], ...]
    """Each row's cell texts."""
    rows_that_may_break: int


@dataclass(frozen=True)
class Layout:
    name: str
    pages: int
    lines: tuple[Line, ...]
    """Body text in document order; headers and footers left out."""
    paragraphs: tuple[Paragraph, ...] | None
    tables: tuple[Table, ...] | None
    body: tuple[Paragraph | Table, ...] | None
    """Top-level paragraphs and tables in order, for rules that read headings."""

    def lines_on(self, page: int) -> int:
        """Count the text lines on a page; table cells side by side share a line."""
        heights = sorted((line.y for line in self.lines if line.page == page), reverse=True)
        count, last = 0, None
        for y in heights:
            if last is None or last - y >= LINE_TOLERANCE:
                count += 1
                last = y
        return count


Finding = tuple[int, str]
"""A page and what is wrong on it."""


@dataclass(frozen=True)
class PageRule:
    name: str
    explanation: str
    kinds: tuple[str, ...] | None
    """The kinds of document it applies to; None: every kind but those in `skip`."""
    check: Callable[[Layout, PageFacts], Iterator[Finding]]
    skip: tuple[str, ...] = ()

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds if self.kinds is not None else kind not in self.skip


def check_document(kind: str, pdf: Path, docx: Path | None, facts: PageFacts) -> list[PageFinding]:
    """Check a converted document against every page rule for its kind; return what breaks them."""
    try:
        parts = [kind.encode(), pdf.name.encode(), repr(facts).encode(), pdf.read_bytes(), docx.read_bytes() if docx else b"-"]
    except OSError:
        return _check_document(kind, pdf, docx, facts)  # which says what cannot be read
    # Kept by the document's bytes, the facts and the rules' code: an unchanged document is not checked twice.
    found = remembered("page-findings", parts, lambda: [dataclasses.asdict(finding) for finding in _check_document(kind, pdf, docx, facts)])
    assert isinstance(found, list)
    return [PageFinding(**finding) for finding in found]


def _check_document(kind: str, pdf: Path, docx: Path | None, facts: PageFacts) -> list[PageFinding]:
    if kind not in KINDS:
        log.debug("%s: no page rules for documents of kind %r beyond those for every document", pdf.name, kind)
    layout = read_layout(pdf, docx)
    findings = []
    for rule in RULES:
        if rule.applies_to(kind):
            findings += [PageFinding(pdf.name, page, rule.name, message) for page, message in rule.check(layout, facts)]
    return sorted(findings, key=lambda finding: finding.page)


def check_pages(country: Country, documents: list[tuple[str, Path, Path]]) -> list[PageFinding]:
    """Check a pack's converted documents, each given as (kind, .docx, .pdf), against the page rules."""
    facts = page_facts(country)
    findings = []
    for kind, docx, pdf in documents:
        if kind == "invitation":  # one template for both forms of the invitation
            kind = "note_verbale" if country.visit.letter_form == "note_verbale" else "invitation_letter"
        kind = KIND_ALIASES.get(kind, kind)
        findings += check_document(kind, pdf, docx, facts)
    return findings


def read_layout(pdf: Path, docx: Path | None) -> Layout:
    """Read a PDF's body lines and, if given, its .docx's paragraphs and tables placed on pages."""
    document, styles = _open_docx(docx) if docx else (None, None)
    top, bottom = _margins(document) if document is not None else DEFAULT_MARGINS
    try:
        pages = page_lines(pdf)  # a few milliseconds a document; what is found is kept (check_document)
    except (PdfTextError, OSError, ValueError) as exc:
        raise AssemblyError(f"{display_path(pdf)}: its pages cannot be read to check them ({exc})") from None
    assert isinstance(pages, list)
    lines = [Line(number, y, text) for number, (height, page) in enumerate(pages, start=1) for y, text in page if bottom <= y <= height - top]
    if document is None:
        return Layout(pdf.name, len(pages), tuple(lines), None, None, None)
    paragraphs, tables, body = _read_docx(document, styles, _Locator(lines))
    return Layout(pdf.name, len(pages), tuple(lines), paragraphs, tables, body)


# --- The rules ------------------------------------------------------------------------------

def closing_with_last_paragraph(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """A letter's closing and signature share their page with the last paragraph before them."""
    openings = CLOSINGS.get(facts.language, CLOSINGS["en"])
    keys = tuple(_words(opening) for opening in openings)
    if layout.paragraphs is not None:
        texts = [(paragraph.text, paragraph.page) for paragraph in layout.paragraphs if _compact(paragraph.text)]
    else:
        texts = [(line.text, line.page) for line in layout.lines if _compact(line.text)]
    closes = [index for index, (text, _) in enumerate(texts) if _words(text).startswith(keys)]
    if not closes:
        yield layout.pages, f"the complimentary close ('{openings[0]} …') was not found: a letter ends with it, then the signature"
        return
    close = closes[-1]
    close_page = texts[close][1]
    if close_page is None:
        return
    after = [page for _, page in texts[close + 1:] if page is not None and page > close_page]
    if after:
        yield after[0], f"the signature stands on page {after[0]}, apart from the closing on page {close_page} (keep them together: set 'Keep with next' on the closing and the signature lines)"
    before = texts[close - 1][1] if close > 0 else None
    if before is not None and before < close_page:
        yield close_page, (
            "the closing and signature stand alone on the last page (keep the last paragraph with them: "
            "shorten the letter, or set 'Keep with next' on the last paragraph and the closing)"
        )


def note_verbale_on_one_page(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """A note verbale for a usual visit (up to 3 days and 10 meetings) fits on one page."""
    if layout.pages > 1 and facts.usual_visit:
        yield 2, (
            f"the note verbale runs to {layout.pages} pages; for a visit of {_count(facts.visit_days, 'day')} and "
            f"{_count(facts.meetings, 'meeting')} it should fit on one (shorten it)"
        )


def no_near_empty_page(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """No page of a document of several pages holds only a few lines (a cover may)."""
    if layout.pages < 2:
        return
    for page in range(1, layout.pages + 1):
        count = layout.lines_on(page)
        if count < MIN_LINES_ON_A_PAGE:
            what = "no text" if count == 0 else f"only {_count(count, 'line')} of text"
            yield page, f"the page holds {what} (shorten the document to pull them onto the page before, or move more onto this page)"


def short_lists_together(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """A short list (up to 6 items of about eight lines in all) is not split between pages."""
    if layout.paragraphs is None:
        return
    for items in _lists(layout.paragraphs):
        pages = sorted({item.page for item in items if item.page is not None})
        if is_short_list([item.text for item in items]) and len(pages) > 1:
            yield pages[0], (
                f"the list '{_opening(items[0].text)}' ({_count(len(items), 'item')}) is split between pages {pages[0]} and {pages[-1]} "
                "(keep it together: set 'Keep with next' on every item but the last)"
            )


def table_rows_unbroken(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """No table row may break across pages."""
    for table in layout.tables or ():
        if table.rows_that_may_break:
            yield table.page or 1, (
                f"table {table.number} ('{_opening(table.first_text)}') lets {table.rows_that_may_break} of its {_count(len(table.rows), 'row')} "
                "break across pages (untick 'Allow row to break across pages' in Table Properties, Row)"
            )


def every_event_in_its_day(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """Every meeting and the seminar appear, with their time, in the table under their day's heading."""
    if layout.body is None:
        yield 1, "the programme cannot be checked without its .docx"
        return
    days = sorted({event.day for event in facts.events})
    # The date as words ('17 February 2027'), not inside a range ('16–17 February 2027').
    headings = {day: re.compile(rf"(?<![\w–-]){re.escape(format_date(day, 'd MMMM y', locale=facts.language).casefold())}(?!\w)") for day in days}
    tables: dict[dt.date, list[Table]] = {}
    heading_pages: dict[dt.date, int] = {}
    current: dt.date | None = None
    for block in layout.body:
        if isinstance(block, Table):
            if current is not None:
                tables[current].append(block)
            continue
        text = " ".join(block.text.casefold().split())
        # Only a heading opens a day: a subtitle giving a one-day visit's date does not.
        day = next((day for day, date in headings.items() if len(text) <= DAY_HEADING_LENGTH and date.search(text)), None) if _is_heading(block) else None
        if day is not None and day not in tables:
            current = day
            tables[day] = []
            heading_pages[day] = block.page or 1
        elif day is None and _is_heading(block):
            current = None  # a section after the days, e.g. 'Meetings with partners'
    for event in facts.events:
        long_date = format_date(event.day, "EEEE d MMMM y", locale=facts.language)
        if event.day not in tables:
            yield 1, f"no heading for {long_date} was found, so '{event.title}' at {event.start} is not under its day (give each day a heading with its date)"
            continue
        wanted = (_compact(event.start), _compact(event.title))
        rows = [_compact(" ".join(row)) for table in tables[event.day] for row in table.rows]
        if not any(wanted[0] in row and wanted[1] in row for row in rows):
            yield heading_pages[event.day], f"'{event.title}' at {event.start} is missing from the table of {long_date}"


def brief_within_two_pages(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """A meeting brief for a usual visit fits on two pages."""
    if layout.pages > BRIEF_PAGES and facts.usual_visit:
        yield BRIEF_PAGES + 1, f"the brief runs to {layout.pages} pages; with the usual amount of data it should fit on {BRIEF_PAGES} (shorten it)"


def last_page_filled(layout: Layout, facts: PageFacts) -> Iterator[Finding]:
    """A letter, brief, programme or roadmap that runs onto another page puts at least a quarter of a page on it."""
    if layout.pages < 2:
        return
    count = layout.lines_on(layout.pages)
    if MIN_LINES_ON_A_PAGE <= count < BRIEF_LAST_PAGE_LINES:  # fewer: a near-empty page, said once
        hint = next((hint for part, hint in SHORTER_IN_THE_COUNTRY_FILE if part in layout.name), "fit the document on one page fewer, or move more onto its last page")
        yield layout.pages, f"the last page holds only {count} lines of text ({hint})"


# What the writer of a country file can change when the build could not fit a document itself.
SHORTER_IN_THE_COUNTRY_FILE = (
    ("visit-programme", "in the country file, move a meeting to another day or shorten long venues and titles; or accept the page"),
    ("meeting-brief", "in the country file, shorten the meeting's own lines or its background; or accept the page"),
    ("roadmap", "in the country file, shorten the notes of the strategy's steps; or accept the page"),
    ("invitation", "in the country file, shorten the visit's priorities or the delegation's positions; or accept the page"),
)


RULES = (
    PageRule("closing-with-last-paragraph", "a letter's closing and signature share their page with its last paragraph", ("invitation_letter",), closing_with_last_paragraph),
    PageRule("note-verbale-on-one-page", "a note verbale for a usual visit fits on one page", ("note_verbale",), note_verbale_on_one_page),
    PageRule("no-near-empty-page", f"no page of a document (but the cover) holds fewer than {MIN_LINES_ON_A_PAGE} lines", None, no_near_empty_page, skip=("cover",)),
    PageRule("short-lists-together", f"a list of up to {SHORT_LIST_ITEMS} items and {SHORT_LIST_CHARACTERS} characters stays on one page", None, short_lists_together),
    PageRule("table-rows-unbroken", "no table row breaks across pages", None, table_rows_unbroken),
    PageRule("every-event-in-its-day", "every meeting and the seminar are in their day's table", ("programme",), every_event_in_its_day),
    PageRule("brief-within-two-pages", "a meeting brief for a usual visit fits on two pages", ("brief",), brief_within_two_pages),
    PageRule("last-page-filled", f"the last page of a letter, a meeting brief, a programme or the roadmap holds at least {BRIEF_LAST_PAGE_LINES} lines",
             ("invitation_letter", "brief", "programme", "roadmap"), last_page_filled),
)

LENGTH_RULES = frozenset({"closing-with-last-paragraph", "note-verbale-on-one-page", "no-near-empty-page", "short-lists-together", "brief-within-two-pages", "last-page-filled"})
"""Rules a slightly tighter setting of the same document can satisfy (see build._check_and_fit)."""


# --- Reading the PDF and the .docx ----------------------------------------------------------

class _Locator:
    """Finds, in document order, the page on which a paragraph's text begins."""

    def __init__(self, lines: list[Line]):
        self.stream, self.pages = "", []
        for line in lines:
            text = _compact(line.text)
            self.stream += text
            self.pages += [line.page] * len(text)
        self.cursor = 0

    def page_of(self, text: str) -> int | None:
        compact = _compact(text)
        if not compact:
            return None
        # A paragraph not in the PDF must not move the cursor far past the ones that are.
        window = self.stream[self.cursor : self.cursor + max(2000, 3 * len(compact))]
        found = window.find(compact[:KEY_LENGTH])
        if found < 0:
            return None
        start = self.cursor + found
        whole = self.stream.startswith(compact, start)
        self.cursor = start + (len(compact) if whole else min(len(compact), KEY_LENGTH))
        return self.pages[start]


def _open_docx(docx: Path):
    """Return the parsed document.xml of a .docx and what its styles.xml says (see _style_kinds)."""
    try:
        with zipfile.ZipFile(docx) as archive:
            document = etree.fromstring(archive.read("word/document.xml"))
            styles = _style_kinds(archive.read("word/styles.xml") if "word/styles.xml" in archive.namelist() else None)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise AssemblyError(f"{display_path(docx)}: cannot be read to check its pages ({exc})") from None
    return document, styles


def _read_docx(document, styles, locator: _Locator) -> tuple[tuple[Paragraph, ...], tuple[Table, ...], tuple[Paragraph | Table, ...]]:
    listed_styles, heading_styles = styles
    body = document.find(f"{W}body")
    placed: dict[object, Paragraph] = {}
    paragraphs: list[Paragraph] = []
    previous_item = None
    for element in body.iter(f"{W}p"):
        style = element.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else None
        item = _is_list_item(element, style_id, listed_styles)
        start = item and (previous_item is None or previous_item.getnext() is not element)
        paragraph = Paragraph(_text(element), locator.page_of(_text(element)), item, start)
        if style_id in heading_styles:
            paragraph = _Heading(paragraph.text, paragraph.page, item, start)
        placed[element] = paragraph
        paragraphs.append(paragraph)
        previous_item = element if item else None
    tables = []
    for number, element in enumerate(body.iter(f"{W}tbl"), start=1):
        rows = element.findall(f"{W}tr")
        cells = tuple(tuple(_text(cell) for cell in row.findall(f"{W}tc")) for row in rows)
        first = next((placed[p] for p in element.iter(f"{W}p") if placed[p].page is not None), None)
        # A repeated header row is a line of column titles, which Word and LibreOffice repeat whole.
        may_break = sum(1 for row in rows if not _on(row.find(f"{W}trPr/{W}cantSplit")) and not _on(row.find(f"{W}trPr/{W}tblHeader")))
        tables.append(Table(number, next((text for row in cells for text in row if text.strip()), ""), first.page if first else None, cells, may_break))
    by_element = dict(zip(body.iter(f"{W}tbl"), tables))
    top_level = tuple(placed[child] if child.tag == f"{W}p" else by_element[child] for child in body if child.tag in (f"{W}p", f"{W}tbl"))
    return tuple(paragraphs), tuple(tables), top_level


@dataclass(frozen=True)
class _Heading(Paragraph):
    """A paragraph in one of Word's heading styles (or the title)."""


def _is_heading(paragraph: Paragraph) -> bool:
    return isinstance(paragraph, _Heading)


@functools.lru_cache(maxsize=16)
def _style_kinds(styles_xml: bytes | None) -> tuple[frozenset[str], frozenset[str]]:
    """Return the ids of paragraph styles that number their paragraphs, and of heading styles.

    Worked out once per styles.xml: every document made from one template has the same."""
    if styles_xml is None:
        return frozenset(), frozenset()
    styles = etree.fromstring(styles_xml)
    based_on, numbered, headings = {}, set(), set()
    for style in styles.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        parent = style.find(f"{W}basedOn")
        based_on[style_id] = parent.get(f"{W}val") if parent is not None else None
        num = style.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is not None and num.get(f"{W}val") != "0":
            numbered.add(style_id)
        name = style.find(f"{W}name")
        if name is not None and re.match(r"(heading \d|title)$", name.get(f"{W}val", "").lower()):
            headings.add(style_id)
    for style_id in list(based_on):
        seen, current = set(), based_on[style_id]
        while current and current not in seen:
            seen.add(current)
            if current in numbered:
                numbered.add(style_id)
                break
            current = based_on.get(current)
    return frozenset(numbered), frozenset(headings)


def _is_list_item(paragraph, style_id: str | None, listed_styles: frozenset[str]) -> bool:
    own = paragraph.find(f"{W}pPr/{W}numPr/{W}numId")
    if own is not None:
        return own.get(f"{W}val") != "0"
    return style_id in listed_styles


def _lists(paragraphs: tuple[Paragraph, ...]) -> Iterator[list[Paragraph]]:
    current: list[Paragraph] = []
    for paragraph in paragraphs:
        if paragraph.list_item and not paragraph.list_start and current:
            current.append(paragraph)
            continue
        if current:
            yield current
        current = [paragraph] if paragraph.list_item else []
    if current:
        yield current


def _margins(document) -> tuple[float, float]:
    margins = document.find(f"{W}body/{W}sectPr/{W}pgMar")
    if margins is None:
        return DEFAULT_MARGINS
    return (float(margins.get(f"{W}top", 1134)) * TWIPS, float(margins.get(f"{W}bottom", 1020)) * TWIPS)


def _on(element) -> bool:
    return element is not None and element.get(f"{W}val", "true") not in ("false", "0", "off")


def _text(element) -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}t"))


def _compact(text: str) -> str:
    """Letters and digits only, case-folded: the same for a paragraph and for the lines it was laid out in."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())


def _words(text: str) -> str:
    """Words as typed, case-folded, one space apart, one kind of apostrophe."""
    return " ".join(text.replace("\u2019", "'").casefold().split())


def _opening(text: str, words: int = 6) -> str:
    split = text.split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
