"""Lays out the first version of the Word templates in templates/en/.

Bootstrap only: the .docx files in templates/ are the source, and Secretariat staff edit them
in Word. Running this again OVERWRITES their edits, so it refuses to replace a template unless
given --force. The build never runs it.

    python tools/make_templates.py [--force] [--only NAME]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "templates" / "en"
FONT = "Arial"  # Liberation Sans on Linux has the same metrics
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "1F3A5F"
BAND_FILL = "E8EEF5"
TEXT_WIDTH_CM = 16.0  # A4 with 2.5 cm margins


# --- House style ----------------------------------------------------------------------------


def new_document(body_size: float = 10.5, margin_cm: float = 2.5) -> Document:
    """A blank A4 document in house style, with no header or footer: the pack's marking and
    footer are stamped at assembly, so that what the Government receives carries neither."""
    document = Document()
    _clean_properties(document)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(margin_cm)
    # The top and bottom margins leave room for the marking and footer stamped on the pack.
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    _styles(document, body_size)
    # python-docx starts with one empty paragraph; remove it so documents begin with content
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    return document


def _clean_properties(document: Document) -> None:
    properties = document.core_properties
    properties.author = "CTI Secretariat"
    properties.last_modified_by = "CTI Secretariat"
    properties.comments = ""
    properties.title = ""
    properties.subject = ""
    properties.keywords = ""
    properties.revision = 1


def _styles(document: Document, body_size: float) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(body_size)
    _set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6 if body_size > 10 else 4)
    normal.paragraph_format.line_spacing = 1.1
    normal.paragraph_format.widow_control = True
    title = 20 if body_size > 10 else 16
    for name, size, before, after in (("Title", title, 0, 4), ("Heading 1", 14, 14, 6), ("Heading 2", 12 if body_size > 10 else 11, 10 if body_size > 10 else 8, 4), ("Heading 3", body_size, 8, 3)):
        style = styles[name]
        style.font.name = FONT
        _set_fonts(style.element)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = NAVY
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True  # never stranded at the foot of a page
        _remove_border(style.element)
    subtitle = styles["Subtitle"]
    subtitle.font.name = FONT
    _set_fonts(subtitle.element)
    subtitle.font.size = Pt(12)
    subtitle.font.italic = False
    subtitle.font.color.rgb = GREY
    for name in ("List Bullet", "List Number"):
        style = styles[name]
        style.font.name = FONT
        style.paragraph_format.space_after = Pt(2 if body_size < 10 else 3)
    caption = styles["Caption"]
    caption.font.name = FONT
    caption.font.size = Pt(8.5)
    caption.font.bold = False
    caption.font.italic = False
    caption.font.color.rgb = GREY
    for name in ("Header", "Footer"):
        style = styles[name]
        style.paragraph_format.tab_stops.clear_all()
        style.font.name = FONT
        style.font.size = Pt(8)
        style.font.color.rgb = GREY


def _set_fonts(style_element) -> None:
    run_properties = style_element.get_or_add_rPr()
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attribute)) is not None:
            del fonts.attrib[qn(attribute)]


def _remove_border(style_element) -> None:
    paragraph_properties = style_element.find(qn("w:pPr"))
    if paragraph_properties is not None:
        for border in paragraph_properties.findall(qn("w:pBdr")):
            paragraph_properties.remove(border)


def _border(paragraph, side: str, colour: str, size: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "4")
    line.set(qn("w:color"), colour)
    borders.append(line)


def _bottom_border(paragraph, colour: str, size: int) -> None:
    _border(paragraph, "bottom", colour, size)




# --- Building blocks ----------------------------------------------------------------------


def para(document, text: str = "", style: str | None = None, bold: bool = False, align=None, size: float | None = None, colour=None, keep: bool = False, after: float | None = None):
    paragraph = document.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
    if align is not None:
        paragraph.alignment = align
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def tag(document, text: str):
    """A paragraph holding only a {%p ... %} tag: docxtpl replaces the whole paragraph."""
    return document.add_paragraph(text)


def rich(document, parts: list[tuple[str, bool]], style: str | None = None):
    paragraph = document.add_paragraph(style=style)
    for text, bold in parts:
        run = paragraph.add_run(text)
        run.bold = bold or None
    return paragraph


def bullets(document, loop: str, item: str, style: str = "List Bullet") -> None:
    """One paragraph repeated per item, kept with the next so that a short list is not split."""
    tag(document, f"{{%p for {loop} %}}")
    para(document, item, style=style, keep=True)
    tag(document, "{%p endfor %}")


def lines(document, parts: list[tuple[str, bool]]):
    """One paragraph of several lines (line breaks, not paragraphs), each bold or not."""
    paragraph = document.add_paragraph()
    for index, (text, bold) in enumerate(parts):
        if index:
            paragraph.add_run().add_break()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
    return paragraph


def heading(document, text: str, level: int = 1):
    return document.add_heading(text, level=level)


def letterhead(document, subtitle: str) -> None:
    para(document, "Convention against Torture Initiative", bold=True, size=16, colour=NAVY, after=0)
    paragraph = para(document, subtitle, size=9, colour=GREY, after=10)
    _bottom_border(paragraph, "1F3A5F", 12)


def table(document, headers: list[str], widths: list[float], loop: str | None, cells: list[str], header_repeat: bool = True, spacing: bool = True):
    """A house-style table: navy header row that repeats on every page, then one row per item."""
    rows = 1 + (3 if loop else 1)
    grid = document.add_table(rows=rows, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _fixed_layout(grid)
    for index, title in enumerate(headers):
        cell = grid.rows[0].cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        run.font.size = Pt(9)
        _shade(cell, HEADER_FILL)
    if header_repeat:
        _repeat_header(grid.rows[0])
    if loop:
        grid.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
        data_row = grid.rows[2]
        grid.rows[3].cells[0].text = "{%tr endfor %}"
    else:
        data_row = grid.rows[1]
    for index, text in enumerate(cells):
        cell = data_row.cells[index]
        cell.text = ""
        _fill_cell(cell, text)
    _no_split(data_row)
    _column_widths(grid, widths)
    _cell_margins(grid)
    if spacing:
        document.add_paragraph().paragraph_format.space_after = Pt(2)
    return grid


def end_paragraph(document) -> None:
    """The paragraph Word needs after a final table, too small to start a page of its own."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.add_run().font.size = Pt(1)


