"""Stage 3: turn .docx files into PDF with headless LibreOffice, on one or more processes.

The interface the rest of the build uses:

    with Converter(jobs=2, timeout=120) as office:
        office.start()                              # optional: begin starting LibreOffice now
        pdfs = office.convert_all([(docx, pdf), ...])   # in order; raises ConversionError
        future = office.submit(docx, pdf, priority=(0,))  # or one at a time, without waiting

- LibreOffice starts lazily: nothing runs until the first conversion (or `start()`), so a build
  whose PDFs all come from elsewhere starts no LibreOffice. `starts` and `conversions` count
  what was done.
- Up to `jobs` LibreOffice processes (default: the number of cores), each with a profile slot
  of its own (profiles.py), but no more than one per DOCUMENTS_PER_START documents waiting: a
  lone cover, an edited brief and its cover, or one pack, are converted on one. Each document goes to whichever LibreOffice is free, lowest `priority`
  first, then in the order submitted; `convert_all` sends the largest documents first, so two
  processes finish a batch together.
- A LibreOffice that fails for a transient reason (it crashed, or could not be reached) is
  replaced by a fresh one and the document tried once more; a start that fails so is tried once
  more too. A document LibreOffice cannot read, or one that takes longer than `timeout`, is an
  error for that document only (a hung LibreOffice is killed and the next document gets a new
  one).
- Leaving the `with` block normally lets LibreOffice quit; leaving it with an exception (or
  calling `abort()`) kills LibreOffice and its worker at once and fails whatever was waiting.
  Either way no process, pipe or temporary file is left behind.
"""

from __future__ import annotations

import concurrent.futures
import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ..errors import ConversionError, OfficeUnavailable
from .instance import OfficeFailure, OfficeInstance
from .profiles import ProfileSlot, profile_slot

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 120.0
JOIN_SECONDS = 30.0
DOCUMENTS_PER_START = 12
"""Documents waiting for each LibreOffice started on demand. A start takes a core for about as
long as a dozen conversions, time the rendering and the LibreOffice already running need more:
a second one pays only when more documents wait than the first would convert meanwhile (many
countries), not for one pack, nor an edited brief and its cover."""


