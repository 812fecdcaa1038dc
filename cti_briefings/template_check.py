"""A static check of a Word template's tags, reported in Word's terms.

Reads every paragraph and table row of a template (body, headers, footers), joins each
paragraph's runs as docxtpl does, and checks the block tags ({%p if %}, {%p for %}, {%tr … %},
{%tc … %} and inline {% if %}) before any rendering:

- every 'if' and 'for' is closed, every 'endif' and 'endfor' closes something, in the same
  paragraph, table cell or table it was opened in, and written the same way ('{%p' with '{%p');
- a '{%p' tag stands alone in its paragraph and a '{%tr' tag alone in its row (docxtpl deletes
  the rest), and '{%tr' / '{%tc' tags sit in tables;
- no tag stays broken after joining runs ('{{ country.name }');
- the guard rule, which catches a tag moved by one paragraph: every paragraph between
  '{%p if X %}' and its '{%p else %}' or '{%p endif %}' shows something of X (a tag naming X or
  a field of X); every paragraph of the 'else' part (and of an 'if not X') shows a value, but
  nothing of X; every paragraph between '{%p for item in xs %}' and '{%p endfor %}' uses
  'item'. Empty paragraphs show nothing, so they break the rule inside a block: spacing belongs
  in the paragraph format. A paragraph that a moved tag leaves outside its guard is caught
  right next to the block (it shows X just above 'if X' or just below its 'endif'), or when
  the matrix of generated cases renders it without X (cases.py).

What an 'else' part shows is the one thing this cannot pin down: moving its 'endif' above its
last paragraph leaves that paragraph printed in every case. Rendering catches it only when the
value it shows is missing (None) where X is present; templates do best to keep the wording for
a missing value in the data ('{%p if note %}{{ note }}{%p endif %}') rather than in an 'else'.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes
from lxml import etree

from .errors import Problem, TemplateCheckError, display_path
from .sanitize import read_template_bytes, sanitize_template

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
STATEMENT = re.compile(r"^\{%-?(tr|tc|p|r)?\s+(.*?)\s*-?%\}$", re.DOTALL)
VALUE = re.compile(r"^\{\{-?(?:(?:p|r|tr|tc)\s)?\s*(.*?)\s*-?\}\}$", re.DOTALL)
BLOCK_KEYWORDS = {"if", "elif", "else", "endif", "for", "endfor"}
CLOSES = {"endif": "if", "endfor": "for"}
SHOWN_TEXT = 40
_PARSER = jinja2.Environment()


# --- What a template holds ------------------------------------------------------------------


@dataclass
class Tag:
    """One tag as written, with what it means."""

    text: str
    level: str
    """'p', 'tr', 'tc' or 'r' for docxtpl's block tags, '' for inline tags, 'value' for {{ }}."""
    keyword: str = ""
    """if, elif, else, endif, for, endfor (or another statement), '' for a value."""
    expression: str = ""
    shows: frozenset[str] = frozenset()
    """Dotted names the tag reads, e.g. 'visit.reply_by'."""
    positive: frozenset[str] = frozenset()
    """For an 'if'/'elif': the names its test reads outside any 'not'."""
    negative: frozenset[str] = frozenset()
    """For an 'if'/'elif': the names its test reads under a 'not'."""
    targets: tuple[str, ...] = ()
    """For a 'for': the loop variables."""
    source: frozenset[str] = frozenset()
    """For a 'for': the names of the list it repeats over."""

    def written(self) -> str:
        return self.text if len(self.text) <= 60 else self.text[:59] + "…"


@dataclass
class Paragraph:
    text: str
    where: str
    tags: list[Tag] = field(default_factory=list)

    @property
    def label(self) -> str:
        text = self.text.strip()
        if not text:
            return f"the empty paragraph ({self.where})"
        shown = text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT].rstrip() + "…"
        return f"the paragraph '{shown}' ({self.where})"

    def block_tags(self, levels: Iterable[str]) -> list[Tag]:
        return [tag for tag in self.tags if tag.level in levels and tag.keyword in BLOCK_KEYWORDS]


