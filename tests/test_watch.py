"""`cti-briefings watch`: a real process, real files, real LibreOffice; one rebuild per save."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.integration

REBUILT = re.compile(r"^\d\d:\d\d:\d\d (?P<what>.+): example-briefing-pack\.pdf, (?P<pages>\d+) pages, in [\d.]+ s \((?P<converted>\d+) converted, \d+ from the cache\)$")
NOT_REBUILT = re.compile(r"^\d\d:\d\d:\d\d (?P<what>.+): not rebuilt; the last good pack is unchanged \(save again once fixed\)$")


class Watcher:
    """`cti-briefings watch example` in a child process, its output read line by line."""

    def __init__(self, root: Path):
        environment = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cti_briefings", "watch", "example"],
            cwd=root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, timeout: float = 90) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"watch printed nothing within {timeout:g} s") from None

    def until(self, pattern: re.Pattern[str], timeout: float = 90) -> tuple[list[str], re.Match[str]]:
        """Return the lines before the first matching `pattern`, and its match."""
        before = []
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(max(0.1, deadline - time.monotonic()))
            match = pattern.match(line)
            if match:
                return before, match
            before.append(line)

    def quiet_for(self, seconds: float) -> list[str]:
        time.sleep(seconds)
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return lines


def test_watch_rebuilds_once_per_save_and_survives_broken_saves(project_root):
    country = project_root / "content" / "countries" / "example.yaml"
    template = project_root / "templates" / "en" / "meeting_brief.docx"
    original, template_bytes = country.read_text(encoding="utf-8"), template.read_bytes()
    watcher = Watcher(project_root)
    try:
        _, first = watcher.until(REBUILT)
        assert first["what"] == "built"
        assert watcher.next_line().startswith("watching ")

        country.write_text(original.replace("Geneva, March 2026.", "Geneva, May 2026."), encoding="utf-8")
        _, edited = watcher.until(REBUILT)
        assert edited["what"] == "example.yaml saved" and 1 <= int(edited["converted"]) <= 4  # the brief, the cover, and tighter trials of them
        assert watcher.quiet_for(2.5) == [], "one save rebuilt more than once"

        country.write_text(original.replace("meetings:", "meetings: [", 1), encoding="utf-8")
        problems, failed = watcher.until(NOT_REBUILT)
        assert failed["what"] == "example.yaml saved"
        assert problems and problems[0].startswith("error: content/countries/example.yaml:") and "YAML syntax error" in problems[0]

        country.write_text(original, encoding="utf-8")
        _, fixed = watcher.until(REBUILT)
        assert fixed["what"] == "example.yaml saved"

        template.write_bytes(template_bytes[: len(template_bytes) // 2])  # Word still writing
        problems, failed = watcher.until(NOT_REBUILT)
        assert failed["what"] == "meeting_brief.docx saved"
        assert problems == ["error: templates/en/meeting_brief.docx: is not a readable Word document (BadZipFile); save it from Word as 'Word Document (.docx)'"]

        template.write_bytes(template_bytes)
        _, restored = watcher.until(REBUILT)
        assert restored["what"] == "meeting_brief.docx saved" and int(restored["converted"]) == 0  # all back in the cache
    finally:
        watcher.process.send_signal(signal.SIGINT)
        try:
            watcher.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            watcher.process.kill()
            raise
    assert watcher.process.returncode == 0
    assert watcher.quiet_for(0.2)[-1:] == ["stopped watching"]
