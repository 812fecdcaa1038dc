"""The converter's contract, driven through stand-in programs in place of soffice and the UNO worker.

A LibreOffice that hangs, lies, crashes once or cannot be reached cannot be produced on demand,
so these use small programs that behave so; the real LibreOffice is tested in test_hardening.py,
test_faults.py and the integration tests.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from cti_briefings.errors import ConversionError
from cti_briefings.office import Converter
from cti_briefings.office.converter import DOCUMENTS_PER_START
from cti_briefings.office.instance import find_soffice

# A stand-in UNO worker: answers like worker.py. STEPS (a file) lists what each run does
# ("ready", "unreachable", "no-uno"); each conversion does what CONVERSIONS lists in turn
# ("pdf", "lost", "error", "hang", "no-pdf"), then "pdf". Every run and request is logged.
FAKE_WORKER = """
import json, os, signal, sys, time
folder = {folder!r}
office_pid = int(sys.argv[4])
def next_line(name, default):
    path = os.path.join(folder, name)
    lines = open(path).read().splitlines() if os.path.exists(path) else []
    open(path, "w").write("\\n".join(lines[1:]) + ("\\n" if lines[1:] else ""))
    return lines[0] if lines else default
def log(text):
    with open(os.path.join(folder, "log"), "a") as stream:
        stream.write(text + "\\n")
step = next_line("steps", "ready")
log(f"start {{os.getpid()}} {{step}}")
time.sleep({start_delay})
if step == "unreachable":
    print(json.dumps({{"error": "could not reach LibreOffice: Connector : couldn't connect to pipe", "lost": True}}), flush=True)
    sys.exit(4)
if step == "no-uno":
    print(json.dumps({{"error": "no UNO bridge", "missing_uno": True}}), flush=True)
    sys.exit(3)
