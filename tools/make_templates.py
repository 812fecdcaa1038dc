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


def new_document(footer_label: str, body_size: float = 10.5) -> Document:
    document = Document()
    _clean_properties(document)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    _styles(document, body_size)
    _header(section)
    _footer(section, footer_label)
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
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    normal.paragraph_format.widow_control = True
    for name, size, before, after in (("Title", 20, 0, 4), ("Heading 1", 14, 14, 6), ("Heading 2", 12, 10, 4), ("Heading 3", body_size, 8, 3)):
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


def _header(section) -> None:
    header = section.header
    paragraph = header.paragraphs[0]
    _tab_stops(paragraph, right=TEXT_WIDTH_CM)
    run = paragraph.add_run("CONVENTION AGAINST TORTURE INITIATIVE")
    run.font.color.rgb = NAVY
    run.bold = True
    paragraph.add_run("\t")
    marking = paragraph.add_run("{{ marking }}")
    marking.bold = True
    marking.font.color.rgb = RGBColor(0xA0, 0x1C, 0x1C)
    _bottom_border(paragraph, "1F3A5F", 6)


def _footer(section, label: str) -> None:
    footer = section.footer
    paragraph = footer.paragraphs[0]
    _tab_stops(paragraph, right=TEXT_WIDTH_CM)
    paragraph.add_run(label)
    paragraph.add_run("\tPage ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")
    _top_border(paragraph, "BFBFBF", 4)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _tab_stops(paragraph, right: float) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(right), alignment=2)  # right-aligned


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


def _top_border(paragraph, colour: str, size: int) -> None:
    _border(paragraph, "top", colour, size)


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
    tag(document, f"{{%p for {loop} %}}")
    para(document, item, style=style)
    tag(document, "{%p endfor %}")


def heading(document, text: str, level: int = 1):
    return document.add_heading(text, level=level)


def letterhead(document, subtitle: str) -> None:
    para(document, "Convention against Torture Initiative", bold=True, size=16, colour=NAVY, after=0)
    paragraph = para(document, subtitle, size=9, colour=GREY, after=14)
    _bottom_border(paragraph, "1F3A5F", 12)


def table(document, headers: list[str], widths: list[float], loop: str | None, cells: list[str], header_repeat: bool = True):
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
    document.add_paragraph().paragraph_format.space_after = Pt(2)
    return grid


def key_value_table(document, rows: list[tuple[str, str]], widths=(4.5, 11.5)):
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
        run.font.size = Pt(9.5)
        _shade(row.cells[0], BAND_FILL)
        row.cells[1].text = ""
        _fill_cell(row.cells[1], value)
        _no_split(row)
    _column_widths(grid, widths)
    _cell_margins(grid)
    document.add_paragraph().paragraph_format.space_after = Pt(2)
    return grid


def _fill_cell(cell, text: str) -> None:
    """Fill a cell; lines starting with '{%p' become tag paragraphs of their own."""
    lines = text.split("\n")
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        bold = line.startswith("**")
        line = line[2:] if bold else line
        run = paragraph.add_run(line)
        run.font.size = Pt(9.5)
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


def cover() -> Document:
    document = new_document("{{ country.short_name }} \u2013 Briefing pack, version {{ pack.version }}")
    letterhead(document, "Secretariat \u00b7 Geneva")
    para(document, "BRIEFING PACK", bold=True, size=11, colour=GREY, after=2)
    para(document, "{{ country.name }}", style="Title")
    tag(document, "{%p if country.example %}")
    para(document, "Fictional example for training and testing \u2013 not a real State", bold=True, colour=RGBColor(0xA0, 0x1C, 0x1C))
    tag(document, "{%p endif %}")
    para(document, "High-level diplomatic and technical visit, {{ visit.start|date_range(visit.end) }}, {{ visit.city }}", style="Subtitle")
    key_value_table(document, [
        ("Protective marking", "**{{ marking }}"),
        ("Visit", "{{ visit.start|long_date }} to {{ visit.end|long_date }} ({{ visit.days }} day{% if visit.days != 1 %}s{% endif %}){% if visit.days_until > 0 %}; starts in {{ visit.days_until }} day{% if visit.days_until != 1 %}s{% endif %}{% elif visit.days_until == 0 %}; starts today{% endif %}"),
        ("Head of delegation", "{{ head.full_name }}, {{ head.position }}"),
        ("UNCAT status", "{{ country.short_name }}: {{ status.uncat_label }}{% if status.deposited %} since {{ status.entry_into_force|long_date }}{% endif %}"),
        ("Pack", "Version {{ pack.version }}, prepared {{ pack.date|long_date }}"),
        ("Invitation reference", "{{ visit.reference }}"),
    ])
    heading(document, "Contents", 1)
    table(document, ["Document", "Pages", "Page"], [12.2, 1.9, 1.9], "item in contents", ["{% if item.is_brief %}    {% endif %}{{ item.title }}", "{{ item.pages }}", "{{ item.page }}"])
    heading(document, "Handling", 2)
    para(document, "This pack is confidential. CTI visits are constructive (\u201cno name, no shame\u201d) and confidential; any publicity regarding the visit is at the discretion of the {{ government }}. Do not forward this pack or quote from it outside the delegation and the CTI Secretariat.", size=9)
    return document


