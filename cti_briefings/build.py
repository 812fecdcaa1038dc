"""The pipeline: validate content, render every document, convert them, assemble the pack.

    load (content.py) -> render (render.py) -> convert (office/) -> assemble (assemble.py)

Nothing is written before all content is valid; outputs are staged and replace the previous
build of a country only when the whole pack has been made (output.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import CachedConverter, PdfCache, RenderMemo, conversion_identity, from_cache, pdf_cache_dir, remembered
from .content import CountryFile, load_countries, load_reference
from .context import BriefValues, ContentsLine, PackValues, and_list, as_template_context, brief_values, cover_values, date_range, invitation_title, pack_values
from .errors import AssemblyError, BriefingError, BuildFailed, ConversionError, OfficeUnavailable, Problem, TemplateCheckError, TemplateError, display_path
from .estimate import FirstVersion, Version, first_version
from .layout import tighten
from .manifest import MANIFEST, DocumentRecord, PackRecord, fresh_pack, inputs_key, manifest_bytes, shared_inputs
from .office import Converter, settle, wait_for
from .office.converter import DOCUMENTS_PER_START
from .output import safe_join, staged_folder, write_atomically
from .pagerules import LENGTH_RULES, PageFacts, PageFinding, check_pages, page_facts
from .project import Project
from .render import PUBLISHER, render_document
from .reproducible import normalise_pdf
from .sanitize import read_template_bytes, sanitize_template
from .schema import Country, Reference
from .selection import resolve_slugs
from .timeline import build_date

if TYPE_CHECKING:
    from pypdf import PdfReader

    from .cases import Case, SkippedCase

# Imported where used: pypdf and reportlab (assemble, stamp) once the documents are handed to
# LibreOffice, the generated cases and the tag checks by `check` alone; the first document then
# reaches LibreOffice sooner.

__all__ = ["BuildResult", "build", "build_country", "check", "resolve_slugs"]

log = logging.getLogger(__name__)

BRIEFS_GROUP = "Meeting briefs"
COUNTRIES_PER_OFFICE = 2
"""Countries built at once for each LibreOffice process (see build)."""
RENDERS_FOR_ONE_PACK = 2
"""Documents rendered at once when a single pack is built (each in a process of its own)."""
# Documents sent to the Government: their own files carry no marking; the pack's copy says it is one.
SENT_KINDS = frozenset({"letter", "note_verbale"})
TEMPLATE_FILES = {
    "cover": "cover.docx",
    "letter": "invitation_letter.docx",
    "note_verbale": "note_verbale.docx",
    "programme": "visit_programme.docx",
    "brief": "meeting_brief.docx",
    "seminar": "seminar_programme.docx",
    "roadmap": "strategy_roadmap.docx",
}


@dataclass(frozen=True)
class PlannedDocument:
    kind: str
    stem: str
    """File name without extension, e.g. '03-meeting-brief-1-justice'."""
    title: str
    template: Path
    values: PackValues = field(repr=False)
    group: str | None = None
    shorter: Callable[[int], PackValues] | None = field(default=None, repr=False, compare=False)
    """The values of a version with that many reference lines fewer (briefs), to fit the pages."""


@dataclass(frozen=True)
class BuiltDocument:
    title: str
    docx: Path
    pdf: Path
    pages: int
    first_page: int


@dataclass(frozen=True)
class BuildResult:
    slug: str
    pack: Path
    pages: int
    documents: list[BuiltDocument]
    page_findings: list[PageFinding] = field(default_factory=list)
    """Page rules the documents break (logged as warnings)."""
    up_to_date: bool = False
    """True when the pack was left as an earlier build made it, its inputs being the same."""


@dataclass(frozen=True)
class CheckResult:
    countries: list[CountryFile]
    templates: int
    """How many templates had their tags checked."""
    cases: list[Case]
    """The generated cases every template was rendered against."""
    skipped: list[SkippedCase]


def check(project: Project, slugs: list[str], generated: bool = True) -> CheckResult:
    """Validate content, check every template's tags, render every document in memory for each
    country and each generated case; write nothing, convert nothing."""
    from .cases import Matrix, generate_cases
    from .template_check import check_templates

    reference = load_reference(project.content_dir)
    countries = load_countries(project.content_dir, slugs, reference)
    templates = check_templates(sorted(project.templates_dir.glob("*/*.docx")))
    matrix = generate_cases(project.content_dir, reference) if generated else Matrix([], [])
    as_of = build_date(project.as_of)
    failures: dict[Path, str] = {}
    for country_file in countries:
        _render_in_memory(country_file, reference, project, as_of, failures)
    for case in matrix.cases:
        _render_in_memory(case.country_file, reference, project, as_of, failures, every_brief=False)
    if failures:
        raise TemplateCheckError([Problem(display_path(template), None, "", message.removeprefix(f"{display_path(template)}: ")) for template, message in failures.items()])
    return CheckResult(countries, templates, matrix.cases, matrix.skipped)


def _render_in_memory(country_file: CountryFile, reference: Reference, project: Project, as_of: dt.date, failures: dict[Path, str], every_brief: bool = True) -> None:
    """Render a country's documents without writing them; keep the first failure of each template.

    Without `every_brief`, only the first two briefs and the first of each other kind of meeting
    are rendered: the other briefs of a generated case differ only in wording from content/.
    """
    shared = pack_values(country_file.country, reference, as_of)
    documents = plan_documents(country_file, reference, project, shared, as_of)
    placeholder_pages = [(document, 1, index + 2) for index, document in enumerate(documents)]
    if not every_brief:
        documents = sample_briefs(documents, country_file)
    for document in [*documents, plan_cover(country_file, project, shared, placeholder_pages)]:
        if document.template in failures:
            continue
        try:
            _render(document, country_file, as_of)
        except TemplateError as error:
            failures[document.template] = error.format_message()


def sample_briefs(documents: list[PlannedDocument], country_file: CountryFile) -> list[PlannedDocument]:
    """Keep the first two briefs and the first brief of each other kind of meeting."""
    briefs = [document for document in documents if document.kind == "brief"]
    dropped: set[int] = set()
    kinds_seen: set[str] = set()
    for number, (brief, meeting) in enumerate(zip(briefs, country_file.country.meetings)):
        if number >= 2 and meeting.kind in kinds_seen:
            dropped.add(id(brief))
        kinds_seen.add(meeting.kind)
    return [document for document in documents if id(document) not in dropped]


def build(project: Project, slugs: list[str], office: Converter | CachedConverter | None = None, on_built: Callable[[BuildResult], None] | None = None,
          reference: Reference | None = None, last_use: bool = False) -> list[BuildResult]:
    """Validate every named country first, then build each one's pack; return them in order.

    Countries stream through the converter: a few are built at once, each rendering its
    documents and handing them over one by one, so LibreOffice converts one country while the
    next is rendered and Python holds no more than those few countries' paths. `on_built` is
    called with each pack, in order, as soon as it is made. A country that fails does not stop
    the others; the failures are raised together at the end (BuildFailed), unless LibreOffice
    cannot run at all, which stops everything at once.

    A document whose PDF is in the cache (cache.py) is not converted, and LibreOffice starts
    only when one is not; a pack whose inputs have not changed is left as it is (manifest.py).
    Pass `office` to use a converter already open (the CLI and watch do), or a CachedConverter
    to see what was converted; `reference` to reuse reference data loaded before (watch does).
    With `last_use`, LibreOffice is let go as soon as the last document is converted, so that it
    quits while the last packs are assembled (nothing may be converted on `office` afterwards).
    """
    if office is None:
        with Converter(timeout=project.timeout) as opened:
            return build(project, slugs, opened, on_built, reference, last_use=True)
    if reference is None:
        reference = load_reference(project.content_dir)
    countries = load_countries(project.content_dir, slugs, reference)
    identity = _conversion_identity(project)
    if not isinstance(office, CachedConverter):
        office = CachedConverter(office, PdfCache(pdf_cache_dir(), identity) if identity else None)
    if isinstance(office.office, Converter):
        # Several countries render on several threads and keep two LibreOffice busy from the
        # start; one pack, or an edited brief and its cover, is done sooner on one.
        office.office.documents_per_start = DOCUMENTS_PER_START if len(countries) == 1 else 1
    if office.cache is not None and office.renders is None:
        # Renderings are kept beside the PDFs: editing one meeting renders that brief alone.
        office.renders = RenderMemo(size=0, folder=office.cache.folder)
    inputs: dict[str, str] = {}
    if identity:
        shared_key = shared_inputs(project, identity, build_date(project.as_of))
        inputs = {country_file.slug: inputs_key(shared_key, country_file.path) for country_file in countries}
    results: list[BuildResult] = []
    failures: list[tuple[str, BriefingError]] = []
    # Two countries at once per LibreOffice process: each renders its documents one at a time,
    # slower than LibreOffice converts them, so that one country alone would leave it waiting.
    workers = ThreadPoolExecutor(max_workers=max(1, min(len(countries), COUNTRIES_PER_OFFICE * office.jobs)), thread_name_prefix="country")
    try:
        converting = _StillConverting({country_file.slug for country_file in countries}, office.finish if last_use else None)
        # One pack alone renders two documents at once: rendering one at a time is slower than LibreOffice converts.
        renders = RENDERS_FOR_ONE_PACK if len(countries) == 1 else 1
        building = [workers.submit(build_country, project, country_file, reference, office, position, inputs.get(country_file.slug, ""),
                                   functools.partial(converting.done, country_file.slug), renders)
                    for position, country_file in enumerate(countries)]
        for country_file, built in zip(countries, building):
            try:
                result = built.result()
            except OfficeUnavailable:
                raise
            except BriefingError as error:
                log.info("%s failed: %s", country_file.slug, error.format_message())
                failures.append((country_file.slug, error))
                converting.done(country_file.slug)
                continue
            results.append(result)
            if on_built is not None:
                on_built(result)
    except BaseException:
        # Stop LibreOffice first, so that nothing writes into a staging folder being removed.
        office.abort()
        workers.shutdown(wait=True, cancel_futures=True)
        raise
    workers.shutdown(wait=True)
    if office.cache is not None:
        office.cache.prune_if_grown()
    if len(failures) == 1 and len(countries) == 1:
        raise failures[0][1]
    if failures:
        raise BuildFailed(failures, len(countries))
    return results


def _conversion_identity(project: Project) -> str:
    """Return the PDF cache's conversion identity, or "" to build without the cache.

    Without it when LibreOffice cannot say its version: the converter then reports what is wrong
    with LibreOffice as it does without a cache.
    """
    if not project.cache:
        return ""
    try:
        return conversion_identity(project.timeout)
    except ConversionError as error:
        log.info("building without the PDF cache: %s", error.format_message())
        return ""


def build_country(project: Project, country_file: CountryFile, reference: Reference, office: CachedConverter, position: int = 0, inputs: str = "",
                  conversions_over: Callable[[], None] | None = None, renders: int = 1) -> BuildResult:
    """Render, convert and assemble one validated country into build/<slug>/.

    Each document is handed to the converter as soon as it is rendered; `position` orders this
    country's conversions after those of countries started before it. `inputs` is the key of
    everything the pack is made from; when build/<slug>/ was made from the same, it is
    returned as it is. `conversions_over` is called once this country will convert nothing more.
    `renders` documents are rendered at once.
    """
    slug = country_file.slug
    as_of = build_date(project.as_of)
    if inputs:
        record = fresh_pack(project, slug, inputs)
        if record is not None:
            log.info("%s is up to date", record.pack)
            if conversions_over is not None:
                conversions_over()
            return _result_of(record)
    shared = pack_values(country_file.country, reference, as_of)
    documents = plan_documents(country_file, reference, project, shared, as_of)
    final = project.build_dir / slug
    with staged_folder(final) as staging:
        rendered: list[tuple[PlannedDocument, Path, Path]] = []
        converting: list[Future[Path]] = []
        early_cover: _EarlyCover | None = None
        renderers = ThreadPoolExecutor(max_workers=renders, thread_name_prefix=f"render-{slug}") if renders > 1 else None
        ready: dict[int, PdfReader] = {}

        def make_ready(index: int) -> None:
            # A document that keeps its version is made ready for the pack while the others convert.
            ready[index] = _ready_for_pack(rendered[index][2], as_of)

        try:
            versions, firsts = [], []
            facts = page_facts(country_file.country)

            def prepared(document: PlannedDocument) -> tuple[Versions, FirstVersion]:
                document_versions = _versions(document, country_file, as_of, office.renders)
                # The fullest version expected to fit its pages is converted first (estimate.py).
                return document_versions, _first_version(document, country_file, as_of, document_versions, facts, office.renders)

            # Each document renders in a child process; several at once keep LibreOffice fed, in order.
            for document, (document_versions, first) in zip(documents, renderers.map(prepared, documents) if renderers else map(prepared, documents)):
                versions.append(document_versions)
                firsts.append(first)
                data = first.data
                docx = write_atomically(safe_join(staging, f"{document.stem}.docx"), data)
                rendered.append((document, docx, safe_join(staging, f"{document.stem}.pdf")))
                # Largest first, so that two LibreOffice processes finish together.
                converting.append(office.submit(docx, rendered[-1][2], (position, 1, -len(data))))
            early_cover = _early_cover(country_file, project, shared, documents, [first.pages for first in firsts], staging, office, position, as_of)
            _prepare_stamp()
            checked = _check_and_fit(country_file.country, [(document.kind, docx, pdf) for document, docx, pdf in rendered], converting, office, position, versions,
                                     [first.version for first in firsts], make_ready)
            early_cover = _wait_for_early(early_cover)
        except BaseException:
            if early_cover is not None:
                settle([early_cover.conversion])
            raise
        finally:
            if renderers is not None:
                renderers.shutdown(wait=True, cancel_futures=True)
            settle(converting)  # nothing may still write into the staging folder once it goes
        from .assemble import PackPart, assemble_pack, first_pages
        from .stamp import pack_stamp

        readers = [ready[index] if index in ready else _ready_for_pack(pdf, as_of) for index, (_, _, pdf) in enumerate(rendered)]
        converted = [(document, docx, pdf, len(reader.pages)) for (document, docx, pdf), reader in zip(rendered, readers)]

        hits = sum(map(from_cache, converting))
        cover_pages = 1
        for _ in range(3):  # a longer cover shifts the page numbers it lists; this settles at once
            starts = first_pages([pages for *_, pages in converted], start=cover_pages + 1)
            cover = plan_cover(country_file, project, shared, [(document, pages, start) for (document, _, _, pages), start in zip(converted, starts)])
            cover_data = _render_kept(cover, country_file, as_of, office.renders)
            cover_docx, cover_pdf = safe_join(staging, f"{cover.stem}.docx"), safe_join(staging, f"{cover.stem}.pdf")
            if early_cover is not None and early_cover.data == cover_data:  # converted early with the right page numbers
                os.replace(early_cover.docx, cover_docx)
                os.replace(early_cover.pdf, cover_pdf)
                cover_conversion = early_cover.conversion
            else:
                write_atomically(cover_docx, cover_data)
                cover_conversion = office.submit(cover_docx, cover_pdf, (position, 0))
            if early_cover is not None:  # used, or converted with page numbers that moved
                early_cover.docx.unlink(missing_ok=True)
                early_cover.pdf.unlink(missing_ok=True)
                early_cover = None
            wait_for([cover_conversion])
            cover_reader = _ready_for_pack(cover_pdf, as_of)
            actual = len(cover_reader.pages)
            if actual == cover_pages:
                hits += from_cache(cover_conversion)
                break
            cover_pages = actual
        else:
            raise AssemblyError(f"{cover.template}: the cover's length keeps changing with its own page numbers (shorten the cover)")
        if conversions_over is not None:
            conversions_over()

        parts = [PackPart(cover.title, cover_pdf, reader=cover_reader)]
        parts += [PackPart(document.title, pdf, document.group, document.kind in SENT_KINDS, reader) for (document, _, pdf, _), reader in zip(converted, readers)]
        pack_name = f"{slug}-briefing-pack.pdf"
        pack = write_atomically(safe_join(staging, pack_name), assemble_pack(parts, _pack_metadata(country_file), pack_stamp(country_file.country)))
        findings = check_pages(country_file.country, [(cover.kind, cover_docx, cover_pdf)]) + [finding for found in checked for finding in found]
        for finding in findings:
            log.warning("%s/%s", display_path(final), finding)

        built = [BuiltDocument(cover.title, final / cover_docx.name, final / cover_pdf.name, cover_pages, 1)]
        built += [BuiltDocument(document.title, final / docx.name, final / pdf.name, pages, start) for (document, docx, pdf, pages), start in zip(converted, starts)]
        total = cover_pages + sum(document.pages for document in built[1:])
        records = [DocumentRecord(document.title, document.docx.name, document.pdf.name, document.pages, document.first_page) for document in built]
        write_atomically(safe_join(staging, MANIFEST), manifest_bytes(slug, pack, total, as_of, inputs, records))

    count = len(converted) + 1
    log.info("%d of %d documents converted, %d from the PDF cache (%s)", count - hits, count, hits, slug)
    log.info("built %s: %d documents, %d pages", final / pack_name, len(built), total)
    return BuildResult(slug, final / pack_name, total, built, findings)


def _prepare_stamp() -> None:
    """Read the stamp's fonts now, while LibreOffice converts, rather than after the last conversion."""
    from .stamp import register_fonts

    register_fonts()


