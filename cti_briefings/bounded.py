"""Run one function in a child process with a processor-time limit and a memory limit.

Jinja's sandbox stops a template from reaching Python, not from looping: two nested loops over
`range(99999)` run for hours, and a loop that repeats a long value fills memory. Counting loop
iterations inside Jinja would need a hook it does not have, so rendering runs in a child process
with RLIMIT_AS and RLIMIT_CPU; the parent kills it if it still has not answered well after.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import resource
import signal
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


def run_bounded(function: Callable[..., Any], *args: Any, seconds: float, memory: int) -> Any:
    """Return function(*args) computed in a child limited to `seconds` and `memory` more bytes."""
    receiver, sender = _PROCESSES.Pipe(duplex=False)
    child = _PROCESSES.Process(target=_child, args=(function, args, memory, seconds, sender), daemon=True)
    try:
        child.start()
        sender.close()
        # The child's processor time is what is bounded (RLIMIT_CPU); on a busy machine its
        # wall-clock time runs longer, so the parent waits a few times the limit before giving up.
        if not receiver.poll(seconds * WALL_CLOCK_FACTOR):
            raise LimitExceeded("time")
        try:
            payload = receiver.recv_bytes()
        except EOFError:
            payload = b""
    except BaseException:  # out of time, or the build is being stopped: the child goes too
        if child.pid is not None:
            child.kill()
        raise
    finally:
        receiver.close()
        if child.pid is not None:
            child.join()
    try:
        outcome = pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, ValueError):
        outcome = ("died", "", "")
    status, kind, value = outcome
    if status == "ok":
        return value
    if status == "memory":
        raise LimitExceeded("memory")
    if status == "time":
        raise LimitExceeded("time")
    if status == "error":
        raise ChildFailed(kind, value)
    raise ChildFailed("ChildDied", "the rendering process stopped unexpectedly")


def _child(function: Callable[..., Any], args: tuple, memory: int, seconds: float, sender: Connection) -> None:
    code = 0
    try:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)  # the parent alone cleans up after a stop
        _limit_memory(memory)
        # Should the parent die without killing it, the child still stops: the kernel ends it
        # (SIGXCPU, then SIGKILL) once it has used its processor time.
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        signal.signal(signal.SIGXCPU, _out_of_time)  # the soft limit: report it, then leave
        try:
            outcome: tuple = ("ok", "", function(*args))
        except _OutOfTime:
            outcome = ("time", "", b"")
        except MemoryError:
            outcome = ("memory", "", b"")
        except Exception as exc:  # sent to the parent, which turns it into a TemplateError
            outcome = ("error", exc.__class__.__name__, str(exc))
        try:
            data = pickle.dumps(outcome)
        except MemoryError:
            data = pickle.dumps(("memory", "", b""))
        sender.send_bytes(data)
    except BaseException:
        code = 1
    finally:
        sender.close()
        os._exit(code)


class _OutOfTime(BaseException):
    """Raised in the child when its processor time runs out (not an Exception: nothing catches it)."""


def _out_of_time(number: int, frame: object) -> None:
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
