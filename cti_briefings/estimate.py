"""How a rendered .docx will fall on its pages, estimated before LibreOffice lays it out.

The build asks it which version of a document to convert first (build._check_and_fit): the
fullest that the page rules' length checks are expected to pass. It is a guide, never the
check: the converted PDF is checked as before, and when the estimate was wrong the build tries
other versions as it always has.

The estimate sets each paragraph and table cell in the fonts LibreOffice uses (found with
fc-match, their advance widths read from the font files), breaks lines at spaces and hyphens,
and lays lines onto pages with the template's spacing, keep-with-next, rows that may not
break, repeated header rows, and widow and orphan control. It counts a page's lines as the
page rules do: lines side by side (the cells of a row) count once.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from .pagerules import BRIEF_LAST_PAGE_LINES, BRIEF_PAGES, MIN_LINES_ON_A_PAGE, PageFacts

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS = 1 / 20
DEFAULT_FONT = "Liberation Sans"
DEFAULT_SIZE = 11.0
SPACE_EATERS = re.compile(r"(?<=[\s])|(?<=-)(?=[^\W\d_])|(?<=\u2013)(?=\S)|(?<=/)(?=[^\W\d_])")
"""Where a line may break: after a space, after a hyphen or a dash before a letter, after a slash."""
FITTED_KINDS = frozenset({"note_verbale", "programme", "brief", "seminar", "roadmap"})
"""Documents whose first version is chosen by the estimate. Not a letter: its closing, kept with
its last paragraph, is what usually needs fitting, and that only the real check sees."""


@dataclass(frozen=True)
class PageEstimate:
    """Pages the document is expected to take, and text lines expected on each."""

    lines: tuple[int, ...]

    @property
    def pages(self) -> int:
        return len(self.lines)


# --- Fonts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Metrics:
    widths: dict[int, float]
    """Advance width of each character, in ems."""
    default: float
    height: float
    """Ascent plus descent, in ems: a single line's height."""

    words: dict[str, float] = field(default_factory=dict, compare=False)
    """Widths of the words met so far, in ems: most words of a pack recur."""

    def width(self, text: str, size: float, letter_spacing: float = 0.0) -> float:
        ems = self.words.get(text)
        if ems is None:
            widths, default = self.widths, self.default
            ems = self.words[text] = sum(widths.get(ord(char), default) for char in text)
        return size * ems + letter_spacing * len(text)


@functools.cache
def _font_file(family: str, bold: bool) -> str | None:
    """The file fontconfig gives LibreOffice for a family (Arial: Liberation Sans), or None."""
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{family}:bold" if bold else family
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if found.lower().endswith((".ttf", ".otf")) else None


@functools.cache
def _metrics(family: str, bold: bool) -> _Metrics:
    from reportlab.pdfbase.ttfonts import TTFontFile  # read only when a document is estimated

    path = _font_file(family, bold) or _font_file(DEFAULT_FONT, bold)
    if path is None:  # without the fonts LibreOffice sets the text in, no estimate: the real check decides
        raise LookupError(f"no font file for {family}")
    font = TTFontFile(path)
    scale = 1 / 1000  # reportlab gives widths per 1000 units of the em
    ascent, descent = _vertical_metrics(path)
    return _Metrics({code: width * scale for code, width in font.charWidths.items()}, font.defaultWidth * scale, ascent + descent)


def _vertical_metrics(path: str) -> tuple[float, float]:
    """Ascent (with the line gap) and descent in ems from the font's hhea table, as LibreOffice spaces lines."""
    import struct

    with open(path, "rb") as stream:
        data = stream.read()
    tables = struct.unpack(">H", data[4:6])[0]
    offsets = {}
    for number in range(tables):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * number: 28 + 16 * number])
        offsets[tag] = offset
    units = struct.unpack(">H", data[offsets[b"head"] + 18: offsets[b"head"] + 20])[0]
    ascender, descender, gap = struct.unpack(">hhh", data[offsets[b"hhea"] + 4: offsets[b"hhea"] + 10])
    return (ascender + gap) / units, -descender / units


