"""What templates see: typed values made from validated content, with the prose assembled here.

Templates get frozen dataclasses (see `PackValues`, `BriefValues`, `CoverValues`): a tag can
reach data and nothing else, a misspelt field is reported with the object's fields, and
`cti-briefings fields` lists them for template authors. Sentences that depend on the State's
facts (its treaty status, reporting, the programme actually planned) are assembled here, so
that templates hold wording, not logic. Each attribute's docstring is what template authors
read in docs/template-fields.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields

from babel.dates import format_date

from .errors import ContentError, Problem
from .facts import StateFacts, select, state_facts, strategy_stage
from .schema import COURTESY_TITLE, BriefContent, Counterpart, Country, DelegationMember, Meeting, Person, Recommendation, Reference, Seminar, Session, Visit
from .timeline import age_in_words, entry_into_force, visit_days

PARTNER_KINDS = ("group_of_friends", "united_nations", "regional", "civil_society")
ROLE_LABELS = {"head": "Head of delegation", "member": "Member", "secretariat": "CTI Secretariat"}
STEP_STATUS_LABELS = {"not started": "Not started", "planned": "Planned", "in progress": "In progress", "done": "Done"}
FULL_DELEGATION = "Full delegation"
SOURCE_LABELS = {"CAT": "Committee against Torture", "UPR": "Universal Periodic Review"}
UPR_FOURTH_CYCLE = (dt.date(2022, 1, 1), dt.date(2027, 12, 31))


# --- The values, as templates see them ------------------------------------------------------


@dataclass(frozen=True)
class CountryValues:
    name: str
    """Formal name without its article, e.g. 'Republic of Examplia' (for titles)."""
    short_name: str
    """Everyday name, e.g. 'Examplia'."""
    formal_name: str
    """Formal name as a sentence needs it, with its article: 'the Republic of Examplia'."""
    example: bool
    """True for a fictional sample State (its cover says so)."""
    example_note: str
    """'Fictional example for training and testing – not a real State', or empty for a real State."""


@dataclass(frozen=True)
class CtiValues:
    core_states: tuple[str, ...]
    """The CTI Core States, from content/reference/core_states.yaml."""
    core_states_in_prose: str
    """The same as a list in a sentence: 'Chile, Denmark, Ghana, Indonesia, Morocco and Fiji'."""


@dataclass(frozen=True)
class PackInfo:
    date: dt.date
    """The date the pack is built as of."""
    version: int
    """The pack's version number."""
    marking: str
    """The protective marking, e.g. 'CONFIDENTIAL' (stamped on every page of the pack)."""


@dataclass(frozen=True)
class PersonValues:
    name: str
    """Name without honorific, e.g. 'Mr Andrés Villalba Quiroga'; empty for an organisation."""
    honorific: str
    """'H.E.' or empty."""
    full_name: str
    """Honorific and name, e.g. 'H.E. Mr Andrés Villalba Quiroga'; the office for an organisation."""
    title: str
    """Position, e.g. 'Minister of Justice'; may be empty for an organisation."""
    office: str
    """Ministry or institution; may be empty."""
    title_and_office: str
    """Position and institution, without repeating the institution the title already names."""
    described: str
    """Name, position and institution in one line, as a programme lists a counterpart."""
    bio: str
    """Short biographical note; may be empty."""


@dataclass(frozen=True)
class AddresseeValues(PersonValues):
    salutation: str
    """How the letter greets the addressee, e.g. 'Excellency'."""
    address: tuple[str, ...]
    """Postal address lines."""


@dataclass(frozen=True)
class VisitValues:
    reference: str
    """The invitation's reference, e.g. 'CTI/2027/007'."""
    letter_date: dt.date
    """The date of the letter or note verbale."""
    letter_form: str
    """'letter' or 'note_verbale'."""
    start: dt.date
    """First day of the visit."""
    end: dt.date
    """Last day of the visit."""
    days: int
    """Number of days, both ends included."""
    days_in_words: str
    """'1 day', '3 days'."""
    days_until: int
    """Days from the pack's date to the first day."""
    dates: str
    """The visit's dates, compact: '9–11 March 2027', or '14 April 2027' for a one-day visit."""
    dates_in_prose: str
    """The dates in a sentence: 'from 9 to 11 March 2027', or 'on 14 April 2027'."""
    proposed_dates: str
    """'the proposed dates are', or 'the proposed date is' for a one-day visit; 'the dates agreed
    remain' once the visit was agreed (visit.agreed_at)."""
    origin: str
    """'at the invitation of the Government of …', or 'proposed by the Convention against Torture Initiative to the Government of …'."""
    starts_in: str
    """'starts in 105 days', 'starts tomorrow', 'starts today', or 'took place' once it is past."""
    city: str
    """Where the visit takes place."""
    addressee: AddresseeValues
    """Who the invitation is addressed to."""
    signatory: PersonValues | None
    """Who signs the letter (none for a note verbale)."""
    priorities: tuple[str, ...]
    """The Government's own priorities."""
    reply_by: dt.date | None
    """Date by which the Government is asked to reply, if set."""


@dataclass(frozen=True)
class InvitationValues:
    title: str
    """'Letter of invitation to the Minister of …' ('Letter to …' when it answers the Government's invitation) or 'Note verbale to the Ministry of …'."""
    purpose: str
    """What the visit would offer, chosen by the State's treaty status (content/reference/invitation.yaml)."""
    priorities_clause: str
    """', including the priorities it has indicated: a, b and c', or empty when none are recorded."""
    head: str
    """The head of delegation with position: 'H.E. Ms …, Ambassador … of Chile …'."""
    members: tuple[str, ...]
    """Each other member of the delegation with position and State."""
    elements: tuple[str, ...]
    """The elements of the programme actually planned, each a list item ending in ';' or '.'."""
    in_response: str
    """', in response to your Government's invitation,' when the Government asked for the visit, else empty."""
    proposing: str
    """'to propose'; once the visit was agreed before the invitation (visit.agreed_at), 'to set out
    the proposal for' in a letter, 'to confirm' in a note verbale."""
    reply_clause: str
    """', if possible by 29 January 2027', or empty."""
    ministry: str
    """The Ministry a note verbale is addressed to, with its article: 'the Ministry of Foreign Affairs of the Kingdom of Veloria'."""
    place_and_date: str
    """'Geneva, 20 November 2026'."""
    ministry_address: str
    """The Ministry and its address, one per line, as a note verbale ends."""


@dataclass(frozen=True)
class MemberValues:
    name: str
    """Name without honorific."""
    full_name: str
    """Honorific and name."""
    position: str
    """Position at home."""
    position_and_state: str
    """Position, with the State in brackets when the position does not name it."""
    role: str
    """'head', 'member' or 'secretariat'."""
    role_label: str
    """'Head of delegation', 'Member' or 'CTI Secretariat'."""
    rank: str
    """'minister', 'ambassador', 'senior official', 'expert' or 'secretariat'."""
    state: str
    """The State the member serves; may be empty."""


@dataclass(frozen=True)
class PortfolioValues:
    key: str
    """Key in content/reference/portfolios.yaml, e.g. 'justice'."""
    title: str
    """Title, e.g. 'Justice and legal affairs'."""


@dataclass(frozen=True)
class MeetingValues:
    number: int
    """The meeting's number in the programme, from 1."""
    date: dt.date
    """Its day."""
    start: dt.time
    """Start time."""
    end: dt.time
    """End time."""
    day_number: int
    """Day of the visit, from 1."""
    kind: str
    """ministerial, official, judiciary, nhri, stakeholder, group_of_friends, united_nations, regional, civil_society or detention_visit."""
    kind_label: str
    """How the kind is named, e.g. 'Group of Friends' (content/reference/meeting_kinds.yaml)."""
    format: str
    """The kind, with 'at the Government's direction' for a detention visit."""
    portfolio: PortfolioValues | None
    """The portfolio, for meetings with ministers and officials; none for partners."""
    subject: str
    """What the programme calls the meeting: the kind label and, when there is one, the portfolio."""
    counterparts: tuple[PersonValues, ...]
    """Everyone met (several for a roundtable)."""
    counterpart: PersonValues
    """The first (usually the only) counterpart."""
    counterparts_described: str
    """Every counterpart in one line, separated by semicolons."""
    heading: str
    """The brief's title: the counterpart's name, the names of those met, or the organisations met."""
    with_line: str
    """For a meeting with several counterparts, each with position and institution; else empty."""
    when: str
    """'Tuesday 16 February 2027, 09:30–10:30 (day 1 of 3)'; a one-day visit gives no day number."""
    subheading: str
    """The brief's subtitle: position and institution, or the kind of meeting."""
    about_label: str
    """'About the counterpart', or 'About the Chief Justice' when several are met and the notes are the first's."""
    about: str
    """What the Secretariat knows of those met: the bio; with several, each named before theirs."""
    venue: str
    """The venue, or 'Venue to be confirmed'."""
    participants: str
    """CTI participants, or 'Full delegation'."""
    at_government_direction: bool
    """True for a visit to a place of detention at the Government's direction."""
    is_npm: bool
    """True if the counterpart's institution is the national preventive mechanism."""


@dataclass(frozen=True)
class EventValues:
    start: dt.time
    """Start time."""
    end: dt.time
    """End time."""
    what: str
    """The meeting's subject, or the seminar's title."""
    detail: str
    """A second line: 'At the Government's direction', 'Seminar', or empty."""
    with_whom: str
    """The counterparts, or the seminar's participants."""
    venue: str
    """The venue, or 'Venue to be confirmed'."""
    participants: str
    """CTI participants."""


@dataclass(frozen=True)
class DayValues:
    number: int
    """Day of the visit, from 1."""
    date: dt.date
    """The day."""
    title: str
    """'Day 1: Tuesday 16 February 2027'; for a one-day visit, the date alone."""
    events: tuple[EventValues, ...]
    """Every meeting and the seminar of that day, by time."""
    free_day_note: str
    """A sentence for a day with no event, else empty."""


@dataclass(frozen=True)
class SessionValues:
    start: dt.time
    """Start time."""
    end: dt.time
    """End time."""
    title: str
    """The session's title, or 'Break' or 'Lunch' between sessions."""
    speakers: str
    """Speakers, separated by semicolons."""


@dataclass(frozen=True)
class SeminarValues:
    kind: str
    """'seminar' or 'roundtable'."""
    kind_label: str
    """'Seminar' or 'Roundtable'."""
    title: str
    """The seminar's title."""
    date: dt.date
    """Its day."""
    venue: str
    """Where."""
    objectives: tuple[str, ...]
    """Its objectives."""
    sessions: tuple[SessionValues, ...]
    """Its sessions, by time."""
    facilitators: tuple[str, ...]
    """Expert facilitators."""
    specialists: tuple[str, ...]
    """Subject-specific specialists (may be none)."""
    institutions: tuple[str, ...]
    """Participating institutions."""
    facilitators_label: str
    """'Expert facilitators', or 'Expert facilitator' for one."""
    specialists_label: str
    """'Subject specialists', or 'Subject specialist' for one."""
    status_note: str
    """Whether the programme is agreed with the Government or still a draft."""


@dataclass(frozen=True)
class StatusValues:
    uncat: str
    """not_party, signatory or party."""
    is_party: bool
    """True for a State party."""
    uncat_sentence: str
    """The State's UNCAT status in one sentence, with dates."""
    uncat_short: str
    """The status in a few words, e.g. 'State party since 13 April 2019'."""
    procedures_sentence: str
    """Articles 20, 21 and 22: what the State has accepted, or may choose on joining."""
    opcat_sentence: str
    """The Optional Protocol and the national preventive mechanism."""
    reporting_sentence: str
    """Reporting to the Committee against Torture: facts, and estimates called estimates."""
    upr_sentence: str
    """The last Universal Periodic Review."""
    entry_into_force: dt.date | None
    """When the Convention entered into force for the State party."""
    npm: str
    """Name of the national preventive mechanism, or empty."""


@dataclass(frozen=True)
class RecommendationValues:
    source_label: str
    """'Committee against Torture', 'Universal Periodic Review' or the other body."""
    date: dt.date
    """When it was made."""
    year: int
    """The year it was made."""
    age: str
    """How old it is, e.g. '3 years'."""
    response: str
    """For the UPR: 'accepted' or 'noted'; else empty."""
    text: str
    """The recommendation."""
    line: str
    """The recommendation as a brief prints it, with its source, date and age."""


@dataclass(frozen=True)
class StepValues:
    number: int
    """1 to 12."""
    text: str
    """The key step, word for word from Implementation Tool 1/2017."""
    status: str
    """'Not started', 'Planned', 'In progress' or 'Done'; '–' for a step the country file does not list."""
    lead: str
    """Who leads it."""
    target: str
    """Target date, or '–'."""
    notes: str
    """Notes; may be empty."""


@dataclass(frozen=True)
class PhaseValues:
    title: str
    """'Strategy development', 'Implementation'."""
    steps: tuple[StepValues, ...]
    """Its steps."""
    note: str = ""
    """Spacing after the phase's table (empty)."""


@dataclass(frozen=True)
class AreaValues:
    title: str
    """One of the ten areas a strategy reviews."""
    recommendations: str
    """Its recommendations, one per line, or 'No recommendation recorded yet.'."""


@dataclass(frozen=True)
class RoadmapValues:
    has_strategy: bool
    """False when the State has no strategy yet: the roadmap then offers the 12 steps as support."""
    stage: str
    """'none', 'in development' or 'adopted'."""
    introduction: str
    """The opening paragraph, which depends on the stage."""
    lead_agency: str
    """The lead agency, or empty."""
    phases: tuple[PhaseValues, ...]
    """The two numbered phases and their steps, with progress (none when there is no strategy yet)."""
    offered_phases: tuple[PhaseValues, ...]
    """The same steps offered as support, when the State has no strategy yet (else none)."""
    areas_note: str
    """The sentence above the areas to review."""
    review_actions: tuple[str, ...]
    """The three review actions."""
    areas: tuple[AreaValues, ...]
    """The ten areas to review, with recommendations."""
    sdg_link: str
    """How UNCAT implementation serves SDG 16."""


