"""A matrix of generated countries that every template is rendered against by `check`.

The shipped countries are three points in a large space; a tag moved out of its 'if' shows only
for a State the shipped files do not describe. The cases are derived from the shipped files by
changing fields (so they follow the schema as it grows) along these options:

    letter / note verbale × seminar or none × UNCAT not party, signatory or party × OPCAT
    with or without an NPM × 1-3 days × 3-10 meetings × long, accented or Arabic names ×
    optional fields given or left out

Not every combination: a covering array in which every pair of options appears in at least one
case, built greedily and deterministically. A pair that cannot happen (OPCAT ratified by a State
not party to UNCAT) is left out and said so. A case that does not validate is skipped with
the reason recorded.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .content import COUNTRIES_DIR, CountryFile, _is_model, _unwrap, country_slugs, validate_country
from .errors import ContentError
from .schema import Country, Reference
from .yamlfile import load_yaml

log = logging.getLogger(__name__)

OPTIONS: dict[str, tuple[str, ...]] = {
    "form": ("letter", "note_verbale"),
    "seminar": ("seminar", "no seminar"),
    "uncat": ("not_party", "signatory", "party"),
    "opcat": ("no OPCAT", "OPCAT without NPM", "OPCAT with NPM"),
    "days": ("1 day", "2 days", "3 days"),
    "meetings": ("3 meetings", "6 meetings", "10 meetings"),
    "names": ("long names", "accented names", "Arabic names"),
    "optional": ("optional fields given", "optional fields left out"),
}
IMPOSSIBLE = {
    frozenset({("uncat", status), ("opcat", opcat)}): f"UNCAT {status.replace('_', ' ')} with {opcat}"
    for status in ("not_party", "signatory")
    for opcat in ("OPCAT without NPM", "OPCAT with NPM")
}
"""Pairs that cannot happen, with their names: ratifying OPCAT needs UNCAT ratified first."""
IMPOSSIBLE_REASON = "OPCAT is open to ratification only by States parties to UNCAT"
NAMES = {
    "long names": {
        "country": ("Federal Democratic Republic of the United Islands of Examplia, Veloria and the Southern Dependencies", "United Islands of Examplia"),
        "person": "Ms Sheikha Mariam bint Abdullah bin Hamad bin Jassim Al-Thani",
        "office": "Ministry of Foreign Affairs, International Cooperation, Regional Integration and the Affairs of Citizens Abroad",
        "title": "Minister of State for Foreign Affairs, International Cooperation and Regional Integration",
    },
    "accented names": {
        "country": ("République d'Éxamplie", "Éxamplie"),
        "person": "Ms Sofía Núñez-Achebe",
        "office": "O'Neill & Söhne <Ltd>",
        "title": "Ministre des Affaires étrangères",
    },
    "Arabic names": {
        "country": ("دولة إكسامبليا", "إكسامبليا"),
        "person": "الشيخة مريم بنت عبدالله آل ثاني",
        "office": "وزارة الخارجية",
        "title": "وزيرة الخارجية",
    },
}
# Left as they are when optional fields are left out: the options above, and what a rule needs.
KEEP = {("uncat",), ("delegation", "state"), ("visit", "addressee", "office"), ("visit", "addressee", "name"), ("visit", "addressee", "title"), ("seminar",), ("visit", "letter_form"), ("visit", "signatory"), ("language",), ("article",), ("meetings", "at_government_direction"), ("meetings", "portfolio"), ("meetings", "counterpart"), ("meetings", "counterparts")}
FIRST_SLOT = dt.time(8, 0)


@dataclass(frozen=True)
class Case:
    """One generated country, validated."""

    number: int
    options: dict[str, str]
    country_file: CountryFile

    @property
    def name(self) -> str:
        return describe(self.number, self.options)


@dataclass(frozen=True)
class SkippedCase:
    """A combination that is not rendered, and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class Matrix:
    cases: list[Case]
    skipped: list[SkippedCase]


