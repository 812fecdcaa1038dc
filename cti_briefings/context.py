"""What templates see: plain data made from validated content, with computed values added.

Templates get dicts, lists, strings and dates only (no model objects), so a template tag can
reach data and nothing else. The names here are the tags staff use in Word: see README.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .schema import Country, DelegationMember, Meeting, Person, Recommendation, Reference
from .timeline import age_in_words, entry_into_force, last_report, next_report_due, visit_days

KIND_LABELS = {
    "ministerial": "Ministerial meeting",
    "official": "Meeting with senior officials",
    "stakeholder": "Meeting with stakeholders",
    "group_of_friends": "Group of Friends",
    "united_nations": "United Nations",
    "regional": "Regional organisation",
    "civil_society": "Civil society",
    "detention_visit": "Visit to a place of deprivation of liberty",
}
PARTNER_KINDS = ("group_of_friends", "united_nations", "regional", "civil_society")
ROLE_LABELS = {"head": "Head of delegation", "member": "Member", "secretariat": "CTI Secretariat"}
STATUS_LABELS = {"not_party": "not a party", "signatory": "signatory", "party": "State party"}
STEP_STATUS_LABELS = {"not started": "Not started", "planned": "Planned", "in progress": "In progress", "done": "Done"}
SOURCE_LABELS = {"CAT": "Committee against Torture", "UPR": "Universal Periodic Review"}


def pack_context(country: Country, reference: Reference, as_of: dt.date) -> dict[str, Any]:
    """Return the values shared by every document of a country's pack."""
    visit = country.visit
    formal_name = f"{country.article} {country.name}".strip()
    delegation = [_member(member) for member in country.delegation]
    meetings = [_meeting(number, meeting, reference) for number, meeting in enumerate(country.meetings, start=1)]
    return {
        "country": {
            "name": country.name,
            "short_name": country.short_name,
            "formal_name": formal_name,
            "example": country.example,
        },
        "government": f"Government of {formal_name}",
        "cti": {"core_states": [state.name for state in reference.core_states]},
        "marking": country.marking,
        "pack": {"date": as_of, "version": country.pack_version, "marking": country.marking},
        "visit": {
            "reference": visit.reference,
            "letter_date": visit.letter_date,
            "letter_form": visit.letter_form,
            "is_note_verbale": visit.letter_form == "note_verbale",
            "start": visit.start,
            "end": visit.end,
            "days": visit_days(visit.start, visit.end),
            "days_until": (visit.start - as_of).days,
            "city": visit.city,
            "addressee": {**_person(visit.addressee), "salutation": visit.addressee.salutation, "address": list(visit.addressee.address)},
            "signatory": _person(visit.signatory),
            "priorities": list(visit.priorities),
            "reply_by": visit.reply_by,
        },
        "delegation": delegation,
        "head": next(member for member in delegation if member["role"] == "head"),
        "meetings": meetings,
        "programme_days": _programme_days(meetings, visit.start, visit.end),
        "partner_meetings": [meeting for meeting in meetings if meeting["kind"] in PARTNER_KINDS],
        "detention_visits": [meeting for meeting in meetings if meeting["kind"] == "detention_visit"],
        "portfolios_met": _unique(meeting["portfolio"]["title"] for meeting in meetings if meeting["kind"] in ("ministerial", "official")),
        "seminar": _seminar(country),
        "status": _status(country, as_of),
        "roadmap": _roadmap(country, reference, as_of),
    }


def brief_context(shared: dict[str, Any], country: Country, reference: Reference, index: int, as_of: dt.date) -> dict[str, Any]:
    """Return the context of the meeting brief for meeting number `index` (0-based)."""
    meeting = country.meetings[index]
    portfolio = reference.portfolios[meeting.portfolio]
    tools = {tool.key: tool.title for tool in reference.tools}
    articles = {article.number: article.summary for article in reference.articles}
    key_messages = list(meeting.key_messages) if meeting.replace_key_messages else [*portfolio.key_messages, *meeting.key_messages]
    recommendations = [_recommendation(item, as_of) for item in country.strategy.recommendations if meeting.portfolio in item.portfolios]
    return {
        **shared,
        "meeting": shared["meetings"][index],
        "brief": {
            "number": index + 1,
            "count": len(country.meetings),
            "objectives": [*portfolio.objectives, *meeting.objectives],
            "key_messages": key_messages,
            "questions": [question.model_dump() for question in (*portfolio.questions, *meeting.questions)],
            "articles": [{"number": number, "summary": articles.get(number, "")} for number in portfolio.articles],
            "tools": [tools[key] for key in portfolio.tools if key in tools],
            "recommendations": recommendations,
            "background": list(meeting.background),
            "last_contact": meeting.last_contact,
        },
    }


def _full_name(honorific: str | None, name: str) -> str:
    return f"{honorific} {name}" if honorific else name