@dataclass(frozen=True)
class PackValues:
    """Everything every document of a pack may show."""

    country: CountryValues
    """The State visited."""
    government: str
    """'Government of the Republic of Examplia'."""
    cti: CtiValues
    """The initiative's own facts."""
    pack: PackInfo
    """Date, version and marking of the pack."""
    marking: str
    """The protective marking."""
    visit: VisitValues
    """The visit."""
    invitation: InvitationValues
    """The prose of the invitation."""
    delegation: tuple[MemberValues, ...]
    """The delegation, head first."""
    head: MemberValues
    """The head of delegation."""
    meetings: tuple[MeetingValues, ...]
    """Every meeting, in programme order."""
    programme_days: tuple[DayValues, ...]
    """Each day of the visit with its events."""
    seminar: SeminarValues | None
    """The seminar or roundtable, or none."""
    status: StatusValues
    """The State's treaty status and reporting, in sentences."""
    roadmap: RoadmapValues
    """The torture-prevention strategy roadmap."""


@dataclass(frozen=True)
class BriefContentValues:
    number: int
    """The brief's number, from 1."""
    count: int
    """How many briefs the pack has."""
    objectives: tuple[str, ...]
    """Objectives of the meeting."""
    key_messages: tuple[str, ...]
    """Points the delegation makes."""
    questions: tuple[QuestionValues, ...]
    """Points the counterpart may raise, with suggested responses."""
    articles: tuple[ArticleValues, ...]
    """UNCAT articles that concern the portfolio, each with its summary."""
    articles_line: str
    """The same in one line: 'Articles 1, 3, 4, 5–9 and 14 (see the CTI UNCAT article-by-article)', or empty."""
    tools: str
    """Relevant CTI tools, separated by semicolons."""
    recommendations: tuple[RecommendationValues, ...]
    """Recommendations recorded for the portfolio."""
    recommendations_note: str
    """What to say when none is recorded."""
    background: tuple[str, ...]
    """Background facts."""
    background_rows: tuple[BackgroundRow, ...]
    """The same as rows of the brief's first table: the first labelled 'Context', the others blank."""
    last_contact: str
    """The last contact, or that none is recorded."""


@dataclass(frozen=True)
class BackgroundRow:
    label: str
    """'Context' on the first row, blank on the others."""
    text: str
    """One background fact."""


@dataclass(frozen=True)
class QuestionValues:
    question: str
    """A point the counterpart may raise."""
    response: str
    """A suggested response."""


@dataclass(frozen=True)
class ArticleValues:
    label: str
    """'Art. 3' or 'OPCAT'."""
    summary: str
    """The article in one sentence."""


@dataclass(frozen=True)
class BriefValues(PackValues):
    """What a meeting brief may show: everything of the pack, and its meeting."""

    meeting: MeetingValues
    """The meeting this brief prepares."""
    brief: BriefContentValues
    """The brief's own content."""


@dataclass(frozen=True)
class ContentsLine:
    title: str
    """The document's title."""
    pages: int
    """Its number of pages."""
    page: int
    """Its first page in the pack."""
    is_brief: bool
    """True for a meeting brief (indented under 'Meeting briefs')."""

    @property
    def indent(self) -> str:
        """Spaces that indent a brief under the other documents."""
        return "    " if self.is_brief else ""


@dataclass(frozen=True)
class CoverValues(PackValues):
    """What the cover may show: everything of the pack, and its contents."""

    contents: tuple[ContentsLine, ...]
    """The documents of the pack with their first pages."""


def as_template_context(values: PackValues) -> dict[str, object]:
    """The top-level names a template sees: the fields of its values object."""
    return {item.name: getattr(values, item.name) for item in fields(values)}


# --- Building the values --------------------------------------------------------------------


def pack_values(country: Country, reference: Reference, as_of: dt.date, source: str = "content/countries") -> PackValues:
    """Return the values shared by every document of a country's pack."""
    facts = state_facts(country, as_of)
    formal_name = f"{country.article} {country.name}".strip()
    delegation = tuple(_member(member) for member in country.delegation)
    head = next(member for member in delegation if member.role == "head")
    meetings = tuple(_meeting(number, meeting, country, reference) for number, meeting in enumerate(country.meetings, start=1))
    seminar = _seminar(country)
    core_states = tuple(sorted(state.name for state in reference.core_states))  # as CTI lists them: alphabetically
    roadmap = _roadmap(country, reference, facts, as_of)
    return PackValues(
        country=CountryValues(country.name, country.short_name, formal_name, country.example, "Fictional example for training and testing \u2013 not a real State" if country.example else ""),
        government=f"Government of {formal_name}",
        cti=CtiValues(core_states, and_list(core_states)),
        pack=PackInfo(as_of, country.pack_version, country.marking),
        marking=country.marking,
        visit=_visit(country, as_of),
        invitation=_invitation(country, reference, facts, delegation, meetings, formal_name, source),
        delegation=delegation,
        head=head,
        meetings=meetings,
        programme_days=_programme_days(country, meetings, seminar),
        seminar=seminar,
        status=_status(country, facts),
        roadmap=roadmap,
    )


def brief_values(shared: PackValues, country: Country, reference: Reference, index: int, as_of: dt.date, spare: int = 0) -> BriefValues:
    """Return the values of the meeting brief for meeting number `index` (0-based).

    `spare` reference lines are left out, for a shorter brief (see build._check_and_fit).
    A sentence an earlier brief of the pack already carries is left out: the delegation reads
    the pack in order, and no two briefs should read the same.
    """
    said: set[str] = set()
    for earlier in range(index):
        content = _brief_content(country, reference, earlier, as_of, said)
        said.update(content.objectives, content.key_messages, (question.question for question in content.questions))
        said.update(_answer_key(question.response) for question in content.questions)
        said.update(_ASKED + question.question for question in content.questions)
        if any(NOTED_HANDLING in item.line for item in content.recommendations):
            said.add(f"{_HANDLED_IN}{earlier + 1}")  # the first such brief is the one a later brief points to
    return BriefValues(
        **{item.name: getattr(shared, item.name) for item in fields(PackValues)},
        meeting=shared.meetings[index],
        brief=_brief_content(country, reference, index, as_of, said, spare),
    )


def _sources(country: Country, reference: Reference, index: int) -> list[BriefContent]:
    """The reference content a brief draws on: its kind's, then its portfolio's."""
    meeting = country.meetings[index]
    kind = reference.meeting_kinds[meeting.kind]
    portfolio = reference.portfolios[meeting.portfolio] if meeting.portfolio else None
    # What every meeting of a kind shares is said in the first brief of that kind; a later one
    # with a portfolio of its own speaks only to that portfolio, so no two briefs read the same.
    earlier_of_kind = any(other.kind == meeting.kind for other in country.meetings[:index])
    if portfolio is None:
        return [kind]
    return [portfolio] if earlier_of_kind else [kind, portfolio]


def _topic_holders(country: Country, reference: Reference, facts: StateFacts) -> dict[str, int]:
    """For each topic, the brief that says it: the first owner the visit meets, else the first brief."""
    candidates: dict[str, list[tuple[int, int]]] = {}
    for index, meeting in enumerate(country.meetings):
        for source in _sources(country, reference, index):
            for item in select((*source.objectives, *source.key_messages), facts, meeting):
                if item.topic is None:
                    continue
                owners = reference.topics[item.topic].owners
                ranks = [owners.index(key) for key in (meeting.portfolio, meeting.kind) if key in owners]
                candidates.setdefault(item.topic, []).append((min(ranks, default=len(owners)), index))
    holders = {topic: min(found)[1] for topic, found in candidates.items()}
    noted = " ".join(item.text for item in country.strategy.recommendations if item.response == "noted")
    for topic in holders:
        terms, owners = reference.topics[topic].terms, reference.topics[topic].owners
        # A subject the State declined (a noted recommendation) is raised, with care, in its row only.
        if reference.topics[topic].quiet_when_noted and _speaks_to(noted, terms):
            holders[topic] = -1  # no brief
            continue
        # A topic the country file's own lines speak to in the brief of one of its owners is that
        # brief's: the pack's general line on it would only say again, elsewhere, what that brief
        # says for this State (reporting, in the brief for the human rights minister).
        holders[topic] = next((index for index, meeting in enumerate(country.meetings)
                               if {meeting.portfolio, meeting.kind} & set(owners) and _speaks_to(" ".join((*meeting.objectives, *meeting.key_messages)), terms)),
                              holders[topic])
    return holders


def _speaks_to(text: str, terms: Iterable[str]) -> bool:
    """True when the text names one of a topic's terms, as a whole word or phrase, in any case."""
    return any(re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) for term in terms)


def _recommendation_carriers(country: Country) -> dict[int, int]:
    """For each recorded recommendation, the brief whose key messages carry it (or none).

    A recommendation goes to the brief of the first of its portfolios the visit meets, so that
    one recorded for justice and prosecution is raised once, with the Minister of Justice."""
    carriers: dict[int, int] = {}
    for number, item in enumerate(country.strategy.recommendations):
        for portfolio in item.portfolios:
            met = [index for index, meeting in enumerate(country.meetings) if meeting.portfolio == portfolio]
            if met:
                carriers[number] = met[0]
                break
    return carriers


