"""Gaps a person writing a country file falls into: each is one clear line, never a traceback."""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, write_country

from cti_briefings.cli import cli
from cti_briefings.content import country_slugs, load_countries, load_country, load_reference, meant_time
from cti_briefings.crosscheck import misnamed_country_files
from cti_briefings.errors import ContentError
from cti_briefings.locations import describe_location
from cti_briefings.rules import _agreed_before_invited
from cti_briefings.schema import Country

BASE = """\
name: Republic of Testland
short_name: Testland
uncat:
  status: party
  signed: 2010-01-05
  instrument: ratification
  deposited: 2012-03-01
  opcat: not_party
visit:
  reference: CTI/2027/101
  letter_date: 2027-01-05
  start: 2027-02-01
  end: 2027-02-02
  city: Testville
  reply_by: 2027-01-20
  addressee:
    honorific: H.E.
    name: Ms Ana Costa
    title: Minister of Foreign Affairs
  signatory:
    name: Mr Ben Okafor
    title: Head of the CTI Secretariat
delegation:
  - {name: Ms Hana Lind, honorific: H.E., position: Ambassador, role: head, rank: ambassador, state: Ghana}
  - {name: Mr Max Moreau, position: Adviser, role: member, rank: expert}
  - {name: Ms Sara Diop, position: Officer, role: secretariat, rank: secretariat}
meetings:
  - date: 2027-02-01
    start: "09:00"
    end: "10:00"
    kind: ministerial
    portfolio: justice
    venue: Ministry of Justice
    counterpart: {name: Mr Carl Nunes, title: Minister of Justice}
  - date: 2027-02-01
    start: "11:00"
    end: "12:00"
    kind: official
    portfolio: police
    venue: Police Headquarters
    counterpart: {name: Ms Dora Pike, title: Inspector-General of Police}
seminar:
  title: Implementing UNCAT
  date: 2027-02-02
  venue: Conference Centre
  objectives: [Share experience]
  facilitators: [Mr Max Moreau]
  institutions: [Ministry of Justice]
  sessions:
    - {start: "09:00", end: "10:00", title: Opening}
    - start: "10:00"
      end: "11:00"
      title: Other countries
      other_countries: true
"""


