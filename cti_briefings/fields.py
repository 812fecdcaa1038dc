"""What a template author and a country-file author may write, listed from the code itself.

- `list_fields` walks the typed template values (frozen dataclasses) and gives every field a
  template may use, each with the one-line docstring written under it in the source;
- `missing_field_message` turns a typo in a tag into "country has no 'nmae'; did you mean
  'name'? its fields: …";
- `template_fields_page` and `country_file_page` generate docs/template-fields.md and
  docs/country-file.md, so that neither drifts from the code (a test compares them).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import difflib
import functools
import inspect
import logging
import textwrap
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

log = logging.getLogger(__name__)

DOCS = ("template-fields.md", "country-file.md")


@dataclasses.dataclass(frozen=True)
class FieldLine:
    """One field as listed: its path as written in a tag, its type in words, its description."""

    path: str
    kind: str
    description: str
    depth: int


# --- Attribute docstrings ------------------------------------------------------------------


@functools.cache
def attribute_docstrings(cls: type) -> dict[str, str]:
    """Return the docstring written under each attribute of a class (as pydantic reads them)."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object:
            continue
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        tree = ast.parse(source)
        body = next((node.body for node in tree.body if isinstance(node, ast.ClassDef)), [])
        for statement, following in zip(body, body[1:]):
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant) and isinstance(following.value.value, str):
                found[statement.target.id] = " ".join(inspect.cleandoc(following.value.value).split())
    return found


# --- Template values -----------------------------------------------------------------------


def _type_hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):
        return {field.name: field.type for field in dataclasses.fields(cls)}


def _plain(annotation: Any) -> tuple[Any, bool, bool]:
    """Return (inner type, is a list, may be missing) of an annotation."""
    optional = False
    listed = False
    while True:
        origin = typing.get_origin(annotation)
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        if origin in (typing.Union, types.UnionType):
            optional = optional or type(None) in args
            rest = [arg for arg in args if arg is not type(None)]
            annotation = rest[0] if len(rest) == 1 else annotation
            if len(rest) != 1:
                return annotation, listed, optional
        elif origin is typing.Annotated:
            annotation = args[0]
        elif origin in (list, tuple, typing.Sequence, set, frozenset) and args:
            annotation = args[0]
            listed = True
        else:
            return annotation, listed, optional


def _kind_in_words(annotation: Any) -> str:
    inner, listed, optional = _plain(annotation)
    names = {str: "text", int: "number", float: "number", bool: "yes/no", dt.date: "date", dt.time: "time", dt.datetime: "date and time"}
    if typing.get_origin(inner) is typing.Literal:
        word = "one of " + ", ".join(str(value) for value in typing.get_args(inner))
    elif inner in names:
        word = names[inner]
    elif isinstance(inner, type) and dataclasses.is_dataclass(inner):
        word = "group"
    else:
        word = getattr(inner, "__name__", str(inner))
    if listed:
        word = f"list of {word}"
    return f"{word}, may be empty" if optional else word


def list_fields(root: type, prefix: str = "", skip: Iterable[str] = ()) -> list[FieldLine]:
    """List every field a template may use under `root` (a frozen dataclass), depth first.

    A list of dataclasses is shown as 'meetings[] (each: …)': in a template it is used in a
    '{%p for m in meetings %}' loop, and its fields through the loop variable.
    """
    return list(_walk(root, prefix, 0, frozenset(), frozenset(skip)))


def _walk(cls: type, prefix: str, depth: int, seen: frozenset[type], skip: frozenset[str] = frozenset()):
    docs = attribute_docstrings(cls)
    hints = _type_hints(cls)
    for field in dataclasses.fields(cls):
        if field.name.startswith("_") or field.name in skip:
            continue
        annotation = hints.get(field.name, field.type)
        inner, listed, _optional = _plain(annotation)
        path = f"{prefix}{field.name}"
        nested = isinstance(inner, type) and dataclasses.is_dataclass(inner) and inner not in seen
        shown = f"{path}[]" if listed and nested else path
        description = docs.get(field.name, "")
        if listed and nested:
            fields = ", ".join(item.name for item in dataclasses.fields(inner) if not item.name.startswith("_"))
            yield FieldLine(f"{shown} (each: {fields})", _kind_in_words(annotation), description, depth)
        else:
            yield FieldLine(shown, _kind_in_words(annotation), description, depth)
        if nested:
            yield from _walk(inner, f"{shown}." if not listed else "", depth + 1, seen | {cls})


def format_fields(lines: list[FieldLine]) -> str:
    """Format listed fields as indented plain text, one field a line."""
    return "\n".join(f"{'  ' * line.depth}{line.path} ({line.kind}){': ' + line.description if line.description else ''}" for line in lines)


def template_value_roots() -> list[tuple[str, type, frozenset[str]]]:
    """Return the typed values templates see, who sees them, and the fields already listed above."""
    from . import context

    roots: list[tuple[str, type, frozenset[str]]] = []
    for who, name in (("every document", "PackValues"), ("meeting briefs, in addition", "BriefValues"), ("the cover, in addition", "CoverValues")):
        cls = getattr(context, name, None)
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            continue
        # BriefValues and CoverValues extend PackValues: list only what they add.
        shared = frozenset(field.name for field in dataclasses.fields(roots[0][1])) if roots and issubclass(cls, roots[0][1]) else frozenset()
        roots.append((who, cls, shared))
    return roots


# --- The typo message ----------------------------------------------------------------------


def missing_field_message(owner: object, name: str, tag_name: str | None = None) -> str | None:
    """Say which fields `owner` has when a tag asks it for `name`; None if it is not a dataclass."""
    if not dataclasses.is_dataclass(owner) or isinstance(owner, type):
        return None
    fields = [field.name for field in dataclasses.fields(owner) if not field.name.startswith("_")]
    what = tag_name or type(owner).__name__
    close = difflib.get_close_matches(name, fields, n=1)
    suggestion = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{what} has no '{name}'{suggestion}; its fields: {', '.join(fields)}"


