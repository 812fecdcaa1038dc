"""Loading and validating content: good files load, every bad one says file, line and fix."""

from __future__ import annotations

import logging
import re

import pytest
from conftest import REPO, country_data, write_country

from cti_briefings.content import country_slugs, load_country, load_reference
from cti_briefings.errors import ContentError

MINIMAL = """\
name: Republic of Testland
short_name: Testland
uncat:
  status: not_party
visit:
  reference: CTI/1
  letter_date: 2027-01-05
  start: 2027-02-01
  end: 2027-02-02
  city: Testville
  addressee:
    name: Ms A
    title: Minister of Foreign Affairs
  signatory:
    name: Mr B
    title: Head of the CTI Secretariat
delegation:
  - {name: Ms H, position: Ambassador, role: head, rank: ambassador, state: Ghana}
  - {name: Mr M, position: Adviser, role: member, rank: expert}
  - {name: Ms S, position: Officer, role: secretariat, rank: secretariat}
meetings:
  - date: 2027-02-01
    start: "09:00"
    end: "10:00"
    kind: ministerial
    portfolio: justice
    venue: Ministry
    counterpart: {name: Mr C, title: Minister of Justice}
"""


def problems_of(root, slug: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_country(root / "content", slug, load_reference(root / "content"))
    return [str(problem) for problem in caught.value.problems]


def test_every_shipped_country_loads(project_root):
    reference = load_reference(project_root / "content")
    slugs = country_slugs(project_root / "content")
    assert "example" in slugs and len(slugs) >= 3
    for slug in slugs:
        loaded = load_country(project_root / "content", slug, reference)
        assert loaded.country.example, f"{slug} must be marked as a fictional example"


def test_shipped_examples_cover_the_cases_the_product_needs(project_root):
    reference = load_reference(project_root / "content")
    countries = [load_country(project_root / "content", slug, reference).country for slug in country_slugs(project_root / "content")]
    assert any(country.uncat.status != "party" for country in countries), "a State preparing ratification"
    assert any(country.uncat.status == "party" for country in countries), "a State party implementing"
    assert any(country.seminar is None for country in countries), "a visit without a seminar"
    assert any(country.visit.letter_form == "note_verbale" for country in countries)


def test_minimal_file_loads_with_defaults(project_root):
    write_country(project_root, "testland", MINIMAL)
    country = load_country(project_root / "content", "testland", load_reference(project_root / "content")).country
    assert country.marking == "CONFIDENTIAL"
    assert country.language == "en"
    assert country.meetings[0].start.strftime("%H:%M") == "09:00"
    assert country.seminar is None


def test_yaml_syntax_error_names_file_and_line(project_root):
    write_country(project_root, "broken", MINIMAL.replace("  city: Testville", "  city: Testville: centre"))
    assert problems_of(project_root, "broken") == [
        "content/countries/broken.yaml:10: YAML syntax error: mapping values are not allowed here "
        "(put text that contains ': ' in quotes, or check the indentation of the line above)"
    ]


def test_missing_required_field_points_at_its_parent(project_root):
    write_country(project_root, "missing", MINIMAL.replace("  city: Testville\n", ""))
    assert problems_of(project_root, "missing") == ["content/countries/missing.yaml:5: visit.city: is missing (add 'city:' here)"]


def test_impossible_date_is_reported_at_its_line(project_root):
    write_country(project_root, "baddate", MINIMAL.replace("end: 2027-02-02", "end: 2027-02-30"))
    assert problems_of(project_root, "baddate") == [
        "content/countries/baddate.yaml:9: visit.end: is an impossible date: '2027-02-30' (write dates as YYYY-MM-DD, e.g. 2027-02-16)"
    ]


def test_every_problem_is_reported_at_once(project_root):
    text = MINIMAL.replace("  city: Testville\n", "").replace("end: 2027-02-02", "end: 2027-02-30").replace("status: not_party", "status: ratified")
    write_country(project_root, "many", text)
    lines = problems_of(project_root, "many")
    assert len(lines) == 3
    assert lines[0].startswith("content/countries/many.yaml:4: uncat.status: must be one of 'not_party', 'signatory' or 'party', not 'ratified'")


def test_unknown_country_lists_the_known_ones(project_root):
    lines = problems_of(project_root, "exampel")
    assert lines == [f"content/countries/exampel.yaml: no country called 'exampel' (did you mean 'example'? known countries: {', '.join(country_slugs(project_root / 'content'))})"]


def test_misspelt_field_gets_a_suggestion(project_root):
    write_country(project_root, "typo", MINIMAL.replace("  city: Testville", "  citty: Testville\n  city: Testville"))
    assert problems_of(project_root, "typo") == ["content/countries/typo.yaml:10: visit.citty: is not a field this file can have (did you mean 'city'?)"]


def test_duplicate_key_is_an_error_not_a_silent_overwrite(project_root):
    write_country(project_root, "twice", MINIMAL.replace("short_name: Testland", "short_name: Testland\nshort_name: Other"))
    assert problems_of(project_root, "twice") == ["content/countries/twice.yaml:3: short_name: appears twice (first on line 2) (keep one of them)"]


def test_unquoted_clock_time_is_not_read_as_a_number(project_root):
    write_country(project_root, "clock", MINIMAL.replace('start: "09:00"', "start: 9:30").replace('end: "10:00"', "end: 10:30"))
    country = load_country(project_root / "content", "clock", load_reference(project_root / "content")).country
    assert country.meetings[0].start.strftime("%H:%M") == "09:30"


def test_wrong_type_says_what_is_expected(project_root):
    write_country(project_root, "types", MINIMAL.replace("  - {name: Mr M, position: Adviser, role: member, rank: expert}", "  - just a name"))
    assert problems_of(project_root, "types") == ["content/countries/types.yaml:19: delegation member 2: must be a group of 'key: value' lines (indent the lines that belong to it)"]


def test_head_of_delegation_must_come_from_a_core_state(project_root):
    write_country(project_root, "nothead", MINIMAL.replace("state: Ghana", "state: Norway"))
    assert problems_of(project_root, "nothead") == [
        "content/countries/nothead.yaml:18: delegation member 1, state: 'Norway' is not a CTI Core State (Core States: Chile, Denmark, Ghana, Indonesia, Morocco, Fiji)"
    ]


def test_head_of_delegation_must_be_of_ministerial_or_ambassadorial_rank(project_root):
    write_country(project_root, "rank", MINIMAL.replace("role: head, rank: ambassador", "role: head, rank: expert"))
    [line] = problems_of(project_root, "rank")
    assert line.startswith("content/countries/rank.yaml:18: delegation member 1, rank: the head of delegation is of rank 'expert'")


def test_meeting_outside_the_visit_is_an_error(project_root):
    write_country(project_root, "outside", MINIMAL.replace("  - date: 2027-02-01", "  - date: 2027-02-05"))
    assert problems_of(project_root, "outside") == [
        "content/countries/outside.yaml:22: meeting 1, date: the meeting on 2027-02-05 is outside the visit (2027-02-01 to 2027-02-02) (move the meeting or change the visit dates)"
    ]


def test_detention_visit_needs_the_governments_direction(project_root):
    write_country(project_root, "detention", MINIMAL.replace("kind: ministerial", "kind: detention_visit"))
    [line] = problems_of(project_root, "detention")
    assert line.startswith("content/countries/detention.yaml:22: meeting 1, at_government_direction: a visit to a place of detention happens only at the Government's direction")


def test_long_visit_and_small_delegation_only_warn(project_root, caplog):
    text = MINIMAL.replace("end: 2027-02-02", "end: 2027-02-05").replace("  - {name: Ms S, position: Officer, role: secretariat, rank: secretariat}\n", "")
    write_country(project_root, "warned", text)
    with caplog.at_level(logging.WARNING):
        load_country(project_root / "content", "warned", load_reference(project_root / "content"))
    assert [record.getMessage() for record in caplog.records] == [
        "content/countries/warned.yaml:9: visit.end: the visit lasts 5 days; CTI visits usually take 1 to 3 days (shorten it, or keep it if agreed with the Government)",
        "content/countries/warned.yaml:17: delegation: the delegation has 2 members; CTI delegations usually have 3 to 5 (add or remove members, or keep it if agreed)",
    ]


def test_unknown_portfolio_lists_the_known_ones(project_root):
    write_country(project_root, "portfolio", MINIMAL.replace("portfolio: justice", "portfolio: justise"))
    [line] = problems_of(project_root, "portfolio")
    assert line.startswith("content/countries/portfolio.yaml:26: meeting 1, portfolio: unknown portfolio 'justise' (known portfolios: ")
    assert "justice" in line


def test_example_round_trips_through_yaml(project_root):
    data = country_data()
    data["visit"]["reference"] = "CTI/2027/904"  # a second file with the example's reference is an error
    write_country(project_root, "copy", data)
    country = load_country(project_root / "content", "copy", load_reference(project_root / "content")).country
    assert country.short_name == "Examplia"


def test_reference_data_is_complete(project_root):
    reference = load_reference(project_root / "content")
    assert [state.name for state in reference.core_states] == ["Chile", "Denmark", "Ghana", "Indonesia", "Morocco", "Fiji"]
    assert [step.number for phase in reference.strategy.phases for step in phase.steps] == list(range(1, 13))
    assert len(reference.strategy.areas) == 10
    assert len(reference.strategy.review_actions) == 3


def test_the_country_file_docs_name_every_portfolio_and_area_the_reference_data_knows():
    from cti_briefings.fields import attribute_docstrings
    from cti_briefings.schema import Meeting, Recommendation

    reference = load_reference(REPO / "content")
    portfolio_doc = attribute_docstrings(Meeting)["portfolio"]
    area_doc = attribute_docstrings(Recommendation)["area"]
    assert all(re.search(rf"\b{key}\b", portfolio_doc) for key in reference.portfolios), portfolio_doc
    assert all(re.search(rf"\b{area.key}\b", area_doc) for area in reference.strategy.areas), area_doc