def key_value_table(document, rows: list[tuple[str, str]], widths=(4.5, 11.5), label_size: float = 9.5, value_size: float = 9.5, spacing: bool = True):
    """Two columns of labels and values; a row whose label starts with '{%tr' is a tag row."""
    grid = document.add_table(rows=len(rows), cols=2)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _fixed_layout(grid)
    for row, (label, value) in zip(grid.rows, rows):
        if label.startswith("{%tr"):
            row.cells[0].text = label
            continue
        row.cells[0].text = ""
        run = row.cells[0].paragraphs[0].add_run(label)
        run.bold = True
        run.font.size = Pt(label_size)
        _shade(row.cells[0], BAND_FILL)
        row.cells[1].text = ""
        _fill_cell(row.cells[1], value, value_size)
        _no_split(row)
    _column_widths(grid, widths)
    _cell_margins(grid)
    if spacing:
        document.add_paragraph().paragraph_format.space_after = Pt(2)
    return grid


def _fill_cell(cell, text: str, size: float = 9.5) -> None:
    """Fill a cell; lines starting with '{%p' become tag paragraphs of their own."""
    lines = text.split("\n")
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        bold = line.startswith("**")
        line = line[2:] if bold else line
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.bold = bold or None
        paragraph.paragraph_format.space_after = Pt(2)


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _no_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)


def _fixed_layout(grid) -> None:
    properties = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(TEXT_WIDTH_CM / 2.54 * 1440)))


def _column_widths(grid, widths) -> None:
    """Set widths where both Word (cell widths) and LibreOffice (the table grid) read them."""
    for row in grid.rows:
        for index, width in enumerate(widths):
            row.cells[index].width = Cm(width)
    for column, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        column.set(qn("w:w"), str(int(width / 2.54 * 1440)))