# --- Styles ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Props:
    """Paragraph and character properties that decide how much room a paragraph takes."""

    font: str = DEFAULT_FONT
    size: float = DEFAULT_SIZE
    bold: bool = False
    letter_spacing: float = 0.0
    before: float = 0.0
    after: float = 0.0
    line: float = 240.0
    line_rule: str = "auto"
    left: float = 0.0
    right: float = 0.0
    first_line: float = 0.0
    keep_next: bool = False
    keep_lines: bool = False
    widow_control: bool = False
    contextual: bool = False
    numbered: bool = False
    num_id: str | None = None
    level: int = 0
    style: str | None = None


def _on(element) -> bool:
    return element is not None and element.get(f"{W}val", "true") not in ("false", "0", "off")


def _apply(props: _Props, ppr, rpr, theme_fonts: dict[str, str]) -> _Props:
    changes: dict[str, object] = {}
    if ppr is not None:
        spacing = ppr.find(f"{W}spacing")
        if spacing is not None:
            for name, key in (("before", "before"), ("after", "after"), ("line", "line")):
                value = spacing.get(f"{W}{key}")
                if value is not None:
                    changes[name] = float(value)
            if spacing.get(f"{W}lineRule") is not None:
                changes["line_rule"] = spacing.get(f"{W}lineRule")
            elif spacing.get(f"{W}line") is not None:
                changes["line_rule"] = "auto"
        indent = ppr.find(f"{W}ind")
        if indent is not None:
            for name, keys in (("left", ("left", "start")), ("right", ("right", "end"))):
                for key in keys:
                    if indent.get(f"{W}{key}") is not None:
                        changes[name] = float(indent.get(f"{W}{key}"))
            if indent.get(f"{W}hanging") is not None:
                changes["first_line"] = -float(indent.get(f"{W}hanging"))
            elif indent.get(f"{W}firstLine") is not None:
                changes["first_line"] = float(indent.get(f"{W}firstLine"))
        for name, tag in (("keep_next", "keepNext"), ("keep_lines", "keepLines"), ("widow_control", "widowControl"), ("contextual", "contextualSpacing")):
            element = ppr.find(f"{W}{tag}")
            if element is not None:
                changes[name] = _on(element)
        numbering = ppr.find(f"{W}numPr")
        if numbering is not None:
            num = numbering.find(f"{W}numId")
            level = numbering.find(f"{W}ilvl")
            if num is not None:
                changes["num_id"] = num.get(f"{W}val")
                changes["numbered"] = num.get(f"{W}val") != "0"
            if level is not None:
                changes["level"] = int(level.get(f"{W}val", "0"))
    if rpr is not None:
        changes.update(_run_changes(rpr, theme_fonts))
    return replace(props, **changes) if changes else props  # type: ignore[arg-type]


def _run_changes(rpr, theme_fonts: dict[str, str]) -> dict[str, object]:
    changes: dict[str, object] = {}
    fonts = rpr.find(f"{W}rFonts")
    if fonts is not None:
        name = fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi")
        theme = fonts.get(f"{W}asciiTheme") or fonts.get(f"{W}hAnsiTheme")
        if name:
            changes["font"] = name
        elif theme and theme_fonts.get(theme):
            changes["font"] = theme_fonts[theme]
    size = rpr.find(f"{W}sz")
    if size is not None and size.get(f"{W}val"):
        changes["size"] = float(size.get(f"{W}val")) / 2
    bold = rpr.find(f"{W}b")
    if bold is not None:
        changes["bold"] = _on(bold)
    spacing = rpr.find(f"{W}spacing")
    if spacing is not None and spacing.get(f"{W}val"):
        changes["letter_spacing"] = float(spacing.get(f"{W}val")) * TWIPS
    return changes


