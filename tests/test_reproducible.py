"""Reproducible builds: the same content, templates and date give the same bytes, wherever built."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile

import pytest
from conftest import REPO

from cti_briefings.build import Project, build
from cti_briefings.reproducible import normalise_docx


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """The example built again in another folder, dated by SOURCE_DATE_EPOCH instead of --as-of."""
    root = tmp_path_factory.mktemp("again")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 22, 15, 30, tzinfo=dt.timezone.utc).timestamp())))
        [result] = build(Project(root=root), ["example"])
    return result


def test_two_builds_give_byte_identical_docx_pdfs_and_pack(built, rebuilt):
    _, results = built
    first = results["example"].pack.parent
    second = rebuilt.pack.parent
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    assert any(name.endswith(".docx") for name in names) and any(name.endswith(".pdf") for name in names)
    different = [name for name in names if name != "manifest.json" and (first / name).read_bytes() != (second / name).read_bytes()]
    assert different == []
    # The manifest records when each build ran (only SOURCE_DATE_EPOCH fixes that); all else in it is the same.
    manifests = [json.loads((folder / "manifest.json").read_text(encoding="utf-8")) for folder in (first, second)]
    assert manifests[0] | {"built_at": None} == manifests[1] | {"built_at": None}


def test_docx_entries_are_dated_by_the_build_and_in_a_fixed_order(built):
    _, results = built
    with zipfile.ZipFile(results["example"].documents[1].docx) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert [entry.filename for entry in entries[1:]] == sorted(entry.filename for entry in entries[1:])
    assert {entry.date_time for entry in entries} == {(2026, 11, 22, 0, 0, 0)}


def test_normalising_twice_changes_nothing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("b.xml", "<b/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    once = normalise_docx(buffer.getvalue(), dt.date(2027, 1, 10))
    assert normalise_docx(once, dt.date(2027, 1, 10)) == once
    assert normalise_docx(once, dt.date(2027, 1, 11)) != once
