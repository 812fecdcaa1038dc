"""The PDF cache and up-to-date packs: what is converted again, and what never reaches a pack."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, write_country
from pypdf import PdfReader
from test_integration import pdf_text

from cti_briefings import build as build_module
from cti_briefings.build import Project, build
from cti_briefings.cache import CACHE_FORMAT, CachedConverter, PdfCache, RenderMemo, conversion_identity, docx_digest, office_version, pdf_cache_dir
from cti_briefings.cli import cli
from cti_briefings.office import Converter

BRIEF_ONE = "03-meeting-brief-01-foreign-affairs.docx"
COVER = "00-cover.docx"
# build._check_and_fit converts shorter or tighter versions of a document that runs long; the cover
# is converted early with estimated page numbers (build._early_cover).
FITTED = re.compile(r"^\.(?:fit-\d+t?|early)-")


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CTI_CACHE_DIR", str(folder))
    return folder


def executable(path: Path, text: str) -> Path:
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def logged_soffice(tmp_path, monkeypatch) -> Path:
    """Run the real LibreOffice through a wrapper that notes every start; return the note file."""
    calls = tmp_path / "soffice-calls"
    calls.touch()
    real = shutil.which("soffice")
    assert real, "LibreOffice is needed for this test"
    monkeypatch.setenv("CTI_SOFFICE", str(executable(tmp_path / "soffice", f'echo "$*" >> {calls}\nexec {real} "$@"\n')))
    return calls


def counting_converter(timeout: float = 120) -> tuple[Converter, CachedConverter]:
    office = Converter(timeout=timeout)
    return office, CachedConverter(office, PdfCache(pdf_cache_dir(), conversion_identity()))


def documents_converted(converter: CachedConverter) -> list[str]:
    """The documents LibreOffice converted, sorted, a version tried to fit one's pages counting as that one."""
    return sorted({FITTED.sub("", name) for name in converter.converted})


def zip_parts(path: Path, parts: list[tuple[str, bytes]], when: tuple[int, int, int, int, int, int]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts:
            archive.writestr(zipfile.ZipInfo(name, when), data)
    return path


def wait_for_orphans(marker: str, seconds: float = 30) -> None:
    """Wait for the LibreOffice of a killed build (its profile path holds `marker`) to quit; else end it."""
    deadline = time.monotonic() + seconds
    while True:
        left = []
        for folder in Path("/proc").glob("[0-9]*"):
            try:
                if marker.encode() in (folder / "cmdline").read_bytes():
                    left.append(int(folder.name))
            except OSError:
                continue
        if not left:
            return
        if time.monotonic() > deadline:
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.2)


# --- keys and entries, without LibreOffice ---------------------------------------------------


def test_key_follows_the_parts_not_the_zip_timestamps_or_order(tmp_path):
    parts = [("word/document.xml", b"<w:document>Brief</w:document>"), ("[Content_Types].xml", b"<Types/>")]
    first = docx_digest(zip_parts(tmp_path / "a.docx", parts, (2020, 1, 1, 0, 0, 0)))
    assert docx_digest(zip_parts(tmp_path / "b.docx", parts[::-1], (2026, 11, 24, 13, 5, 0))) == first
    changed = [("word/document.xml", b"<w:document>Brief!</w:document>"), parts[1]]
    assert docx_digest(zip_parts(tmp_path / "c.docx", changed, (2020, 1, 1, 0, 0, 0))) != first
    renamed = [("word/document2.xml", parts[0][1]), parts[1]]
    assert docx_digest(zip_parts(tmp_path / "d.docx", renamed, (2020, 1, 1, 0, 0, 0))) != first


def test_an_entry_reads_back_and_a_damaged_one_is_removed_and_logged(tmp_path, caplog):
    cache = PdfCache(tmp_path / "pdf", "identity")
    key = "ab" + "0" * 62
    pdf = b"%PDF-1.7\n" + b"x" * 1000 + b"\n%%EOF\n"
    cache.store(key, pdf)
    assert cache.load(key) == pdf
    entry = cache.entry(key)
    assert entry.read_bytes().startswith(CACHE_FORMAT.encode())

    damaged = bytearray(entry.read_bytes())
    damaged[-20] ^= 0xFF
    entry.write_bytes(bytes(damaged))
    with caplog.at_level(logging.WARNING, logger="cti_briefings.cache"):
        assert cache.load(key) is None
    assert caplog.messages == [f"cached PDF {entry} is damaged; removed, converting the document again"]
    assert not entry.exists()

    cache.store(key, pdf)
    entry.write_bytes(entry.read_bytes()[:200])  # torn: cut short
    assert cache.load(key) is None and not entry.exists()


