"""The data a pack is made from: the YAML formats, declared once.

Every field has a docstring; this module is the reference for what a country file and the
shared reference files may contain. Models are frozen: once loaded and checked, content is not
changed by later stages. Rules that involve several fields (a visit of 1-3 days, a head of
delegation from a Core State...) live in `rules.py`, so that each can be reported on its own line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Year = Annotated[int, Field(ge=1984, le=2100)]


_CLOCK_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")


def _clock_time(value: object) -> object:
    # Only "HH:MM" (or "9:30") is a time. YAML reads 9.30 as the number 9.3 and 1400 as a
    # number, which pydantic would take as seconds after midnight ("00:23"): refuse them.
    if isinstance(value, dt.time):
        return value
    match = _CLOCK_TIME.match(value.strip()) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    raise PydanticCustomError("clock_time", 'is not a time written "HH:MM"')


ClockTime = Annotated[dt.time, BeforeValidator(_clock_time)]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


# --- Reference data (content/reference/) -------------------------------------------------

MeetingKind = Literal[
    "ministerial",
    "official",
    "stakeholder",
    "nhri",
    "judiciary",
    "group_of_friends",
    "united_nations",
    "regional",
    "civil_society",
    "detention_visit",
]



class CoreState(Model):
    name: Text
    """Name of the State as it appears in letters."""
    since: Year
    """Year it became a CTI Core State."""


class StrategyStep(Model):
    number: Annotated[int, Field(ge=1, le=12)]
    text: Text
    """The wording of Implementation Tool 1/2017, kept word for word."""


class StrategyPhase(Model):
    title: Text
    steps: tuple[StrategyStep, ...]


class ReviewArea(Model):
    key: Key
    title: Text
    offer: Text
    """What CTI can offer on a recommendation in this area, closing its key message in a brief."""


class StrategyReference(Model):
    phases: tuple[StrategyPhase, ...]
    review_actions: tuple[Text, ...]
    """The three review actions (not numbered)."""
    areas: tuple[ReviewArea, ...]
    """The ten areas a strategy reviews."""
    sdg_link: Items
    """How the strategy links UNCAT implementation to SDG 16, with `when:` per treaty status."""


class Article(Model):
    number: Text
    """Article number or range as written, e.g. `3` or `5-9`."""
    summary: Text


class Tool(Model):
    key: Key
    title: Text
    """Full title, e.g. 'UNCAT Implementation Tool 2/2017: Safeguards in the first hours of police detention'."""
    articles: tuple[Text, ...] = ()
    """The Convention's articles the tool is about ('14', '5–9'): a brief that lists the tool lists them."""


TreatyStatus = Literal["not_party", "signatory", "party"]
Instrument = Literal["ratification", "accession"]
StrategyStage = Literal["none", "in development", "adopted"]


def _as_tuple(value: object) -> object:
    # `uncat: party` and `uncat: [signatory, party]` both read naturally in YAML.
    return (value,) if isinstance(value, str) else value


def _as_item(value: object) -> object:
    # A plain line is an item that always applies.
    return {"text": value} if isinstance(value, str) else value


def _as_tool(value: object) -> object:
    return {"key": value} if isinstance(value, str) else value


