"""Layout rules applied after rendering: which rows and items move to the next page together."""

from __future__ import annotations

from docx import Document
from docx.oxml import OxmlElement

from cti_briefings.layout import (
    KEPT_END_ROWS,
    KEPT_HEADED_END_ROWS,
    SHORT_LIST_CHARACTERS,
    SHORT_TABLE_ROWS,
    SPACE_WIDTH_PT,
    WHOLE_HEADED_ROWS,
    drop_empty_cell_endings,
    indent_leading_spaces,
    keep_short_lists_together,
    keep_short_tables_together,
)


def kept_rows(rows: int, header: bool) -> list[bool]:
    document = Document()
    table = document.add_table(rows=rows, cols=2)
    if header:
        properties = table.rows[0]._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:tblHeader"))
    keep_short_tables_together(document)
    return [bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in table.rows]


def test_a_short_table_with_a_header_row_moves_whole():
    assert kept_rows(WHOLE_HEADED_ROWS, header=True) == [True] * (WHOLE_HEADED_ROWS - 1) + [False]


def test_a_longer_table_with_a_header_row_splits_between_rows_keeping_its_header_with_a_row():
    rows = WHOLE_HEADED_ROWS + 2
    kept = kept_rows(rows, header=True)
    assert kept[0] is True and kept[1] is False  # the header row goes with the first row
    assert kept[-KEPT_HEADED_END_ROWS:] == [True] * (KEPT_HEADED_END_ROWS - 1) + [False]  # no row alone at the end


def test_a_labelled_table_may_split_but_keeps_its_first_rows_and_its_last_rows_together():
    rows = KEPT_END_ROWS + 4
    kept = kept_rows(rows, header=False)
    assert kept[0] is True and kept[1] is False  # the first two rows stay together
    assert kept[-KEPT_END_ROWS:] == [True] * (KEPT_END_ROWS - 1) + [False]  # the last rows move as one


def test_a_long_table_is_left_to_split():
    assert not any(kept_rows(SHORT_TABLE_ROWS + 1, header=True))


def kept_items(lists: list[tuple[str, list[str]]]) -> list[list[bool]]:
    """Each list after a heading of its own, in the style given; which items are kept with the next."""
    document = Document()
    made = []
    for style, items in lists:
        document.add_paragraph("Heading", style="Heading 2")
        made.append([document.add_paragraph(item, style=style) for item in items])
    keep_short_lists_together(document)
    return [[bool(item.paragraph_format.keep_with_next) for item in items] for items in made]


def test_a_short_list_moves_whole_and_a_long_one_may_split():
    long_item = "x" * (SHORT_LIST_CHARACTERS // 3)
    # A long one never leaves one item alone on a page: its first and its last but one go with the next.
    assert kept_items([("List Bullet", ["one", "two", "three"]), ("List Number", [long_item] * 4)]) == [[True, True, False], [True, False, True, False]]


def test_lists_of_two_styles_side_by_side_are_two_lists():
    document = Document()
    bullets = [document.add_paragraph(text, style="List Bullet") for text in ("a", "b")]
    numbers = [document.add_paragraph(text, style="List Number") for text in ("c", "d")]
    keep_short_lists_together(document)
    assert [bool(item.paragraph_format.keep_with_next) for item in bullets + numbers] == [True, False, True, False]


def test_an_empty_value_at_the_end_of_a_cell_leaves_no_blank_line():
    document = Document()
    table = document.add_table(rows=1, cols=3)
    meeting, alone, between = table.rows[0].cells
    meeting.paragraphs[0].add_run("Ministerial meeting")
    meeting.add_paragraph().add_run("")  # '{{ event.detail }}' filled in with nothing
    between.paragraphs[0].add_run("First")
    between.add_paragraph()
    between.add_paragraph().add_run("Third")
    drop_empty_cell_endings(document)
    assert [paragraph.text for paragraph in meeting.paragraphs] == ["Ministerial meeting"]
    assert len(alone.paragraphs) == 1  # a cell keeps one paragraph
    assert [paragraph.text for paragraph in between.paragraphs] == ["First", "", "Third"]  # a blank line inside is the author's


def test_spaces_that_open_a_table_cell_become_its_indent_so_a_wrapped_line_keeps_it():
    document = Document()
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.paragraphs[0].add_run("    Brief 7: Director of Human Rights, Secretariat of the Littoral States Community")
    indent_leading_spaces(document)
    assert cell.paragraphs[0].text == "Brief 7: Director of Human Rights, Secretariat of the Littoral States Community"
    assert cell.paragraphs[0].paragraph_format.left_indent.pt == 4 * SPACE_WIDTH_PT


def test_a_list_may_split_between_its_items_never_inside_one():
    from cti_briefings.layout import keep_short_lists_together

    document = Document()
    items = [document.add_paragraph(f"Key message {number} " + "words " * 60, style="List Number") for number in range(8)]
    keep_short_lists_together(document)
    assert all(item.paragraph_format.keep_together for item in items)
    assert not any(item.paragraph_format.keep_with_next for item in items[1:-2])  # a long list: free to split between items
