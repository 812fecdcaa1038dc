"""Content-addressed PDF cache in front of LibreOffice: a document unchanged is not converted again.

A document's key is a sha256 over its .docx parts (each zip member's name and bytes, sorted,
never the zip's timestamps), the LibreOffice version and the conversion code (office/: the
export options live in worker.py, LibreOffice's settings in profiles.py). Entries live under the cache folder in `pdf/`, one file each:
a header line with the PDF's own sha256 and length, then the PDF. An entry is written to a
temporary file and renamed into place, and checked against its header when read, so a build
killed mid-write or a damaged disk never puts a torn PDF into a pack: a bad entry is removed,
logged, and the document converted again. The folder is kept under MAX_CACHE_BYTES by removing
the entries used least recently; a build that wrote nothing into it does not look at it, and
one that did adds what it wrote to a ledger of the folder's size, walking the folder only when
the ledger says it may have outgrown its bound (or every RESCAN_AFTER builds, as concurrent
builds may each miss the other's bytes).

The same folder keeps, with the same care, the rendered .docx of each template and values
(RenderMemo) and the page rules' findings for each document (remembered), so that a document that
did not change is neither rendered nor checked again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import subprocess
import tempfile
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import IO

from .errors import ConversionError
from .office import Converter, wait_for
from .office.instance import find_soffice
from .office.profiles import cache_dir
from .output import write_atomically

log = logging.getLogger(__name__)

CACHE_FORMAT = "cti-pdf-cache 1"
MAX_CACHE_BYTES = 512 * 2**20
STALE_TEMPORARY_SECONDS = 3600  # a temporary file this old was left by a build that was killed
VERSION_TIMEOUT = 60.0
LEDGER = "size-ledger.json"
RESCAN_AFTER = 50
OFFICE_CODE = Path(__file__).with_name("office")
CONVERSION_CODE = tuple(OFFICE_CODE / name for name in ("worker.py", "converter.py", "instance.py", "profiles.py"))


def docx_digest(docx: Path) -> str:
    """Return a sha256 over the names and bytes of the .docx's parts, sorted; not its timestamps."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(docx.read_bytes())) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def office_version(timeout: float = VERSION_TIMEOUT) -> str:
    """Return `soffice --version`, asked once per LibreOffice binary (its path and mtime) and kept."""
    soffice = find_soffice()
    real = Path(os.path.realpath(soffice))
    try:
        stat = real.stat()
    except OSError as exc:
        raise ConversionError(f"cannot read {soffice}: {exc.strerror}") from None
    identity = f"{real}\0{stat.st_mtime_ns}\0{stat.st_size}"
    store = cache_dir() / "office-versions.json"
    try:
        known = json.loads(store.read_text(encoding="utf-8"))
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    if isinstance(known.get(identity), str):
        return known[identity]
    try:
        answer = subprocess.run([soffice, "--version"], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ConversionError(f"{soffice} --version did not answer within {timeout:g} s (is CTI_SOFFICE a working LibreOffice?)") from None
    except OSError as exc:
        raise ConversionError(f"cannot run {soffice}: {exc.strerror}") from None
    version = answer.stdout.strip()
    if answer.returncode != 0 or not version:
        raise ConversionError(f"{soffice} --version failed (exit status {answer.returncode}): {answer.stderr.strip()[-300:]}")
    known[identity] = version
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(store, json.dumps(known, indent=1).encode())
    except OSError as exc:
        log.info("could not keep LibreOffice's version in %s: %s", store, exc.strerror)
    return version


def conversion_identity(timeout: float = VERSION_TIMEOUT) -> str:
    """Return what, besides a document, decides its PDF: LibreOffice's version and our conversion code."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{office_version(timeout)}\0".encode())
    for path in CONVERSION_CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()


class PdfCache:
    """The PDFs of documents converted before, by document key; see the module's docstring."""

    def __init__(self, folder: Path, identity: str, max_bytes: int = MAX_CACHE_BYTES):
        self.folder = folder
        self.identity = identity
        self.max_bytes = max_bytes

    def key(self, docx: Path) -> str:
        """Return the cache key of a .docx for this LibreOffice and conversion code."""
        return hashlib.sha256(f"{self.identity}\0{docx_digest(docx)}".encode()).hexdigest()

    def entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pdf"

    def load(self, key: str) -> bytes | None:
        """Return the cached PDF for `key`, or None; a damaged entry is removed and logged."""
        return _read_entry(self.entry(key), _verified, "cached PDF", "converting")

    def store(self, key: str, pdf: bytes) -> None:
        """Add a PDF under `key`, atomically; a full disk only costs the next build a conversion."""
        path = self.entry(key)
        header = f"{CACHE_FORMAT} {hashlib.sha256(pdf).hexdigest()} {len(pdf)}\n".encode()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_entry(path, header, pdf)
        except OSError as exc:
            log.warning("could not keep %s in the PDF cache (%s)", path.name, exc.strerror)
        else:
            _wrote(self.folder, len(header) + len(pdf))

    def prune_if_grown(self) -> int:
        """Prune when what this process wrote may have taken the folder past its bound; see the module's docstring."""
        with _writing:
            written = _written.pop(self.folder, 0)
        if not written:
            return 0
        ledger = self.folder / LEDGER
        try:
            kept = json.loads(ledger.read_text(encoding="utf-8"))
            size, builds = int(kept["bytes"]) + written, int(kept["builds"]) + 1
        except (OSError, ValueError, TypeError, KeyError):
            return self.prune()
        if size > self.max_bytes or builds >= RESCAN_AFTER:
            return self.prune()
        self._write_ledger(size, builds)
        return 0

    def _write_ledger(self, size: int, builds: int) -> None:
        try:
            write_atomically(self.folder / LEDGER, json.dumps({"bytes": size, "builds": builds}).encode())
        except OSError as exc:
            log.info("could not note the PDF cache's size (%s)", exc.strerror)

    def prune(self) -> int:
        """Remove the least recently used entries beyond max_bytes, and killed builds' debris."""
        entries = []
        now = time.time()
        for path in self.folder.glob("*/*"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            if path.name.startswith("."):
                if now - stat.st_mtime > STALE_TEMPORARY_SECONDS:
                    path.unlink(missing_ok=True)
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        if removed:
            log.info("PDF cache: removed %d least recently used entries to stay under %d MB", removed, self.max_bytes // 2**20)
        if entries:
            self._write_ledger(total, 0)
        return removed


def pdf_cache_dir() -> Path:
    return cache_dir() / "pdf"


_written: dict[Path, int] = {}
"""Bytes this process wrote into each cache folder since its last prune_if_grown."""
_writing = threading.Lock()


def _wrote(folder: Path, size: int) -> None:
    with _writing:
        _written[folder] = _written.get(folder, 0) + size


def clear_cache() -> Path:
    """Remove every cached PDF and the remembered LibreOffice versions; return the folder cleared."""
    folder = pdf_cache_dir()
    for path in sorted(folder.glob("*/*")) + sorted(folder.glob("*")):
        if path.is_file():
            path.unlink(missing_ok=True)
    for path in sorted(folder.glob("*")):
        if path.is_dir():
            try:
                path.rmdir()
            except OSError:
                pass  # a concurrent build just wrote into it
    (cache_dir() / "office-versions.json").unlink(missing_ok=True)
    return folder


def _verified(data: bytes) -> bytes | None:
    return _checked(data, CACHE_FORMAT, b"%PDF-")


def _checked(data: bytes, form: str, magic: bytes) -> bytes | None:
    """Return an entry's content if its header (format, sha256, length) and first bytes hold, else None."""
    header, newline, content = data.partition(b"\n")
    if not newline:
        return None
    fields = header.decode("ascii", "replace").split(" ")
    if len(fields) < 3 or " ".join(fields[:-2]) != form:
        return None
    expected_hash, expected_length = fields[-2], fields[-1]
    if not expected_length.isdigit() or len(content) != int(expected_length) or hashlib.sha256(content).hexdigest() != expected_hash:
        return None
    return content if content.startswith(magic) else None


def _write_entry(path: Path, header: bytes, content: bytes, pause: bool = True) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(header)
            if pause:
                _pause_for_tests(stream)
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _pause_for_tests(stream: IO[bytes]) -> None:
    # Lets a test kill a real build in the middle of a cache write; unset in normal use.
    pause = os.environ.get("CTI_CACHE_TEST_PAUSE")
    if pause:
        stream.flush()
        Path(pause).touch()
        time.sleep(60)


READINGS_KEPT = 512
_readings: OrderedDict[str, object] = OrderedDict()


def remembered(what: str, parts: list[bytes], compute: Callable[[], object]) -> object:
    """Return `compute()`, a JSON value, kept by everything it is computed from: `parts` and this package's code.

    Kept in memory and in the cache folder, so that the page rules of a document that did not
    change are not worked out again by the next build or the next save in watch.
    """
    from .pdftext import reader_version  # imported when needed: not on the way to starting LibreOffice

    digest = hashlib.sha256(f"{what}\0{_render_program()}\0{reader_version()}\0".encode())
    for part in parts:
        digest.update(f"{len(part)}\0".encode())
        digest.update(part)
    key = digest.hexdigest()
    return _kept_json(what, key, compute, key[:12])


def _kept_json(what: str, key: str, compute: Callable[[], object], named: str) -> object:
    """Return the JSON value kept under `key` (in memory, else in the cache folder), or compute and keep it."""
    if key in _readings:
        _readings.move_to_end(key)
        return _readings[key]
    kept = pdf_cache_dir() / key[:2] / f"{key}.{what}.json"
    try:
        value = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        value = compute()
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps(value, ensure_ascii=False).encode()
            write_atomically(kept, data)
        except OSError as exc:
            log.info("could not keep the %s of %s (%s)", what, named, exc.strerror)
        else:
            _wrote(pdf_cache_dir(), len(data))
    _readings[key] = value
    while len(_readings) > READINGS_KEPT:
        _readings.popitem(last=False)
    return value


RENDER_FORMAT = "cti-docx-cache 1"
PACKAGE_DIR = Path(__file__).resolve().parent
RENDER_LIBRARIES = ("docxtpl", "python-docx", "jinja2", "markupsafe", "babel", "lxml")


class RenderMemo:
    """Rendered .docx files kept by template and values: in memory (watch) and, given a folder, on disk between builds.

    Keyed by the template's bytes, every value the document is rendered from, written out as
    JSON, and the program that renders (its code and libraries); a value that has no plain JSON
    form makes the document be rendered every time rather than risk a stale one. An entry on
    disk is written atomically and checked against its sha256 when read, as the PDF cache's are
    (and pruned and cleared with them): a damaged one is removed and the document rendered again.
    """

    def __init__(self, size: int = 256, folder: Path | None = None):
        self._size = size
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()  # countries render from several threads
        self.folder = folder

    def key(self, template: Path, values: object) -> str | None:
        """Return the key of a rendering, or None when a value cannot be written out plainly."""
        try:
            payload = json.dumps(values, default=_plain, sort_keys=True, ensure_ascii=False)
            return hashlib.sha256(f"{_render_program()}\0".encode() + template.read_bytes() + b"\0" + payload.encode()).hexdigest()
        except (TypeError, ValueError, OSError):
            return None

    def get(self, key: str | None) -> bytes | None:
        if key is None:
            return None
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        if self.folder is None:
            return None
        data = self._load(key)
        if data is not None:
            self._remember(key, data)
        return data

    def put(self, key: str | None, data: bytes) -> None:
        if key is None:
            return
        self._remember(key, data)
        if self.folder is not None:
            path = self._entry(key)
            header = f"{RENDER_FORMAT} {hashlib.sha256(data).hexdigest()} {len(data)}\n".encode()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                _write_entry(path, header, data, pause=False)
            except OSError as exc:
                log.info("could not keep the rendering %s (%s)", path.name, exc.strerror)
            else:
                _wrote(self.folder, len(header) + len(data))

    def _remember(self, key: str, data: bytes) -> None:
        with self._lock:
            self._entries[key] = data
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def _entry(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.docx"

    def _load(self, key: str) -> bytes | None:
        return _read_entry(self._entry(key), lambda stored: _checked(stored, RENDER_FORMAT, b"PK"), "kept rendering", "rendering")


def _read_entry(path: Path, verify: Callable[[bytes], bytes | None], what: str, redoing: str) -> bytes | None:
    """Return an entry's verified bytes, or None; a damaged entry is removed and logged, an
    unreadable one left to be redone ('converting', 'rendering')."""
    try:
        stored = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("cannot read the %s %s (%s); %s again", what, path, exc.strerror, redoing)
        return None
    data = verify(stored)
    if data is None:
        log.warning("%s %s is damaged; removed, %s the document again", what, path, redoing)
        path.unlink(missing_ok=True)
        return None
    try:
        os.utime(path)  # last use, for pruning
    except OSError:
        pass  # a concurrent prune removed it; the bytes read are still good
    return data


@functools.lru_cache(maxsize=1)
def _render_program() -> str:
    """A digest of what renders a document besides its template and values: this package's code and its libraries."""
    from .manifest import add_library_versions

    digest = hashlib.sha256(f"{RENDER_FORMAT}\0".encode())
    add_library_versions(digest, RENDER_LIBRARIES)
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(f"{path.relative_to(PACKAGE_DIR).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _plain(value: object) -> object:
    if hasattr(value, "isoformat"):  # date, time, datetime
        return f"{type(value).__name__}:{value.isoformat()}"
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        # One level at a time (json.dumps comes back for what it holds): asdict would deep-copy every value first.
        return {"__class__": type(value).__name__, **{item.name: getattr(value, item.name) for item in fields(value)}}
    if hasattr(value, "model_dump"):  # a pydantic model
        return {"__class__": type(value).__name__, **value.model_dump(mode="json")}
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(item, default=_plain, sort_keys=True) for item in value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} has no plain form")


class CachedConverter:
    """The converter (office.Converter) behind the PDF cache: hits are copied, only misses go to LibreOffice.

    Same `submit` and `convert_all` as the converter it wraps, which starts LibreOffice only
    when a document is submitted, so a build whose every document is a hit starts none. A
    miss's future is done once its PDF is also in the cache, so that nothing the build does to
    the PDF afterwards (normalising it) can race the copy. With `cache=None` every document is
    converted (`--no-cache`). Counts what it did, for the build's log and for tests.
    """

    def __init__(self, office: Converter, cache: PdfCache | None):
        self.office = office
        self.cache = cache
        self.converted: list[str] = []
        """Names of the .docx files sent to LibreOffice, in the order submitted."""
        self.reused = 0
        self.renders: RenderMemo | None = None
        """Renderings kept between builds of one process (watch sets it)."""
        self._counting = threading.Lock()  # countries submit from several threads

    @property
    def jobs(self) -> int:
        return self.office.jobs

    def start(self) -> None:
        """Start LibreOffice ahead of need (start-up then overlaps rendering)."""
        self.office.start()

    def abort(self) -> None:
        """Kill LibreOffice now and fail every conversion not yet done."""
        self.office.abort()

    def finish(self) -> None:
        """Let LibreOffice quit once the conversions waiting are done (nothing more will be submitted)."""
        self.office.finish()

    def submit(self, source: Path, target: Path, priority: tuple[float, ...] = ()) -> Future[Path]:
        """Write `target` from the cache, or queue the conversion; the future gives `target`."""
        if self.cache is None:
            self._count(source, converted=True)
            return self.office.submit(source, target, priority)
        key = self.cache.key(source)
        pdf = self.cache.load(key)
        if pdf is None:
            self._count(source, converted=True)
            return _StoredAfter(self.office.submit(source, target, priority), self.cache, key)
        write_atomically(target, pdf)
        self._count(source, converted=False)
        done = _FromCache()
        done.set_result(target)
        return done

    def convert_all(self, pairs: Iterable[tuple[Path, Path]]) -> list[Path]:
        """Convert each (.docx, .pdf) pair, largest first, reusing cached PDFs; return the PDFs in order."""
        return wait_for([self.submit(source, target, (-_size(source),)) for source, target in pairs])

    def _count(self, source: Path, converted: bool) -> None:
        with self._counting:
            if converted:
                self.converted.append(source.name)
            else:
                self.reused += 1


def from_cache(future: Future[Path]) -> bool:
    """Say whether a future of `CachedConverter.submit` was a cache hit."""
    return isinstance(future, _FromCache)


class _FromCache(Future[Path]):
    """A hit: done at once."""


class _StoredAfter(Future[Path]):
    """A miss's conversion, done once its PDF is in the cache; cancelling it cancels the conversion."""

    def __init__(self, conversion: Future[Path], cache: PdfCache, key: str):
        super().__init__()
        self._conversion = conversion
        self._cache = cache
        self._key = key
        conversion.add_done_callback(self._converted)

    def cancel(self) -> bool:
        if not self._conversion.cancel():
            return False  # LibreOffice is at it: it must be waited for, or aborted
        return super().cancel()

    def _converted(self, conversion: Future[Path]) -> None:
        if conversion.cancelled():
            super().cancel()
            self.set_running_or_notify_cancel()  # tells wait() and as_completed() it is over
            return
        error = conversion.exception()
        if error is not None:
            self.set_exception(error)
            return
        target = conversion.result()
        try:
            self._cache.store(self._key, target.read_bytes())
        except OSError as exc:
            log.warning("could not keep %s in the PDF cache (%s)", target.name, exc.strerror)
        self.set_result(target)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
