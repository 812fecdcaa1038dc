"""Stage 1: find, read and validate content into immutable models, reporting every problem."""

from __future__ import annotations

import difflib
import logging
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ContentError, Problem, display_path
from .rules import Finding, check_country, check_reference
from .schema import Country, Reference
from .yamlfile import YamlDocument, load_yaml

log = logging.getLogger(__name__)

COUNTRIES_DIR = "countries"
REFERENCE_DIR = "reference"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class CountryFile:
    """A validated country together with where it came from."""

    slug: str
    path: Path
    country: Country


def country_slugs(content_dir: Path) -> list[str]:
    """Return the slugs of every country file, sorted."""
    folder = content_dir / COUNTRIES_DIR
    return sorted(path.stem for path in folder.glob("*.yaml") if not path.name.startswith("."))


def load_reference(content_dir: Path) -> Reference:
    """Read every file of content/reference/ into one validated Reference."""
    folder = content_dir / REFERENCE_DIR
    documents: dict[str, YamlDocument] = {}
    merged: dict[str, object] = {}
    problems: list[Problem] = []
    for name in Reference.model_fields:
        path = folder / f"{name}.yaml"
        if not path.exists():
            problems.append(Problem(display_path(path), None, "", "is missing", f"the shared reference data needs {name}.yaml"))
            continue
        try:
            document = load_yaml(path)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if not isinstance(document.data, dict) or name not in document.data:
            problems.append(Problem(display_path(path), 1, "", f"must start with '{name}:'", "see the other reference files for the layout"))
            continue
        documents[name] = document
        merged[name] = document.data[name]
    if problems:
        raise ContentError(problems)

    try:
        reference = Reference.model_validate(merged)
    except ValidationError as error:
        raise ContentError([_problem_from_pydantic(documents[str(item["loc"][0])], item, Reference) for item in _root_causes(error)]) from None
    findings = check_reference(reference)
    _raise_or_warn(findings, lambda finding: documents[str(finding.location[0])])
    return reference


def load_country(content_dir: Path, slug: str, reference: Reference) -> CountryFile:
    """Read content/countries/<slug>.yaml, validate it and check CTI's visit rules."""
    path = content_dir / COUNTRIES_DIR / f"{slug}.yaml"
    if not path.is_file():
        known = country_slugs(content_dir)
        hint = f"known countries: {', '.join(known)}" if known else f"add {display_path(path)}"
        close = difflib.get_close_matches(slug, known, n=1)
        if close:
            hint = f"did you mean '{close[0]}'? {hint}"
        raise ContentError([Problem(display_path(path), None, "", f"no country called '{slug}'", hint)])
    if not SLUG_PATTERN.match(slug):
        raise ContentError([Problem(display_path(path), None, "", "file names may use only lower-case letters, digits and '-'", "rename the file")])

    document = load_yaml(path)
    if not isinstance(document.data, dict):
        raise ContentError([Problem(display_path(path), 1, "", "must be a set of 'key: value' lines", "compare with content/countries/example.yaml")])
    return CountryFile(slug, path, _validate(document, reference))


def validate_country(data: dict[str, Any], reference: Reference, source_name: str, warn: bool = True) -> CountryFile:
    """Validate country data that comes from no file (a generated case); errors name `source_name`."""
    # No lines to point at: line 0 makes a problem name the source alone.
    document = YamlDocument(Path(source_name), data, {(): 0})
    return CountryFile(source_name, Path(source_name), _validate(document, reference, warn))


def _validate(document: YamlDocument, reference: Reference, warn: bool = True) -> Country:
    try:
        country = Country.model_validate(document.data)
    except ValidationError as error:
        raise ContentError([_problem_from_pydantic(document, item, Country) for item in _root_causes(error)]) from None
    findings = check_country(country, reference)
    _raise_or_warn(findings if warn else [finding for finding in findings if finding.severity != "warning"], lambda finding: document)
    return country


def load_countries(content_dir: Path, slugs: list[str], reference: Reference) -> list[CountryFile]:
    """Load several countries, reporting the problems of all of them together."""
    loaded, problems = [], []
    for slug in slugs:
        try:
            loaded.append(load_country(content_dir, slug, reference))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return loaded


