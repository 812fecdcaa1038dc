"""A wall-clock timeline of one `cti-briefings` run: when each stage ran, on which thread, for how long.

Runs the command line in this process with the pipeline's stage functions wrapped, then prints
(on standard error) each call's start, end and duration in seconds from the start, with its
thread, and the processor time each stage took on its thread; the build's own -v log lines
carry the same clock. Use it to find what stands between LibreOffice and the pack:

    python bench/timeline.py --root build/bench/one -v build example --jobs 1

A profiling aid, not a test: the wrappers cost a little time of their own.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import importlib.util
import logging
import sys
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

START = time.perf_counter()
EVENTS: list[tuple[float, float, str, str]] = []
PROCESSOR: dict[str, float] = {}


def wrap(owner: Any, name: str, describe: Any = None) -> None:
    """Record every call of owner.name (a module's function or a class's method)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        began, processor = time.perf_counter(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            PROCESSOR[name] = PROCESSOR.get(name, 0.0) + time.thread_time() - processor
            try:
                detail = describe(*args, **kwargs) if describe else ""
            except Exception as exc:  # a description is a convenience; say why it is missing
                detail = f"({exc.__class__.__name__})"
            EVENTS.append((began - START, time.perf_counter() - START, threading.current_thread().name, f"{name} {detail}".strip()))

    setattr(owner, name, timed)


class _WrapOnImport(importlib.abc.MetaPathFinder):
    """Wraps a module's functions once it is imported, so that the run imports what it imports when it does."""

    def __init__(self, wrappers: dict[str, Callable[[ModuleType], None]]):
        self.wrappers = wrappers

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.wrappers:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader: Any = spec.loader
        load = loader.exec_module
        wrapper = self.wrappers.pop(name)

        def exec_module(module: ModuleType) -> None:
            load(module)
            wrapper(module)

        loader.exec_module = exec_module
        return spec


class _Clock(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{time.perf_counter() - START:7.3f} [{(record.threadName or '')[:14]:>14}] {record.getMessage()}"


def report() -> None:
    for began, ended, thread, what in sorted(EVENTS):
        print(f"{began:7.3f} {ended:7.3f} {ended - began:6.3f} [{thread[:14]:>14}] {what}", file=sys.stderr)
    print("processor time on the calling thread:", file=sys.stderr)
    for name, seconds in sorted(PROCESSOR.items(), key=lambda item: -item[1]):
        print(f"  {seconds:6.3f} {name}", file=sys.stderr)
    print(f"total {time.perf_counter() - START:.3f} s", file=sys.stderr)


def main() -> None:
    # Imported here, not at the top: the rendering processes' fork server runs this file again.
    from cti_briefings import cli
    from cti_briefings.office import instance

    stem = lambda document, *rest: document.stem  # noqa: E731

    def build_module(build: ModuleType) -> None:
        wrap(build, "load_reference")
        wrap(build, "load_countries")
        wrap(build, "plan_documents")
        wrap(build, "_first_version", stem)
        wrap(build, "_render", stem)
        wrap(build, "_early_cover")
        wrap(build, "_check_and_fit")
        wrap(build, "check_pages", lambda country, documents: documents[0][2].name)
        wrap(build, "_ready_for_pack", lambda pdf, as_of: pdf.name)

    def assemble_module(assemble: ModuleType) -> None:
        wrap(assemble, "assemble_pack")
        wrap(assemble, "stamp_pages")
        wrap(assemble, "check_marking")

    # The rest of the package is wrapped as the run imports it (importing it here would delay LibreOffice).
    sys.meta_path.insert(0, _WrapOnImport({"cti_briefings.build": build_module, "cti_briefings.assemble": assemble_module}))
    wrap(instance.OfficeInstance, "start")
    wrap(instance.OfficeInstance, "convert", lambda office, source, target: source.name)

    setup = cli._setup_logging

    def with_clock(verbose: bool) -> None:
        setup(verbose)
        logger = logging.getLogger("cti_briefings")
        for handler in logger.handlers:
            handler.setFormatter(_Clock())
        if verbose:
            logger.setLevel(logging.DEBUG)

    cli._setup_logging = with_clock
    atexit.register(report)
    sys.argv = ["cti-briefings", *sys.argv[1:]]
    cli.cli()


if __name__ == "__main__":
    main()
