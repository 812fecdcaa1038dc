"""Layout rules applied to a rendered document, where the template cannot express them.

A template repeats one list paragraph per item, so it cannot give the last item of a list
different properties from the others; these rules run on the filled-in document instead.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

SHORT_LIST_ITEMS = 6  # a list this long or shorter is kept on one page
LIST_STYLES = ("List Bullet", "List Number")


def keep_short_lists_together(document: Any) -> None:
    """Keep each item of a short list with the next, and let the last item go with what follows.

    A long list may split between pages; a short one moves whole to the next page instead.
    """
    lists: list[tuple[list[Paragraph], bool]] = []
    current: list[Paragraph] = []
    for element in document.element.body.iterchildren():
        style = None
        paragraph = Paragraph(element, document) if element.tag == qn("w:p") else None
        if paragraph is not None:
            style = _style_name(paragraph)
        if paragraph is not None and style in LIST_STYLES and (not current or _style_name(current[-1]) == style):
            current.append(paragraph)
            continue
        if current:
            # A list stays with what follows when that paragraph is itself kept with the next
            # (a letter's last paragraph, kept with its closing), so the block moves as one.
            lists.append((current, bool(paragraph is not None and paragraph.paragraph_format.keep_with_next)))
        current = [paragraph] if paragraph is not None and style in LIST_STYLES else []
    if current:
        lists.append((current, False))
    for items, with_next in lists:
        short = len(items) <= SHORT_LIST_ITEMS
        for item in items[:-1]:
            item.paragraph_format.keep_with_next = short
        items[-1].paragraph_format.keep_with_next = short and with_next


def _style_name(paragraph: Paragraph) -> str | None:
    return paragraph.style.name if paragraph.style is not None else None