def _brief_content(country: Country, reference: Reference, index: int, as_of: dt.date, said: set[str], spare: int = 0) -> BriefContentValues:
    meeting = country.meetings[index]
    facts = state_facts(country, as_of)
    portfolio = reference.portfolios[meeting.portfolio] if meeting.portfolio else None
    sources = _sources(country, reference, index)
    tool_titles = {tool.key: tool.title for tool in reference.tools}
    summaries = {article.number: article.summary for article in reference.articles}
    carriers = _recommendation_carriers(country)
    carried = [item for number, item in enumerate(country.strategy.recommendations) if carriers.get(number) == index]
    committee = [number for number, item in enumerate(country.strategy.recommendations) if item.source == "CAT" and number in carriers]
    first_of_committee = min(committee, key=lambda number: (carriers[number], number), default=None)
    restated = {id(carried[number]) for number in _restated(carried, meeting.key_messages)}
    # A recommendation the State noted (did not accept) is not pressed in a meeting, unless the
    # Government has since named the matter among its priorities: it stays in the background.
    raising = [
        (number, item) for number, item in enumerate(country.strategy.recommendations)
        if carriers.get(number) == index and id(item) not in restated and (item.response != "noted" or _priority_of(item, country))
    ]
    # A priority of the Government is named with the first recommendation on it that the pack raises.
    raised_in_pack = sorted(
        (carriers[number], number) for number, item in enumerate(country.strategy.recommendations)
        if number in carriers and (item.response != "noted" or _priority_of(item, country))
    )
    first_on_priority: dict[str, int] = {}
    for _, number in raised_in_pack:
        first_on_priority.setdefault(_priority_of(country.strategy.recommendations[number], country) or "", number)
    met_portfolios = {other.portfolio for other in country.meetings if other.portfolio}
    # The background records the recommendations for the portfolio; the UN country team's brief,
    # those of the Universal Periodic Review, whose follow-up it supports.
    for_meeting = [
        item for item in country.strategy.recommendations
        if (meeting.portfolio and meeting.portfolio in item.portfolios) or (meeting.kind == "united_nations" and item.source == "UPR")
        or (meeting.is_npm and "preventive mechanism" in item.text.lower())  # the mechanism hears what concerns it
        # Organisations are likely to raise a recommendation the State noted that no meeting with the Government takes up.
        or (meeting.kind == "civil_society" and item.response == "noted" and not (set(item.portfolios) & met_portfolios))
    ]
    # The header lists the brief's recommendations in full: the message raising one points to it.
    due = facts.reporting.due if facts.reporting else None
    due_said = due is not None and any(long_date(due, country.language) in text for text in (*meeting.objectives, *meeting.key_messages))
    raised = [
        _recommendation_message(
            item, country, reference, facts, number == first_of_committee,
            name_priority=first_on_priority.get(_priority_of(item, country) or "") == number,
            # An area's offer is made once a brief, and not again in a later brief that would repeat it word for word.
            repeat_offer=any(other.area == item.area for _, other in raising[:position]) or any((_area_offer(reference, item.area) or "\0") in text for text in said),
            due_said=due_said, ordinal=_ordinal_among(item, for_meeting),
        )
        for position, (number, item) in enumerate(raising)
    ]
    # A message with nothing to add to the header's row is left out; so are all of them where the
    # country file gives the meeting messages of its own (its rows still list them): readers took
    # them for a template's seams next to the Secretariat's own points.
    raised = [text for text in raised if text] if len(meeting.key_messages) < OWN_MESSAGES_WITHOUT_RAISING else []
    # A reference sentence on a topic is left out where the pack says it better: in the brief of
    # the topic's first owner, and not where the country file or a recommendation already speaks to it.
    holders = _topic_holders(country, reference, facts)
    # (A recommendation speaks to it where its message is kept, a row of the header says nothing;
    # one the State noted holds the general line back: it is raised with care, if at all.)
    specific = " ".join([*meeting.objectives, *meeting.key_messages, *(item.text for item in carried if raised or item.response == "noted")])

    def open_topic(topic: str | None) -> bool:
        if topic is None:
            return True
        return not _speaks_to(specific, reference.topics[topic].terms) and holders.get(topic) == index

    def chosen(attribute: str, among: list[BriefContent] = sources) -> list[str]:
        return [_as_for_the_state(item.text, country) for source in among for item in select(getattr(source, attribute), facts, meeting) if open_topic(item.topic)]

    # The kind's lines set the manner of the meeting, the recommendations and the portfolio's its substance.
    kind_part = [source for source in sources if source is not portfolio]
    # A meeting the country file prepares with objectives (messages) of its own needs fewer general
    # ones: its own objectives replace the general ones (thanks excepted); two own messages replace
    # the kind's, three the portfolio's (recommendations are still raised).
    objective_sources = [] if meeting.objectives else sources
    if len(meeting.key_messages) >= 2 and meeting.kind != "detention_visit":  # a visit's terms are said whatever else is
        kind_part = []
    # The strategy's lead hears where the strategy stands: the kind's general line on it gives way.
    if _strategy_lead(country) == index:
        kind_part = [source.model_copy(update={"key_messages": tuple(item for item in source.key_messages if "strategy" not in item.text)}) for source in kind_part]
    # ...and the steps it has in hand, unless the country file's own lines already speak of them.
    speaks_of_steps = any(re.search(r"\bsteps?\b", text) for text in (*meeting.objectives, *meeting.key_messages, *meeting.background))
    leading = [_strategy_lead_message(country, reference, meeting)] if _strategy_lead(country) == index and not speaks_of_steps else []
    # The delegation learns what partners do for the Government's priorities (an objective: the
    # priorities are the Government's to share, not the delegation's; the invitation lists them).
    frame = reference.meeting_kinds[meeting.kind].priorities_objective
    priorities_objective = [f"{typographic(frame)}."] if frame and country.visit.priorities and not meeting.objectives else []
    portfolio_part: list[BriefContent] = [portfolio] if portfolio and portfolio in sources and len(meeting.key_messages) < 3 else []
    # A line marked essential (how the State would join, to the Minister of Foreign Affairs) stays
    # whatever the meeting's own lines replace.
    # (unless the own lines already give a third of it: they then say it in the State's terms).
    essential = [
        _as_for_the_state(item.text, country) for source in sources for item in select(source.key_messages, facts, meeting)
        if item.essential and open_topic(item.topic) and not _covered(item.text, meeting.key_messages, share=1 / 3)
    ]
    # The portfolio's lines on what the brief's recommendations are about come first (those beyond
    # the limit give way from the end): the prison brief that lists the recommendation to hold
    # children apart from adults speaks of separation before Article 16 in general.
    portfolio_messages = _touching_first(chosen("key_messages", portfolio_part), [item.text for item in for_meeting])
    # A brief the country file prepares with two messages of its own keeps, of the portfolio's
    # general lines, those on what its recommendations and objectives are about: an article
    # summary beside them that touches neither reads as padding to a Minister.
    if len(meeting.key_messages) >= 2:
        portfolio_messages = [text for text in portfolio_messages if _touches_one(text, [*(item.text for item in for_meeting), *meeting.objectives])]
    upr_point = [_upr_reference_point(country)] if meeting.kind == "united_nations" and kind_part and facts.upr_recommendations else []
    reference_messages = [*chosen("key_messages", kind_part), *upr_point, *raised, *leading, *portfolio_messages]
    reference_messages += [text for text in essential if text not in reference_messages]
    framing = chosen("key_messages", kind_part)
    key_messages = list(meeting.key_messages) if meeting.replace_key_messages else [*framing, *meeting.key_messages, *[text for text in reference_messages if text not in framing]]
    # A reference line that says what the country file's own line says better gives way to it.
    key_messages = [text for text in key_messages if text in meeting.key_messages or not (
        _echoes(text, meeting.key_messages) or _opens_alike(text, meeting.key_messages)
        or (text not in (*essential, *leading, *raised) and _on_the_same_subject(text, meeting.key_messages)))]
    # ... and one that says again what an earlier line of the brief says (recommendations excepted: each is its own).
    kept_apart = {*meeting.key_messages, *raised, *leading, *essential}
    key_messages = [text for number, text in enumerate(key_messages) if text in kept_apart or not _makes_same_point(text, key_messages[:number])]
    # The country file's own questions come first; the reference ones fill up to MAX_QUESTIONS.
    reference_questions = [
        question.model_copy(update={"question": _state_named(question.question, country), "response": _as_for_the_state(question.response, country)})
        for source in sources for question in select(source.questions, facts, meeting) if not _echoes(question.question, [own.question for own in meeting.questions])
    ]
    # Those on what the brief's recommendations are about first (the prison brief that lists the
    # recommendation on overcrowding is asked about overcrowding before independent visits).
    reference_questions.sort(key=lambda item: not _touches_one(f"{item.question} {item.response}", [item.text for item in for_meeting]))
    questions = list(meeting.questions) + reference_questions
    tools = _unique(tool_titles[tool.key] for source in sources for tool in select(source.tools, facts, meeting) if tool.key in tool_titles)
    articles = tuple(ArticleValues("OPCAT" if number == "OPCAT" else f"Art. {number.replace('-', '–')}", summaries.get(number, "")) for number in (portfolio.articles if portfolio else ()))
    # The meeting's own lines (from the country file) are always kept; reference lines once a pack.
    own = {typographic(text) for text in (*meeting.objectives, *meeting.key_messages)}
    background = tuple(typographic(item) for item in meeting.background)
    # A meeting the country file prepares with messages of its own needs fewer general ones.
    message_limit = MAX_KEY_MESSAGES if len(meeting.key_messages) < 2 else MAX_KEY_MESSAGES - 1
    # The State's own facts are kept like the country file's lines: recommendations raised, the lead's steps, how it joins.
    own_messages = own | {typographic(text) for text in (*raised, *leading, *essential)}
    # What earlier briefs cited, worked out once for the messages, objectives and answers below.
    cited_before = [(_citations(line), line) for line in said]
    chosen_messages = _at_most(message_limit, _not_said_before(_unique(typographic(text) for text in key_messages), said, cited_before, own_messages), keep=own_messages)
    chosen_questions = (tuple(
        QuestionValues(typographic(item.question), typographic(item.response)) for item in questions
        if item in meeting.questions or (
            typographic(item.question) not in said and _answer_key(typographic(item.response)) not in said
            and not _cites_as_before(typographic(item.response), cited_before)
            and not _echoes(typographic(item.question), [text.removeprefix(_ASKED) for text in said if text.startswith(_ASKED)])
        )
    ) or tuple(QuestionValues(typographic(item.question), typographic(item.response)) for item in questions))[:max(MAX_QUESTIONS, len(meeting.questions))]
    # A reference answer that says again what the brief says (a message, its context, a row) gives way (one question is kept).
    own_asked = {typographic(item.question) for item in meeting.questions}
    said_in_brief = [*chosen_messages, *meeting.background, *(item.text for item in for_meeting)]  # its messages, context and rows
    answered: list[QuestionValues] = []
    for item in chosen_questions:  # ...or an earlier answer of the brief
        before = [*said_in_brief, *(earlier.response for earlier in answered)]
        if item.question in own_asked or not (_makes_same_point(item.response, before) or _cites_again(item.response, before)):
            answered.append(item)
    chosen_questions = tuple(answered) or chosen_questions[:1]
    # ...and one that advises an arrangement the country file says the State already has (an
    # inter-ministerial committee on reporting) would sound uninformed: it gives way too.
    in_place = " ".join((*meeting.background, *meeting.objectives, *meeting.key_messages, *(person.bio or "" for person in meeting.counterparts))).lower()
    kept = tuple(item for item in chosen_questions if item.question in own_asked
                 or not any(advised in item.response.lower() and any(existing in in_place for existing in existing_forms) for advised, existing_forms in _ARRANGEMENTS.items()))
    chosen_questions = kept or chosen_questions[:1]
    # A shorter brief, asked for when the full one would leave a few lines on a page of their own,
    # gives up reference lines from the end: questions first (one is kept), then the articles line
    # (the messages cite theirs), then key messages (two are kept), and the tools line last.
    articles_kept = True  # given up before key messages; it lists what the text cites (below)
    own_questions = {typographic(item.question) for item in meeting.questions}
    tools_line = True  # given up last; it lists what the text cites, else the portfolio's tools
    for _ in range(spare):
        spare_questions = [item for item in chosen_questions if item.question not in own_questions]
        spare_messages = [text for text in chosen_messages if text not in own_messages]
        if len(chosen_questions) > 1 and spare_questions:
            chosen_questions = tuple(item for item in chosen_questions if item is not spare_questions[-1])
        elif articles_kept:
            articles_kept = False
        elif len(chosen_messages) > 2 and spare_messages:
            chosen_messages = tuple(text for text in chosen_messages if text != spare_messages[-1])
        elif tools_line:
            tools_line = False
    chosen_messages, chosen_questions = _offers_once(chosen_messages, chosen_questions, own_messages, own_questions)
    # A recommendation the State noted, and this brief does not raise, says how to handle it.
    # ...and one the brief raises as a priority of the Government says so.
    raised_items = {id(item) for _, item in raising} if raised else set()

    # How to handle one is said once a pack (its row says 'noted' everywhere), and pointed to in
    # every later brief that lists one, so that no row reads bare to a delegate reading that brief alone.
    handled_in = min((line.removeprefix(_HANDLED_IN) for line in said if line.startswith(_HANDLED_IN)), key=int, default="")
    handled = bool(handled_in)

    def noted_handling(item: Recommendation) -> str:
        nonlocal handled
        if item.response != "noted":
            return ""
        if id(item) in raised_items and _priority_of(item, country):
            return NOTED_BUT_PRIORITY
        if handled:
            return NOTED_AS_BEFORE.format(brief=handled_in) if handled_in else ""
        handled = True
        return NOTED_HANDLING

    recommendations = tuple(_recommendation(item, as_of, handling=noted_handling(item)) for item in for_meeting)
    # The reference lines list what the brief's own text cites, so that the delegation hands over
    # the tool it spoke of (the portfolio's tools when the text names none; no articles line then).
    spoken = [*chosen_messages, *(item.response for item in chosen_questions), *(item.question for item in chosen_questions)]
    chosen_objectives = _courtesy_first(_at_most(MAX_OBJECTIVES, _not_said_before(_unique(typographic(text) for text in [
        # Thanks said once: not as an objective when the country file's own lines already give them.
        *(text for text in chosen("objectives") if text.startswith("Thank") and not any("thank" in line.lower() for line in (*meeting.objectives, *meeting.key_messages))),
        *(text for text in chosen("objectives", objective_sources) if not _echoes(text, meeting.objectives)), *priorities_objective, *meeting.objectives,
    ]), said, cited_before, own), keep=own)) + tuple(_seminar_role(country, meeting))
    # ... and the portfolio's tools on what the brief is about (the police brief on custody
    # safeguards lists the tool on the first hours of police detention, cited or not).
    cited_tools = [title for title in tool_titles.values() if _cites_tool(title, spoken)]
    about = set().union(*(_stems(text) for text in (*chosen_objectives, *spoken)))
    # Failing both, those it touches on (two words of their subject at least), else the portfolio's first.
    spoken_of = (_unique([*cited_tools, *(title for title in tools if _touches(title, about, 0.6))])
                 or [title for title in tools if _touches(title, about, 0.4, at_least=2)])
    # The tools on what the brief's objectives and messages are about come before those an answer cites.
    main = [*chosen_objectives, *chosen_messages]
    main_stems = set().union(*(_stems(text) for text in main))
    spoken_of.sort(key=lambda title: not (_cites_tool(title, main) or _touches(title, main_stems, 0.6)))
    tools = (spoken_of or tools[:1]) if tools_line else []
    # The articles line: what the text cites, and what the tools it cites or its objectives and
    # messages are about (the brief on rehabilitation that lists Implementation Tool 5/2018 names
    # Article 14; not a tool an answer only touches on, nor the portfolio's first tool).
    on_subject = [title for title in tools if title in cited_tools or _touches(title, main_stems, 0.6)]
    tool_articles = [article for tool in reference.tools if tool.title in on_subject for article in tool.articles]
    articles_line = _articles_line(_in_order([*_cited_articles([*spoken, *chosen_objectives]), *tool_articles])) if articles_kept else ""
    return BriefContentValues(
            number=index + 1,
            count=len(country.meetings),
            objectives=chosen_objectives,
            key_messages=chosen_messages,
            questions=chosen_questions,
            articles=articles,
            articles_line=articles_line,
            tools="; ".join(tools),
            recommendations=recommendations,
            recommendations_note="" if for_meeting or not country.strategy.recommendations else _no_recommendation_note(facts, portfolio is not None),
            background=background,
            background_rows=tuple(BackgroundRow("Context" if number == 0 else "", text) for number, text in enumerate(background)),
            last_contact=typographic(meeting.last_contact) if meeting.last_contact else _no_contact_recorded(meeting),
    )


_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _upr_reference_point(country: Country) -> str:
    """How the State responded to the recommendations of its Universal Periodic Review listed in
    the brief: a shared reference point for the Government, the UN country team and CTI."""
    listed = [item for item in country.strategy.recommendations if item.source == "UPR"]
    counts = {response: sum(item.response == response for item in listed) for response in ("accepted", "noted", "pending")}

    def number(count: int) -> str:
        return _COUNTS[count] if count < len(_COUNTS) else str(count)

    if counts["accepted"] == len(listed) or counts["noted"] == len(listed):
        response = "accepted" if counts["accepted"] else "noted"
        answered = f"{response} the recommendation on torture listed above" if len(listed) == 1 else f"{response} the {number(len(listed))} recommendations on torture listed above"
    else:
        parts = [f"{verb} {number(counts[key])}" for key, verb in (("accepted", "accepted"), ("noted", "noted")) if counts[key]]
        answered = f"{' and '.join(parts)} of the {number(len(listed))} recommendations on torture listed above"
        if counts["pending"]:
            answered += f", and has yet to respond to {number(counts['pending'])}"
    dates = {format_date(item.date, 'MMMM y', locale='en') for item in listed}
    when = f" of {dates.pop()}" if len(dates) == 1 else ""
    return f"At its Universal Periodic Review{when}, {country.short_name} {answered}; the recommendations and the State\u2019s responses are a shared reference point for the Government, the country team and CTI."


_THE_STATE = re.compile(r"\b([Tt])he State\b(?! part)")


_ARTICLE_LIST = r"Articles? \d+(?:(?:, | and | to |\u2013)\d+)*"  # 'Article 14', 'Articles 12 and 13', 'Articles 5 to 9'
_ARTICLE_BINDS = re.compile(rf"\b({_ARTICLE_LIST}) (requires|asks|calls for|calls on|provides|covers|extends|rules out|excludes)\b")
_BASE_FORM = {"requires": "require", "asks": "ask", "calls for": "call for", "calls on": "call on", "provides": "provide",
              "covers": "cover", "extends": "extend", "rules out": "rule out", "excludes": "exclude"}


def _as_for_the_state(text: str, country: Country) -> str:
    """A reference line as it applies to the State: named, and, for a State not yet party, what
    an article requires in the conditional ('Article 14 would require…')."""
    if country.uncat.status != "party":
        text = _ARTICLE_BINDS.sub(lambda match: f"{match.group(1)} would {_BASE_FORM[match.group(2)]}", text)
        text = _UNDER_ARTICLE.sub(lambda match: f"Under {match.group(1)}, once {country.short_name} is a party, ", text)
    if country.uncat.reports_coordinated_by:
        text = text.replace("the ministry that coordinates", f"the {country.uncat.reports_coordinated_by.removeprefix('the ')}, which coordinates")
    return _state_named(text, country)


_UNDER_ARTICLE = re.compile(rf"\bUnder ({_ARTICLE_LIST}),? (?!once)")