def _person(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "honorific": person.honorific or "",
        "full_name": _full_name(person.honorific, person.name),
        "title": person.title,
        "office": person.office or "",
        "bio": person.bio or "",
    }


def _member(member: DelegationMember) -> dict[str, Any]:
    return {
        "name": member.name,
        "full_name": _full_name(member.honorific, member.name),
        "position": member.position,
        # 'Ambassador of Ghana' needs no '(Ghana)'; 'Legal expert' does.
        "position_and_state": f"{member.position} ({member.state})" if member.state and member.state not in member.position else member.position,
        "role": member.role,
        "role_label": ROLE_LABELS[member.role],
        "rank": member.rank,
        "state": member.state or "",
    }


def _meeting(number: int, meeting: Meeting, reference: Reference) -> dict[str, Any]:
    portfolio = reference.portfolios[meeting.portfolio]
    return {
        "number": number,
        "date": meeting.date,
        "start": meeting.start,
        "end": meeting.end,
        "kind": meeting.kind,
        "kind_label": KIND_LABELS[meeting.kind],
        "portfolio": {"key": meeting.portfolio, "title": portfolio.title},
        "counterpart": _person(meeting.counterpart),
        "venue": meeting.venue,
        "participants": ", ".join(meeting.participants) if meeting.participants else "Full delegation",
        "at_government_direction": meeting.at_government_direction,
    }


def _programme_days(meetings: list[dict], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    days = []
    for offset in range(visit_days(start, end)):
        day = start + dt.timedelta(days=offset)
        days.append({"number": offset + 1, "date": day, "meetings": [m for m in meetings if m["date"] == day]})
    return days


def _seminar(country: Country) -> dict[str, Any] | None:
    seminar = country.seminar
    if seminar is None:
        return None
    return {
        **seminar.model_dump(),
        "kind_label": seminar.kind.capitalize(),
        "sessions": [session.model_dump() for session in seminar.sessions],
    }


def _status(country: Country, as_of: dt.date) -> dict[str, Any]:
    uncat = country.uncat
    due = next_report_due(uncat, as_of)
    latest = last_report(uncat.reports)
    return {
        "uncat": uncat.status,
        "uncat_label": STATUS_LABELS[uncat.status],
        "is_party": uncat.status == "party",
        "signed": uncat.signed,
        "instrument": uncat.instrument or "",
        "deposited": uncat.deposited,
        "entry_into_force": entry_into_force(uncat.deposited) if uncat.deposited else None,
        "article_20_opt_out": uncat.article_20_opt_out,
        "article_21_declaration": uncat.article_21_declaration,
        "article_22_declaration": uncat.article_22_declaration,
        "opcat": uncat.opcat,
        "opcat_label": STATUS_LABELS[uncat.opcat],
        "opcat_deposited": uncat.opcat_deposited,
        "npm": uncat.npm or "",
        "reports": [report.model_dump() for report in uncat.reports],
        "last_report": latest.model_dump() if latest else None,
        "next_report": {"kind": due.kind, "due": due.due, "overdue": due.overdue, "days_overdue": due.days_overdue} if due else None,
        "upr_last_review": uncat.upr_last_review,
    }


def _recommendation(item: Recommendation, as_of: dt.date) -> dict[str, Any]:
    return {
        **item.model_dump(),
        "source_label": item.body if item.source == "other" else SOURCE_LABELS[item.source],
        "age": age_in_words(item.date, as_of),
    }


def _roadmap(country: Country, reference: Reference, as_of: dt.date) -> dict[str, Any]:
    plan = country.strategy
    phases = []
    for phase in reference.strategy.phases:
        steps = []
        for step in phase.steps:
            progress = plan.steps.get(step.number)
            steps.append({
                "number": step.number,
                "text": step.text,
                "status": STEP_STATUS_LABELS[progress.status] if progress else STEP_STATUS_LABELS["not started"],
                # The lead agency is named once above the table; repeating it row by row hides the exceptions.
                "lead": progress.lead if progress and progress.lead else "Lead agency" if plan.lead_agency else "To be agreed",
                "target": progress.target if progress else None,
                "notes": (progress.notes if progress else None) or "",
            })
        phases.append({"title": phase.title, "steps": steps})
    areas = []
    for area in reference.strategy.areas:
        items = [_recommendation(item, as_of) for item in plan.recommendations if item.area == area.key]
        areas.append({"key": area.key, "title": area.title, "recommendations": items})
    return {
        "lead_agency": plan.lead_agency or "",
        "phases": phases,
        "review_actions": list(reference.strategy.review_actions),
        "areas": areas,
        "sdg_link": reference.strategy.sdg_link,
        "steps_done": sum(1 for progress in plan.steps.values() if progress.status == "done"),
    }


def _unique(items) -> list:
    return list(dict.fromkeys(items))
