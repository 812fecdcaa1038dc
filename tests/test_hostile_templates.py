"""Hostile templates: everything that would leak a name, read outside files or run away is refused."""

from __future__ import annotations

import shutil
import time
import zipfile

import pytest
from hostile_docx import (
    EDITOR,
    OFFICE_RELS,
    add_part,
    add_relationship,
    change_part,
    comment_anchor,
    comments_part,
    field,
    insert_paragraph,
    linked_picture,
    read_parts,
    tracked_deletion,
    tracked_formatting,
    tracked_insertion,
    tracked_move,
    tracked_paragraph_formatting,
    w_xml,
    write_parts,
)
from hostile_run import assert_refused, fingerprint, plant_last_pack, run

TEMPLATE = "templates/en/visit_programme.docx"
TRACKED_FIX = "which carry editors' names (in Word: Review > Accept > Accept All Changes, then turn Track Changes off)"
LINK_FIX = "a build never reads outside files (in Word: File > Info > Edit Links to Files > Break Link, or insert the picture or object again from a copy on this computer)"


@pytest.fixture
def template(project_root):
    path = project_root / TEMPLATE
    last = plant_last_pack(project_root)
    yield path
    assert fingerprint(project_root / "build") == last  # the last pack is untouched, nothing left beside it


def refused(message: str) -> None:
    assert_refused(run("check", "example"), f"error: {TEMPLATE}: {message}")


def refused_while_filling(message: str) -> None:
    """The error names the template and the document (whose title follows the content)."""
    result = run("check", "example")
    assert_refused(result, *[line for line in result.output.splitlines() if line.startswith("error: ")])
    [line] = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert line.startswith(f"error: {TEMPLATE}: ") and line.endswith(f" for 'example': {message}"), line


@pytest.mark.parametrize(("part", "change", "where"), [
    ("word/document.xml", tracked_insertion(), "in the body"),
    ("word/header1.xml", tracked_insertion(), "in a header"),
    ("word/footer1.xml", tracked_deletion(), "in a footer"),
    ("word/document.xml", tracked_formatting(), "in the body"),
    ("word/header1.xml", tracked_paragraph_formatting(), "in a header"),
    ("word/document.xml", tracked_move(), "in the body"),
], ids=["insertion-body", "insertion-header", "deletion-footer", "formatting-body", "paragraph-formatting-header", "move-body"])
def test_tracked_changes_in_any_part_are_refused(template, part, change, where):
    insert_paragraph(template, part, change)
    refused(f"has tracked changes {where}, {TRACKED_FIX}")


def test_tracked_change_in_footnotes_is_refused(template):
    footnotes = w_xml("footnotes", '<w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote><w:footnote w:id="1"><w:p/></w:footnote>')
    add_part(template, "word/footnotes.xml", footnotes, "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
             "word/document.xml", "rIdFoot", OFFICE_RELS + "footnotes")
    insert_paragraph(template, "word/footnotes.xml", tracked_insertion())
    refused(f"has tracked changes in the footnotes, {TRACKED_FIX}")


def test_tracked_section_change_is_refused(template):
    change_part(template, "word/document.xml", lambda xml: xml.replace(
        b"</w:sectPr></w:body>", f'<w:sectPrChange w:id="906" w:author="{EDITOR}" w:date="2026-01-01T00:00:00Z"><w:sectPr/></w:sectPrChange></w:sectPr></w:body>'.encode()))
    refused(f"has tracked changes in the body, {TRACKED_FIX}")


def test_anchored_comments_are_refused(template):
    add_part(template, "word/comments.xml", comments_part(), "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
             "word/document.xml", "rIdComments", OFFICE_RELS + "comments")
    insert_paragraph(template, "word/document.xml", comment_anchor())
    refused("has comments in the body, which carry editors' names (in Word: Review > Delete > Delete All Comments in Document)")


def test_comment_anchored_in_a_header_is_refused(template):
    insert_paragraph(template, "word/header1.xml", comment_anchor())
    refused("has comments in a header, which carry editors' names (in Word: Review > Delete > Delete All Comments in Document)")