class Condition(Model):
    """When a reference item applies. Every key given must hold; a list means "any of these".

    Leave `when:` out for an item that applies to every State and every meeting.
    """

    uncat: Annotated[tuple[TreatyStatus, ...], BeforeValidator(_as_tuple)] | None = None
    """The State's UNCAT status: not_party, signatory or party."""
    joins_by: Annotated[tuple[Instrument, ...], BeforeValidator(_as_tuple)] | None = None
    """How the State would join (or joined): ratification (after signing) or accession."""
    opcat: Annotated[tuple[TreatyStatus, ...], BeforeValidator(_as_tuple)] | None = None
    """The State's status under the Optional Protocol."""
    npm: bool | None = None
    """True: a national preventive mechanism has been designated; false: none yet."""
    counterpart_is_npm: bool | None = None
    """True when the meeting's counterpart is (or houses) the national preventive mechanism."""
    counterpart_coordinates_reports: bool | None = None
    """True when the meeting's counterpart is the office named in `uncat.reports_coordinated_by`."""
    reviewed: bool | None = None
    """True once the Committee against Torture has reviewed a report of the State."""
    report_overdue: bool | None = None
    """True when a report is late: past the date set by the Committee, or the initial report past its Article 19 date."""
    simplified_procedure: bool | None = None
    """True when the State reports under the simplified procedure (list of issues prior to reporting)."""
    seminar: bool | None = None
    """True when a seminar or roundtable is part of the visit."""
    strategy: Annotated[tuple[StrategyStage, ...], BeforeValidator(_as_tuple)] | None = None
    """Stage of the State's torture-prevention strategy: none, in development, adopted."""
    upr_recommendations: bool | None = None
    """True when the country file records recommendations of the Universal Periodic Review."""
    portfolio: Annotated[tuple[Key, ...], BeforeValidator(_as_tuple)] | None = None
    """The meeting's portfolio is one of these (keys of portfolios.yaml; 'none' for a meeting without one)."""
    briefed: bool | None = None
    """True when the country file gives background facts for the meeting."""
    kind: Annotated[tuple[MeetingKind, ...], BeforeValidator(_as_tuple)] | None = None
    """The meeting is of one of these kinds (keys of meeting_kinds.yaml)."""
    invited: bool | None = None
    """True when the Government asked for the visit (visit.requested_by_government)."""
    parliament_approves: bool | None = None
    """True when the country file records that joining needs Parliament's approval (uncat.parliament_approves)."""
    priorities: bool | None = None
    """True when the Government has named priorities for the visit (visit.priorities)."""


class Item(Model):
    text: Text
    """The sentence as it is printed."""
    when: Condition = Condition()
    """When it applies (leave out: always)."""
    topic: Key | None = None
    """What the sentence is about (a key of topics.yaml): a pack says it once, in the brief of the
    portfolio that owns the topic, and not where the country file already speaks to it."""
    essential: bool = False
    """True for a key message the brief keeps even when the meeting's own lines replace the
    general ones (how the State joins the Convention, said to the Minister of Foreign Affairs)."""


Items = tuple[Annotated[Item, BeforeValidator(_as_item)], ...]


class ToolReference(Model):
    key: Key
    """Key of a tool in tools.yaml."""
    when: Condition = Condition()


class QuestionAndResponse(Model):
    question: Text
    """A point the counterpart may raise."""
    response: Text
    """A suggested response for the delegation."""
    when: Condition = Condition()
    """When it applies (leave out: always)."""


class BriefContent(Model):
    """Objectives, messages, questions and tools of a brief, each chosen by the State's facts."""

    objectives: Items = ()
    key_messages: Items = ()
    """Points the delegation makes."""
    questions: tuple[QuestionAndResponse, ...] = ()
    tools: tuple[Annotated[ToolReference, BeforeValidator(_as_tool)], ...] = ()
    """Keys of the CTI tools (tools.yaml) to mention."""


class Portfolio(BriefContent):
    title: Text
    """Portfolio as shown in briefs, e.g. 'Justice and legal affairs'."""
    in_prose: Text | None = None
    """How a sentence names the portfolio, e.g. 'justice and legal affairs'; default: the title in lower case."""
    articles: tuple[Text, ...]
    """UNCAT articles that most concern this portfolio, e.g. ['1', '4', '5-9']."""


class MeetingKindContent(BriefContent):
    label: Text
    """How the programme and the brief name this kind of meeting, e.g. 'Group of Friends'."""
    priorities_objective: Text | None = None
    """For partners (embassies, the UN, a regional body) when the Government has named priorities
    for the visit: an objective on what these partners do for them (the invitation lists them)."""


class InvitationReference(Model):
    """Paragraphs of the invitation chosen by the State's facts (both forms use them)."""

    purpose: Items
    """What the visit would offer; exactly one item must apply to each State."""


class Topic(Model):
    """A subject several portfolios' messages touch (e.g. non-refoulement under Article 3)."""

    owners: tuple[Key, ...] = Field(min_length=1)
    """Portfolios or meeting kinds, in order: the first the visit meets carries the topic."""
    terms: tuple[Text, ...] = Field(min_length=1)
    """Words that show a message of the country file (or a recorded recommendation) already
    speaks to the topic, e.g. 'Article 3', 'refoulement'."""
    quiet_when_noted: bool = False
    """True: once the State has noted a recommendation on the topic, no brief makes the general
    point (the Optional Protocol, to an ombudsman, after the Government declined to take it up)."""