def _ready_for_pack(pdf: Path, as_of: dt.date) -> PdfReader:
    """Fix LibreOffice's dates and IDs in a converted PDF by the build date (reproducible packs); return it read."""
    from .assemble import read_pdf

    return read_pdf(normalise_pdf(pdf, as_of))


@dataclass(frozen=True)
class _EarlyCover:
    """The cover rendered with the pages the documents are expected to take, and its conversion."""

    data: bytes
    docx: Path
    pdf: Path
    conversion: Future[Path]


def _early_cover(country_file: CountryFile, project: Project, shared: PackValues, documents: list[PlannedDocument], pages: list[int | None], staging: Path,
                 office: CachedConverter, position: int, as_of: dt.date) -> _EarlyCover | None:
    """Convert the cover now, beside the documents, with the pages estimated for them (None: a page count is not known).

    The contents list each document's first page, known for sure only once every document is
    converted; converted then, the cover would keep the pack waiting for LibreOffice once more.
    When the real pages differ, the build renders and converts the cover again.
    """
    from .assemble import first_pages

    known = [count for count in pages if count is not None]
    if len(known) != len(documents):
        return None
    starts = first_pages(known, start=2)
    cover = plan_cover(country_file, project, shared, list(zip(documents, known, starts)))
    data = _render_kept(cover, country_file, as_of, office.renders)
    docx = write_atomically(safe_join(staging, f"{cover.stem}.docx").with_name(f".early-{cover.stem}.docx"), data)
    pdf = docx.with_suffix(".pdf")
    return _EarlyCover(data, docx, pdf, office.submit(docx, pdf, (position, 0)))