def test_prune_keeps_the_most_recently_used_within_the_bound(tmp_path):
    cache = PdfCache(tmp_path / "pdf", "identity", max_bytes=2500)
    keys = [f"{index:02d}" + "0" * 62 for index in range(4)]
    for age, key in enumerate(keys):
        cache.store(key, b"%PDF-" + b"x" * 1000)
        os.utime(cache.entry(key), (1_000_000 + age, 1_000_000 + age))
    assert cache.load(keys[0]) is not None  # used now: the newest
    debris = cache.entry(keys[0]).with_name(".left-by-a-killed-build")
    debris.write_bytes(b"%PDF-")
    os.utime(debris, (1_000_000, 1_000_000))
    assert cache.prune() == 2
    assert [key for key in keys if cache.entry(key).exists()] == [keys[0], keys[3]]
    assert not debris.exists()


def test_a_build_that_wrote_nothing_does_not_walk_the_cache(tmp_path, monkeypatch):
    cache = PdfCache(tmp_path / "pdf", "identity", max_bytes=2500)
    cache.store("00" + "0" * 62, b"%PDF-" + b"x" * 1000)
    walks = []
    real_prune = PdfCache.prune
    monkeypatch.setattr(PdfCache, "prune", lambda self: walks.append(1) or real_prune(self))
    assert cache.prune_if_grown() == 0 and walks == [1]  # no ledger yet: the folder is measured
    assert json.loads((cache.folder / "size-ledger.json").read_text()) == {"bytes": 1000 + len(f"cti-pdf-cache 1 {'0' * 64} 1005\n") + 5, "builds": 0}
    assert cache.load("00" + "0" * 62) is not None
    assert cache.prune_if_grown() == 0 and walks == [1]  # a hit writes nothing: no walk, ledger unchanged
    cache.store("01" + "0" * 62, b"%PDF-" + b"x" * 100)
    assert cache.prune_if_grown() == 0 and walks == [1]  # within the bound by the ledger
    assert json.loads((cache.folder / "size-ledger.json").read_text())["builds"] == 1
    cache.store("02" + "0" * 62, b"%PDF-" + b"x" * 1500)
    assert cache.prune_if_grown() == 1 and walks == [1, 1]  # past the bound by the ledger: walked and pruned
    assert [key[:2] for key in ("00" + "0" * 62, "01" + "0" * 62, "02" + "0" * 62) if cache.entry(key).exists()] == ["01", "02"]  # the least recently used went


def test_a_damaged_ledger_makes_the_cache_be_measured(tmp_path):
    cache = PdfCache(tmp_path / "pdf", "identity", max_bytes=1500)
    cache.store("00" + "0" * 62, b"%PDF-" + b"x" * 1000)
    cache.prune_if_grown()
    (cache.folder / "size-ledger.json").write_text("{\"bytes\": \"many\"")
    cache.store("01" + "0" * 62, b"%PDF-" + b"x" * 1000)
    assert cache.prune_if_grown() == 1


def test_renderings_are_kept_by_template_and_values_and_only_when_plain(tmp_path):
    template = tmp_path / "brief.docx"
    template.write_bytes(b"template one")
    memo = RenderMemo(size=2)
    values = {"visit": {"start": dt.date(2027, 2, 16)}, "people": ("a", "b")}
    key = memo.key(template, values)
    assert key and key == memo.key(template, {"people": ["a", "b"], "visit": {"start": dt.date(2027, 2, 16)}})
    assert memo.key(template, {**values, "visit": {"start": dt.date(2027, 2, 17)}}) != key
    assert memo.key(template, {"opaque": object()}) is None  # never risk a stale document
    memo.put(key, b"docx")
    assert memo.get(key) == b"docx"
    template.write_bytes(b"template two")
    assert memo.key(template, values) != key
    memo.put("second", b"2")
    memo.put("third", b"3")
    assert memo.get(key) is None and memo.get("third") == b"3"  # bounded: the oldest went