def _raise_or_warn(findings: list[Finding], document_of) -> None:
    errors = []
    for finding in findings:
        document = document_of(finding)
        problem = Problem(display_path(document.path), document.line_of(finding.location), _dotted(finding.location), finding.message, finding.hint)
        if finding.severity == "warning":
            log.warning("%s", problem)
        else:
            errors.append(problem)
    if errors:
        raise ContentError(errors)


def _dotted(location) -> str:
    return ".".join(str(part) for part in location)


# --- Turning pydantic's errors into lines a user can act on --------------------------------

_DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2027-02-16"
_TIME_HINT = 'write times in quotes as "HH:MM", e.g. "09:30"'


def _root_causes(error: ValidationError) -> list[Any]:
    """Drop 'needs at least one entry' for a list whose entries were themselves wrong."""
    items = error.errors()
    deeper = [tuple(item["loc"]) for item in items]
    return [
        item for item in items
        if not (item["type"] == "too_short" and any(len(loc) > len(item["loc"]) and loc[: len(item["loc"])] == tuple(item["loc"]) for loc in deeper))
    ]


def _problem_from_pydantic(document: YamlDocument, error: dict, model: type[BaseModel]) -> Problem:
    location = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    shown_value = f" '{value}'" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    message, hint = error["msg"], ""
    if kind == "missing":
        message, hint = "is missing", f"add '{location[-1]}:' here"
    elif kind == "extra_forbidden":
        known = _fields_at(model, location[:-1])
        close = difflib.get_close_matches(str(location[-1]), known, n=1)
        message = "is not a field this file can have"
        hint = f"did you mean '{close[0]}'?" if close else f"fields here: {', '.join(known)}" if known else "remove it"
    elif kind.startswith("date"):
        message, hint = f"is not a valid date:{shown_value}", _DATE_HINT
        if "outside expected range" in error["msg"] or "month value" in error["msg"]:
            message = f"is an impossible date:{shown_value}"
    elif kind.startswith("time"):
        message, hint = f"is not a valid time:{shown_value}", _TIME_HINT
    elif kind == "literal_error":
        message = f"must be one of {error['ctx']['expected']}, not{shown_value or ' ' + repr(value)}"
    elif kind in ("string_type",):
        message, hint = "must be text", "put the text in quotes"
    elif kind == "string_too_short":
        message, hint = "must not be empty", "write the value, or remove the line if it is optional"
    elif kind == "string_pattern_mismatch":
        message, hint = f"must be a key of lower-case letters, digits and '_', not{shown_value}", "e.g. foreign_affairs"
    elif kind == "bool_parsing" or kind == "bool_type":
        message, hint = f"must be true or false, not{shown_value}", ""
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        message, hint = f"must be a whole number, not{shown_value}", ""
    elif kind == "too_short":
        message, hint = f"needs at least {error['ctx']['min_length']} entry", "add one, or remove the whole section if it is optional"
    elif kind in ("tuple_type", "list_type"):
        message, hint = "must be a list", "write each entry on its own line starting with '- '"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message, hint = "must be a group of 'key: value' lines", "indent the lines that belong to it"
    elif kind in ("greater_than_equal", "less_than_equal"):
        message = f"{error['msg'][0].lower()}{error['msg'][1:]}, not{shown_value}"
    return Problem(display_path(document.path), document.line_of(location), _dotted(location), message, hint)


def _fields_at(model: type, location: tuple) -> list[str]:
    """Field names of the model found at `location`, following nested models, lists and dicts."""
    annotation: Any = model
    for part in location:
        annotation = _unwrap(annotation, isinstance(part, int) or not _is_model(annotation))
        if _is_model(annotation) and isinstance(part, str) and part in annotation.model_fields:
            annotation = annotation.model_fields[part].annotation
    annotation = _unwrap(annotation, False)
    return sorted(annotation.model_fields) if _is_model(annotation) else []


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _unwrap(annotation, into_items: bool):
    while True:
        origin = typing.get_origin(annotation)
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None) and arg is not Ellipsis]
        if origin is typing.Annotated or origin in (typing.Union, types.UnionType) and args:
            annotation = args[0]
        elif into_items and origin in (tuple, list, dict) and args:
            annotation = args[-1]
            into_items = False
        else:
            return annotation