def edited(*changes: tuple[str, str]) -> str:
    """BASE with each (old, new) replaced once; fails if `old` is not there, so no edit is lost."""
    text = BASE
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def problems_of(root: Path, slug: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_country(root / "content", slug, load_reference(root / "content"))
    return [str(problem) for problem in caught.value.problems]


def warnings_of(root: Path, slug: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    with caplog.at_level(logging.WARNING):
        load_country(root / "content", slug, load_reference(root / "content"))
    return [record.getMessage() for record in caplog.records]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_base_file_is_clean(project_root, caplog):
    write_country(project_root, "testland", BASE)
    assert warnings_of(project_root, "testland", caplog) == []


# --- 1. Times written as numbers or in other ways ------------------------------------------

TIMES = "content/countries/{slug}.yaml:29: meeting 1, start: is not a valid time: '{typed}' (write times in quotes, \"09:30\"{meant})"


@pytest.mark.parametrize(("typed", "meant"), [("9.30", "09:30"), ("930", "09:30"), ("1400", "14:00"), ("9h30", "09:30"), ("0930", "09:30"), ("9.3", None), ("25:00", None)])
def test_a_time_not_written_hh_mm_quotes_the_value_as_typed(project_root, typed, meant):
    write_country(project_root, "clock", edited(('start: "09:00"', f"start: {typed}")))
    hint = f'; did you mean "{meant}"?' if meant else ""
    assert problems_of(project_root, "clock") == [TIMES.format(slug="clock", typed=typed, meant=hint)]


def test_a_time_in_quotes_written_another_way_is_an_error_too(project_root):
    write_country(project_root, "clock", edited(('start: "09:00"', 'start: "2.30 pm"')))
    assert problems_of(project_root, "clock") == [TIMES.format(slug="clock", typed="2.30 pm", meant='; did you mean "14:30"?')]


def test_an_empty_time_says_so(project_root):
    write_country(project_root, "clock", edited(('    end: "10:00"\n', "    end:\n")))
    assert problems_of(project_root, "clock") == ["content/countries/clock.yaml:30: meeting 1, end: is empty (write times in quotes, \"09:30\")"]


def test_a_seminar_session_time_names_the_session(project_root):
    write_country(project_root, "clock", edited(('      end: "11:00"', "      end: 1100")))
    assert problems_of(project_root, "clock") == [
        "content/countries/clock.yaml:52: seminar session 2, end: is not a valid time: '1100' (write times in quotes, \"09:30\"; did you mean \"11:00\"?)"
    ]


def test_meant_time_is_given_only_when_the_meaning_is_clear():
    assert [meant_time(typed) for typed in ("9.30", "9,30", "930", "1400", "9h30", "14h", "9", "9:30:00", "2pm", "12am", "9.3", "9:75", "13pm", "noon")] == [
        "09:30", "09:30", "09:30", "14:00", "09:30", "14:00", "09:00", "09:30", "14:00", "00:00", None, None, None, None,
    ]


def test_a_time_error_exits_1_from_the_command_line(project_root):
    write_country(project_root, "clock", edited(('start: "09:00"', "start: 1400")))
    result = run("check", "clock")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "error: " + TIMES.format(slug="clock", typed="1400", meant='; did you mean "14:00"?')


# --- 2. The reply date ----------------------------------------------------------------------

REPLY = "content/countries/reply.yaml:15: visit.reply_by: the reply is requested by {0} (ask for a reply after the letter date and before the visit)"


@pytest.mark.parametrize(("reply_by", "why"), [
    ("2027-01-04", "2027-01-04, before the letter is dated (2027-01-05)"),
    ("2027-01-05", "2027-01-05, the day the letter is dated"),
    ("2027-02-01", "2027-02-01, the day the visit starts"),
    ("2027-02-02", "2027-02-02, after the visit starts (2027-02-01)"),
])
def test_a_reply_date_outside_letter_and_visit_is_an_error(project_root, reply_by, why):
    write_country(project_root, "reply", edited(("reply_by: 2027-01-20", f"reply_by: {reply_by}")))
    assert problems_of(project_root, "reply") == [REPLY.format(why)]


def test_a_reply_date_error_exits_1_from_the_command_line(project_root):
    write_country(project_root, "reply", edited(("reply_by: 2027-01-20", "reply_by: 2027-01-04")))
    result = run("check", "reply")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "error: " + REPLY.format("2027-01-04, before the letter is dated (2027-01-05)")


# --- 3. One invitation reference in two files -----------------------------------------------

SHARED = "content/countries/{0}.yaml:10: visit.reference: 'CTI/2027/101' is also the reference of content/countries/{1}.yaml:10 (each invitation has a reference of its own; give this one a new number, e.g. 'CTI/2027/102', the next after those in use)"


def test_a_reference_used_twice_is_an_error_in_each_file_naming_the_other(project_root):
    write_country(project_root, "first", BASE)
    write_country(project_root, "second", BASE)
    assert problems_of(project_root, "first") == [SHARED.format("first", "second")]
    assert problems_of(project_root, "second") == [SHARED.format("second", "first")]


def test_a_reference_is_compared_however_it_is_spaced_or_cased(project_root):
    write_country(project_root, "first", BASE)
    write_country(project_root, "second", edited(("reference: CTI/2027/101", "reference: ' cti/2027/101'")))
    assert problems_of(project_root, "first") == [SHARED.format("first", "second")]


def test_the_other_files_own_problems_do_not_stop_the_comparison(project_root):
    write_country(project_root, "first", BASE)
    write_country(project_root, "second", edited(("  city: Testville\n", ""), ("status: party", "status: ratified")))
    write_country(project_root, "broken", "name: [unclosed\n")
    assert problems_of(project_root, "first") == [SHARED.format("first", "second")]


def test_a_shared_reference_stops_a_one_country_build(project_root):
    write_country(project_root, "first", BASE)
    write_country(project_root, "second", BASE)
    result = run("build", "first")
    assert result.exit_code == 1
    assert result.output.splitlines() == ["error: " + SHARED.format("first", "second"), "1 problem found; nothing was built, earlier packs are unchanged."]


# --- 4. An honorific repeated in a name -----------------------------------------------------


def test_h_e_given_twice_asks_to_correct_the_name(project_root):
    write_country(project_root, "twice", edited(("name: Ms Ana Costa", "name: H.E. Ms Ana Costa")))
    assert problems_of(project_root, "twice") == [
        "content/countries/twice.yaml:18: visit.addressee.name: starts with 'H.E.', which the honorific already gives: "
        "it would print 'H.E. H.E. Ms Ana Costa' (write the name as 'Ms Ana Costa')"
    ]


def test_his_excellency_in_the_name_is_the_same_honorific(project_root):
    write_country(project_root, "twice", edited(("{name: Ms Hana Lind, honorific: H.E.", "{name: Her Excellency Ms Hana Lind, honorific: H.E.")))
    assert problems_of(project_root, "twice") == [
        "content/countries/twice.yaml:24: delegation member 1, name: starts with 'Her Excellency', which the honorific already gives: "
        "it would print 'H.E. Her Excellency Ms Hana Lind' (write the name as 'Ms Hana Lind')"
    ]


def test_dr_given_twice_asks_to_delete_the_honorific(project_root):
    write_country(project_root, "twice", edited(("{name: Mr Max Moreau,", "{name: Dr Max Moreau, honorific: Dr.,")))
    assert problems_of(project_root, "twice") == [
        "content/countries/twice.yaml:25: delegation member 2, honorific: 'Dr.' is also at the start of the name: "
        "it would print 'Dr. Dr Max Moreau' (delete this line; the name keeps its 'Dr')"
    ]


def test_two_courtesy_titles_are_an_error(project_root):
    write_country(project_root, "twice", edited(("counterpart: {name: Ms Dora Pike,", "counterpart: {honorific: Mr, name: Ms Dora Pike,")))
    assert problems_of(project_root, "twice") == [
        "content/countries/twice.yaml:41: meeting 2, counterpart.honorific: 'Mr' and the name's 'Ms' are both titles: "
        "it would print 'Mr Ms Dora Pike' (delete this line; the name keeps its title)"
    ]


def test_a_signatory_is_checked_too(project_root):
    write_country(project_root, "twice", edited(("    name: Mr Ben Okafor", "    honorific: Mr\n    name: Mr. Ben Okafor")))
    assert problems_of(project_root, "twice") == [
        "content/countries/twice.yaml:21: visit.signatory.honorific: 'Mr' is also at the start of the name: it would print 'Mr Mr. Ben Okafor' (delete this line; the name keeps its 'Mr.')"
    ]


def test_h_e_with_mr_and_a_surname_he_are_correct(project_root, caplog):
    write_country(project_root, "styled", edited(("name: Ms Ana Costa", "name: He Yafei"), ("counterpart: {name: Mr Carl Nunes,", "counterpart: {honorific: H.E., name: Mr Carl Nunes,")))
    assert warnings_of(project_root, "styled", caplog) == []


def test_a_repeated_honorific_exits_1_from_the_command_line(project_root):
    write_country(project_root, "twice", edited(("name: Ms Ana Costa", "name: H.E. Ms Ana Costa")))
    result = run("check", "twice")
    assert result.exit_code == 1
    assert result.output.startswith("error: content/countries/twice.yaml:18: visit.addressee.name: starts with 'H.E.'")


# --- 5. What a copy keeps from a sample file ------------------------------------------------


def copy_of_example(root: Path, slug: str, *changes: tuple[str, str]) -> None:
    text = (REPO / "content" / "countries" / "example.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    write_country(root, slug, text)


def test_example_true_left_in_a_real_states_file_is_an_error(project_root):
    # Everything else of the sample is renamed: only the flag is left.
    write_country(project_root, "arcadia", edited(("short_name: Testland", "short_name: Arcadia\nexample: true")))
    assert problems_of(project_root, "arcadia") == [
        "content/countries/arcadia.yaml:3: example: true is left from a sample file, but 'Arcadia' is not one of the fictional sample States "
        "(delete this line: it prints 'not a real State' on the cover; a new sample State goes in content/reference/fictional_states.yaml)"
    ]


def test_a_sample_states_name_without_example_true_is_an_error(project_root):
    write_country(project_root, "veloria2", edited(("short_name: Testland", "short_name: Veloria"), ("reference: CTI/2027/101", "reference: CTI/2027/901")))
    assert problems_of(project_root, "veloria2") == [
        "content/countries/veloria2.yaml:2: short_name: 'Veloria' is a fictional sample State, but the file has no 'example: true' "
        "(write the real State's name, or add 'example: true' if this is a sample)"
    ]


def test_a_copy_of_the_example_reports_every_leftover(project_root):
    copy_of_example(project_root, "arcadia", ("Republic of Examplia", "Republic of Arcadia"), ("short_name: Examplia", "short_name: Arcadia"))
    text = (project_root / "content" / "countries" / "arcadia.yaml").read_text(encoding="utf-8")

    def line(start: str) -> int:
        return next(number for number, content in enumerate(text.splitlines(), start=1) if content.startswith(start))

    problems = problems_of(project_root, "arcadia")
    in_use = [int(re.search(r"CTI/2027/(\d+)", path.read_text(encoding="utf-8")).group(1)) for path in (project_root / "content" / "countries").glob("*.yaml")
              if re.search(r"CTI/2027/(\d+)", path.read_text(encoding="utf-8"))]
    next_free = max(in_use) + 1
    assert problems[:4] == [
        f"content/countries/arcadia.yaml:{line('example:')}: example: true is left from a sample file, but 'Arcadia' is not one of the fictional sample States "
        "(delete this line: it prints 'not a real State' on the cover; a new sample State goes in content/reference/fictional_states.yaml)",
        f"content/countries/arcadia.yaml:{line('  reference:')}: visit.reference: 'CTI/2027/004' is also the reference of content/countries/example.yaml:{line('  reference:')} "
        f"(each invitation has a reference of its own; give this one a new number, e.g. 'CTI/2027/{next_free:03d}', the next after those in use)",
        f"content/countries/arcadia.yaml:{line('  city:')}: visit.city: 'Port Examplia' names Examplia, a fictional sample State (replace what is left from the sample file)",
        f"content/countries/arcadia.yaml:{line('    name: Ms Sofía')}: visit.addressee.name: 'Ms Sofía Núñez-Achebe' is a person invented for the sample file "
        f"content/countries/example.yaml:{line('    name: Ms Sofía')} (write the name of the real person)",
    ]
    # Every text that still names Examplia and every invented person is reported, and nothing else.
    data = yaml.safe_load(text)
    texts = [value for value in _strings(data) if "Examplia" in value]
    people = [person["name"] for person in [data["visit"]["addressee"], data["visit"]["signatory"], *data["delegation"]]]
    counterparts = [person for meeting in data["meetings"] for person in meeting.get("counterparts", [meeting.get("counterpart")])]
    people += [person["name"] for person in counterparts if person.get("name", "").startswith(("Mr ", "Ms ", "Dr "))]
    assert len([problem for problem in problems if "a fictional sample State (replace" in problem]) == len(texts)
    assert sorted(re.search(r": '(.*)' is a person invented", problem)[1] for problem in problems if "is a person invented" in problem) == sorted(people)
    assert len(problems) == 2 + len(texts) + len(people)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_a_sample_leftover_exits_1_from_the_command_line(project_root):
    copy_of_example(project_root, "arcadia", ("Republic of Examplia", "Republic of Arcadia"), ("short_name: Examplia", "short_name: Arcadia"))
    result = run("check", "arcadia")
    assert result.exit_code == 1
    line = 1 + (project_root / "content" / "countries" / "arcadia.yaml").read_text(encoding="utf-8").splitlines().index("example: true")
    assert result.output.startswith(f"error: content/countries/arcadia.yaml:{line}: example: true is left from a sample file, but 'Arcadia' is not one of the fictional sample States")


def test_every_shipped_sample_is_a_listed_fictional_state(project_root, caplog):
    reference = load_reference(project_root / "content")
    with caplog.at_level(logging.WARNING):
        load_countries(project_root / "content", country_slugs(project_root / "content"), reference)
    assert caplog.records == []


# --- 6. Country files that would be ignored -------------------------------------------------

IGNORED = "content/countries/{0}: is not read: country file names use only lower-case letters, digits and '-', and end in .yaml ({1})"


@pytest.mark.parametrize(("name", "hint"), [
    ("arcadia.yml", "rename it to arcadia.yaml"),
    ("Arcadia.YAML", "rename it to arcadia.yaml"),
    ("New Arcadia.yaml", "rename it to new-arcadia.yaml"),
    ("Côte d'Ivoire.yaml", "rename it to cote-d-ivoire.yaml"),
    ("arcadia.yaml.txt", "rename it to arcadia.yaml"),
    ("example.yml", "example.yaml is read instead: move what this file adds into it, then delete this one"),
])
def test_a_misnamed_country_file_fails_check_of_every_country(project_root, name, hint):
    (project_root / "content" / "countries" / name).write_text(BASE, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == ["error: " + IGNORED.format(name, hint), "1 problem found; nothing was built, earlier packs are unchanged."]


def test_a_misnamed_file_warns_when_other_countries_are_named(project_root):
    (project_root / "content" / "countries" / "arcadia.yml").write_text(BASE, encoding="utf-8")
    result = run("check", "example")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "warning: " + IGNORED.format("arcadia.yml", "rename it to arcadia.yaml")


def test_list_does_not_skip_a_misnamed_file(project_root):
    (project_root / "content" / "countries" / "arcadia.yml").write_text(BASE, encoding="utf-8")
    result = run("list")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "error: " + IGNORED.format("arcadia.yml", "rename it to arcadia.yaml")


def test_naming_a_misnamed_country_says_how_to_rename_it(project_root):
    (project_root / "content" / "countries" / "Arcadia.yml").write_text(BASE, encoding="utf-8")
    assert problems_of(project_root, "arcadia") == [
        "content/countries/arcadia.yaml: no country called 'arcadia' (content/countries/Arcadia.yml is not read: country file names use only "
        "lower-case letters, digits and '-', and end in .yaml; rename it to arcadia.yaml)"
    ]


def test_hidden_files_and_other_files_are_left_alone(tmp_path):
    for name in (".arcadia.yaml", "notes.txt", "arcadia.yaml~", "~$arcadia.yml", "arcadia.yaml"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "folder.yml").mkdir()
    assert misnamed_country_files(tmp_path) == []


# --- 7. Lists in messages count from 1 ------------------------------------------------------


def test_locations_are_said_in_words_counting_from_1():
    lists = {("delegation",), ("meetings",), ("seminar", "sessions"), ("strategy", "recommendations"), ("strategy", "recommendations", 0, "portfolios"), ("meetings", 1, "counterparts")}
    said = [describe_location(location, lists.__contains__) for location in [
        ("delegation", 0, "state"),
        ("meetings", 1, "start"),
        ("seminar", "sessions", 2, "end"),
        ("strategy", "recommendations", 0, "portfolios", 1),
        ("meetings", 1, "counterparts", 0, "name"),
        ("strategy", "steps", 3, "status"),  # a step number is a key, not a position
        ("visit", "end"),
        ("delegation",),
    ]]
    assert said == [
        "delegation member 1, state",
        "meeting 2, start",
        "seminar session 3, end",
        "strategy recommendation 1, portfolio 2",
        "meeting 2, counterpart 1, name",
        "strategy.steps.3.status",
        "visit.end",
        "delegation",
    ]


def test_a_key_twice_in_a_list_entry_names_the_entry(project_root):
    write_country(project_root, "twice", edited(('    end: "12:00"\n', '    end: "12:00"\n    end: "12:30"\n')))
    assert problems_of(project_root, "twice") == ["content/countries/twice.yaml:38: meeting 2, end: appears twice (first on line 37) (keep one of them)"]


def test_a_step_number_is_not_counted_as_a_list_entry(project_root):
    write_country(project_root, "steps", BASE + "strategy:\n  steps:\n    3: {status: finished}\n")
    assert problems_of(project_root, "steps") == ["content/countries/steps.yaml:57: strategy.steps.3.status: must be one of 'not started', 'planned', 'in progress' or 'done', not 'finished'"]


# --- 8. What a careful officer would also check ---------------------------------------------


def test_a_seminar_outside_the_visit_is_an_error(project_root):
    write_country(project_root, "seminar", edited(("  date: 2027-02-02", "  date: 2027-02-03")))
    assert problems_of(project_root, "seminar") == [
        "content/countries/seminar.yaml:44: seminar.date: the seminar on 2027-02-03 is outside the visit (2027-02-01 to 2027-02-02) (move the seminar or change the visit dates)"
    ]


def test_overlaps_and_order_of_the_programme_warn(project_root, caplog):
    third = '  - {date: 2027-02-01, start: "14:00", end: "15:00", kind: official, portfolio: prisons, venue: Prison HQ, counterpart: {name: Mr Eli Roy, title: Director}}\n'
    write_country(project_root, "order", edited(
        ("  - date: 2027-02-01\n    start: \"11:00\"", "  - date: 2027-02-02\n    start: \"10:30\""),
        ("seminar:\n", third + "seminar:\n"),
        ('    - start: "10:00"', '    - start: "09:45"'),
    ))
    assert warnings_of(project_root, "order", caplog) == [
        "content/countries/order.yaml:42: meeting 3, date: this meeting (2027-02-01 14:00) happens before the one above (2027-02-02 10:30) "
        "(list meetings in the order they happen: the programme follows this order)",
        "content/countries/order.yaml:52: seminar session 2, start: this session starts at 09:45, before the one above ends at 10:00 "
        "(check the times; sessions are listed in the order they happen)",
        "content/countries/order.yaml:36: meeting 2, start: the meeting at 10:30-12:00 overlaps the seminar (09:00-11:00 that day) "
        "(move the meeting, or keep it if only part of the delegation attends the seminar)",
    ]


def test_a_member_listed_twice_is_an_error_and_an_unknown_participant_warns(project_root, caplog):
    write_country(project_root, "people", edited(
        ("  - {name: Ms Sara Diop,", "  - {name: Mr  Max Moreau,"),
        ("    venue: Police Headquarters\n", "    venue: Police Headquarters\n    participants: [H.E. Ms Hana Lind, Ms Sarah Diop]\n"),
    ))
    assert problems_of(project_root, "people") == [
        "content/countries/people.yaml:26: delegation member 3, name: 'Mr  Max Moreau' is already delegation member 2 (remove one of them)"
    ]
    caplog.clear()
    write_country(project_root, "people", edited(("    venue: Police Headquarters\n", "    venue: Police Headquarters\n    participants: [H.E. Ms Hana Lind, Ms Sarah Diop]\n")))
    assert warnings_of(project_root, "people", caplog) == [
        "content/countries/people.yaml:41: meeting 2, participant 2: 'Ms Sarah Diop' is not in the delegation "
        "(write the name as in the delegation: Ms Hana Lind, Mr Max Moreau, Ms Sara Diop)"
    ]


def test_treaty_dates_that_contradict_each_other_are_errors(project_root):
    write_country(project_root, "treaty", edited(
        ("  deposited: 2012-03-01\n", "  deposited: 2009-03-01\n  reports:\n    - {kind: initial, submitted: 2008-01-01, reviewed: 2007-05-01}\n"),
        ("opcat: not_party", "opcat: party\n  opcat_deposited: 2015-01-01"),
    ))
    assert problems_of(project_root, "treaty") == [
        "content/countries/treaty.yaml:7: uncat.deposited: the instrument is deposited on 2009-03-01, before the Convention was signed (2010-01-05) (correct one of the dates)",
        "content/countries/treaty.yaml:9: uncat report 1, submitted: the report is submitted on 2008-01-01, before the State became a party (2009-03-01) (correct the date)",
        "content/countries/treaty.yaml:9: uncat report 1, reviewed: the report is reviewed on 2007-05-01, before it was submitted (2008-01-01) (correct one of the dates)",
    ]


@pytest.mark.parametrize(("status", "opcat", "message"), [
    ("not_party", "signatory", "OPCAT status is 'signatory', but the State has not signed the Convention (only a State that has signed the Convention can sign the Optional Protocol; correct 'opcat' or 'status')"),
    ("signatory", "party", "the State is a party to OPCAT but not to the Convention (only a State party to the Convention can join the Optional Protocol; correct 'opcat' or 'status')"),
])
def test_opcat_needs_the_convention_first(project_root, status, opcat, message):
    write_country(project_root, "opcat", edited(
        ("  status: party\n  signed: 2010-01-05\n  instrument: ratification\n  deposited: 2012-03-01\n", f"  status: {status}\n"),
        ("opcat: not_party", f"opcat: {opcat}\n  opcat_deposited: 2015-01-01"),
    ))
    assert problems_of(project_root, "opcat") == [f"content/countries/opcat.yaml:5: uncat.opcat: {message}"]


# --- None of the inputs above gives a traceback from the real program -----------------------


def test_the_real_program_reports_every_gap_without_a_traceback(project_root):
    gaps = {
        "t1": edited(('start: "09:00"', "start: 9.30"), ("CTI/2027/101", "CTI/2027/111")),
        "t2": edited(('start: "09:00"', "start: 930"), ("CTI/2027/101", "CTI/2027/112")),
        "t3": edited(('start: "09:00"', "start: 1400"), ("CTI/2027/101", "CTI/2027/113")),
        "t4": edited(('start: "09:00"', "start: 9h30"), ("CTI/2027/101", "CTI/2027/114")),
        "t5": edited(('    end: "10:00"\n', "    end:\n"), ("CTI/2027/101", "CTI/2027/115")),
        "reply": edited(("reply_by: 2027-01-20", "reply_by: 2027-01-04"), ("CTI/2027/101", "CTI/2027/102")),
        "honorific": edited(("name: Ms Ana Costa", "name: H.E. Ms Ana Costa"), ("CTI/2027/101", "CTI/2027/103")),
        "arcadia": edited(("short_name: Testland", "short_name: Arcadia\nexample: true"), ("CTI/2027/101", "CTI/2027/104")),
        "seminar": edited(("  date: 2027-02-02", "  date: 2027-02-03"), ("CTI/2027/101", "CTI/2027/105")),
        "shared": edited(("CTI/2027/101", "CTI/2027/004")),  # the example's reference
    }
    for slug, text in gaps.items():
        write_country(project_root, slug, text)
    (project_root / "content" / "countries" / "Other.yml").write_text(BASE, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cti_briefings", "check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "error: " + IGNORED.format("Other.yml", "rename it to other.yaml")
    assert lines[-1] == "12 problems found; nothing was built, earlier packs are unchanged."
    assert all(line.startswith("error: content/countries/") for line in lines[:-1]), result.stderr
    for slug in [*gaps, "example"]:
        assert any(line.startswith(f"error: content/countries/{slug}.yaml:") for line in lines), slug


def test_a_last_contact_dated_after_today_is_an_error(project_root):
    write_country(project_root, "later", edited(("    venue: Ministry of Justice\n", "    venue: Ministry of Justice\n    last_contact: Video call with the Minister, March 2099.\n")))
    [problem] = problems_of(project_root, "later")
    assert problem.startswith("content/countries/later.yaml:34: meeting 1, last_contact: the last contact is dated March 2099, after today (")
    assert problem.endswith(") (give the date of the last contact that has taken place, or leave last_contact out)")


def test_a_seminar_agreed_before_the_invitation_is_sent_is_a_warning():
    agreed = Country.model_validate(yaml.safe_load(edited(("      other_countries: true\n", "      other_countries: true\n  agreed_with_government: true\n"))))
    [finding] = _agreed_before_invited(agreed, dt.date(2026, 12, 1))
    assert finding.severity == "warning"
    assert finding.message == ("the seminar programme is marked as agreed with the Government, but the invitation proposing "
                               "the visit is dated 5 January 2027, after today")
    assert finding.hint == "write 'agreed_with_government: false' until the Government has agreed it (the programme then reads 'draft, to be agreed')"
    # Once the invitation has gone out, the Government may have agreed it.
    assert not list(_agreed_before_invited(agreed, dt.date(2027, 1, 5)))
    assert not list(_agreed_before_invited(Country.model_validate(yaml.safe_load(BASE)), dt.date(2026, 12, 1)))


def test_a_response_on_a_committee_recommendation_is_an_error(project_root):
    recommendations = ("strategy:\n  recommendations:\n    - source: CAT\n      date: 2023-05-12\n      area: justice\n"
                       "      text: Amend the Penal Code.\n      response: accepted\n")
    write_country(project_root, "answered", BASE + recommendations)
    assert problems_of(project_root, "answered") == [
        "content/countries/answered.yaml:61: strategy recommendation 1, response: a recommendation of the Committee against Torture "
        "is not accepted or noted by the State; only a UPR recommendation is (remove 'response:')"
    ]


def test_a_meeting_with_a_context_but_no_lines_of_its_own_is_warned_of(project_root, caplog):
    write_country(project_root, "bare", edited(("    counterpart: {name: Ms Dora Pike, title: Inspector-General of Police}\n",
                                                "    counterpart: {name: Ms Dora Pike, title: Inspector-General of Police}\n    background: [The police hold some 900 people a night.]\n")))
    assert warnings_of(project_root, "bare", caplog) == [
        "content/countries/bare.yaml:42: meeting 2, background: this meeting has a context but no objectives or key messages of its own, "
        "so its brief will be general (add what the delegation wants from the meeting and one or two points to make, drawing on the context)"
    ]