def describe(number: int, options: dict[str, str]) -> str:
    """Name a case by its options, as the errors of `check` show it."""
    words = [options[factor].replace("_", " ") for factor in OPTIONS]
    words[2] = f"UNCAT {words[2]}"
    return f"generated case {number} ({', '.join(words)})"


def covering_rows(options: dict[str, tuple[str, ...]] = OPTIONS) -> list[dict[str, str]]:
    """Return rows in which every possible pair of options appears at least once."""
    factors = list(options)
    uncovered = {
        frozenset({(first, a), (second, b)})
        for first, second in itertools.combinations(factors, 2)
        for a in options[first]
        for b in options[second]
    } - set(IMPOSSIBLE)
    rows = []
    while uncovered:
        seed = sorted(uncovered, key=lambda pair: sorted(pair))[0]
        row = dict(seed)
        for factor in factors:
            if factor in row:
                continue
            best, best_gain = None, -1
            for level in options[factor]:
                pairs = {frozenset({(factor, level), (other, value)}) for other, value in row.items()}
                if pairs & set(IMPOSSIBLE):
                    continue
                gain = len(pairs & uncovered)
                if gain > best_gain:
                    best, best_gain = level, gain
            assert best is not None
            row[factor] = best
        uncovered -= {frozenset(pair) for pair in itertools.combinations(row.items(), 2)}
        rows.append({factor: row[factor] for factor in factors})
    return rows


def generate_cases(content_dir: Path, reference: Reference) -> Matrix:
    """Derive the matrix of cases from the shipped country files and validate each one."""
    loaded = [load_yaml(content_dir / COUNTRIES_DIR / f"{slug}.yaml").data for slug in country_slugs(content_dir)]
    shipped: list[dict] = [data for data in loaded if isinstance(data, dict)]
    cases: list[Case] = []
    skipped: list[SkippedCase] = []
    skipped.extend(SkippedCase(name, IMPOSSIBLE_REASON) for name in IMPOSSIBLE.values())
    if not shipped:
        return Matrix([], skipped)
    for number, options in enumerate(covering_rows(), start=1):
        name = describe(number, options)
        data = make_case_data(shipped, options)
        try:
            country_file = validate_country(data, reference, name, warn=False)
        except ContentError as error:
            skipped.append(SkippedCase(name, "; ".join(str(problem).removeprefix(f"{name}: ") for problem in error.problems)))
            continue
        cases.append(Case(number, options, country_file))
    return Matrix(cases, skipped)


def make_case_data(shipped: list[dict], options: dict[str, str]) -> dict[str, Any]:
    """Return the data of one case: a shipped country changed to the options."""
    status = options["uncat"]
    base = next((data for data in shipped if _get(data, "uncat", "status") == status), shipped[0])
    data = copy.deepcopy(base)
    data["uncat"] = _uncat(shipped, status, options["opcat"])
    data.setdefault("visit", {})["letter_form"] = options["form"]
    if options["form"] == "letter" and not data["visit"].get("signatory"):
        # A letter is signed: a base country written for a note verbale lends the signatory of one that is not.
        signed = next((other["visit"]["signatory"] for other in shipped if isinstance(other.get("visit"), dict) and other["visit"].get("signatory")), None)
        if signed is not None:
            data["visit"]["signatory"] = copy.deepcopy(signed)
    start = dt.date.fromisoformat(str(data["visit"]["start"]))
    days = int(options["days"].split()[0])
    data["visit"]["end"] = (start + dt.timedelta(days=days - 1)).isoformat()
    data["meetings"] = _meetings(shipped, base, start, days, int(options["meetings"].split()[0]))
    if "npm" not in data["uncat"]:
        for meeting in data["meetings"]:
            meeting.pop("is_npm", None)  # a counterpart can be the mechanism only where there is one
    if options["seminar"] == "no seminar":
        data.pop("seminar", None)
    else:
        seminar = copy.deepcopy(base.get("seminar") or next((other["seminar"] for other in shipped if other.get("seminar")), None))
        if seminar is not None:
            seminar["date"] = (start + dt.timedelta(days=days - 1)).isoformat()
            data["seminar"] = seminar
    _rename(data, NAMES[options["names"]])
    if options["optional"] == "optional fields left out":
        _drop_optional(data, Country, ())
    return data


