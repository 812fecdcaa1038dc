"""What each document says: the real fields land, in the right form, and the pack text is pinned.

Uses the packs built once per test run by the `built` fixture in conftest.py (real LibreOffice).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from conftest import REPO, SLUGS, country_data

from cti_briefings.content import load_reference
from cti_briefings.render import document_text

pytestmark = pytest.mark.integration
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def text_of(result, stem_start: str) -> str:
    [document] = [document for document in result.documents if document.docx.name.startswith(stem_start)]
    return " ".join(document_text(document.docx.read_bytes()).split())


def pack_snapshot(result) -> str:
    """Every document's text in pack order, one paragraph a line, blank lines dropped."""
    parts = []
    for document in result.documents:
        lines = [" ".join(line.split()) for line in document_text(document.docx.read_bytes()).splitlines()]
        parts.append(f"===== {document.docx.name} ({document.pages} pages from page {document.first_page})")
        parts.extend(line for line in lines if line)
    return "\n".join(parts) + "\n"


@pytest.mark.parametrize("slug", SLUGS)
def test_invitation_has_every_element_in_the_right_form(built, slug):
    _, results = built
    data = country_data(slug)
    visit = data["visit"]
    text = text_of(results[slug], "01-invitation")
    head = next(member for member in data["delegation"] if member["role"] == "head")
    for expected in (visit["reference"], head["name"], head["state"], "no name, no shame", "confidential",
                     "at the discretion of", "not used to lobby or pressure", "only at the direction of the Government",
                     "Group of Friends", "confirm whether the proposed dates are convenient"):
        assert expected in text, expected
    if visit.get("letter_form", "letter") == "letter":
        assert f"{visit['addressee'].get('salutation', 'Excellency')}," in text
        assert "I have the honour to" in text
        assert "Accept, Excellency, the assurances of my highest consideration." in text
        assert visit["signatory"]["name"] in text
    else:
        assert "presents its compliments to the" in text
        assert "avails itself of this opportunity to renew to the" in text and "the assurances of its highest consideration." in text
        assert "I have the honour" not in text
    if data["uncat"]["status"] == "party":
        assert "take stock of the implementation of the Convention" in text
    else:
        assert "the steps needed to ratify or accede, report and implement" in text
    assert ("facilitated" in text) == ("seminar" in data)


@pytest.mark.parametrize("slug", SLUGS)
def test_programme_lists_every_meeting_day_by_day(built, slug):
    _, results = built
    data = country_data(slug)
    text = text_of(results[slug], "02-visit-programme")
    for meeting in data["meetings"]:
        assert meeting["counterpart"]["name"] in text
        assert meeting["venue"] in text
        assert meeting["start"] in text
    for member in data["delegation"]:
        assert member["name"] in text
    detention = [meeting for meeting in data["meetings"] if meeting["kind"] == "detention_visit"]
    assert ("At the Government’s direction" in text) == bool(detention)
    assert "Day 1:" in text


def test_briefs_for_different_portfolios_carry_different_key_messages(built):
    _, results = built
    reference = load_reference(REPO / "content")
    justice = text_of(results["marisca"], "03-meeting-brief-01-justice")
    police = text_of(results["marisca"], "03-meeting-brief-04-police")
    for message in reference.portfolios["justice"].key_messages:
        assert " ".join(message.split()) in justice
        assert " ".join(message.split()) not in police
    for message in reference.portfolios["police"].key_messages:
        assert " ".join(message.split()) in police


def test_brief_carries_snapshot_recommendations_and_computed_reporting(built):
    _, results = built
    text = text_of(results["marisca"], "03-meeting-brief-01-justice")
    assert "State party by ratification, deposited 14 March 2019; in force since 13 April 2019" in text
    # Initial report due 13 April 2020; one report submitted, so the next is due four years on.
    days = (dt.date(2026, 11, 22) - dt.date(2024, 4, 13)).days
    assert f"Next (periodic) report due 13 April 2024: overdue by {days} days." in text
    assert "Article 22 (individual complaints): declaration made" in text
    assert "Committee against Torture" in text and "ago" in text


def test_brief_adds_the_meetings_own_messages(built):
    _, results = built
    text = text_of(results["example"], "03-meeting-brief-02-justice")
    assert "The draft Criminal Code amendment is an opportunity to adopt the Article 1 definition word for word." in text


def test_seminar_programme_has_sessions_and_joint_agreement(built):
    _, results = built
    data = country_data("marisca")["seminar"]
    text = text_of(results["marisca"], "04-seminar-programme")
    assert data["title"] in text
    for session in data["sessions"]:
        assert session["title"] in text
    assert "Other countries’ experience" in text
    assert "Programme agreed jointly by the Government of the Republic of Marisca and the CTI Secretariat." in text
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
        assert area.title in text
    assert "Goal 16" in text


@pytest.mark.parametrize("slug", SLUGS)
def test_cover_shows_dates_marking_version_and_example_flag(built, slug):
    _, results = built
    text = text_of(results[slug], "00-cover")
    assert "CONFIDENTIAL" in text and "Version 1, prepared 22 November 2026" in text
    assert "Fictional example" in text
    assert re.search(r"starts in \d+ days", text)


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_blank_or_placeholder_like(built, slug):
    _, results = built
    for document in results[slug].documents:
        text = document_text(document.docx.read_bytes())
        for suspicious in ("None", "TODO", "XXX", "[]", "{}", " ,", "()", "  .", "lorem"):
            assert suspicious not in text, f"{document.docx.name}: '{suspicious}'"


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
