"""Checks of one country file against the others in content/countries/.

A file copied from a sample keeps what nobody notices: `example: true` (its cover then says
"not a real State"), the sample's invitation reference, invented people and the fictional
State's name in places and institutions. The sample States are listed, as data, in
content/reference/fictional_states.yaml; the rest is found by reading the other country files.
Those files are read only for what this check needs: their own problems are reported when they
are checked, never here.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem, display_path
from .locations import Location
from .rules import leading_title
from .yamlfile import YamlDocument, load_yaml

log = logging.getLogger(__name__)

FICTIONAL_STATES_FILE = "fictional_states.yaml"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_YAML_ENDINGS = (".yaml.txt", ".yml.txt", ".yaml", ".yml")


@dataclass(frozen=True)
class CountryScan:
    """What the checks need of one country file, read without validating it."""

    document: YamlDocument
    reference: str | None
    example: bool
    short_name: str | None
    people: tuple[tuple[str, Location], ...]
    """Every person's name with where it is."""

    def where(self, location: Location) -> str:
        return f"{display_path(self.document.path)}:{self.document.line_of(location)}"


@dataclass(frozen=True)
class Siblings:
    """The other country files, and the names of the fictional sample States."""

    scans: dict[str, CountryScan]
    fictional_states: tuple[str, ...]


def misnamed_country_files(folder: Path) -> list[Problem]:
    """Return a problem for each file in `folder` that looks like a country file but is not read."""
    if not folder.is_dir():
        return []
    problems = []
    for path in sorted(folder.iterdir()):
        name = path.name
        stem = next((name[: -len(ending)] for ending in _YAML_ENDINGS if name.lower().endswith(ending)), None)
        if stem is None or name.startswith((".", "~$")) or not path.is_file():
            continue
        if name.endswith(".yaml") and name.count(".") == 1 and SLUG_PATTERN.match(stem):
            continue
        target = f"{slug_for(stem)}.yaml"
        hint = f"rename it to {target}"
        if (folder / target).exists():
            hint = f"{target} is read instead: move what this file adds into it, then delete this one"
        problems.append(Problem(display_path(path), None, "", "is not read: country file names use only lower-case letters, digits and '-', and end in .yaml", hint))
    return problems


def slug_for(stem: str) -> str:
    """The file name a country file should have: 'Côte d’Ivoire' -> 'cote-d-ivoire'."""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "country"


def read_siblings(content_dir: Path, slugs: list[str]) -> Siblings:
    """Scan every country file named in `slugs` and read the list of fictional sample States."""
    scans = {}
    for slug in slugs:
        path = content_dir / "countries" / f"{slug}.yaml"
        try:
            scans[slug] = scan_country(load_yaml(path))
        except ContentError:
            log.debug("%s is not compared with other files: it cannot be read", path)
    return Siblings(scans, load_fictional_states(content_dir))


def load_fictional_states(content_dir: Path) -> tuple[str, ...]:
    """Read content/reference/fictional_states.yaml: the short names of the sample States."""
    path = content_dir / "reference" / FICTIONAL_STATES_FILE
    shown = display_path(path)
    if not path.exists():
        raise ContentError([Problem(shown, None, "", "is missing", "it lists the fictional sample States, e.g. 'fictional_states: [Examplia]'")])
    document = load_yaml(path)
    names = document.data.get("fictional_states") if isinstance(document.data, dict) else None
    if not isinstance(names, list) or not all(isinstance(name, str) and name.strip() for name in names):
        raise ContentError([Problem(shown, 1, "", "must start with 'fictional_states:' followed by a list of names", "write each name on its own line starting with '- '")])
    return tuple(name.strip() for name in names)


def scan_country(document: YamlDocument) -> CountryScan:
    """Pick out the reference, the example flag, the short name and the people of a country file."""
    data = document.data if isinstance(document.data, dict) else {}
    visit = data["visit"] if isinstance(data.get("visit"), dict) else {}
    reference = visit.get("reference")
    short_name = data.get("short_name")
    return CountryScan(
        document,
        str(reference) if isinstance(reference, (str, int, float)) else None,
        data.get("example") is True,
        short_name if isinstance(short_name, str) else None,
        tuple(_people(data)),
    )


