"""Rendering: values come out as typed, missing values and hostile tags are errors."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from cti_briefings.errors import TemplateError
from cti_briefings.render import document_text, render_document

REPO = Path(__file__).resolve().parent.parent
META = {"title": "T", "subject": "S", "keywords": "K", "marking": "CONFIDENTIAL", "date": dt.date(2026, 11, 22)}
ODD = "Centre for Rights & Dignity \"Al-Karama\" <Examplia> O'Neill – Núñez – ليلى حداد – שלום"


def make_template(tmp_path: Path, *paragraphs: str, header: str | None = None, author: str = "Jane Template-Editor") -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    path = tmp_path / "template.docx"
    document.save(path)
    return path


def render(path: Path, context: dict) -> bytes:
    return render_document(path, context, "test document for 'testland'", META)


def test_odd_characters_come_out_exactly_as_typed_and_the_docx_stays_valid(tmp_path):
    data = render(make_template(tmp_path, "Name: {{ name }}", header="{{ name }}"), {"name": ODD})
    assert f"Name: {ODD}" in document_text(data)
    assert document_text(data).count(ODD) == 2  # body and header
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        etree.fromstring(archive.read("word/document.xml"))  # raises if '&' or '<' broke the XML
    Document(io.BytesIO(data))


def test_missing_value_is_an_error_naming_template_tag_and_country(tmp_path):
    with pytest.raises(TemplateError) as caught:
        render(make_template(tmp_path, "Dear {{ counterpart.name }}"), {"counterpart": {"title": "Minister"}})
    message = caught.value.format_message()
    assert "template.docx: test document for 'testland': the paragraph 'Dear {{ counterpart.name }}': the tag asks for 'name', which this document's data does not have" in message


def test_undefined_top_level_name_is_an_error(tmp_path):
    with pytest.raises(TemplateError, match="the tag asks for 'minister'"):
        render(make_template(tmp_path, "{{ minister }}"), {"country": {}})


def test_sandbox_blocks_python_internals(tmp_path):
    hostile = "{{ name.__class__.__mro__[1].__subclasses__() }}"
    with pytest.raises(TemplateError, match="tries to reach Python internals"):
        render(make_template(tmp_path, hostile), {"name": "x"})


def test_sandbox_blocks_calling_unsafe_methods(tmp_path):
    hostile = "{{ cycler.__init__.__globals__ }}"
    with pytest.raises(TemplateError):
        render(make_template(tmp_path, hostile), {"name": "x"})


def test_broken_tag_is_reported_with_the_text_near_it(tmp_path):
    with pytest.raises(TemplateError) as caught:
        render(make_template(tmp_path, "Before", "{% if name %}unfinished"), {"name": "x"})
    message = caught.value.format_message()
    assert "broken tag:" in message and "near: " in message and "unfinished" in message


def test_a_file_that_is_not_a_docx_is_refused(tmp_path):
    path = tmp_path / "template.docx"
    path.write_text("this is not a Word file")
    with pytest.raises(TemplateError, match="is not a readable Word document"):
        render(path, {})


def test_missing_template_says_so(tmp_path):
    with pytest.raises(TemplateError, match="template is missing"):
        render(tmp_path / "nowhere.docx", {})


def test_editor_names_do_not_reach_the_output(tmp_path):
    template = make_template(tmp_path, "{{ name }}", author="Jane Template-Editor")
    _add_company_and_attached_template(template)
    data = render(template, {"name": "x"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist() if name.endswith((".xml", ".rels")))
    assert b"Jane" not in everything
    assert b"Template-Editor" not in everything
    properties = Document(io.BytesIO(data)).core_properties
    assert (properties.author, properties.last_modified_by, properties.title) == ("CTI Secretariat", "CTI Secretariat", "T")


def test_tracked_changes_are_refused_because_they_carry_names(tmp_path):
    template = make_template(tmp_path, "{{ name }}")
    _rewrite_part(template, "word/document.xml", lambda xml: xml.replace(
        b"<w:body>", b'<w:body><w:p><w:ins w:id="1" w:author="Jane" w:date="2026-01-01T00:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins></w:p>', 1))
    with pytest.raises(TemplateError, match="has tracked changes"):
        render(template, {"name": "x"})


def test_tag_split_so_that_it_cannot_be_filled_is_caught(tmp_path):
    with pytest.raises(TemplateError, match="a tag was left unfilled"):
        render(make_template(tmp_path, "{{ name }} and a stray }} here"), {"name": "x"})


def test_date_filters_write_dates_in_words(tmp_path):
    template = make_template(tmp_path, "{{ day|long_date }} | {{ day|day_and_date }} | {{ start|date_range(end) }} | {{ names|and_list }}")
    context = {"day": dt.date(2027, 2, 16), "start": dt.date(2027, 2, 16), "end": dt.date(2027, 2, 18), "names": ["Chile", "Fiji", "Ghana"]}
    assert "16 February 2027 | Tuesday 16 February 2027 | 16–18 February 2027 | Chile, Fiji and Ghana" in document_text(render(template, context))


def test_shipped_templates_carry_no_header_footer_or_marking():
    """The Government receives the invitation as rendered: nothing internal may be in it.

    The marking and the pack's footer are stamped on the pack at assembly instead.
    """
    for template in sorted((REPO / "templates" / "en").glob("*.docx")):
        with zipfile.ZipFile(template) as archive:
            margins = b"".join(archive.read(name) for name in archive.namelist() if name.startswith(("word/header", "word/footer")))
            body = archive.read("word/document.xml")
            core = archive.read("docProps/core.xml")
        assert b"marking" not in margins and b"CONFIDENTIAL" not in body, template.name
        assert b" PAGE " not in margins, template.name
        assert b"CTI Secretariat" in core, template.name


def _rewrite_part(path: Path, name: str, change) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {item: archive.read(item) for item in archive.namelist()}
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts.items():
            archive.writestr(item, data)


def _add_company_and_attached_template(path: Path) -> None:
    _rewrite_part(path, "docProps/app.xml", lambda xml: xml.replace(b"</Properties>", b"<Company>Jane Template-Editor Consulting</Company><Manager>Jane</Manager></Properties>"))
    _rewrite_part(path, "word/settings.xml", lambda xml: xml.replace(
        b"<w:zoom", b'<w:attachedTemplate r:id="rIdJane"/><w:zoom', 1))