@dataclass
class Row:
    number: int
    where: str
    cells: list[list[Unit]]

    def paragraphs(self) -> Iterator[Paragraph]:
        for cell in self.cells:
            yield from _paragraphs_in(cell)

    @property
    def label(self) -> str:
        text = " | ".join(paragraph.text.strip() for paragraph in self.paragraphs() if paragraph.text.strip())
        shown = text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT].rstrip() + "…"
        return f"the row '{shown}' ({self.where})" if text else f"the empty row ({self.where})"


@dataclass
class Table:
    number: int
    rows: list[Row]
    where: str

    @property
    def label(self) -> str:
        text = " | ".join(paragraph.text.strip() for paragraph in _paragraphs_in(self.rows) if paragraph.text.strip())
        shown = text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT].rstrip() + "…"
        return f"the {self.where} '{shown}'" if text else f"the empty {self.where}"


Unit = Paragraph | Table


def _paragraphs_in(units: Iterable[Unit | Row]) -> Iterator[Paragraph]:
    for unit in units:
        if isinstance(unit, Paragraph):
            yield unit
        elif isinstance(unit, Table):
            for row in unit.rows:
                yield from row.paragraphs()
        else:
            yield from unit.paragraphs()


# --- Reading a .docx ----------------------------------------------------------------------


@dataclass
class _Numbering:
    part: str
    paragraphs: int = 0
    tables: int = 0


def read_template(path: Path) -> list[tuple[str, list[Unit]]]:
    """Return each text part of a template (body, headers, footers) as its paragraphs and tables."""
    shown = display_path(path)
    try:
        # The sanitised package: a hostile template is refused (or stripped) before it is read.
        with zipfile.ZipFile(io.BytesIO(sanitize_template(read_template_bytes(path), shown))) as archive:
            names = sorted((name for name in archive.namelist() if PARTS.match(name)), key=_part_order)
            xml = {name: archive.read(name) for name in names}
    except (OSError, zipfile.BadZipFile) as exc:
        raise TemplateCheckError([Problem(shown, None, "", f"is not a readable Word document ({exc.__class__.__name__})", "save it from Word as 'Word Document (.docx)'")]) from None
    headers = [name for name in names if "header" in name]
    footers = [name for name in names if "footer" in name]
    parts = []
    for name in names:
        if name == "word/document.xml":
            part = "the body"
        elif name in headers:
            part = "the header" if len(headers) == 1 else f"header {headers.index(name) + 1}"
        else:
            part = "the footer" if len(footers) == 1 else f"footer {footers.index(name) + 1}"
        root = etree.fromstring(xml[name])
        container = root.find(f"{W}body") if root.tag == f"{W}document" else root
        parts.append((part, _read_container(container, _Numbering(part), None) if container is not None else []))
    return parts


def _part_order(name: str) -> tuple[int, str]:
    return (0 if name == "word/document.xml" else 1 if "header" in name else 2, name)


def _read_container(container, numbering: _Numbering, row_where: str | None) -> list[Unit]:
    units: list[Unit] = []
    for child in _block_children(container):
        if child.tag == f"{W}p":
            text = "".join(node.text or "" for node in child.iter(f"{W}t"))
            if row_where is None:
                numbering.paragraphs += 1
                where = f"paragraph {numbering.paragraphs} of {numbering.part}"
            else:
                where = row_where
            units.append(Paragraph(text, where))
        else:
            numbering.tables += 1
            number = numbering.tables
            in_part = "" if numbering.part == "the body" else f" in {numbering.part}"
            rows = []
            for index, row in enumerate(child.findall(f"{W}tr"), start=1):
                where = f"row {index} of table {number}{in_part}"
                cells = [_read_container(cell, numbering, where) for cell in row.findall(f"{W}tc")]
                rows.append(Row(index, where, cells))
            units.append(Table(number, rows, f"table {number}{in_part}"))
    return units


