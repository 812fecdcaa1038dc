"""Rebuild one country's pack each time its file, the reference data or a template is saved.

One LibreOffice is kept running between rebuilds and documents that did not change come from the
PDF cache, so a change to one brief is in the pack about a second after it is saved. A save that
cannot be built (YAML broken mid-edit, a template half written) is reported as `build` reports
it, and watching goes on until the next save.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import watchfiles

from .bounded import start_server
from .cache import CachedConverter, PdfCache, RenderMemo, conversion_identity, pdf_cache_dir
from .errors import BriefingError, ConversionError, display_path
from .manifest import EDITOR_DEBRIS
from .office import Converter
from .office.profiles import cache_dir
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


def warm_up(office: Converter, docx: Path) -> None:
    """Convert one document on each LibreOffice, thrown away, in the background.

    LibreOffice's first conversion is its slowest (it loads Writer's filters); a first build whose
    every PDF came from the cache would leave that to the first save.
    """
    folder = Path(tempfile.mkdtemp(prefix="warm-up-", dir=cache_dir()))
    warming = [office.submit(docx.resolve(), folder / f"warm-up-{lane}.pdf") for lane in range(office.jobs)]

    def remove_when_done(done: Future[Path]) -> None:
        if not done.cancelled() and done.exception() is not None:
            log.debug("warming LibreOffice up failed: %s", done.exception())
        if all(future.done() for future in warming):
            shutil.rmtree(folder, ignore_errors=True)

    for future in warming:
        future.add_done_callback(remove_when_done)


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
    start_server()  # a first build whose renderings are all kept starts no rendering process
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
            if office.conversions == 0 and result.documents:
                warm_up(office, min((document.docx for document in result.documents), key=lambda docx: docx.stat().st_size))

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