@dataclass
class _Styles:
    paragraph: dict[str, _Props] = field(default_factory=dict)
    table_paragraph: dict[str, _Props] = field(default_factory=dict)
    """Paragraph properties a table style gives the paragraphs in its cells."""
    table_margins: dict[str, dict[str, float]] = field(default_factory=dict)
    default: _Props = _Props()
    default_paragraph: str | None = None
    numbering_indent: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)
    """(numId, level) -> (left, first line) of a numbered paragraph."""
    set_before: dict[tuple[bytes, _Props, float], tuple[_Props, _Paragraph]] = field(default_factory=dict, repr=False)
    """Paragraphs set before in these styles, by their XML, inherited properties and width (see _set)."""


@functools.lru_cache(maxsize=16)
def _read_styles(styles_xml: bytes, numbering_xml: bytes, theme_xml: bytes) -> _Styles:
    """Resolve every paragraph style's properties (worked out once per template)."""
    theme_fonts: dict[str, str] = {}
    if theme_xml:
        theme = etree.fromstring(theme_xml)
        a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        for kind, prefix in (("minorFont", "minor"), ("majorFont", "major")):
            latin = theme.find(f".//{a}{kind}/{a}latin")
            if latin is not None:
                theme_fonts[f"{prefix}HAnsi"] = theme_fonts[f"{prefix}Ascii"] = latin.get("typeface", DEFAULT_FONT)
    styles = _Styles()
    root = etree.fromstring(styles_xml) if styles_xml else None
    default = _Props()
    if root is not None:
        defaults = root.find(f"{W}docDefaults")
        if defaults is not None:
            default = _apply(default, defaults.find(f"{W}pPrDefault/{W}pPr"), defaults.find(f"{W}rPrDefault/{W}rPr"), theme_fonts)
    styles.default = default
    elements = {style.get(f"{W}styleId"): style for style in root.iter(f"{W}style")} if root is not None else {}

    @functools.cache
    def resolved(style_id: str) -> _Props:
        style = elements[style_id]
        parent = style.find(f"{W}basedOn")
        base = resolved(parent.get(f"{W}val")) if parent is not None and parent.get(f"{W}val") in elements and parent.get(f"{W}val") != style_id else default
        return replace(_apply(base, style.find(f"{W}pPr"), style.find(f"{W}rPr"), theme_fonts), style=style_id)

    for style_id, style in elements.items():
        kind = style.get(f"{W}type")
        if kind == "paragraph":
            styles.paragraph[style_id] = resolved(style_id)
            if style.get(f"{W}default") in ("1", "true"):
                styles.default_paragraph = style_id
        elif kind == "table":
            styles.table_paragraph[style_id] = _apply(_Props(), style.find(f"{W}pPr"), style.find(f"{W}rPr"), theme_fonts)
            margins = style.find(f"{W}tblPr/{W}tblCellMar")
            styles.table_margins[style_id] = _cell_margins(margins, {})
    if numbering_xml:
        styles.numbering_indent = _numbering_indents(etree.fromstring(numbering_xml))
    return styles


def _numbering_indents(numbering) -> dict[tuple[str, int], tuple[float, float]]:
    abstract: dict[str, dict[int, tuple[float, float]]] = {}
    for definition in numbering.iter(f"{W}abstractNum"):
        levels = {}
        for level in definition.iter(f"{W}lvl"):
            indent = level.find(f"{W}pPr/{W}ind")
            if indent is None:
                continue
            left = float(indent.get(f"{W}left") or indent.get(f"{W}start") or 0)
            first = -float(indent.get(f"{W}hanging")) if indent.get(f"{W}hanging") else float(indent.get(f"{W}firstLine") or 0)
            levels[int(level.get(f"{W}ilvl", "0"))] = (left, first)
        abstract[definition.get(f"{W}abstractNumId")] = levels
    found = {}
    for num in numbering.iter(f"{W}num"):
        reference = num.find(f"{W}abstractNumId")
        if reference is None:
            continue
        for level, indent in abstract.get(reference.get(f"{W}val"), {}).items():
            found[(num.get(f"{W}numId"), level)] = indent
    return found


