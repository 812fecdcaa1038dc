"""The rules CTI's own documents set for a visit, checked on validated content.

Each rule yields a Finding at the place in the country file that has to change. Errors stop the
build; warnings are printed and the build goes on (a 4-day visit is unusual, not wrong).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .schema import BriefContent, Country, MeetingKind, Reference, Seminar
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
        *_reply_date(country),
        *_honorifics(country),
        *_programme(country),
        *_delegation_names(country),
        *_treaty_dates(country),
        *_last_contacts(country, dt.date.today()),
        *_agreed_before_invited(country, dt.date.today()),
    ]


def check_reference(reference: Reference) -> list[Finding]:
    """Return every cross-reference in the shared reference data that points nowhere."""
    known_tools = {tool.key for tool in reference.tools}
    findings = []
    sources: list[tuple[str, str, BriefContent]] = [("portfolios", key, content) for key, content in reference.portfolios.items()]
    sources += [("meeting_kinds", key, content) for key, content in reference.meeting_kinds.items()]
    known_owners = set(reference.portfolios) | set(reference.meeting_kinds)
    for file, key, content in sources:
        for index, tool in enumerate(content.tools):
            if tool.key not in known_tools:
                findings.append(Finding((file, key, "tools", index), f"unknown tool '{tool.key}'", f"known tools: {', '.join(sorted(known_tools))}"))
        for part in ("objectives", "key_messages"):
            for index, item in enumerate(getattr(content, part)):
                if item.topic is not None and item.topic not in reference.topics:
                    findings.append(Finding((file, key, part, index, "topic"), f"unknown topic '{item.topic}'", f"topics: {', '.join(sorted(reference.topics))}"))
                for portfolio in item.when.portfolio or ():
                    if portfolio not in reference.portfolios and portfolio != "none":
                        findings.append(Finding((file, key, part, index, "when", "portfolio"), f"unknown portfolio '{portfolio}'", f"portfolios: {', '.join(sorted(reference.portfolios))}"))
    for topic_key, topic in reference.topics.items():
        for index, owner in enumerate(topic.owners):
            if owner not in known_owners:
                findings.append(Finding(("topics", topic_key, "owners", index), f"'{owner}' is neither a portfolio nor a meeting kind", "use a key of portfolios.yaml or meeting_kinds.yaml"))
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
        if meeting.background and not (meeting.objectives or meeting.key_messages) and meeting.kind != "detention_visit":
            # The context is printed, but no general line can use its facts: the brief reads as stock.
            yield Finding(("meetings", index, "background"), "this meeting has a context but no objectives or key messages of its own, so its brief will be general",
                          "add what the delegation wants from the meeting and one or two points to make, drawing on the context", "warning")
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
        if recommendation.response is not None and recommendation.source != "UPR":
            # Only a State under review accepts or notes a recommendation; the row would say so falsely.
            yield Finding(("strategy", "recommendations", index, "response"), f"a recommendation of {'the Committee against Torture' if recommendation.source == 'CAT' else 'another body'} is not accepted or noted by the State; only a UPR recommendation is", "remove 'response:'")


def _reply_date(country: Country) -> Iterator[Finding]:
    visit = country.visit
    reply_by = visit.reply_by
    if reply_by is None:
        return
    hint = "ask for a reply after the letter date and before the visit"
    if reply_by < visit.letter_date:
        yield Finding(("visit", "reply_by"), f"the reply is requested by {reply_by}, before the letter is dated ({visit.letter_date})", hint)
    elif reply_by == visit.letter_date:
        yield Finding(("visit", "reply_by"), f"the reply is requested by {reply_by}, the day the letter is dated", hint)
    if reply_by > visit.start:
        yield Finding(("visit", "reply_by"), f"the reply is requested by {reply_by}, after the visit starts ({visit.start})", hint)
    elif reply_by == visit.start:
        yield Finding(("visit", "reply_by"), f"the reply is requested by {reply_by}, the day the visit starts", hint)


# Forms of the same title, written as people write them; compared without dots, spaces or case.
_TITLE_FORMS = {
    "H.E.": ("H.E.", "His Excellency", "Her Excellency", "S.E."),
    "Hon.": ("Hon.", "Honourable", "Honorable", "The Honourable", "The Hon."),
    "Dr": ("Dr", "Doctor"),
    "Prof.": ("Prof.", "Professor"),
    "Mr": ("Mr", "Mister"),
    "Ms": ("Ms",),
    "Mrs": ("Mrs",),
    "Miss": ("Miss",),
}
_COURTESY_TITLES = ("Mr", "Ms", "Mrs", "Miss")
# Styles that belong in `honorific` ("H.E. Mr Andrés Pérez"); other titles belong in the name.
_HONORIFIC_STYLES = ("H.E.", "Hon.")


def _squeeze(text: str) -> str:
    # 'H. E.' and 'H.E.' are one title, 'Dr.' and 'Dr' too; the surname 'He' is not 'H.E.'.
    return "".join(text.split()).lower().rstrip(".")


def _title_of(text: str) -> str | None:
    """The title `text` is a form of, e.g. 'His Excellency' -> 'H.E.'."""
    squeezed = _squeeze(text)
    return next((title for title, forms in _TITLE_FORMS.items() if squeezed in {_squeeze(form) for form in forms}), None)


def leading_title(name: str) -> tuple[str, str, str] | None:
    """Split a title off the start of a name: 'H.E. Mr A' -> ('H.E.', 'H.E.', 'Mr A')."""
    words = name.split()
    for count in (3, 2, 1):
        if len(words) > count:
            written = " ".join(words[:count])
            title = _title_of(written)
            if title:
                return title, written, " ".join(words[count:])
    return None


def _people(country: Country) -> Iterator[tuple[Location, str | None, str | None]]:
    """Every person named in the file: (location, honorific, name)."""
    visit = country.visit
    yield ("visit", "addressee"), visit.addressee.honorific, visit.addressee.name
    if visit.signatory is not None:
        yield ("visit", "signatory"), visit.signatory.honorific, visit.signatory.name
    for index, member in enumerate(country.delegation):
        yield ("delegation", index), member.honorific, member.name
    for index, meeting in enumerate(country.meetings):
        yield ("meetings", index, "counterpart"), meeting.counterpart.honorific, meeting.counterpart.name


def _honorifics(country: Country) -> Iterator[Finding]:
    for location, honorific, name in _people(country):
        leading = leading_title(name) if name else None
        if not honorific or not name or leading is None:
            continue
        title, written, rest = leading
        printed = f"{honorific} {name}"
        if title == _title_of(honorific) and title in _HONORIFIC_STYLES:
            yield Finding((*location, "name"), f"starts with '{written}', which the honorific already gives: it would print '{printed}'", f"write the name as '{rest}'")
        elif title == _title_of(honorific):
            yield Finding((*location, "honorific"), f"'{honorific}' is also at the start of the name: it would print '{printed}'", f"delete this line; the name keeps its '{written}'")
        elif _title_of(honorific) in _COURTESY_TITLES and title in (*_COURTESY_TITLES, "Dr"):
            yield Finding((*location, "honorific"), f"'{honorific}' and the name's '{written}' are both titles: it would print '{printed}'", "delete this line; the name keeps its title")


def _programme(country: Country) -> Iterator[Finding]:
    """Meetings listed out of time order, and a seminar outside the visit or clashing with a meeting."""
    visit = country.visit
    for index, (earlier, later) in enumerate(zip(country.meetings, country.meetings[1:]), start=1):
        if (later.date, later.start) < (earlier.date, earlier.start):
            yield Finding(("meetings", index, "date"), f"this meeting ({later.date} {later.start:%H:%M}) happens before the one above ({earlier.date} {earlier.start:%H:%M})", "list meetings in the order they happen: the programme follows this order", "warning")
    seminar = country.seminar
    if seminar is None:
        return
    if not visit.start <= seminar.date <= visit.end:
        yield Finding(("seminar", "date"), f"the seminar on {seminar.date} is outside the visit ({visit.start} to {visit.end})", "move the seminar or change the visit dates")
    yield from _sessions_in_order(seminar)
    first, last = min(session.start for session in seminar.sessions), max(session.end for session in seminar.sessions)
    for index, meeting in enumerate(country.meetings):
        if meeting.date == seminar.date and meeting.start < last and first < meeting.end:
            yield Finding(("meetings", index, "start"), f"the meeting at {meeting.start:%H:%M}-{meeting.end:%H:%M} overlaps the seminar ({first:%H:%M}-{last:%H:%M} that day)", "move the meeting, or keep it if only part of the delegation attends the seminar", "warning")


def _sessions_in_order(seminar: Seminar) -> Iterator[Finding]:
    for index, (earlier, later) in enumerate(zip(seminar.sessions, seminar.sessions[1:]), start=1):
        if later.start < earlier.end:
            yield Finding(("seminar", "sessions", index, "start"), f"this session starts at {later.start:%H:%M}, before the one above ends at {earlier.end:%H:%M}", "check the times; sessions are listed in the order they happen", "warning")


def _delegation_names(country: Country) -> Iterator[Finding]:
    """A member listed twice, and meeting participants who are not in the delegation."""
    seen: dict[str, int] = {}
    for index, member in enumerate(country.delegation):
        key = _squeeze(member.name)
        if key in seen:
            yield Finding(("delegation", index, "name"), f"'{member.name}' is already delegation member {seen[key] + 1}", "remove one of them")
        seen.setdefault(key, index)
    # A participant may be written with the member's honorific or without it.
    known = {*seen, *(_squeeze(f"{member.honorific} {member.name}") for member in country.delegation if member.honorific)}
    names = ", ".join(member.name for member in country.delegation)
    for index, meeting in enumerate(country.meetings):
        for position, participant in enumerate(meeting.participants):
            if _squeeze(participant) not in known:
                yield Finding(("meetings", index, "participants", position), f"'{participant}' is not in the delegation", f"write the name as in the delegation: {names}", "warning")


def _treaty_dates(country: Country) -> Iterator[Finding]:
    """Dates of the treaty record that contradict each other, and OPCAT without UNCAT (OPCAT article 27)."""
    uncat = country.uncat
    if uncat.signed and uncat.deposited and uncat.deposited < uncat.signed:
        yield Finding(("uncat", "deposited"), f"the instrument is deposited on {uncat.deposited}, before the Convention was signed ({uncat.signed})", "correct one of the dates")
    for index, report in enumerate(uncat.reports):
        if uncat.deposited and report.submitted < uncat.deposited:
            yield Finding(("uncat", "reports", index, "submitted"), f"the report is submitted on {report.submitted}, before the State became a party ({uncat.deposited})", "correct the date")
        if report.reviewed and report.reviewed < report.submitted:
            yield Finding(("uncat", "reports", index, "reviewed"), f"the report is reviewed on {report.reviewed}, before it was submitted ({report.submitted})", "correct one of the dates")
    for index, (earlier, later) in enumerate(zip(uncat.reports, uncat.reports[1:]), start=1):
        if later.submitted < earlier.submitted:
            yield Finding(("uncat", "reports", index, "submitted"), f"this report ({later.submitted}) is older than the one above ({earlier.submitted})", "list the reports oldest first")
    if uncat.opcat != "not_party" and uncat.status == "not_party":
        yield Finding(("uncat", "opcat"), f"OPCAT status is '{uncat.opcat}', but the State has not signed the Convention", "only a State that has signed the Convention can sign the Optional Protocol; correct 'opcat' or 'status'")
    elif uncat.opcat == "party" and uncat.status != "party":
        yield Finding(("uncat", "opcat"), "the State is a party to OPCAT but not to the Convention", "only a State party to the Convention can join the Optional Protocol; correct 'opcat' or 'status'")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_MONTH_AND_YEAR = re.compile(rf"\b({'|'.join(_MONTHS)})\s+(\d{{4}})\b")


def _last_contacts(country: Country, today: dt.date) -> Iterator[Finding]:
    """A last contact cannot lie after the day the pack is prepared: it is a past meeting."""
    for index, meeting in enumerate(country.meetings):
        if not meeting.last_contact:
            continue
        for month, year in _MONTH_AND_YEAR.findall(meeting.last_contact):
            when = dt.date(int(year), _MONTHS.index(month) + 1, 1)
            if when > today:
                yield Finding(
                    ("meetings", index, "last_contact"),
                    f"the last contact is dated {month} {year}, after today ({today.day} {_MONTHS[today.month - 1]} {today.year})",
                    "give the date of the last contact that has taken place, or leave last_contact out",
                )


def _agreed_before_invited(country: Country, today: dt.date) -> Iterator[Finding]:
    """A seminar programme cannot be agreed with a Government that has not yet received the invitation proposing it."""
    seminar, visit = country.seminar, country.visit
    if seminar is not None and seminar.agreed_with_government and visit.letter_date > today:
        yield Finding(
            ("seminar", "agreed_with_government"),
            f"the {seminar.kind} programme is marked as agreed with the Government, but the invitation proposing the visit is dated {visit.letter_date:%-d %B %Y}, after today",
            "write 'agreed_with_government: false' until the Government has agreed it (the programme then reads 'draft, to be agreed')",
            "warning",
        )