def _wait_for_early(early: _EarlyCover | None) -> _EarlyCover | None:
    """Wait for the early cover's conversion; None if it failed (the cover is then converted as usual, which reports why)."""
    if early is None:
        return None
    try:
        wait_for([early.conversion])
    except ConversionError as error:
        log.debug("the cover converted early failed (%s); converting it again", error.format_message())
        early.docx.unlink(missing_ok=True)
        early.pdf.unlink(missing_ok=True)
        return None
    return early


class _StillConverting:
    """The countries that may still convert; once none is left, `then` is called (once)."""

    def __init__(self, slugs: set[str], then: Callable[[], None] | None):
        self._slugs = slugs
        self._then = then
        self._lock = threading.Lock()

    def done(self, slug: str) -> None:
        with self._lock:
            if slug not in self._slugs:
                return
            self._slugs.discard(slug)
            then = self._then if not self._slugs else None
        if then is not None:
            then()


def _result_of(record: PackRecord) -> BuildResult:
    folder = record.pack.parent
    documents = [BuiltDocument(document.title, folder / document.docx, folder / document.pdf, document.pages, document.first_page) for document in record.documents]
    return BuildResult(record.slug, record.pack, record.pages, documents, up_to_date=True)


Versions = Callable[[Version], bytes | None]
"""A document's version with that many reference lines fewer, tighter or not, rendered (None: no such version)."""
_Trial = tuple[Version, Path, Path, Future[Path]]
"""A version of a document being tried: (lines given up, tighter), its .docx, its PDF, its conversion."""
VERSIONS_A_ROUND = (1, 3, 3, 2)
"""Versions converted side by side in each round, nine at most in all: one at first, as the
fullest shorter version usually fits; more at once when it does not, so that a hard case
takes few rounds."""
FITTING_ORDER = tuple((spare, tight) for tight in (False, True) for spare in range(8))[1:]
"""Versions tried: a reference line fewer, two fewer and so on, then the same a little tighter
(readers notice a brief set tighter than the next more than a line of reference text missing)."""
EVERY_VERSION = ((0, False), *FITTING_ORDER)