@pytest.mark.parametrize("target", ["http://tracker.example.net/pixel.png", "file:///C:/Users/jqeditor/Pictures/logo.png", "../../../../etc/hostname"])
def test_linked_pictures_are_refused_and_never_read(template, target):
    add_relationship(template, "word/document.xml", "rIdLinked", OFFICE_RELS + "image", target, external=True)
    insert_paragraph(template, "word/document.xml", linked_picture("rIdLinked"))
    refused(f"has a picture linked to a file or address outside the document in the body ('{target}'); {LINK_FIX}")


def test_linked_picture_in_a_header_is_refused(template):
    add_relationship(template, "word/header1.xml", "rIdLinked", OFFICE_RELS + "image", "http://tracker.example.net/h.png", external=True)
    insert_paragraph(template, "word/header1.xml", linked_picture("rIdLinked"))
    refused(f"has a picture linked to a file or address outside the document in a header ('http://tracker.example.net/h.png'); {LINK_FIX}")


def test_linked_ole_object_is_refused(template):
    add_relationship(template, "word/document.xml", "rIdOle", OFFICE_RELS + "oleObject", "file:///C:/Users/jqeditor/budget.xlsx", external=True)
    refused(f"has an object linked to a file outside the document in the body ('file:///C:/Users/jqeditor/budget.xlsx'); {LINK_FIX}")


def test_hyperlink_to_a_file_is_refused_because_it_names_folders(template):
    add_relationship(template, "word/document.xml", "rIdHyper", OFFICE_RELS + "hyperlink", "file:///C:/Users/jqeditor/Secret%20Drafts/notes.docx", external=True)
    refused("has a link in the body to a file on a computer ('file:///C:/Users/jqeditor/Secret%20Drafts/notes.docx'), which names its folders "
            "(in Word: right-click the link > Remove Hyperlink, or link to a web address)")


def test_hyperlink_field_to_a_file_is_refused(template):
    insert_paragraph(template, "word/document.xml", field('HYPERLINK "C:\\Users\\jqeditor\\Secret Drafts\\notes.docx"'))
    refused("has a link in the body to a file on a computer ('C:\\Users\\jqeditor\\Secret Drafts\\notes.docx'), which names its folders "
            "(in Word: right-click the link > Remove Hyperlink, or link to a web address)")


def test_hyperlink_field_to_a_web_address_is_kept(template):
    insert_paragraph(template, "word/document.xml", field('HYPERLINK "https://cti2024.org/"') + field('HYPERLINK \\l "_Toc1"'))
    assert run("check", "example").exit_code == 0


@pytest.mark.parametrize(("instruction", "keyword"), [
    ('INCLUDEPICTURE "http://tracker.example.net/x.png" \\d', "INCLUDEPICTURE"),
    ('INCLUDETEXT "C:\\\\Users\\\\jqeditor\\\\secret.docx"', "INCLUDETEXT"),
    ("USERNAME", "USERNAME"),
    ("FILENAME \\p", "FILENAME"),
])
def test_fields_that_read_files_or_write_names_are_refused(template, instruction, keyword):
    insert_paragraph(template, "word/footer1.xml", field(instruction))
    refused(f"has a {keyword} field in a footer, which reads outside files or writes an editor's name or a folder "
            "(in Word: click in the field, press Ctrl+Shift+F9 to turn it into plain text)")


def test_embedded_object_is_refused(template):
    add_part(template, "word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK\x05\x06" + bytes(18), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "word/document.xml", "rIdEmbed", OFFICE_RELS + "package")
    refused("contains an embedded object (a spreadsheet, document or other file), which carries its own authors and files "
            "(in Word: copy it, then Home > Paste > Paste Special > Picture, and delete the object)")


def test_imported_chunk_is_refused(template):
    add_part(template, "word/afchunk.htm", b"<html><img src='http://tracker.example.net/a.png'></html>", "application/xhtml+xml",
             "word/document.xml", "rIdChunk", OFFICE_RELS + "aFChunk")
    change_part(template, "word/document.xml", lambda xml: xml.replace(b"<w:body>", b'<w:body><w:altChunk r:id="rIdChunk"/>', 1))
    refused("has a part imported from another file in the body (in Word: copy the text, then paste it back with Home > Paste > Keep Text Only)")