def _state_named(text: str, country: Country) -> str:
    """A reference line that speaks of 'the State' names it ('That is for Norvane to decide'): a
    brief reads as written for the visit, not as a template. Not where it states what the
    Convention requires of a State party, which a State not yet party is not ('Article 14 requires
    the State to ensure…')."""
    if country.uncat.status != "party" and _STATES_AN_OBLIGATION.search(text):
        return text
    return _THE_STATE.sub(country.short_name, text)


_STATES_AN_OBLIGATION = re.compile(r"\b(?:requires?|obliges?|asks?|calls? on) the State\b|\bthe State (?:shall|must)\b")


def _no_contact_recorded(meeting: Meeting) -> str:
    """'No earlier meeting with this counterpart is recorded', in the number of the meeting's counterparts."""
    if len(meeting.counterparts) == 1:
        return "No earlier meeting with this counterpart is recorded."
    whom = "these organisations" if meeting.kind == "civil_society" else "these counterparts"
    return f"No earlier meeting with {whom} is recorded."


def _touching_first(texts: list[str], subjects: list[str], at_least: int = 3) -> list[str]:
    """The texts, those sharing `at_least` words (cut to five letters) with one of the subjects first."""
    return sorted(texts, key=lambda text: not _touches_one(text, subjects, at_least))


def _touches_one(text: str, subjects: Iterable[str], at_least: int = 3) -> bool:
    """True when the text shares `at_least` words (cut to five letters) with one of the subjects."""
    words = _stems(text)
    return any(len(words & _stems(subject)) >= at_least for subject in subjects)


def _seminar_role(country: Country, meeting: Meeting) -> list[str]:
    """An objective for the brief of a counterpart who speaks at the visit's seminar."""
    seminar = country.seminar
    if seminar is None or len(meeting.counterparts) != 1:
        return []
    person = meeting.counterparts[0]
    # A speaker is written as the organiser wrote the programme: a name with or without its
    # honorific or its own script, or a title. Not an office: 'Ministry of Foreign Affairs' as a
    # speaker is the Ministry's people, not the Minister met.
    names = {_speaker_key(text) for text in (person.name, person.title) if text}
    sessions = [session for session in seminar.sessions if any(_speaker_key(speaker) in names for speaker in session.speakers)]
    if not sessions:
        return []
    when = long_date(seminar.date, country.language)
    # Spoken of by the office alone ('the Minister'): the brief is for the meeting with that person.
    who = _with_article(_office_word(typographic(person.title))) if person.title else "the counterpart"
    part = _part_in(sessions)
    if meeting.date > seminar.date:  # the seminar has taken place by then
        return [f"Follow up {who}\u2019s {part} at the {seminar.kind} of {when}, and what came of it."]
    if seminar.agreed_with_government:
        return [f"Discuss {who}\u2019s {part} at the {seminar.kind} on {when}."]
    # A delegation does not settle a Minister's remarks before the Government has agreed the programme.
    return [f"If the Government agrees the draft {seminar.kind} programme, discuss {who}\u2019s {part} at the {seminar.kind} on {when}."]


_OPENING_OR_CLOSING = re.compile(r"^(?:.*\b)?(opening|closing)\b", re.IGNORECASE)


def _speaker_key(text: str) -> str:
    """A name, title or office as compared: no honorific, no name in its own script, any case."""
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(rf"^(?:(?:{_HONORIFIC_WORDS})\s+)+", "", text.strip())
    return " ".join(text.split()).casefold()


_HONORIFIC_WORDS = r"H\.E\.|The Hon\.|Hon\.|Dr\.?|Prof\.?|Mr|Ms|Mrs|Judge|Justice"


def _part_in(sessions: list[Session]) -> str:
    """What a speaker gives: 'opening remarks', 'opening and closing remarks', or 'part in the session “…”'."""
    kinds = [_OPENING_OR_CLOSING.match(session.title) for session in sessions]
    if all(kinds):
        return and_list(dict.fromkeys(kind.group(1).lower() for kind in kinds if kind)) + " remarks"
    titles = and_list(f"\u201c{typographic(session.title)}\u201d" for session in sessions)
    return f"part in the session{'s' if len(sessions) > 1 else ''} {titles}"


def _office_word(title: str) -> str:
    """The office a title names, without what it is of: 'Minister of Foreign Affairs' -> 'Minister'."""
    return re.split(r"\s+(?:of|for|to)\s+", title, maxsplit=1)[0]


def _strategy_lead(country: Country) -> int | None:
    """The first meeting with the institution that leads (or chairs the body leading) the strategy."""
    lead = (country.strategy.lead_agency or "").lower()
    if not lead:
        return None
    for index, meeting in enumerate(country.meetings):
        if len(meeting.counterparts) == 1 and meeting.counterparts[0].office and meeting.counterparts[0].office.lower() in lead:
            return index
    return None


def _area_offer(reference: Reference, key: str | None) -> str | None:
    """What CTI offers in a review area (strategy.yaml), or None."""
    return next((area.offer for area in reference.strategy.areas if area.key == key), None)


def _strategy_lead_message(country: Country, reference: Reference, meeting: Meeting) -> str:
    """The strategy's next steps, for the brief of the institution that leads it.

    Not where the strategy stands: the institution knows that better than a count made months
    before the meeting (the roadmap gives it, dated)."""
    plan = country.strategy
    office = typographic(meeting.counterparts[0].office or "")
    lead = plan.lead_agency or ""
    chaired = re.search(r"^(.*?),? chaired by", lead)
    ministry = _with_article(office)
    if office.lower() == lead.lower():
        subject = f"the national torture-prevention strategy that {ministry} leads"
    elif chaired:
        subject = f"the national torture-prevention strategy, led by the {typographic(chaired.group(1)).removeprefix('the ')}, which {ministry} chairs"
    else:
        subject = f"the national torture-prevention strategy, in which {ministry} has a leading part"
    texts = {step.number: step.text for phase in reference.strategy.phases for step in phase.steps}
    # The steps this institution or the body it leads has in hand (a step another leads is theirs to discuss).
    own_words = {word for word in _content_words(f"{office} {chaired.group(1) if chaired else lead}") if word not in {"ministry", "office", "national", "department"}}

    def ours(number: int) -> bool:
        progress = plan.steps.get(number)
        return progress is None or not progress.lead or bool(own_words & _content_words(progress.lead))

    under_way = [number for number, progress in sorted(plan.steps.items()) if progress.status == "in progress" and ours(number)]
    coming = [number for number in sorted(texts) if ours(number) and (number not in plan.steps or plan.steps[number].status in ("not started", "planned"))][:1]
    if strategy_stage(country) == "adopted" or not (under_way or coming):
        return f"For the implementation and review of {subject}, CTI can share the experience of other States and Implementation Tool 1/2017."

    # One step, the soonest due, and the offer for it: the institution knows where its steps stand
    # better than a count made months before (the roadmap gives them all, dated).
    step = min(under_way or coming, key=lambda number: (plan.steps[number].target or dt.date.max) if number in plan.steps else dt.date.max)
    target = plan.steps[step].target if step in plan.steps else None
    due = f", due by {format_date(target, 'MMMM y', locale=country.language)}" if target else ""
    return f"For step {step} of the national strategy ({texts[step][0].lower()}{texts[step][1:]}){due}, CTI can share other States\u2019 strategies and Implementation Tool 1/2017."


def _not_said_before(texts: list[str], said: set[str], cited_before: list[tuple[frozenset[str], str]], own: set[str]) -> list[str]:
    """The texts an earlier brief has not carried (the country file's own always), or all of them
    rather than none: a second meeting of a kind without a portfolio has only its kind's lines.
    `cited_before` gives each line of `said` with what it cites (see _cites_as_before)."""
    earlier_lines = [line for line in said if not line.startswith(_MARKERS)]
    fresh = [text for text in texts if text in own or (text not in said and not _cites_as_before(text, cited_before) and not _makes_same_point(text, earlier_lines))]
    return fresh or texts


_TOOL_NUMBER = re.compile(r"\b\d{1,2}/20\d\d\b")


def _citations(text: str) -> frozenset[str]:
    """The articles and CTI tools a line cites ('Article 13', 'Implementation Tool 7/2019')."""
    return frozenset([*_cited_articles([text]), *_TOOL_NUMBER.findall(text)])


CITATIONS_TO_REPEAT = 3


def _cites_again(text: str, earlier: Iterable[str]) -> bool:
    """True when an answer cites three articles or tools or more, three quarters of them already
    cited by the brief: it walks the reader through the same provisions again."""
    cited = _citations(text)
    before = set().union(*(_citations(line) for line in earlier))
    return len(cited) >= CITATIONS_TO_REPEAT and len(cited & before) * 4 >= len(cited) * 3


def _cites_as_before(text: str, earlier: Iterable[tuple[frozenset[str], str]]) -> bool:
    """True when a line cites two things or more that one earlier line cites together, and
    shares a third of its words: it makes that line's point again (the police and the prison
    brief on Articles 10 and 11), where a line that names them in passing does not."""
    cited = _citations(text)
    return len(cited) >= 2 and any(cited <= before and _covered(text, [line], share=1 / 3) for before, line in earlier)


# What a delegation can make in an hour's meeting; the country file's own messages, the State's
# recommendations and its facts (strategy lead, seminar role) are always kept, reference lines
# give way from the last.
MAX_OBJECTIVES = 4
OWN_MESSAGES_WITHOUT_RAISING = 1
MAX_QUESTIONS = 3
MAX_KEY_MESSAGES = 5


def _at_most(limit: int, texts: list[str], keep: set[str]) -> tuple[str, ...]:
    """The texts in order, dropping from the end those not in `keep` until at most `limit` remain."""
    kept = list(texts)
    for text in reversed(texts):
        if len(kept) <= limit:
            break
        if text not in keep:
            kept.remove(text)
    return tuple(kept)


_STOP_WORDS = {"that", "with", "this", "these", "those", "from", "into", "their", "there", "which", "shall", "should", "ensure", "including"}


def _content_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if len(word) > 3 and word not in _STOP_WORDS}


# Names a pack repeats by necessity, not a point made twice.
_NAMES = {"committee", "against", "torture", "national", "preventive", "mechanism", "universal", "periodic", "review",
          "implementation", "tool", "convention", "optional", "protocol", "prevention", "strategy", "torture-prevention"}
SHARED_RUN = 4
_TREATY_NAMES = {"committee", "against", "torture", "convention", "universal", "periodic", "review", "optional", "protocol"}


# A tool named with its subject ('CTI Training Tool 1/2017 on investigative interviewing'): an offer, not a point.
_TOOL_NAMED = re.compile(r"(?:CTI |UNCAT )?(?:Implementation|Training) Tools? \d+/\d{4}(?:(?:, | and )\d+/\d{4})*(?: on [a-z -]+)?")


def _runs(text: str) -> set[tuple[str, ...]]:
    """Runs of SHARED_RUN words of four letters or more, in order, that are not all parts of names (nor a tool's name)."""
    words = [word for word in re.findall(r"[a-z][a-z-]*", _TOOL_NAMED.sub(" ", text).lower()) if len(word) > 3 and word not in _STOP_WORDS]
    return {run for run in zip(*(words[start:] for start in range(SHARED_RUN))) if not set(run) <= _NAMES}


def _makes_same_point(text: str, earlier: Iterable[str]) -> bool:
    """True when a line shares half its words with an earlier one, or a run of words
    ('women, children and juvenile justice among the areas')."""
    runs = _runs(text)
    return _echoes(text, earlier) or any(runs & _runs(line) for line in earlier)


_CITES_A_RECOMMENDATION = re.compile(r"recommend|Committee (?:also )?asked|Universal Periodic Review|\bUPR\b")


OPENING_WORDS = 5
SAME_SUBJECT_WORDS = 3
# Words every brief uses, which say nothing of a line's subject.
_EVERY_BRIEF = {"minis", "strat", "natio", "gover", "artic", "conve", "commi", "deleg", "state", "torture", "tortu", "preve",
                "polic", "recom", "share", "other", "exper", "suppo", "visit", "imple", "tool"}


def _on_the_same_subject(text: str, lines: Iterable[str]) -> bool:
    """True when a line shares SAME_SUBJECT_WORDS words of substance with one of the lines
    (doctors examining people in custody; women and children in the Ministry's work)."""
    subject = _stems(text) - _EVERY_BRIEF
    return any(len(subject & (_stems(line) - _EVERY_BRIEF)) >= SAME_SUBJECT_WORDS for line in lines)


def _opens_alike(text: str, lines: Iterable[str]) -> bool:
    """True when a line opens with the same words as one of the lines ('Migration and asylum is one of the areas…')."""
    def opening(line: str) -> list[str]:
        return re.findall(r"[a-z]+", line.lower())[:OPENING_WORDS]
    return len(opening(text)) == OPENING_WORDS and any(opening(text) == opening(line) for line in lines)


def _courtesy_first(objectives: Iterable[str]) -> tuple[str, ...]:
    """The objectives with thanks first: a meeting opens with them."""
    return tuple(sorted(objectives, key=lambda text: not text.startswith("Thank")))


_ASKED = "asked: "  # marks, among what earlier briefs said, a question they answered
_ANSWERED = "answer: "  # ...and the first sentence of an answer they gave


def _pieces(text: str) -> list[str]:
    """The text's sentences and semicolon clauses, each with its closing mark."""
    return re.split(r"(?<=[.;]) ", text)


def _answer_key(response: str) -> str:
    """How the pack recognises an answer given in an earlier brief: by its first sentence."""
    return _ANSWERED + _pieces(response)[0]


def _echoes(text: str, own: Iterable[str]) -> bool:
    """True when one of the country file's own lines shares half the words of this reference line or more."""
    words = _content_words(text)
    return bool(words) and any(len(words & _content_words(line)) * 2 >= len(words) for line in own)


def _covered(text: str, lines: Iterable[str], share: float) -> bool:
    """True when the lines together give `share` of the text's words (two own messages may say what one reference line does)."""
    words = _content_words(text)
    said = set().union(*(_content_words(line) for line in lines))
    return bool(words) and len(words & said) >= share * len(words)