def _cell_margins(grid) -> None:
    properties = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 40), ("bottom", 40), ("left", 90), ("right", 90)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(document, name: str, force: bool) -> None:
    path = OUT / name
    if path.exists() and not force:
        print(f"{path} exists; not overwritten (use --force to replace staff edits)", file=sys.stderr)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    document.save(path)
    print(f"wrote {path}")


# --- The documents ---------------------------------------------------------------------------
# Templates hold wording; sentences that depend on the State's facts come ready-made from
# cti_briefings/context.py. Each {%p if %}/{%p for %} block shows its subject in every paragraph
# it keeps, so that `cti-briefings check` notices a tag moved by mistake.


def cover() -> Document:
    document = new_document()
    letterhead(document, "Secretariat \u00b7 Geneva")
    para(document, "BRIEFING PACK \u00b7 FOR THE DELEGATION ONLY", bold=True, size=11, colour=GREY, after=2)
    para(document, "{{ country.name }}", style="Title")
    para(document, "{{ country.example_note }}", bold=True, colour=RGBColor(0xA0, 0x1C, 0x1C), after=4)
    para(document, "High-level diplomatic and technical visit, {{ visit.dates }}, {{ visit.city }}", style="Subtitle")
    key_value_table(document, [
        ("Visit", "{{ visit.dates }} ({{ visit.days_in_words }}); {{ visit.starts_in }}"),
        ("Head of delegation", "{{ head.full_name }}, {{ head.position_and_state }}"),
        ("UNCAT status", "{{ status.uncat_short }}"),
        ("Invitation", "{{ invitation.title }}, ref. {{ visit.reference }}, {{ visit.letter_date|long_date }}"),
        ("Pack", "Version {{ pack.version }}, prepared {{ pack.date|long_date }}; marking: {{ marking }}"),
    ])
    heading(document, "Contents", 1)
    table(document, ["Document", "Pages", "From page"], [12.0, 1.8, 2.2], "item in contents", ["{{ item.indent }}{{ item.title }}", "{{ item.pages }}", "{{ item.page }}"])
    heading(document, "Handling", 2)
    para(document, "This pack is for the delegation and the CTI Secretariat. CTI visits are constructive (\u201cno name, no shame\u201d) and confidential; any publicity regarding the visit is at the discretion of the {{ government }}. Do not forward this pack or quote from it.", size=9)
    return document


def _letter_body(document, government: str) -> None:
    """Paragraphs the letter and the note verbale share, in the person each needs."""
    para(document, "{{ invitation.purpose }}")
    para(document, f"The visit would be tailored to the needs and wishes of {government}{{{{ invitation.priorities_clause }}}}. The CTI Secretariat would work in close partnership with {government} to shape the programme. CTI visits are not used to lobby or pressure; they are constructive (\u201cno name, no shame\u201d) and confidential, and any publicity regarding the visit would be at the discretion of {government}.")
    para(document, "The delegation would be led by {{ invitation.head }}, and would comprise:", keep=True)
    bullets(document, "member in invitation.members", "{{ member }}")
    para(document, f"Subject to the advice of {government}, the programme could include:", keep=True)
    bullets(document, "element in invitation.elements", "{{ element }}")