def _block_children(container) -> Iterator:
    for child in container:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":  # a content control wraps paragraphs; they count as the container's
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _block_children(content)


# --- Tags ---------------------------------------------------------------------------------


def _read_tags(paragraph: Paragraph, shown: str, problems: list[Problem]) -> None:
    text = paragraph.text
    position = 0
    leftover = []
    while True:
        starts = [(text.find(opener, position), opener) for opener in OPENERS]
        starts = [(start, opener) for start, opener in starts if start >= 0]
        if not starts:
            leftover.append(text[position:])
            break
        start, opener = min(starts)
        leftover.append(text[position:start])
        closer = OPENERS[opener]
        end = text.find(closer, start + 2)
        following = [text.find(other, start + 2) for other in OPENERS]
        next_opener = min((index for index in following if index >= 0), default=len(text))
        if end < 0 or next_opener < end:
            fragment = text[start:next_opener].strip()
            problems.append(_problem(shown, f"{paragraph.label} has a broken tag '{_clip(fragment)}'", "a value is written {{ name }} and a condition {% if name %}; retype the tag in Word in one go, so that formatting does not split it"))
            position = next_opener
            continue
        written = text[start:end + 2]
        position = end + 2
        if opener == "{#":
            continue
        tag = _parse_tag(written, paragraph, shown, problems)
        if tag:
            paragraph.tags.append(tag)
    rest = "".join(leftover)
    for stray in ("}}", "%}"):
        if stray in rest:
            problems.append(_problem(shown, f"{paragraph.label} has a stray '{stray}' without its opening '{'{{' if stray == '}}' else '{%'}'", "retype the tag in Word in one go"))


def _parse_tag(written: str, paragraph: Paragraph, shown: str, problems: list[Problem]) -> Tag | None:
    statement = STATEMENT.match(written)
    try:
        if statement:
            level = statement.group(1) or ""
            body = statement.group(2)
            keyword, _, expression = body.partition(" ")
            expression = expression.strip()
            if keyword in ("if", "elif"):
                test = _PARSER.parse(f"{{% if {expression} %}}{{% endif %}}").body[0].test  # type: ignore[attr-defined]
                positive, negative = _polarised_names(test)
                return Tag(written, level, keyword, expression, frozenset(positive | negative), frozenset(positive), frozenset(negative))
            if keyword == "for":
                loop = _PARSER.parse(f"{{% for {expression} %}}{{% endfor %}}").body[0]
                targets = tuple(sorted(_names(loop.target)))  # type: ignore[attr-defined]
                source = _names(loop.iter)  # type: ignore[attr-defined]
                condition = _names(loop.test) if loop.test is not None else set()  # type: ignore[attr-defined]
                own = {name for name in condition if name.split(".")[0] not in targets}
                return Tag(written, level, keyword, expression, frozenset(source | own), targets=targets, source=frozenset(source))
            if keyword in ("else", "endif", "endfor"):
                return Tag(written, level, keyword)
            if keyword in ("vm", "hm", "colspan", "cellbg"):
                return Tag(written, level, keyword)
            template = _PARSER.parse(f"{{% {body} %}}" + ("" if keyword in ("set", "include", "import", "from", "do") else f"{{% end{keyword} %}}"))
            return Tag(written, level, keyword, expression, frozenset(_names(template)))
        value = VALUE.match(written)
        expression = value.group(1) if value else written[2:-2]
        parsed = _PARSER.parse(f"{{{{ {expression} }}}}")
        return Tag(written, "value", "", expression, frozenset(_names(parsed)))
    except jinja2.TemplateSyntaxError as exc:
        problems.append(_problem(shown, f"{paragraph.label} has a tag that cannot be read: '{_clip(written)}' ({exc.message})", "a value is written {{ name }}, a condition {%p if name %} on a paragraph of its own"))
        return None


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _dotted(node.node)
        return f"{base}.{node.arg.value}" if base else None
    return None


