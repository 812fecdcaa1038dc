"""What each document says: the real fields land, in the right form, and the pack text is pinned.

Uses the packs built once per test run by the `built` fixture in conftest.py (real LibreOffice).
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SLUGS, country_data

from cti_briefings.content import load_reference
from cti_briefings.context import typographic
from cti_briefings.render import document_text

pytestmark = pytest.mark.integration
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def text_of(result, stem_start: str) -> str:
    [document] = [document for document in result.documents if document.docx.name.startswith(stem_start)]
    return " ".join(document_text(document.docx.read_bytes()).split())


def briefs_of(result) -> dict[str, str]:
    return {document.docx.name: " ".join(document_text(document.docx.read_bytes()).split()) for document in result.documents if "meeting-brief" in document.docx.name}


def pack_snapshot(result) -> str:
    """Every document's text in pack order, one paragraph a line, blank lines dropped."""
    parts = []
    for document in result.documents:
        lines = [" ".join(line.split()) for line in document_text(document.docx.read_bytes()).splitlines()]
        parts.append(f"===== {document.docx.name} ({document.pages} pages from page {document.first_page})")
        parts.extend(line for line in lines if line)
    return "\n".join(parts) + "\n"


def counterparts(meeting: dict) -> list[dict]:
    return meeting.get("counterparts") or [meeting["counterpart"]]


@pytest.mark.parametrize("slug", SLUGS)
def test_invitation_has_every_element_in_the_right_form(built, slug):
    _, results = built
    data = country_data(slug)
    visit = data["visit"]
    text = text_of(results[slug], "01-invitation")
    head = next(member for member in data["delegation"] if member["role"] == "head")
    for expected in (visit["reference"], head["name"], "no name, no shame", "confidential", "at the discretion of",
                     "not used to lobby or pressure"):
        assert expected in text, expected
    # A visit and dates agreed before the invitation are confirmed, not proposed.
    assert ("confirm whether the dates agreed remain" if visit.get("agreed_at") else "confirm whether the proposed date") in text
    assert bool(re.search(r"to confirm(,| a )|to set out the proposal for a ", text)) == bool(visit.get("agreed_at")) != bool(re.search(r"to propose(,| a) ", text))
    if visit.get("letter_form", "letter") == "letter":
        assert f"{visit['addressee'].get('salutation', 'Excellency')}," in text
        assert "I have the honour to" in text
        assert "Accept, Excellency, the assurances of my highest consideration." in text
        assert visit["signatory"]["name"] in text
    else:
        ministry = visit["addressee"]["office"]
        assert f"presents its compliments to the {ministry}" in text
        assert f"avails itself of this opportunity to renew to the {ministry}" in text and "the assurances of its highest consideration." in text
        assert "I have the honour" not in text and "Excellency" not in text
        assert visit["addressee"]["name"] not in text, "a note verbale is addressed to the Ministry, not to a person"
        assert "initial" not in text.lower() and "stamp" not in text.lower() and "[" not in text
    # The programme it proposes is the one planned: no element that is not in the data.
    kinds = {meeting["kind"] for meeting in data["meetings"]}
    assert ("Group of Friends" in text) == ("group_of_friends" in kinds)
    # ...a place of detention named once the Government has proposed it (the visit agreed or asked for).
    known = visit.get("agreed_at") or visit.get("requested_by_government")
    visits = [meeting for meeting in data["meetings"] if meeting["kind"] == "detention_visit"]
    named = bool(known) and all("venue" in meeting for meeting in visits)
    assert ("deprived of their liberty" in text) == (bool(visits) and not named)
    assert all(meeting["venue"].split(",")[0] in text for meeting in visits) if named else True
    assert ("facilitated" in text) == ("seminar" in data)
    assert "CONFIDENTIAL" not in text and "FOR THE DELEGATION" not in text


@pytest.mark.parametrize("slug", SLUGS)
def test_invitation_speaks_of_how_the_state_joins_or_implements(built, slug):
    _, results = built
    uncat = country_data(slug)["uncat"]
    text = text_of(results[slug], "01-invitation")
    # The CTI describes itself as supporting ratification and implementation; the purpose follows.
    purpose = text.split("The visit would be tailored")[0]
    if uncat["status"] == "party":
        assert "ratif" not in purpose.lower() and "accede" not in purpose.lower()
    elif uncat["status"] == "signatory":
        assert "ratif" in purpose.lower() and "accession" not in purpose.lower() and "accede" not in purpose.lower()
    else:
        assert "accede" in purpose.lower() or "accession" in purpose.lower()
        assert "ratification" not in purpose.lower()


