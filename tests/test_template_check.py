"""The static check of template tags: each message, and every moved or deleted block tag caught."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from cti_briefings import template_check
from cti_briefings.build import Project, _render, check, plan_cover, plan_documents, sample_briefs
from cti_briefings.cases import OPTIONS, covering_rows, generate_cases
from cti_briefings.content import load_countries, load_reference
from cti_briefings.context import pack_values
from cti_briefings.errors import TemplateCheckError, TemplateError
from cti_briefings.render import render_document
from cti_briefings.template_check import WRITTEN_BEFORE_THE_GUARD_RULE, check_template, check_templates

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((REPO / "templates" / "en").glob("*.docx"))
META = {"title": "T", "subject": "S", "keywords": "K", "marking": "CONFIDENTIAL", "date": dt.date(2026, 11, 22)}
BLOCK_TAGS = ("{%p if ", "{%p for ", "{%p endif", "{%p endfor", "{%tr if ", "{%tr for ", "{%tr endif", "{%tr endfor")


def make_docx(path: Path, *paragraphs: str | list[list[str]], runs: bool = False) -> Path:
    """A template from paragraphs; a list of rows (lists of cell texts) makes a table."""
    document = Document()
    for item in paragraphs:
        if isinstance(item, list):
            table = document.add_table(rows=len(item), cols=len(item[0]))
            for row, cells in zip(table.rows, item):
                for cell, text in zip(row.cells, cells):
                    cell.paragraphs[0].text = text
        elif runs:  # each word its own run, as Word does after formatting changes
            paragraph = document.add_paragraph()
            for word in item.split(" "):
                paragraph.add_run(word + " ")
        else:
            document.add_paragraph(item)
    document.save(path)
    return path


def messages(path: Path) -> list[str]:
    return [str(problem) for problem in check_template(path).problems]


# --- Each message --------------------------------------------------------------------------


def test_a_well_guarded_template_has_no_problem(tmp_path):
    path = make_docx(tmp_path / "good.docx", "Dear {{ name }},", "{%p if seminar %}", "A {{ seminar.kind }} on {{ seminar.date }}.", "{%p endif %}",
                     "{%p for item in items %}", "{{ item }}", "{%p endfor %}", [["{%tr for m in meetings %}"], ["{{ m.title }}"], ["{%tr endfor %}"]])
    assert messages(path) == []


def test_an_if_never_closed(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "Dear {{ name }},", "{%p if seminar %}", "A {{ seminar.kind }}.")
    assert messages(path) == [f"{path}: the paragraph '{{%p if seminar %}}' (paragraph 2 of the body) opens an 'if' that is never closed (add a paragraph '{{%p endif %}}' after the last paragraph it should keep)"]


def test_an_endfor_with_nothing_to_close(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "{{ item }}", "{%p endfor %}")
    assert messages(path) == [f"{path}: the paragraph '{{%p endfor %}}' (paragraph 2 of the body) closes a 'for' that was never opened (delete it, or add '{{%p for … %}}' before the first paragraph it should keep)"]


def test_a_paragraph_tag_sharing_its_paragraph_with_text(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "Subject to the advice {%p if seminar %}", "A {{ seminar.kind }}.", "{%p endif %}")
    assert messages(path) == [f"{path}: the paragraph 'Subject to the advice {{%p if seminar %}}' (paragraph 1 of the body) holds '{{%p if seminar %}}' and other text, which is lost (a '{{%p' tag deletes the rest of its paragraph: put the tag on a paragraph of its own)"]


def test_a_row_tag_outside_a_table(tmp_path):
    path = make_docx(tmp_path / "programme.docx", "{%tr for m in meetings %}", "{{ m.title }}", "{%tr endfor %}")
    found = messages(path)
    assert f"{path}: the paragraph '{{%tr for m in meetings %}}' (paragraph 1 of the body) has a '{{%tr' tag outside a table (use '{{%p' for paragraphs; '{{%tr' goes in a table row of its own)" in found
    assert f"{path}: the paragraph '{{%tr endfor %}}' (paragraph 3 of the body) has a '{{%tr' tag outside a table (use '{{%p' for paragraphs; '{{%tr' goes in a table row of its own)" in found


def test_an_if_opened_in_one_cell_and_closed_in_another(tmp_path):
    path = make_docx(tmp_path / "brief.docx", [["{% if status.signed %}Signed", "{{ status.signed }}{% endif %}"]])
    assert messages(path) == [f"{path}: the paragraph '{{% if status.signed %}}Signed' (row 1 of table 1) opens an 'if' in one table cell that is closed in another, by the paragraph '{{{{ status.signed }}}}{{% endif %}}' (row 1 of table 1) (keep '{{% if status.signed %}}' and its '{{% endif %}}' in the same cell, or use '{{%tr if … %}}' rows to keep or repeat whole rows)"]


def test_a_value_tag_split_into_runs_is_fine_but_a_broken_one_is_reported(tmp_path):
    fine = make_docx(tmp_path / "fine.docx", "Dear {{ country.name }},", runs=True)
    assert messages(fine) == []
    broken = make_docx(tmp_path / "broken.docx", "Dear {{ country.name },")
    assert messages(broken) == [f"{broken}: the paragraph 'Dear {{{{ country.name }},' (paragraph 1 of the body) has a broken tag '{{{{ country.name }},' (a value is written {{{{ name }}}} and a condition {{% if name %}}; retype the tag in Word in one go, so that formatting does not split it)"]


def test_a_paragraph_inside_an_if_that_shows_nothing_of_it(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "{%p if seminar %}", "A {{ seminar.kind }}.", "Accept, Excellency, the assurances of my highest consideration.", "{%p endif %}")
    assert messages(path) == [f"{path}: the paragraph 'Accept, Excellency, the assurances of my…' (paragraph 3 of the body) sits inside 'if seminar' but shows nothing of 'seminar' (move the '{{%p endif %}}' above it)"]


def test_an_empty_paragraph_inside_an_if_is_reported(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "{%p if visit.reply_by %}", "", "Reply by {{ visit.reply_by }}.", "{%p endif %}")
    assert messages(path) == [f"{path}: the empty paragraph (paragraph 2 of the body) sits inside 'if visit.reply_by' (delete it (space paragraphs with Spacing Before/After in the paragraph format), or move the '{{%p if visit.reply_by %}}' below it)"]


def test_a_for_whose_paragraph_does_not_use_the_item(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "{%p for member in delegation %}", "{{ member.name }}", "The delegation would be led by {{ head }}.", "{%p endfor %}")
    assert messages(path) == [f"{path}: the paragraph 'The delegation would be led by {{{{ head }}…' (paragraph 3 of the body) sits inside 'for member in delegation' but does not use 'member' (move the '{{%p endfor %}}' above it)"]


def test_an_else_part_shows_nothing_of_what_its_if_tests(tmp_path):
    path = make_docx(tmp_path / "brief.docx", "{%p if brief.questions %}", "{{ brief.questions|length }} points.", "{%p else %}", "{{ brief.questions|join }}", "{{ labels.no_points }}", "{%p endif %}")
    assert messages(path) == [f"{path}: the paragraph '{{{{ brief.questions|join }}}}' (paragraph 4 of the body) sits inside the 'else' of 'if brief.questions' but shows 'brief.questions', which is missing there (move the '{{%p else %}}' below it)"]


def test_an_if_that_keeps_nothing(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "{%p if seminar %}", "{%p endif %}", "Yours,")
    assert messages(path) == [f"{path}: the paragraph '{{%p if seminar %}}' (paragraph 1 of the body) opens an 'if' that keeps nothing (the '{{%p endif %}}' follows at once) (move the '{{%p endif %}}' below the paragraphs it should keep, or delete both tags)"]


def test_loop_items_count_as_showing_their_list(tmp_path):
    path = make_docx(tmp_path / "brief.docx", "{%p if brief.recommendations %}", "{%p for r in brief.recommendations %}", "{{ r.text }}", "{%p endfor %}", "{%p endif %}")
    assert messages(path) == []


def test_every_problem_of_every_template_is_reported_at_once(tmp_path):
    first = make_docx(tmp_path / "first.docx", "{%p if seminar %}")
    second = make_docx(tmp_path / "second.docx", "{%p endif %}", "{{ x }")
    with pytest.raises(TemplateCheckError) as raised:
        check_templates([first, second])
    assert [problem.file for problem in raised.value.problems] == [str(first), str(second), str(second)]


def test_guard_findings_of_templates_not_yet_rewritten_are_warnings(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(template_check, "WRITTEN_BEFORE_THE_GUARD_RULE", frozenset({"legacy.docx"}))
    path = make_docx(tmp_path / "legacy.docx", "{%p if seminar %}", "Plain words.", "{%p endif %}")
    logger = logging.getLogger("cti_briefings.template_check")
    logger.addHandler(caplog.handler)  # the CLI's tests stop propagation on the package logger
    try:
        with caplog.at_level(logging.INFO, logger="cti_briefings.template_check"):
            assert check_templates([path]) == 1
    finally:
        logger.removeHandler(caplog.handler)
    assert "sits inside 'if seminar' but shows nothing of 'seminar'" in caplog.text
    assert "1 paragraphs of 1 templates written before the guard rule break it (cti-briefings -v check lists them)" in caplog.text


# --- The shipped templates ------------------------------------------------------------------


def test_the_shipped_templates_pass_the_check():
    for template in TEMPLATES:
        report = check_template(template)
        assert report.tags == [], [str(problem) for problem in report.tags]
        if template.name not in WRITTEN_BEFORE_THE_GUARD_RULE:
            assert report.guard == [], [str(problem) for problem in report.guard]


# --- The matrix of generated cases ---------------------------------------------------------


def test_every_pair_of_options_appears_in_some_case():
    rows = covering_rows()
    assert 12 <= len(rows) <= 40
    assert rows == covering_rows()  # deterministic
    for first in OPTIONS:
        for second in OPTIONS:
            if first >= second:
                continue
            for a in OPTIONS[first]:
                for b in OPTIONS[second]:
                    pair = dict([(first, a), (second, b)])
                    impossible = pair.get("uncat", "party") != "party" and pair.get("opcat", "no OPCAT") != "no OPCAT"
                    assert impossible or any(row[first] == a and row[second] == b for row in rows), (first, a, second, b)


def test_generated_cases_validate_and_invalid_ones_are_recorded(tmp_path):
    reference = load_reference(REPO / "content")
    matrix = generate_cases(REPO / "content", reference)
    assert len(matrix.cases) >= 12
    assert all(case.name.startswith(f"generated case {case.number} (") for case in matrix.cases)
    assert [skipped.reason for skipped in matrix.skipped] == ["OPCAT is open to ratification only by States parties to UNCAT"] * 4
    names = {case.country_file.country.short_name for case in matrix.cases}
    assert {"إكسامبليا", "Éxamplie", "United Islands of Examplia"} <= names
    days = {(case.country_file.country.visit.end - case.country_file.country.visit.start).days + 1 for case in matrix.cases}
    assert days == {1, 2, 3}
    assert {len(case.country_file.country.meetings) for case in matrix.cases} == {3, 6, 10}


def test_a_paragraph_left_outside_its_loop_fails_check_naming_it(project_root):
    """The programme's day heading left above its '{%p for day %}': rendering names the paragraph."""
    template = project_root / "templates" / "en" / "visit_programme.docx"
    document = Document(template)
    opener = next(paragraph for paragraph in document.paragraphs if paragraph.text.strip().startswith("{%p for day in "))
    opener._p.getnext().addnext(opener._p)  # the tag now sits below the day's heading
    document.save(template)
    with pytest.raises(TemplateCheckError) as raised:
        check(Project(root=project_root), ["example"], generated=False)  # the matrix is not needed: no day is defined there
    [problem] = [str(problem) for problem in raised.value.problems]
    assert problem.startswith("templates/en/visit_programme.docx: Visit programme for '")
    assert ": the paragraph '{{ day.title }}{% for day in programme_d…': the tag asks for 'day', which this document's data does not have" in problem