def _names(node: nodes.Node) -> set[str]:
    found: set[str] = set()
    dotted = _dotted(node)
    if dotted is not None:
        return {dotted}
    for child in node.iter_child_nodes():
        found |= _names(child)
    return found


def _polarised_names(node: nodes.Node, negated: bool = False) -> tuple[set[str], set[str]]:
    if isinstance(node, nodes.Not):
        return _polarised_names(node.node, not negated)
    if _dotted(node) is not None or not list(node.iter_child_nodes()):
        names = _names(node)
        return (set(), names) if negated else (names, set())
    positive: set[str] = set()
    negative: set[str] = set()
    for child in node.iter_child_nodes():
        more_positive, more_negative = _polarised_names(child, negated)
        positive |= more_positive
        negative |= more_negative
    return positive, negative


# --- Blocks -------------------------------------------------------------------------------


@dataclass
class _Branch:
    tag: Tag
    where: Paragraph
    index: int
    """Index of the unit holding the tag in its container (paragraph or row)."""


@dataclass
class _Block:
    branches: list[_Branch]
    closer: _Branch | None = None


@dataclass
class _Dangling:
    """An 'if' never closed or an 'endif' closing nothing, kept to pair across table cells."""

    tag: Tag
    paragraph: Paragraph
    table: int | None
    opens: bool


def _match_blocks(events: list[tuple[int, Paragraph, Tag]], shown: str, problems: list[Problem], dangling: list[_Dangling], table: int | None) -> list[_Block]:
    """Pair the block tags of one container (a part, a cell, a table's rows) into blocks."""
    blocks: list[_Block] = []
    stack: list[_Block] = []
    for index, paragraph, tag in events:
        if tag.keyword in ("if", "for"):
            stack.append(_Block([_Branch(tag, paragraph, index)]))
        elif tag.keyword in ("elif", "else"):
            if not stack or stack[-1].branches[0].tag.keyword != "if":
                problems.append(_problem(shown, f"{paragraph.label} has an '{tag.keyword}' outside any 'if'", f"delete it, or add a paragraph '{_tag_like(tag, 'if …')}' before the paragraphs it should choose between"))
                continue
            opener = stack[-1].branches[0]
            if opener.tag.level != tag.level:
                problems.append(_problem(shown, f"{paragraph.label} has '{tag.written()}' for the 'if' of {opener.where.label}, written differently", f"write it as '{_tag_like(opener.tag, tag.keyword)}'"))
            stack[-1].branches.append(_Branch(tag, paragraph, index))
        elif tag.keyword in CLOSES:
            wanted = CLOSES[tag.keyword]
            depth = next((position for position in range(len(stack) - 1, -1, -1) if stack[position].branches[0].tag.keyword == wanted), None)
            if depth is None:
                dangling.append(_Dangling(tag, paragraph, table, opens=False))
                continue
            for unclosed in stack[depth + 1:]:
                dangling.append(_Dangling(unclosed.branches[0].tag, unclosed.branches[0].where, table, opens=True))
            block = stack[depth]
            del stack[depth:]
            opener = block.branches[0]
            if opener.tag.level != tag.level:
                problems.append(_problem(shown, f"{opener.where.label} opens {_a(wanted)} written '{opener.tag.written()}', closed by '{tag.written()}' in {paragraph.label}", f"write the closing tag the same way: '{_tag_like(opener.tag, tag.keyword)}'"))
            block.closer = _Branch(tag, paragraph, index)
            blocks.append(block)
    for unclosed in stack:
        dangling.append(_Dangling(unclosed.branches[0].tag, unclosed.branches[0].where, table, opens=True))
    return blocks