def _cell_margins(element, inherited: dict[str, float]) -> dict[str, float]:
    margins = dict(inherited) or {"top": 0.0, "bottom": 0.0, "left": 108.0, "right": 108.0}
    if element is not None:
        for side, keys in (("top", ("top",)), ("bottom", ("bottom",)), ("left", ("left", "start")), ("right", ("right", "end"))):
            for key in keys:
                found = element.find(f"{W}{key}")
                if found is not None and found.get(f"{W}w") is not None:
                    margins[side] = float(found.get(f"{W}w"))
    return margins


# --- Setting paragraphs ----------------------------------------------------------------------

@dataclass
class _Paragraph:
    """A paragraph set in a given width: its lines' heights and whether they hold text."""

    props: _Props
    heights: list[float]
    text: bool
    before: float
    after: float


def _paragraph_props(element, styles: _Styles, base: _Props) -> _Props:
    ppr = element.find(f"{W}pPr")
    style_element = ppr.find(f"{W}pStyle") if ppr is not None else None
    style_id = style_element.get(f"{W}val") if style_element is not None else styles.default_paragraph
    # A paragraph style (Normal too) outranks what a table style says of its cells' paragraphs.
    props = styles.paragraph.get(style_id or "", base)
    mark = ppr.find(f"{W}rPr") if ppr is not None else None
    props = _apply(props, ppr, None, {})
    if mark is not None:
        props = replace(props, **{key: value for key, value in _run_changes(mark, {}).items() if key == "size"})  # type: ignore[arg-type]
    return props


def _set_paragraph(element, props: _Props, width: float, styles: _Styles) -> _Paragraph:
    """Break a paragraph into lines `width` points wide."""
    left, first = props.left, props.first_line
    if props.numbered and props.num_id is not None:
        indent = styles.numbering_indent.get((props.num_id, props.level))
        if indent is not None and not _has_own_indent(element):
            left, first = indent
            first = 0.0  # the number hangs in the indent; text lines all start at `left`
    runs: list[tuple[str, _Props]] = []
    for run in element.iter(f"{W}r"):
        rpr = run.find(f"{W}rPr")
        run_props = replace(props, **_run_changes(rpr, {})) if rpr is not None else props  # type: ignore[arg-type]
        for child in run:
            if child.tag == f"{W}t" and child.text:
                runs.append((child.text, run_props))
            elif child.tag == f"{W}tab":
                runs.append(("    ", run_props))
            elif child.tag in (f"{W}br", f"{W}cr"):
                runs.append(("\n", run_props))
    text = "".join(chunk for chunk, _ in runs)
    available = width - (left + props.right) * TWIPS
    size = max([run_props.size for chunk, run_props in runs if chunk.strip()] or [props.size])
    line_height = _line_height(props, size)
    if not text.strip():
        return _Paragraph(props, [line_height], False, props.before * TWIPS, props.after * TWIPS)
    count = _count_lines(runs, available, first * TWIPS)
    return _Paragraph(props, [line_height] * count, True, props.before * TWIPS, props.after * TWIPS)


SET_PARAGRAPHS_KEPT = 4096
"""Paragraphs kept for each template's styles (a few hundred bytes each); beyond, they start again."""


def _set(element, styles: _Styles, base: _Props, width: float) -> tuple[_Props, _Paragraph]:
    """A paragraph's properties and lines, worked out once for the same XML in the same styles.

    The versions of a document, and the documents of countries built together, share most of
    their paragraphs; each is set once.
    """
    key = (hashlib.blake2b(etree.tostring(element), digest_size=16).digest(), base, width)
    found = styles.set_before.get(key)
    if found is None:
        props = _paragraph_props(element, styles, base)
        found = (props, _set_paragraph(element, props, width, styles))
        if len(styles.set_before) >= SET_PARAGRAPHS_KEPT:
            styles.set_before.clear()
        styles.set_before[key] = found
    return found


def _has_own_indent(element) -> bool:
    return element.find(f"{W}pPr/{W}ind") is not None