class Reference(Model):
    """Everything under content/reference/, shared by all countries."""

    core_states: tuple[CoreState, ...]
    strategy: StrategyReference
    articles: tuple[Article, ...]
    tools: tuple[Tool, ...]
    portfolios: dict[Key, Portfolio]
    meeting_kinds: dict[MeetingKind, MeetingKindContent]
    invitation: InvitationReference
    topics: dict[Key, Topic]


# --- A country (content/countries/<slug>.yaml) ------------------------------------------

class Report(Model):
    kind: Literal["initial", "periodic"]
    """'initial' or 'periodic'."""
    submitted: dt.date
    """Date the report was submitted to the Committee against Torture."""
    reviewed: dt.date | None = None
    """Date the Committee adopted concluding observations on it, if it has."""


class UncatStatus(Model):
    status: TreatyStatus
    """not_party, signatory or party."""
    signed: dt.date | None = None
    """Date the State signed the Convention, if it has."""
    instrument: Instrument | None = None
    """How the State became (or would become) a party: ratification (after signing) or accession.
    Leave it out for a State not yet party: a signatory ratifies, any other State accedes."""
    deposited: dt.date | None = None
    """Date the instrument of ratification or accession was deposited; required for a party."""
    article_20_opt_out: bool | None = None
    """For a State party: true if it declared under Article 28 that it does not accept the inquiry
    procedure, false if it did not. Leave it out when not known: briefs then say nothing of it."""
    article_21_declaration: bool | None = None
    """True if the State declared that it accepts inter-State communications (Article 21), false
    if it did not; leave it out when not known."""
    article_22_declaration: bool | None = None
    """True if the State declared that it accepts individual communications (Article 22), false
    if it did not; leave it out when not known."""
    reports: tuple[Report, ...] = ()
    """Reports submitted to the Committee against Torture, oldest first."""
    next_report_due: dt.date | None = None
    """Date the Committee set for the next report (in its last concluding observations or its
    list of issues). Leave it out when not known: the brief then gives an estimate, called one."""
    simplified_procedure: bool | None = None
    """True if the State reports under the simplified procedure (the Committee's list of issues
    prior to reporting, LOIPR); false if it does not; leave it out when not known."""
    opcat: TreatyStatus = "not_party"
    """Status under the Optional Protocol (OPCAT)."""
    opcat_deposited: dt.date | None = None
    """Date the State deposited its instrument under the Optional Protocol, if it has."""
    npm: Text | None = None
    """Name of the national preventive mechanism, once designated."""
    upr_last_review: dt.date | None = None
    """Date of the State's last Universal Periodic Review."""
    parliament_approves: bool | None = None
    """True when the constitution requires Parliament's approval for the State to join (leave out when not known)."""
    reports_coordinated_by: Text | None = None
    """The office that coordinates the State's reports and replies to the Committee, as a
    meeting's `office` names it ("Ministry of Foreign Affairs"); leave it out when not known."""


# 'Mr ', 'Ms ' … opening a name: 'Hon.' takes none after it, so the name is printed without it.
COURTESY_TITLE = re.compile(r"^(?:Mr|Ms|Mrs|Miss|Mx)\.? ")


class Person(Model):
    name: Text
    """Full name as written in correspondence, with 'Mr', 'Ms' or 'Dr' but without 'H.E.' (put
    that in honorific)."""
    honorific: Text | None = None
    """'H.E.' for ministers and ambassadors, 'Hon.' for judges and members of parliament, as the
    person is addressed; shown before the name ('H.E. Ms Ana Costa'). Leave it out for someone
    addressed simply as Mr, Ms or Dr."""
    title: Text
    """Position, e.g. 'Minister of Foreign Affairs'."""
    office: Text | None = None
    """Ministry or institution, e.g. 'Ministry of Justice'."""
    bio: Text | None = None
    """Short biographical note for the meeting brief."""


