"""End to end with real LibreOffice: every example country's pack, its structure and its text."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import SLUGS, country_data, write_country
from pypdf import PdfReader

from cti_briefings.build import Project, build
from cti_briefings.errors import ContentError, ConversionError

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

pytestmark = pytest.mark.integration


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    command = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        command.append("-layout")
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    text = subprocess.run([*command, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return BIDI_CONTROLS.sub("", text)


def people_named_in(slug: str) -> list[str]:
    data = country_data(slug)
    names = [member["name"] for member in data["delegation"]]
    names += [data["visit"]["addressee"]["name"]] + ([data["visit"]["signatory"]["name"]] if "signatory" in data["visit"] else [])
    for meeting in data["meetings"]:
        names += [person["name"] for person in meeting.get("counterparts") or [meeting["counterpart"]] if "name" in person]
    return names


@pytest.mark.parametrize("slug", SLUGS)
def test_pack_passes_qpdf_check(built, slug):
    _, results = built
    check = subprocess.run(["qpdf", "--check", str(results[slug].pack)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("slug", SLUGS)
def test_one_bookmark_per_document_with_briefs_nested(built, slug):
    _, results = built
    result = results[slug]
    reader = PdfReader(result.pack)
    flat, nested = [], []
    for item in reader.outline:
        if isinstance(item, list):
            nested = [child.title for child in item]
        else:
            flat.append(item.title)
    briefs = [document.title for document in result.documents if document.title.startswith("Brief ")]
    assert nested == briefs and briefs
    expected = []
    for document in result.documents:
        if not document.title.startswith("Brief "):
            expected.append(document.title)
        elif "Meeting briefs" not in expected:
            expected.append("Meeting briefs")
    assert flat == expected
    assert len(reader.pages) == result.pages == sum(document.pages for document in result.documents)


def assert_contents_match_the_pack(result) -> None:
    reader = PdfReader(result.pack)
    bookmarked = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif item.title != "Meeting briefs":
                bookmarked.append(reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    cover = pdf_text(result.pack, 1, result.documents[0].pages, layout=True)
    contents = cover.split("Contents", 1)[1]
    rows = [(int(pages), int(page)) for pages, page in re.findall(r"\s{2,}(\d+)\s{2,}(\d+)\s*$", contents, flags=re.MULTILINE)]
    assert [page for _, page in rows] == bookmarked[1:]  # every document after the cover
    assert [pages for pages, _ in rows] == [document.pages for document in result.documents[1:]]


@pytest.mark.parametrize("slug", SLUGS)
def test_contents_page_numbers_are_the_real_first_pages(built, slug):
    _, results = built
    assert_contents_match_the_pack(results[slug])


def test_contents_stay_right_when_the_cover_runs_to_two_pages(project_root):
    data = country_data()
    meeting = data["meetings"][2]
    data["meetings"] = [{**meeting, "start": f"{8 + hour // 2:02d}:{30 * (hour % 2):02d}", "end": f"{8 + hour // 2:02d}:{30 * (hour % 2) + 25:02d}"} for hour in range(24)]
    data["visit"]["reference"] = "CTI/2027/904"  # a second file with the example's reference is an error
    write_country(project_root, "crowded", data)
    [result] = build(Project(root=project_root), ["crowded"])
    assert result.documents[0].pages == 2
    assert result.documents[1].first_page == 3
    assert_contents_match_the_pack(result)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_page_is_marked_and_no_tag_is_left(built, slug):
    _, results = built
    pack = results[slug].pack
    marking = country_data(slug).get("marking", "CONFIDENTIAL")
    pages = pdf_text(pack).split("\f")[: len(PdfReader(pack).pages)]
    unmarked = [number for number, text in enumerate(pages, start=1) if marking not in text]
    assert not unmarked, f"pages without '{marking}': {unmarked}"
    for number, text in enumerate(pages, start=1):
        assert "{{" not in text and "{%" not in text and "}}" not in text and "%}" not in text, f"page {number}"
        assert re.search(r"Page \d+ of \d+", text), f"page {number} has no page number"


@pytest.mark.parametrize("slug", SLUGS)
def test_no_personal_name_in_metadata(built, slug):
    root, results = built
    result = results[slug]
    metadata = PdfReader(result.pack).metadata
    assert metadata.author == "CTI Secretariat"
    assert metadata.title == f"CTI briefing pack: {country_data(slug)['short_name']}"
    names = people_named_in(slug)
    shown = " ".join(str(value) for value in metadata.values())
    for document in result.documents:
        shown += " ".join(str(value) for value in (PdfReader(document.pdf).metadata or {}).values())
        with zipfile.ZipFile(document.docx) as archive:
            shown += archive.read("docProps/core.xml").decode() + archive.read("docProps/app.xml").decode()
    for name in names:
        assert name not in shown


def test_odd_characters_appear_exactly_as_typed(built):
    _, results = built
    text = pdf_text(results["example"].pack)
    flat = " ".join(text.split())
    # Straight quotes typed in the data come out typographic, as in the rest of the prose.
    assert "Centre for Rights & Dignity \u201cAl-Karama\u201d" in flat
    assert "Ms Grace O\u2019Neill" in flat
    assert "Ms Sofía Núñez-Achebe" in flat
    assert "ليلى" in flat and "حداد" in flat
    assert "&amp;" not in flat and "&lt;" not in flat


def test_documents_stay_beside_the_pack_for_editing(built):
    root, results = built
    folder = root / "build" / "example"
    names = sorted(path.name for path in folder.iterdir())
    assert "example-briefing-pack.pdf" in names
    docx = [name for name in names if name.endswith(".docx")]
    pdfs = [name for name in names if name.endswith(".pdf") and name != "example-briefing-pack.pdf"]
    assert len(docx) == len(pdfs) == len(results["example"].documents)
    assert not [path for path in (root / "build").iterdir() if path.name.startswith(".")], "debris left in build/"


def test_failed_builds_keep_the_last_good_pack(built, monkeypatch, tmp_path):
    root, results = built
    pack = results["veloria"].pack
    before = pack.read_bytes()
    country = root / "content" / "countries" / "veloria.yaml"
    original = country.read_text(encoding="utf-8")
    project = Project(root=root, timeout=3)
    try:
        country.write_text(original.replace("start: 2027", "start: 2027-13", 1), encoding="utf-8")
        with pytest.raises(ContentError):
            build(project, ["veloria"])
        assert pack.read_bytes() == before

        country.write_text(original, encoding="utf-8")
        hanging = tmp_path / "soffice"
        hanging.write_text("#!/bin/sh\nexec sleep 300\n")
        hanging.chmod(0o755)
        monkeypatch.setenv("CTI_SOFFICE", str(hanging))
        with pytest.raises(ConversionError):
            build(project, ["veloria"])
        assert pack.read_bytes() == before
        assert not [path for path in (root / "build").iterdir() if path.name.startswith(".")]
    finally:
        country.write_text(original, encoding="utf-8")