def invitation() -> Document:
    document = new_document("{{ country.short_name }} \u2013 Invitation, ref. {{ visit.reference }}")
    letterhead(document, "Secretariat \u00b7 Geneva")
    para(document, "Ref.: {{ visit.reference }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)

    # --- Formal letter, first person ---
    tag(document, "{%p if not visit.is_note_verbale %}")
    para(document, "Geneva, {{ visit.letter_date|long_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=14)
    para(document, "{{ visit.addressee.full_name }}", bold=True, after=0)
    para(document, "{{ visit.addressee.title }}", after=0)
    tag(document, "{%p if visit.addressee.office %}")
    para(document, "{{ visit.addressee.office }}", after=0)
    tag(document, "{%p endif %}")
    tag(document, "{%p for line in visit.addressee.address %}")
    para(document, "{{ line }}", after=0)
    tag(document, "{%p endfor %}")
    para(document, "", after=6)
    para(document, "{{ visit.addressee.salutation }},", after=8)
    para(document, "I have the honour to write to you on behalf of the Convention against Torture Initiative (CTI), the intergovernmental initiative of {{ cti.core_states|and_list }} that supports Governments in ratifying and implementing the United Nations Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment (UNCAT), and to propose a high-level diplomatic and technical visit to {{ country.formal_name }} from {{ visit.start|long_date }} to {{ visit.end|long_date }}.")
    _purpose(document, "The visit would offer")
    para(document, "The visit would be tailored to the needs and wishes of your Government{% if visit.priorities %}, including the priorities it has indicated: {{ visit.priorities|and_list }}{% endif %}. The CTI Secretariat would work in close partnership with your Government to shape the programme. CTI visits are not used to lobby or pressure.")
    para(document, "In keeping with the CTI\u2019s working principles, the visit would be constructive (\u201cno name, no shame\u201d) and confidential. Any publicity regarding the visit would be at the discretion of your Government.")
    _delegation_and_elements(document, "your Government")
    para(document, "I should be grateful if your Government could confirm whether the proposed dates are convenient{% if visit.reply_by %}, if possible by {{ visit.reply_by|long_date }}{% endif %}, and indicate a focal point with whom the CTI Secretariat may prepare the programme.")
    para(document, "Accept, {{ visit.addressee.salutation }}, the assurances of my highest consideration.", after=36)
    para(document, "{{ visit.signatory.full_name }}", bold=True, after=0)
    para(document, "{{ visit.signatory.title }}", after=0)
    tag(document, "{%p if visit.signatory.office %}")
    para(document, "{{ visit.signatory.office }}", after=0)
    tag(document, "{%p endif %}")
    tag(document, "{%p else %}")

    # --- Note verbale, third person ---
    para(document, "NOTE VERBALE", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12, after=10)
    para(document, "The Secretariat of the Convention against Torture Initiative (CTI) presents its compliments to the {{ visit.addressee.office or 'Ministry of Foreign Affairs' }} of {{ country.formal_name }} and has the honour to propose, on behalf of the CTI Core States ({{ cti.core_states|and_list }}), a high-level diplomatic and technical visit to {{ country.formal_name }} from {{ visit.start|long_date }} to {{ visit.end|long_date }}, addressed to {{ visit.addressee.full_name }}, {{ visit.addressee.title }}.")
    _purpose(document, "The visit would offer")
    para(document, "The visit would be tailored to the needs and wishes of the Government{% if visit.priorities %}, including the priorities it has indicated: {{ visit.priorities|and_list }}{% endif %}, and the Secretariat would work in close partnership with the Government to shape the programme. CTI visits are not used to lobby or pressure. They are constructive (\u201cno name, no shame\u201d) and confidential, and any publicity regarding the visit would be at the discretion of the Government.")
    _delegation_and_elements(document, "the Government")
    para(document, "The Secretariat would be grateful if the {{ visit.addressee.office or 'Ministry' }} could confirm whether the proposed dates are convenient{% if visit.reply_by %}, if possible by {{ visit.reply_by|long_date }}{% endif %}, and indicate a focal point with whom the Secretariat may prepare the programme.")
    para(document, "The Secretariat of the Convention against Torture Initiative avails itself of this opportunity to renew to the {{ visit.addressee.office or 'Ministry of Foreign Affairs' }} of {{ country.formal_name }} the assurances of its highest consideration.", after=18)
    para(document, "Geneva, {{ visit.letter_date|long_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)
    para(document, "[Initialled and stamped]", align=WD_ALIGN_PARAGRAPH.RIGHT, size=9, colour=GREY, after=18)
    para(document, "{{ visit.addressee.office or 'Ministry of Foreign Affairs' }}", after=0)
    tag(document, "{%p for line in visit.addressee.address %}")
    para(document, "{{ line }}", after=0)
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    return document


def _purpose(document, opening: str) -> None:
    tag(document, "{%p if status.is_party %}")
    para(document, f"{opening} decision-makers, government officials and other relevant stakeholders an opportunity to take stock of the implementation of the Convention since {{{{ country.formal_name }}}} became a State party{{% if status.entry_into_force %}} (in force since {{{{ status.entry_into_force|long_date }}}}){{% endif %}}: to share and review existing national laws, policies, procedures and practices; to discuss reporting to the Committee against Torture; and to identify benefits, opportunities and challenges in implementation, including the development of a national torture-prevention strategy.")
    tag(document, "{%p else %}")
    para(document, f"{opening} decision-makers, government officials and other relevant stakeholders an opportunity to learn more about what being a State party to UNCAT entails; the steps needed to ratify or accede, report and implement; to share and take stock of existing national laws, policies, procedures and practices; and to identify and discuss benefits, opportunities and challenges to ratification and implementation.")
    tag(document, "{%p endif %}")


def _delegation_and_elements(document, government: str) -> None:
    para(document, "The delegation would be led by {{ head.full_name }}, {{ head.position_and_state }}, and would comprise:", keep=True)
    bullets(document, "member in delegation if member.role != 'head'", "{{ member.full_name }}, {{ member.position }}")
    para(document, f"Subject to the advice of {government}, the visit could include:", keep=True)
    para(document, "meetings with Ministers covering the relevant portfolios{% if portfolios_met %}, notably {{ portfolios_met|and_list|lower }}{% endif %}, and with the Attorney-General\u2019s Office;", style="List Bullet")
    para(document, "meetings with other policy-makers, permanent secretaries and heads of department, for example for the police, security, the prison service, defence, women\u2019s and children\u2019s affairs, and health and social services;", style="List Bullet")
    para(document, "meetings with the prosecution service, members of the judiciary and/or the Ombudsman\u2019s Office, as advised by the Government;", style="List Bullet")
    tag(document, "{%p if seminar %}")
    para(document, "a facilitated {{ seminar.kind }} with relevant stakeholders on {{ seminar.date|long_date }}, with expert facilitators and subject specialists, sharing the experience of other countries, its programme to be discussed jointly with the Government;", style="List Bullet")
    tag(document, "{%p endif %}")
    para(document, "private meetings with Embassies of the CTI\u2019s Group of Friends, the United Nations and regional organisations, to support the Government in any ratification or implementation activities;", style="List Bullet")
    para(document, "visits to prisons, police stations or other places where persons are deprived of their liberty, which are optional and would take place only at the direction of the Government.", style="List Bullet")


def visit_programme() -> Document:
    document = new_document("{{ country.short_name }} \u2013 Visit programme, {{ visit.start|date_range(visit.end) }}")
    para(document, "VISIT PROGRAMME", bold=True, size=11, colour=GREY, after=2)
    para(document, "CTI visit to {{ country.name }}", style="Title")
    para(document, "{{ visit.start|date_range(visit.end) }} \u00b7 {{ visit.city }} \u00b7 {{ visit.days }} day{% if visit.days != 1 %}s{% endif %}", style="Subtitle")
    para(document, "High-level diplomatic and technical visit of the Convention against Torture Initiative, at the invitation of the {{ government }}. The programme is tailored to the Government\u2019s priorities; it is confidential, and any publicity is at the Government\u2019s discretion.")
    heading(document, "Delegation", 1)
    table(document, ["Name", "Position", "Role"], [4.4, 8.6, 3.0], "member in delegation", ["**{{ member.full_name }}", "{{ member.position_and_state }}", "{{ member.role_label }}"])
    heading(document, "Programme", 1)
    tag(document, "{%p for day in programme_days %}")
    heading(document, "Day {{ day.number }}: {{ day.date|day_and_date }}", 2)
    tag(document, "{%p if day.meetings %}")
    table(document, ["Time", "Meeting", "Counterpart and office", "Venue", "CTI participants"], [2.0, 3.4, 4.4, 3.4, 2.8], "m in day.meetings",
          ["{{ m.start|time }}\u2013{{ m.end|time }}", "**{{ m.kind_label }}\n{{ m.portfolio.title }}{% if m.kind == 'detention_visit' %}\nAt the Government\u2019s direction{% endif %}", "{{ m.counterpart.full_name }}, {{ m.counterpart.title }}{% if m.counterpart.office %}, {{ m.counterpart.office }}{% endif %}", "{{ m.venue }}", "{{ m.participants }}"])
    tag(document, "{%p else %}")
    para(document, "No meeting is scheduled; the day is kept free for the delegation\u2019s own work and any meeting the Government proposes.")
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p if seminar %}")
    para(document, "{{ seminar.kind_label }}: \u201c{{ seminar.title }}\u201d, {{ seminar.date|day_and_date }}, {{ seminar.venue }} (see the {{ seminar.kind }} programme).", bold=True)
    tag(document, "{%p endif %}")
    heading(document, "Meetings with partners", 1)
    tag(document, "{%p if partner_meetings %}")
    para(document, "Private meetings with Embassies of the CTI\u2019s Group of Friends, the United Nations, regional organisations and other stakeholders help to shore up support for the Government\u2019s ratification and implementation activities:", keep=True)
    bullets(document, "m in partner_meetings", "{{ m.date|short_date }}, {{ m.start|time }}: {{ m.counterpart.full_name }}, {{ m.counterpart.title }}{% if m.counterpart.office %}, {{ m.counterpart.office }}{% endif %} ({{ m.kind_label }})")
    tag(document, "{%p else %}")
    para(document, "No such meeting is scheduled yet. The delegation may hold private meetings with Embassies of the CTI\u2019s Group of Friends, the United Nations and regional organisations to shore up support for the Government\u2019s ratification and implementation activities.")
    tag(document, "{%p endif %}")
    heading(document, "Places of deprivation of liberty", 1)
    tag(document, "{%p if detention_visits %}")
    para(document, "Visits to places where persons are deprived of their liberty are optional and take place only at the direction of the Government. The Government has proposed:", keep=True)
    bullets(document, "m in detention_visits", "{{ m.date|short_date }}, {{ m.start|time }}\u2013{{ m.end|time }}: {{ m.venue }}, with {{ m.counterpart.full_name }}, {{ m.counterpart.title }} (at the Government\u2019s direction)")
    tag(document, "{%p else %}")
    para(document, "No such visit is planned. Visits are optional and take place only at the direction of the Government.")
    tag(document, "{%p endif %}")
    return document


def meeting_brief() -> Document:
    document = new_document("{{ country.short_name }} \u2013 Brief {{ brief.number }} of {{ brief.count }}: {{ meeting.counterpart.title }}", body_size=9.5)
    para(document, "MEETING BRIEF {{ brief.number }} OF {{ brief.count }} \u00b7 FOR THE DELEGATION ONLY", bold=True, size=9, colour=GREY, after=2)
    para(document, "{{ meeting.counterpart.full_name }}", style="Title")
    para(document, "{{ meeting.counterpart.title }}{% if meeting.counterpart.office %}, {{ meeting.counterpart.office }}{% endif %}", style="Subtitle")
    key_value_table(document, [
        ("When", "{{ meeting.date|day_and_date }}, {{ meeting.start|time }}\u2013{{ meeting.end|time }} (day {{ (meeting.date - visit.start).days + 1 }} of {{ visit.days }})"),
        ("Where", "{{ meeting.venue }}"),
        ("Format", "{{ meeting.kind_label }}{% if meeting.at_government_direction %}, at the Government\u2019s direction{% endif %}"),
        ("Portfolio", "{{ meeting.portfolio.title }}"),
        ("CTI participants", "{{ meeting.participants }}"),
    ])
    heading(document, "Objectives", 2)
    bullets(document, "item in brief.objectives", "{{ item }}")
    tag(document, "{%p if meeting.counterpart.bio %}")
    heading(document, "Counterpart", 2)
    para(document, "{{ meeting.counterpart.bio }}")
    tag(document, "{%p endif %}")
    heading(document, "Country snapshot", 2)
    key_value_table(document, [
        ("UNCAT", "{% if status.is_party %}State party by {{ status.instrument }}, deposited {{ status.deposited|long_date }}; in force since {{ status.entry_into_force|long_date }}{% elif status.signed %}Signed {{ status.signed|long_date }}; not yet ratified{% else %}Not yet a party (neither signed nor acceded){% endif %}"),
        ("Procedures", "Article 20 inquiries: {% if status.article_20_opt_out %}not accepted (Article 28 declaration){% elif status.is_party %}accepted{% else %}would apply unless the State opts out on ratification{% endif %}. Article 21: {% if status.article_21_declaration %}declaration made{% else %}no declaration{% endif %}. Article 22 (individual complaints): {% if status.article_22_declaration %}declaration made{% else %}no declaration{% endif %}."),
        ("OPCAT and NPM", "OPCAT: {{ status.opcat_label }}{% if status.opcat_deposited %} (deposited {{ status.opcat_deposited|long_date }}){% endif %}. National preventive mechanism: {% if status.npm %}{{ status.npm }}{% else %}none designated{% endif %}."),
        ("Reporting", "{% if status.next_report %}{% if status.last_report %}Last report submitted {{ status.last_report.submitted|long_date }}. {% endif %}Next ({{ status.next_report.kind }}) report due {{ status.next_report.due|long_date }}{% if status.next_report.overdue %}: overdue by {{ status.next_report.days_overdue }} days{% endif %}.{% else %}No reporting obligation until the State becomes a party; the initial report is then due one year after entry into force.{% endif %}"),
        ("UPR", "{% if status.upr_last_review %}Last reviewed {{ status.upr_last_review|long_date }}.{% else %}No review date recorded.{% endif %}"),
    ])
    heading(document, "Key messages", 2)
    bullets(document, "item in brief.key_messages", "{{ item }}", style="List Number")
    heading(document, "Points the counterpart may raise", 2)
    tag(document, "{%p if brief.questions %}")
    table(document, ["Point", "Suggested response"], [6.0, 10.0], "q in brief.questions", ["{{ q.question }}", "{{ q.response }}"])
    tag(document, "{%p else %}")
    para(document, "No particular point is expected beyond the key messages.")
    tag(document, "{%p endif %}")
    heading(document, "Recommendations concerning this portfolio", 2)
    tag(document, "{%p if brief.recommendations %}")
    bullets(document, "r in brief.recommendations", "{{ r.source_label }}, {{ r.date|short_date }} ({{ r.age }} ago{% if r.response %}, {{ r.response }}{% endif %}): {{ r.text }}")
    tag(document, "{%p else %}")
    para(document, "No recommendation of the Committee against Torture or the Universal Periodic Review is recorded for this portfolio.")
    tag(document, "{%p endif %}")
    heading(document, "UNCAT articles for this portfolio", 2)
    tag(document, "{%p for a in brief.articles %}")
    rich(document, [("{% if a.number != 'OPCAT' %}Art. {% endif %}{{ a.number }}: ", True), ("{{ a.summary }}", False)], style="Caption").paragraph_format.space_after = Pt(2)
    tag(document, "{%p endfor %}")
    heading(document, "Relevant CTI tools", 2)
    para(document, "{{ brief.tools|join('; ') }}.")
    heading(document, "Background and last contact", 2)
    tag(document, "{%p for item in brief.background %}")
    para(document, "{{ item }}", style="List Bullet")
    tag(document, "{%p endfor %}")
    para(document, "Last contact: {% if brief.last_contact %}{{ brief.last_contact }}{% else %}none recorded; this is the CTI\u2019s first meeting with this counterpart.{% endif %}")
    return document


def seminar_programme() -> Document:
    document = new_document("{{ country.short_name }} \u2013 {{ seminar.kind_label }} programme, {{ seminar.date|short_date }}")
    para(document, "{{ seminar.kind_label|upper }} PROGRAMME", bold=True, size=11, colour=GREY, after=2)
    para(document, "{{ seminar.title }}", style="Title")
    para(document, "{{ seminar.date|day_and_date }} \u00b7 {{ seminar.venue }}", style="Subtitle")
    tag(document, "{%p if seminar.agreed_with_government %}")
    para(document, "Programme agreed jointly by the {{ government }} and the CTI Secretariat.", bold=True)
    tag(document, "{%p else %}")
    para(document, "Draft programme, to be agreed jointly with the {{ government }}.", bold=True, colour=RGBColor(0xA0, 0x1C, 0x1C))
    tag(document, "{%p endif %}")
    para(document, "A facilitated {{ seminar.kind }} organised by the Convention against Torture Initiative with the {{ government }}, with expert facilitators and subject specialists, oriented to sharing the experience of other countries in ratifying and implementing UNCAT.")
    heading(document, "Objectives", 1)
    bullets(document, "item in seminar.objectives", "{{ item }}")
    heading(document, "Sessions", 1)
    table(document, ["Time", "Session", "Speakers"], [2.4, 7.6, 6.0], "s in seminar.sessions",
          ["{{ s.start|time }}\u2013{{ s.end|time }}", "{{ s.title }}{% if s.other_countries %}\nOther countries\u2019 experience{% endif %}", "{{ s.speakers|join('; ') }}"])
    heading(document, "Expert facilitators", 1)
    bullets(document, "name in seminar.facilitators", "{{ name }}")
    tag(document, "{%p if seminar.specialists %}")
    heading(document, "Subject specialists", 1)
    bullets(document, "name in seminar.specialists", "{{ name }}")
    tag(document, "{%p endif %}")
    heading(document, "Participating institutions", 1)
    bullets(document, "name in seminar.institutions", "{{ name }}")
    return document


def strategy_roadmap() -> Document:
    document = new_document("{{ country.short_name }} \u2013 Torture-prevention strategy roadmap")
    para(document, "TORTURE-PREVENTION STRATEGY ROADMAP", bold=True, size=11, colour=GREY, after=2)
    para(document, "{{ country.name }}", style="Title")
    para(document, "The 12 key steps of UNCAT Implementation Tool 1/2017, as of {{ pack.date|long_date }}", style="Subtitle")
    para(document, "A national strategy to prevent and respond to torture and other ill-treatment frames the steps needed to implement the Convention. It identifies practices that work well, to reinforce them, and areas where further action may be required, taking account of vulnerable groups. Lead agency: {% if roadmap.lead_agency %}{{ roadmap.lead_agency }}{% else %}to be agreed{% endif %}. Steps completed: {{ roadmap.steps_done }} of 12.")
    tag(document, "{%p for phase in roadmap.phases %}")
    heading(document, "{{ phase.title }}", 1)
    table(document, ["Step", "Key step", "Status", "Lead", "Target", "Notes"], [1.1, 5.2, 2.0, 2.8, 2.1, 2.8], "step in phase.steps",
          ["{{ step.number }}", "{{ step.text }}", "{{ step.status }}", "{{ step.lead }}", "{% if step.target %}{{ step.target|short_date }}{% else %}\u2013{% endif %}", "{{ step.notes }}"])
    tag(document, "{%p endfor %}")
    heading(document, "Review", 1)
    bullets(document, "action in roadmap.review_actions", "{{ action }}")
    heading(document, "Areas to review", 1)
    para(document, "Recommendations of the Committee against Torture, the Universal Periodic Review and other bodies, grouped under the ten areas a strategy reviews:", keep=True)
    table(document, ["Area", "Recommendations"], [3.6, 12.4], "area in roadmap.areas",
          ["**{{ area.title }}", "{%p for r in area.recommendations %}\n{{ r.source_label }}, {{ r.date.year }} ({{ r.age }} ago{% if r.response %}, {{ r.response }}{% endif %}): {{ r.text }}\n{%p endfor %}\n{%p if not area.recommendations %}\nNo recommendation recorded yet.\n{%p endif %}"])
    heading(document, "UNCAT implementation and SDG 16", 1)
    para(document, "{{ roadmap.sdg_link }}")
    return document


DOCUMENTS = {
    "cover.docx": cover,
    "invitation.docx": invitation,
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
