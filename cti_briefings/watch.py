"""Rebuild one country's pack each time its file, the reference data or a template is saved.

One LibreOffice is kept running between rebuilds and documents that did not change come from the
PDF cache, so a change to one brief is in the pack about a second after it is saved. A save that
cannot be built (YAML broken mid-edit, a template half written) is reported as `build` reports
it, and watching goes on until the next save.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import watchfiles

from .cache import CachedConverter, PdfCache, RenderMemo, conversion_identity, pdf_cache_dir
from .errors import BriefingError, ConversionError, display_path
from .manifest import EDITOR_DEBRIS
from .office import Converter
from .project import Project

log = logging.getLogger(__name__)

IDLE_MS = 500
QUIET_MS = 150  # editors write a file in several steps; a save ends when the folder is quiet this long
WATCHED_SUFFIXES = (".yaml", ".yml", ".docx")


def watched_paths(project: Project) -> list[Path]:
    """Return the folders whose changes can change a country's pack."""
    return [project.content_dir / "countries", project.content_dir / "reference", project.templates_dir]


def is_input_of(project: Project, slug: str) -> Callable[[watchfiles.Change, str], bool]:
    """Return a filter passing saves of the country's file, reference data and templates only."""
    countries = (project.content_dir / "countries").resolve()

    def accept(change: watchfiles.Change, path: str) -> bool:
        file = Path(path)
        if file.name.startswith(EDITOR_DEBRIS) or file.suffix not in WATCHED_SUFFIXES:
            return False
        return file.resolve().parent != countries or file.stem == slug

    return accept


def watch(project: Project, slug: str, report: Callable[[str], None], problem: Callable[[BriefingError], None], stop: threading.Event | None = None) -> None:
    """Build `slug`'s pack now and after every save of its inputs, until stopped (Ctrl-C or `stop`)."""
    from .build import build  # after LibreOffice has been started, so its start-up overlaps the import
    from .content import load_reference
    from .schema import Reference

    def start_office() -> Converter:
        office = Converter(timeout=project.timeout)
        office.start()  # its start-up overlaps the first build's rendering
        return office

    office = start_office()
    renders = RenderMemo(folder=pdf_cache_dir() if project.cache else None)  # documents whose values did not change are not rendered again
    reference_dir = (project.content_dir / "reference").resolve()
    reference: Reference | None = None  # loaded again only when one of its files is saved
    try:

        def rebuild(reason: str, saved: set[Path]) -> None:
            nonlocal office, reference
            started = time.perf_counter()
            stamp = time.strftime("%H:%M:%S")
            converter = CachedConverter(office, PdfCache(pdf_cache_dir(), conversion_identity(project.timeout)) if project.cache else None)
            converter.renders = renders
            if any(reference_dir in path.resolve().parents for path in saved):
                reference = None
            try:
                if reference is None:
                    reference = load_reference(project.content_dir)
                [result] = build(project, [slug], converter, reference=reference)
            except BriefingError as error:
                problem(error)
                report(f"{stamp} {reason}: not rebuilt; the last good pack is unchanged (save again once fixed)")
                if isinstance(error, ConversionError):  # LibreOffice may be gone: start a fresh one next time
                    office.abort()
                    office = start_office()
                return
            seconds = time.perf_counter() - started
            report(f"{stamp} {reason}: {result.pack.name}, {result.pages} pages, in {seconds:.2f} s ({len(converter.converted)} converted, {converter.reused} from the cache)")

        # The watcher is running once it has yielded its first (empty) batch; saves made from
        # then on, during the first build too, are all seen.
        saves = watchfiles.watch(*watched_paths(project), watch_filter=is_input_of(project, slug), debounce=1600, step=QUIET_MS,
                                 stop_event=stop, raise_interrupt=False, rust_timeout=IDLE_MS, yield_on_timeout=True)
        next(saves, None)
        rebuild("built", set())
        report(f"watching {', '.join(display_path(path) for path in watched_paths(project))} for changes to {slug} (Ctrl-C to stop)")
        for changes in saves:
            if changes:
                saved = {Path(path) for _, path in changes}
                rebuild(f"{', '.join(sorted(path.name for path in saved))} saved", saved)
    finally:
        office.close()
