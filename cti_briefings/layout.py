"""Layout rules applied to a rendered document, where the template cannot express them.

A template repeats one list paragraph per item, so it cannot give the last item of a list
different properties from the others; these rules run on the filled-in document instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph

SHORT_LIST_ITEMS = 6  # a list this long or shorter, and no longer than SHORT_LIST_CHARACTERS, is kept on one page
SHORT_LIST_CHARACTERS = 700  # about eight lines: a longer list of long points may split, as paragraphs do
LIST_STYLES = ("List Bullet", "List Number")


def is_short_list(texts: list[str]) -> bool:
    """True for a list that moves whole to the next page rather than split."""
    return len(texts) <= SHORT_LIST_ITEMS and sum(len(text) for text in texts) <= SHORT_LIST_CHARACTERS


def keep_short_lists_together(document: Any) -> None:
    """Keep each item of a short list with the next, and let the last item go with what follows.

    A long list may split between pages; a short one moves whole to the next page instead.
    """
    style_of = _paragraph_styles(document)
    lists: list[tuple[list[Paragraph], bool]] = []
    current: list[Paragraph] = []
    current_style = None
    for element in document.element.body.iterchildren():
        style = None
        paragraph = Paragraph(element, document) if element.tag == qn("w:p") else None
        if paragraph is not None:
            style = style_of(element)
        if paragraph is not None and style in LIST_STYLES and (not current or current_style == style):
            current.append(paragraph)
            current_style = style
            continue
        if current:
            # A list stays with what follows when that paragraph is itself kept with the next
            # (a letter's last paragraph, kept with its closing), so the block moves as one.
            lists.append((current, bool(paragraph is not None and paragraph.paragraph_format.keep_with_next)))
        current = [paragraph] if paragraph is not None and style in LIST_STYLES else []
        current_style = style
    if current:
        lists.append((current, False))
    for items, with_next in lists:
        short = is_short_list([item.text for item in items])
        for item in items:  # a list may split between its items, never inside one
            item.paragraph_format.keep_together = True
        for item in items[:-1]:
            item.paragraph_format.keep_with_next = short
        items[-1].paragraph_format.keep_with_next = short and with_next
        if not short and len(items) >= 4:
            # A longer list splits, but never leaves one item alone on either page.
            items[0].paragraph_format.keep_with_next = True
            items[-2].paragraph_format.keep_with_next = True


SHORT_TABLE_ROWS = 12  # a labelled table this long or shorter is kept together, but for the splits below
KEPT_END_ROWS = 4  # the last rows of a labelled table that move together when it splits
WHOLE_HEADED_ROWS = 4  # a table with a header row and at most this many rows (header included) moves whole
KEPT_HEADED_END_ROWS = 2  # the last rows of a longer table with a header row that stay together


def keep_short_tables_together(document: Any) -> None:
    """Keep the rows of a table together where a split would look broken; let it split elsewhere.

    Word and LibreOffice keep rows together when the paragraphs of all rows but the last are
    kept with the next. A short table with a header row (a few rows) moves whole to the next
    page; a longer one (a day of the programme) may split between its rows, its header row
    repeated, so that it does not leave the page before half empty: its header and first row
    stay together, and its last KEPT_HEADED_END_ROWS. A table of labelled rows without a header
    row (a brief's background) keeps its first two rows together and its last KEPT_END_ROWS,
    so that what runs onto a page is more than a line or two. A table longer than
    SHORT_TABLE_ROWS splits freely between rows.
    """
    for table in document.element.body.iterchildren(qn("w:tbl")):
        rows = list(table.iterchildren(qn("w:tr")))
        if len(rows) > SHORT_TABLE_ROWS:
            continue
        has_header = any(row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in rows[:1])
        if has_header:
            whole = len(rows) <= WHOLE_HEADED_ROWS
            kept = rows[:-1] if whole else [rows[0], *rows[-KEPT_HEADED_END_ROWS:-1]]
        else:
            kept = rows[:-1] if len(rows) <= KEPT_END_ROWS + 2 else [rows[0], *rows[-KEPT_END_ROWS:-1]]
        for row in kept:
            for element in row.iter(qn("w:p")):
                Paragraph(element, document).paragraph_format.keep_with_next = True


def drop_empty_cell_endings(document: Any) -> None:
    """Remove empty paragraphs that end a table cell (a programme's meeting with no line under it).

    A template cell holds a paragraph per value; one left empty would print a blank line and make
    every such row a line taller. A cell keeps at least one paragraph, as Word requires."""
    for cell in document.element.body.iter(qn("w:tc")):
        paragraphs = list(cell.iterchildren(qn("w:p")))
        while len(paragraphs) > 1 and _is_empty(paragraphs[-1]) and paragraphs[-1].getnext() is None:
            cell.remove(paragraphs.pop())


SPACE_WIDTH_PT = 2.6  # a space of the body type, near enough


def indent_leading_spaces(document: Any) -> None:
    """Turn spaces that open a table cell's paragraph into the paragraph's indent.

    Spaces indent only the first line: a contents line that wraps ('Brief 7: Secretariat of the
    Littoral States Community') would run its second line back to the margin."""
    for cell in document.element.body.iter(qn("w:tc")):
        for element in cell.iterchildren(qn("w:p")):
            texts = [text for text in element.iter(qn("w:t")) if text.text]
            if not texts or not texts[0].text.startswith("  "):
                continue
            spaces = len(texts[0].text) - len(texts[0].text.lstrip(" "))
            texts[0].text = texts[0].text.lstrip(" ")
            Paragraph(element, document).paragraph_format.left_indent = Pt(spaces * SPACE_WIDTH_PT)


def _is_empty(paragraph: Any) -> bool:
    """True for a paragraph with no text (an empty value leaves an empty w:t), no drawing, no break and no field."""
    if any(text.text for text in paragraph.iter(qn("w:t"))):
        return False
    return next(paragraph.iter(qn("w:drawing"), qn("w:br"), qn("w:fldSimple"), qn("w:instrText"), qn("w:sym"), qn("w:tab")), None) is None


def _paragraph_styles(document: Any) -> Callable[[Any], str | None]:
    """Return a function giving a paragraph element's style name, as python-docx's Paragraph.style.name does.

    Worked out from the styles part once per document: python-docx looks the style up anew for
    each paragraph, a third of a document's rendering time with Word's long list of styles.
    """
    found: dict[str, tuple[bool, str | None]] = {}  # style id -> (a paragraph style, its name); the first of an id counts
    default = None
    for style in document.styles.element.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        ui_name = BabelFish.internal2ui(name.get(qn("w:val"))) if name is not None and name.get(qn("w:val")) is not None else None
        is_paragraph = style.get(qn("w:type")) == "paragraph"
        found.setdefault(style.get(qn("w:styleId")), (is_paragraph, ui_name))
        if is_paragraph and style.get(qn("w:default")) in ("1", "true", "on"):
            default = ui_name  # python-docx takes the last style marked default

    def style_of(element: Any) -> str | None:
        style_id = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        is_paragraph, name = found.get(style_id.get(qn("w:val"), "") if style_id is not None else "", (False, None))
        return name if is_paragraph else default

    return style_of


TIGHTER_SPACING = 0.55  # a tightened document's space between paragraphs, as a share of the template's
# Larger spaces are kept: they are areas left blank on purpose (initials and stamp of a note verbale).
KEPT_SPACE_TWIPS = 480
_SPACING = re.compile(rb'(<w:spacing\b[^>]*?\bw:(?:before|after)=")(\d+)(")')
SINGLE_LINE = 240  # line spacing of exactly one line, in 240ths
# A little more than single line spacing (the body's 1.1) is set single; exact and larger settings are kept.
_LINE_SPACING = re.compile(rb'(<w:spacing\b[^>]*?\bw:line=")(2[4-9]\d)("[^>]*?\bw:lineRule="auto")')


def tighten(docx: bytes) -> bytes:
    """Return the document with less space between paragraphs and lines, its type unchanged.

    Used once, for a document whose last page would hold only a few lines or whose closing
    would stand alone: a little tighter, it often fits on one page fewer. Readers notice
    smaller type, on a letter to a Minister above all; they do not notice the spacing.
    """
    def closer(match: re.Match[bytes]) -> bytes:
        space = int(match.group(2))
        return match.group(1) + str(space if space >= KEPT_SPACE_TWIPS else round(space * TIGHTER_SPACING)).encode() + match.group(3)

    source = zipfile.ZipFile(io.BytesIO(docx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("word/document.xml", "word/styles.xml"):
                data = _SPACING.sub(closer, data)
                data = _LINE_SPACING.sub(lambda match: match.group(1) + str(SINGLE_LINE).encode() + match.group(3), data)
            target.writestr(info, data)  # same names, order and timestamps: builds stay reproducible
    return output.getvalue()
