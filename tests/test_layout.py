"""Layout rules applied after rendering: which rows and items move to the next page together."""

from __future__ import annotations

from docx import Document
from docx.oxml import OxmlElement

from cti_briefings.layout import KEPT_END_ROWS, KEPT_HEADED_END_ROWS, SHORT_TABLE_ROWS, WHOLE_HEADED_ROWS, keep_short_tables_together


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