def _report_dangling(dangling: list[_Dangling], shown: str, problems: list[Problem]) -> None:
    """Report unclosed and orphan tags; an opener and a closer in one table span its cells."""
    used: set[int] = set()
    for position, item in enumerate(dangling):
        if not item.opens or item.table is None:
            continue
        wanted = "end" + item.tag.keyword
        partner = next((other for other_position, other in enumerate(dangling) if other_position not in used and not other.opens and other.table == item.table and other.tag.keyword == wanted), None)
        if partner is not None:
            used.add(position)
            used.add(dangling.index(partner))
            problems.append(_problem(shown, f"{item.paragraph.label} opens {_a(item.tag.keyword)} in one table cell that is closed in another, by {partner.paragraph.label}", f"keep '{item.tag.written()}' and its '{partner.tag.written()}' in the same cell, or use '{{%tr {item.tag.keyword} … %}}' rows to keep or repeat whole rows"))
    for position, item in enumerate(dangling):
        if position in used:
            continue
        if item.opens:
            closing = _tag_like(item.tag, "end" + item.tag.keyword)
            unit = "row" if item.tag.level == "tr" else "cell" if item.tag.level == "tc" else "paragraph"
            hint = f"add a {unit} '{closing}' after the last {unit} it should keep" if item.tag.level else f"add '{closing}' where the optional text ends, in the same paragraph or cell"
            problems.append(_problem(shown, f"{item.paragraph.label} opens {_a(item.tag.keyword)} that is never closed", hint))
        else:
            opened = CLOSES[item.tag.keyword]
            problems.append(_problem(shown, f"{item.paragraph.label} closes {_a(opened)} that was never opened", f"delete it, or add '{_tag_like(item.tag, opened + ' …')}' before the first {'row' if item.tag.level == 'tr' else 'paragraph'} it should keep"))


# --- The guard rule -----------------------------------------------------------------------


def _unit_names(unit: Unit | Row) -> set[str]:
    names: set[str] = set()
    for paragraph in _paragraphs_in([unit]):
        for tag in paragraph.tags:
            names |= tag.shows
    return names


def _expand(names: set[str], bindings: dict[str, frozenset[str]]) -> set[str]:
    """Add, for each name read through a loop variable, the same name read through the list."""
    expanded = set(names)
    pending = list(names)
    while pending:
        name = pending.pop()
        root, _, rest = name.partition(".")
        for source in bindings.get(root, ()):
            if source.split(".")[0] == root:
                continue
            through = f"{source}.{rest}" if rest else source
            if through not in expanded:
                expanded.add(through)
                pending.append(through)
    return expanded


def _shows(names: set[str], wanted: Iterable[str]) -> str | None:
    for name in sorted(names):
        for path in wanted:
            if name == path or name.startswith(path + "."):
                return name
    return None


def _quoted(names: Iterable[str]) -> str:
    return " or ".join(f"'{name}'" for name in sorted(names))


