"""What a brief says: recorded recommendations raised as key messages, topics said once a pack."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import REPO, country_data

from cti_briefings.content import load_reference
from cti_briefings.context import (
    PersonValues,
    _cited_articles,
    _cites_tool,
    _described_by_office,
    _echoes,
    _on_topic,
    _subject_of,
    _title_and_office,
    _topic_holders,
    _without_repeated_offers,
    brief_values,
    pack_values,
    typographic,
)
from cti_briefings.errors import ContentError
from cti_briefings.facts import applies, state_facts
from cti_briefings.schema import Condition, Country

AS_OF = dt.date(2026, 11, 22)
REFERENCE = load_reference(REPO / "content")


def briefs(data: dict) -> list:
    country = Country.model_validate(data)
    shared = pack_values(country, REFERENCE, AS_OF)
    return [brief_values(shared, country, REFERENCE, index, AS_OF).brief for index in range(len(country.meetings))]


def messages_of(data: dict, portfolio: str) -> list[str]:
    index = next(number for number, meeting in enumerate(data["meetings"]) if meeting.get("portfolio") == portfolio)
    return list(briefs(data)[index].key_messages)


def without_own_messages(data: dict) -> dict:
    """The country file with no meeting-level key messages: the recommendations are then raised as messages."""
    for meeting in data["meetings"]:
        meeting.pop("key_messages", None)
    return data


def test_a_meeting_with_messages_of_its_own_raises_no_recommendation_its_rows_still_list_them():
    marisca = country_data("marisca")
    [police] = [brief for meeting, brief in zip(marisca["meetings"], briefs(marisca)) if meeting.get("portfolio") == "police"]
    assert not any("(above)" in text for text in police.key_messages)
    assert any("access to a lawyer and an independent doctor" in item.line for item in police.recommendations)


def test_a_recommendation_is_raised_in_the_brief_of_its_first_portfolio_met():
    marisca = without_own_messages(country_data("marisca"))
    police = messages_of(marisca, "police")
    raised = [text for text in police if "Committee against Torture" in text and "recommendation" in text]
    assert raised == [
        "On the Committee against Torture\u2019s recommendation of May 2023 (above): "
        "CTI can arrange an exchange with police services of other States that took such steps."
    ]
    [police_brief] = [brief for meeting, brief in zip(marisca["meetings"], briefs(marisca)) if meeting.get("portfolio") == "police"]
    assert any("access to a lawyer and an independent doctor" in item.line for item in police_brief.recommendations)
    # The prison service is the recommendation's second portfolio: it lists it, but does not raise it again.
    prisons = briefs(marisca)[[meeting.get("portfolio") for meeting in marisca["meetings"]].index("prisons")]
    assert not any("access to a lawyer and an independent doctor" in text for text in prisons.key_messages)
    assert any("access to a lawyer and an independent doctor" in item.text for item in prisons.recommendations)


def test_the_first_committee_recommendation_names_the_next_reports_date_and_no_other_does():
    marisca = without_own_messages(country_data("marisca"))
    texts = [text for brief in briefs(marisca) for text in brief.key_messages if text.startswith("On the") and "Committee against Torture" in text]
    assert len(texts) == 5
    # The Minister of Justice's own lines give the report's date: no message repeats it.
    assert not any("next report, due" in text for text in texts)
    first = next(meeting for meeting in marisca["meetings"] if meeting.get("portfolio") == "justice")
    first["objectives"] = [text.replace(", due on 12 May 2027,", "") for text in first["objectives"]]
    texts = [text for brief in briefs(marisca) for text in brief.key_messages if text.startswith("On the") and "Committee against Torture" in text]
    assert [text for text in texts if "next report, due 12 May 2027" in text] == texts[:1]


def test_accepted_and_noted_recommendations_read_as_the_states_own_response():
    marisca = without_own_messages(country_data("marisca"))
    marisca["strategy"]["recommendations"] = [
        {"source": "UPR", "date": "2025-05-07", "area": "policing", "portfolios": ["police"], "response": "noted",
         "text": "Guarantee every person in police custody access to a lawyer from the outset."},
        {"source": "UPR", "date": "2025-05-07", "area": "children", "portfolios": ["police"], "response": "accepted",
         "text": "The State should hold children apart from adults."},
    ]
    police = messages_of(marisca, "police")
    # Not an imperative: quoted as the body wrote it.
    assert ("On the recommendation that Marisca accepted at the Universal Periodic Review of May 2025 (above): "
            "alternatives to detention for children used in other States are among the experience CTI can share.") in police
    # A recommendation the State noted is not raised in a meeting; its row says how to handle it...
    assert not any("that Marisca noted" in text for text in police)

    def noted_row() -> str:
        [police_brief] = [brief for meeting, brief in zip(marisca["meetings"], briefs(marisca)) if meeting.get("portfolio") == "police"]
        [noted] = [item.line for item in police_brief.recommendations if item.response == "noted"]
        return noted

    assert noted_row().endswith("from the outset.\nHandling: a recommendation the State noted is raised with care, in the Government\u2019s own terms; CTI can share other States\u2019 experience.")
    # A noted recommendation is raised once the Government has made the matter a priority of the visit.
    marisca["strategy"]["recommendations"][0]["text"] = "Guarantee every person in police custody access to a lawyer from the outset."
    marisca["visit"]["priorities"] = ["access to a lawyer in police custody"]
    police = messages_of(marisca, "police")
    # ...in the Government's terms: its row says the State noted it, the message does not.
    assert ("Among its own priorities for this visit, the Government has named access to a lawyer in police custody, the subject of the recommendation of the "
            "Universal Periodic Review of May 2025 (above). CTI can arrange an exchange with police services of other States that took such steps.") in police
    assert noted_row().endswith("from the outset.\nHandling: the Government has since named the matter among its priorities for this visit.")
    # A recommendation on custody safeguards replaces the reference line on them.
    assert not any("Implementation Tool 2/2017" in text for text in police)


def test_a_counterpart_who_speaks_at_the_seminar_has_it_among_the_objectives():
    marisca = country_data("marisca")
    justice = briefs(marisca)[[meeting.get("portfolio") for meeting in marisca["meetings"]].index("justice")]
    assert justice.objectives[-1] == "Discuss the Minister\u2019s opening remarks at the seminar on 10 March 2027."
    marisca["seminar"]["agreed_with_government"] = False
    justice = briefs(marisca)[[meeting.get("portfolio") for meeting in marisca["meetings"]].index("justice")]
    assert justice.objectives[-1] == "If the Government agrees the draft seminar programme, discuss the Minister\u2019s opening remarks at the seminar on 10 March 2027."
    police = briefs(marisca)[[meeting.get("portfolio") for meeting in marisca["meetings"]].index("police")]
    assert not any("seminar on 10 March" in text for text in police.objectives)
    # A meeting after the seminar follows it up.
    moved = next(number for number, meeting in enumerate(marisca["meetings"]) if meeting.get("portfolio") == "justice")
    marisca["meetings"][moved]["date"] = "2027-03-11"
    later = briefs(marisca)[moved]
    assert later.objectives[-1] == "Follow up the Minister\u2019s opening remarks at the seminar of 10 March 2027, and what came of it."
    # A session other than the opening or closing is named.
    marisca["seminar"]["sessions"][0]["title"] = "Safeguards in custody"
    assert briefs(marisca)[moved].objectives[-1] == "Follow up the Minister\u2019s part in the session \u201cSafeguards in custody\u201d at the seminar of 10 March 2027, and what came of it."


def test_the_strategys_lead_agency_is_offered_support_for_its_next_step():
    marisca = country_data("marisca")
    [line] = [text for text in messages_of(marisca, "justice") if "of the national strategy" in text]
    # The step it or its Commission has in hand that is due soonest, with its date; not a recital
    # of the roadmap, which the lead knows better months later.
    assert line == ("For step 3 of the national strategy (consultation and drafting), due by September 2027, "
                    "CTI can share other States\u2019 strategies and Implementation Tool 1/2017.")
    # A step another body leads is theirs to discuss: the next one of the lead's is offered.
    marisca["strategy"]["steps"][3]["lead"] = "Council of Ministers"
    [line] = [text for text in messages_of(marisca, "justice") if "of the national strategy" in text]
    assert line.startswith("For step 6 of the national strategy (build partnerships and hold consultations on implementation), due by June 2028,")


def test_a_topic_the_country_file_speaks_to_in_an_owners_brief_is_left_to_it():
    veloria = country_data("veloria")
    texts = [text for brief in briefs(veloria) for text in brief.key_messages]
    # The human rights minister's own line on reporting: the general one is not said to Foreign Affairs.
    assert not any(text.startswith("Reporting to the Committee against Torture is a regular and manageable commitment") for text in texts)
    social = next(number for number, meeting in enumerate(veloria["meetings"]) if meeting.get("portfolio") == "human_rights")
    veloria["meetings"][social]["key_messages"] = veloria["meetings"][social]["objectives"] = []
    foreign = next(meeting for meeting in veloria["meetings"] if meeting.get("portfolio") == "foreign_affairs")
    foreign["key_messages"] = foreign["key_messages"][:1]  # room for the portfolio's general lines
    texts = [text for brief in briefs(veloria) for text in brief.key_messages]
    assert any(text.startswith("Reporting to the Committee against Torture is a regular and manageable commitment") for text in texts)


def test_a_recommendation_the_country_file_already_makes_is_not_raised_twice():
    talvera = country_data("talvera")
    texts = [text for brief in briefs(talvera) for text in brief.key_messages]
    assert sum("detention of children for reasons of their migration status" in text for text in texts) == 1


def test_a_topic_is_said_in_the_brief_of_its_first_owner_only():
    veloria = country_data("veloria")
    said = [(meeting.get("portfolio"), text) for meeting, brief in zip(veloria["meetings"], briefs(veloria)) for text in brief.key_messages]
    article_3 = [portfolio for portfolio, text in said if "Article 3" in text]
    assert article_3 == ["national_security"]  # the owner met before foreign affairs
    # Without the security meeting, the topic falls to foreign affairs (whose brief holds it if
    # it has room: at most five key messages, the reference lines giving way from the last).
    veloria["meetings"] = [meeting for meeting in veloria["meetings"] if meeting.get("portfolio") != "national_security"]
    holders = _topic_holders(Country.model_validate(veloria), REFERENCE, state_facts(Country.model_validate(veloria), AS_OF))
    assert [veloria["meetings"][holders["non_refoulement"]]["portfolio"]] == ["foreign_affairs"]


def test_a_reference_line_gives_way_to_the_country_files_own_message_on_its_topic():
    marisca = country_data("marisca")
    justice = next(meeting for meeting in marisca["meetings"] if meeting.get("portfolio") == "justice")
    marisca["strategy"]["recommendations"] = []
    marisca.pop("seminar")  # room in the brief for the reference lines
    marisca["strategy"].pop("lead_agency")
    justice["key_messages"] = []
    assert any("legislation guide" in text and "Article 1" in text for text in messages_of(marisca, "justice"))
    justice["key_messages"] = ["The draft amendment can adopt the Article 1 definition word for word."]
    assert not any("legislation guide" in text and "Article 1" in text for text in messages_of(marisca, "justice"))


def test_portfolio_and_briefed_conditions_are_facts_of_the_meeting():
    marisca = Country.model_validate(country_data("marisca"))
    facts = state_facts(marisca, AS_OF)
    police = next(meeting for meeting in marisca.meetings if meeting.portfolio == "police")
    prisons = next(meeting for meeting in marisca.meetings if meeting.portfolio == "prisons")
    assert applies(Condition(portfolio=("police", "health")), facts, police)
    assert not applies(Condition(portfolio=("health",)), facts, police)
    assert not applies(Condition(briefed=True), facts, police) and applies(Condition(briefed=True), facts, prisons)
    assert applies(Condition(upr_recommendations=True), facts)
    unrecorded = country_data("kestria")
    unrecorded.pop("strategy")  # no recommendation recorded
    assert applies(Condition(upr_recommendations=False), state_facts(Country.model_validate(unrecorded), AS_OF))


def test_an_unknown_topic_is_named_with_its_file_and_line(project_root):
    path = project_root / "content" / "reference" / "portfolios.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("topic: definition", "topic: defintion", 1), encoding="utf-8")
    line = text.splitlines().index(next(row for row in text.splitlines() if "topic: definition" in row)) + 1
    with pytest.raises(ContentError) as caught:
        load_reference(project_root / "content")
    assert f"content/reference/portfolios.yaml:{line}" in str(caught.value)
    assert "unknown topic 'defintion'" in str(caught.value)


def test_a_recommendation_on_a_priority_of_the_visit_says_the_government_named_it():
    marisca = without_own_messages(country_data("marisca"))
    justice = messages_of(marisca, "justice")
    [definition] = [text for text in justice if "recommendation of May 2023 on the Penal Code" in text]
    assert "(above): among its own priorities for this visit, the Government has named bringing the Penal Code definition of torture into line with Article 1." in definition
    marisca["visit"]["priorities"] = ["drafting a national strategy"]
    assert not any("Among its own priorities" in text for text in messages_of(marisca, "justice"))


@pytest.mark.parametrize("slug", ["example", "veloria", "marisca", "talvera", "kestria", "solvania", "norvane"])
def test_a_brief_makes_at_most_five_key_messages_unless_the_states_own_need_more(slug):
    data = country_data(slug)
    for meeting, brief in zip(data["meetings"], briefs(data)):
        own = len(meeting.get("key_messages", []))
        raised = sum("recommend" in text for text in brief.key_messages)
        assert len(brief.key_messages) <= max(5, own + raised + 2), (slug, meeting.get("portfolio") or meeting["kind"])


def test_a_noted_recommendation_not_raised_stays_in_its_briefs_background():
    marisca = country_data("marisca")
    marisca["strategy"]["recommendations"] = [
        {"source": "UPR", "date": "2024-01-24", "area": "policing", "portfolios": ["police"], "response": "noted",
         "text": "Set up an independent body to investigate complaints against the police."},
    ]
    police = briefs(marisca)[[meeting.get("portfolio") for meeting in marisca["meetings"]].index("police")]
    assert not any("independent body" in text for text in police.key_messages)
    assert [item.text for item in police.recommendations] == ["Set up an independent body to investigate complaints against the police."]


def test_a_second_meeting_of_a_kind_without_a_portfolio_keeps_its_kinds_lines_rather_than_none():
    marisca = country_data("marisca")
    friends = next(meeting for meeting in marisca["meetings"] if meeting["kind"] == "group_of_friends")
    marisca["meetings"].append({**friends, "date": "2027-03-11", "start": "17:00", "end": "18:00"})
    first, second = [brief for meeting, brief in zip(marisca["meetings"], briefs(marisca)) if meeting["kind"] == "group_of_friends"]
    assert second.objectives == first.objectives and second.questions


@pytest.mark.parametrize("slug", ["example", "marisca", "norvane", "solvania", "talvera"])
def test_the_same_review_is_said_only_after_one_in_the_same_brief(slug):
    for brief in briefs(country_data(slug)):
        raised = [text for text in brief.key_messages if "concluding observations" in text or "Universal Periodic Review of" in text]
        assert not (raised and raised[0].startswith("In the same")), raised[0]
        assert not (raised and " also accepted" in raised[0]), raised[0]


def test_an_offer_of_the_same_tool_or_of_other_states_experience_is_made_once_a_brief():
    offered: set[str] = set()
    first = _without_repeated_offers("Article 10 calls for training; CTI Training Tool 1/2017 on investigative interviewing can support it.", offered, True)
    again = _without_repeated_offers("Article 11 asks for review of interrogation rules; CTI Training Tool 1/2017 on investigative interviewing can support both.", offered, True)
    assert first.endswith("can support it.")
    assert again == "Article 11 asks for review of interrogation rules."
    assert _without_repeated_offers("Safeguards matter. CTI can share how other States did it.", offered, True) == "Safeguards matter. CTI can share how other States did it."
    assert _without_repeated_offers("Courts apply it. CTI can share how other States have done this.", offered, True) == "Courts apply it."
    # The country file's own lines are printed as written.
    assert _without_repeated_offers("Courts apply it. CTI can share how other States have done this.", offered, False).endswith("done this.")


def test_a_reference_line_that_echoes_the_country_files_own_gives_way():
    assert _echoes("The delegation meets national stakeholders as advised by the Government; it comes to listen and to share experience, not to assess.",
                   ["The delegation meets the Bar as advised by the Government; it comes to listen and to share experience, not to assess."])
    assert not _echoes("Article 14 asks for redress and rehabilitation.", ["The delegation meets the Bar as advised by the Government."])


def test_a_shorter_brief_gives_up_reference_lines_and_keeps_the_states_own():
    data = country_data("norvane")
    justice = next(meeting for meeting in data["meetings"] if meeting.get("portfolio") == "justice")
    justice["key_messages"] = justice["key_messages"][:1]  # the portfolio's general lines fill the brief
    country = Country.model_validate(data)
    shared = pack_values(country, REFERENCE, AS_OF)
    index = next(number for number, meeting in enumerate(country.meetings) if meeting.portfolio == "justice")
    full = brief_values(shared, country, REFERENCE, index, AS_OF).brief
    shortest = brief_values(shared, country, REFERENCE, index, AS_OF, spare=20).brief
    assert len(shortest.questions) == 1 and not shortest.articles_line and not shortest.tools
    assert len(shortest.key_messages) >= 2
    own = [typographic(text) for text in country.meetings[index].key_messages]
    assert all(text in shortest.key_messages for text in own)
    assert len(shortest.key_messages) < len(full.key_messages)


def test_people_of_one_institution_follow_its_name_once():
    chair = PersonValues("Ms A", "Hon.", "Hon. Ms A", "Chair, Standing Committee", "National Assembly", "", "", "")
    members = PersonValues("", "", "", "Members of the Standing Committee", "National Assembly", "", "", "")
    assert _described_by_office([chair, members]) == ["National Assembly (Hon. Ms A, Chair, Standing Committee; Members of the Standing Committee)"]
    assert _described_by_office([chair, members], lines=True) == ["National Assembly:\n\u2013 Hon. Ms A, Chair, Standing Committee\n\u2013 Members of the Standing Committee"]


def test_an_office_named_with_its_state_is_said_once_with_the_title():
    assert _title_and_office("Minister of Foreign Affairs", "Ministry of Foreign Affairs of the Union of Calvenne") == "Minister of Foreign Affairs of the Union of Calvenne"
    assert _title_and_office("Minister of Justice", "Ministry of Justice") == "Minister of Justice"
    assert _title_and_office("Director", "Skarvik Immigration Detention Centre") == "Director, Skarvik Immigration Detention Centre"
    assert _title_and_office("Director-General of the Prison Service", "Prison Service of Ostravia") == "Director-General of the Prison Service"
    assert _title_and_office("Head of Legal Affairs", "Ministry of Justice") == "Head of Legal Affairs, Ministry of Justice"


def test_a_sentence_the_brief_already_said_is_not_said_again_and_a_long_offer_stays():
    offered: set[str] = set()
    _without_repeated_offers("Complaints that people trust help the police find and correct problems early.", offered, True)
    assert _without_repeated_offers("Article 13 protects complainants. Complaints that people trust help police find and correct problems early.", offered, True) == "Article 13 protects complainants."
    _without_repeated_offers("Safeguards matter. CTI can share how other States did it.", offered, True)
    long_offer = "CTI can help take stock of what exists and what is missing, share how other States organise their reporting, and connect the Government with partners."
    assert _without_repeated_offers(f"It builds on what exists. {long_offer}", offered, True).endswith(long_offer)


def test_parliaments_approval_is_said_when_recorded_and_hedged_when_not():
    data = country_data("calvenne")
    index = next(number for number, meeting in enumerate(data["meetings"]) if meeting.get("portfolio") == "legislature")
    data["meetings"][index].pop("objectives", None)  # the reference lines alone
    recorded = briefs(data)[index]
    assert any("ahead of the approval of accession that the constitution gives Parliament" in text for text in recorded.objectives)
    data["uncat"].pop("parliament_approves")
    unknown = briefs(data)[index]
    assert any("where the constitution provides for it" in text for text in unknown.objectives)


def test_the_reference_lines_list_what_the_brief_cites():
    assert _cited_articles(["Article 1 sets out, and Article 4 asks", "Articles 5 to 9 make it extraditable", "Articles 12 and 13 look",
                            "the Optional Protocol asks for resources (Article 18(3))", "OPCAT Article 4",
                            "Article 211 of the Penal Code", "Article 15 of the Code of Criminal Procedure"]) == ["1", "4", "5–9", "12", "13"]
    assert _cites_tool("UNCAT Implementation Tool 2/2017: Safeguards in the first hours of police detention", ["as described in Implementation Tool 2/2017;"])
    assert not _cites_tool("UNCAT Implementation Tool 1/2017: State strategies", ["CTI Training Tool 1/2017 on interviewing"])
    assert _cites_tool("Anti-torture legislation guide (CTI with the Association for the Prevention of Torture)", ["the anti-torture legislation guide sets out the options"])
    # Each article listed is cited by the text, or is what a tool the brief lists is about.
    for brief in briefs(country_data("calvenne")):
        spoken = " ".join([*brief.objectives, *brief.key_messages, *(item.response for item in brief.questions), *(item.question for item in brief.questions)])
        of_tools = {article for tool in REFERENCE.tools if tool.title in brief.tools for article in tool.articles}
        for number in re.findall(r"\b([0-9]+)\b", brief.articles_line.split("(")[0]):
            assert f" {number}" in spoken or number in of_tools, (brief.number, number)


def test_a_recommendation_raised_in_a_brief_is_quoted_once_in_its_header_and_pointed_to():
    data = without_own_messages(country_data("veloria"))
    index = next(number for number, meeting in enumerate(data["meetings"]) if meeting.get("portfolio") == "foreign_affairs")
    brief = briefs(data)[index]
    [message] = [text for text in brief.key_messages if text.startswith("On the")]
    assert message.startswith("On the recommendation that Veloria accepted at the Universal Periodic Review of January 2025 (above):")
    assert all(item.text in item.line for item in brief.recommendations)
    assert not any(item.text in text for item in brief.recommendations for text in brief.key_messages)


def test_a_raising_message_names_what_the_recommendation_is_on_when_it_can():
    assert _subject_of("Amend the Penal Code so that the definition of torture covers all the elements of Article 1.") == "the Penal Code"
    assert _subject_of("Adopt a national strategy to prevent torture, in consultation with civil society.") == "a national strategy to prevent torture"
    assert _subject_of("Ensure that all allegations of torture are investigated.") == ""  # no noun to name safely
    assert _subject_of("Investigate and prosecute all allegations of sexual violence.") == ""
    assert _subject_of("The State should hold children apart from adults.") == ""  # not an imperative


def test_a_brief_lists_its_portfolios_tool_on_what_it_speaks_of_cited_or_not():
    safeguards = "UNCAT Implementation Tool 2/2017: Safeguards in the first hours of police detention"
    assert _on_topic(safeguards, ["Learn how soon people in police custody see a lawyer.", "Safeguards in police custody are a priority."])
    assert not _on_topic(safeguards, ["Learn how complaints against police officers are investigated."])
    marisca = country_data("marisca")
    [police] = [brief for meeting, brief in zip(marisca["meetings"], briefs(marisca)) if meeting.get("portfolio") == "police"]
    assert safeguards in police.tools.split("; ")
    # A tool neither cited nor on the brief's subject is left out (the prosecution service's extradition tool).
    ardenia = country_data("ardenia")
    [prosecution] = [brief for meeting, brief in zip(ardenia["meetings"], briefs(ardenia)) if meeting.get("portfolio") == "prosecution"]
    assert "Cooperation on extradition" not in prosecution.tools
    marisca = without_own_messages(marisca)
    assert "Cooperation on extradition" in [brief for meeting, brief in zip(marisca["meetings"], briefs(marisca)) if meeting.get("portfolio") == "prosecution"][0].tools


@pytest.mark.parametrize("slug", ["example", "marisca", "solvania", "ardenia"])
def test_no_reference_answer_says_again_what_a_key_message_of_its_brief_says(slug):
    data = country_data(slug)
    for meeting, brief in zip(data["meetings"], briefs(data)):
        own = {typographic(item["question"]) for item in meeting.get("questions", [])}
        for item in brief.questions:
            if item.question not in own and len(brief.questions) > 1:
                assert not _echoes(item.response, brief.key_messages), (slug, item.question)


def test_how_the_state_would_join_is_said_to_its_foreign_minister_whatever_the_own_lines_replace():
    kestria = country_data("kestria")
    [meeting] = [meeting for meeting in kestria["meetings"] if meeting.get("portfolio") == "foreign_affairs"]
    meeting["key_messages"] = [  # three of its own: the portfolio's general lines give way...
        "The Minister told Parliament that the Government is studying the treaties it has not joined.",
        "The note to the Cabinet could draw on the experience of States that acceded recently.",
        "Training police officers in questioning suspects is practical groundwork.",
    ]
    [brief] = [brief for other, brief in zip(kestria["meetings"], briefs(kestria)) if other.get("portfolio") == "foreign_affairs"]
    [joining] = [text for text in brief.key_messages if text.startswith("Accession follows")]  # ...not this one
    assert "deposited with the Secretary-General of the United Nations" in joining and "(Article 27)" in joining
    assert "Article 28" not in joining  # the opt-out from the inquiry procedure is an answer, not a point to make
    assert not any("Ratification" in text for text in brief.key_messages)
    # Own lines that together give a third of it say it already, in the State's terms.
    meeting["key_messages"][1:] = [
        "Accession takes an instrument of accession deposited with the UN Secretary-General; the Convention enters into force on the thirtieth day after (Article 27).",
        "National law then needs a definition and an offence of torture (Articles 1 and 4).",
    ]
    [brief] = [brief for other, brief in zip(kestria["meetings"], briefs(kestria)) if other.get("portfolio") == "foreign_affairs"]
    assert not any(text.startswith("Accession follows") for text in brief.key_messages)


def test_an_essential_line_gives_way_to_an_own_line_that_already_gives_a_third_of_it():
    calvenne = country_data("calvenne")
    [brief] = [brief for meeting, brief in zip(calvenne["meetings"], briefs(calvenne)) if meeting.get("portfolio") == "foreign_affairs"]
    assert sum("thirtieth day" in text for text in brief.key_messages) == 1  # the own line, on Parliament's approval and Article 27


def test_an_offer_to_compare_a_draft_with_articles_1_and_4_is_made_once_a_brief():
    offered: set[str] = set()
    first = _without_repeated_offers("The review is under way; CTI can help compare draft provisions with Article 1 and Article 4.", offered, editable=False)
    again = _without_repeated_offers(
        "Article 4 asks for an offence of torture. CTI can help compare draft or existing provisions with Articles 1 and 4, drawing on the anti-torture legislation guide.",
        offered, editable=True,
    )
    assert first.endswith("Article 1 and Article 4.")
    assert again == "Article 4 asks for an offence of torture."


def test_tools_named_together_are_each_cited_and_listed_even_without_a_portfolio():
    assert _cites_tool("UNCAT Implementation Tool 7/2019: Complaints", ["Implementation Tools 7/2019 and 5/2018 describe approaches."])
    assert not _cites_tool("CTI Training Tool 1/2017: Interviewing", ["Implementation Tool 1/2017 on strategies."])
    calvenne = country_data("calvenne")
    [bar] = [brief for meeting, brief in zip(calvenne["meetings"], briefs(calvenne)) if meeting.get("venue", "").startswith("Calvenne Bar Association")]
    assert bar.tools == "UNCAT Implementation Tool 2/2017: Safeguards in the first hours of police detention"


def test_the_honourable_takes_no_mr_or_ms_after_it_his_excellency_does():
    from cti_briefings.context import _full_name

    assert _full_name("Hon.", "Ms Beatriz Holloway-Sané") == "Hon. Beatriz Holloway-Sané"
    assert _full_name("The Hon.", "Mr Semisi Naivalu") == "The Hon. Semisi Naivalu"
    assert _full_name("H.E.", "Ms Ana Costa") == "H.E. Ms Ana Costa"
    assert _full_name("Hon.", "Dr Ana Costa") == "Hon. Dr Ana Costa"


def test_the_strategys_lead_hears_where_it_stands_without_the_general_line_on_strategies():
    marisca = country_data("marisca")
    messages = messages_of(marisca, "justice")
    assert any(text.startswith("For step 3 of the national strategy") for text in messages)
    assert not any(text.startswith("Political backing keeps the Government") for text in messages)


def test_a_reference_line_sharing_a_run_of_words_with_an_earlier_line_makes_the_same_point():
    from cti_briefings.context import _makes_same_point

    own = "Women, children and juvenile justice belong among the strategy's priorities."
    assert _makes_same_point("Women, children and juvenile justice are among the areas Implementation Tool 1/2017 suggests reviewing.", [own])
    # Names a pack repeats by necessity, and tools named with their subject, are not a point made twice.
    assert not _makes_same_point("The Committee against Torture set a date; the national preventive mechanism visits prisons and police stations across the country.",
                                 ["The national preventive mechanism of the Committee against Torture recommended changes to training curricula for judges."])
    assert not _makes_same_point("Article 10 calls for the training of law-enforcement personnel, and Article 11 for systematic review of interrogation rules "
                                 "and custody arrangements; CTI Training Tool 1/2017 on investigative interviewing can support both.",
                                 ["Police training can draw on CTI Training Tool 1/2017 on investigative interviewing."])
    marisca = country_data("marisca")
    women = messages_of(marisca, "women_children")
    assert not any("juvenile justice are among the areas" in text for text in women)


def test_the_national_preventive_mechanisms_brief_lists_the_recommendations_on_it():
    marisca = country_data("marisca")
    marisca["strategy"]["recommendations"].append(
        {"source": "CAT", "date": "2023-05-12", "area": "justice", "portfolios": ["justice"],
         "text": "Provide the national preventive mechanism with the resources it needs."})
    [npm] = [brief for meeting, brief in zip(marisca["meetings"], briefs(marisca)) if meeting.get("is_npm")]
    assert [item.text for item in npm.recommendations] == ["Provide the national preventive mechanism with the resources it needs."]


def test_thanks_are_said_once_not_also_as_an_objective_when_the_own_lines_give_them():
    calvenne = country_data("calvenne")
    [meeting] = [meeting for meeting in calvenne["meetings"] if meeting.get("portfolio") == "foreign_affairs"]
    assert any("thank" in text.lower() for text in meeting["key_messages"])
    [brief] = [brief for other, brief in zip(calvenne["meetings"], briefs(calvenne)) if other.get("portfolio") == "foreign_affairs"]
    assert not any(text.startswith("Thank") for text in brief.objectives)
    meeting["key_messages"] = [text for text in meeting["key_messages"] if "thank" not in text.lower()]
    [brief] = [brief for other, brief in zip(calvenne["meetings"], briefs(calvenne)) if other.get("portfolio") == "foreign_affairs"]
    assert brief.objectives[0].startswith("Thank the Minister for the Government\u2019s invitation")


def test_a_clause_left_after_an_offer_is_taken_out_opens_its_sentence_with_a_capital():
    offered = {"tool 1/2017"}
    text = _without_repeated_offers(
        "That is for the Government to decide. The first step in Implementation Tool 1/2017 is to agree a timeline; what matters most is a clear mandate.",
        {*offered, "implementation tool 1/2017"}, editable=True)
    assert text == "That is for the Government to decide. What matters most is a clear mandate."


@pytest.mark.parametrize("slug", ["ardenia", "marisca", "veloria", "norvane"])
def test_no_reference_answer_makes_the_point_of_an_earlier_answer_of_its_brief(slug):
    from cti_briefings.context import _makes_same_point

    data = country_data(slug)
    for meeting, brief in zip(data["meetings"], briefs(data)):
        own = {typographic(item["question"]) for item in meeting.get("questions", [])}
        for number, item in enumerate(brief.questions):
            if item.question not in own:
                assert not _makes_same_point(item.response, [earlier.response for earlier in brief.questions[:number]]), (slug, item.question)


def test_how_to_handle_a_noted_recommendation_is_said_once_a_pack_and_pointed_to_after():
    from cti_briefings.context import NOTED_HANDLING

    calvenne = country_data("calvenne")
    rows = [item.line for brief in briefs(calvenne) for item in brief.recommendations if item.response == "noted"]
    assert len(rows) == 3 and all("noted)" in row for row in rows)
    assert sum(NOTED_HANDLING in row for row in rows) == 1
    # Every later brief that lists one points back to it rather than leave the row bare,
    # whoever the counterpart: a delegate may read that brief alone.
    assert sum(row.endswith("\nHandling: as in Brief 2, raised with care, in the Government\u2019s own terms.") for row in rows) == 2
    norvane = country_data("norvane")
    noted = [item.line for brief in briefs(norvane) for item in brief.recommendations if item.response == "noted"]
    assert noted and all("\nHandling: " in row for row in noted)


def test_last_contact_unknown_is_said_in_the_number_of_the_counterparts():
    kestria = country_data("kestria")
    index = next(number for number, meeting in enumerate(kestria["meetings"]) if meeting["kind"] == "civil_society")
    kestria["meetings"][index].pop("last_contact", None)
    assert briefs(kestria)[index].last_contact == "No earlier meeting with these organisations is recorded."
    example = country_data("example")
    example["meetings"][0].pop("last_contact", None)
    assert briefs(example)[0].last_contact == "No earlier meeting with this counterpart is recorded."


def test_the_strategy_leads_steps_are_not_listed_again_where_its_own_lines_speak_of_them():
    ostravia = country_data("ostravia")
    lead = "For step 2 of the national strategy (review relevant laws, policies, regulations and practices), due by June 2027,"
    assert not any(text.startswith(lead) for text in messages_of(ostravia, "justice"))
    justice = next(meeting for meeting in ostravia["meetings"] if meeting.get("portfolio") == "justice")
    justice["key_messages"] = [text.replace("each remaining step of the strategy", "the strategy") for text in justice["key_messages"]]
    justice["background"] = [text for text in justice.get("background", []) if "step" not in text]
    justice["objectives"] = [text for text in justice.get("objectives", []) if "step" not in text]
    assert any(text.startswith(lead) for text in messages_of(ostravia, "justice"))


def test_a_seminar_speaker_given_by_title_is_named_and_a_name_in_another_script_leaves_the_heading():
    ostravia = Country.model_validate(country_data("ostravia"))
    shared = pack_values(ostravia, REFERENCE, AS_OF)
    assert shared.seminar is not None
    speakers = [session.speakers for session in shared.seminar.sessions]
    assert "Mr Joaqu\u00edn Araya Fuentes; H.E. Ms Lenka Hor\u00e1\u010dkov\u00e1, Minister of the Interior" in speakers
    solvania = Country.model_validate(country_data("solvania"))
    [ombudsman] = [meeting for meeting in pack_values(solvania, REFERENCE, AS_OF).meetings if "Benslimane" in meeting.heading]
    assert ombudsman.heading == "Dr Karim Benslimane"
    assert ombudsman.about.startswith("Name in its own script: \u0643\u0631\u064a\u0645\u00a0\u0628\u0646\u00a0\u0633\u0644\u064a\u0645\u0627\u0646. Ombudsman since 2021")


def test_the_articles_line_names_what_the_listed_tools_are_about():
    marisca = country_data("marisca")
    index = next(number for number, meeting in enumerate(marisca["meetings"]) if meeting.get("portfolio") == "health")
    health = briefs(marisca)[index]
    assert "Implementation Tool 5/2018" in health.tools
    assert health.articles_line.startswith("Articles 12, 13 and 14 ")
    # A State's own name, not 'the State', in a reference line.
    assert not any("the State to decide" in item.response for brief in briefs(country_data("norvane")) for item in brief.questions)


def test_the_un_country_team_hears_how_the_state_responded_to_its_universal_periodic_review():
    kestria = without_own_messages(country_data("kestria"))  # the Foreign Minister's own line on the review would make the point first
    index = next(number for number, meeting in enumerate(kestria["meetings"]) if meeting["kind"] == "united_nations")
    assert ("At its Universal Periodic Review of May 2024, Kestria accepted one and noted one of the two recommendations on torture listed above; "
            "the recommendations and the State\u2019s responses are a shared reference point for the Government, the country team and CTI.") in briefs(kestria)[index].key_messages
    for item in kestria["strategy"]["recommendations"]:
        item["response"] = "accepted"
    assert any(text.startswith("At its Universal Periodic Review of May 2024, Kestria accepted the two recommendations on torture listed above;") for text in briefs(kestria)[index].key_messages)


def test_a_state_not_yet_party_is_not_named_as_bound_by_the_convention():
    from cti_briefings.context import _state_named

    line = "Article 14 requires the State to ensure that victims obtain redress; that is for the State to decide."
    party, signatory = Country.model_validate(country_data("marisca")), Country.model_validate(country_data("example"))
    assert _state_named(line, party) == "Article 14 requires Marisca to ensure that victims obtain redress; that is for Marisca to decide."
    assert _state_named(line, signatory) == line
    assert _state_named("That is for the State to decide.", signatory) == "That is for Examplia to decide."


def test_a_general_line_on_the_subject_of_one_of_the_briefs_own_gives_way():
    marisca = country_data("marisca")
    medical = "Article 10 includes medical personnel among those to receive education and training"
    # The brief's own first message speaks of doctors who examine people in police custody.
    assert not any(text.startswith(medical) for text in messages_of(marisca, "health"))
    health = next(meeting for meeting in marisca["meetings"] if meeting.get("portfolio") == "health")
    health["key_messages"] = [text for text in health["key_messages"] if "examine" not in text]
    assert any(text.startswith(medical) for text in messages_of(marisca, "health"))


def test_what_an_article_requires_is_in_the_conditional_for_a_state_not_yet_party():
    from cti_briefings.context import _as_for_the_state

    line = "Article 14 requires the State to ensure redress, and Articles 12 and 13 call for prompt investigation."
    example, marisca = Country.model_validate(country_data("example")), Country.model_validate(country_data("marisca"))
    assert _as_for_the_state("Article 14 requires the State to ensure redress.", example) == "Article 14 would require the State to ensure redress."
    assert _as_for_the_state("Article 3 rules out expelling anyone.", example) == "Article 3 would rule out expelling anyone."
    assert _as_for_the_state("Under Article 13 anyone may complain.", example) == "Under Article 13, once Examplia is a party, anyone may complain."
    assert _as_for_the_state("Under Article 13 anyone may complain.", marisca) == "Under Article 13 anyone may complain."
    assert _as_for_the_state(line, marisca) == line.replace("the State", "Marisca")


def test_a_visit_to_a_place_of_detention_keeps_its_terms_beside_the_files_own_messages():
    ostravia = country_data("ostravia")
    prison = messages_of(ostravia, "prisons")
    own = ostravia["meetings"][[meeting.get("portfolio") for meeting in ostravia["meetings"]].index("prisons")]["key_messages"]
    assert sum(typographic(text) in prison for text in own) == 2
    assert any(text.startswith("The visit is not an inspection") for text in prison)


def test_an_answer_that_walks_through_the_articles_the_brief_already_cited_gives_way():
    from cti_briefings.context import _cites_again

    said = ["A review against Article 1 and Article 4 is the core; Articles 5 to 9 call for a legal basis."]
    assert _cites_again("Start with Articles 1 and 4, Articles 5 to 9 and Article 15.", said)
    assert not _cites_again("Start with Articles 1 and 4 and Articles 12 and 15.", said)


def test_an_answer_that_makes_an_earlier_briefs_point_with_the_same_articles_gives_way():
    norvane = country_data("norvane")
    asked = "Will non-refoulement prevent us from returning people who have no right to stay?"
    centre = next(number for number, meeting in enumerate(norvane["meetings"]) if meeting["kind"] == "detention_visit")
    assert asked not in [item.question for item in briefs(norvane)[centre].questions]
    # Without the earlier brief on Article 3 and Implementation Tool 4/2018, the centre's brief answers it.
    earlier = [number for number, meeting in enumerate(norvane["meetings"][:centre]) if meeting.get("portfolio") == "interior"]
    for number in reversed(earlier):
        del norvane["meetings"][number]
    centre -= len(earlier)
    assert asked in [item.question for item in briefs(norvane)[centre].questions]


def test_a_reference_line_that_makes_an_earlier_briefs_point_gives_way():
    kestria = country_data("kestria")
    index = next(number for number, meeting in enumerate(kestria["meetings"]) if meeting["kind"] == "united_nations")
    kestria["meetings"][index].pop("key_messages", None)
    # The Foreign Minister's own line already says how Kestria responded to its review.
    assert not any(text.startswith("At its Universal Periodic Review of May 2024, Kestria accepted") for text in briefs(kestria)[index].key_messages)


def test_an_article_of_the_optional_protocol_is_not_listed_among_the_conventions():
    from cti_briefings.context import _cited_articles

    assert _cited_articles([
        "Under the Optional Protocol the authorities examine the mechanism\u2019s recommendations (Article 22). Article 13 protects complainants.",
        "The Optional Protocol asks the State to make available the resources the mechanism needs (Article 18(3)).",
        "Should the State consider the Optional Protocol, Article 2 of the Convention still applies.",
    ]) == ["2", "13"]


def test_a_complaints_body_hears_of_article_13_beside_its_own_messages_and_its_brief_lists_what_it_cites():
    solvania = country_data("solvania")
    index = next(number for number, meeting in enumerate(solvania["meetings"]) if meeting["kind"] == "nhri")
    assert len(solvania["meetings"][index]["key_messages"]) >= 2
    brief = briefs(solvania)[index]
    assert any(text.startswith("Under Article 13, once Solvania is a party,") for text in brief.key_messages)
    assert brief.articles_line.startswith("Articles 12 and 13")
    assert brief.tools.startswith("UNCAT Implementation Tool 7/2019")


def test_a_brief_with_messages_of_its_own_keeps_only_the_general_lines_on_its_subjects():
    ostravia = country_data("ostravia")
    justice = messages_of(ostravia, "justice")
    # Redress (Article 14) is neither a recommendation of the brief nor among its objectives.
    assert not any(text.startswith("Article 14 requires Ostravia") for text in justice)
    meeting = next(meeting for meeting in ostravia["meetings"] if meeting.get("portfolio") == "justice")
    meeting["key_messages"] = meeting["key_messages"][:1]
    assert any(text.startswith("Article 14 requires Ostravia") for text in messages_of(ostravia, "justice"))


def test_a_seminar_speaker_is_recognised_with_or_without_honorific_or_own_script():
    marisca = country_data("marisca")
    justice = next(meeting for meeting in marisca["meetings"] if meeting.get("portfolio") == "justice")
    for written in (justice["counterpart"]["name"], f"H.E. {justice['counterpart']['name']} (أندريس)", justice["counterpart"]["title"]):
        marisca["seminar"]["sessions"][0]["speakers"] = [written]
        assert messages_of(marisca, "justice") is not None
        brief = briefs(marisca)[marisca["meetings"].index(justice)]
        assert brief.objectives[-1] == "Discuss the Minister\u2019s opening remarks at the seminar on 10 March 2027.", written
    marisca["seminar"]["sessions"][0]["speakers"] = ["Ministry of Justice and Human Rights"]  # the Ministry's people, not the Minister
    assert "opening remarks" not in briefs(marisca)[marisca["meetings"].index(justice)].objectives[-1]


def test_an_answer_advising_an_arrangement_the_state_has_gives_way():
    norvane = country_data("norvane")
    index = next(number for number, meeting in enumerate(norvane["meetings"]) if meeting.get("portfolio") == "foreign_affairs")
    # The Ministry chairs an inter-ministerial committee on reporting: no answer advises setting one up.
    assert "inter-ministerial" in " ".join(norvane["meetings"][index]["background"])
    assert not any("inter-ministerial arrangement" in item.response for item in briefs(norvane)[index].questions)
    norvane["meetings"][index]["background"] = [text for text in norvane["meetings"][index]["background"] if "inter-ministerial" not in text]
    norvane["meetings"][index]["key_messages"] = [text for text in norvane["meetings"][index]["key_messages"] if "inter-ministerial" not in text]
    assert any("inter-ministerial arrangement" in item.response for item in briefs(norvane)[index].questions)


def test_a_third_generic_offer_of_a_brief_is_left_out_when_its_text_says_enough_without_it():
    from cti_briefings.context import _without_repeated_offers

    offered: set[str] = set()
    first = _without_repeated_offers("Registers matter. CTI can share Implementation Tool 2/2017 on them.", offered, True)
    second = _without_repeated_offers("Training matters. CTI can arrange an exchange with police services.", offered, True)
    third = _without_repeated_offers("Complaints give early warning of problems in every place of detention, and staff learn from them. CTI can share how other States organise them.", offered, True)
    short = _without_repeated_offers("By supporting the Government\u2019s own priorities. CTI can share how other States organised implementation.", offered, True)
    assert first.endswith("on them.") and second.endswith("police services.")
    assert third == "Complaints give early warning of problems in every place of detention, and staff learn from them."
    assert short.endswith("organised implementation.")  # a refrain is not cut where it is most of the answer


def test_a_question_on_what_the_briefs_recommendations_are_about_comes_first():
    ostravia = country_data("ostravia")
    index = next(number for number, meeting in enumerate(ostravia["meetings"]) if meeting.get("is_npm"))
    # The Committee's recommendation on the mechanism's resources: the question on resources is asked.
    assert any(item.question.startswith("We lack the resources to do our work as the mechanism") for item in briefs(ostravia)[index].questions)


def test_the_optional_protocol_is_not_put_to_the_ombudsman_once_the_state_noted_it():
    solvania = country_data("solvania")
    index = next(number for number, meeting in enumerate(solvania["meetings"]) if meeting["kind"] == "nhri")
    solvania["meetings"][index]["key_messages"] = solvania["meetings"][index]["key_messages"][:1]  # room for the kind's lines
    # Solvania noted the recommendation to ratify the Optional Protocol: no brief makes the general point.
    assert any(item["response"] == "noted" and "Optional Protocol" in item["text"] for item in solvania["strategy"]["recommendations"])
    assert not any("Optional Protocol" in text for text in briefs(solvania)[index].key_messages)
    solvania["strategy"]["recommendations"] = [item for item in solvania["strategy"]["recommendations"] if "Optional Protocol" not in item["text"]]
    assert any("Optional Protocol" in text for text in briefs(solvania)[index].key_messages)