def test_renderings_kept_on_disk_are_reused_by_the_next_build_and_a_damaged_one_is_rendered_again(tmp_path, caplog):
    template = tmp_path / "brief.docx"
    template.write_bytes(b"template")
    first = RenderMemo(size=0, folder=tmp_path / "pdf")
    key = first.key(template, {"meeting": 1})
    first.put(key, b"PK docx bytes")
    assert first.get(key) == b"PK docx bytes"  # from disk: nothing is kept in memory with size 0
    later = RenderMemo(size=0, folder=tmp_path / "pdf")
    assert later.key(template, {"meeting": 1}) == key and later.get(key) == b"PK docx bytes"
    [entry] = (tmp_path / "pdf").glob("*/*.docx")
    entry.write_bytes(entry.read_bytes().replace(b"docx", b"DOCX"))
    with caplog.at_level(logging.WARNING, logger="cti_briefings.cache"):
        assert later.get(key) is None
    assert caplog.messages == [f"kept rendering {entry} is damaged; removed, rendering the document again"]
    assert not entry.exists()
    assert RenderMemo(folder=None).get(key) is None  # without a folder, memory only


def test_libreoffice_version_is_asked_once_per_binary(tmp_path, monkeypatch, cache_home):
    asked = tmp_path / "asked"
    soffice = executable(tmp_path / "soffice", f"echo asked >> {asked}\necho 'LibreOffice 9.9.9.9 test'\n")
    monkeypatch.setenv("CTI_SOFFICE", str(soffice))
    assert office_version() == office_version() == "LibreOffice 9.9.9.9 test"
    assert asked.read_text().count("asked") == 1
    os.utime(soffice, (2_000_000_000, 2_000_000_000))  # an upgrade replaces the binary
    office_version()
    assert asked.read_text().count("asked") == 2


# --- builds with real LibreOffice ------------------------------------------------------------