def _line_height(props: _Props, size: float) -> float:
    natural = _metrics(props.font, props.bold).height * size
    if props.line_rule == "exact":
        return props.line * TWIPS
    if props.line_rule == "atLeast":
        return max(natural, props.line * TWIPS)
    return natural * props.line / 240


def _count_lines(runs: list[tuple[str, _Props]], width: float, first_indent: float) -> int:
    """Greedy line breaking, as a word processor does."""
    lines, used, limit = 1, 0.0, width - first_indent
    pending_space = 0.0
    for chunk, props in runs:
        metrics = _metrics(props.font, props.bold)
        for piece in SPACE_EATERS.split(chunk):
            if not piece:
                continue
            if piece == "\n":
                lines, used, limit, pending_space = lines + 1, 0.0, width, 0.0
                continue
            word = piece.rstrip()
            space = metrics.width(piece[len(word):], props.size, props.letter_spacing)
            advance = metrics.width(word, props.size, props.letter_spacing)
            if used and used + pending_space + advance > limit:
                lines, used, limit, pending_space = lines + 1, 0.0, width, 0.0
                while advance > limit:  # a word longer than a line is broken anywhere
                    lines += 1
                    advance -= limit
            used += (pending_space if used else 0.0) + advance
            pending_space = space
    return lines


# --- Blocks and pages ------------------------------------------------------------------------

@dataclass
class _Block:
    """What is laid out as a unit: a paragraph (which may split between its lines) or a table row."""

    heights: list[float]
    """Height of each line (a row: one entry, the whole row)."""
    counted: list[int]
    """Text lines each entry adds to its page's count."""
    before: float
    after: float
    keep_next: bool
    splittable: bool
    widow_control: bool = False
    header: _Block | None = None
    """For a table row: the table's header row, repeated when the row starts a page."""
    is_header: bool = False


def _blocks(document, styles: _Styles, text_width: float) -> Iterator[_Block]:
    body = document.find(f"{W}body")
    previous: _Props | None = None
    for element in body:
        if element.tag == f"{W}p":
            props, paragraph = _set(element, styles, styles.default, text_width)
            before = paragraph.before
            if previous is not None and props.contextual and previous.contextual and previous.style == props.style:
                before = -1.0  # marks: no space between this and the paragraph before
            yield _Block(paragraph.heights, [1] * len(paragraph.heights) if paragraph.text else [0], before, paragraph.after,
                         props.keep_next, not props.keep_lines, props.widow_control)
            previous = props
        elif element.tag == f"{W}tbl":
            yield from _table_blocks(element, styles)
            previous = None


def _table_blocks(table, styles: _Styles) -> Iterator[_Block]:
    style_element = table.find(f"{W}tblPr/{W}tblStyle")
    style_id = style_element.get(f"{W}val") if style_element is not None else ""
    base = replace(styles.default, **_differences(styles.table_paragraph.get(style_id)))  # type: ignore[arg-type]  # cells without a paragraph style
    margins = _cell_margins(table.find(f"{W}tblPr/{W}tblCellMar"), styles.table_margins.get(style_id, {}))
    grid = [float(column.get(f"{W}w", 0)) for column in table.iterfind(f"{W}tblGrid/{W}gridCol")]
    header: _Block | None = None
    border = 0.5
    for row in table.iterfind(f"{W}tr"):
        cells_height, cells_lines, keep = 0.0, 0, False
        column = 0
        for cell in row.iterfind(f"{W}tc"):
            span_element = cell.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_element.get(f"{W}val", "1")) if span_element is not None else 1
            width = sum(grid[column: column + span]) if grid else 0.0
            cell_width_element = cell.find(f"{W}tcPr/{W}tcW")
            if not width and cell_width_element is not None:
                width = float(cell_width_element.get(f"{W}w", 0))
            column += span
            usable = (width - margins["left"] - margins["right"]) * TWIPS
            height, lines, previous = 0.0, 0, None
            paragraphs = [element for element in cell if element.tag == f"{W}p"]
            for number, element in enumerate(paragraphs):
                props, paragraph = _set(element, styles, base, usable)
                contextual = previous is not None and props.contextual and previous.contextual and previous.style == props.style
                if number and not contextual:
                    height += paragraph.before
                height += sum(paragraph.heights)
                height += paragraph.after
                lines += len(paragraph.heights) if paragraph.text else 0
                keep = keep or props.keep_next
                previous = props
            cells_height = max(cells_height, height + (margins["top"] + margins["bottom"]) * TWIPS)
            cells_lines = max(cells_lines, lines)
        row_properties = row.find(f"{W}trPr")
        is_header = row_properties is not None and _on(row_properties.find(f"{W}tblHeader"))
        block = _Block([cells_height + border], [cells_lines], 0.0, 0.0, keep, False, header=header, is_header=is_header)
        if is_header and header is None:
            header = block
        yield block