def _restated(carried: list[Recommendation], messages: Iterable[str]) -> set[int]:
    """Which of the brief's recommendations a message of the country file already makes.

    A message makes one when it shares most of its words; or when it cites a recommendation
    ('as the Committee recommended in 2019') and this is the one of that body and year it
    shares most words with (and some words at least)."""
    found: set[int] = set()
    for message in messages:
        said = _content_words(message)
        overlaps = [len(_content_words(item.text) & said) / max(1, len(_content_words(item.text))) for item in carried]
        found.update(number for number, share in enumerate(overlaps) if share >= 0.6)
        if not _CITES_A_RECOMMENDATION.search(message):
            continue
        cited = [
            number for number, item in enumerate(carried)
            if overlaps[number] >= 0.15 and str(item.date.year) in message and (("Committee" in message or "CAT" in message) if item.source == "CAT" else item.source != "CAT")
        ]
        if cited:
            found.add(max(cited, key=lambda number: overlaps[number]))
    return found


# Words a recommendation may open with that are not a verb in the imperative.
_NOT_IMPERATIVE = {"The", "A", "An", "All", "Every", "Each", "State", "States", "Its", "Their", "This", "That", "In", "On", "By"}


def _as_clause(text: str, state: str) -> str | None:
    """'Ensure that…' as 'ensure that…', to follow 'recommended that Marisca'; None if not an imperative."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    if not first.isalpha() or not first[0].isupper() or not first[1:].islower() or first in _NOT_IMPERATIVE or first == state:
        return None
    return first.lower() + text[len(first):]


def _priority_of(item: Recommendation, country: Country) -> str | None:
    """The priority of the visit that the recommendation concerns (a third of its words, names
    such as 'Committee against Torture' aside: a priority on the report is not one on Article 22), if any."""
    wanted = _content_words(item.text) - _TREATY_NAMES
    return next((_prose(text) for text in country.visit.priorities if wanted and len(wanted & _content_words(text)) >= 0.3 * len(wanted)), None)


def _recommendation_message(
    item: Recommendation, country: Country, reference: Reference, facts: StateFacts, first_of_committee: bool,
    repeat_offer: bool = False, name_priority: bool = True, due_said: bool = False, ordinal: str = "",
) -> str:
    """A recommendation the brief's header lists, as a key message: raise it, and what CTI offers.

    The header gives its text; the message points to it rather than quoting it again. The next
    report's due date is named with the first of the Committee's recommendations a pack raises,
    unless the brief's own lines give it (`due_said`)."""
    offer = _area_offer(reference, item.area) or "CTI can share how other States acted on similar recommendations."
    # A recommendation on what the Government has named a priority of the visit says so.
    priority = _priority_of(item, country)
    if "optional protocol" in item.text.lower():
        offer = "CTI can share the experience of States parties to the Optional Protocol, whenever the Government wishes to consider it."
    if repeat_offer:
        offer = ""  # an earlier recommendation of the brief already made the same offer
    if priority and name_priority and item.response == "noted":
        # Not 'On the recommendation that X noted (above): among its priorities…': the turn is the point.
        # The row says the State noted it; the message speaks of the Government's priority, in its terms.
        when = format_date(item.date, "MMMM y", locale="en")
        return f"Among its own priorities for this visit, the Government has named {priority}, the subject of the recommendation of the Universal Periodic Review of {when} (above). {offer}".rstrip()
    if priority and name_priority:
        offer = f"Among its own priorities for this visit, the Government has named {priority}. {offer}".rstrip()
    if item.source != "CAT" and "report" in item.text.lower() and "overdue" in item.text.lower():
        offer = "CTI can help plan the remaining work, with a timeline and contributions across government, and share the experience of States that faced the same task."
    elif item.source != "CAT" and "report" in item.text.lower() and facts.reporting and facts.reporting.overdue and facts.reporting.due:
        offer = "CTI can help plan the remaining work on the report, with a timeline and contributions across government, and share the experience of States that faced the same task."
    reporting = facts.reporting
    next_report = ""
    if item.source == "CAT" and first_of_committee and reporting and reporting.due and reporting.due_source == "committee" and not reporting.overdue and not due_said:
        next_report = f"The steps taken on it will be part of the next report, due {long_date(reporting.due, country.language)}."
    elif item.source == "CAT" and first_of_committee and reporting and reporting.overdue:
        next_report = "The steps taken on it will be part of the State\u2019s next report."
    if not (offer or next_report):
        return ""  # nothing to add to the header's row
    # A point to make, not an instruction: 'On the Committee's recommendation … (above): CTI can …'.
    said = " ".join(part for part in (offer, next_report) if part)
    return f"{_on_listed(item, country, ordinal)}: {_after_colon(said, country)}"


def _after_colon(text: str, country: Country) -> str:
    """'Other States have…' as 'other States have…' after a colon; 'CTI', a tool or the State keep their capital."""
    first = text.split(" ", 1)[0]
    if first.isupper() or first in {"Implementation", "Training", "Article", "Articles", country.short_name}:
        return text
    return text[:1].lower() + text[1:]


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def _ordinal_among(item: Recommendation, listed: list[Recommendation]) -> str:
    """'second' for the second of several recommendations of one review in a brief's header; '' if it is the only one."""
    alike = [other for other in listed if (other.source, other.date, other.body, other.response) == (item.source, item.date, item.body, item.response)]
    if len(alike) < 2 or item not in alike or _subject_of(item.text):
        return ""
    return ORDINALS[alike.index(item)] if alike.index(item) < len(ORDINALS) else ""


def _on_listed(item: Recommendation, country: Country, ordinal: str = "") -> str:
    """'On the Committee against Torture's recommendation of May 2021 on … (above)', without its full text.

    `ordinal` ('second') tells apart recommendations of one review listed together."""
    when = format_date(item.date, "MMMM y", locale="en")
    topic = f" on {_subject_of(item.text)}" if _subject_of(item.text) else ""
    # 'the second of the recommendations' rather than 'the second recommendation', which reads as a date order.
    which, noun = (f"the {ordinal} of the", "recommendations") if ordinal else ("the", "recommendation")
    if item.source == "CAT":
        owner = f"{which} Committee against Torture\u2019s" if ordinal else "the Committee against Torture\u2019s"
        return f"On {owner} {noun} of {when}{topic} (above)"
    if item.source == "UPR":
        response = {"accepted": f"that {country.short_name} accepted", "noted": f"that {country.short_name} noted"}.get(item.response or "", "made")
        return f"On {which} {noun}{topic} {response} at the Universal Periodic Review of {when} (above)"
    body = item.body or "a regional or international body"
    return f"On {which} {noun}{topic} that {body} made in {when} (above)"


# 'Reduce the use of pre-trial detention…' is on 'pre-trial detention': the object of the recommendation's verb, up to a clause.
_SUBJECT_END = re.compile(r",| with | for | and (?:make|ensure|establish|provide|guarantee|adopt|take|set|bring|improve)\b| so that| in order| by | through | with a view| in line| in accordance| including| in particular| that | which | who | are | is | be ")


def _subject_of(text: str) -> str:
    """A few words naming what a recommendation is about, or '' when none can be found safely."""
    clause = _as_clause(text, "")
    if clause is None:
        return ""
    rest = clause.split(" ", 1)[1] if " " in clause else ""
    rest = re.sub(r"^(?:the use and length of|the use of|the length of)\s+", "", rest)
    verb = clause.split(" ", 1)[0].lower()
    # 'ensure that…', 'investigate and prosecute…': no noun to name; 'reduce overcrowding…' names one bare.
    if not re.match(r"(?:the|a|an|its) ", rest) and not (verb in _VERBS_BEFORE_A_BARE_NOUN and re.match(r"[a-z]", rest)):
        return ""
    subject = _SUBJECT_END.split(rest, 1)[0].strip().rstrip(".")
    return subject if 2 <= len(subject.split()) <= 10 else ""


_VERBS_BEFORE_A_BARE_NOUN = {"reduce", "end", "prevent", "prohibit", "abolish", "combat", "criminalize", "criminalise"}


def cover_values(shared: PackValues, contents: Iterable[ContentsLine]) -> CoverValues:
    """Return the cover's values: the pack's, and the contents with their page numbers."""
    return CoverValues(**{item.name: getattr(shared, item.name) for item in fields(PackValues)}, contents=tuple(contents))


# --- Prose helpers --------------------------------------------------------------------------


def and_list(items: Iterable[str], phrases: bool = False) -> str:
    """'a', 'a and b', 'a, b and c'; 'a and x, b, and c' when a short item holds an 'and' (the
    serial comma shows where the last item starts); 'a, x; b; and c' when an item holds a comma
    or is a long phrase with an 'and' (given `phrases`: any phrase with an 'and', or phrases of
    more than three words each)."""
    listed = [str(item) for item in items]
    if len(listed) <= 1:
        return "".join(listed)
    # Commas inside items, or long phrases joined by 'and', need the stronger separator.
    # Phrases of several words each read as one list only with semicolons ('completing the draft
    # strategy to prevent torture and safeguards for migrants' reads as one item with commas).
    long_phrases = phrases and all(len(item.split()) > 3 for item in listed)
    if len(listed) > 2 and (long_phrases or any("," in item or (" and " in item and (phrases or len(item.split()) > 8)) for item in listed)):
        return f"{'; '.join(listed[:-1])}; and {listed[-1]}"
    if phrases and len(listed) == 2 and " and " in listed[0]:
        return f"{listed[0]}, and {listed[1]}"  # 'law and practice, and training': where the second starts
    if len(listed) > 2 and any(" and " in item for item in listed):
        return f"{', '.join(listed[:-1])}, and {listed[-1]}"
    return f"{', '.join(listed[:-1])} and {listed[-1]}"


RIGHT_TO_LEFT_WORDS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]+(?: [\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]+)*")