class Addressee(Person):
    name: Text | None = None  # type: ignore[assignment]  # a note verbale names the Ministry, not a person
    """Full name as written in correspondence, with 'Mr', 'Ms' or 'Dr' but without 'H.E.'. Needed
    for a letter; a note verbale is addressed to the Ministry (leave it out)."""
    title: Text | None = None  # type: ignore[assignment]
    """Position, e.g. 'Minister of Foreign Affairs'. Needed for a letter."""
    salutation: Text = "Excellency"
    """How the letter greets the addressee."""
    address: tuple[Text, ...] = ()
    """Postal address lines below the addressee's title."""


class Visit(Model):
    reference: Text
    """Reference number of the invitation, e.g. 'CTI/2027/014'."""
    letter_date: dt.date
    """Date of the letter or note verbale."""
    letter_form: Literal["letter", "note_verbale"] = "letter"
    """A signed first-person letter, or a third-person note verbale."""
    start: dt.date
    """First day of the visit."""
    end: dt.date
    """Last day of the visit; the same as start for a one-day visit."""
    city: Text
    """The city where the visit takes place."""
    addressee: Addressee
    """Who the invitation is addressed to: for a note verbale, give the Ministry as `office`."""
    signatory: Person | None = None
    """Who signs the letter. Needed for a letter; a note verbale is not signed (leave it out)."""
    priorities: tuple[Text, ...] = ()
    """The Government's own priorities that the visit is tailored to."""
    reply_by: dt.date | None = None
    """Date by which the Government is asked to confirm."""
    requested_by_government: bool = False
    """True when the Government asked for the visit: the invitation then answers its request and
    the programme says the visit is at its invitation. Leave it out when CTI proposes the visit."""
    requested_in: Text | None = None
    """How the Government asked for the visit, completing 'with thanks for …' in a letter, e.g.
    'your letter of 14 September 2026'; leave it out for 'in response to your Government's invitation'."""

    agreed_at: Text | None = None
    """Where the Government and CTI agreed on the visit and its dates, completing 'further to …':
    in a letter signed by the Head of the Secretariat, e.g. 'our meeting in Geneva in September
    2026'; in a note verbale, 'the meeting of the Minister with the Head of the CTI Secretariat in
    Geneva in September 2026'. The invitation then recalls it, asks whether the dates agreed remain convenient, and
    names the place of detention the Government proposed. Leave it out when nothing was agreed
    before the invitation."""

    @model_validator(mode="after")
    def _form_has_what_it_prints(self) -> Visit:
        if self.letter_form == "letter" and self.signatory is None:
            raise ValueError("a letter is signed: add 'signatory:' (name, title, office), or make it a note verbale")
        if self.letter_form == "letter" and not (self.addressee.name and self.addressee.title):
            raise ValueError("a letter is addressed to a person: give the addressee's 'name' and 'title', or make it a note verbale")
        if self.letter_form == "note_verbale" and not self.addressee.office:
            raise ValueError("a note verbale is addressed to a Ministry: give the addressee's 'office', e.g. 'Ministry of Foreign Affairs'")
        return self


class DelegationMember(Model):
    name: Text
    """Full name with 'Mr', 'Ms' or 'Dr', without 'H.E.'."""
    honorific: Text | None = None
    """'H.E.' for ministers and ambassadors; leave it out otherwise."""
    position: Text
    """Position at home, e.g. 'Ambassador and Permanent Representative of Ghana in Geneva'."""
    role: Literal["head", "member", "secretariat"]
    """head (one, from a CTI Core State), member, or secretariat (CTI Secretariat staff)."""
    rank: Literal["minister", "ambassador", "senior official", "expert", "secretariat"]
    """The head of delegation is of minister or ambassador rank."""
    state: Text | None = None
    """The State the member serves; for the head, a CTI Core State."""


class Counterpart(Model):
    """A person met, or an organisation (leave out the name and give the office)."""

    name: Text | None = None
    """Full name, with 'Mr', 'Ms' or 'Dr'; leave it out for an organisation or a group."""
    honorific: Text | None = None
    """'H.E.' for ministers and ambassadors (or 'Hon.', 'Dr', as the person is addressed)."""
    title: Text | None = None
    """Position, e.g. 'Minister of Justice', or who attends, e.g. 'Heads of mission'."""
    office: Text | None = None
    """Ministry, institution or organisation."""
    bio: Text | None = None
    """Short biographical note for the meeting brief."""

    @model_validator(mode="after")
    def _names_someone(self) -> Counterpart:
        if not (self.name or self.office):
            raise ValueError("give a name, or an office for an organisation")
        return self