# --- Mutations: every block tag deleted or moved by one paragraph is caught -----------------


def _tag_paragraphs(document) -> Iterator:
    """Each block tag's unit: its paragraph for a '{%p' tag, its row for a '{%tr' tag."""
    for paragraph in document.element.body.iter(qn("w:p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn("w:t"))).strip()
        if text.startswith(BLOCK_TAGS):
            yield (next(paragraph.iterancestors(qn("w:tr"))) if text.startswith("{%tr") else paragraph), text


def _sibling(element, step: int):
    kinds = (qn("w:tr"),) if element.tag == qn("w:tr") else (qn("w:p"), qn("w:tbl"))
    sibling = element.getprevious() if step < 0 else element.getnext()
    while sibling is not None and sibling.tag not in kinds:
        sibling = sibling.getprevious() if step < 0 else sibling.getnext()
    return sibling


def _text(element) -> str:
    return "".join(node.text or "" for node in element.iter(qn("w:t")))


def mutations(template: Path) -> Iterator[tuple[str, Document]]:
    """Yield each block tag deleted, moved one paragraph (or row) up and one down, skipping no-ops."""
    count = len(list(_tag_paragraphs(Document(template))))
    for index in range(count):
        for action in ("delete", "up", "down"):
            document = Document(template)
            paragraph, text = list(_tag_paragraphs(document))[index]
            if action == "delete":
                paragraph.getparent().remove(paragraph)
            else:
                sibling = _sibling(paragraph, -1 if action == "up" else 1)
                if sibling is None or (sibling.tag == paragraph.tag and _text(sibling) == _text(paragraph)):
                    continue
                (sibling.addprevious if action == "up" else sibling.addnext)(paragraph)
            yield f"'{text}' (tag {index + 1}) {'deleted' if action == 'delete' else 'moved ' + action}", document


@pytest.fixture(scope="module")
def documents_to_render():
    """The documents `check` renders, by template name; generated cases with fields left out first."""
    project = Project(root=REPO, as_of=dt.date(2026, 11, 22))
    reference = load_reference(project.content_dir)
    cases = sorted(generate_cases(project.content_dir, reference).cases, key=lambda case: case.options["optional"] != "optional fields left out")
    country_files = [*(case.country_file for case in cases), *load_countries(project.content_dir, ["example", "marisca", "veloria"], reference)]
    planned: dict[str, list] = {}
    for country_file in country_files:
        shared = pack_values(country_file.country, reference, project.as_of)
        documents = sample_briefs(plan_documents(country_file, reference, project, shared, project.as_of), country_file)
        documents.append(plan_cover(country_file, project, shared, [(document, 1, 2) for document in documents]))
        for document in documents:
            planned.setdefault(document.template.name, []).append((document, country_file))
    return planned


def _caught(path: Path, documents) -> str | None:
    """The first problem the check reports for a template, statically or by rendering the matrix."""
    report = check_template(path)
    if report.problems:
        return str(report.problems[0])
    for document, country_file in documents:
        try:
            _render(dataclasses.replace(document, template=path), country_file, dt.date(2026, 11, 22))
        except TemplateError as error:
            return error.format_message()
    return None


@pytest.mark.parametrize("template", [pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=f"{path.name} was written before the guard rule; it breaks it (see test_report_of_todays_templates) until rewritten")) if path.name in WRITTEN_BEFORE_THE_GUARD_RULE else path for path in TEMPLATES], ids=lambda path: path.name)
def test_every_moved_or_deleted_block_tag_is_caught(template, tmp_path, documents_to_render):
    assert check_template(template).problems == [], "the template itself must pass the check"
    uncaught = []
    for description, document in mutations(template):
        path = tmp_path / template.name
        document.save(path)
        problem = _caught(path, documents_to_render.get(template.name, []))
        if problem is None or template.name not in problem or not ("paragraph" in problem or "row" in problem):
            uncaught.append(description)
    assert uncaught == []