def _check_guards(units: list[Unit] | list[Row], blocks: list[_Block], bindings: dict[str, frozenset[str]], tag_units: set[int], shown: str, problems: list[Problem]) -> dict[int, dict[str, frozenset[str]]]:
    """Apply the guard rule to each block of one container; return the loop variables of each unit."""
    unit_bindings: dict[int, dict[str, frozenset[str]]] = {}
    for block in sorted(blocks, key=lambda block: block.branches[0].index):
        opener = block.branches[0]
        assert block.closer is not None
        bounds = [branch.index for branch in block.branches] + [block.closer.index]
        if opener.tag.keyword == "for":
            # The opener may itself sit in an outer loop of this container ('for m in day.meetings').
            loop_source = frozenset(_expand(set(opener.tag.source), {**bindings, **unit_bindings.get(bounds[0], {})}))
            for index in range(bounds[0] + 1, bounds[-1]):
                inner = unit_bindings.setdefault(index, {})
                for target in opener.tag.targets:
                    inner[target] = loop_source
    for block in blocks:
        opener = block.branches[0]
        assert block.closer is not None
        marks = [*block.branches, block.closer]
        for number, branch in enumerate(block.branches):
            start, end = branch.index, marks[number + 1].index
            inside = [index for index in range(start + 1, end) if index not in tag_units]
            if not inside:
                what = "its 'else' part keeps nothing" if branch.tag.keyword == "else" else f"the '{marks[number + 1].tag.written()}' follows at once"
                problems.append(_problem(shown, f"{branch.where.label} opens {_a(branch.tag.keyword) if branch.tag.keyword != 'else' else 'an else part'} that keeps nothing ({what})", f"move the '{marks[number + 1].tag.written()}' below the {'rows' if branch.tag.level == 'tr' else 'paragraphs'} it should keep, or delete both tags"))
                continue
            for index in inside:
                unit = units[index]
                scope = {**bindings, **unit_bindings.get(index, {})}
                names = _expand(_unit_names(unit), scope)
                fix = _fix(index, inside, branch, marks[number + 1])
                label = unit.label
                if opener.tag.keyword == "for":
                    if not any(name.split(".")[0] in (*opener.tag.targets, "loop") for name in names):
                        problems.append(_problem(shown, f"{label} sits inside 'for {opener.tag.expression}' but does not use {_quoted(opener.tag.targets)}", fix))
                    continue
                if branch.tag.keyword == "else":
                    earlier = set().union(*(other.tag.positive for other in block.branches[:number]))
                    negated = set().union(*(other.tag.negative for other in block.branches[:number]))
                    _require(names, negated, earlier, f"the 'else' of 'if {opener.tag.expression}'", label, fix, shown, problems)
                else:
                    _require(names, branch.tag.positive, branch.tag.negative, f"'{branch.tag.keyword} {branch.tag.expression}'", label, fix, shown, problems)
        _check_neighbours(units, block, bindings, unit_bindings, tag_units, shown, problems)
    return unit_bindings


def _check_neighbours(units: list[Unit] | list[Row], block: _Block, bindings: dict[str, frozenset[str]], unit_bindings: dict[int, dict[str, frozenset[str]]], tag_units: set[int], shown: str, problems: list[Problem]) -> None:
    """A paragraph right above an 'if X', or right below an 'if X' without 'else', must not show X.

    That is where a tag moved by one paragraph leaves it; a list X (empty, not missing) would
    render there without an error.
    """
    opener = block.branches[0]
    assert block.closer is not None
    if opener.tag.keyword != "if" or not opener.tag.positive:
        return
    neighbours = [(opener.index - 1, f"just above '{opener.tag.written()}'", f"move the '{opener.tag.written()}' above it")]
    if len(block.branches) == 1:
        neighbours.append((block.closer.index + 1, f"just below its '{block.closer.tag.written()}'", f"move the '{block.closer.tag.written()}' below it"))
    for index, where, fix in neighbours:
        if not 0 <= index < len(units) or index in tag_units:
            continue
        names = _expand(_unit_names(units[index]), {**bindings, **unit_bindings.get(index, {})})
        seen = _shows(names, opener.tag.positive)
        if seen is not None:
            problems.append(_problem(shown, f"{units[index].label} shows '{seen}' {where}, outside the 'if'", fix))


def _require(names: set[str], wanted: Iterable[str], forbidden: Iterable[str], guard: str, label: str, fix: str, shown: str, problems: list[Problem]) -> None:
    if label.startswith(("the empty paragraph", "the empty row")):
        problems.append(_problem(shown, f"{label} sits inside {guard}", "delete it (space paragraphs with Spacing Before/After in the paragraph format), or " + fix))
        return
    if wanted and _shows(names, wanted) is None:
        problems.append(_problem(shown, f"{label} sits inside {guard} but shows nothing of {_quoted(wanted)}", fix))
        return
    if not names:
        # An 'else' part (or an 'if not') has nothing of its own to show; plain wording there
        # could not be told from the paragraph next to the block if a tag moved over it.
        problems.append(_problem(shown, f"{label} sits inside {guard} but shows no value, so a tag moved over it would go unnoticed", "write its wording as a value of the data, or " + fix))
        return
    shown_forbidden = _shows(names, forbidden)
    if shown_forbidden is not None:
        problems.append(_problem(shown, f"{label} sits inside {guard} but shows '{shown_forbidden}', which is missing there", fix))