def test_xml_entities_are_refused(template):
    change_part(template, "word/footer1.xml", lambda xml: xml.replace(b"?>", b'?><!DOCTYPE w:ftr [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1))
    refused("word/footer1.xml declares a DOCTYPE or entities, which Word never writes; save the template again from Word")


def test_zip_bomb_is_refused(template):
    parts = read_parts(template)
    parts["word/media/bomb.bin"] = bytes(101_000_000)
    write_parts(template, parts)
    refused("unpacks to more than 100 MB (MAX_TEMPLATE_UNPACKED_BYTES): make its pictures smaller")


def test_oversized_template_file_is_refused(template):
    with open(template, "r+b") as stream:
        stream.truncate(21_000_000)
    refused("is 21 MB; the limit is 20 MB (MAX_TEMPLATE_FILE_BYTES): make its pictures smaller")


def test_template_that_is_not_a_zip_is_refused(template):
    template.write_bytes(b"{{ not a word file }}")
    refused("is not a readable Word document (BadZipFile); save it from Word as 'Word Document (.docx)'")


def test_nested_loops_are_stopped_by_the_time_limit(template):
    insert_paragraph(template, "word/document.xml", "<w:r><w:t>{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}</w:t></w:r>")
    started = time.monotonic()
    refused_while_filling("filling in the template took longer than 4 s (MAX_RENDER_SECONDS); look for a loop inside another loop")
    assert time.monotonic() - started < 60  # stopped by the limit (4 s of processor time), not left to run (hours); room for a loaded machine


def test_runaway_output_is_stopped_by_the_memory_limit(template):
    insert_paragraph(template, "word/document.xml", "<w:r><w:t>{% for a in range(99999) %}{{ country.name * 99999 }}{% endfor %}</w:t></w:r>")
    started = time.monotonic()
    refused_while_filling("filling in the template needed more than 300 MB of memory (MAX_RENDER_MEMORY_BYTES); look for a loop inside another loop")
    assert time.monotonic() - started < 60


def test_a_refused_template_in_a_build_leaves_the_last_pack_and_no_debris(template, project_root):
    insert_paragraph(template, "word/header1.xml", tracked_insertion())
    assert_refused(run("build", "example"), f"error: {TEMPLATE}: has tracked changes in a header, {TRACKED_FIX}")
    assert sorted(path.name for path in (project_root / "build").iterdir()) == ["example"]


def test_stock_templates_are_not_changed_by_a_build(project_root):
    before = {path.name: path.read_bytes() for path in (project_root / "templates" / "en").glob("*.docx")}
    assert run("check", "example").exit_code == 0
    assert before == {path.name: path.read_bytes() for path in (project_root / "templates" / "en").glob("*.docx")}
    with zipfile.ZipFile(project_root / TEMPLATE) as archive:
        assert "docProps/thumbnail.jpeg" in archive.namelist()  # stripped from outputs, not from the template
    shutil.rmtree(project_root / "build", ignore_errors=True)


def test_oversized_output_is_refused(template, monkeypatch):
    # A .docx compresses repeated text so well that the memory limit comes first in practice;
    # the output limit is a backstop, checked here with a smaller value (passed to the child).
    monkeypatch.setattr("cti_briefings.render.MAX_OUTPUT_BYTES", 20_000)
    result = run("check", "example")
    lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert_refused(result, *lines)
    line = lines[0]  # every template's output is over so small a limit
    assert line.startswith("error: templates/en/") and line.endswith(" for 'example': the filled-in document is larger than 20 KB (MAX_OUTPUT_BYTES); look for a loop inside another loop"), line


def test_a_rendering_child_that_dies_is_reported_not_waited_for():
    import os

    from cti_briefings.bounded import ChildFailed, run_bounded

    # The child leaves without answering (as one killed by the kernel would); the parent must
    # notice the closed pipe at once rather than wait out the time limit.
    with pytest.raises(ChildFailed, match="the rendering process stopped unexpectedly"):
        run_bounded(os._exit, 9, seconds=60, memory=100_000_000)
