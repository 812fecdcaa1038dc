"""Confidentiality: no output carries an editor's name, an absolute path or external content.

Every shipped country is built with the stock templates (the shared `built` fixture) and with
templates carrying, in every part they can, what the sanitiser strips: people.xml, comments
without anchors, macros, a thumbnail, custom properties and custom XML, a glossary with tracked
changes, rsids, an attached template on the editor's disk, document variables, editors' names
in the properties, and a hyperlink to a web address. What the sanitiser refuses (tracked
changes, anchored comments, linked pictures and objects in every part) is refused outright,
leaving nothing behind.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SLUGS
from hostile_docx import (
    EDITOR,
    EDITOR_PATH,
    OFFICE_RELS,
    add_part,
    add_picture,
    add_relationship,
    change_part,
    comment_anchor,
    comments_part,
    insert_paragraph,
    jpeg_with_exif,
    linked_picture,
    people_part,
    png_with_author,
    read_parts,
    tracked_formatting,
    tracked_insertion,
    w_xml,
)
from hostile_run import assert_refused, run
from pypdf import PdfReader

from cti_briefings.build import Project, build

MS = "http://schemas.microsoft.com/office/"
SECRETS = [EDITOR.encode(), b"jqeditor", b"JQE", b"Do not tell the minister", b"Secret Drafts"]
TEXT_PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml")


def make_strippable(template: Path, jpeg: bytes) -> None:
    """Add to a template everything the sanitiser must strip, naming the editor everywhere."""
    add_picture(template, "word/document.xml", "photo.jpeg", jpeg, "rIdPhoto", 81)
    add_picture(template, "word/header1.xml", "logo.png", png_with_author(), "rIdLogo", 82)
    add_part(template, "word/people.xml", people_part(), "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
             "word/document.xml", "rIdPeople", MS + "2011/relationships/people")
    add_part(template, "word/comments.xml", comments_part(), "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
             "word/document.xml", "rIdComments", OFFICE_RELS + "comments")
    add_part(template, "word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro by " + EDITOR.encode(), "application/vnd.ms-office.vbaProject",
             "word/document.xml", "rIdVba", MS + "2006/relationships/vbaProject")
    change_part(template, "[Content_Types].xml", lambda xml: xml.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", b"application/vnd.ms-word.document.macroEnabled.main+xml"))
    add_part(template, "docProps/custom.xml",
             f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
             f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Owner">'
             f"<vt:lpwstr>{EDITOR}</vt:lpwstr></property></Properties>".encode(),
             "application/vnd.openxmlformats-officedocument.custom-properties+xml", "", "rIdCustom", OFFICE_RELS + "custom-properties")
    add_part(template, "customXml/item9.xml", f"<owner>{EDITOR}</owner>".encode(), "application/xml", "word/document.xml", "rIdCustomXml", OFFICE_RELS + "customXml")
    add_part(template, "word/glossary/document.xml", w_xml("glossaryDocument", f"<w:docParts><w:docPart><w:docPartBody><w:p>{tracked_insertion()}</w:p></w:docPartBody></w:docPart></w:docParts>"),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml", "word/document.xml", "rIdGlossary", OFFICE_RELS + "glossaryDocument")
    add_relationship(template, "word/settings.xml", "rIdAttached", OFFICE_RELS + "attachedTemplate", f"file:///{EDITOR_PATH}\\Normal.dotm", external=True)
    change_part(template, "word/settings.xml", lambda xml: re.sub(
        rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate r:id="rIdAttached"/><w:docVars><w:docVar w:name="drafter" w:val="' + EDITOR.encode() + rb'"/></w:docVars>', xml, count=1))
    change_part(template, "docProps/app.xml", lambda xml: xml.replace(
        b"</Properties>", f"<Company>{EDITOR} Consulting</Company><Manager>{EDITOR}</Manager><Template>{EDITOR_PATH}\\Normal.dotm</Template></Properties>".encode()))
    change_part(template, "docProps/core.xml", lambda xml: re.sub(rb"<dc:creator>[^<]*</dc:creator>", f"<dc:creator>{EDITOR}</dc:creator>".encode(), xml))
    for part in TEXT_PARTS:  # rsids and a hyperlink to a web address, which is kept
        insert_paragraph(template, part, '<w:r w:rsidR="00AB12CD" w:rsidRPr="00EF3456"><w:t xml:space="preserve"> </w:t></w:r>')
    add_relationship(template, "word/document.xml", "rIdWeb", OFFICE_RELS + "hyperlink", "https://cti2024.org/", external=True)
    insert_paragraph(template, "word/document.xml", '<w:hyperlink r:id="rIdWeb"><w:r><w:t>cti2024.org</w:t></w:r></w:hyperlink>')


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    jpeg = jpeg_with_exif(tmp_path_factory.mktemp("pictures"))
    for template in sorted((root / "templates").rglob("*.docx")):
        make_strippable(template, jpeg)
    results = build(Project(root=root, timeout=120), SLUGS)
    return root, results


def outputs(root: Path) -> list[Path]:
    files = sorted(path for path in (root / "build").rglob("*") if path.is_file())
    assert files
    return files


def leaks(root: Path) -> list[str]:
    """Every trace of an editor, a path or external content found in the outputs under root."""
    found = []
    absolute = [str(root).encode(), str(Path.home()).encode(), b"C:\\", b"/home/", b"/tmp/", b"file:"]
    for path in outputs(root):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                found += [f"{path.name}: has {name}" for name in names
                          if re.search(r"people|comments|vbaProject|vbaData|thumbnail|custom|glossary|embeddings", name)]
                for name in names:
                    data = archive.read(name)
                    found += [f"{path.name}: {name}: {secret!r}" for secret in SECRETS + absolute if secret in data]
                    if name.endswith(".rels"):
                        for target in re.findall(rb'Target="([^"]*)"[^>]*TargetMode="External"', data):
                            if not re.match(rb"https?://|mailto:", target):
                                found.append(f"{path.name}: {name}: external {target!r}")
                        found += [f"{path.name}: {name}: attached template" for _ in re.findall(rb"attachedTemplate", data)]
                    if name.endswith(".xml") and re.search(rb"w:rsid|w:author=|w:docVar|attachedTemplate", data):
                        found.append(f"{path.name}: {name}: rsid, author, variable or template")
        elif path.suffix == ".pdf":
            metadata = {key: str(value) for key, value in (PdfReader(path).metadata or {}).items()}
            for key, value in metadata.items():
                if any(secret.decode("latin-1") in value for secret in SECRETS + absolute):
                    found.append(f"{path.name}: {key} = {value}")
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
            found += [f"{path.name}: text: {secret!r}" for secret in SECRETS if secret in text]
            raw = path.read_bytes()
            # Compressed streams may hold 'C:\\' by chance; look for the long, telling strings only.
            found += [f"{path.name}: bytes: {secret!r}" for secret in [*SECRETS, str(root).encode()] if secret in raw]
    return found


def test_stock_builds_carry_no_editor_path_or_external_content(built):
    root, _ = built
    assert leaks(root) == []


def test_hostile_templates_are_stripped_and_nothing_leaks(hostile_build):
    root, results = hostile_build
    assert [result.slug for result in results] == SLUGS
    assert leaks(root) == []


def test_outputs_are_signed_by_the_secretariat(hostile_build):
    root, _ = hostile_build
    for path in outputs(root):
        if path.suffix == ".docx":
            core = zipfile.ZipFile(path).read("docProps/core.xml")
            assert b"<dc:creator>CTI Secretariat</dc:creator>" in core and b"<cp:lastModifiedBy>CTI Secretariat</cp:lastModifiedBy>" in core, path.name


def test_kept_web_link_is_a_plain_hyperlink(hostile_build):
    root, _ = hostile_build
    invitation = next(path for path in outputs(root) if path.name == "01-invitation.docx")
    rels = zipfile.ZipFile(invitation).read("word/_rels/document.xml.rels")
    assert b'Target="https://cti2024.org/" TargetMode="External"' in rels


def test_the_template_copies_really_carried_the_traces(hostile_build):
    root, _ = hostile_build
    parts = read_parts(root / "templates" / "en" / "visit_programme.docx")
    assert {"word/people.xml", "word/comments.xml", "word/vbaProject.bin", "docProps/thumbnail.jpeg", "word/glossary/document.xml"} <= set(parts)
    assert EDITOR.encode() in parts["docProps/app.xml"] and EDITOR.encode() in parts["docProps/core.xml"]
    assert EDITOR.encode() in parts["word/media/photo.jpeg"] and EDITOR.encode() in parts["word/media/logo.png"]
    assert EDITOR_PATH.encode() in parts["word/document.xml"]


def test_pictures_survive_without_their_metadata(hostile_build):
    root, _ = hostile_build
    invitation = next(path for path in outputs(root) if path.name == "01-invitation.docx")
    with zipfile.ZipFile(invitation) as archive:
        photo = archive.read("word/media/photo.jpeg")
        logo = archive.read("word/media/logo.png")
        body = archive.read("word/document.xml")
    assert photo.startswith(b"\xff\xd8") and b"\xff\xda" in photo and EDITOR.encode() not in photo
    assert logo.startswith(b"\x89PNG") and b"IDAT" in logo and b"tEXt" not in logo
    assert b'name="photo.jpeg"' in body and b'descr=""' in body


@pytest.mark.parametrize("part", TEXT_PARTS)
def test_templates_with_refused_traces_in_any_part_build_nothing(project_root, tmp_path, part):
    template = project_root / "templates" / "en" / "visit_programme.docx"  # used by every country
    make_strippable(template, jpeg_with_exif(tmp_path))
    insert_paragraph(template, part, tracked_formatting() + comment_anchor())
    add_relationship(template, part, "rIdLinkedPic", OFFICE_RELS + "image", "http://tracker.example.net/pixel.png", external=True)
    insert_paragraph(template, part, linked_picture("rIdLinkedPic"))
    result = run("build", "--all")
    assert_refused(result, *[line for line in result.output.splitlines() if line.startswith("error: ")])
    # Every pack is refused (the template is shared), each line naming its country and the template.
    assert re.search(r"^error: [a-z]+: templates/en/", result.output, re.MULTILINE), result.output
    assert not (project_root / "build").exists() or [p for p in (project_root / "build").rglob("*")] == []