def test_the_mutation_test_catches_moves_in_a_well_guarded_template(tmp_path):
    """The same mutations on a small template that follows the rule: each one is caught."""
    source = make_docx(tmp_path / "source.docx", "Dear {{ name }},", "{%p if seminar %}", "A {{ seminar.kind }} on {{ seminar.date }}.", "It lasts {{ seminar.days }} days.", "{%p endif %}",
                       "Yours,", "{%p for member in delegation %}", "{{ member.name }}", "{{ member.position }}", "{%p endfor %}", "Signed.")
    contexts = [{"name": "N", "seminar": None, "delegation": []}, {"name": "N", "seminar": {"kind": "roundtable", "date": "1 May", "days": 1}, "delegation": [{"name": "A", "position": "B"}]}]
    assert check_template(source).problems == []
    count = 0
    for description, document in mutations(source):
        count += 1
        path = tmp_path / "letter.docx"
        document.save(path)
        problems = check_template(path).problems
        if problems:
            assert "letter.docx: the " in str(problems[0]) and "paragraph" in str(problems[0]), description
            continue
        with pytest.raises(TemplateError, match=r"letter\.docx: .*the paragraph '"):
            for context in copy.deepcopy(contexts):
                render_document(path, context, "test", META)
    assert count == 12


def test_a_stray_closing_brace_and_an_unreadable_tag(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "Dear { country.name }},", "Dear {{ country..name }},")
    assert messages(path) == [
        f"{path}: the paragraph 'Dear {{ country.name }}}},' (paragraph 1 of the body) has a stray '}}}}' without its opening '{{{{' (retype the tag in Word in one go)",
        f"{path}: the paragraph 'Dear {{{{ country..name }}}},' (paragraph 2 of the body) has a tag that cannot be read: '{{{{ country..name }}}}' (expected name or number) (a value is written {{{{ name }}}}, a condition {{%p if name %}} on a paragraph of its own)",
    ]