def _versions(document: PlannedDocument, country_file: CountryFile, as_of: dt.date, memo: RenderMemo | None) -> Versions:
    """Render a document's versions on demand, each once."""

    @functools.cache
    def version(wanted: Version) -> bytes | None:
        spare, tight = wanted
        if tight:
            plain = version((spare, False))
            return tighten(plain) if plain is not None else None
        if spare and document.shorter is None:
            return None
        values = document.shorter(spare) if spare and document.shorter is not None else document.values
        return _render_kept(dataclasses.replace(document, values=values), country_file, as_of, memo)

    return version


def _first_version(document: PlannedDocument, country_file: CountryFile, as_of: dt.date, versions: Versions, facts: PageFacts,
                   memo: RenderMemo | None) -> FirstVersion:
    """Return the version of a document to convert first: the fullest expected to fit (estimate.py).

    The choice is kept by the document's template and values, so that a rebuild does not estimate again.
    """
    country = country_file.country
    key = memo.key(document.template, [document.values, document.title, country.short_name, country.marking, country.language, as_of, document.kind, repr(facts)]) if memo else None

    def estimated() -> list[object]:
        first = first_version(document.kind, versions, EVERY_VERSION, facts)
        return [*first.version, first.pages]

    kept = remembered("first-version", [key.encode()], estimated) if key else None
    first = None
    if isinstance(kept, list) and len(kept) == 3:
        version = (int(kept[0]), bool(kept[1]))
        data = versions(version)
        first = FirstVersion(version, data, kept[2] if isinstance(kept[2], int) else None) if data is not None else None
    if first is None:  # not kept, or a version that no longer exists
        first = first_version(document.kind, versions, EVERY_VERSION, facts)
    if first.version != EVERY_VERSION[0]:
        log.debug("%s: %d reference lines fewer%s, as estimated to fit its pages", document.stem, first.version[0], ", tighter" if first.version[1] else "")
    return first