def _differences(props: _Props | None) -> dict[str, object]:
    if props is None:
        return {}
    plain = _Props()
    return {name: getattr(props, name) for name in ("before", "after", "line", "line_rule") if getattr(props, name) != getattr(plain, name)}


def _paginate(blocks: list[_Block], page_height: float) -> PageEstimate:
    """Lay blocks onto pages; return the text lines on each page."""
    pages: list[int] = [0]
    used = 0.0
    last_after = 0.0
    # The blocks each block must share a page with (keep-with-next chains).
    index = 0
    while index < len(blocks):
        block = blocks[index]
        before = 0.0 if block.before < 0 else block.before
        spacing = max(last_after, before) if used else before  # LibreOffice sets the larger of the two, for Word's documents
        if block.before < 0 and used:
            spacing = 0.0
        # A keep-with-next chain moves whole to the next page when it does not fit but would there.
        chain_end = index
        while chain_end < len(blocks) - 1 and blocks[chain_end].keep_next:
            chain_end += 1
        if chain_end > index and used:
            chain = blocks[index: chain_end + 1]
            inside = sum(sum(item.heights) + max(item.after, following.before) for item, following in zip(chain, chain[1:]))
            needed = spacing + inside + _first_part(chain[-1])
            fresh = before + inside + _first_part(chain[-1])
            if used + needed > page_height and fresh <= page_height:
                pages.append(0)
                used, last_after = _start_page(block, pages), 0.0
                continue
        # The space below the paragraph before may run past the page's end; only the rest must fit.
        cuttable = min(last_after, spacing) if used else 0.0
        if used + spacing - cuttable + sum(block.heights) <= page_height or not used and not block.splittable:
            used += spacing + sum(block.heights)
            pages[-1] += sum(block.counted)
            last_after = block.after
            index += 1
            continue
        if block.splittable and len(block.heights) > 1:
            room = page_height - used - spacing + (min(last_after, spacing) if used else 0.0)
            fitting = 0
            while fitting < len(block.heights) and sum(block.heights[: fitting + 1]) <= room:
                fitting += 1
            if block.widow_control:
                if len(block.heights) - fitting < 2:
                    fitting = len(block.heights) - 2
                if fitting < 2:
                    fitting = 0
            if fitting > 0:
                pages[-1] += fitting if block.counted[0] else 0
                rest = replace(block, heights=block.heights[fitting:], counted=block.counted[fitting:] if len(block.counted) > 1 else block.counted, before=0.0)
                blocks = [*blocks[:index], rest, *blocks[index + 1:]]
                pages.append(0)
                used, last_after = 0.0, 0.0
                continue
        if not used:  # taller than a page on its own: it runs on
            used = sum(block.heights) % page_height
            pages[-1] += sum(block.counted)
            last_after = block.after
            index += 1
            continue
        pages.append(0)
        used, last_after = _start_page(block, pages), 0.0
    while len(pages) > 1 and pages[-1] == 0 and used == 0.0:
        pages.pop()
    return PageEstimate(tuple(pages))


def _start_page(block: _Block, pages: list[int]) -> float:
    """Start a page with `block`: a table row that continues its table under its repeated header row."""
    header = block.header
    if header is None or block.is_header:
        return 0.0
    pages[-1] += sum(header.counted)
    return sum(header.heights)


