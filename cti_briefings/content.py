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

from .crosscheck import SLUG_PATTERN, Siblings, check_against_others, misnamed_country_files, read_siblings, scan_country, slug_for
from .errors import ContentError, Problem, display_path
from .rules import Finding, check_country, check_reference
from .schema import Country, Reference
from .yamlfile import Location, YamlDocument, load_yaml

log = logging.getLogger(__name__)

COUNTRIES_DIR = "countries"
REFERENCE_DIR = "reference"


@dataclass(frozen=True)
class CountryFile:
    """A validated country together with where it came from."""

    slug: str
    path: Path
    country: Country


def country_slugs(content_dir: Path) -> list[str]:
    """Return the slugs of every country file, sorted (misnamed_country_files lists those not read)."""
    folder = content_dir / COUNTRIES_DIR
    return sorted(path.stem for path in folder.glob("*.yaml") if SLUG_PATTERN.match(path.stem) and path.is_file())


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
    errors = _errors_and_warnings(findings, lambda finding: documents[str(finding.location[0])])
    if errors:
        raise ContentError(errors)
    return reference


def load_country(content_dir: Path, slug: str, reference: Reference, siblings: Siblings | None = None) -> CountryFile:
    """Read content/countries/<slug>.yaml, validate it and check CTI's visit rules.

    `siblings` are the other country files, read once by load_countries; it reads them itself
    when not given, so that a reference shared with another file is caught in a one-country build.
    """
    path = content_dir / COUNTRIES_DIR / f"{slug}.yaml"
    if not path.is_file():
        known = country_slugs(content_dir)
        hint = f"known countries: {', '.join(known)}" if known else f"add {display_path(path)}"
        close = difflib.get_close_matches(slug, known, n=1)
        if close:
            hint = f"did you mean '{close[0]}'? {hint}"
        misnamed = [problem for problem in misnamed_country_files(path.parent) if slug_for(Path(problem.file).name.split(".")[0]) == slug_for(slug)]
        if misnamed:
            hint = f"{misnamed[0].file} {misnamed[0].message}; {misnamed[0].hint}"
        raise ContentError([Problem(display_path(path), None, "", f"no country called '{slug}'", hint)])
    if not SLUG_PATTERN.match(slug):
        raise ContentError([Problem(display_path(path), None, "", "file names may use only lower-case letters, digits and '-'", "rename the file")])

    document = load_yaml(path)
    if not isinstance(document.data, dict):
        raise ContentError([Problem(display_path(path), 1, "", "must be a set of 'key: value' lines", "compare with content/countries/example.yaml")])
    try:
        country = Country.model_validate(document.data)
    except ValidationError as error:
        raise ContentError([_problem_from_pydantic(document, item, Country) for item in _root_causes(error)]) from None
    errors = _errors_and_warnings(check_country(country, reference), lambda finding: document)
    if siblings is None:
        siblings = read_siblings(content_dir, [other for other in country_slugs(content_dir) if other != slug])
    errors.extend(check_against_others(slug, scan_country(document), siblings))
    if errors:
        raise ContentError(errors)
    return CountryFile(slug, path, country)


def validate_country(data: dict[str, Any], reference: Reference, source_name: str, warn: bool = True) -> CountryFile:
    """Validate country data that comes from no file (a generated case); problems name `source_name`."""
    # No lines to point at: line 0 makes a problem name the source alone.
    document = YamlDocument(Path(source_name), data, {(): 0}, frozenset(_list_locations(data, ())))
    try:
        country = Country.model_validate(data)
    except ValidationError as error:
        raise ContentError([_problem_from_pydantic(document, item, Country) for item in _root_causes(error)]) from None
    findings = check_country(country, reference)
    errors = _errors_and_warnings(findings if warn else [finding for finding in findings if finding.severity != "warning"], lambda finding: document)
    if errors:
        raise ContentError(errors)
    return CountryFile(source_name, Path(source_name), country)


def _list_locations(data: object, location: Location) -> list[Location]:
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _list_locations(value, (*location, key))]
    if isinstance(data, list):
        return [location, *(found for index, value in enumerate(data) for found in _list_locations(value, (*location, index)))]
    return []


def load_countries(content_dir: Path, slugs: list[str], reference: Reference) -> list[CountryFile]:
    """Load several countries, reporting the problems of all of them together.

    A file in content/countries/ that would be ignored (`arcadia.yml`, `Arcadia.yaml`) is an
    error when every country is loaded (check, list, build --all), a warning otherwise.
    """
    every_slug = country_slugs(content_dir)
    problems = misnamed_country_files(content_dir / COUNTRIES_DIR)
    if not set(every_slug) <= set(slugs):
        for problem in problems:
            log.warning("%s", problem)
        problems = []
    siblings = read_siblings(content_dir, every_slug)
    loaded = []
    for slug in slugs:
        try:
            loaded.append(load_country(content_dir, slug, reference, siblings))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return loaded