def _fix(index: int, inside: list[int], branch: _Branch, following: _Branch) -> str:
    if index == inside[-1]:
        return f"move the '{following.tag.written()}' above it"
    if index == inside[0]:
        return f"move the '{branch.tag.written()}' below it"
    return f"show a value in it, or move it out of the '{branch.tag.keyword}'"


# --- Checking a template ------------------------------------------------------------------


# Templates laid out before the guard rule existed: their guard-rule findings are warnings
# until they are rewritten (then remove them here); every other problem is an error.
WRITTEN_BEFORE_THE_GUARD_RULE: frozenset[str] = frozenset()


@dataclass
class TemplateReport:
    """What the check found in one template: broken structure, and breaches of the guard rule."""

    tags: list[Problem] = field(default_factory=list)
    guard: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [*self.tags, *self.guard]


def check_template(path: Path) -> TemplateReport:
    """Return every problem of one template's tags, in Word's terms."""
    shown = display_path(path)
    report = TemplateReport()
    for _, units in read_template(path):
        for paragraph in _paragraphs_in(units):
            _read_tags(paragraph, shown, report.tags)
        dangling: list[_Dangling] = []
        _check_container(units, {}, None, shown, report, dangling)
        _report_dangling(dangling, shown, report.tags)
    return report


def check_templates(paths: Iterable[Path]) -> int:
    """Check every template; raise TemplateCheckError with all their problems; return how many were checked."""
    problems: list[Problem] = []
    tolerated: list[Problem] = []
    count = 0
    for path in paths:
        report = check_template(path)
        problems.extend(report.tags)
        (tolerated if path.name in WRITTEN_BEFORE_THE_GUARD_RULE else problems).extend(report.guard)
        count += 1
    for problem in tolerated:
        log.info("guard rule: %s", problem)
    if tolerated:
        templates = len({problem.file for problem in tolerated})
        log.warning("%d paragraphs of %d templates written before the guard rule break it (cti-briefings -v check lists them)", len(tolerated), templates)
    if problems:
        raise TemplateCheckError(problems)
    return count


def _check_container(units: list[Unit], bindings: dict[str, frozenset[str]], table: int | None, shown: str, report: TemplateReport, dangling: list[_Dangling]) -> None:
    problems = report.tags
    events: list[tuple[int, Paragraph, Tag]] = []
    tag_units = set()
    for index, unit in enumerate(units):
        if not isinstance(unit, Paragraph):
            continue
        for tag in unit.tags:
            if tag.level in ("tr", "tc") and table is None:
                problems.append(_problem(shown, f"{unit.label} has a '{{%{tag.level}' tag outside a table", f"use '{{%p' for paragraphs; '{{%{tag.level}' goes in a table {'row' if tag.level == 'tr' else 'cell'} of its own"))
        block_tags = unit.block_tags(("p", ""))
        paragraph_tags = [tag for tag in unit.tags if tag.level == "p"]
        if paragraph_tags:
            tag_units.add(index)
            if unit.text.replace(paragraph_tags[0].text, "", 1).strip():
                problems.append(_problem(shown, f"{unit.label} holds '{paragraph_tags[0].written()}' and other text, which is lost", "a '{%p' tag deletes the rest of its paragraph: put the tag on a paragraph of its own"))
        events.extend((index, unit, tag) for tag in block_tags)
    blocks = _match_blocks(events, shown, problems, dangling, table)
    paragraph_blocks = [block for block in blocks if block.branches[0].tag.level == "p" and block.closer is not None and block.closer.tag.level == "p"]
    unit_bindings = _check_guards(units, paragraph_blocks, bindings, tag_units, shown, report.guard)
    for index, unit in enumerate(units):
        if isinstance(unit, Table):
            _check_table(unit, {**bindings, **unit_bindings.get(index, {})}, shown, report, dangling)


