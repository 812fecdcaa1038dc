"""The rules CTI's own documents set for a visit, checked on validated content.

Each rule yields a Finding at the place in the country file that has to change. Errors stop the
build; warnings are printed and the build goes on (a 4-day visit is unusual, not wrong).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .schema import BriefContent, Country, MeetingKind, Reference
from .yamlfile import Location

HEAD_RANKS = ("minister", "ambassador")
VISIT_DAYS = (1, 3)
PORTFOLIO_KINDS = ("ministerial", "official", "detention_visit")  # briefs that need a portfolio's subject matter
DELEGATION_SIZE = (3, 5)


@dataclass(frozen=True)
class Finding:
    location: Location
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"


def check_country(country: Country, reference: Reference) -> list[Finding]:
    """Return every rule the country file breaks, errors and warnings alike."""
    return [
        *_visit_dates(country),
        *_delegation(country, reference),
        *_meetings(country, reference),
        *_seminar(country),
        *_treaty_status(country),
        *_strategy(country, reference),
    ]


def check_reference(reference: Reference) -> list[Finding]:
    """Return every cross-reference in the shared reference data that points nowhere."""
    known_tools = {tool.key for tool in reference.tools}
    findings = []
    sources: list[tuple[str, str, BriefContent]] = [("portfolios", key, content) for key, content in reference.portfolios.items()]
    sources += [("meeting_kinds", key, content) for key, content in reference.meeting_kinds.items()]
    for file, key, content in sources:
        for index, tool in enumerate(content.tools):
            if tool.key not in known_tools:
                findings.append(Finding((file, key, "tools", index), f"unknown tool '{tool.key}'", f"known tools: {', '.join(sorted(known_tools))}"))
    for kind in typing.get_args(MeetingKind):
        if kind not in reference.meeting_kinds:
            findings.append(Finding(("meeting_kinds",), f"no entry for the meeting kind '{kind}'", f"add '{kind}:' with its label, objectives, key messages and questions"))
    steps = [step.number for phase in reference.strategy.phases for step in phase.steps]
    if sorted(steps) != list(range(1, 13)):
        findings.append(Finding(("strategy", "phases"), "the phases must hold steps 1 to 12, each once", f"found {steps}"))
    return findings


def _visit_dates(country: Country) -> Iterator[Finding]:
    visit = country.visit
    if visit.end < visit.start:
        yield Finding(("visit", "end"), f"the visit ends ({visit.end}) before it starts ({visit.start})", "swap the dates or correct one of them")
        return
    days = (visit.end - visit.start).days + 1
    low, high = VISIT_DAYS
    if not low <= days <= high:
        yield Finding(("visit", "end"), f"the visit lasts {days} days; CTI visits usually take {low} to {high} days", "shorten it, or keep it if agreed with the Government", "warning")
    if visit.letter_date > visit.start:
        yield Finding(("visit", "letter_date"), f"the invitation is dated {visit.letter_date}, after the visit starts", "date the letter before the visit")
    if visit.reply_by and visit.reply_by > visit.start:
        yield Finding(("visit", "reply_by"), "the reply is requested after the visit starts", "ask for a reply before the visit")


def _delegation(country: Country, reference: Reference) -> Iterator[Finding]:
    members = country.delegation
    low, high = DELEGATION_SIZE
    if not low <= len(members) <= high:
        yield Finding(("delegation",), f"the delegation has {len(members)} members; CTI delegations usually have {low} to {high}", "add or remove members, or keep it if agreed", "warning")
    heads = [index for index, member in enumerate(members) if member.role == "head"]
    if not heads:
        yield Finding(("delegation",), "no member has role: head", "mark the head of delegation with 'role: head'")
        return
    for extra in heads[1:]:
        yield Finding(("delegation", extra, "role"), "a delegation has one head; this is the second", "change this member's role to 'member'")
    index = heads[0]
    head = members[index]
    if head.rank not in HEAD_RANKS:
        yield Finding(("delegation", index, "rank"), f"the head of delegation is of rank '{head.rank}'; it must be of ministerial or ambassadorial rank", "use 'minister' or 'ambassador', or choose another head")
    core_states = [state.name for state in reference.core_states]
    if head.state not in core_states:
        found = f"'{head.state}' is not" if head.state else "no State is given; the head must be"
        yield Finding(("delegation", index, "state"), f"{found} a CTI Core State", f"Core States: {', '.join(core_states)}")


def _meetings(country: Country, reference: Reference) -> Iterator[Finding]:
    visit = country.visit
    for index, meeting in enumerate(country.meetings):
        if not visit.start <= meeting.date <= visit.end:
            yield Finding(("meetings", index, "date"), f"the meeting on {meeting.date} is outside the visit ({visit.start} to {visit.end})", "move the meeting or change the visit dates")
        if meeting.end <= meeting.start:
            yield Finding(("meetings", index, "end"), f"the meeting ends at {meeting.end:%H:%M}, not after it starts at {meeting.start:%H:%M}", "correct the start or end time")
        if meeting.kind == "detention_visit" and not meeting.at_government_direction:
            yield Finding(("meetings", index, "at_government_direction"), "a visit to a place of detention happens only at the Government's direction", "add 'at_government_direction: true' once the Government has proposed it, or remove the visit")
        if meeting.portfolio is not None and meeting.portfolio not in reference.portfolios:
            yield Finding(("meetings", index, "portfolio"), f"unknown portfolio '{meeting.portfolio}'", f"known portfolios: {', '.join(sorted(reference.portfolios))}")
        if meeting.portfolio is None and meeting.kind in PORTFOLIO_KINDS:
            yield Finding(("meetings", index, "portfolio"), f"a meeting of kind '{meeting.kind}' needs a portfolio", f"add 'portfolio:' (known portfolios: {', '.join(sorted(reference.portfolios))})")
        if meeting.is_npm and not country.uncat.npm:
            yield Finding(("meetings", index, "is_npm"), "the counterpart is marked as the national preventive mechanism, but no mechanism is recorded", "add 'npm:' (its name) under uncat, or remove 'is_npm'")
    for index, (earlier, later) in enumerate(zip(country.meetings, country.meetings[1:]), start=1):
        if (later.date, later.start) < (earlier.date, earlier.end) and (later.date, later.start) >= (earlier.date, earlier.start):
            yield Finding(("meetings", index, "start"), f"this meeting starts at {later.start:%H:%M}, before the one above ends at {earlier.end:%H:%M}", "check the times; meetings are listed in the order they happen", "warning")


def _seminar(country: Country) -> Iterator[Finding]:
    seminar = country.seminar
    if seminar is None:
        return
    if not any(session.other_countries for session in seminar.sessions):
        yield Finding(("seminar", "sessions"), "no session is marked 'other_countries: true'", "CTI seminars share other countries' experience; mark the session that does", "warning")
    for index, session in enumerate(seminar.sessions):
        if session.end <= session.start:
            yield Finding(("seminar", "sessions", index, "end"), f"the session ends at {session.end:%H:%M}, not after it starts at {session.start:%H:%M}", "correct the start or end time")


def _treaty_status(country: Country) -> Iterator[Finding]:
    uncat = country.uncat
    if uncat.status == "party" and uncat.deposited is None:
        yield Finding(("uncat", "deposited"), "a State party needs the date its instrument was deposited", "add 'deposited: YYYY-MM-DD' under uncat")
    if uncat.status != "party" and uncat.deposited is not None:
        yield Finding(("uncat", "status"), f"status is '{uncat.status}' but a deposit date is given", "set 'status: party', or remove 'deposited'")
    if uncat.status == "party" and uncat.instrument is None:
        yield Finding(("uncat", "instrument"), "a State party needs its instrument", "add 'instrument: ratification' or 'instrument: accession'")
    if uncat.status != "party" and uncat.reports:
        yield Finding(("uncat", "reports"), "only a State party reports to the Committee against Torture", "remove the reports or correct the status")
    if uncat.status == "signatory" and uncat.instrument == "accession":
        yield Finding(("uncat", "instrument"), "a State that has signed the Convention joins it by ratification, not accession", "write 'instrument: ratification', or leave it out")
    if uncat.status == "not_party" and uncat.signed is None and uncat.instrument == "ratification":
        yield Finding(("uncat", "instrument"), "a State that has not signed the Convention joins it by accession", "write 'instrument: accession', or leave it out")
    if uncat.status != "party" and (uncat.next_report_due or uncat.simplified_procedure is not None):
        yield Finding(("uncat", "next_report_due"), "only a State party reports to the Committee against Torture", "remove the reporting fields or correct the status")
    if uncat.opcat == "party" and uncat.opcat_deposited is None:
        yield Finding(("uncat", "opcat_deposited"), "a State party to OPCAT needs the date it deposited its instrument", "add 'opcat_deposited: YYYY-MM-DD' under uncat")


def _strategy(country: Country, reference: Reference) -> Iterator[Finding]:
    areas = {area.key for area in reference.strategy.areas}
    for index, recommendation in enumerate(country.strategy.recommendations):
        if recommendation.area not in areas:
            yield Finding(("strategy", "recommendations", index, "area"), f"unknown area '{recommendation.area}'", f"areas: {', '.join(sorted(areas))}")
        for position, portfolio in enumerate(recommendation.portfolios):
            if portfolio not in reference.portfolios:
                yield Finding(("strategy", "recommendations", index, "portfolios", position), f"unknown portfolio '{portfolio}'", f"known portfolios: {', '.join(sorted(reference.portfolios))}")
        if recommendation.source == "other" and not recommendation.body:
            yield Finding(("strategy", "recommendations", index, "body"), "a recommendation from another source needs the body that made it", "add 'body: ...'")