class Meeting(Model):
    date: dt.date
    """The meeting's day, within the visit."""
    start: ClockTime
    """Start time, written in quotes: "09:30"."""
    end: ClockTime
    """End time, written in quotes: "10:30"."""
    kind: MeetingKind
    """ministerial (a minister or the Attorney-General), official (senior officials: a permanent
    secretary, a director-general, a prosecutor-general, a police commissioner), judiciary, nhri
    (a national human rights institution or ombudsman),
    stakeholder, group_of_friends, united_nations (the UN country team), regional (a regional
    organisation), civil_society or detention_visit. Chooses the brief's objectives, messages
    and questions."""
    portfolio: Key | None = None
    """Key of a portfolio in content/reference/portfolios.yaml: foreign_affairs, justice,
    attorney_general, human_rights, interior (migration and borders), national_security, police (also
    a Minister of the Interior who oversees the police), prisons, defence, health, women_children,
    prosecution, legislature; adds the
    portfolio's messages and UNCAT articles. Needed for ministerial and official meetings and
    detention visits; it may be given for others too, e.g. a parliamentary committee is
    `kind: stakeholder` with `portfolio: legislature`."""
    counterparts: tuple[Counterpart, ...] = Field(min_length=1)
    """Who the delegation meets: one or several people or organisations (a roundtable). A single
    one may be written `counterpart:` instead."""
    is_npm: bool = False
    """True if the counterpart's institution is the State's national preventive mechanism."""
    venue: Text | None = None
    """Where; leave it out while the venue is to be confirmed."""
    participants: tuple[Text, ...] = ()
    """CTI participants; leave empty for the full delegation."""
    at_government_direction: bool = False
    """Required for a visit to a place of detention: such visits happen only as the Government directs."""
    objectives: tuple[Text, ...] = ()
    """What the delegation wants from this meeting. When given, they take the place of the
    general objectives of the meeting's kind and portfolio (the thanks of a first meeting stay)."""
    key_messages: tuple[Text, ...] = ()
    """What the Secretariat wants to say to this counterpart, always kept and printed after the
    meeting kind's framing lines. The State's recorded recommendations are raised on their own:
    a message need not repeat one."""
    replace_key_messages: bool = False
    """Use only this meeting's key messages, not the portfolio's."""
    questions: tuple[QuestionAndResponse, ...] = ()
    """Points this counterpart may raise, added to the portfolio's."""
    background: tuple[Text, ...] = ()
    """What the Secretariat knows of this meeting, in short facts; they head the brief as its
    context. The treaty status, reporting and UPR are printed from `uncat:` already."""
    last_contact: Text | None = None
    """When and how CTI last met this counterpart, or 'First meeting'. Leave it out when no
    earlier contact is known: the brief then says none is recorded. A month and year after
    today (the build date) is an error: a last contact has taken place."""

    @model_validator(mode="before")
    @classmethod
    def _one_counterpart(cls, data: object) -> object:
        # `counterpart:` (one) is the usual case; `counterparts:` (a list) serves a roundtable.
        if isinstance(data, dict) and "counterpart" in data and "counterparts" not in data:
            data = {**data, "counterparts": [data["counterpart"]]}
            del data["counterpart"]
        return data

    @property
    def counterpart(self) -> Counterpart:
        """The first (usually the only) counterpart."""
        return self.counterparts[0]


class Session(Model):
    start: ClockTime
    """Start time, written in quotes: "09:30"."""
    end: ClockTime
    """End time, written in quotes."""
    title: Text
    """The session's title."""
    speakers: tuple[Text, ...] = ()
    """Speakers: names, or positions such as 'Minister of Justice'."""
    other_countries: bool = False
    """True for a session on other countries' experience."""