def check_against_others(slug: str, own: CountryScan, siblings: Siblings) -> list[Problem]:
    """Return the problems of one country file that only the other files reveal."""
    others = {other_slug: scan for other_slug, scan in siblings.scans.items() if other_slug != slug}
    problems = [*_shared_reference(own, others), *_sample_leftovers(own, others, siblings.fictional_states)]
    return sorted(problems, key=lambda problem: problem.line or 0)


def _shared_reference(own: CountryScan, others: dict[str, CountryScan]) -> Iterator[Problem]:
    if own.reference is None:
        return
    location = ("visit", "reference")
    same = [other.where(location) for other in others.values() if other.reference is not None and _plain(other.reference) == _plain(own.reference)]
    if same:
        yield _problem(own, location, f"'{own.reference}' is also the reference of {' and '.join(same)}",
                       f"each invitation has a reference of its own; give this one a new number{_next_free(own.reference, others)}")


def _next_free(reference: str, others: dict[str, CountryScan]) -> str:
    """', e.g. 'CTI/2027/102', the next after those in use': the writer cannot see the other files' numbers."""
    numbered = re.fullmatch(r"(.*?)(\d+)", reference.strip())
    if not numbered:
        return ""
    prefix, digits = numbered.groups()
    used = [int(match.group(1)) for other in others.values() if other.reference
            for match in [re.fullmatch(rf"{re.escape(prefix)}(\d+)", other.reference.strip())] if match]
    return f", e.g. '{prefix}{max([int(digits), *used]) + 1:0{len(digits)}d}', the next after those in use"


def _sample_leftovers(own: CountryScan, others: dict[str, CountryScan], fictional_states: tuple[str, ...]) -> Iterator[Problem]:
    known = {_plain(name) for name in fictional_states}

    def is_fictional(scan: CountryScan) -> bool:
        return scan.short_name is not None and _plain(scan.short_name) in known

    if own.example and is_fictional(own):
        return
    if own.example:
        shown = f"'{own.short_name}'" if own.short_name else "this State"
        yield _problem(own, ("example",), f"true is left from a sample file, but {shown} is not one of the fictional sample States",
                       f"delete this line: it prints 'not a real State' on the cover; a new sample State goes in content/reference/{FICTIONAL_STATES_FILE}")
    elif is_fictional(own):
        yield _problem(own, ("short_name",), f"'{own.short_name}' is a fictional sample State, but the file has no 'example: true'", "write the real State's name, or add 'example: true' if this is a sample")
    invented: dict[str, str] = {}
    for other in others.values():
        for name, location in other.people if other.example and is_fictional(other) else ():
            # Only people: a group such as 'Ambassadors of the Group of Friends' is no leftover.
            if leading_title(name):
                invented.setdefault(_plain(name), other.where(location))
    for name, location in own.people:
        if _plain(name) in invented:
            yield _problem(own, location, f"'{name}' is a person invented for the sample file {invented[_plain(name)]}", "write the name of the real person")
    if fictional_states:
        mention = re.compile(r"\b(" + "|".join(re.escape(name) for name in fictional_states) + r")\b", re.IGNORECASE)
        for location, text in _texts(own.document.data, ()):
            found = mention.search(text)
            if found and not (is_fictional(own) and location == ("short_name",)):
                yield _problem(own, location, f"'{text}' names {found[0]}, a fictional sample State", "replace what is left from the sample file")


def _problem(scan: CountryScan, location: Location, message: str, hint: str) -> Problem:
    document = scan.document
    return Problem(display_path(document.path), document.line_of(location), document.describe(location), message, hint)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def _people(data: dict) -> Iterator[tuple[str, Location]]:
    visit = data.get("visit")
    if isinstance(visit, dict):
        for role in ("addressee", "signatory"):
            yield from _name_of(visit.get(role), ("visit", role))
    for key, inner in (("delegation", None), ("meetings", "counterpart"), ("meetings", "counterparts")):
        entries = data.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if inner is None:
                yield from _name_of(entry, (key, index))
            elif isinstance(entry, dict) and isinstance(entry.get(inner), list):
                for position, person in enumerate(entry[inner]):
                    yield from _name_of(person, (key, index, inner, position))
            elif isinstance(entry, dict):
                yield from _name_of(entry.get(inner), (key, index, inner))


def _name_of(person: object, location: Location) -> Iterator[tuple[str, Location]]:
    if isinstance(person, dict) and isinstance(person.get("name"), str):
        yield person["name"], (*location, "name")


def _texts(value: object, location: Location) -> Iterator[tuple[Location, str]]:
    """Every text value in the data, with where it is."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*location, index))
