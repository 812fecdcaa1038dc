"""Dates derived from the content, never typed: entry into force, report due dates, ages.

Everything is computed as of one build date, which can be fixed for reproducible packs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # build_date is used where the schema is not loaded (the up-to-date check)
    from .schema import Report, UncatStatus

ENTRY_INTO_FORCE_DAYS = 30  # UNCAT Art. 27: in force on the 30th day after deposit.
INITIAL_REPORT_YEARS = 1  # Art. 19: initial report within one year of entry into force...
PERIODIC_REPORT_YEARS = 4  # ...then supplementary reports every four years.


def build_date(fixed: dt.date | None = None) -> dt.date:
    """Return the date a pack is built 'as of': the fixed date, SOURCE_DATE_EPOCH, or today."""
    if fixed is not None:
        return fixed
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day and month `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def entry_into_force(deposited: dt.date) -> dt.date:
    return deposited + dt.timedelta(days=ENTRY_INTO_FORCE_DAYS)


@dataclass(frozen=True)
class ReportDue:
    """The next report a State party owes the Committee against Torture."""

    kind: str  # "initial" or "periodic"
    due: dt.date
    days_overdue: int  # 0 when due today or later

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def next_report_due(uncat: UncatStatus, as_of: dt.date) -> ReportDue | None:
    """Return the next report due under Article 19, or None for a State not yet party."""
    if uncat.status != "party" or uncat.deposited is None:
        return None
    initial_due = add_years(entry_into_force(uncat.deposited), INITIAL_REPORT_YEARS)
    submitted = len(uncat.reports)
    if submitted == 0:
        kind, due = "initial", initial_due
    else:
        kind, due = "periodic", add_years(initial_due, PERIODIC_REPORT_YEARS * submitted)
    return ReportDue(kind, due, max(0, (as_of - due).days))


def last_report(reports: tuple[Report, ...]) -> Report | None:
    return max(reports, key=lambda report: report.submitted, default=None)


def visit_days(start: dt.date, end: dt.date) -> int:
    """Number of calendar days of a visit, both ends included."""
    return (end - start).days + 1


def whole_years_between(earlier: dt.date, later: dt.date) -> int:
    """Completed years from `earlier` to `later` (0 if later comes first)."""
    years = later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))
    return max(0, years)


def age_in_words(made: dt.date, as_of: dt.date) -> str:
    """How old a recommendation is, as a brief says it: 'under a year', '1 year', '3 years'."""
    years = whole_years_between(made, as_of)
    if years == 0:
        return "under a year"
    return "1 year" if years == 1 else f"{years} years"
