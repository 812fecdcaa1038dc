"""Computed dates: entry into force, report due dates and ages, at their edges."""

from __future__ import annotations

import datetime as dt

import pytest

from cti_briefings.schema import Report, UncatStatus
from cti_briefings.timeline import add_years, age_in_words, build_date, entry_into_force, next_report_due, visit_days

D = dt.date


def party(deposited: dt.date, *submitted: dt.date) -> UncatStatus:
    return UncatStatus(status="party", instrument="ratification", deposited=deposited, reports=tuple(Report(kind="periodic", submitted=day) for day in submitted))


def test_entry_into_force_is_the_thirtieth_day_after_deposit():
    assert entry_into_force(D(2018, 5, 31)) == D(2018, 6, 30)
    assert entry_into_force(D(2024, 2, 1)) == D(2024, 3, 2)  # across a leap February
    assert entry_into_force(D(2023, 2, 1)) == D(2023, 3, 3)


def test_add_years_moves_29_february_to_28_february():
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2023, 3, 1), 1) == D(2024, 3, 1)


def test_initial_report_due_one_year_after_entry_into_force():
    due = next_report_due(party(D(2023, 1, 30)), as_of=D(2023, 6, 1))  # in force 1 March 2023
    assert (due.kind, due.due, due.overdue) == ("initial", D(2024, 3, 1), False)


def test_report_due_today_is_not_overdue_and_tomorrow_it_is():
    status = party(D(2023, 1, 30))
    assert next_report_due(status, as_of=D(2024, 3, 1)).days_overdue == 0
    assert not next_report_due(status, as_of=D(2024, 3, 1)).overdue
    assert next_report_due(status, as_of=D(2024, 3, 2)).days_overdue == 1


def test_periodic_reports_every_four_years_after_the_initial_one():
    status = party(D(2019, 3, 14), D(2021, 9, 1))  # in force 13 April 2019, initial due 13 April 2020
    due = next_report_due(status, as_of=D(2026, 11, 22))
    assert (due.kind, due.due) == ("periodic", D(2024, 4, 13))
    assert due.days_overdue == (D(2026, 11, 22) - D(2024, 4, 13)).days


def test_entry_into_force_on_29_february_gives_28_february_due_date():
    due = next_report_due(party(D(2024, 1, 30)), as_of=D(2024, 6, 1))  # in force 29 February 2024
    assert due.due == D(2025, 2, 28)


def test_no_report_is_due_from_a_state_not_yet_party():
    assert next_report_due(UncatStatus(status="signatory"), as_of=D(2026, 1, 1)) is None


@pytest.mark.parametrize(("made", "as_of", "words"), [
    (D(2024, 11, 22), D(2025, 11, 21), "under a year"),
    (D(2024, 11, 22), D(2025, 11, 22), "1 year"),
    (D(2020, 2, 29), D(2024, 2, 28), "3 years"),
    (D(2020, 2, 29), D(2024, 2, 29), "4 years"),
])
def test_age_of_a_recommendation(made, as_of, words):
    assert age_in_words(made, as_of) == words


def test_visit_days_counts_both_ends():
    assert visit_days(D(2027, 2, 28), D(2027, 3, 1)) == 2
    assert visit_days(D(2028, 2, 28), D(2028, 3, 1)) == 3


def test_build_date_can_be_fixed(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")
    assert build_date() == D(2026, 11, 22)
    assert build_date(D(2027, 1, 1)) == D(2027, 1, 1)