def default_jobs() -> int:
    """The number of LibreOffice processes to use when none is asked for: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(order=True)
class _Job:
    priority: tuple[float, ...]
    sequence: int
    source: Path = field(compare=False)
    target: Path = field(compare=False)
    future: Future[Path] = field(compare=False)
    attempts: int = field(default=0, compare=False)
    running: bool = field(default=False, compare=False)
    """Its future is marked running (it can no longer be cancelled, only failed)."""


class Converter:
    """LibreOffice processes converting .docx to PDF on demand; see the module's docstring."""

    def __init__(self, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT):
        self.jobs = max(1, jobs or default_jobs())
        self.timeout = timeout
        self.starts = 0
        """LibreOffice processes started so far (restarts included)."""
        self.conversions = 0
        """Documents converted so far."""
        self.documents_per_start = DOCUMENTS_PER_START
        """Documents waiting for each LibreOffice started on demand (1: one per document, when
        several countries keep every LibreOffice busy from the start)."""
        self._state = threading.Condition()
        self._waiting: list[_Job] = []
        self._sequence = itertools.count()
        self._batches = itertools.count()
        self._lanes: list[threading.Thread] = []
        self._lanes_alive = 0
        self._capacity = self.jobs
        self._busy = 0
        self._instances: set[OfficeInstance] = set()
        self._closing = False
        self._aborted = False
        self._unavailable: ConversionError | None = None

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def start(self, count: int | None = None) -> None:
        """Begin starting `count` LibreOffice processes (default: `jobs`) in the background; return at once."""
        with self._state:
            self._add_lanes(min(self._capacity, count or self.jobs))

    def submit(self, source: Path, target: Path, priority: tuple[float, ...] = ()) -> Future[Path]:
        """Queue one conversion; the future gives `target`, or raises ConversionError."""
        future: Future[Path] = Future()
        with self._state:
            if self._unavailable is not None or self._aborted or self._closing:
                future.set_exception(self._unavailable or ConversionError("the conversion was stopped"))
                return future
            heapq.heappush(self._waiting, _Job(priority, next(self._sequence), source, target, future))
            self._add_lanes(min(self._capacity, -(-(len(self._waiting) + self._busy) // self.documents_per_start)))
            self._state.notify()
        return future

    def convert_all(self, pairs: Iterable[tuple[Path, Path]]) -> list[Path]:
        """Convert each (.docx, .pdf) pair, largest first; return the PDFs in the order given."""
        batch = next(self._batches)
        futures = [self.submit(source, target, (batch, -_size(source))) for source, target in pairs]
        return wait_for(futures)

    def finish(self) -> None:
        """Let every LibreOffice quit once the conversions waiting are done, without waiting for it; nothing more may be submitted."""
        with self._state:
            self._closing = True
            self._state.notify_all()

    def close(self) -> None:
        """Let the conversions waiting finish, then let every LibreOffice quit."""
        with self._state:
            unused = self.conversions == 0 and not self._waiting and self._busy == 0
        if unused:
            # Started ahead of need (`start()`), and every document came from elsewhere: nothing is
            # lost by stopping it at once rather than waiting for it to finish starting.
            self.abort()
            return
        self.finish()
        try:
            self._join_lanes()
        except BaseException:  # a signal while LibreOffice quits: stop it the hard way
            self.abort()
            raise

    def abort(self) -> None:
        """Kill every LibreOffice now and fail every conversion not yet done."""
        with self._state:
            self._aborted = True
            waiting, self._waiting = self._waiting, []
            instances = list(self._instances)
            self._state.notify_all()
        for job in waiting:
            _fail(job, ConversionError("the conversion was stopped"))
        for instance in instances:
            instance.kill()
        self._join_lanes()

    # --- lanes: one thread per LibreOffice process ---------------------------------------------

    def _add_lanes(self, wanted: int) -> None:
        while self._lanes_alive < wanted and not self._aborted:
            lane = threading.Thread(target=self._run_lane, name=f"libreoffice-{len(self._lanes) + 1}", daemon=True)
            self._lanes.append(lane)
            self._lanes_alive += 1
            lane.start()

    def _run_lane(self) -> None:
        try:
            with profile_slot() as slot:
                self._convert_in_lane(slot)
        except ConversionError as error:
            self._lane_failed(error)
        except BaseException as error:  # a fault here must fail the waiting builds, not hang them
            log.error("LibreOffice lane failed: %s: %s", error.__class__.__name__, error)
            self._lane_failed(ConversionError(f"the conversion failed unexpectedly ({error.__class__.__name__}: {error})"))
        else:
            with self._state:
                self._lanes_alive -= 1

    def _convert_in_lane(self, slot: ProfileSlot) -> None:
        instance: OfficeInstance | None = self._start_instance(slot)
        try:
            while True:
                job = self._next_job()
                if job is None:
                    return
                try:
                    if instance is None:
                        instance = self._start_instance(slot)
                    began = time.monotonic()
                    instance.convert(job.source, job.target)
                except OfficeFailure as failure:
                    # A document LibreOffice cannot read leaves it working; a crash or a hang does not.
                    if instance is not None and (failure.transient or not instance.usable()):
                        self._forget(instance)
                        instance = None
                    self._retry_or_fail(job, failure)
                except OfficeUnavailable:
                    self._put_back(job)  # another lane may still convert it; if none is left, it fails
                    raise
                else:
                    log.debug("converted %s in %.2f s", job.source.name, time.monotonic() - began)
                    job.future.set_result(job.target)
                    with self._state:
                        self.conversions += 1
                finally:
                    with self._state:
                        self._busy -= 1
        finally:
            if instance is not None:
                self._forget(instance, politely=not self._aborted)

    def _next_job(self) -> _Job | None:
        with self._state:
            while True:
                if self._aborted:
                    return None
                if self._waiting:
                    job = heapq.heappop(self._waiting)
                    if job.running or job.future.set_running_or_notify_cancel():
                        job.running = True
                        self._busy += 1
                        return job
                    continue
                if self._closing:
                    return None
                self._state.wait()

    def _start_instance(self, slot: ProfileSlot) -> OfficeInstance:
        """Start a LibreOffice in this lane's slot, once more if the first fails transiently."""
        for attempt in (1, 2):
            instance = OfficeInstance(slot, self.timeout)
            began = time.monotonic()
            with self._state:
                if self._aborted:
                    raise ConversionError("the conversion was stopped")
                self._instances.add(instance)
            try:
                instance.start()
            except OfficeFailure as failure:
                self._forget(instance)
                if failure.transient and attempt == 1 and not self._aborted:
                    log.info("%s; trying a fresh LibreOffice", failure.message)
                    continue
                raise OfficeUnavailable(failure.message) from None
            except ConversionError as error:  # LibreOffice or its Python bridge is missing
                self._forget(instance)
                raise OfficeUnavailable(error.message) from None
            with self._state:
                self.starts += 1
            log.debug("LibreOffice ready in %.2f s", time.monotonic() - began)
            return instance
        raise AssertionError("unreachable")

    def _retry_or_fail(self, job: _Job, failure: OfficeFailure) -> None:
        with self._state:
            if failure.transient and job.attempts == 0 and not self._aborted:
                log.info("%s; trying %s again with a fresh LibreOffice", failure.message, job.source.name)
                job.attempts += 1
                heapq.heappush(self._waiting, job)
                self._state.notify()
                return
        if self._aborted:
            message = "the conversion was stopped"
        elif job.attempts:
            message = f"{failure.message}; it failed again with a fresh LibreOffice"
        else:
            message = failure.message
        job.future.set_exception(ConversionError(message))

    def _put_back(self, job: _Job) -> None:
        with self._state:
            heapq.heappush(self._waiting, job)
            self._state.notify()

    def _forget(self, instance: OfficeInstance, politely: bool = False) -> None:
        if politely:
            instance.stop()
        else:
            instance.kill()
        with self._state:
            self._instances.discard(instance)

    def _lane_failed(self, error: ConversionError) -> None:
        """A lane whose LibreOffice cannot start takes no more work; the last one fails it all."""
        with self._state:
            self._lanes_alive -= 1
            self._capacity = max(1, self._lanes_alive)
            if self._lanes_alive > 0:
                return
            self._unavailable = error
            waiting, self._waiting = self._waiting, []
        for job in waiting:
            _fail(job, error)

    def _join_lanes(self) -> None:
        for lane in self._lanes:
            if lane is not threading.current_thread():
                lane.join(JOIN_SECONDS)


def wait_for(futures: list[Future[Path]]) -> list[Path]:
    """Return every future's result in order; on the first failure cancel the rest and raise it.

    Conversions already running are waited for (each is bounded by the time limit), so nothing
    writes into the caller's folder after this returns; a signal does not wait: `abort()` kills.
    """
    try:
        return [future.result() for future in futures]
    except Exception:
        settle(futures)
        raise


def settle(futures: list[Future[Path]]) -> None:
    """Cancel the conversions that have not begun and wait for those running to end."""
    for future in futures:
        future.cancel()
    concurrent.futures.wait(futures)


def _fail(job: _Job, error: ConversionError) -> None:
    if not job.running and not job.future.set_running_or_notify_cancel():
        return  # the caller cancelled it
    job.future.set_exception(error)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