def _check_table(table: Table, bindings: dict[str, frozenset[str]], shown: str, report: TemplateReport, dangling: list[_Dangling]) -> None:
    problems = report.tags
    events: list[tuple[int, Paragraph, Tag]] = []
    tag_rows = set()
    for index, row in enumerate(table.rows):
        row_tags = [tag for paragraph in row.paragraphs() for tag in paragraph.tags if tag.level == "tr"]
        if row_tags:
            tag_rows.add(index)
            holder = next(paragraph for paragraph in row.paragraphs() if row_tags[0] in paragraph.tags)
            other = [paragraph.text.strip() for paragraph in row.paragraphs() if paragraph.text.strip() and paragraph is not holder]
            if other or holder.text.replace(row_tags[0].text, "", 1).strip():
                problems.append(_problem(shown, f"{row.label} holds '{row_tags[0].written()}' and other text, which is lost", "a '{%tr' tag deletes the rest of its row: put it in a row of its own"))
            events.extend((index, holder, tag) for tag in row_tags if tag.keyword in BLOCK_KEYWORDS)
    blocks = _match_blocks(events, shown, problems, dangling, table.number)
    row_blocks = [block for block in blocks if block.closer is not None]
    # Rows are the units of a '{%tr' block; a row's label stands in for a paragraph's.
    row_bindings = _check_guards(table.rows, row_blocks, bindings, tag_rows, shown, report.guard)
    for index, row in enumerate(table.rows):
        # '{%tc' tags keep or repeat cells: they pair within their row.
        cell_events = [(position, paragraph, tag) for position, cell in enumerate(row.cells) for paragraph in _paragraphs_in(cell) for tag in paragraph.tags if tag.level == "tc" and tag.keyword in BLOCK_KEYWORDS]
        _match_blocks(cell_events, shown, problems, dangling, table.number)
        scope = {**bindings, **row_bindings.get(index, {})}
        for cell in row.cells:
            _check_container(cell, scope, table.number, shown, report, dangling)


# --- Wording ------------------------------------------------------------------------------


def _problem(shown: str, message: str, hint: str = "") -> Problem:
    return Problem(shown, None, "", message, hint)


def _a(keyword: str) -> str:
    return f"an '{keyword}'" if keyword[0] in "aeiou" else f"a '{keyword}'"


def _tag_like(tag: Tag, body: str) -> str:
    return f"{{%{tag.level} {body} %}}" if tag.level else f"{{% {body} %}}"


def _clip(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "…"


def failing_paragraph(document, error: BaseException) -> str | None:
    """Name the paragraph whose tag raised `error` while `document` (a DocxTemplate) rendered."""
    text = failing_paragraph_text(document, error)
    if not text:
        return None
    shown = text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT].rstrip() + "…"
    return f"the paragraph '{shown}'"


def failing_paragraph_text(document, error: BaseException) -> str | None:
    """Return the text of the paragraph whose tag raised `error` while `document` rendered.

    docxtpl puts each paragraph of a part on a line of its own before Jinja renders it, and
    Jinja's traceback keeps the template line, so the line names the paragraph.
    """
    line = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    part = getattr(document, "current_rendering_part", None)
    if line is None or part is None:
        return None
    source = document.get_xml() if part is document.docx._part else document.get_part_xml(part)
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(source)).split("\n")
    if not 0 < line <= len(lines):
        return None
    return re.sub(r"<[^>]+>", "", lines[line - 1]).strip() or None