@pytest.mark.parametrize("slug", SLUGS)
def test_programme_lists_every_event_in_its_days_table(built, slug):
    _, results = built
    data = country_data(slug)
    text = text_of(results[slug], "02-visit-programme")
    for meeting in data["meetings"]:
        for person in counterparts(meeting):
            name = re.sub(r"^(?:Mr|Ms) ", "", person["name"]) if person.get("honorific", "").startswith("Hon") else person.get("name")
            assert (name or person["office"]).replace("'", "’").split(" (")[0] in text
        assert meeting.get("venue", "Venue to be confirmed").split(",")[0].replace("'", "’") in text
        assert meeting["start"] in text
    for member in data["delegation"]:
        assert member["name"] in text
    if "seminar" in data:
        seminar = data["seminar"]
        day = (seminar["date"] - data["visit"]["start"]).days + 1
        in_day = text.split(f"Day {day}:")[1].split(f"Day {day + 1}:")[0]
        assert typographic(seminar["title"]) in in_day
    assert "CTI visit to" not in text and f"to the {data['name']}" in text


def test_no_two_briefs_of_a_pack_share_a_message_beyond_the_shared_facts(built):
    _, results = built
    for slug, result in results.items():
        reference = load_reference(REPO / "content")
        messages = [item.text for kind in reference.meeting_kinds.values() for item in kind.key_messages]
        briefs = briefs_of(result)
        for message in messages:
            carrying = [name for name, text in briefs.items() if " ".join(message.split()) in text]
            kinds = {name.split("-", 4)[-1] for name in carrying}
            assert len(carrying) == len(kinds) or len(carrying) <= 1 or len(set(carrying)) == len(carrying), (slug, message)
        names = sorted(briefs)
        for first, second in zip(names, names[1:]):
            assert briefs[first].split("Key messages")[1].split("Points the counterpart")[0] != briefs[second].split("Key messages")[1].split("Points the counterpart")[0], (slug, first, second)


@pytest.mark.parametrize("slug", SLUGS)
def test_briefs_are_true_to_the_states_status(built, slug):
    _, results = built
    uncat = country_data(slug)["uncat"]
    for name, text in briefs_of(results[slug]).items():
        # What the brief advises: from its objectives to its background (the context above is the country file's own).
        advice = text.split("Background UNCAT")[0].split("Objectives", 1)[-1].lower()
        assert "whether before or after ratification" not in advice, name
        if uncat["status"] == "party":
            # Ratifying the Optional Protocol is still open to a State party; joining the Convention is not.
            about_the_convention = " ".join(sentence for sentence in advice.split(". ") if "optional protocol" not in sentence)
            assert "ratif" not in about_the_convention and "accede" not in about_the_convention, name
        elif uncat["status"] == "signatory":
            assert "accede" not in advice and "accession" not in advice, name
        else:
            assert "ratify" not in advice, name


def test_the_national_preventive_mechanism_is_not_asked_whether_it_could_become_one(built):
    _, results = built
    for slug in ("marisca", "talvera"):
        [brief] = [text for name, text in briefs_of(results[slug]).items() if "nhri" in name]
        assert "designated as the" not in brief.split("Background UNCAT")[0] or "could" not in brief.split("Background UNCAT")[0]
        assert "Could our Office be designated" not in brief


def test_reporting_states_what_the_committee_set_and_calls_estimates_estimates(built):
    _, results = built
    marisca = text_of(results["marisca"], "05-strategy-roadmap")
    assert "Next report due on 12 May 2027, the date set by the Committee." in marisca
    assert "overdue" not in text_of(results["marisca"], "03-meeting-brief-01").lower()
    talvera = text_of(results["talvera"], "05-strategy-roadmap")
    assert "Next report due on 7 May 2025, the date set by the Committee; the date has passed and no report is recorded since." in talvera
    veloria = text_of(results["veloria"], "05-strategy-roadmap")
    assert "No reporting obligation until the State becomes a party" in veloria


def test_brief_adds_the_meetings_own_messages(built):
    _, results = built
    text = text_of(results["example"], "03-meeting-brief-02-justice")
    assert "is its natural vehicle, and can bring the definition into line with Article 1, covering every element it names." in text


