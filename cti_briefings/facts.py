"""The State's facts that choose what a pack says, and the selection of reference items by them.

Reference items (objectives, key messages, questions, tools, invitation paragraphs) carry
declarative `when:` conditions (schema.Condition); this module works out the facts of one State
(and of one meeting) from the country file and keeps the items whose conditions hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .schema import Condition, Country, Instrument, Meeting, StrategyStage, TreatyStatus
from .timeline import add_years, entry_into_force

INITIAL_REPORT_YEARS = 1  # Art. 19: the initial report is due one year after entry into force.
PERIODIC_ESTIMATE_YEARS = 4  # Art. 19: periodic reports every four years (an estimate only).


@dataclass(frozen=True)
class ReportingFacts:
    """What is known of a State party's reporting, and what is only an estimate."""

    next_kind: str
    """'initial' or 'periodic'."""
    due: dt.date | None
    """Date the next report is due, when the Convention or the Committee set it."""
    due_source: str
    """'convention' (initial report, Art. 19), 'committee' (a date the Committee set) or 'estimate'."""
    estimate: dt.date | None
    """An estimate when no date is set: four years after the last report was reviewed."""
    overdue: bool
    """True only when a set date (the Convention's or the Committee's) has passed without a report."""
    days_overdue: int
    reviewed: dt.date | None
    """When the Committee last adopted concluding observations."""
    submitted: dt.date | None
    """When the last report was submitted."""
    awaiting_review: bool
    """True when the last report has been submitted but not yet reviewed."""


@dataclass(frozen=True)
class StateFacts:
    """The facts conditions are written against (see schema.Condition)."""

    uncat: TreatyStatus
    joins_by: Instrument
    opcat: TreatyStatus
    npm: bool
    reviewed: bool
    report_overdue: bool
    simplified_procedure: bool | None
    seminar: bool
    strategy: StrategyStage
    reporting: ReportingFacts | None
    upr_recommendations: bool = False
    invited: bool = False
    """The Government asked for the visit."""
    parliament_approves: bool = False
    """The constitution requires Parliament's approval for the State to join (as recorded)."""
    priorities: bool = False
    """The Government has named priorities for the visit."""
    reports_coordinated_by: str | None = None
    """The office that coordinates the State's reports to the Committee, when recorded."""


def joining_instrument(country: Country) -> Instrument:
    """How the State joined or would join: as recorded, else a signatory ratifies and others accede."""
    uncat = country.uncat
    if uncat.instrument:
        return uncat.instrument
    return "ratification" if uncat.status == "signatory" or uncat.signed else "accession"


def strategy_stage(country: Country) -> StrategyStage:
    """The strategy's stage as recorded, else 'none' when nothing about a strategy is recorded."""
    plan = country.strategy
    if plan.stage:
        return plan.stage
    if plan.steps.get(4) and plan.steps[4].status == "done":
        return "adopted"
    return "in development" if plan.steps or plan.lead_agency else "none"


def reporting_facts(country: Country, as_of: dt.date) -> ReportingFacts | None:
    """Return the reporting facts of a State party (None for a State not yet party)."""
    uncat = country.uncat
    if uncat.status != "party" or uncat.deposited is None:
        return None
    reports = sorted(uncat.reports, key=lambda report: report.submitted)
    last = reports[-1] if reports else None
    last_review = max((report.reviewed for report in reports if report.reviewed), default=None)
    due: dt.date | None
    if last is None:
        kind, due, source, estimate = "initial", add_years(entry_into_force(uncat.deposited), INITIAL_REPORT_YEARS), "convention", None
    else:
        kind, due = "periodic", uncat.next_report_due
        source = "committee" if due else "estimate"
        estimate = add_years(last_review, PERIODIC_ESTIMATE_YEARS) if due is None and last_review else None
    # Only a set date that has passed with no report submitted since makes a report overdue.
    met = due is not None and last is not None and last.submitted >= due
    days = (as_of - due).days if due is not None and not met else 0
    return ReportingFacts(
        next_kind=kind,
        due=due,
        due_source=source,
        estimate=estimate,
        overdue=days > 0,
        days_overdue=max(0, days),
        reviewed=last_review,
        submitted=last.submitted if last else None,
        awaiting_review=bool(last and last.reviewed is None),
    )


