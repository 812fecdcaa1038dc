"""Hostile values: data is data. Tag-like text comes out as typed; oversized or invisible text is refused."""

from __future__ import annotations

import pytest
from conftest import country_data, write_country
from hostile_run import assert_refused, fingerprint, plant_last_pack, run
from test_render import META, make_template, render

from cti_briefings.build import Project, plan_documents
from cti_briefings.content import load_country, load_reference
from cti_briefings.context import as_template_context, pack_values
from cti_briefings.errors import TemplateError
from cti_briefings.render import document_text, render_document
from cti_briefings.timeline import build_date

TAG_LIKE = "Republic of {{ country.name }} {% if x %} {# note #} }} %} {{ 7*7 }}"


@pytest.mark.parametrize("value", [TAG_LIKE, "{{", "}}", "{%", "%}", "{{ unfinished", "a {x} b {{{ c }}}"])
def test_tag_like_values_come_out_literally(tmp_path, value):
    data = render(make_template(tmp_path, "Name: {{ name }}", header="{{ name }}"), {"name": value})
    assert document_text(data).count(f"{value}") == 2
    assert "\ufdd0" not in document_text(data) and "\ufdd1" not in document_text(data)


def test_tag_like_value_in_a_list_filter_comes_out_literally(tmp_path):
    data = render(make_template(tmp_path, "{{ names|and_list }}"), {"names": ["{{ a }}", "{% b %}"]})
    assert "{{ a }} and {% b %}" in document_text(data)


def test_the_templates_own_stray_tag_is_still_caught_when_values_bring_braces(tmp_path):
    with pytest.raises(TemplateError, match=r"a tag was left unfilled: '\{\{ a \}\} and a stray \}\} here'"):
        render(make_template(tmp_path, "{{ name }} and a stray }} here"), {"name": "{{ a }}"})


def test_tag_like_country_name_reaches_the_stock_invitation_literally(project_root):
    data = country_data()
    data["name"] = TAG_LIKE
    write_country(project_root, "example", data)
    project = Project(root=project_root)
    reference = load_reference(project.content_dir)
    country_file = load_country(project.content_dir, "example", reference)
    as_of = build_date(None)
    shared = pack_values(country_file.country, reference, as_of)
    invitation = plan_documents(country_file, reference, project, shared, as_of)[0]
    text = document_text(render_document(invitation.template, as_template_context(invitation.values), "invitation", META))
    assert TAG_LIKE in text


def test_check_accepts_tag_like_values(project_root):
    data = country_data()
    data["name"] = TAG_LIKE
    write_country(project_root, "example", data)
    result = run("check", "example")
    assert result.exit_code == 0, result.output


@pytest.fixture
def last_pack(project_root):
    last = plant_last_pack(project_root)
    yield
    assert fingerprint(project_root / "build") == last


def test_value_over_the_length_limit_is_refused_with_its_line(project_root, last_pack):
    data = country_data()
    data["name"] = "x" * 20_001
    path = write_country(project_root, "long", data)
    line = next(number for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text.startswith("name:"))
    assert_refused(run("check", "long"), f"error: content/countries/long.yaml:{line}: a value of 20001 characters; the limit is 20000 (MAX_VALUE_CHARS) (shorten it: a brief is read in minutes)")


@pytest.mark.parametrize("character", ["\ufdd0", "\u202d", "\u2067"])
def test_noncharacters_and_bidi_controls_in_values_are_refused(project_root, last_pack, character):
    data = country_data()
    data["name"] = f"Republic{character}of Examplia"
    path = write_country(project_root, "odd", data)
    line = next(number for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text.startswith("name:"))
    assert_refused(run("check", "odd"), f"error: content/countries/odd.yaml:{line}: contains an invisible control character (U+{ord(character):04X}) (delete it and retype the text around it)")
