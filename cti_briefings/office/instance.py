"""One headless LibreOffice and the UNO worker that drives it, converting one document at a time.

LibreOffice and the worker run in process groups of their own (a Ctrl-C in the terminal reaches
the build, which then stops them in order) with a profile and a TMPDIR of their own (a slot,
see profiles.py). Everything that can happen to them arrives on one queue: the worker's
answers, the worker's exit and LibreOffice's exit. A LibreOffice that dies is therefore noticed
at once, whether it is starting or converting, and not only when a time limit runs out.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import ConversionError, display_path
from .profiles import ProfileSlot

log = logging.getLogger(__name__)

INSTALL_HINT = "run 'make pack' as root to install it, or: sudo apt-get install --no-install-recommends libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-crosextra-carlito"
WORKER = Path(__file__).with_name("worker.py")
STOP_SECONDS = 10.0
# LibreOffice's named pipes are sockets in /tmp (or /var/tmp) whatever TMPDIR says; a
# LibreOffice that is killed leaves them behind, so they are removed after a kill.
PIPE_FOLDERS = (Path("/tmp"), Path("/var/tmp"))


class OfficeFailure(Exception):
    """LibreOffice failed; `transient` when a fresh LibreOffice may well succeed."""

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.message = message
        self.transient = transient


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


class OfficeInstance:
    """One LibreOffice for as long as it works; after any failure, kill it and start another."""

    def __init__(self, slot: ProfileSlot, timeout: float):
        self.slot = slot
        self.timeout = timeout
        self.pipe = f"cti-briefings-{os.getpid()}-{secrets.token_hex(4)}"
        self._events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._worker_lines: collections.deque[str] = collections.deque(maxlen=5)
        self._office_log = slot.scratch / f"soffice-{self.pipe}.log"
        self._office: subprocess.Popen | None = None
        self._worker: subprocess.Popen | None = None
        self._killed = False
        self._spawning = threading.Lock()  # a kill from another thread must not miss a process being started

    def start(self) -> None:
        """Start LibreOffice and its worker and wait until they accept work, or raise."""
        soffice = find_soffice()
        python = find_uno_python(soffice)
        environment = {**os.environ, "TMPDIR": str(self.slot.scratch / "tmp")}
        command = [
            soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={self.slot.profile.as_uri()}", f"--accept=pipe,name={self.pipe};urp;",
        ]
        with self._spawning:
            if self._killed:
                raise OfficeFailure("LibreOffice was stopped before it started")
            with open(self._office_log, "w") as log_file:
                try:
                    self._office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True, env=environment)
                except OSError as exc:
                    raise ConversionError(f"cannot run {soffice}: {exc.strerror}: {INSTALL_HINT}") from None
            try:
                self._worker = subprocess.Popen(
                    [python, str(WORKER), self.pipe, str(self.timeout), str(self._office.pid)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env=environment,
                )
            except OSError as exc:
                _kill_group(self._office)
                raise ConversionError(f"cannot start {python} to drive LibreOffice: {exc.strerror}: {INSTALL_HINT}") from None
        for target in (self._read_answers, self._read_worker_errors, self._watch_office):
            threading.Thread(target=target, daemon=True).start()
        answer = self._await("LibreOffice did not start", "while starting", "(try again, or raise the limit with --timeout)")
        if answer.get("missing_uno"):
            raise ConversionError(f"LibreOffice's Python bridge (UNO) is missing: {INSTALL_HINT}")
        if "error" in answer:
            raise OfficeFailure(f"LibreOffice did not start: {answer['error']}{self.details()}", transient=bool(answer.get("lost")))

    def convert(self, source: Path, target: Path) -> None:
        """Convert one .docx to PDF; raise OfficeFailure unless the PDF is there, non-empty."""
        self._send({"convert": [str(source), str(target)]})
        answer = self._await(
            f"LibreOffice did not finish converting {source.name}", f"while converting {source.name}",
            "(a document may be too large, or LibreOffice hung; try again, or raise the limit with --timeout)",
        )
        if "error" in answer:
            if answer.get("lost"):
                raise OfficeFailure(f"LibreOffice stopped unexpectedly while converting {source.name}: {answer['error']}{self.details()}", transient=True)
            raise OfficeFailure(f"LibreOffice could not convert {source.name}: {answer['error']}{self.details()}")
        if not target.is_file() or target.stat().st_size == 0:
            raise OfficeFailure(f"LibreOffice reported {source.name} converted, but wrote no PDF at {display_path(target)}{self.details()}")

    def stop(self) -> None:
        """Ask LibreOffice to quit and wait for it; kill it if it does not go in time."""
        if self._worker is not None and self._worker.stdin is not None:
            try:
                self._send({"quit": True})
                self._worker.stdin.close()
            except (OfficeFailure, OSError):
                pass  # the worker is already gone; the waits below see to the rest
        deadline = time.monotonic() + STOP_SECONDS
        for process in (self._worker, self._office):
            if process is None:
                continue
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.info("LibreOffice did not quit within %g s; stopping it", STOP_SECONDS)
                self.kill()
                return

    def kill(self) -> None:
        """Kill LibreOffice and its worker at once, and remove the pipes LibreOffice leaves behind."""
        with self._spawning:
            self._killed = True
            processes = [process for process in (self._worker, self._office) if process is not None]
        for process in processes:
            _kill_group(process)
        if processes:
            for name in (self.pipe, _single_instance_pipe(self.slot.profile)):
                for folder in PIPE_FOLDERS:
                    (folder / f"OSL_PIPE_{os.getuid()}_{name}").unlink(missing_ok=True)

    def usable(self) -> bool:
        """Whether LibreOffice and its worker are still running and were not stopped."""
        processes = (self._office, self._worker)
        return not self._killed and all(process is not None and process.poll() is None for process in processes)

    def details(self) -> str:
        """What the worker and LibreOffice said last, for an error message."""
        lines = [line for line in self._worker_lines if line][-3:]
        try:
            lines += [line for line in self._office_log.read_text(errors="replace").splitlines() if line and "javaldx" not in line][-3:]
        except OSError:
            pass
        return f" (LibreOffice said: {' | '.join(lines)})" if lines else ""

    def _send(self, request: dict) -> None:
        try:
            assert self._worker is not None and self._worker.stdin is not None  # started with PIPE
            self._worker.stdin.write(json.dumps(request) + "\n")
            self._worker.stdin.flush()
        except (OSError, ValueError):
            raise OfficeFailure(f"LibreOffice stopped unexpectedly{self.details()}", transient=True) from None

    def _await(self, failure: str, during: str, advice: str) -> dict:
        try:
            kind, value = self._events.get(timeout=self.timeout)
        except queue.Empty:
            self.kill()
            raise OfficeFailure(f"{failure} within {self.timeout:g} s and was stopped {advice}") from None
        if kind == "answer":
            return value
        if kind == "office exited":
            raise OfficeFailure(f"LibreOffice stopped unexpectedly {during} ({_exit_status(value)}){self.details()}", transient=True)
        raise OfficeFailure(f"LibreOffice's worker stopped unexpectedly {during}{self.details()}", transient=True)

    def _read_answers(self) -> None:
        assert self._worker is not None and self._worker.stdout is not None  # started with PIPE
        for line in self._worker.stdout:
            try:
                self._events.put(("answer", json.loads(line)))
            except json.JSONDecodeError:
                self._worker_lines.append(line.strip())
        self._events.put(("worker exited", None))

    def _read_worker_errors(self) -> None:
        assert self._worker is not None and self._worker.stderr is not None  # started with PIPE
        for line in self._worker.stderr:
            self._worker_lines.append(line.strip())

    def _watch_office(self) -> None:
        assert self._office is not None
        status = self._office.wait()
        if not self._killed:
            self._events.put(("office exited", status))


def _single_instance_pipe(profile: Path) -> str:
    """The pipe LibreOffice opens for its profile: an MD5 of the profile's URL in UTF-16, as it writes it."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)  # sic: no zero padding


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        log.warning("process %d did not stop after SIGKILL", process.pid)


def _exit_status(status: int) -> str:
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"