print(json.dumps({{"ready": True}}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if request.get("quit"):
        os.killpg(office_pid, signal.SIGTERM)  # as worker.py has LibreOffice quit
        break
    source, target = request["convert"]
    what = next_line("conversions", "pdf")
    log(f"convert {{os.getpid()}} {{os.path.basename(source)}} {{what}}")
    time.sleep({convert_seconds})
    if what == "hang":
        time.sleep(300)
    if what == "lost":
        print(json.dumps({{"error": "Binary URP bridge disposed during call", "lost": True}}), flush=True)
        sys.exit(5)
    if what == "error":
        print(json.dumps({{"error": "General Error: could not read the document"}}), flush=True)
        continue
    if what == "pdf":
        open(target, "wb").write(b"%PDF-1.4 stand-in")
    print(json.dumps({{"ok": target}}), flush=True)
"""


def program(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stream:  # a zombie is dead for our purposes
        return stream.read().rsplit(")", 1)[1].split()[0] != "Z"


class Fakes:
    """Stand-in soffice and worker programs, and what they did."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch):
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.soffice(f"echo $$ >> {folder / 'soffice-pids'}\nexec sleep 300\n")
        self.worker()

    def soffice(self, script: str) -> None:
        self.monkeypatch.setenv("CTI_SOFFICE", str(program(self.folder / "soffice", "#!/bin/sh\n" + script)))

    def worker(self, steps: str = "", conversions: str = "", start_delay: float = 0.0, convert_seconds: float = 0.0) -> None:
        (self.folder / "steps").write_text(steps)
        (self.folder / "conversions").write_text(conversions)
        text = f"#!{sys.executable}\n" + FAKE_WORKER.format(folder=str(self.folder), start_delay=start_delay, convert_seconds=convert_seconds)
        self.monkeypatch.setenv("CTI_UNO_PYTHON", str(program(self.folder / "worker", text)))

    def log(self) -> list[str]:
        path = self.folder / "log"
        return path.read_text().splitlines() if path.exists() else []

    def soffice_pids(self) -> list[int]:
        path = self.folder / "soffice-pids"
        return [int(line) for line in path.read_text().split()] if path.exists() else []

    def documents(self, *sizes: int) -> list[tuple[Path, Path]]:
        pairs = []
        for number, size in enumerate(sizes, start=1):
            source = self.folder / f"{number:02d}-document.docx"
            source.write_bytes(b"x" * size)
            pairs.append((source, self.folder / f"{number:02d}-document.pdf"))
        return pairs


@pytest.fixture
def fakes(tmp_path, monkeypatch) -> Fakes:
    monkeypatch.setenv("CTI_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "fakes"
    folder.mkdir()
    return Fakes(folder, monkeypatch)


def test_missing_libreoffice_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.delenv("CTI_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError) as caught:
        find_soffice()
    message = caught.value.format_message()
    assert message.startswith("LibreOffice (soffice) is not installed: run 'make pack' as root to install it, or: sudo apt-get install")
    assert "\n" not in message


def test_configured_soffice_that_does_not_exist_is_named(monkeypatch):
    monkeypatch.setenv("CTI_SOFFICE", "/nowhere/soffice")
    with pytest.raises(ConversionError, match="CTI_SOFFICE is set to '/nowhere/soffice'"):
        find_soffice()


def test_nothing_to_convert_starts_no_libreoffice(fakes):
    with Converter(jobs=2) as office:
        pass
    assert office.starts == 0
    assert fakes.soffice_pids() == [] and fakes.log() == []


def test_a_lone_document_starts_one_libreoffice_even_with_two_jobs(fakes):
    [(source, target)] = fakes.documents(10)
    with Converter(jobs=2) as office:
        assert office.convert_all([(source, target)]) == [target]
    assert office.starts == 1 and office.conversions == 1
    assert len(fakes.soffice_pids()) == 1
    assert not any(alive(pid) for pid in fakes.soffice_pids())


def test_a_pack_of_documents_starts_one_libreoffice_even_with_two_jobs(fakes):
    fakes.worker(start_delay=0.3)  # every document is waiting while it starts
    pairs = fakes.documents(*[10] * DOCUMENTS_PER_START)
    with Converter(jobs=2) as office:
        assert office.convert_all(pairs) == [target for _, target in pairs]
    assert office.starts == 1 and len(fakes.soffice_pids()) == 1


def test_a_second_libreoffice_starts_once_more_documents_wait_than_one_converts_meanwhile(fakes):
    fakes.worker(start_delay=0.3)
    pairs = fakes.documents(*[10] * (DOCUMENTS_PER_START + 1))
    with Converter(jobs=2) as office:
        assert office.convert_all(pairs) == [target for _, target in pairs]
    assert office.starts == 2 and len(fakes.soffice_pids()) == 2


def test_two_jobs_share_the_documents_between_two_libreoffices(fakes):
    fakes.worker(convert_seconds=0.2)
    pairs = fakes.documents(10, 20, 30, 40, 50, 60)
    with Converter(jobs=2) as office:
        office.start()
        while len([line for line in fakes.log() if line.startswith("start")]) < 2:
            time.sleep(0.01)
        started = time.monotonic()
        assert office.convert_all(pairs) == [target for _, target in pairs]
        elapsed = time.monotonic() - started
    workers = {line.split()[1] for line in fakes.log() if line.startswith("convert")}
    assert len(workers) == 2 and office.starts == 2
    assert elapsed < 6 * 0.2  # one LibreOffice alone would need 1.2 s
    assert all(target.read_bytes() == b"%PDF-1.4 stand-in" for _, target in pairs)


def test_largest_documents_are_converted_first(fakes):
    fakes.worker(start_delay=0.3)  # every document is waiting when LibreOffice is ready
    pairs = fakes.documents(10, 300, 20, 200)
    with Converter(jobs=1) as office:
        office.convert_all(pairs)
    order = [line.split()[2] for line in fakes.log() if line.startswith("convert")]
    assert order == ["02-document.docx", "04-document.docx", "03-document.docx", "01-document.docx"]


def test_lower_priority_is_converted_first_then_in_the_order_submitted(fakes):
    fakes.worker(start_delay=0.3)
    pairs = fakes.documents(10, 10, 10, 10)
    with Converter(jobs=1) as office:
        futures = [office.submit(source, target, priority) for (source, target), priority in zip(pairs, [(1, 5), (0,), (1, 5), (1, 2)])]
        [future.result() for future in futures]
    order = [line.split()[2] for line in fakes.log() if line.startswith("convert")]
    assert order == ["02-document.docx", "04-document.docx", "01-document.docx", "03-document.docx"]


def test_libreoffice_that_never_starts_is_stopped_after_the_timeout(fakes):
    fakes.worker(start_delay=300)
    started = time.monotonic()
    with pytest.raises(ConversionError) as caught:
        with Converter(jobs=1, timeout=2) as office:
            office.convert_all(fakes.documents(10))
    assert caught.value.format_message() == "LibreOffice did not start within 2 s and was stopped (try again, or raise the limit with --timeout)"
    assert time.monotonic() - started < 10
    assert len(fakes.soffice_pids()) == 1  # a hang is not retried: it would cost the time limit again
    assert not any(alive(pid) for pid in fakes.soffice_pids())


def test_libreoffice_that_dies_while_starting_is_reported_at_once_after_one_retry(fakes):
    fakes.soffice(f"echo $$ >> {fakes.folder / 'soffice-pids'}\necho 'crashed at start' >&2\nexit 1\n")
    fakes.worker(start_delay=300)
    started = time.monotonic()
    with pytest.raises(ConversionError) as caught:
        with Converter(jobs=1, timeout=60) as office:
            office.convert_all(fakes.documents(10))
    assert caught.value.format_message() == "LibreOffice stopped unexpectedly while starting (exit status 1) (LibreOffice said: crashed at start)"
    assert time.monotonic() - started < 5
    assert len(fakes.soffice_pids()) == 2


def test_libreoffice_that_cannot_be_reached_is_replaced_once(fakes):
    fakes.worker(steps="unreachable\nready\n")
    with Converter(jobs=1) as office:
        [pdf] = office.convert_all(fakes.documents(10))
    assert pdf.read_bytes() == b"%PDF-1.4 stand-in"
    assert office.starts == 1 and len(fakes.soffice_pids()) == 2
    assert not any(alive(pid) for pid in fakes.soffice_pids())


def test_libreoffice_that_cannot_be_reached_twice_is_an_error(fakes):
    fakes.worker(steps="unreachable\nunreachable\n")
    with pytest.raises(ConversionError) as caught:
        with Converter(jobs=1) as office:
            office.convert_all(fakes.documents(10))
    assert caught.value.format_message() == "LibreOffice did not start: could not reach LibreOffice: Connector : couldn't connect to pipe"


def test_a_crash_while_converting_is_retried_once_with_a_fresh_libreoffice(fakes):
    fakes.worker(conversions="pdf\nlost\n")
    pairs = fakes.documents(30, 20, 10)
    with Converter(jobs=1) as office:
        assert office.convert_all(pairs) == [target for _, target in pairs]
    assert office.starts == 2 and office.conversions == 3
    converted = [line.split()[2:] for line in fakes.log() if line.startswith("convert")]
    assert converted == [["01-document.docx", "pdf"], ["02-document.docx", "lost"], ["02-document.docx", "pdf"], ["03-document.docx", "pdf"]]


def test_a_document_that_crashes_libreoffice_twice_is_an_error(fakes):
    fakes.worker(conversions="lost\nlost\n")
    with pytest.raises(ConversionError) as caught:
        with Converter(jobs=1) as office:
            office.convert_all(fakes.documents(10))
    assert caught.value.format_message() == (
        "LibreOffice stopped unexpectedly while converting 01-document.docx: Binary URP bridge disposed during call; it failed again with a fresh LibreOffice"
    )


def test_conversion_that_hangs_is_stopped_and_named(fakes):
    fakes.worker(conversions="hang\n")
    source = fakes.folder / "03-meeting-brief-01-justice.docx"
    source.write_bytes(b"x")
    with pytest.raises(ConversionError) as caught:
        with Converter(jobs=1, timeout=2) as office:
            office.convert_all([(source, fakes.folder / "out.pdf")])
    assert caught.value.format_message() == (
        "LibreOffice did not finish converting 03-meeting-brief-01-justice.docx within 2 s and was stopped "
        "(a document may be too large, or LibreOffice hung; try again, or raise the limit with --timeout)"
    )
    assert not any(alive(pid) for pid in fakes.soffice_pids())


def test_one_unreadable_document_fails_alone(fakes):
    fakes.worker(conversions="pdf\nerror\n")
    pairs = fakes.documents(30, 20, 10)
    with Converter(jobs=1) as office:
        futures = [office.submit(source, target) for source, target in pairs]
        with pytest.raises(ConversionError) as caught:
            futures[1].result()
        assert futures[0].result() == pairs[0][1] and futures[2].result() == pairs[2][1]
    assert caught.value.format_message() == "LibreOffice could not convert 02-document.docx: General Error: could not read the document"
    assert office.starts == 1  # a document LibreOffice cannot read does not cost a restart


def test_conversion_reported_done_without_a_pdf_is_an_error(fakes):
    fakes.worker(conversions="no-pdf\n")
    with pytest.raises(ConversionError, match="^LibreOffice reported 01-document.docx converted, but wrote no PDF at "):
        with Converter(jobs=1) as office:
            office.convert_all(fakes.documents(10))


def test_missing_uno_bridge_says_how_to_install_it(fakes):
    fakes.worker(steps="no-uno\n")
    with pytest.raises(ConversionError, match=r"^LibreOffice's Python bridge \(UNO\) is missing: run 'make pack'"):
        with Converter(jobs=1) as office:
            office.convert_all(fakes.documents(10))


def test_abort_kills_libreoffice_at_once_and_fails_what_waits(fakes):
    fakes.worker(conversions="hang\n")
    pairs = fakes.documents(20, 10)
    office = Converter(jobs=1, timeout=60)
    futures = [office.submit(source, target) for source, target in pairs]
    while not any(line.startswith("convert") for line in fakes.log()):
        time.sleep(0.02)
    started = time.monotonic()
    office.abort()
    assert time.monotonic() - started < 5
    for future in futures:
        with pytest.raises(ConversionError, match="stopped"):
            future.result(timeout=5)
    assert not any(alive(pid) for pid in fakes.soffice_pids())
    assert not list((fakes.folder.parent / "cache").glob("libreoffice-scratch-*"))


def test_finish_lets_libreoffice_quit_once_the_waiting_documents_are_converted(fakes):
    fakes.worker(convert_seconds=0.2)
    pairs = fakes.documents(10, 20)
    office = Converter(jobs=1, timeout=60)
    futures = [office.submit(source, target) for source, target in pairs]
    office.finish()  # returns at once: the documents already waiting are still converted
    assert [future.result(timeout=30) for future in futures] == [target for _, target in pairs]
    late = office.submit(*fakes.documents(30)[0])
    with pytest.raises(ConversionError, match="the conversion was stopped"):
        late.result(timeout=5)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in fakes.soffice_pids()) and time.monotonic() < deadline:
        time.sleep(0.02)  # LibreOffice quits without anyone waiting for it
    assert not any(alive(pid) for pid in fakes.soffice_pids())
    office.close()
    assert office.starts == 1 and office.conversions == 2


def test_libreoffice_started_ahead_of_need_and_given_nothing_is_stopped_without_waiting_for_its_start(fakes):
    fakes.worker(start_delay=5)
    office = Converter(jobs=2, timeout=60)
    office.start()
    while len(fakes.soffice_pids()) < 2:
        time.sleep(0.01)
    started = time.monotonic()
    office.close()
    assert time.monotonic() - started < 3  # not the 5 s its start takes
    assert office.conversions == 0 and not any(alive(pid) for pid in fakes.soffice_pids())