def invitation_letter() -> Document:
    # A letter reads best on one page: the same type as the note verbale.
    document = new_document(body_size=10, margin_cm=2.2)
    letterhead(document, "Secretariat \u00b7 Geneva")
    para(document, "Ref.: {{ visit.reference }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)
    para(document, "{{ invitation.place_and_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
    para(document, "{{ visit.addressee.full_name }}", bold=True, after=0, keep=True)
    para(document, "{{ visit.addressee.title }}", after=0, keep=True)
    para(document, "{{ visit.addressee.office }}", after=0, keep=True)
    tag(document, "{%p for line in visit.addressee.address %}")
    para(document, "{{ line }}", after=0, keep=True)
    tag(document, "{%p endfor %}")
    para(document, "{{ visit.addressee.salutation }},", after=6).paragraph_format.space_before = Pt(8)
    para(document, "I have the honour to write to you on behalf of the Convention against Torture Initiative (CTI), the intergovernmental initiative of {{ cti.core_states_in_prose }} that helps Governments to join and implement the United Nations Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment (UNCAT), and{{ invitation.in_response }} to propose a high-level diplomatic and technical visit to {{ country.formal_name }} {{ visit.dates_in_prose }}.")
    _letter_body(document, "your Government")
    para(document, "I should be grateful if your Government could confirm whether {{ visit.proposed_dates }} convenient{{ invitation.reply_clause }}, and indicate a focal point with whom the CTI Secretariat may prepare the programme.", keep=True)
    # The closing and the signature are one paragraph that cannot split, kept with the last one.
    closing = lines(document, [("Accept, {{ visit.addressee.salutation }}, the assurances of my highest consideration.", False), ("", False), ("", False),
                               ("{{ visit.signatory.full_name }}", True), ("{{ visit.signatory.title }}", False), ("{{ visit.signatory.office }}", False)])
    closing.paragraph_format.keep_together = True
    return document


def note_verbale() -> Document:
    # A note verbale fits on one page: slightly smaller type than the letter.
    document = new_document(body_size=10, margin_cm=2.2)
    letterhead(document, "Secretariat \u00b7 Geneva")
    para(document, "NOTE VERBALE", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12, after=4)
    para(document, "Ref.: {{ visit.reference }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=10)
    para(document, "The Secretariat of the Convention against Torture Initiative (CTI), the intergovernmental initiative that helps Governments to join and implement the United Nations Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment (UNCAT), presents its compliments to {{ invitation.ministry }} and has the honour{{ invitation.in_response }} to propose, on behalf of the CTI Core States ({{ cti.core_states_in_prose }}), a high-level diplomatic and technical visit to {{ country.formal_name }} {{ visit.dates_in_prose }}.")
    _letter_body(document, "the Government")
    para(document, "The Secretariat would be grateful if the Ministry could confirm whether {{ visit.proposed_dates }} convenient{{ invitation.reply_clause }}, and indicate a focal point with whom the Secretariat may prepare the programme.", keep=True)
    para(document, "The Secretariat of the Convention against Torture Initiative avails itself of this opportunity to renew to {{ invitation.ministry }} the assurances of its highest consideration.", keep=True)
    para(document, "{{ invitation.place_and_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=0, keep=True).paragraph_format.space_before = Pt(10)
    # The area for initials and the stamp stays blank: nothing is printed there.
    blank = para(document, "", after=0, keep=True)
    blank.paragraph_format.space_before = Pt(48)
    para(document, "{{ invitation.ministry_address }}", size=9, after=0)
    return document


def visit_programme() -> Document:
    document = new_document()
    para(document, "VISIT PROGRAMME", bold=True, size=11, colour=GREY, after=2)
    para(document, "Visit of the Convention against Torture Initiative to {{ country.formal_name }}", style="Title")
    para(document, "{{ visit.dates }} \u00b7 {{ visit.city }} \u00b7 {{ visit.days_in_words }}", style="Subtitle")
    para(document, "High-level diplomatic and technical visit, {{ visit.origin }}. The programme is tailored to the Government\u2019s priorities; the visit is confidential, and any publicity is at the Government\u2019s discretion.")
    heading(document, "Delegation", 1)
    table(document, ["Name", "Position", "Role"], [4.4, 8.6, 3.0], "member in delegation", ["**{{ member.full_name }}", "{{ member.position_and_state }}", "{{ member.role_label }}"])
    heading(document, "Programme", 1)
    # Who of the delegation attends is a line under the meeting, not a column: most meetings are
    # the full delegation's, and a narrow column wrapped names over many lines.
    para(document, "The full delegation attends every meeting unless the programme names who attends.", size=9, after=4)
    tag(document, "{%p for day in programme_days %}")
    heading(document, "{{ day.title }}", 2)
    table(document, ["Time", "Meeting", "With", "Venue"], [1.9, 4.6, 6.0, 3.5], "event in day.events",
          ["{{ event.start|time }}\u2013{{ event.end|time }}", "**{{ event.what }}\n{{ event.detail }}", "{{ event.with_whom }}", "{{ event.venue }}"], spacing=False)
    para(document, "{{ day.free_day_note }}", size=9, after=4)
    tag(document, "{%p endfor %}")
    return document


def meeting_brief() -> Document:
    document = new_document(body_size=9.5)
    para(document, "MEETING BRIEF {{ brief.number }} OF {{ brief.count }} \u00b7 FOR THE DELEGATION ONLY", bold=True, size=9, colour=GREY, after=2)
    para(document, "{{ meeting.heading }}", style="Title")
    para(document, "{{ meeting.subheading }}", style="Subtitle")
    key_value_table(document, [
        ("When", "{{ meeting.when }}"),
        ("{%tr if meeting.with_line %}", ""),
        ("With", "{{ meeting.with_line }}"),
        ("{%tr endif %}", ""),
        ("Where", "{{ meeting.venue }}"),
        ("Meeting", "{{ meeting.format }}"),
        ("CTI participants", "{{ meeting.participants }}"),
        ("{%tr if meeting.about %}", ""),
        ("{{ meeting.about_label }}", "{{ meeting.about }}"),
        ("{%tr endif %}", ""),
        # What the Secretariat knows of this meeting comes first: objectives and messages build on it.
        # One 'Context' row, a paragraph a fact: a column of blank labels below it read as missing.
        ("{%tr if brief.background %}", ""),
        ("Context", "{%p for item in brief.background %}\n{{ item }}\n{%p endfor %}"),
        ("{%tr endif %}", ""),
        ("Last contact", "{{ brief.last_contact }}"),
        ("{%tr for r in brief.recommendations %}", ""),
        ("Recommendation", "{{ r.line }}"),
        ("{%tr endfor %}", ""),
        ("{%tr if brief.recommendations_note %}", ""),
        ("Recommendations", "{{ brief.recommendations_note }}"),
        ("{%tr endif %}", ""),
    ], widths=(3.7, 12.3))
    heading(document, "Objectives", 2)
    bullets(document, "item in brief.objectives", "{{ item }}")
    heading(document, "Key messages", 2)
    bullets(document, "item in brief.key_messages", "{{ item }}", style="List Number")
    heading(document, "Points the counterpart may raise", 2)
    table(document, ["Point", "Suggested response"], [6.0, 10.0], "q in brief.questions", ["{{ q.question }}", "{{ q.response }}"])
    # The State's own facts are in the country background, once for the pack; a brief ends with its references.
    tag(document, "{%p if brief.articles_line %}")
    rich(document, [("UNCAT articles: ", True), ("{{ brief.articles_line }}", False)]).paragraph_format.space_before = Pt(8)
    tag(document, "{%p endif %}")
    tag(document, "{%p if brief.tools %}")
    rich(document, [("CTI tools: ", True), ("{{ brief.tools }}", False)]).paragraph_format.space_before = Pt(4)
    tag(document, "{%p endif %}")
    end_paragraph(document)
    return document


def seminar_programme() -> Document:
    document = new_document()
    para(document, "{{ seminar.kind_label|upper }} PROGRAMME", bold=True, size=11, colour=GREY, after=2)
    para(document, "{{ seminar.title }}", style="Title")
    para(document, "{{ seminar.date|day_and_date }} \u00b7 {{ seminar.venue }}", style="Subtitle")
    para(document, "{{ seminar.status_note }}", bold=True)
    para(document, "A facilitated {{ seminar.kind }} organised by the Convention against Torture Initiative with the {{ government }}, with expert facilitators and subject specialists, oriented to sharing the experience of other countries.")
    heading(document, "Objectives", 1)
    bullets(document, "item in seminar.objectives", "{{ item }}")
    heading(document, "Sessions", 1)
    table(document, ["Time", "Session", "Speakers"], [2.4, 7.6, 6.0], "s in seminar.sessions",
          ["{{ s.start|time }}\u2013{{ s.end|time }}", "{{ s.title }}", "{{ s.speakers }}"])
    heading(document, "Facilitators and participants", 1)
    key_value_table(document, [
        ("{{ seminar.facilitators_label }}", "{{ seminar.facilitators|join('; ') }}"),
        ("{%tr if seminar.specialists %}", ""),
        ("{{ seminar.specialists_label }}", "{{ seminar.specialists|join('; ') }}"),
        ("{%tr endif %}", ""),
        ("Participating institutions", "{{ seminar.institutions|join('; ') }}"),
    ], spacing=False)
    end_paragraph(document)
    return document


def strategy_roadmap() -> Document:
    document = new_document()
    para(document, "COUNTRY BACKGROUND AND STRATEGY ROADMAP", bold=True, size=11, colour=GREY, after=2)
    para(document, "{{ country.name }}", style="Title")
    para(document, "The State and the Convention, and the 12 key steps of UNCAT Implementation Tool 1/2017", style="Subtitle")
    # The State's facts, once for the pack: each brief speaks of its own meeting.
    key_value_table(document, [
        ("UNCAT", "{{ status.uncat_sentence }} {{ status.procedures_sentence }}"),
        ("OPCAT and NPM", "{{ status.opcat_sentence }}"),
        ("Reporting", "{{ status.reporting_sentence }}"),
        ("UPR", "{{ status.upr_sentence }}"),
    ], widths=(3.7, 12.3))
    heading(document, "Torture-prevention strategy", 1)
    para(document, "{{ roadmap.introduction }}")
    tag(document, "{%p for phase in roadmap.phases %}")
    heading(document, "{{ phase.title }}", 1)
    table(document, ["Step", "Key step", "Status", "Lead", "Target", "Notes"], [1.1, 4.4, 2.0, 2.8, 2.9, 2.8], "step in phase.steps",
          ["{{ step.number }}", "{{ step.text }}", "{{ step.status }}", "{{ step.lead }}", "{{ step.target }}", "{{ step.notes }}"], spacing=False)
    para(document, "{{ phase.note }}", size=4, after=0)
    tag(document, "{%p endfor %}")
    tag(document, "{%p for phase in roadmap.offered_phases %}")
    heading(document, "{{ phase.title }}", 1)
    table(document, ["Step", "Key step"], [1.1, 14.9], "step in phase.steps", ["{{ step.number }}", "{{ step.text }}"], spacing=False)
    para(document, "{{ phase.note }}", size=4, after=0)
    tag(document, "{%p endfor %}")
    heading(document, "Review", 1)
    bullets(document, "action in roadmap.review_actions", "{{ action }}")
    heading(document, "Areas to review", 1)
    para(document, "{{ roadmap.areas_note }}", keep=True)
    tag(document, "{%p if roadmap.areas %}")
    table(document, ["Area", "Recommendations"], [3.6, 12.4], "area in roadmap.areas", ["**{{ area.title }}", "{{ area.recommendations }}"], spacing=False)
    tag(document, "{%p endif %}")
    heading(document, "UNCAT implementation and SDG 16", 1)
    para(document, "{{ roadmap.sdg_link }}")
    return document


DOCUMENTS = {
    "cover.docx": cover,
    "invitation_letter.docx": invitation_letter,
    "note_verbale.docx": note_verbale,
    "visit_programme.docx": visit_programme,
    "meeting_brief.docx": meeting_brief,
    "seminar_programme.docx": seminar_programme,
    "strategy_roadmap.docx": strategy_roadmap,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="overwrite templates that exist (loses staff edits)")
    parser.add_argument("--only", choices=sorted(DOCUMENTS), help="make one template only")
    options = parser.parse_args()
    for name, make in DOCUMENTS.items():
        if options.only and name != options.only:
            continue
        save(make(), name, options.force)


if __name__ == "__main__":
    main()