def _check_and_fit(country: Country, documents: list[tuple[str, Path, Path]], converting: list[Future[Path]], office: CachedConverter, position: int,
                   versions: list[Versions], firsts: list[Version], kept: Callable[[int], None] | None = None) -> list[list[PageFinding]]:
    """Check each document's pages as soon as it is converted; fit again each that breaks a length rule.

    A letter whose closing would stand alone, a note verbale on two pages or a brief whose last
    page holds a few lines usually fits when its spacing is a little tighter; a brief may also
    give up reference lines (its own and the State's lines are kept). A few versions are tried
    side by side, fullest first, round after round; the fullest that breaks no length rule is
    kept, else the one that breaks fewest. The checks run while LibreOffice converts the other
    documents. Each document was converted first in the version `firsts` gives (versions() renders
    each); only when that one breaks a length rule are others tried, the full one first.
    `kept` is called with the index of each document whose first version breaks no length rule,
    as soon as it is checked. Return each document's findings, for the version kept.
    """
    found: list[list[PageFinding]] = [[] for _ in documents]
    position_of = {future: index for index, future in enumerate(converting)}
    chosen: dict[int, tuple[tuple[int, int, int], Path, Path]] = {}  # (length findings, tighter, lines given up)
    queues: dict[int, list[tuple[int, bool]]] = {}
    seen: dict[int, set[bytes]] = {}
    submitted: list[Future[Path]] = []

    def next_versions(index: int, round_number: int) -> list[_Trial]:
        kind, docx, pdf = documents[index]
        trials: list[_Trial] = []
        while queues[index] and len(trials) < VERSIONS_A_ROUND[round_number]:
            spare, tight = queues[index].pop(0)
            data = versions[index]((spare, tight))
            if data is None or data in seen[index]:  # no such version, or nothing more to give up
                continue
            seen[index].add(data)
            name = f".fit-{spare}{'t' if tight else ''}-"
            trial_docx = write_atomically(docx.with_name(name + docx.name), data)
            trial_pdf = pdf.with_name(name + pdf.name)
            trial = office.submit(trial_docx, trial_pdf, (position, 0))
            submitted.append(trial)
            trials.append(((spare, tight), trial_docx, trial_pdf, trial))
        return trials

    try:
        trials: dict[int, list[_Trial]] = {}
        for done in as_completed(converting):
            done.result()  # raises the conversion's error
            index = position_of[done]
            kind, docx, pdf = documents[index]
            found[index] = check_pages(country, [(kind, docx, pdf)])
            if _length_findings(found[index]):
                spare, tight = firsts[index]
                chosen[index] = ((_length_findings(found[index]), int(tight), spare), docx, pdf)
                queues[index] = [version for version in EVERY_VERSION if version != firsts[index]]
                seen[index] = {docx.read_bytes()}
                trials[index] = next_versions(index, 0)
            elif kept is not None:
                kept(index)
        for round_number in range(1, len(VERSIONS_A_ROUND) + 1):
            if not trials:
                break
            following: dict[int, list[_Trial]] = {}
            for index, tried in trials.items():
                kind, docx, pdf = documents[index]
                for (spare, tight), trial_docx, trial_pdf, trial in tried:
                    trial.result()
                    after = check_pages(country, [(kind, trial_docx, trial_pdf)])
                    score = (_length_findings(after), int(tight), spare)
                    log.debug("%s with %d reference lines fewer%s: %s", docx.name, spare, ", tighter" if tight else "", [str(finding) for finding in after] or "fits")
                    if score < chosen[index][0]:
                        if chosen[index][1] != docx:
                            chosen[index][1].unlink()
                            chosen[index][2].unlink()
                        chosen[index] = (score, trial_docx, trial_pdf)
                        found[index] = [dataclasses.replace(finding, document=pdf.name) for finding in after]
                    else:
                        trial_docx.unlink()
                        trial_pdf.unlink()
                if chosen[index][0][0] and round_number < len(VERSIONS_A_ROUND):  # every later version is shorter: go on only while none fits
                    following[index] = next_versions(index, round_number)
            trials = {index: tried for index, tried in following.items() if tried}
        for tried in trials.values():  # a last round left unread
            for _, trial_docx, trial_pdf, trial in tried:
                trial.result()
                trial_docx.unlink()
                trial_pdf.unlink()
        for index, (_, best_docx, best_pdf) in chosen.items():
            _, docx, pdf = documents[index]
            if best_docx != docx:
                os.replace(best_docx, docx)
                os.replace(best_pdf, pdf)
                log.debug("%s: set again to fit its pages", docx.name)
    finally:
        settle(submitted)
    return found


