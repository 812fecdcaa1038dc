"""Run one function in a forked child with a time limit and a memory limit.

Jinja's sandbox stops a template from reaching Python, not from looping: two nested loops over
`range(99999)` run for hours, and a loop that repeats a long value fills memory. Counting loop
iterations inside Jinja would need a hook it does not have, so rendering runs in a child process
with RLIMIT_AS and a wall-clock limit; the parent kills it when time is up.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
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


def run_bounded(function: Callable[..., bytes], *args: Any, seconds: float, memory: int) -> bytes:
    """Return function(*args) computed in a child limited to `seconds` and `memory` more bytes."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's clean-ups
        os.close(read_end)
        _child(function, args, memory, seconds, write_end)
    os.close(write_end)
    try:
        payload = _read_until(read_end, time.monotonic() + seconds)
    except BaseException:  # out of time, or the build is being stopped: the child goes too
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        _reap(pid)
    try:
        outcome = pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, ValueError):
        outcome = ("died", "", "")
    status, kind, value = outcome
    if status == "ok":
        return value
    if status == "memory":
        raise LimitExceeded("memory")
    if status == "error":
        raise ChildFailed(kind, value)
    raise ChildFailed("ChildDied", "the rendering process stopped unexpectedly")


def _child(function: Callable[..., bytes], args: tuple, memory: int, seconds: float, write_end: int) -> None:
    code = 0
    try:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)  # the parent alone cleans up after a stop
        _limit_memory(memory)
        # Should the parent die without killing it, the child still stops: the kernel ends it
        # (SIGXCPU, then SIGKILL) once it has used its processor time.
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            outcome: tuple = ("ok", "", function(*args))
        except MemoryError:
            outcome = ("memory", "", b"")
        except Exception as exc:  # sent to the parent, which turns it into a TemplateError
            outcome = ("error", exc.__class__.__name__, str(exc))
        try:
            data = pickle.dumps(outcome)
        except MemoryError:
            data = pickle.dumps(("memory", "", b""))
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view):]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


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


def _read_until(fd: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LimitExceeded("time")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> None:
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except ChildProcessError:
            return
        except InterruptedError:
            continue