def test_a_paragraph_if_closed_by_an_inline_endif(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "{%p if seminar %}", "A {{ seminar.kind }}.{% endif %}")
    assert f"{path}: the paragraph '{{%p if seminar %}}' (paragraph 1 of the body) opens an 'if' written '{{%p if seminar %}}', closed by '{{% endif %}}' in the paragraph 'A {{{{ seminar.kind }}}}.{{% endif %}}' (paragraph 2 of the body) (write the closing tag the same way: '{{%p endif %}}')" in messages(path)


def test_a_row_tag_sharing_its_row_with_text(tmp_path):
    path = make_docx(tmp_path / "programme.docx", [["{%tr for m in meetings %}", "Time"], ["{{ m.start }}", "{{ m.title }}"], ["{%tr endfor %}", ""]])
    assert messages(path) == [f"{path}: the row '{{%tr for m in meetings %}} | Time' (row 1 of table 1) holds '{{%tr for m in meetings %}}' and other text, which is lost (a '{{%tr' tag deletes the rest of its row: put it in a row of its own)"]


def test_problems_in_a_header_are_placed_in_the_header(tmp_path):
    document = Document()
    document.add_paragraph("Body")
    document.sections[0].header.paragraphs[0].text = "{{ marking }"
    document.save(tmp_path / "cover.docx")
    assert messages(tmp_path / "cover.docx") == [f"{tmp_path / 'cover.docx'}: the paragraph '{{{{ marking }}' (paragraph 1 of the header) has a broken tag '{{{{ marking }}' (a value is written {{{{ name }}}} and a condition {{% if name %}}; retype the tag in Word in one go, so that formatting does not split it)"]