def _length_findings(findings: list[PageFinding]) -> int:
    return sum(finding.rule in LENGTH_RULES for finding in findings)


def plan_documents(country_file: CountryFile, reference: Reference, project: Project, shared: PackValues, as_of: dt.date) -> list[PlannedDocument]:
    """Return the documents of a pack after the cover, in pack order; `shared` is its pack_values."""
    country = country_file.country
    language_dir = project.templates_dir / country.language
    form = country.visit.letter_form
    documents = [
        PlannedDocument(form, "01-invitation", invitation_title(country), language_dir / TEMPLATE_FILES[form], shared),
        PlannedDocument("programme", "02-visit-programme", "Visit programme", language_dir / TEMPLATE_FILES["programme"], shared),
    ]
    for index, meeting in enumerate(country.meetings):
        topic_slug = (meeting.portfolio or meeting.kind).replace("_", "-")
        values: BriefValues = brief_values(shared, country, reference, index, as_of)
        documents.append(PlannedDocument(
            "brief",
            f"03-meeting-brief-{index + 1:02d}-{topic_slug}",
            f"Brief {index + 1}: {_brief_label(values)}",
            language_dir / TEMPLATE_FILES["brief"],
            values,
            BRIEFS_GROUP,
            functools.partial(brief_values, shared, country, reference, index, as_of),
        ))
    if country.seminar is not None:
        title = f"{country.seminar.kind.capitalize()} programme"
        documents.append(PlannedDocument("seminar", "04-seminar-programme", title, language_dir / TEMPLATE_FILES["seminar"], shared))
    documents.append(PlannedDocument("roadmap", "05-strategy-roadmap", "Country background and strategy roadmap", language_dir / TEMPLATE_FILES["roadmap"], shared))
    return documents


