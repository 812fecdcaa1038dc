"""build/<country>/manifest.json and `cti-briefings manifest`, which joins and checks them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import SLUGS

from cti_briefings.cli import cli
from cti_briefings.manifest import MANIFEST, DocumentRecord, manifest_bytes


def fake_build(root: Path, slug: str) -> Path:
    """A build folder as a build leaves it: documents, a pack and the manifest."""
    folder = root / "build" / slug
    folder.mkdir(parents=True)
    (folder / "00-cover.docx").write_bytes(b"docx")
    (folder / "00-cover.pdf").write_bytes(b"%PDF-cover")
    pack = folder / f"{slug}-briefing-pack.pdf"
    pack.write_bytes(b"%PDF-pack " + slug.encode())
    documents = [DocumentRecord("Cover and contents", "00-cover.docx", "00-cover.pdf", 1, 1)]
    (folder / MANIFEST).write_bytes(manifest_bytes(slug, pack, 1, dt.date(2026, 11, 22), "key", documents))
    return pack


def test_manifest_lists_each_pack_with_its_hash_pages_and_date(project_root):
    for slug in SLUGS:
        fake_build(project_root, slug)
    result = CliRunner().invoke(cli, ["manifest", "--require-all", "--output", "build/manifest.json"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == SLUGS
    assert lines[-1] == f"{len(SLUGS)} packs listed in build/manifest.json"
    joined = json.loads((project_root / "build" / "manifest.json").read_text())
    first = joined["packs"][0]
    assert first["country"] == SLUGS[0] and first["pack"] == f"{SLUGS[0]}/{SLUGS[0]}-briefing-pack.pdf"
    assert first["pages"] == 1 and first["as_of"] == "2026-11-22" and len(first["sha256"]) == 64
    assert lines[0].startswith(f"{SLUGS[0]:<14}    1 pages  sha256 {first['sha256']}  built ")


def test_missing_and_altered_packs_are_reported_one_line_each(project_root):
    pack = fake_build(project_root, SLUGS[0])
    pack.write_bytes(b"%PDF-changed")
    result = CliRunner().invoke(cli, ["manifest", "--require-all"])
    assert result.exit_code == 1
    expected = [f"error: build/{SLUGS[0]}/{SLUGS[0]}-briefing-pack.pdf: differs from its manifest (sha256) (build the country again)"]
    expected += [f"error: build/{slug}: has no pack (build it, or check the CI share that should have)" for slug in SLUGS[1:]]
    assert result.output.splitlines() == expected
