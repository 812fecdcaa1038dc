"""Read YAML safely, remembering the line of every value so errors can point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import ContentError, Problem, display_path
from .limits import MAX_CONTENT_FILE_BYTES, MAX_LIST_ITEMS, MAX_NESTING_DEPTH, MAX_VALUE_CHARS, megabytes
from .locations import Location, describe_location

LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
"""PyYAML was built with libyaml (else the pure-Python loader does it all)."""


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates and clock times as text.

    PyYAML would turn `2027-02-30` into a crash instead of a field error, and `10:30` into the
    sexagesimal number 630; the schema parses both with messages a user can act on.
    """


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML data with the line (1-based) where each value starts."""

    path: Path
    data: object
    lines: dict[Location, int]
    sequences: frozenset[Location] = frozenset()
    """Locations of the lists, so messages can count their entries from 1."""
    scalars: dict[Location, str] = field(default_factory=dict)
    """Each single value as written in the file (`9.30`, not the number 9.3)."""

    def describe(self, location: Location) -> str:
        """Say where `location` is in words: 'meeting 2, start'."""
        return describe_location(tuple(location), lambda prefix: prefix in self.sequences)

    def written(self, location: Location) -> str | None:
        """The value at `location` as the user typed it, without quotes; None if not a single value."""
        return self.scalars.get(tuple(location))

    def line_of(self, location: Location) -> int | None:
        """Line of the value at `location`, or of its nearest enclosing value."""
        location = tuple(location)
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return self.lines.get((), 1)


class _Refused(Exception):
    """Something in the file that is refused before it is built into data."""

    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


# Invisible characters that reorder or hide text (a 'Trojan source' in a letter to a
# minister), control characters and Unicode noncharacters have no place in a briefing.
_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")
_ALLOWED_TAGS = (None, "!", "tag:yaml.org,2002:str")


class _Bounds:
    """Refuses aliases, tags, deep nesting and oversized values while a document is composed."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(line, f"uses a YAML alias ('*{event.anchor}')", "write the value out in full; aliases are not allowed (YAML_ALIASES_ALLOWED)")
        if getattr(event, "anchor", None):
            raise _Refused(line, f"uses a YAML anchor ('&{event.anchor}')", "remove it and write values out in full; anchors and aliases are not allowed (YAML_ALIASES_ALLOWED)")
        tag = getattr(event, "tag", None)
        if tag not in _ALLOWED_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(line, f"uses a YAML tag ('{shown}')", "remove it: values are plain text, numbers, lists and groups")
        entries = index if isinstance(index, int) else len(parent.value) if index is None and parent is not None else 0
        if entries >= MAX_LIST_ITEMS:
            what = "list" if isinstance(parent, yaml.SequenceNode) else "group"
            raise _Refused(line, f"this {what} has more than {MAX_LIST_ITEMS} entries (MAX_LIST_ITEMS)", "split the content, or check that it was not pasted twice")
        if self._depth >= MAX_NESTING_DEPTH:
            raise _Refused(line, f"nests lists and groups more than {MAX_NESTING_DEPTH} levels deep (MAX_NESTING_DEPTH)", "check the indentation; compare with content/countries/example.yaml")
        self._depth += 1
        try:
            node = super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1
        return node

    def compose_scalar_node(self, anchor):
        node = super().compose_scalar_node(anchor)  # type: ignore[misc]
        value = node.value
        line = node.start_mark.line + 1
        if len(value) > MAX_VALUE_CHARS:
            raise _Refused(line, f"a value of {len(value)} characters; the limit is {MAX_VALUE_CHARS} (MAX_VALUE_CHARS)", "shorten it: a brief is read in minutes")
        bad = _FORBIDDEN_CHARACTERS.search(value)
        if bad:
            raise _Refused(line + value.count("\n", 0, bad.start()), f"contains an invisible control character (U+{ord(bad.group()):04X})", "delete it and retype the text around it")
        if node.tag == "tag:yaml.org,2002:int" and len(value) > 30:
            raise _Refused(line, "is a number too long to be real", "check the value, or put it in quotes")
        return node


class _BoundedLoader(_Bounds, _PlainLoader):
    """The pure-Python loader: its error messages are the ones reported."""


