"""Run one function in a child process with a processor-time limit and a memory limit.

Jinja's sandbox stops a template from reaching Python, not from looping: two nested loops over
`range(99999)` run for hours, and a loop that repeats a long value fills memory. Counting loop
iterations inside Jinja would need a hook it does not have, so rendering runs in a child process
with RLIMIT_AS and RLIMIT_CPU; the parent kills it if it still has not answered well after.

The children are kept between calls (forking one for each document cost more than filling most
templates in): each call sets its child's limits afresh, to what the child holds now plus the
call's allowance, and a child that ran out of time or memory, died, or was stopped while working
is killed and never used again.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import resource
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


class LimitExceeded(Exception):
    """The child ran out of its time ('time') or memory ('memory')."""

    def __init__(self, which: str):
        super().__init__(which)
        self.which = which


class ChildFailed(Exception):
    """The function raised in the child; carries the exception's class name and message."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


WALL_CLOCK_FACTOR = 4

# Children come from a fork server started before any thread: forking the build itself, whose
# LibreOffice workers run in threads, could copy a lock another thread holds and hang the child.
# The command line is preloaded too: a child first runs the main script again (multiprocessing
# does so when it was started by path, as the `cti-briefings` script is), which imports it; a
# quarter of each rendering's processor time when not preloaded.
_PROCESSES = multiprocessing.get_context("forkserver")
_PROCESSES.set_forkserver_preload(["cti_briefings.render", "cti_briefings.cli"])


def start_server() -> None:
    """Start the fork server now, in the background, so that its imports overlap the caller's work."""
    multiprocessing.forkserver.ensure_running()


IDLE_CHILDREN_KEPT = 8
"""Children kept waiting for the next call (one per rendering thread is enough)."""
CHILD_PROCESSOR_SECONDS = 120
"""A child's processor time over all its calls; near it, the child leaves and a fresh one takes
over. The kernel kills a child past it (RLIMIT_CPU's hard limit), should the parent be gone."""


class _Child:
    """A process of the fork server that runs one call after another on its end of a pipe."""

    def __init__(self) -> None:
        self.connection, child_end = _PROCESSES.Pipe(duplex=True)
        self.process = _PROCESSES.Process(target=_serve, args=(child_end,), daemon=True)
        try:
            self.process.start()
        finally:
            child_end.close()

    def kill(self) -> None:
        self.connection.close()
        if self.process.pid is not None:
            self.process.kill()
            self.process.join()


_idle: list[_Child] = []
_idle_lock = threading.Lock()


def _take_child() -> _Child:
    with _idle_lock:
        while _idle:
            child = _idle.pop()
            if child.process.is_alive():
                return child
            child.kill()
    return _Child()


def _give_back(child: _Child) -> None:
    with _idle_lock:
        if len(_idle) < IDLE_CHILDREN_KEPT:
            _idle.append(child)
            return
    child.connection.close()  # it leaves when it reads the end of its pipe


def run_bounded(function: Callable[..., Any], *args: Any, seconds: float, memory: int) -> Any:
    """Return function(*args) computed in a child limited to `seconds` and `memory` more bytes."""
    request = pickle.dumps((function, args, memory, seconds))
    child = _take_child()
    kept = False
    try:
        try:
            child.connection.send_bytes(request)
        except OSError:  # it left while idle: a fresh one takes the call
            child.kill()
            child = _Child()
            child.connection.send_bytes(request)
        # The child's processor time is what is bounded (RLIMIT_CPU); on a busy machine its
        # wall-clock time runs longer, so the parent waits a few times the limit before giving up.
        if not child.connection.poll(seconds * WALL_CLOCK_FACTOR):
            raise LimitExceeded("time")
        try:
            payload = child.connection.recv_bytes()
        except (EOFError, OSError):
            payload = b""
        try:
            status, kind, value, leaving = pickle.loads(payload)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
            status, kind, value, leaving = "died", "", "", True
        kept = status in ("ok", "error") and not leaving
    finally:  # out of time, dead, or the build is being stopped: the child goes
        if kept:
            _give_back(child)
        else:
            child.kill()
    if status == "ok":
        return value
    if status == "memory":
        raise LimitExceeded("memory")
    if status == "time":
        raise LimitExceeded("time")
    if status == "error":
        raise ChildFailed(kind, value)
    raise ChildFailed("ChildDied", "the rendering process stopped unexpectedly")


def _serve(connection: Connection) -> None:
    """Answer calls until the parent closes the pipe, or until this child must not take more."""
    code = 0
    try:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)  # the parent alone cleans up after a stop
        signal.signal(signal.SIGXCPU, _out_of_time)  # a call's soft limit: report it, then leave
        # Should the parent die without killing it, the child still stops: the kernel ends it
        # (SIGXCPU, then SIGKILL) once it has used its processor time.
        hard_cpu = int(_processor_seconds()) + CHILD_PROCESSOR_SECONDS
        resource.setrlimit(resource.RLIMIT_CPU, (hard_cpu, hard_cpu))
        address_space = resource.getrlimit(resource.RLIMIT_AS)
        while True:
            try:
                function, args, memory, seconds = pickle.loads(connection.recv_bytes())
            except (EOFError, OSError):
                return
            outcome = _call(function, args, memory, seconds, hard_cpu)
            resource.setrlimit(resource.RLIMIT_CPU, (hard_cpu, hard_cpu))
            resource.setrlimit(resource.RLIMIT_AS, address_space)
            leaving = outcome[0] not in ("ok", "error") or _processor_seconds() + seconds + 2 > hard_cpu
            try:
                data = pickle.dumps((*outcome, leaving))
            except MemoryError:
                data = pickle.dumps(("memory", "", b"", True))
            connection.send_bytes(data)
            if leaving:
                return
    except BaseException:
        code = 1
    finally:
        connection.close()
        os._exit(code)


def _call(function: Callable[..., Any], args: tuple, memory: int, seconds: float, hard_cpu: int) -> tuple:
    """Run one call under its own limits: `seconds` more processor time, `memory` more bytes."""
    try:
        _limit_memory(memory)
        resource.setrlimit(resource.RLIMIT_CPU, (min(int(_processor_seconds() + seconds) + 1, hard_cpu), hard_cpu))
        global _calling
        _calling = True
        try:
            return ("ok", "", function(*args))
        finally:
            _calling = False
            resource.setrlimit(resource.RLIMIT_CPU, (hard_cpu, hard_cpu))
    except _OutOfTime:
        return ("time", "", b"")
    except MemoryError:
        return ("memory", "", b"")
    except Exception as exc:  # sent to the parent, which turns it into a TemplateError
        return ("error", exc.__class__.__name__, str(exc))


def _processor_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _OutOfTime(BaseException):
    """Raised in the child when its processor time runs out (not an Exception: nothing catches it)."""


_calling = False
"""Whether the child is inside a call: a SIGXCPU that arrives just after one is over is let go."""


def _out_of_time(number: int, frame: object) -> None:
    if _calling:
        raise _OutOfTime


def _limit_memory(extra: int) -> None:
    """Cap the child's address space at what it has now plus `extra` bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