def test_a_cell_tag_never_closed_in_its_row(tmp_path):
    path = make_docx(tmp_path / "roadmap.docx", [["Step", "{%tc for s in steps %}", "{{ s }}"]])
    assert messages(path) == [f"{path}: the paragraph '{{%tc for s in steps %}}' (row 1 of table 1) opens a 'for' that is never closed (add a cell '{{%tc endfor %}}' after the last cell it should keep)"]


def test_nested_loops_in_one_container_use_the_outer_item_through_the_inner(tmp_path):
    path = make_docx(tmp_path / "programme.docx", "{%p for day in days %}", "{{ day.date }}", "{%p for m in day.meetings %}", "{{ m.title }}", "{%p endfor %}", "{%p endfor %}")
    assert messages(path) == []


def test_an_else_part_in_plain_words_is_reported(tmp_path):
    path = make_docx(tmp_path / "programme.docx", "{%p if partners %}", "{{ partners|and_list }}", "{%p else %}", "No such meeting is scheduled yet.", "{%p endif %}")
    assert messages(path) == [f"{path}: the paragraph 'No such meeting is scheduled yet.' (paragraph 4 of the body) sits inside the 'else' of 'if partners' but shows no value, so a tag moved over it would go unnoticed (write its wording as a value of the data, or move the '{{%p endif %}}' above it)"]


def test_a_paragraph_showing_a_list_just_outside_its_if_is_reported(tmp_path):
    path = make_docx(tmp_path / "programme.docx", "{{ partners|length }} meetings with partners:", "{%p if partners %}", "{%p for m in partners %}", "{{ m.name }}", "{%p endfor %}", "{%p endif %}")
    assert messages(path) == [f"{path}: the paragraph '{{{{ partners|length }}}} meetings with part…' (paragraph 1 of the body) shows 'partners' just above '{{%p if partners %}}', outside the 'if' (move the '{{%p if partners %}}' above it)"]


def test_a_value_left_unset_is_an_error_naming_the_paragraph_not_a_printed_none(tmp_path):
    path = make_docx(tmp_path / "letter.docx", "Please reply by {{ visit.reply_by }}.")
    with pytest.raises(TemplateError) as raised:
        render_document(path, {"visit": {"reply_by": None}}, "letter for 'x'", META)
    assert raised.value.format_message() == f"{path}: letter for 'x': the paragraph 'Please reply by {{{{ visit.reply_by }}}}.': the tag shows a value that is not set in this case (is it outside its '{{%p if %}}'?) (check the spelling of the tag in Word; values available: visit)"
