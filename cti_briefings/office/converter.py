"""Stage 3: turn .docx files into PDF with one headless LibreOffice per build.

One LibreOffice process converts every document of a build (starting it costs about a second,
more than converting a document), driven over UNO by `worker.py`, so that the cover can be
converted after the other documents' page counts are known without starting LibreOffice twice.
LibreOffice runs with a profile of its own, kept between builds and locked so that two builds
never share one, and never the user's (an open LibreOffice would otherwise swallow the request).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConversionError, display_path
from .profiles import profile_slot

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = "run 'make pack' as root to install it, or: sudo apt-get install --no-install-recommends libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-crosextra-carlito"
WORKER = Path(__file__).with_name("worker.py")


def find_soffice() -> str:
    """Return the LibreOffice program to run, or raise with how to install it."""
    configured = os.environ.get("CTI_SOFFICE")
    if configured:
        program = shutil.which(configured)
        if program:
            return program
        raise ConversionError(f"CTI_SOFFICE is set to '{configured}', which is not a program (unset it to use the installed LibreOffice)")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(f"LibreOffice (soffice) is not installed: {INSTALL_HINT}")


def find_uno_python(soffice: str) -> str:
    """Return a Python that can `import uno`: LibreOffice's own if it ships one, else the system's."""
    configured = os.environ.get("CTI_UNO_PYTHON")
    if configured:
        return configured
    bundled = Path(os.path.realpath(soffice)).parent / "python"
    if bundled.is_file() and os.access(bundled, os.X_OK):
        return str(bundled)
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise ConversionError(f"no Python with LibreOffice's UNO bridge was found: {INSTALL_HINT}")


class Converter:
    """A running LibreOffice and the worker that drives it; use through `libreoffice()`."""

    def __init__(self, office: subprocess.Popen, worker: subprocess.Popen, office_log: Path, timeout: float):
        self._office = office
        self._worker = worker
        self._office_log = office_log
        self._timeout = timeout
        self._answers: queue.Queue = queue.Queue()
        self._worker_errors: list[str] = []
        self._ready = False
        threading.Thread(target=self._read_answers, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def wait_until_ready(self) -> None:
        """Block until LibreOffice accepts work, or raise."""
        if self._ready:
            return
        answer = self._answer("start", "LibreOffice did not start")
        if answer.get("missing_uno"):
            raise ConversionError(f"LibreOffice's Python bridge (UNO) is missing: {INSTALL_HINT}")
        if "error" in answer:
            raise ConversionError(f"LibreOffice did not start: {answer['error']}{self._details()}")
        self._ready = True

    def convert_all(self, pairs: list[tuple[Path, Path]]) -> list[Path]:
        """Convert each (.docx, .pdf) pair in order; raise unless every PDF is there, non-empty.

        All requests are sent at once so LibreOffice never waits on this process between
        documents; each answer still has its own time limit.
        """
        self.wait_until_ready()
        for source, target in pairs:
            self._send({"convert": [str(source), str(target)]})
        for source, target in pairs:
            answer = self._answer(source.name, f"LibreOffice did not finish converting {source.name}")
            if "error" in answer:
                raise ConversionError(f"LibreOffice could not convert {source.name}: {answer['error']}{self._details()}")
            if not target.is_file() or target.stat().st_size == 0:
                raise ConversionError(f"LibreOffice reported {source.name} converted, but wrote no PDF at {display_path(target)}{self._details()}")
        return [target for _, target in pairs]

    def close(self) -> None:
        """Ask LibreOffice to quit; kill it if it does not go in time."""
        try:
            self._send({"quit": True})
        except ConversionError:
            pass  # the worker is already gone
        for process in (self._worker, self._office):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _kill(process)

    def kill(self) -> None:
        for process in (self._worker, self._office):
            _kill(process)

    def _send(self, request: dict) -> None:
        try:
            assert self._worker.stdin is not None  # opened with PIPE
            self._worker.stdin.write(json.dumps(request) + "\n")
            self._worker.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise ConversionError(f"LibreOffice stopped unexpectedly{self._details()}") from None

    def _answer(self, what: str, failure: str) -> dict:
        try:
            answer = self._answers.get(timeout=self._timeout)
        except queue.Empty:
            self.kill()
            raise ConversionError(f"{failure} within {self._timeout:g} s and was stopped (a document may be too large, or LibreOffice hung; try again, or raise the limit with --timeout)") from None
        if answer is None:
            raise ConversionError(f"{failure}: LibreOffice stopped unexpectedly{self._details()}")
        return answer

    def _read_answers(self) -> None:
        assert self._worker.stdout is not None  # opened with PIPE
        for line in self._worker.stdout:
            try:
                self._answers.put(json.loads(line))
            except json.JSONDecodeError:
                self._worker_errors.append(line.strip())
        self._answers.put(None)

    def _read_errors(self) -> None:
        assert self._worker.stderr is not None  # opened with PIPE
        for line in self._worker.stderr:
            self._worker_errors.append(line.strip())

    def _details(self) -> str:
        lines = [line for line in self._worker_errors if line][-3:]
        try:
            lines += [line for line in self._office_log.read_text(errors="replace").splitlines() if line and "javaldx" not in line][-3:]
        except OSError:
            pass
        return f" (LibreOffice said: {' | '.join(lines)})" if lines else ""


@contextmanager
def libreoffice(timeout: float = DEFAULT_TIMEOUT) -> Iterator[Converter]:
    """Start one headless LibreOffice for a build and stop it afterwards, whatever happens."""
    soffice = find_soffice()
    python = find_uno_python(soffice)
    pipe = f"cti-briefings-{os.getpid()}-{secrets.token_hex(4)}"
    with profile_slot() as profile, tempfile.TemporaryDirectory(prefix="cti-briefings-office-") as scratch:
        office_log = Path(scratch) / "soffice.log"
        command = [
            soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;",
        ]
        with open(office_log, "w") as log_file:
            office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            worker = subprocess.Popen(
                [python, str(WORKER), pipe, str(timeout)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
            )
        except OSError as exc:
            _kill(office)
            raise ConversionError(f"cannot start {python} to drive LibreOffice: {exc.strerror}: {INSTALL_HINT}") from None
        converter = Converter(office, worker, office_log, timeout)
        try:
            yield converter
        except BaseException:
            converter.kill()
            raise
        else:
            converter.close()


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