def plan_cover(country_file: CountryFile, project: Project, shared: PackValues, contents: list[tuple[PlannedDocument, int, int]]) -> PlannedDocument:
    """Return the cover, whose contents list gives each document's first page in the pack."""
    country = country_file.country
    values = cover_values(shared, (ContentsLine(document.title, pages, start, document.group == BRIEFS_GROUP) for document, pages, start in contents))
    return PlannedDocument("cover", "00-cover", "Cover and contents", project.templates_dir / country.language / TEMPLATE_FILES["cover"], values)


def _brief_label(values: BriefValues) -> str:
    # A contents line names the position ('Minister of Justice'), or the organisations met.
    meeting = values.meeting
    if len(meeting.counterparts) == 1 and meeting.counterpart.name and meeting.counterpart.title:
        return meeting.counterpart.title_and_office
    # Several counterparts are named by their institutions: a title and metadata name no one.
    institutions = list(dict.fromkeys(person.office or person.title for person in meeting.counterparts if person.office or person.title))
    if len(meeting.counterparts) > 1 and len(institutions) > 2:
        return f"{meeting.kind_label} ({len(institutions)} organisations)"  # a contents line of one line
    if len(meeting.counterparts) > 1 and institutions:
        return and_list(institutions)
    return meeting.counterpart.full_name