def _get(data: dict, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def _uncat(shipped: list[dict], status: str, opcat: str) -> dict[str, Any]:
    source = next((data["uncat"] for data in shipped if _get(data, "uncat", "status") == status), None)
    uncat = copy.deepcopy(source) if source else {"status": status}
    if source is None and status == "party":
        uncat.update({"instrument": "accession", "deposited": "2019-03-14", "reports": [{"kind": "initial", "submitted": "2021-07-02"}]})
    elif source is None and status == "signatory":
        uncat.update({"signed": "2025-06-26", "instrument": "ratification"})
    for key in ("opcat", "opcat_deposited", "npm"):
        uncat.pop(key, None)
    if opcat != "no OPCAT":
        with_opcat: dict = next((data["uncat"] for data in shipped if _get(data, "uncat", "opcat") == "party"), {})
        uncat["opcat"] = "party"
        uncat["opcat_deposited"] = with_opcat.get("opcat_deposited", "2020-10-05")
        if opcat == "OPCAT with NPM":
            uncat["npm"] = with_opcat.get("npm", "National Preventive Mechanism of the Office of the Ombudsperson")
    return uncat


def _meetings(shipped: list[dict], base: dict, start: dt.date, days: int, count: int) -> list[dict]:
    """Take `count` meetings from the shipped files, base first, spread over the days in order."""
    pool = [meeting for data in [base, *[other for other in shipped if other is not base]] for meeting in data.get("meetings", [])]
    meetings = []
    for index in range(count):
        meeting = copy.deepcopy(pool[index % len(pool)])
        day = index * days // count
        slot = index - next(position for position in range(count) if position * days // count == day)
        begin = dt.datetime.combine(start, FIRST_SLOT) + dt.timedelta(hours=slot)
        meeting["date"] = (start + dt.timedelta(days=day)).isoformat()
        meeting["start"] = begin.strftime("%H:%M")
        meeting["end"] = (begin + dt.timedelta(minutes=50)).strftime("%H:%M")
        meetings.append(meeting)
    return meetings


def _rename(data: dict, names: dict[str, Any]) -> None:
    data["name"], data["short_name"] = names["country"]
    visit = data["visit"]
    visit["addressee"].update(name=names["person"], title=names["title"], office=names["office"])
    for member in data.get("delegation", [])[1:2]:
        member["name"] = names["person"]
    for meeting in data["meetings"][:2]:
        for counterpart in _counterparts(meeting):
            counterpart.update(name=names["person"], office=names["office"])
    if "seminar" in data:
        data["seminar"]["title"] = f"UNCAT in {names['country'][1]}"


def _counterparts(meeting: dict) -> list[dict]:
    found = meeting.get("counterparts") or [meeting.get("counterpart")]
    return [counterpart for counterpart in found if isinstance(counterpart, dict)]


def _drop_optional(data: Any, model: type[BaseModel], path: tuple[str, ...]) -> None:
    """Remove every optional field the schema has, except those in KEEP, at any depth."""
    if not isinstance(data, dict):
        return
    for key in list(data):
        field = model.model_fields.get(key) or model.model_fields.get(f"{key}s")  # `counterpart:` stands for `counterparts:`
        if field is None:
            continue
        here = (*path, key)
        if here in KEEP:
            continue
        if not field.is_required() and key in model.model_fields:
            del data[key]
            continue
        inner = _unwrap(field.annotation, True)
        if _is_model(inner):
            for item in data[key] if isinstance(data[key], list) else [data[key]]:
                _drop_optional(item, inner, here)