class Seminar(Model):
    kind: Literal["seminar", "roundtable"] = "seminar"
    """seminar or roundtable."""
    title: Text
    """The seminar's title."""
    date: dt.date
    """Its day, within the visit."""
    venue: Text | None = None
    """Where it takes place; leave it out while the venue is to be confirmed."""
    objectives: tuple[Text, ...] = Field(min_length=1)
    """What it aims at (at least one)."""
    sessions: tuple[Session, ...] = Field(min_length=1)
    """Its sessions, in time order (at least one)."""
    facilitators: tuple[Text, ...] = Field(min_length=1)
    """Expert facilitators."""
    specialists: tuple[Text, ...] = ()
    """Subject-specific specialists."""
    institutions: tuple[Text, ...] = Field(min_length=1)
    """Participating institutions."""
    agreed_with_government: bool = False
    """True once the programme has been agreed jointly with the Government; true while the invitation is dated after today is a warning (the Government cannot have agreed it yet)."""


class StepProgress(Model):
    status: Literal["not started", "planned", "in progress", "done"] = "not started"
    """not started, planned, in progress or done."""
    lead: Text | None = None
    """Who leads the step, when not the lead agency."""
    target: dt.date | None = None
    """Target date."""
    notes: Text | None = None
    """A short note."""


class Recommendation(Model):
    source: Literal["CAT", "UPR", "other"]
    """CAT: concluding observations of the Committee against Torture; UPR: Universal Periodic Review."""
    body: Text | None = None
    """For 'other': the body that made it."""
    date: dt.date
    """Date it was made: the day the Committee adopted its concluding observations, or the day
    of the Universal Periodic Review's interactive dialogue."""
    area: Key
    """One of the ten areas to review (content/reference/strategy.yaml): justice, health, policing,
    women, prisons, security, children, migration, extradition, military. A recommendation on the
    national preventive mechanism or on the Convention's declarations goes under justice."""
    portfolios: tuple[Key, ...] = ()
    """Portfolios it concerns, the main one first: the brief of the first one the visit meets
    raises it as a key message; the others list it in their background."""
    text: Text
    """The recommendation as the body wrote it."""
    response: Literal["accepted", "noted", "pending"] | None = None
    """For a UPR recommendation only: accepted or noted by the State (pending while it has not
    said); leave it out for any other source."""


class StrategyPlan(Model):
    stage: StrategyStage | None = None
    """none (no strategy yet: the roadmap offers the 12 steps as support), in development or
    adopted. Leave it out to have it worked out from the steps recorded."""
    lead_agency: Text | None = None
    """The agency leading the strategy, once agreed."""
    steps: dict[Annotated[int, Field(ge=1, le=12)], StepProgress] = {}
    """Progress on each of the 12 key steps, by number; the roadmap shows a step not listed with a dash (nothing recorded)."""
    recommendations: tuple[Recommendation, ...] = ()
    """Recommendations of the Committee against Torture, the UPR and other bodies; leave out when none is recorded."""


class Country(Model):
    """One country file: everything specific to one visit pack."""

    name: Text
    """Formal name, e.g. 'Republic of Examplia'."""
    short_name: Text
    """Everyday name, e.g. 'Examplia'."""
    article: Literal["the", ""] = "the"
    """'the' if the formal name takes one in a sentence ('the Republic of Examplia')."""
    example: bool = False
    """True for a fictional sample country; its pack says so."""
    language: Literal["en", "fr", "es"] = "en"
    """Language of the pack; templates come from templates/<language>/."""
    marking: Text = "CONFIDENTIAL"
    """Protective marking stamped at the top of every page of the pack (not on the invitation sent)."""
    pack_version: Annotated[int, Field(ge=1)] = 1
    """The pack's version number, shown on the cover; raise it when a revised pack is sent."""
    uncat: UncatStatus
    """The State's treaty facts: UNCAT, OPCAT, reporting. They choose what the pack says."""
    visit: Visit
    """The visit and its invitation."""
    delegation: tuple[DelegationMember, ...] = Field(min_length=1)
    """The delegation, head first."""
    meetings: tuple[Meeting, ...] = Field(min_length=1)
    """Every meeting, in the order they happen."""
    seminar: Seminar | None = None
    """The seminar or roundtable; leave it out when none is planned."""
    strategy: StrategyPlan = StrategyPlan()
    """The State's torture-prevention strategy, and the recommendations recorded for it. With no
    strategy, leave it out, or write `stage: none` with the `recommendations` (the roadmap then
    offers the 12 steps)."""