def _render_kept(document: PlannedDocument, country_file: CountryFile, as_of: dt.date, memo: RenderMemo | None) -> bytes:
    """Render, or take the rendering `memo` kept of the same template and values (watch)."""
    if memo is None:
        return _render(document, country_file, as_of)
    country = country_file.country
    key = memo.key(document.template, [document.values, document.title, country.short_name, country.marking, country.language, as_of])
    data = memo.get(key)
    if data is None:
        data = _render(document, country_file, as_of)
        memo.put(key, data)
    return data


_SANITIZING: dict[Path, threading.Lock] = {}
_SANITIZING_GUARD = threading.Lock()


def _sanitize_once(template: Path) -> None:
    """Sanitise a template on one thread at a time (render_document then finds it done).

    Several countries built at once reach the same template together, and each would sanitise it.
    A template that cannot be used raises here what render_document would raise.
    """
    with _SANITIZING_GUARD:
        lock = _SANITIZING.setdefault(template, threading.Lock())
    with lock:
        sanitize_template(read_template_bytes(template), display_path(template))


def _render(document: PlannedDocument, country_file: CountryFile, as_of: dt.date) -> bytes:
    country = country_file.country
    what = f"{document.title} for '{country_file.slug}'"
    metadata = {
        "title": f"{document.title} \u2013 {country.short_name}",
        "subject": f"CTI visit to {country.short_name}",
        "keywords": f"CTI; UNCAT; {country.short_name}; {country.marking}",
        "marking": country.marking,
        "date": as_of,
    }
    try:
        _sanitize_once(document.template)
        return render_document(document.template, as_template_context(document.values), what, metadata, country.language)
    except TemplateError:
        raise
    except Exception as exc:  # docxtpl can fail in ways it does not document; say where
        raise TemplateError(f"{document.template}: {what}: the template could not be filled in ({exc.__class__.__name__}: {exc})") from exc


def _pack_metadata(country_file: CountryFile) -> dict[str, str]:
    country = country_file.country
    visit = country.visit
    return {
        "title": f"CTI briefing pack: {country.short_name}",
        "subject": f"Visit of the Convention against Torture Initiative to {country.short_name}, {date_range(visit.start, visit.end, country.language)}",
        "keywords": f"CTI; UNCAT; {country.short_name}; {country.marking}",
        "author": PUBLISHER,
    }