# --- Generated pages -----------------------------------------------------------------------


FILTER_EXAMPLES: dict[str, tuple[str, tuple[Any, ...]]] = {
    "long_date": ("visit.start|long_date", (dt.date(2027, 2, 16),)),
    "short_date": ("visit.start|short_date", (dt.date(2027, 2, 16),)),
    "weekday": ("visit.start|weekday", (dt.date(2027, 2, 16),)),
    "day_and_date": ("visit.start|day_and_date", (dt.date(2027, 2, 16),)),
    "date_range": ("visit.start|date_range(visit.end)", (dt.date(2027, 2, 16), dt.date(2027, 2, 18))),
    "time": ("meeting.start|time", (dt.time(9, 30),)),
    "and_list": ("names|and_list", (["Chile", "Denmark", "Ghana"],)),
}


def template_fields_page() -> str:
    """Return docs/template-fields.md: every value and filter a Word template may use."""
    import jinja2

    from .render import make_environment

    out = [
        "# Fields a Word template may use",
        "",
        "Generated from the code by `cti-briefings docs`; do not edit by hand. `cti-briefings fields`",
        "prints the same list. Write a value as `{{ country.name }}`; repeat paragraphs over a list",
        "with `{%p for m in meetings %}` … `{%p endfor %}` and use the fields of each item through",
        "`m` (`{{ m.venue }}`).",
        "",
    ]
    roots = template_value_roots()
    if not roots:
        out += ["The list of values appears here once the template values are typed (context.PackValues).", ""]
    for who, root, skip in roots:
        out += [f"## Values for {who}", ""]
        for line in list_fields(root, skip=skip):
            description = f": {line.description}" if line.description else ""
            out.append(f"{'  ' * line.depth}- `{line.path}` ({line.kind}){description}")
        out.append("")
    environment = make_environment("en")
    own = sorted(set(environment.filters) - set(jinja2.Environment().filters))
    out += ["## Filters", "", "Written after a value with `|`; the result shown is for the example values.", ""]
    for name in own:
        example, arguments = FILTER_EXAMPLES.get(name, ("", ()))
        result = environment.filters[name](*arguments) if arguments else ""
        out.append(f"- `{name}`: `{{{{ {example} }}}}` gives “{result}”" if example else f"- `{name}`")
    return "\n".join(out).rstrip() + "\n"


def country_file_page() -> str:
    """Return docs/country-file.md: every field of a country file, from the schema."""
    from .schema import Country

    out = [
        "# Every field of a country file",
        "",
        "Generated from `cti_briefings/schema.py` by `cti-briefings docs`; do not edit by hand.",
        "A country file is `content/countries/<name>.yaml`; `content/countries/example.yaml` shows",
        "the fields in use. Dates are written `2027-02-16`, times in quotes, `\"09:30\"`. A field",
        "marked *optional* may be left out: the description says what leaving it out means.",
        "",
    ]
    models: list[type[BaseModel]] = [Country]
    done: set[type] = set()
    while models:
        model = models.pop(0)
        if model in done:
            continue
        done.add(model)
        title = "The country file" if model is Country else f"{_model_title(model)}"
        out += [f"## {title}", ""]
        if model.__doc__ and model is not Country and "Usage docs" not in model.__doc__:
            out += [" ".join(inspect.cleandoc(model.__doc__).split()), ""]
        for name, info in model.model_fields.items():
            kind, nested = _schema_kind(info.annotation)
            models += [item for item in nested if item not in done]
            required = "required" if info.is_required() else f"optional{_default(info.default)}"
            description = " ".join((info.description or "").split())
            out.append(f"- `{name}` ({kind}; {required}){': ' + description if description else ''}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _model_title(model: type) -> str:
    return f"`{model.__name__}`"


def _default(value: Any) -> str:
    if value is None or value == () or value == {} or isinstance(value, BaseModel):
        return ""
    if isinstance(value, bool):
        return f", default {'true' if value else 'false'}"
    return f", default {value}" if value != "" else ""


def _schema_kind(annotation: Any) -> tuple[str, list[type[BaseModel]]]:
    origin = typing.get_origin(annotation)
    args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
    if origin is typing.Annotated:
        kind, nested = _schema_kind(args[0])
        if any(getattr(item, "pattern", None) for item in typing.get_args(annotation)[1:]):
            return "key: lower-case letters, digits and _", nested
        return kind, nested
    if origin in (typing.Union, types.UnionType):
        parts = [_schema_kind(arg) for arg in args if arg is not type(None)]
        return " or ".join(kind for kind, _ in parts), [model for _, nested in parts for model in nested]
    if origin is typing.Literal:
        return "one of: " + ", ".join(f"`{value}`" if value != "" else "`\"\"`" for value in typing.get_args(annotation)), []
    if origin in (tuple, list):
        kind, nested = _schema_kind(args[0])
        return f"list of {kind.removesuffix(', below')}", nested
    if origin is dict:
        key, _ = _schema_kind(args[0])
        kind, nested = _schema_kind(args[1])
        return f"{kind} for each {key}", nested
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"{_model_title(annotation)}, below", [annotation]
    names = {str: "text", int: "whole number", bool: "true or false", dt.date: "date, YYYY-MM-DD", dt.time: 'time in quotes, "HH:MM"'}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation))), []


def write_docs(folder: Path) -> list[Path]:
    """Write the generated pages into `folder` (docs/); return the pages that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in zip(DOCS, (template_fields_page(), country_file_page())):
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