if LIBYAML:
    from yaml._yaml import CParser

    class _FastLoader(_Bounds, Composer, CParser, SafeConstructor, Resolver):
        """libyaml's parser under the same composer, checks and resolvers: the same nodes, lines and data, several times faster."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

    _FastLoader.yaml_implicit_resolvers = _PlainLoader.yaml_implicit_resolvers


def load_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file; raise ContentError naming the line of any problem."""
    shown = display_path(path)
    text = _read_text(path, shown)
    parsed = _parse_fast(text)
    loader = None
    try:
        if parsed is not None:
            node, data = parsed
        else:
            loader = _BoundedLoader(text)
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
    except _Refused as refused:
        raise ContentError([Problem(shown, refused.line, "", refused.message, refused.hint)]) from None
    except yaml.reader.ReaderError as exc:
        raise ContentError([Problem(shown, text.count("\n", 0, exc.position) + 1, "", f"contains an invisible control character (U+{exc.character:04X})" if isinstance(exc.character, int) else "contains a character YAML cannot read", "delete it and retype the text around it")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "cannot be read"
        raise ContentError([Problem(shown, line, "", f"YAML syntax error: {what}", _syntax_hint(what))]) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise ContentError([Problem(shown, None, "", f"YAML syntax error: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()

    if node is None:
        return YamlDocument(path, None, {(): 1})
    lines: dict[Location, int] = {}
    sequences: set[Location] = set()
    scalars: dict[Location, str] = {}
    duplicates: list[Problem] = []
    _index_lines(node, (), lines, duplicates, shown, sequences, scalars)
    if duplicates:
        raise ContentError(duplicates)
    return YamlDocument(path, data, lines, frozenset(sequences), scalars)


# A byte-order mark and the rarer line breaks, which the two parsers may place differently.
_UNUSUAL_BREAKS = re.compile("[\ufeff\x85\u2028\u2029]")


def _parse_fast(text: str) -> tuple[yaml.Node | None, object] | None:
    """Compose and construct with libyaml's parser; None when it is missing or finds any problem.

    A problem is then found again by the pure-Python loader, whose messages are the ones
    reported, as is a file holding a character the pure-Python reader refuses (libyaml's set differs).
    """
    if not LIBYAML or yaml.reader.Reader.NON_PRINTABLE.search(text) or _UNUSUAL_BREAKS.search(text):
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    except (_Refused, yaml.YAMLError, ValueError, RecursionError):
        return None
    finally:
        loader.dispose()


def _read_text(path: Path, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_CONTENT_FILE_BYTES:
            raise ContentError([Problem(shown, None, "", f"is {megabytes(size)}; the limit is {megabytes(MAX_CONTENT_FILE_BYTES)} (MAX_CONTENT_FILE_BYTES)", "a country file is text only; split it, or remove what was pasted into it")])
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, None, "", f"cannot be read: {exc.strerror}")]) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError([Problem(shown, 1, "", "is saved as UTF-16", "save it as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8)")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError([Problem(shown, line, "", f"is not UTF-8 text (column {column}: {exc.reason})", "save it as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8)")]) from None


def _index_lines(node: yaml.Node, location: Location, lines: dict[Location, int], duplicates: list[Problem], shown: str, sequences: set[Location], scalars: dict[Location, str]) -> None:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        scalars[location] = node.value
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str | int, int] = {}
        for key_node, value_node in node.value:
            key = _plain_key(key_node)
            key_line = key_node.start_mark.line + 1
            if key in seen:
                field = describe_location((*location, key), sequences.__contains__)
                duplicates.append(Problem(shown, key_line, field, f"appears twice (first on line {seen[key]})", "keep one of them"))
                continue
            seen[key] = key_line
            _index_lines(value_node, (*location, key), lines, duplicates, shown, sequences, scalars)
            # A missing or wrong value is easiest to find on its key's line.
            lines[(*location, key)] = key_line
    elif isinstance(node, yaml.SequenceNode):
        sequences.add(location)
        for index, item in enumerate(node.value):
            _index_lines(item, (*location, index), lines, duplicates, shown, sequences, scalars)


def _plain_key(node: yaml.Node) -> str | int:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:int":
            return int(node.value)
        return node.value
    return repr(node)


def _syntax_hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return "put text that contains ': ' in quotes, or check the indentation of the line above"
    if "found character '\\t'" in what:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in what:
        return "each line needs 'key: value'; check quotes and indentation"
    if "expected <block end>" in what:
        return "check the indentation: items at one level must line up"
    return "check quotes, colons and indentation near this line"