def typographic(text: str) -> str:
    """Straight quotes and apostrophes as typographic ones; hyphens between numbers, or spaced, as en dashes;
    an Arabic or Hebrew name kept on one line, so that a line break cannot reorder it."""
    # No line break inside right-to-left words nor before their bracket: a break there reorders them.
    text = RIGHT_TO_LEFT_WORDS.sub(lambda match: match.group(0).replace(" ", "\u00a0"), text)
    text = re.sub(r" (?=\(?[\u0590-\u08ff])", "\u00a0", text)
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)  # O'Neill, State's
    text = re.sub(r"(^|[\s(\[\u2014\u2013-])'", "\\1\u2018", text)
    text = text.replace("'", "\u2019")
    # One quotation style in a pack: a phrase in single quotes takes double ones (not an apostrophe within it).
    text = re.sub("\u2018((?:[^\u2018\u2019]|\u2019(?=\\w))+)\u2019(?!\\w)", "\u201c\\1\u201d", text)
    text = re.sub(r'(^|[\s(\[\u2014\u2013-])"', "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = text.replace(" - ", " \u2013 ")  # a spaced hyphen is a dash
    return re.sub(r"(?<=\d)-(?=\d)", "\u2013", text)


def long_date(day: dt.date, language: str = "en") -> str:
    return format_date(day, "d MMMM y", locale=language)


def date_range(start: dt.date, end: dt.date, language: str = "en") -> str:
    """'16–18 February 2027', '30 March – 1 April 2027', or one date for a one-day span."""
    if start == end:
        return long_date(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{long_date(end, language)}"
    if start.year == end.year:
        return f"{format_date(start, 'd MMMM', locale=language)} \u2013 {long_date(end, language)}"
    return f"{long_date(start, language)} \u2013 {long_date(end, language)}"


def dates_in_prose(start: dt.date, end: dt.date, language: str = "en") -> str:
    """'on 14 April 2027', 'on 11 and 12 May 2027', 'from 16 to 18 February 2027', 'from 30 March to 1 April 2027'."""
    if start == end:
        return f"on {long_date(start, language)}"
    if (end - start).days == 1:  # two days read as two days, not as a range
        if start.month == end.month:
            return f"on {start.day} and {long_date(end, language)}"
        return f"on {format_date(start, 'd MMMM', locale=language) if start.year == end.year else long_date(start, language)} and {long_date(end, language)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"from {start.day} to {long_date(end, language)}"
    if start.year == end.year:
        return f"from {format_date(start, 'd MMMM', locale=language)} to {long_date(end, language)}"
    return f"from {long_date(start, language)} to {long_date(end, language)}"


def _prose(text: str) -> str:
    """Data written as a phrase of a letter: typographic, and '&' spelt out."""
    return typographic(text).replace(" & ", " and ")


def _with_article(name: str) -> str:
    # Institutions take 'the' in a sentence; names that already have one keep it.
    return name if name.lower().startswith("the ") else f"the {name}"


def _place(name: str) -> str:
    """A place named in a sentence: 'Dravenik Central Prison' as it is, which a proper name opens;
    'the Central Remand Centre', which a common word opens."""
    first = name.split()[0] if name.split() else ""
    return _with_article(name) if first in _COMMON_OPENERS or not first[:1].isupper() else name


_COMMON_OPENERS = {
    "Central", "National", "Federal", "State", "Regional", "District", "Provincial", "Municipal", "Main", "New", "Old", "High",
    "Maximum", "Medium", "Minimum", "Open", "Closed", "General", "Women’s", "Women's", "Juvenile", "Youth", "Immigration",
    "Police", "Prison", "Remand", "Detention", "Psychiatric", "Military", "Reception", "Correctional", "Pre-trial", "City",
}


def _full_name(honorific: str | None, name: str) -> str:
    """'H.E. Ms Ana Costa'; but 'Hon. Ana Costa': 'The Honourable' takes no Mr or Ms after it."""
    if honorific and honorific.removeprefix("The ").startswith("Hon"):
        name = COURTESY_TITLE.sub("", name)
    return f"{honorific} {name}" if honorific else name


def _title_and_office(title: str, office: str) -> str:
    """'Minister of Justice' needs no ', Ministry of Justice'; 'Director' needs its office."""
    if not office:
        return title
    if not title:
        return office
    # 'Ministry of Justice of the Union of Calvenne' is the Ministry of Justice, with its State.
    state = _OF_THE_STATE.search(office)
    core = office[:state.start()] if state else office
    significant = {word for word in re.findall(r"\w+", core.lower()) if len(word) > 3 and word not in {"ministry", "office", "department"}}
    if significant and significant <= set(re.findall(r"\w+", title.lower())):
        return f"{title} {state.group(1)}" if state and state.group(1) not in title else title
    # 'Prison Service of Ostravia' after 'Director-General of the Prison Service': the State's name adds nothing.
    named = re.search(r"\s+of [A-Z][\w\u2019'-]+$", core)
    core_words = {word for word in re.findall(r"\w+", core[:named.start()].lower()) if len(word) > 3 and word not in {"ministry", "office", "department"}} if named else set()
    if core_words and core_words <= set(re.findall(r"\w+", title.lower())):
        return title
    return f"{title}, {office}"


_OF_THE_STATE = re.compile(r"\s+(of the (?:Republic|Kingdom|Union|State|States|Federation|Federal Republic|Commonwealth|Principality|Sultanate|Emirates?|Islamic Republic|Democratic Republic|People\u2019s Republic|Grand Duchy)\b.*)$")


def _described_by_office(people: Iterable[PersonValues], lines: bool = False) -> list[str]:
    """Each person described, those of one institution after its name, said once.

    'National Assembly (Hon. Ms A, Chair, Standing Committee; Members of the Standing Committee)'
    rather than the Assembly named after each of them. With `lines`, the people follow the
    institution on lines of their own.
    """
    groups: list[list[PersonValues]] = []
    for person in people:
        if groups and person.office and groups[-1][-1].office == person.office:
            groups[-1].append(person)
        else:
            groups.append([person])
    described = []
    # On lines, once one institution heads its people, every one does: a lone judge of another
    # court under the Supreme Court's dashed list would read as one of its members.
    headed = lines and any(len(group) > 1 for group in groups)
    for group in groups:
        if len(group) == 1 and not (headed and group[0].office and group[0].name):
            described.append(group[0].described)
            continue
        members = [", ".join(part for part in (person.full_name, person.title) if part) if person.name else person.title or person.office for person in group]
        # On one line the group is closed by brackets, so that whoever follows is not read as one of it.
        # On lines of their own, its members are dashed, so that a person of another institution after them is not read as one.
        described.append(f"{group[0].office}:" + "".join(f"\n\u2013 {member}" for member in members) if lines else f"{group[0].office} ({'; '.join(members)})")
    return described


def _person(person: Person | Counterpart) -> PersonValues:
    # A name given in two scripts puts the right-to-left one on a line of its own, where a
    # narrow column cannot break and reorder it.
    name = re.sub("\u00a0(?=\\([\u0590-\u08ff])", "\n", typographic(person.name or ""))
    office = typographic(person.office or "")
    title = typographic(person.title or "")
    full_name = _full_name(person.honorific, name) if name else office
    title_and_office = _title_and_office(title, office) if name else title
    # Someone unnamed ('Members of the Standing Committee') is described title first, then office.
    described = ", ".join(part for part in (full_name, title_and_office) if part) if name else (_title_and_office(title, office) if title else office)
    return PersonValues(name, person.honorific or "", full_name, title, office, title_and_office, described, typographic(person.bio or ""))


def _member(member: DelegationMember) -> MemberValues:
    position = typographic(member.position)
    # 'Ambassador of Ghana' needs no '(Ghana)'; 'Legal expert' does.
    with_state = f"{position} ({member.state})" if member.state and member.state not in position else position
    return MemberValues(typographic(member.name), _full_name(member.honorific, typographic(member.name)), position, with_state, member.role, ROLE_LABELS[member.role], member.rank, member.state or "")


def _visit(country: Country, as_of: dt.date) -> VisitValues:
    visit = country.visit
    addressee = _person(visit.addressee)
    days = visit_days(visit.start, visit.end)
    until = (visit.start - as_of).days
    starts_in = "took place" if until < 0 else "starts today" if until == 0 else "starts tomorrow" if until == 1 else f"starts in {until} days"
    return VisitValues(
        reference=visit.reference,
        letter_date=visit.letter_date,
        letter_form=visit.letter_form,
        start=visit.start,
        end=visit.end,
        days=days,
        days_in_words="1 day" if days == 1 else f"{days} days",
        days_until=until,
        dates=date_range(visit.start, visit.end, country.language),
        dates_in_prose=dates_in_prose(visit.start, visit.end, country.language),
        # Dates agreed before the invitation are confirmed, not proposed.
        proposed_dates=("the date agreed remains" if days == 1 else "the dates agreed remain") if visit.agreed_at
        else ("the proposed date is" if days == 1 else "the proposed dates are"),
        origin=(f"at the invitation of the Government of {country.article} {country.name}" if visit.requested_by_government
                else f"proposed by the Convention against Torture Initiative and agreed with the Government of {country.article} {country.name}" if visit.agreed_at
                else f"proposed by the Convention against Torture Initiative to the Government of {country.article} {country.name}").replace("  ", " "),
        starts_in=starts_in,
        city=visit.city,
        addressee=AddresseeValues(**{item.name: getattr(addressee, item.name) for item in fields(PersonValues)}, salutation=visit.addressee.salutation, address=_address_with_state(country)),
        signatory=_person(visit.signatory) if visit.signatory else None,
        priorities=tuple(typographic(item) for item in visit.priorities),
        reply_by=visit.reply_by,
    )


def _address_with_state(country: Country) -> tuple[str, ...]:
    """The addressee's postal lines, ending with the State unless the office or a line names it (mail from Geneva)."""
    addressee = country.visit.addressee
    lines = tuple(typographic(line) for line in addressee.address)
    if not lines or lines[-1] == country.short_name or any(country.name in text for text in (addressee.office or "", *lines)):
        return lines
    return (*lines, country.name)


def _invitation(country: Country, reference: Reference, facts: StateFacts, delegation: tuple[MemberValues, ...], meetings: tuple[MeetingValues, ...], formal_name: str, source: str) -> InvitationValues:
    visit = country.visit
    purposes = select(reference.invitation.purpose, facts)
    if len(purposes) != 1:
        situation = f"UNCAT {facts.uncat}, joining by {facts.joins_by}, OPCAT {facts.opcat}, strategy {facts.strategy}"
        found = "none applies" if not purposes else f"{len(purposes)} apply"
        raise ContentError([Problem("content/reference/invitation.yaml", None, "invitation.purpose", f"exactly one paragraph must apply to each State, but for {country.short_name} ({situation}) {found}", "adjust the items' 'when:' conditions")])
    ministry_office = visit.addressee.office or "Ministry of Foreign Affairs"
    ministry = _with_article(ministry_office)
    if not re.search(rf"(?<!\w){re.escape(country.short_name)}(?!\w)", ministry_office):
        ministry = f"{ministry} of {formal_name}"
    head = next(member for member in delegation if member.role == "head")
    return InvitationValues(
        title=invitation_title(country),
        purpose=typographic(purposes[0].text),
        priorities_clause=f", including the priorities it has indicated: {and_list((_prose(item) for item in visit.priorities), phrases=True)}" if visit.priorities else "",
        head=f"{head.full_name}, {_in_running_text(head.position_and_state)}",
        members=tuple(f"{member.full_name}, {_in_running_text(member.position_and_state)}" for member in delegation if member.role != "head"),
        elements=_programme_elements(country, meetings, "your Government" if visit.letter_form == "letter" else "the Government"),
        in_response=_in_response(visit),
        # What was agreed is confirmed; the letter's first person confirms the proposal it then sets out.
        proposing=("to set out the proposal for" if visit.letter_form == "letter" else "to confirm") if visit.agreed_at else "to propose",
        reply_clause=f", if possible by {long_date(visit.reply_by, country.language)}" if visit.reply_by else "",
        ministry=ministry,
        place_and_date=f"Geneva, {long_date(visit.letter_date, country.language)}",
        ministry_address="\n".join([typographic(ministry_office), *_address_with_state(country)]),
    )


_LINKING_WORDS = {"of", "for", "to", "and", "the", "at", "in", "on"}


def _in_running_text(position: str) -> str:
    """A position as it reads after a name in a sentence: a description ('Forensic physician and
    adviser to…') starts in lower case, a title ('Programme Officer', 'Director of…') does not."""
    words = position.split(" ")
    described = len(words) > 1 and (words[0] in ("Former", "Retired") or (words[1][:1].islower() and words[1] not in _LINKING_WORDS and words[0][1:].islower()))
    return position[:1].lower() + position[1:] if described else position


def _in_response(visit: Visit) -> str:
    """The clause recalling what led to the invitation: the Government's own request, what was agreed before."""
    government = "your Government\u2019s" if visit.letter_form == "letter" else "the Government\u2019s"
    # A letter answers the Minister's own letter by name, with thanks, where the file records it.
    own_letter = _prose(visit.requested_in).rstrip(".") if visit.requested_in and visit.letter_form == "letter" else ""
    request = f"with thanks for {own_letter}" if own_letter else f"in response to {government} invitation"
    asked = request if visit.requested_by_government else ""
    agreed = f"further to {_prose(visit.agreed_at).rstrip('.')}" if visit.agreed_at else ""
    clause = " and ".join(part for part in (asked, agreed) if part)
    return f", {clause}," if clause else ""


def invitation_title(country: Country) -> str:
    """The invitation's title in the contents and on the cover."""
    visit = country.visit
    if visit.letter_form == "note_verbale":
        return f"Note verbale to the {visit.addressee.office or 'Ministry of Foreign Affairs'}"
    # A letter answering the Government's own invitation is not itself one.
    return f"Letter to the {visit.addressee.title}" if visit.requested_by_government else f"Letter of invitation to the {visit.addressee.title}"


def _official(meeting: MeetingValues) -> str:
    """How the invitation names an official met: 'the Attorney-General', 'the Commissioner-General of
    the National Police', or, for a group, 'senior officials of the Ministry of the Interior'."""
    person = meeting.counterpart
    office = _with_article(person.office) if person.office else ""
    if len(meeting.counterparts) == 1 and person.name and person.title:
        if not office or " of " in person.title or person.title.lower() in office.lower():
            return _with_article(person.title)
        return f"{_with_article(person.title)} of {office}"
    return f"senior officials of {office or _with_article(person.title)}"


def _programme_elements(country: Country, meetings: tuple[MeetingValues, ...], government: str) -> tuple[str, ...]:
    """The elements of the programme that is actually planned, in the seed document's order.

    `government` is how the invitation names the Government: 'your Government' in a letter.
    """
    by_kind: dict[str, list[MeetingValues]] = {}
    for meeting in meetings:
        by_kind.setdefault(meeting.kind, []).append(meeting)
    elements = []
    addressee = country.visit.addressee
    # A letter proposes a meeting with its own addressee as one with "Your Excellency".
    you = "Your Excellency" if country.visit.letter_form == "letter" and addressee.salutation == "Excellency" else None
    ministers = _unique(
        (you if you and person.name == typographic(addressee.name or "") else _with_article(person.title))
        for meeting in by_kind.get("ministerial", []) for person in meeting.counterparts if person.title
    )
    if you in ministers:
        ministers = [you] + [minister for minister in ministers if minister != you]
    if ministers:  # ministers met together are one meeting
        elements.append(f"{_meetings_with(by_kind['ministerial'])} {and_list(ministers)}")
    officials = _unique(_official(meeting) for meeting in by_kind.get("official", []))
    if officials:
        elements.append(f"{_meetings_with(by_kind['official'])} {and_list(officials)}")
    elif country.visit.priorities and len(ministers) < 2:
        # A programme that meets no one responsible for the Government's priorities asks for them.
        elements.append(f"meetings with the authorities responsible for the priorities {government} has indicated")
    others = []
    if "judiciary" in by_kind:
        others.append("members of the judiciary")
    others += _unique(_with_article(person.office or person.full_name) for meeting in by_kind.get("stakeholder", []) for person in meeting.counterparts)
    if others:
        # The list opens 'Subject to the advice of your Government': the advice is not said again here.
        elements.append(f"{_meetings_with(others)} {and_list(_unique(others))}")
    # An independent institution (an ombudsman, a national preventive mechanism) is met in its own right.
    independent = _unique(_with_article(person.office or person.full_name) for meeting in by_kind.get("nhri", []) for person in meeting.counterparts)
    if independent:
        elements.append(f"{_meetings_with(independent)} {and_list(independent)}")
    if country.seminar:
        seminar = country.seminar
        when = long_date(seminar.date, country.language)
        if seminar.agreed_with_government:  # the letter does not propose what the Government has agreed
            elements.append(f"the facilitated {seminar.kind} on {when}, whose programme {government} has agreed, with expert facilitators sharing the experience of other countries")
        else:  # the invitation proposes the visit: its seminar's programme is not yet a settled matter
            elements.append(f"a facilitated {seminar.kind} on {when} with expert facilitators, sharing the experience of other countries")
    partners = []
    if "united_nations" in by_kind:
        partners.append("the United Nations country team")
    partners += _unique(_with_article(person.office or person.full_name) for meeting in by_kind.get("regional", []) for person in meeting.counterparts)
    if "civil_society" in by_kind:
        partners.append("civil society organisations")
    if "group_of_friends" in by_kind:  # last: 'the embassies of the CTI Group of Friends and civil society organisations' misreads
        partners.append("the embassies of the CTI Group of Friends")
    if partners:
        elements.append(f"{'a private meeting with' if len(partners) == 1 else 'private meetings with'} {and_list(partners)}")
    if "detention_visit" in by_kind:
        visits = [meeting for meeting in country.meetings if meeting.kind == "detention_visit"]
        named = [_place(typographic(meeting.venue.split(",")[0])) for meeting in visits if meeting.venue]
        # Once the visit was agreed with the Government, the place it directed the delegation to is named.
        if (country.visit.agreed_at or country.visit.requested_by_government) and len(named) == len(visits):
            elements.append(f"a visit to {and_list(_unique(named))}, as {government} has proposed")
        else:
            places = "a place" if len(visits) == 1 else "places"
            elements.append(f"a visit to {places} where persons are deprived of their liberty, only at the direction of {government}")
    return tuple(f"{element}{'.' if number == len(elements) else ';'}" for number, element in enumerate(elements, start=1))


def _when(meeting: Meeting, country: Country) -> str:
    days = visit_days(country.visit.start, country.visit.end)
    day = f" (day {(meeting.date - country.visit.start).days + 1} of {days})" if days > 1 else ""
    moment = format_date(meeting.date, "EEEE d MMMM y", locale=country.language)
    return f"{moment}, {meeting.start:%H:%M}\u2013{meeting.end:%H:%M}{day}"


def _meetings_with(items: list) -> str:
    return "a meeting with" if len(items) == 1 else "meetings with"


MAX_INSTITUTIONS_IN_HEADING = 2
_RIGHT_TO_LEFT_PART = re.compile("\\s*\\(([\u0590-\u08ff][^)]*)\\)")


def _meeting(number: int, meeting: Meeting, country: Country, reference: Reference) -> MeetingValues:
    portfolio = reference.portfolios[meeting.portfolio] if meeting.portfolio else None
    counterparts = tuple(_person(person) for person in meeting.counterparts)
    first = counterparts[0]
    kind_label = _kind_label(meeting, reference)
    about = first.bio
    if len(counterparts) == 1:
        heading, subheading = first.full_name, first.title_and_office if first.name else kind_label
        # A heading in another script and size would sit on a line of its own: the name in its
        # own script is given, in body size, with what the brief says about the counterpart.
        own_script = _RIGHT_TO_LEFT_PART.search(heading)
        if own_script:
            heading = heading[:own_script.start()].rstrip()
            about = " ".join(part for part in (f"Name in its own script: {own_script.group(1)}.", first.bio) if part)
    else:
        # Several people are named; a roundtable of organisations is named by the organisations.
        named = all(person.name for person in counterparts)
        met = _unique(person.full_name if named else person.office or person.full_name for person in counterparts)
        heading, subheading = and_list(met), kind_label
        # Three organisations or more make a heading of several lines: the 'With' row names them.
        institutions = _unique(person.office for person in counterparts if person.office)
        if len(institutions) > MAX_INSTITUTIONS_IN_HEADING:
            heading, subheading = f"{kind_label}: {len(institutions)} organisations", and_list(institutions) if len(", ".join(institutions)) <= 90 else ""
    direction = ", at the Government\u2019s direction" if meeting.at_government_direction else ""
    # The programme names the counterpart's own ministry or service where there is one: the
    # portfolio's generic title ('Justice and legal affairs') may not be what the State calls it.
    office = typographic(meeting.counterparts[0].office or "") if len(meeting.counterparts) == 1 else ""
    if portfolio and office and meeting.kind in ("ministerial", "official"):
        # Not 'Prosecution service: Public Prosecution Service'.
        subject = office if kind_label.lower() in office.lower() else f"{kind_label}: {office}"
    elif meeting.kind == "detention_visit" and meeting.venue:
        subject = f"Visit to {_place(typographic(meeting.venue.split(',')[0]))}"
    else:
        subject = f"{kind_label}: {typographic(portfolio.title)}" if portfolio and portfolio.title.lower() not in kind_label.lower() else kind_label
    with_bios = [person for person in counterparts if person.bio]
    return MeetingValues(
        number=number,
        date=meeting.date,
        start=meeting.start,
        end=meeting.end,
        day_number=(meeting.date - country.visit.start).days + 1,
        kind=meeting.kind,
        kind_label=kind_label,
        format=f"{subject}{direction}",
        portfolio=PortfolioValues(meeting.portfolio, typographic(portfolio.title)) if portfolio and meeting.portfolio else None,
        subject=subject,
        counterparts=counterparts,
        counterpart=first,
        counterparts_described="; ".join(_described_by_office(counterparts)),
        heading=heading,
        subheading=subheading,
        about_label="About the counterparts" if len(with_bios) > 1 else f"About the {first.title}" if len(counterparts) > 1 and first.title else "About the counterpart",
        about="\n".join(f"{person.full_name}: {person.bio}" for person in with_bios) if len(with_bios) > 1 else about,
        with_line="\n".join(_described_by_office(counterparts, lines=True)) if len(counterparts) > 1 else "",
        when=_when(meeting, country),
        venue=typographic(meeting.venue) if meeting.venue else "Venue to be confirmed",
        participants=", ".join(typographic(name) for name in meeting.participants) if meeting.participants else FULL_DELEGATION,
        at_government_direction=meeting.at_government_direction,
        is_npm=meeting.is_npm,
    )


def _kind_label(meeting: Meeting, reference: Reference) -> str:
    """How the programme names the meeting's kind, in the counterpart's own terms where they tell more."""
    if meeting.is_npm:
        return "National preventive mechanism"
    title = meeting.counterparts[0].title or ""
    if meeting.kind == "official" and re.match(r"(Vice|Deputy)[- ]Minister", title):
        return "Vice-ministerial meeting"
    # An independent prosecutor is not one of the Government's officials.
    if meeting.kind == "official" and meeting.portfolio == "prosecution":
        return "Prosecution service"
    ombudsman = re.search(r"\bOmbuds\w*", title)
    if meeting.kind == "nhri" and ombudsman:
        return ombudsman.group(0)
    return typographic(reference.meeting_kinds[meeting.kind].label)


def _programme_days(country: Country, meetings: tuple[MeetingValues, ...], seminar: SeminarValues | None) -> tuple[DayValues, ...]:
    visit = country.visit
    days = []
    for offset in range(visit_days(visit.start, visit.end)):
        day = visit.start + dt.timedelta(days=offset)
        events = [
            EventValues(meeting.start, meeting.end, meeting.subject, _event_detail(meeting), meeting.counterparts_described, meeting.venue, meeting.participants)
            for meeting in meetings if meeting.date == day
        ]
        if seminar and seminar.date == day:
            first, last = seminar.sessions[0], seminar.sessions[-1]
            status = "" if country.seminar and country.seminar.agreed_with_government else " (draft, to be agreed)"
            events.append(EventValues(first.start, last.end, f"{seminar.kind_label}: {seminar.title}", f"See the {seminar.kind} programme{status}", and_list(seminar.institutions) if len(seminar.institutions) <= 3 else f"{len(seminar.institutions)} participating institutions", seminar.venue, FULL_DELEGATION))
        events.sort(key=lambda event: (event.start, event.end))
        note = "" if events else "No meeting is scheduled; the day is kept free for the delegation\u2019s own work and any meeting the Government proposes."
        # A one-day visit has no 'Day 1'.
        day_and_date = format_date(day, "EEEE d MMMM y", locale=country.language)
        title = f"Day {offset + 1}: {day_and_date}" if visit.end > visit.start else day_and_date
        days.append(DayValues(offset + 1, day, title, tuple(events), note))
    return tuple(days)


def _event_detail(meeting: MeetingValues) -> str:
    """The lines under a meeting in the programme: at whose direction, and who attends if not the full delegation."""
    lines = ["At the Government\u2019s direction"] if meeting.at_government_direction else []
    if meeting.participants != FULL_DELEGATION:
        lines.append(f"Attending: {meeting.participants}")
    return "\n".join(lines)


SHORTEST_BREAK_MINUTES = 10


def _speaker(speaker: str, country: Country) -> str:
    """A speaker given by a counterpart's title ('Minister of the Interior') named as the visit's
    programme names them ('H.E. Ms Lenka Horáčková, Minister of the Interior')."""
    for meeting in country.meetings:
        for person in meeting.counterparts:
            if person.name and person.title and speaker.strip().lower() == person.title.lower():
                return f"{_full_name(person.honorific, typographic(person.name))}, {typographic(person.title)}"
    return typographic(speaker)


def _sessions_with_breaks(seminar: Seminar, country: Country) -> tuple[SessionValues, ...]:
    """The sessions in order, with the breaks between them shown: a day's gaps are not a mystery."""
    rows: list[SessionValues] = []
    for session in seminar.sessions:
        if rows:
            gap_start, gap_end = rows[-1].end, session.start
            minutes = (gap_end.hour * 60 + gap_end.minute) - (gap_start.hour * 60 + gap_start.minute)
            if minutes >= SHORTEST_BREAK_MINUTES:
                lunch = minutes >= 45 and gap_start < dt.time(14, 0) and gap_end > dt.time(12, 0)
                rows.append(SessionValues(gap_start, gap_end, "Lunch" if lunch else "Break", ""))
        rows.append(SessionValues(session.start, session.end, typographic(session.title), "; ".join(_speaker(name, country) for name in session.speakers)))
    return tuple(rows)


def _seminar(country: Country) -> SeminarValues | None:
    seminar = country.seminar
    if seminar is None:
        return None
    government = f"Government of {country.article} {country.name}".replace("  ", " ")
    note = f"Programme agreed jointly by the {government} and the CTI Secretariat." if seminar.agreed_with_government else f"Draft programme, to be agreed jointly with the {government}."
    return SeminarValues(
        kind=seminar.kind,
        kind_label=seminar.kind.capitalize(),
        title=typographic(seminar.title),
        date=seminar.date,
        venue=typographic(seminar.venue) if seminar.venue else "Venue to be confirmed",
        objectives=tuple(typographic(item) for item in seminar.objectives),
        sessions=_sessions_with_breaks(seminar, country),
        facilitators=tuple(typographic(item) for item in seminar.facilitators),
        specialists=tuple(typographic(item) for item in seminar.specialists),
        institutions=tuple(typographic(item) for item in seminar.institutions),
        facilitators_label="Expert facilitators" if len(seminar.facilitators) > 1 else "Expert facilitator",
        specialists_label="Subject specialists" if len(seminar.specialists) > 1 else "Subject specialist",
        status_note=note,
    )


def _status(country: Country, facts: StateFacts) -> StatusValues:
    uncat = country.uncat
    language = country.language
    name = country.short_name
    force = entry_into_force(uncat.deposited) if uncat.status == "party" and uncat.deposited else None
    if uncat.status == "party" and uncat.deposited and force:
        uncat_sentence = f"State party by {facts.joins_by}: instrument deposited on {long_date(uncat.deposited, language)}; in force for {name} since {long_date(force, language)}."
        uncat_short = f"State party since {long_date(force, language)}"
        # Only what the country file records: a declaration left out is not known to be absent.
        recorded = [
            f"Inquiry procedure (Article 20): {'not recognised (declaration under Article 28)' if uncat.article_20_opt_out else 'applies (no declaration under Article 28)'}." if uncat.article_20_opt_out is not None else "",
            f"Inter-State communications (Article 21): {'declaration made' if uncat.article_21_declaration else 'no declaration'}." if uncat.article_21_declaration is not None else "",
            f"Individual communications (Article 22): {'declaration made' if uncat.article_22_declaration else 'no declaration'}." if uncat.article_22_declaration is not None else "",
        ]
        procedures = " ".join(sentence for sentence in recorded if sentence)
    else:
        signed = f"Signed on {long_date(uncat.signed, language)}; not yet ratified." if uncat.signed else "Not yet a party; has not signed."
        joining = "by ratification" if facts.joins_by == "ratification" else "by accession"
        uncat_sentence = f"{signed} It would become a party {joining}; the Convention would enter into force for it on the thirtieth day after the deposit of its instrument."
        uncat_short = "Signatory; not yet ratified" if uncat.status == "signatory" else "Not yet a party"
        procedures = ""  # the choices open to a State on joining are a point of the foreign affairs brief
    return StatusValues(
        uncat=uncat.status,
        is_party=uncat.status == "party",
        uncat_sentence=uncat_sentence,
        uncat_short=uncat_short,
        procedures_sentence=procedures,
        opcat_sentence=_opcat_sentence(country),
        reporting_sentence=_reporting_sentence(country, facts),
        upr_sentence=_upr_sentence(country),
        entry_into_force=force,
        npm=typographic(uncat.npm or ""),
    )


def _opcat_sentence(country: Country) -> str:
    uncat = country.uncat
    language = country.language
    if uncat.opcat == "party":
        since = f" (instrument deposited on {long_date(uncat.opcat_deposited, language)})" if uncat.opcat_deposited else ""
        npm = f"national preventive mechanism: {typographic(uncat.npm)}." if uncat.npm else "no national preventive mechanism designated yet (Article 17 provides for one within a year of joining)."
        return f"State party to the Optional Protocol{since}; {npm}"
    if uncat.opcat == "signatory":
        return "Has signed the Optional Protocol; not yet ratified." + (f" National preventive mechanism: {typographic(uncat.npm)}." if uncat.npm else "")
    return "Not a party to the Optional Protocol." + (f" A body designated as national preventive mechanism: {typographic(uncat.npm)}." if uncat.npm else " No national preventive mechanism.")


def _reporting_sentence(country: Country, facts: StateFacts) -> str:
    reporting = facts.reporting
    language = country.language
    if reporting is None:
        return "No reporting obligation until the State becomes a party; its initial report would then be due one year after entry into force (Article 19)."
    parts = []
    if reporting.submitted:
        last = max(country.uncat.reports, key=lambda report: report.submitted)
        parts.append(f"Last report ({last.kind}) submitted on {long_date(last.submitted, language)}")
        parts[-1] += f" and reviewed by the Committee on {long_date(last.reviewed, language)}." if last.reviewed else "; awaiting review by the Committee."
    if reporting.next_kind == "initial" and reporting.due:
        state = f"not submitted; overdue since {long_date(reporting.due, language)}" if reporting.overdue else "not yet submitted"
        parts.append(f"Initial report due on {long_date(reporting.due, language)} under Article 19 (one year after entry into force); {state}.")
    elif reporting.due_source == "committee" and reporting.due:
        overdue = "; the date has passed and no report is recorded since" if reporting.overdue else ""
        parts.append(f"Next report due on {long_date(reporting.due, language)}, the date set by the Committee{overdue}.")
    elif reporting.estimate:
        parts.append(f"The date the Committee set for the next report is not recorded; an estimate, four years after the last review, is {format_date(reporting.estimate, 'MMMM y', locale=language)}.")
    elif not reporting.awaiting_review:
        parts.append("The date the Committee set for the next report is not recorded.")
    if facts.simplified_procedure is True:
        parts.append("The State reports under the simplified procedure (list of issues prior to reporting).")
    elif facts.simplified_procedure is False:
        parts.append("The State reports under the standard procedure.")
    return " ".join(parts)


def _upr_sentence(country: Country) -> str:
    review = country.uncat.upr_last_review
    if review is None:
        return "The date of the last Universal Periodic Review is not recorded."
    cycle = " (fourth cycle, 2022\u20132027)" if UPR_FOURTH_CYCLE[0] <= review <= UPR_FOURTH_CYCLE[1] else ""
    return f"Last reviewed on {long_date(review, country.language)}{cycle}."


UNCAT_ARTICLES = 33
_ARTICLES_CITED = re.compile(r"(?<!OPCAT )(?<!Protocol \()\bArticles? (\d+(?:(?:, | and | to |\u2013|-)\d+)*)")


def _cited_articles(texts: Iterable[str]) -> list[str]:
    """The Convention's articles a text cites, in order ('5 to 9' as '5–9'); none of the Optional Protocol's."""
    found: dict[int, str] = {}
    for text in texts:
        for match in _ARTICLES_CITED.finditer(text):
            # An article of the Optional Protocol: its sentence (or clause) speaks of the Protocol before it.
            clause = re.split(r"[.;] ", text[:match.start()])[-1]
            of_the_convention = text[match.end():].startswith(" of the Convention")
            if ("Optional Protocol" in clause or "OPCAT" in clause) and "Convention" not in clause.split("Optional Protocol")[-1] and not of_the_convention:
                continue
            if re.match(r" of (?:the |its )?(?!Convention)[A-Z]", text[match.end():]):  # 'Article 15 of the Penal Code'
                continue
            listed = re.sub(r"(\d+)(?: to |\u2013|-)(\d+)", lambda pair: f"{pair.group(1)}\u2013{pair.group(2)}", match.group(1))
            for item in re.split(r", | and ", listed):
                first = int(item.split("\u2013")[0])
                if first <= UNCAT_ARTICLES:  # 'Article 211' is of a Penal Code
                    found.setdefault(first, item)
    return [found[number] for number in sorted(found)]


_TOOLS_NAMED = re.compile(r"\b(Implementation|Training) Tools? (\d+/\d{4}(?:(?:, | and )\d+/\d{4})*)")


def _cites_tool(title: str, texts: Iterable[str]) -> bool:
    """True when a text names the tool: 'Implementation Tool 2/2017' (or 'Implementation Tools 7/2019
    and 2/2017'), or 'legislation guide', 'explainer'."""
    numbered = re.search(_NUMBERED_TOOL, title)
    if numbered:
        named = {f"{kind} Tool {number}" for text in texts for kind, numbers in _TOOLS_NAMED.findall(text) for number in re.findall(r"\d+/\d{4}", numbers)}
        return numbered.group(0) in named
    name = re.sub(r"\s*\(.*\)|^(?:CTI |UNCAT )+", "", title).lower()
    return any(name in text.lower() for text in texts)


# ...and words every brief uses (prevention, responding): a tool on strategies is not touched on by them.
_GENERIC_TOOL_WORDS = {"torture", "other", "ill-treatment", "treatment", "procedures", "providing", "state", "states", "prevent", "prevention", "preventive", "respond", "responding"}


_SAME_THING = {"custo": "deten"}  # police custody is police detention


def _stems(text: str) -> set[str]:
    """Words of four letters or more cut to five, so that 'investigations' meets 'investigated'."""
    stems = {word[:5] for word in re.findall(r"[a-z][a-z-]{3,}", text.lower()) if word not in _STOP_WORDS and word not in _GENERIC_TOOL_WORDS}
    return stems | {_SAME_THING[stem] for stem in stems if stem in _SAME_THING}


def _touches(title: str, said: set[str], share: float, at_least: int = 1) -> bool:
    """True when `said` (a brief's stems) holds `share` of what a tool's subject names
    ('Safeguards in the first hours of police detention'), and at least `at_least` of its words."""
    subject = _stems(title.split(":", 1)[1]) if ":" in title else set()
    shared = len(subject & said)
    return bool(subject) and shared >= share * len(subject) and shared >= at_least


def _on_topic(title: str, texts: Iterable[str]) -> bool:
    """True when the brief speaks of most of what a tool's subject names."""
    return _touches(title, set().union(*(_stems(text) for text in texts)), 0.6)


def _in_order(articles: Iterable[str]) -> list[str]:
    """Articles ('14', '5\u20139') once each, in the Convention's order (8 within 5\u20139 once)."""
    found = set(articles)
    ranges = [range(int(first), int(last) + 1) for first, last in (item.split("\u2013") for item in found if "\u2013" in item)]
    found = {item for item in found if "\u2013" in item or not any(int(item) in span for span in ranges)}
    return sorted(found, key=lambda article: int(article.split("\u2013")[0]))


def _articles_line(numbers: Iterable[str]) -> str:
    numbers = list(numbers)
    listed = [number.replace("-", "\u2013") for number in numbers if number != "OPCAT"]
    if not listed:
        return ""
    words = "Article" if len(listed) == 1 else "Articles"
    named = f"{words} {and_list(listed)} (summarised in the CTI UNCAT article-by-article)"
    return f"{named} and the Optional Protocol." if "OPCAT" in numbers else f"{named}."


def _no_recommendation_note(facts: StateFacts, has_portfolio: bool) -> str:
    if not has_portfolio:
        return ""  # a partner's brief has no portfolio; the roadmap lists every recommendation
    if facts.uncat == "party":
        return "No recommendation of the Committee against Torture or the Universal Periodic Review is recorded for this portfolio."
    return "No recommendation of the Universal Periodic Review is recorded for this portfolio."


# Always true of a noted recommendation, whether or not the Convention already binds the State on its matter.
NOTED_HANDLING = "Handling: a recommendation the State noted is raised with care, in the Government\u2019s own terms; CTI can share other States\u2019 experience."
NOTED_BUT_PRIORITY = "Handling: the Government has since named the matter among its priorities for this visit."
NOTED_AS_BEFORE = "Handling: as in Brief {brief}, raised with care, in the Government\u2019s own terms."
_HANDLED_IN = "handled in brief: "  # marks, among what earlier briefs said, the one that said how to handle a noted recommendation
_MARKERS = (_ASKED, _ANSWERED, _HANDLED_IN)  # entries of what earlier briefs said that are not lines of text


def _recommendation(item: Recommendation, as_of: dt.date, handling: str = "") -> RecommendationValues:
    """A row of a brief's header: who recommended what, when, the State's response, and `handling` (for one it noted)."""
    source = item.body if item.source == "other" and item.body else SOURCE_LABELS.get(item.source, item.source)
    age = age_in_words(item.date, as_of)
    response = item.response if item.response and item.response != "pending" else ""
    when = format_date(item.date, "MMMM y", locale="en")
    line = f"{source} ({when}{', ' + response if response else ''}): {typographic(item.text)}" + (f"\n{handling}" if handling else "")  # on a line of its own: not read as part of the quoted text
    return RecommendationValues(source, item.date, item.date.year, age, response, typographic(item.text), line)


def _roadmap(country: Country, reference: Reference, facts: StateFacts, as_of: dt.date) -> RoadmapValues:
    plan = country.strategy
    stage = facts.strategy
    name = country.short_name
    # A step without its own lead is led by the strategy's lead agency, named without its description.
    lead_short = typographic(plan.lead_agency.split(",")[0]) if plan.lead_agency else ""
    phases = []
    for phase in reference.strategy.phases:
        steps = []
        for step in phase.steps:
            progress = plan.steps.get(step.number)
            steps.append(StepValues(
                number=step.number,
                text=step.text,
                # A step the file says nothing of is not claimed to be 'not started'.
                status=STEP_STATUS_LABELS[progress.status] if progress else "\u2013",
                # The lead agency is named once above the table; repeating it row by row hides the exceptions.
                lead=typographic(progress.lead) if progress and progress.lead else lead_short if progress and lead_short else "\u2013" if not progress else "To be agreed",
                # Short and unbreakable: the column is narrow, and a date split over three lines misleads.
                target=long_date(progress.target, country.language).replace(" ", "\u00a0", 1) if progress and progress.target else "\u2013",
                notes=typographic(progress.notes) if progress and progress.notes else "",
            ))
        phases.append(PhaseValues(phase.title, tuple(steps)))
    # Only the areas with recommendations get a row: a column of dashes reads as 'none exist'.
    areas = []
    unrecorded = []
    for area in reference.strategy.areas:
        lines = [_recommendation(item, as_of).line for item in plan.recommendations if item.area == area.key]
        if lines:
            areas.append(AreaValues(area.title, "\n".join(lines)))
        else:
            unrecorded.append(area.title.lower())
    if not plan.recommendations:
        areas = []  # a table of ten dashes says nothing; the note names the areas instead
    done = sum(1 for progress in plan.steps.values() if progress.status == "done")
    lead = typographic(plan.lead_agency) if plan.lead_agency else ""
    if stage == "none":
        introduction = (
            f"{name} has no national strategy to prevent and respond to torture yet. Implementation Tool 1/2017 sets out 12 key steps, "
            "from agreeing a timeline and a lead person or agency to seeking technical assistance from others; CTI can support the "
            "Government at each step, at its own pace, and share how other States have framed their strategies. "
            f"Goals set in a strategy should be {_SMART}."
        )
    else:
        adopted = "adopted" if stage == "adopted" else "in development"
        introduction = (
            f"{name}\u2019s national strategy to prevent and respond to torture is {adopted}. Lead agency: {lead or 'to be agreed'}. "
            f"Steps completed: {done} of 12, as of {long_date(as_of, country.language)}."
            + (f" Goals set in the strategy should be {_SMART}." if stage != "adopted" else "")
        )
    recorded = bool(plan.recommendations)
    area_names = and_list(area.title.lower() for area in reference.strategy.areas)
    areas_note = (
        f"Recommendations of {'the Committee against Torture, ' if facts.uncat == 'party' else ''}the Universal Periodic Review and other bodies recorded for {name}, by the areas a strategy reviews"
        + (f" (none is recorded yet for {and_list(unrecorded)}):" if unrecorded else ":")
        if recorded else f"A strategy reviews laws, policies, procedures and practices in ten areas: {area_names}. The Secretariat has not yet recorded any recommendation on these areas for {name}."
    )
    return RoadmapValues(
        has_strategy=stage != "none",
        stage=stage,
        introduction=introduction,
        lead_agency=lead,
        phases=tuple(phases) if stage != "none" else (),
        offered_phases=tuple(phases) if stage == "none" else (),
        areas_note=areas_note,
        review_actions=tuple(reference.strategy.review_actions),
        areas=tuple(areas),
        sdg_link=" ".join(typographic(item.text) for item in select(reference.strategy.sdg_link, facts)),
    )


_ARRANGEMENTS = {
    "inter-ministerial": ("inter-ministerial",),
    "small team": ("inter-ministerial", "reporting committee", "reporting unit", "treaty reporting"),
    "focal point": ("focal point",),
}
"""Arrangements a reference answer may advise, and how the country file says the State already has one."""

_SMART = "SMART: specific, measurable, achievable, realistic and time-bound"

_NUMBERED_TOOL = r"(?:Implementation|Training) Tool \d+/\d{4}"
_TOOL_CITED = re.compile(rf"{_NUMBERED_TOOL}|anti-torture legislation guide")
_OTHER_STATES = re.compile(r"\bother (?:States|countries)\b|\bexperience of (?:other )?States\b")
_EXCHANGE = re.compile(r"\b(?:arrange|organise)s?\b[^.;]*\bexchanges?\b|\btwinning\b")  # an exchange offered, not one described


_COMPARE = re.compile(r"\b(?:compar|review|check)\w*\b[^.;]*\b(?:against|with) Articles?\s+1\b")  # an offer to compare a text with the Convention's definition
COMPARE_OFFER = "compare"


def _offer_keys(piece: str) -> set[str]:
    """What a sentence or clause offers: the tools it cites, other States' experience, an exchange."""
    if "CTI" not in piece and not _TOOL_CITED.search(piece):
        return set()
    keys = {match.group(0).lower() for match in _TOOL_CITED.finditer(piece)}
    if _OTHER_STATES.search(piece):
        keys.add("experience")
    if _EXCHANGE.search(piece):
        keys.add("exchange")
    if _COMPARE.search(piece):
        keys.add(COMPARE_OFFER)
    return keys


def _without_repeated_offers(text: str, offered: set[str], editable: bool) -> str:
    """The text less its sentences or clauses that only offer again what the brief offered before,
    or that say again most of what an earlier sentence of the brief said.

    A reader notices "CTI can share how other States…" ending one answer after another, or the
    same tool offered twice in a list of five messages; the first offer stands for the brief.
    `offered` collects what the brief has offered and said so far (the first piece of a text,
    which carries its point, is always kept, as is the whole of a text that is not `editable`).
    """
    kept: list[str] = []
    for number, piece in enumerate(_pieces(text)):
        keys = _offer_keys(piece)
        words = _content_words(piece)
        said_before = len(words) >= 4 and any(
            len(words & set(key.split()[1:])) * 10 >= len(words) * 7 for key in offered if key.startswith(_SAID)
        )
        # A long offer carries more than the offer (what CTI would help with): it stays.
        # Comparing a draft with Articles 1 and 4 is the offer, whatever guide it draws on.
        offered_before = bool(keys) and (keys <= offered or COMPARE_OFFER in keys & offered) and len(piece.split()) <= MAX_STOCK_OFFER_WORDS
        # Past two offers of CTI's, a third short one reads as a refrain.
        offers_made = sum(1 for key in offered if key.startswith(_OFFER_MADE))
        # (Not where it is most of the answer: 'By supporting the Government's own priorities.' alone says little.)
        refrain = bool(keys) and keys <= _GENERIC_OFFERS and piece.startswith("CTI can") and offers_made >= MAX_OFFERS and len(piece.split()) <= MAX_STOCK_OFFER_WORDS
        enough_left = len(" ".join(kept).split()) >= MIN_WORDS_LEFT
        if editable and number > 0 and (offered_before or (refrain and enough_left) or said_before):
            if piece.endswith(".") and kept[-1].endswith(";"):
                kept[-1] = kept[-1][:-1] + "."
            continue
        offered |= keys | ({_SAID + " " + " ".join(sorted(words))} if len(words) >= 4 else set())
        if keys and "CTI can" in piece:
            offered.add(f"{_OFFER_MADE}{len(offered)}")
        if kept and kept[-1].endswith((".", "?", "!")) and piece[:1].islower():
            piece = piece[:1].upper() + piece[1:]  # its clause's opening was left out: it now opens a sentence
        kept.append(piece)
    return " ".join(kept)


_SAID = "said:"  # marks a sentence's words among the offers of a brief
_OFFER_MADE = "offer made:"  # counts the offers a brief has made
MAX_OFFERS = 2
MIN_WORDS_LEFT = 12  # what must remain of a text for a refrain to be cut from it
_GENERIC_OFFERS = frozenset({"experience", "exchange"})  # other States' experience, an exchange: not a tool or a comparison
MAX_STOCK_OFFER_WORDS = 22


def _offers_once(messages: tuple[str, ...], questions: tuple[QuestionValues, ...], own_messages: set[str], own_questions: set[str]) -> tuple[tuple[str, ...], tuple[QuestionValues, ...]]:
    """Key messages and responses in reading order, each offer made once (the country file's lines as written)."""
    offered: set[str] = set()
    messages = tuple(_without_repeated_offers(text, offered, text not in own_messages) for text in messages)
    questions = tuple(
        QuestionValues(item.question, _without_repeated_offers(item.response, offered, item.question not in own_questions)) for item in questions
    )
    return messages, questions


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


