"""Field listing from typed values, the typo message, and the generated docs pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from cti_briefings.cli import cli
from cti_briefings.errors import TemplateError
from cti_briefings.fields import DOCS, country_file_page, format_fields, list_fields, missing_field_message, template_fields_page
from cti_briefings.render import render_document

REPO = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Counterpart:
    name: str
    """Full name, e.g. 'Ms Ama Owusu'."""
    office: str | None = None
    """Ministry or institution; None for a person alone."""


@dataclasses.dataclass(frozen=True)
class MeetingValues:
    start: dt.time
    """When it starts."""
    counterparts: tuple[Counterpart, ...]
    """Who is met."""


@dataclasses.dataclass(frozen=True)
class CountryValues:
    name: str
    """Formal name, e.g. 'Republic of Examplia'."""
    short_name: str
    """Everyday name."""
    formal_name: str
    """The name with its article."""


@dataclasses.dataclass(frozen=True)
class PackValues:
    country: CountryValues
    """The State visited."""
    meetings: tuple[MeetingValues, ...]
    """Every meeting, in order."""
    days: int


def test_fields_are_listed_recursively_with_their_docstrings():
    assert format_fields(list_fields(PackValues)).splitlines() == [
        "country (group): The State visited.",
        "  country.name (text): Formal name, e.g. 'Republic of Examplia'.",
        "  country.short_name (text): Everyday name.",
        "  country.formal_name (text): The name with its article.",
        "meetings[] (each: start, counterparts) (list of group): Every meeting, in order.",
        "  start (time): When it starts.",
        "  counterparts[] (each: name, office) (list of group): Who is met.",
        "    name (text): Full name, e.g. 'Ms Ama Owusu'.",
        "    office (text, may be empty): Ministry or institution; None for a person alone.",
        "days (number)",
    ]


def test_a_typo_names_the_object_its_fields_and_the_closest_one():
    country = CountryValues("Republic of Examplia", "Examplia", "the Republic of Examplia")
    assert missing_field_message(country, "nmae", "country") == "country has no 'nmae' (did you mean 'name'?); its fields: name, short_name, formal_name"
    assert missing_field_message(country, "capital", "country") == "country has no 'capital'; its fields: name, short_name, formal_name"
    assert missing_field_message({"name": 1}, "nmae") is None


def test_a_typo_in_a_template_is_reported_with_the_objects_fields(tmp_path):
    document = Document()
    document.add_paragraph("Dear {{ country.nmae }},")
    document.save(tmp_path / "letter.docx")
    country = CountryValues("Republic of Examplia", "Examplia", "the Republic of Examplia")
    try:
        render_document(tmp_path / "letter.docx", {"country": country}, "letter for 'x'", {"date": dt.date(2026, 11, 22)})
    except TemplateError as error:
        message = error.format_message()
    assert message == f"{tmp_path / 'letter.docx'}: letter for 'x': the paragraph 'Dear {{{{ country.nmae }}}},': country has no 'nmae' (did you mean 'name'?); its fields: name, short_name, formal_name (check the spelling of the tag in Word; values available: country)"


def test_the_generated_docs_pages_are_up_to_date_with_the_code():
    """Fails when the schema or the template values change and docs/ was not regenerated (run: cti-briefings docs)."""
    for name, text in zip(DOCS, (template_fields_page(), country_file_page())):
        assert (REPO / "docs" / name).read_text(encoding="utf-8") == text, f"docs/{name} is out of date: run `cti-briefings docs`"
    assert CliRunner().invoke(cli, ["--root", str(REPO), "docs", "--check"]).output == "docs/ is up to date.\n"


def test_docs_check_names_a_stale_page_and_docs_rewrites_it(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "country-file.md").write_text("old", encoding="utf-8")
    stale = CliRunner().invoke(cli, ["--root", str(tmp_path), "docs", "--check"])
    assert stale.exit_code == 1
    assert stale.output == "error: docs/template-fields.md, docs/country-file.md out of date with the code (run: cti-briefings docs)\n"
    assert CliRunner().invoke(cli, ["--root", str(tmp_path), "docs"]).exit_code == 0
    assert (tmp_path / "docs" / "country-file.md").read_text(encoding="utf-8") == country_file_page()


def test_fields_without_typed_values_is_a_clear_error(monkeypatch):
    from cti_briefings import context

    monkeypatch.delattr(context, "PackValues", raising=False)
    monkeypatch.delattr(context, "BriefValues", raising=False)
    monkeypatch.delattr(context, "CoverValues", raising=False)
    result = CliRunner().invoke(cli, ["fields"])
    assert result.exit_code == 1
    assert result.output == "error: the template values are not typed yet (cti_briefings/context.py has no PackValues)\n"


def test_fields_lists_the_typed_values_of_context(monkeypatch):
    from cti_briefings import context

    monkeypatch.setattr(context, "PackValues", PackValues, raising=False)
    result = CliRunner().invoke(cli, ["fields"])
    assert result.exit_code == 0
    assert result.output.splitlines()[:3] == ["Values for every document:", "country (group): The State visited.", "  country.name (text): Formal name, e.g. 'Republic of Examplia'."]


def test_the_country_file_page_lists_every_field_with_allowed_values():
    page = country_file_page()
    assert "- `letter_form` (one of: `letter`, `note_verbale`; optional, default letter): A signed first-person letter, or a third-person note verbale." in page
    assert "- `meetings` (list of `Meeting`; required)" in page
    assert "## `Meeting`" in page and "## `Seminar`" in page
    assert "`ministerial`" in page


def test_the_template_fields_page_shows_each_filter_with_an_example():
    assert "- `date_range`: `{{ visit.start|date_range(visit.end) }}` gives “16–18 February 2027”" in template_fields_page()