@pytest.mark.integration
def test_only_what_changed_is_converted_and_packs_match_an_uncached_build(project, project_root, cache_home, logged_soffice, tmp_path, caplog):
    with Converter(timeout=120) as office:
        converter = CachedConverter(office, PdfCache(pdf_cache_dir(), conversion_identity()))
        [cold] = build(project, ["example"], converter)
    assert documents_converted(converter) == sorted(document.docx.name for document in cold.documents)
    assert "--headless" in logged_soffice.read_text()

    # Nothing changed: no LibreOffice, nothing rendered, the pack as it was.
    renders = []
    starts_before = logged_soffice.read_text()
    with pytest.MonkeyPatch.context() as spy:
        spy.setattr(build_module, "_render", lambda *args: renders.append(args))
        package_log = logging.getLogger("cti_briefings")
        spy.setattr(package_log, "handlers", [])  # the CLI sets its own; later checks read the log
        spy.setattr(package_log, "propagate", True)
        spy.setattr(package_log, "level", package_log.level)
        with Converter(timeout=120) as office:
            [again] = build(project, ["example"], CachedConverter(office, PdfCache(pdf_cache_dir(), conversion_identity())))
            assert office.starts == 0
        result = CliRunner().invoke(cli, ["build", "example"])
    assert again.up_to_date and again.pack == cold.pack and again.pages == cold.pages
    assert result.exit_code == 0, result.output
    assert result.output == f"build/example/example-briefing-pack.pdf: {len(cold.documents)} documents, {cold.pages} pages (up to date)\n"
    assert logged_soffice.read_text() == starts_before, "LibreOffice was run for a build with nothing to do"
    assert renders == []

    # One meeting edited: its brief is converted, and the cover only if page numbers moved.
    country = project_root / "content" / "countries" / "example.yaml"
    text = country.read_text(encoding="utf-8")
    assert "Geneva, March 2026." in text
    write_country(project_root, "example", text.replace("Geneva, March 2026.", "Geneva, March 2026, and again in Vienna in September 2026."))
    rendered: list[str] = []
    render = build_module._render
    with pytest.MonkeyPatch.context() as spy:
        spy.setattr(build_module, "_render", lambda document, *rest: rendered.append(f"{document.stem}.docx") or render(document, *rest))
        office, converter = counting_converter()
        with office:
            [edited] = build(project, ["example"], converter)
    assert converter.converted[0] == BRIEF_ONE and set(documents_converted(converter)) <= {BRIEF_ONE, COVER}
    assert rendered[0] == BRIEF_ONE and set(rendered) <= {BRIEF_ONE, COVER}, "documents that did not change were rendered again"
    assert "Vienna" in pdf_text(edited.pack)

    # The same content without the cache gives the same pack, byte for byte.
    uncached_root = tmp_path / "uncached"
    shutil.copytree(project_root / "content", uncached_root / "content")
    shutil.copytree(project_root / "templates", uncached_root / "templates")
    [uncached] = build(Project(root=uncached_root, timeout=120, cache=False), ["example"])
    assert len(PdfReader(uncached.pack).pages) == len(PdfReader(edited.pack).pages) == edited.pages
    assert uncached.pack.read_bytes() == edited.pack.read_bytes()
    assert [document.pdf.read_bytes() for document in uncached.documents] == [document.pdf.read_bytes() for document in edited.documents]
    assert [(d.title, d.pages, d.first_page) for d in uncached.documents] == [(d.title, d.pages, d.first_page) for d in edited.documents]

    # A damaged entry is converted again, never copied into the pack.
    roadmap = next(document for document in edited.documents if document.docx.name.startswith("05-"))
    cache = PdfCache(pdf_cache_dir(), conversion_identity())
    entry = cache.entry(cache.key(roadmap.docx))
    data = bytearray(entry.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\0" * 64
    entry.write_bytes(bytes(data))
    shutil.rmtree(project_root / "build")
    office, converter = counting_converter()
    with office, caplog.at_level(logging.WARNING, logger="cti_briefings.cache"):
        [rebuilt] = build(project, ["example"], converter)
    assert documents_converted(converter) == [roadmap.docx.name]
    assert f"cached PDF {entry} is damaged; removed, converting the document again" in caplog.messages
    assert pdf_text(rebuilt.pack) == pdf_text(edited.pack)
    assert subprocess.run(["qpdf", "--check", str(rebuilt.pack)], capture_output=True).returncode == 0

    # Every document in the cache: the pack is made again without starting LibreOffice.
    shutil.rmtree(project_root / "build")
    office, converter = counting_converter()
    with office:
        [again] = build(project, ["example"], converter)
    assert office.starts == 0 and converter.converted == []
    assert again.pack.read_bytes() == rebuilt.pack.read_bytes()


@pytest.mark.integration
def test_a_build_killed_while_writing_the_cache_leaves_no_torn_entry(project, project_root, cache_home, tmp_path):
    paused = tmp_path / "paused"
    environment = {**os.environ, "CTI_CACHE_TEST_PAUSE": str(paused), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "cti_briefings", "build", "example"]
    process = subprocess.Popen(command, cwd=project_root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not paused.exists():
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            assert time.monotonic() < deadline, "the build never reached the cache"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    wait_for_orphans(str(cache_home))
    entries = pdf_cache_dir().glob("*/*")
    torn = [path for path in entries if path.name.startswith(".")]
    # (Documents are cached from more than one thread: another write may have been cut before its header.)
    assert torn and any(path.read_bytes().startswith(CACHE_FORMAT.encode()) for path in torn), "the kill did not land in a write"
    assert not [path for path in pdf_cache_dir().glob("*/*.pdf") if not path.name.startswith(".")], "an entry was completed"
    assert not (project_root / "build" / "example").exists()

    office, converter = counting_converter()
    with office:
        [result] = build(project, ["example"], converter)
    assert documents_converted(converter) == sorted(document.docx.name for document in result.documents)
    assert subprocess.run(["qpdf", "--check", str(result.pack)], capture_output=True).returncode == 0
    assert len(PdfReader(result.pack).pages) == result.pages