def state_facts(country: Country, as_of: dt.date) -> StateFacts:
    """Work out the facts of one State as of the build date."""
    uncat = country.uncat
    reporting = reporting_facts(country, as_of)
    return StateFacts(
        uncat=uncat.status,
        joins_by=joining_instrument(country),
        opcat=uncat.opcat,
        npm=uncat.npm is not None,
        reviewed=bool(reporting and reporting.reviewed),
        report_overdue=bool(reporting and reporting.overdue),
        simplified_procedure=uncat.simplified_procedure,
        seminar=country.seminar is not None,
        strategy=strategy_stage(country),
        reporting=reporting,
        upr_recommendations=any(item.source == "UPR" for item in country.strategy.recommendations),
        invited=country.visit.requested_by_government,
        parliament_approves=bool(uncat.parliament_approves),
        priorities=bool(country.visit.priorities),
        reports_coordinated_by=uncat.reports_coordinated_by,
    )


def applies(condition: Condition, facts: StateFacts, meeting: Meeting | None = None) -> bool:
    """True when every condition given holds for this State (and meeting)."""
    checks: list[bool] = []
    if condition.uncat is not None:
        checks.append(facts.uncat in condition.uncat)
    if condition.joins_by is not None:
        checks.append(facts.joins_by in condition.joins_by)
    if condition.opcat is not None:
        checks.append(facts.opcat in condition.opcat)
    if condition.npm is not None:
        checks.append(facts.npm == condition.npm)
    if condition.counterpart_is_npm is not None:
        checks.append(bool(meeting and meeting.is_npm) == condition.counterpart_is_npm)
    if condition.counterpart_coordinates_reports is not None:
        checks.append(coordinates_reports(facts, meeting) == condition.counterpart_coordinates_reports)
    if condition.reviewed is not None:
        checks.append(facts.reviewed == condition.reviewed)
    if condition.report_overdue is not None:
        checks.append(facts.report_overdue == condition.report_overdue)
    if condition.simplified_procedure is not None:
        checks.append(bool(facts.simplified_procedure) == condition.simplified_procedure)
    if condition.seminar is not None:
        checks.append(facts.seminar == condition.seminar)
    if condition.strategy is not None:
        checks.append(facts.strategy in condition.strategy)
    if condition.upr_recommendations is not None:
        checks.append(facts.upr_recommendations == condition.upr_recommendations)
    if condition.portfolio is not None:
        checks.append(bool(meeting and (meeting.portfolio or "none") in condition.portfolio))
    if condition.briefed is not None:
        checks.append(bool(meeting and meeting.background) == condition.briefed)
    if condition.kind is not None:
        checks.append(bool(meeting and meeting.kind in condition.kind))
    if condition.invited is not None:
        checks.append(facts.invited == condition.invited)
    if condition.parliament_approves is not None:
        checks.append(facts.parliament_approves == condition.parliament_approves)
    if condition.priorities is not None:
        checks.append(facts.priorities == condition.priorities)
    return all(checks)


def coordinates_reports(facts: StateFacts, meeting: Meeting | None) -> bool:
    """True when one of the meeting's counterparts is the office that coordinates the State's reports."""
    coordinator = (facts.reports_coordinated_by or "").casefold()
    return bool(meeting and coordinator and any(coordinator in {(person.office or "").casefold(), (person.name or "").casefold()} for person in meeting.counterparts))


class _Conditional(Protocol):
    @property
    def when(self) -> Condition: ...


Conditional = TypeVar("Conditional", bound=_Conditional)


def select(items: Iterable[Conditional], facts: StateFacts, meeting: Meeting | None = None) -> list[Conditional]:
    """Keep the items whose `when:` holds, in their order."""
    return [item for item in items if applies(item.when, facts, meeting)]
