"""Conversion failures: missing, hanging or lying LibreOffice gives a clear error and no orphans.

These use small stand-in programs in place of soffice and of the UNO worker, because a hung or
lying LibreOffice cannot be produced on demand; the real conversion is tested end to end in
test_integration.py.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from cti_briefings.errors import ConversionError
from cti_briefings.office.converter import find_soffice, libreoffice
from cti_briefings.office.profiles import profile_slot


def program(path: Path, text: str) -> Path:
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stream:  # a zombie is dead for our purposes
        return stream.read().split()[2] != "Z"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CTI_CACHE_DIR", str(tmp_path / "cache"))


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


def test_libreoffice_that_never_starts_is_stopped_after_the_timeout(tmp_path, monkeypatch):
    pid_file = tmp_path / "soffice.pid"
    monkeypatch.setenv("CTI_SOFFICE", str(program(tmp_path / "soffice", f"echo $$ > {pid_file}\nexec sleep 300\n")))
    started = time.monotonic()
    with pytest.raises(ConversionError, match="did not start"):
        with libreoffice(timeout=2) as office:
            office.wait_until_ready()
    assert time.monotonic() - started < 30
    assert not alive(int(pid_file.read_text()))


def test_conversion_that_hangs_is_stopped_and_named(tmp_path, monkeypatch):
    pid_file = tmp_path / "soffice.pid"
    monkeypatch.setenv("CTI_SOFFICE", str(program(tmp_path / "soffice", f"echo $$ > {pid_file}\nexec sleep 300\n")))
    monkeypatch.setenv("CTI_UNO_PYTHON", str(program(tmp_path / "worker", 'echo \'{"ready": true}\'\nread request\nexec sleep 300\n')))
    source = tmp_path / "03-meeting-brief-01-justice.docx"
    source.write_bytes(b"x")
    with pytest.raises(ConversionError) as caught:
        with libreoffice(timeout=2) as office:
            office.wait_until_ready()
            office.convert_all([(source, tmp_path / "out.pdf")])
    assert "did not finish converting 03-meeting-brief-01-justice.docx within 2 s and was stopped" in caught.value.format_message()
    assert not alive(int(pid_file.read_text()))


def test_conversion_reported_done_without_a_pdf_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CTI_SOFFICE", str(program(tmp_path / "soffice", "exec sleep 300\n")))
    monkeypatch.setenv("CTI_UNO_PYTHON", str(program(tmp_path / "worker", 'echo \'{"ready": true}\'\nread request\necho \'{"ok": []}\'\nread quit\n')))
    source = tmp_path / "01-invitation.docx"
    source.write_bytes(b"x")
    with pytest.raises(ConversionError, match="reported 01-invitation.docx converted, but wrote no PDF"):
        with libreoffice(timeout=5) as office:
            office.wait_until_ready()
            office.convert_all([(source, tmp_path / "01-invitation.pdf")])


def test_missing_uno_bridge_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CTI_SOFFICE", str(program(tmp_path / "soffice", "exec sleep 300\n")))
    monkeypatch.setenv("CTI_UNO_PYTHON", str(program(tmp_path / "worker", 'echo \'{"error": "no UNO bridge", "missing_uno": true}\'\nexit 3\n')))
    with pytest.raises(ConversionError, match=r"Python bridge \(UNO\) is missing: run 'make pack'"):
        with libreoffice(timeout=5) as office:
            office.wait_until_ready()


def test_two_builds_at_once_never_share_a_profile():
    with profile_slot() as first, profile_slot() as second:
        assert first != second
    with profile_slot() as again:
        assert again == first  # the kept profile is reused once free