def _first_part(block: _Block) -> float:
    """Height of what must stand on the page for `block` to start there."""
    if block.splittable and len(block.heights) > 1:
        return sum(block.heights[: 2 if block.widow_control else 1])
    return sum(block.heights)


def estimate_pages(docx: bytes) -> PageEstimate:
    """Estimate how a .docx falls on its pages: the text lines on each page."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        names = set(archive.namelist())

        def part(name: str) -> bytes:
            return archive.read(name) if name in names else b""

        document = etree.fromstring(archive.read("word/document.xml"))
        styles = _read_styles(part("word/styles.xml"), part("word/numbering.xml"), part("word/theme/theme1.xml"))
    section = document.find(f"{W}body/{W}sectPr")
    size = section.find(f"{W}pgSz") if section is not None else None
    margins = section.find(f"{W}pgMar") if section is not None else None
    width = float(size.get(f"{W}w", 11906)) if size is not None else 11906.0
    height = float(size.get(f"{W}h", 16838)) if size is not None else 16838.0

    def margin(side: str, default: float) -> float:
        return float(margins.get(f"{W}{side}", default)) if margins is not None else default

    text_width = (width - margin("left", 1417) - margin("right", 1417)) * TWIPS
    page_height = (height - margin("top", 1134) - margin("bottom", 1020)) * TWIPS
    return _paginate(list(_blocks(document, styles, text_width)), page_height)


def expected_to_fit(kind: str, estimate: PageEstimate, facts: PageFacts) -> bool:
    """True when the estimate breaks none of the length rules it can judge (pagerules.LENGTH_RULES).

    A letter's closing kept with its last paragraph and short lists kept together are left to
    the real check: the template keeps them with what follows, which the estimate also does.
    """
    pages, lines = estimate.pages, estimate.lines
    if pages > 1 and any(count < MIN_LINES_ON_A_PAGE for count in lines):
        return False
    if kind in ("brief", "programme", "roadmap") and pages > 1 and lines[-1] < BRIEF_LAST_PAGE_LINES:
        return False
    if kind == "brief" and pages > BRIEF_PAGES and facts.usual_visit:
        return False
    return not (kind == "note_verbale" and pages > 1 and facts.usual_visit)


Version = tuple[int, bool]
"""A version of a document: (reference lines given up, set tighter)."""
MAX_ESTIMATED_VERSIONS = 6
"""Versions estimated before giving up and converting the full one (each is rendered to be estimated)."""


@dataclass(frozen=True)
class FirstVersion:
    """The version of a document to convert first, its bytes, and the pages it is expected to take (None: no estimate)."""

    version: Version
    data: bytes
    pages: int | None


def first_version(kind: str, version: Callable[[Version], bytes | None], order: tuple[Version, ...], facts: PageFacts) -> FirstVersion:
    """Return the fullest version of a document, in `order`, expected to fit its pages.

    The first of `order` (the full document) when none of the first few is expected to fit:
    the build then converts it and fits it as it always has. A document the build does not fit
    by the estimate (a letter) is still estimated, for the page numbers of the contents.
    """
    full = version(order[0])
    assert full is not None
    candidates = [candidate for candidate in order if kind in FITTED_KINDS or candidate == order[0]]
    first: FirstVersion | None = None
    estimated = 0
    for candidate in candidates:
        if estimated == MAX_ESTIMATED_VERSIONS:
            break
        data = version(candidate)
        if data is None:
            continue
        estimated += 1
        try:
            expected = estimate_pages(data)
        except (LookupError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:  # an odd template, or no fonts: the real check decides
            log.debug("no page estimate (%s: %s)", exc.__class__.__name__, exc)
            return FirstVersion(order[0], full, None)
        if first is None:
            first = FirstVersion(order[0], full, expected.pages)
        if kind not in FITTED_KINDS or expected_to_fit(kind, expected, facts):
            return FirstVersion(candidate, data, expected.pages)
    return first or FirstVersion(order[0], full, None)
