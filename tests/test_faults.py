"""Faults with real LibreOffice, real processes and real signals: nothing hangs, nothing is left behind.

After any failure or stop: no LibreOffice or worker process, no staging folder in build/, nothing
in the temporary folder or the slot's scratch folder, no pipe of ours in /tmp, and the last
pack byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_country
from docx import Document
from pypdf import PdfReader

from cti_briefings.build import Project, build
from cti_briefings.cli import cli
from cti_briefings.office import Converter

pytestmark = pytest.mark.integration

LAST_PACK = b"%PDF-1.4 the last good pack, which no failed build may touch"


def processes_using(cache: Path) -> list[int]:
    """Processes whose command line or environment names `cache`: LibreOffice and its worker."""
    found = []
    marker = str(cache).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            # The test process's own rendering fork server (and its resource tracker) keeps the
            # environment it started in; it belongs to this process, not to a build, and ends with it.
            if b"multiprocessing.forkserver" in command or b"multiprocessing.resource_tracker" in command:
                continue
            named = marker in command or marker in (entry / "environ").read_bytes()
            zombie = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            continue  # it ended while we looked
        if named and not zombie:
            found.append(int(entry.name))
    return found


def our_pipes(cache: Path) -> list[str]:
    """LibreOffice's sockets in /tmp that belong to profiles under `cache` or to this run's builds."""
    names = []
    for number in range(16):
        uri = (cache / f"libreoffice-profile-{number}").as_uri()
        digest = hashlib.md5(uri.encode("utf-16-le")).digest()
        names.append(f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest))
    return [name for name in names if (Path("/tmp") / name).exists()]


def assert_nothing_left(root: Path, cache: Path, temporary: Path) -> None:
    deadline = time.monotonic() + 5
    while processes_using(cache) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_using(cache) == []
    assert [path.name for path in (root / "build").iterdir() if path.name.startswith(".")] == []
    assert list(temporary.iterdir()) == []
    assert list(cache.glob("libreoffice-scratch-*")) == []
    assert our_pipes(cache) == []


@pytest.fixture
def isolated(project_root, tmp_path, monkeypatch, office_cache):
    """A project with a last pack in place, and a profile cache and a temporary folder of its own.

    The cache starts as a copy of the run's profiles (made once, quick to copy), so that what is
    left in it afterwards can only come from this test, not from a LibreOffice another test closes.
    """
    cache, temporary = tmp_path / "cache", tmp_path / "tmp"
    shutil.copytree(office_cache, cache, ignore=shutil.ignore_patterns("libreoffice-scratch-*", "*.lock"))
    temporary.mkdir()
    monkeypatch.setenv("CTI_CACHE_DIR", str(cache))
    monkeypatch.setenv("TMPDIR", str(temporary))
    for slug in ("example", "veloria", "marisca"):
        (project_root / "build" / slug).mkdir(parents=True)
        (project_root / "build" / slug / f"{slug}-briefing-pack.pdf").write_bytes(LAST_PACK)
    return project_root, cache, temporary


def last_pack_untouched(root: Path, slug: str) -> bool:
    folder = root / "build" / slug
    return sorted(path.name for path in folder.iterdir()) == [f"{slug}-briefing-pack.pdf"] and (folder / f"{slug}-briefing-pack.pdf").read_bytes() == LAST_PACK


def documents(folder: Path, count: int) -> list[tuple[Path, Path]]:
    folder.mkdir()
    pairs = []
    for number in range(1, count + 1):
        document = Document()
        for paragraph in range(40):
            document.add_paragraph(f"Document {number}, paragraph {paragraph}: the Convention against Torture Initiative.")
        document.save(folder / f"{number:02d}.docx")
        pairs.append((folder / f"{number:02d}.docx", folder / f"{number:02d}.pdf"))
    return pairs


def test_libreoffice_killed_mid_build_is_replaced_and_the_documents_converted(tmp_path, monkeypatch, office_cache):
    cache = office_cache
    monkeypatch.setenv("CTI_CACHE_DIR", str(cache))
    pairs = documents(tmp_path / "documents", 8)
    with Converter(jobs=1) as office:
        office.start()
        outcome: list = []
        converting = threading.Thread(target=lambda: outcome.append(office.convert_all(pairs)))
        converting.start()
        while not any(pdf.exists() for _, pdf in pairs) and converting.is_alive():
            time.sleep(0.01)
        [office_binary] = [pid for pid in processes_using(cache) if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        os.kill(office_binary, signal.SIGKILL)
        converting.join(60)
    assert outcome == [[pdf for _, pdf in pairs]]
    assert all(len(PdfReader(pdf).pages) >= 1 for _, pdf in pairs)
    assert office.starts == 2
    assert processes_using(cache) == [] and our_pipes(cache) == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_mid_conversion_stops_everything_and_keeps_the_last_pack(isolated, stop):
    root, cache, temporary = isolated
    build = subprocess.Popen([sys.executable, "-m", "cti_briefings", "build", "example"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not list((root / "build").glob(".example.new-*/*.pdf")) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert processes_using(cache), "LibreOffice should be converting"
        build.send_signal(stop)
        stdout, stderr = build.communicate(timeout=5)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 128 + stop
    assert stderr == f"error: stopped by {stop.name}; the last pack is unchanged\n"
    assert stdout == ""
    assert_nothing_left(root, cache, temporary)
    assert last_pack_untouched(root, "example")


def test_libreoffice_quits_when_the_build_is_killed_outright(isolated):
    root, cache, temporary = isolated
    build = subprocess.Popen([sys.executable, "-m", "cti_briefings", "build", "example"], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list((root / "build").glob(".example.new-*/*.pdf")) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert processes_using(cache), "LibreOffice should be converting"
    finally:
        build.kill()  # SIGKILL: no handler runs; the worker sees its input close
        build.wait()
    deadline = time.monotonic() + 10
    while processes_using(cache) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_using(cache) == []
    assert last_pack_untouched(root, "example")
    for debris in (root / "build").glob(".example.new-*"):  # what a killed build cannot remove itself
        shutil.rmtree(debris)


def test_libreoffice_that_crashes_at_start_is_reported_at_once(isolated, tmp_path, monkeypatch):
    root, cache, temporary = isolated
    crashing = tmp_path / "soffice"
    crashing.write_text("#!/bin/sh\necho 'soffice.bin: cannot load libmergedlo.so' >&2\nexit 1\n")
    crashing.chmod(0o755)
    monkeypatch.setenv("CTI_SOFFICE", str(crashing))
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["build", "example"])
    assert time.monotonic() - started < 10  # the time limit is 120 s
    assert result.exit_code == 1
    assert result.stderr == "error: LibreOffice stopped unexpectedly while starting (exit status 1) (LibreOffice said: soffice.bin: cannot load libmergedlo.so)\n"
    assert_nothing_left(root, cache, temporary)
    assert last_pack_untouched(root, "example")


def test_libreoffice_that_hangs_at_start_is_stopped_after_the_time_limit(isolated, tmp_path, monkeypatch):
    root, cache, temporary = isolated
    hanging = tmp_path / "soffice"
    hanging.write_text("#!/bin/sh\nexec sleep 300\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("CTI_SOFFICE", str(hanging))
    result = CliRunner().invoke(cli, ["build", "example", "--timeout", "2"])
    assert result.exit_code == 1
    assert result.stderr == "error: LibreOffice did not start within 2 s and was stopped (try again, or raise the limit with --timeout)\n"
    assert_nothing_left(root, cache, temporary)
    assert last_pack_untouched(root, "example")


def test_content_problems_come_first_when_libreoffice_is_missing(isolated, monkeypatch):
    root, cache, temporary = isolated
    monkeypatch.setenv("CTI_SOFFICE", "/nowhere/soffice")
    write_country(root, "broken", "name: [unclosed\nshort_name: Broken\n")
    result = CliRunner().invoke(cli, ["build", "broken", "example"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: content/countries/broken.yaml:2: YAML syntax error:")
    assert result.stderr.endswith("problem found; nothing was built, earlier packs are unchanged.\n") or result.stderr.endswith("problems found; nothing was built, earlier packs are unchanged.\n")
    assert "LibreOffice" not in result.stderr and "CTI_SOFFICE" not in result.stderr
    result = CliRunner().invoke(cli, ["build", "example"])
    assert result.exit_code == 1
    assert result.stderr == "error: CTI_SOFFICE is set to '/nowhere/soffice', which is not a program (unset it to use the installed LibreOffice)\n"
    assert_nothing_left(root, cache, temporary)
    assert last_pack_untouched(root, "example")


def test_one_country_failing_does_not_stop_the_others(isolated):
    root, cache, temporary = isolated
    # Of these two, only example has a seminar.
    (root / "templates" / "en" / "seminar_programme.docx").write_text("not a Word document")
    result = CliRunner().invoke(cli, ["build", "example", "veloria", "--jobs", "2"])
    assert result.exit_code == 1
    assert re.fullmatch(r"build/veloria/veloria-briefing-pack.pdf: \d+ documents, \d+ pages\n", result.stdout)
    [failed, summary] = result.stderr.splitlines()
    assert failed.startswith("error: example: templates/en/seminar_programme.docx: ")
    assert summary == "1 of 2 packs failed; its earlier pack is unchanged."
    assert last_pack_untouched(root, "example")
    assert len(PdfReader(root / "build" / "veloria" / "veloria-briefing-pack.pdf").pages) > 1
    assert_nothing_left(root, cache, temporary)


def test_one_and_two_workers_make_the_same_pack(built, project_root):
    root, results = built  # built with two LibreOffice processes
    with Converter(jobs=1) as office:
        # Without the PDF cache, which holds every document of the build it is compared with.
        [alone] = build(Project(root=project_root, as_of=dt.date(2026, 11, 22), cache=False), ["marisca"], office)
    assert office.starts == 1
    two = results["marisca"]
    assert [(document.title, document.pages, document.first_page) for document in alone.documents] == [(document.title, document.pages, document.first_page) for document in two.documents]
    assert _text(alone.pack) == _text(two.pack)


def test_a_terminal_gets_a_progress_bar(isolated):
    root, cache, temporary = isolated
    leader, follower = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    build = subprocess.Popen([sys.executable, "-m", "cti_briefings", "build", "veloria", "example"], cwd=root, stdout=follower, stderr=subprocess.PIPE, env=environment)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        try:
            chunk = os.read(leader, 4096) if ready else b""
        except OSError:  # the build closed the terminal
            chunk = b""
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert build.wait(30) == 0, build.stderr.read() if build.stderr else ""
    text = shown.decode()
    assert "Building packs" in text and "100%" in text
    lines = [line for line in text.replace("\r", "\n").split("\n") if line.strip()]
    assert re.fullmatch(r"build/veloria/veloria-briefing-pack.pdf: \d+ documents, \d+ pages", lines[-2])
    assert re.fullmatch(r"build/example/example-briefing-pack.pdf: \d+ documents, \d+ pages", lines[-1])


def _text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"[ \t]+", " ", text)
