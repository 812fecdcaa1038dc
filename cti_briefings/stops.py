"""Clean stops: SIGINT, SIGTERM and SIGHUP become an exception in the main thread.

By default SIGTERM and SIGHUP end Python on the spot, leaving LibreOffice running and writing
into a staging folder nobody will remove. Raised as `Stopped` instead, they unwind the build
like any failure: LibreOffice is killed, staging and scratch folders are removed and the last
pack stays as it was. `Stopped` derives from BaseException so that no `except Exception`
mistakes it for a failure of one document or one country.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(BaseException):
    """The build was asked to stop by a signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process a signal ended


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, raise Stopped on the first stop signal and ignore the ones after it."""

    def ignore(signum: int, frame: FrameType | None) -> None:
        pass  # cleaning up already; a second Ctrl-C must not interrupt the cleanup

    def stop(signum: int, frame: FrameType | None) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, ignore)
        raise Stopped(signum)

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals; a caller elsewhere keeps its own
        return
    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
