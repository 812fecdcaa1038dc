"""Read YAML safely, remembering the line of every value so errors can point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError, Problem, display_path
from .locations import Location, describe_location


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


def load_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file; raise ContentError naming the line of a syntax error."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(shown, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8")]) from None
    except OSError as exc:
        raise ContentError([Problem(shown, None, "", f"cannot be read: {exc.strerror}")]) from None

    loader = _PlainLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "cannot be read"
        raise ContentError([Problem(shown, line, "", f"YAML syntax error: {what}", _syntax_hint(what))]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, None, "", f"YAML syntax error: {exc}")]) from None
    finally:
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
    data = _PlainLoader(text).get_single_data()
    return YamlDocument(path, data, lines, frozenset(sequences), scalars)


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