def test_unknown_last_contact_is_not_called_a_first_meeting(built):
    _, results = built
    text = text_of(results["kestria"], "03-meeting-brief-01")
    assert "No earlier meeting with these counterparts is recorded." in text
    assert "first meeting" not in text.lower()


def test_seminar_programme_has_sessions_and_joint_agreement(built):
    _, results = built
    data = country_data("marisca")["seminar"]
    text = text_of(results["marisca"], "04-seminar-programme")
    assert data["title"] in text
    for session in data["sessions"]:
        assert session["title"].replace("'", "’") in text
    assert "Other countries’ experience" in text
    assert "Programme agreed jointly by the Government of the Republic of Marisca and the CTI Secretariat." in text
    assert "Draft programme, to be agreed jointly" in text_of(results["talvera"], "04-seminar-programme")
    assert not [document for document in results["veloria"].documents if "seminar" in document.docx.name]


@pytest.mark.parametrize("slug", SLUGS)
def test_roadmap_has_the_12_steps_word_for_word_and_the_10_areas(built, slug):
    _, results = built
    reference = load_reference(REPO / "content")
    text = text_of(results[slug], "05-strategy-roadmap")
    for phase in reference.strategy.phases:
        assert phase.title in text
        for step in phase.steps:
            assert step.text in text
    for action in reference.strategy.review_actions:
        assert action in text
    for area in reference.strategy.areas:
        assert area.title.lower() in text.lower()
    assert "Goal 16" in text


def test_a_state_with_no_strategy_is_offered_the_steps_not_a_scorecard(built):
    _, results = built
    text = text_of(results["kestria"], "05-strategy-roadmap")
    assert "has no national strategy to prevent and respond to torture yet" in text
    assert "Not started" not in text and "of 12" not in text
    assert "Steps completed: 2 of 12" in text_of(results["marisca"], "05-strategy-roadmap")


@pytest.mark.parametrize("slug", SLUGS)
def test_cover_shows_dates_version_and_example_flag(built, slug):
    _, results = built
    text = text_of(results[slug], "00-cover")
    assert "Version 1, prepared 22 November 2026" in text
    assert "Fictional example" in text
    assert re.search(r"starts in \d+ days", text)


def test_a_one_day_visit_reads_on_a_date(built):
    _, results = built
    text = text_of(results["kestria"], "01-invitation")
    assert "on 14 April 2027" in text and "from 14 April" not in text
    assert "on 11 and 12 May 2027" in text_of(results["veloria"], "01-invitation")


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_blank_or_placeholder_like(built, slug):
    _, results = built
    for document in results[slug].documents:
        text = document_text(document.docx.read_bytes())
        for suspicious in ("None", "TODO", "XXX", "[]", "{}", " ,", "()", "  .", "lorem", "fictional regional", "(National Preventive"):
            assert suspicious not in text, f"{document.docx.name}: '{suspicious}'"
        assert "'" not in text and '"' not in text, f"{document.docx.name}: straight quotes"


@pytest.mark.parametrize("slug", SLUGS)
def test_outgoing_documents_carry_nothing_internal(built, slug):
    _, results = built
    [invitation] = [document for document in results[slug].documents if document.docx.name.startswith("01-invitation")]
    with zipfile.ZipFile(invitation.docx) as archive:
        names = archive.namelist()
        margins = b"".join(archive.read(name) for name in names if name.startswith(("word/header", "word/footer")))
    assert b"CONFIDENTIAL" not in margins and b"briefing pack" not in margins.lower()


@pytest.mark.parametrize("slug", SLUGS)
def test_pack_text_matches_its_snapshot(built, slug):
    """A change to any document shows in review as a change to tests/snapshots/<slug>.txt.

    After an intended change: UPDATE_SNAPSHOTS=1 make test, and commit the new snapshot.
    """
    _, results = built
    actual = pack_snapshot(results[slug])
    path = SNAPSHOTS / f"{slug}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no snapshot yet: run UPDATE_SNAPSHOTS=1 make test and commit {path.name}"
    assert actual == path.read_text(encoding="utf-8")


def test_several_countries_start_the_second_libreoffice_at_once(built):
    # One pack converts on one LibreOffice (a second costs more than it saves on 2 cores; see
    # test_estimate); several countries keep two busy from their first documents.
    root, _ = built
    assert (root / "documents-per-start.txt").read_text(encoding="utf-8") == "1"