def _errors_and_warnings(findings: list[Finding], document_of) -> list[Problem]:
    """Log the warnings among `findings` and return the errors as problems."""
    errors = []
    for finding in findings:
        document = document_of(finding)
        location = _as_written(document, finding.location)
        problem = Problem(display_path(document.path), document.line_of(location), document.describe(location), finding.message, finding.hint)
        if finding.severity == "warning":
            log.warning("%s", problem)
        else:
            errors.append(problem)
    return errors


# A list with one entry may be written as that entry under the singular key.
_WRITTEN_SINGLY = {"counterparts": "counterpart"}


def _as_written(document: YamlDocument, location: Location) -> Location:
    """Return `location` as the file writes it: ('meetings', 0, 'counterparts', 0) is ('meetings', 0, 'counterpart') there."""
    location = tuple(location)
    for depth, part in enumerate(location):
        singular = _WRITTEN_SINGLY.get(str(part))
        if singular and location[: depth + 1] not in document.lines and (*location[:depth], singular) in document.lines:
            rest = location[depth + 1 :]
            return (*location[:depth], singular, *(rest[1:] if rest[:1] == (0,) else rest))
    return location


# --- Turning pydantic's errors into lines a user can act on --------------------------------

_DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2027-02-16"
_TIME_HINT = 'write times in quotes, "09:30"'


def _root_causes(error: ValidationError) -> list[Any]:
    """Drop 'needs at least one entry' for a list whose entries were themselves wrong."""
    items = error.errors()
    deeper = [tuple(item["loc"]) for item in items]
    return [
        item for item in items
        if not (item["type"] == "too_short" and any(len(loc) > len(item["loc"]) and loc[: len(item["loc"])] == tuple(item["loc"]) for loc in deeper))
    ]


def _problem_from_pydantic(document: YamlDocument, error: dict, model: type[BaseModel]) -> Problem:
    location = _as_written(document, tuple(error["loc"]))
    kind = error["type"]
    value = error.get("input")
    shown_value = f" '{value}'" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    message, hint = error["msg"], ""
    if kind == "missing":
        message, hint = "is missing", f"add '{location[-1]}:' here"
    elif kind == "extra_forbidden":
        known = _fields_at(model, tuple(error["loc"])[:-1])
        close = difflib.get_close_matches(str(location[-1]), known, n=1)
        message = "is not a field this file can have"
        hint = f"did you mean '{close[0]}'?" if close else f"fields here: {', '.join(known)}" if known else "remove it"
    elif kind.startswith("date"):
        message, hint = f"is not a valid date:{shown_value}", _DATE_HINT
        if "outside expected range" in error["msg"] or "month value" in error["msg"]:
            message = f"is an impossible date:{shown_value}"
    elif kind == "clock_time":
        message, hint = _clock_time_problem(document.written(location), value)
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
    return Problem(display_path(document.path), document.line_of(location), document.describe(location), message, hint)


def _clock_time_problem(written: str | None, value: object) -> tuple[str, str]:
    """Say what is wrong with a time, quoting it as typed (YAML has made 9.30 the number 9.3)."""
    if value is None or written == "":
        return "is empty", _TIME_HINT
    typed = written if written is not None else str(value)
    meant = meant_time(typed)
    return f"is not a valid time: '{typed}'", f'{_TIME_HINT}; did you mean "{meant}"?' if meant else _TIME_HINT


_TIME_SHAPES = (
    re.compile(r"^(?P<hour>[0-9]{1,2})\s*[.,:hH]\s*(?P<minute>[0-9]{2})(?::00)?$"),  # 9.30, 9,30, 9h30, 9:30:00, 25:00
    re.compile(r"^(?P<hour>[0-9]{1,2})(?P<minute>[0-9]{2})$"),  # 930, 1400
    re.compile(r"^(?P<hour>[0-9]{1,2})\s*[hH]?$"),  # 9, 14h
    re.compile(r"^(?P<hour>[0-9]{1,2})(?:\s*[.:hH]\s*(?P<minute>[0-9]{2}))?\s*(?P<half>[aApP])\.?\s*[mM]\.?$"),  # 9.30am, 2 p.m.
)


def meant_time(typed: str) -> str | None:
    """Return the "HH:MM" a time written another way clearly means, or None if it is unclear."""
    for shape in _TIME_SHAPES:
        match = shape.match(typed.strip())
        if not match:
            continue
        hour, minute = int(match["hour"]), int(match.groupdict().get("minute") or 0)
        half = (match.groupdict().get("half") or "").lower()
        if half and not 1 <= hour <= 12:
            return None
        if half:
            hour = hour % 12 + (12 if half == "p" else 0)
        return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None
    return None


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
