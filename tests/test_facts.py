"""The State's facts, the selection of reference items by them, and the sentences made of them."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import REPO, country_data

from cti_briefings.content import load_reference
from cti_briefings.context import and_list, date_range, dates_in_prose, pack_values, typographic
from cti_briefings.facts import applies, select, state_facts
from cti_briefings.schema import Condition, Country, Item

AS_OF = dt.date(2026, 11, 22)


def country(slug: str = "example", **changes) -> Country:
    data = country_data(slug)
    for dotted, value in changes.items():
        target = data
        *path, last = dotted.split("__")
        for part in path:
            target = target[part]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return Country.model_validate(data)


def test_a_signatory_ratifies_and_a_state_that_has_not_signed_accedes():
    assert state_facts(country("example"), AS_OF).joins_by == "ratification"
    assert state_facts(country("kestria"), AS_OF).joins_by == "accession"
    assert state_facts(country("talvera"), AS_OF).joins_by == "accession"


def test_conditions_hold_together_and_lists_mean_any_of():
    facts = state_facts(country("marisca"), AS_OF)
    assert applies(Condition(), facts)
    assert applies(Condition(uncat=("party",), npm=True), facts)
    assert applies(Condition(uncat=("signatory", "party")), facts)
    assert not applies(Condition(uncat=("party",), npm=False), facts)
    assert not applies(Condition(strategy=("none",)), facts)
    items = [Item(text="all"), Item(text="party", when=Condition(uncat=("party",))), Item(text="not party", when=Condition(uncat=("not_party", "signatory")))]
    assert [item.text for item in select(items, facts)] == ["all", "party"]


def test_a_condition_is_written_as_one_value_or_a_list():
    assert Condition.model_validate({"uncat": "party"}).uncat == ("party",)
    assert Condition.model_validate({"uncat": ["party", "signatory"]}).uncat == ("party", "signatory")
    with pytest.raises(ValueError):
        Condition.model_validate({"uncat": "member"})
    with pytest.raises(ValueError):
        Condition.model_validate({"colour": "red"})


def test_counterpart_is_npm_is_a_fact_of_the_meeting():
    marisca = country("marisca")
    facts = state_facts(marisca, AS_OF)
    ombudsperson = next(meeting for meeting in marisca.meetings if meeting.kind == "nhri")
    police = next(meeting for meeting in marisca.meetings if meeting.portfolio == "police")
    assert applies(Condition(counterpart_is_npm=True), facts, ombudsperson)
    assert not applies(Condition(counterpart_is_npm=True), facts, police)


def test_a_report_is_overdue_only_when_a_set_date_has_passed():
    marisca = state_facts(country("marisca"), AS_OF).reporting
    assert marisca is not None and marisca.due == dt.date(2027, 5, 12) and marisca.due_source == "committee" and not marisca.overdue
    talvera = state_facts(country("talvera"), AS_OF).reporting
    assert talvera is not None and talvera.overdue and talvera.due == dt.date(2025, 5, 7)
    # No date recorded: an estimate, never "overdue".
    unknown = state_facts(country("talvera", uncat__next_report_due=None), AS_OF).reporting
    assert unknown is not None and unknown.due is None and unknown.estimate == dt.date(2025, 5, 7) and not unknown.overdue
    # No report at all: the initial report's date is the Convention's (Art. 19).
    initial = state_facts(country("talvera", uncat__reports=[], uncat__next_report_due=None), AS_OF).reporting
    assert initial is not None and initial.next_kind == "initial" and initial.due == dt.date(2012, 10, 20) and initial.overdue


def test_reporting_sentences_say_what_the_data_says():
    reference = load_reference(REPO / "content")
    assert pack_values(country("marisca"), reference, AS_OF).status.reporting_sentence == (
        "Last report (initial) submitted on 2 July 2021 and reviewed by the Committee on 12 May 2023. "
        "Next report due on 12 May 2027, the date set by the Committee. "
        "The State reports under the simplified procedure (list of issues prior to reporting)."
    )
    estimate = pack_values(country("marisca", uncat__next_report_due=None, uncat__simplified_procedure=None), reference, AS_OF).status.reporting_sentence
    assert estimate.endswith("The date the Committee set for the next report is not recorded; an estimate, four years after the last review, is May 2027.")
    assert "overdue" not in estimate


def test_the_invitation_proposes_only_what_is_planned():
    reference = load_reference(REPO / "content")
    kestria = pack_values(country("kestria"), reference, AS_OF).invitation.elements
    assert kestria == (
        # Two ministers met together: one meeting.
        "a meeting with Your Excellency and the Minister of Justice and Public Security;",
        "private meetings with the United Nations country team and civil society organisations.",
    )
    # No one met is responsible for the Government's priorities: the letter asks for them.
    data = country_data("kestria")
    data["meetings"][0]["counterparts"] = data["meetings"][0]["counterparts"][:1]
    assert pack_values(Country.model_validate(data), reference, AS_OF).invitation.elements == (
        "a meeting with Your Excellency;",
        "meetings with the authorities responsible for the priorities your Government has indicated;",
        "private meetings with the United Nations country team and civil society organisations.",
    )
    marisca = pack_values(country("marisca"), reference, AS_OF).invitation.elements
    assert marisca[0] == "meetings with Your Excellency and the Minister for Women, Children and Families;"
    # The visit was agreed: the seminar whose programme was agreed, and the place proposed, are named.
    assert "the facilitated seminar on 10 March 2027, whose programme your Government has agreed, with expert facilitators sharing the experience of other countries;" in marisca
    assert marisca[-1] == "a visit to San Lázaro Remand Centre, as your Government has proposed."  # a proper name takes no article
    unagreed = pack_values(country("marisca", visit__agreed_at=None), reference, AS_OF).invitation.elements
    assert unagreed[-1] == "a visit to a place where persons are deprived of their liberty, only at the direction of your Government."
    assert sum(element.count("Attorney-General") for element in pack_values(country("veloria"), reference, AS_OF).invitation.elements) == 1


def test_a_note_verbale_is_addressed_to_the_ministry_of_the_state():
    reference = load_reference(REPO / "content")
    invitation = pack_values(country("veloria"), reference, AS_OF).invitation
    assert invitation.ministry == "the Ministry of Foreign Affairs and Trade of the Kingdom of Veloria"
    assert invitation.title == "Note verbale to the Ministry of Foreign Affairs and Trade"


def test_dates_are_compact_and_one_day_reads_on():
    day = dt.date
    assert date_range(day(2027, 2, 16), day(2027, 2, 18)) == "16–18 February 2027"
    assert date_range(day(2027, 3, 30), day(2027, 4, 1)) == "30 March – 1 April 2027"
    assert date_range(day(2027, 4, 14), day(2027, 4, 14)) == "14 April 2027"
    assert dates_in_prose(day(2027, 4, 14), day(2027, 4, 14)) == "on 14 April 2027"
    assert dates_in_prose(day(2027, 2, 16), day(2027, 2, 18)) == "from 16 to 18 February 2027"
    assert dates_in_prose(day(2027, 5, 11), day(2027, 5, 12)) == "on 11 and 12 May 2027"
    assert dates_in_prose(day(2027, 3, 31), day(2027, 4, 1)) == "on 31 March and 1 April 2027"
    assert dates_in_prose(day(2027, 12, 31), day(2028, 1, 1)) == "on 31 December 2027 and 1 January 2028"
    assert dates_in_prose(day(2027, 12, 30), day(2028, 1, 1)) == "from 30 December 2027 to 1 January 2028"


def test_prose_typography():
    assert typographic("the State's \"strategy\" for 'now', O'Neill, Articles 5-9") == "the State’s “strategy” for “now”, O’Neill, Articles 5–9"
    assert typographic("Preventing torture - building the strategy") == "Preventing torture \u2013 building the strategy"
    assert typographic("Ms Leila Haddad (ليلى حداد), Director") == "Ms Leila Haddad\u00a0(ليلى\u00a0حداد), Director"
    assert and_list(["a"]) == "a" and and_list(["a", "b"]) == "a and b" and and_list(["a", "b", "c"]) == "a, b and c"
    assert and_list(["the Minister of Trade and Industry", "the Attorney-General", "the Ombudsman"]) == "the Minister of Trade and Industry, the Attorney-General, and the Ombudsman"
    assert and_list(["Port Halim, Solvania", "Geneva", "Oslo"]) == "Port Halim, Solvania; Geneva; and Oslo"


def test_a_letter_needs_a_signatory_and_a_note_verbale_does_not():
    data = country_data("kestria")
    del data["visit"]["signatory"]
    with pytest.raises(ValueError, match="a letter is signed"):
        Country.model_validate(data)
    data["visit"]["letter_form"] = "note_verbale"
    Country.model_validate(data)


def test_a_letter_names_its_addressee_and_a_note_verbale_only_the_ministry():
    data = country_data("kestria")
    del data["visit"]["addressee"]["name"]
    with pytest.raises(ValueError, match="a letter is addressed to a person: give the addressee's 'name' and 'title', or make it a note verbale"):
        Country.model_validate(data)
    data["visit"]["letter_form"] = "note_verbale"
    del data["visit"]["addressee"]["title"]
    del data["visit"]["signatory"]
    reference = load_reference(REPO / "content")
    values = pack_values(Country.model_validate(data), reference, AS_OF)
    assert values.invitation.ministry == "the Ministry of Foreign Affairs of the Republic of Kestria"


def test_a_visit_the_government_asked_for_answers_its_invitation():
    reference = load_reference(REPO / "content")
    asked = pack_values(country("veloria"), reference, AS_OF)
    assert asked.invitation.in_response == ", in response to the Government\u2019s invitation,"
    assert asked.visit.origin == "at the invitation of the Government of the Kingdom of Veloria"
    proposed = pack_values(country("veloria", visit__requested_by_government=None), reference, AS_OF)
    assert proposed.invitation.in_response == ""
    # What was agreed before the invitation is recalled, after the Government's request where there was one.
    agreed = pack_values(country("veloria", visit__agreed_at="the meeting of the Minister with the CTI Secretariat in Geneva, September 2026."), reference, AS_OF)
    assert agreed.invitation.in_response == (", in response to the Government\u2019s invitation and further to the meeting of the Minister "
                                             "with the CTI Secretariat in Geneva, September 2026,")
    assert proposed.visit.origin.startswith("proposed by the Convention against Torture Initiative to the Government of")


def test_a_position_that_describes_rather_than_titles_reads_in_lower_case_in_the_invitation():
    reference = load_reference(REPO / "content")
    members = pack_values(country("solvania"), reference, AS_OF).invitation.members
    assert any(member.startswith("Dr Putu Ayu Wiranata, criminal law expert and former Director of Detention Oversight") for member in members)
    assert any(member.endswith("Programme Officer, CTI Secretariat") for member in members)
    assert any(", former Deputy Director of the National Preventive Mechanism of Chile" in member for member in pack_values(country("ostravia"), reference, AS_OF).invitation.members)


def test_a_letter_answering_the_governments_invitation_is_not_called_one():
    reference = load_reference(REPO / "content")
    assert pack_values(country("ostravia"), reference, AS_OF).invitation.title == "Letter to the Minister of Justice"
    assert pack_values(country("ostravia", visit__requested_by_government=None), reference, AS_OF).invitation.title == "Letter of invitation to the Minister of Justice"


def test_a_place_opened_by_a_proper_name_takes_no_article():
    from cti_briefings.context import _place

    assert _place("Dravenik Central Prison") == "Dravenik Central Prison"
    assert _place("Central Remand Centre") == "the Central Remand Centre"
    assert _place("The Mount Prison") == "The Mount Prison"


def test_a_step_the_file_does_not_list_is_not_said_to_be_not_started():
    reference = load_reference(REPO / "content")
    data = country_data("example")
    roadmap = pack_values(Country.model_validate(data), reference, AS_OF).roadmap
    listed = {int(number) for number in data["strategy"]["steps"]}
    for phase in roadmap.phases:
        for step in phase.steps:
            assert (step.status == "\u2013") == (step.number not in listed), step.number
    # An adopted strategy is not told what its goals should be.
    data["strategy"]["stage"] = "adopted"
    assert "should be SMART" not in pack_values(Country.model_validate(data), reference, AS_OF).roadmap.introduction
