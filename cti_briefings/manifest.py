"""What each build made: build/<country>/manifest.json, and whether a pack is still up to date.

Every build writes, beside the pack, a manifest listing the pack (sha256, pages, build date), its
documents and the sha256 of every file in the folder, and a key over everything the pack was
made from: the country file, content/reference/, templates/, the build date used for computed
values, the program's own code, its libraries, and LibreOffice's version. When a later build
finds the same key and the files as listed, the pack is up to date: nothing is rendered or
converted, and LibreOffice is not started. `cti-briefings manifest` joins the manifests of
every country (for example the shares built on several CI machines) and checks each pack.

This module imports no rendering or PDF library, so that the check stays quick.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import __version__
from .errors import BriefingError, ConversionError, OutputError, Problem, display_path
from .output import write_atomically
from .project import Project

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
PACKAGE_DIR = Path(__file__).resolve().parent
LIBRARIES = ("docxtpl", "python-docx", "jinja2", "babel", "pypdf", "pypdfium2", "pydantic", "pyyaml")
EDITOR_DEBRIS = ("~$", ".~lock.", ".")  # Word and LibreOffice lock files, hidden files


class ManifestError(BriefingError):
    """Packs missing or differing from their manifests: every one found, one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def show(self, file=None) -> None:
        import click

        for problem in self.problems:
            click.echo(f"error: {problem}", file=file, err=True)


@dataclass(frozen=True)
class DocumentRecord:
    title: str
    docx: str
    pdf: str
    pages: int
    first_page: int


@dataclass(frozen=True)
class PackRecord:
    """One country's pack as its manifest describes it."""

    slug: str
    pack: Path
    sha256: str
    pages: int
    built_at: str
    as_of: str
    documents: tuple[DocumentRecord, ...]


def add_library_versions(digest: hashlib._Hash, libraries: Iterable[str]) -> None:
    """Feed the installed version of each library (or 'none') into a hash."""
    for library in libraries:
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none\0".encode())


def shared_inputs(project: Project, conversion: str, as_of: dt.date) -> str:
    """Return a digest of what every country's pack is made from besides its own file."""
    digest = hashlib.sha256(f"{MANIFEST_FORMAT}\0{__version__}\0{conversion}\0{as_of.isoformat()}\0".encode())
    add_library_versions(digest, LIBRARIES)
    for label, folder, pattern in (("code", PACKAGE_DIR, "*.py"), ("reference", project.content_dir / "reference", "**/*"), ("templates", project.templates_dir, "**/*")):
        for path in sorted(folder.glob(pattern)):
            relative = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(EDITOR_DEBRIS) for part in relative.parts):
                digest.update(f"{label}/{relative.as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_key(shared: str, country_file: Path) -> str:
    """Return the key of one country's pack: the shared inputs and the country file."""
    try:
        data = country_file.read_bytes()
    except OSError:
        data = b""  # a missing country is reported by validation, never up to date
    return hashlib.sha256(f"{shared}\0".encode() + data).hexdigest()


def manifest_bytes(slug: str, pack: Path, pages: int, as_of: dt.date, inputs: str, documents: list[DocumentRecord]) -> bytes:
    """Return the manifest of a pack whose folder (holding `pack`) is complete."""
    folder = pack.parent
    files = {path.name: _sha256(path) for path in sorted(folder.iterdir()) if path.is_file() and path.name != MANIFEST}
    data = {
        "format": MANIFEST_FORMAT,
        "country": slug,
        "pack": pack.name,
        "sha256": files[pack.name],
        "pages": pages,
        "built_at": _built_at().isoformat(timespec="seconds"),
        "as_of": as_of.isoformat(),
        "tool": __version__,
        "inputs": inputs,
        "documents": [document.__dict__ for document in documents],
        "files": files,
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _built_at() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that a reproducible build gives the same manifest too."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def read_pack(folder: Path) -> tuple[PackRecord, dict] | None:
    """Return the pack recorded in folder/manifest.json and the raw manifest, or None if unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        record = PackRecord(
            slug=data["country"], pack=folder / data["pack"], sha256=data["sha256"], pages=int(data["pages"]),
            built_at=data["built_at"], as_of=data["as_of"],
            documents=tuple(DocumentRecord(**document) for document in data["documents"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record, data


def fresh_pack(project: Project, slug: str, inputs: str) -> PackRecord | None:
    """Return the pack in build/<slug>/ if it was made from exactly these inputs and is intact."""
    folder = project.build_dir / slug
    found = read_pack(folder)
    if found is None:
        return None
    record, data = found
    if data.get("format") != MANIFEST_FORMAT or data.get("inputs") != inputs or not isinstance(data.get("files"), dict):
        return None
    for name, sha256 in data["files"].items():
        path = folder / name
        if path.parent != folder or not path.is_file() or _sha256(path) != sha256:
            log.info("%s changed since it was built; building %s again", display_path(path), slug)
            return None
    return record


def fresh_packs(project: Project, slugs: list[str], conversion: str, as_of: dt.date) -> list[PackRecord] | None:
    """Return every named country's pack if all are up to date, else None (a build is needed)."""
    shared = shared_inputs(project, conversion, as_of)
    records = []
    for slug in slugs:
        record = fresh_pack(project, slug, inputs_key(shared, project.content_dir / "countries" / f"{slug}.yaml"))
        if record is None:
            return None
        records.append(record)
    return records


def packs_up_to_date(project: Project, slugs: list[str]) -> list[PackRecord] | None:
    """Return every named country's pack if none needs building; starts no LibreOffice.

    None too when LibreOffice's version cannot be asked: the build then says what is wrong.
    """
    from .cache import conversion_identity
    from .timeline import build_date

    try:
        identity = conversion_identity(project.timeout)
    except ConversionError:
        return None
    return fresh_packs(project, slugs, identity, build_date(project.as_of))


def join_manifests(project: Project, require: list[str]) -> list[PackRecord]:
    """Return the pack of every country built under build/, checked against its manifest.

    Raises, naming each, when a pack is missing or differs from its manifest, or when a country
    in `require` has no pack (a CI share that did not build).
    """
    records: list[PackRecord] = []
    problems: list[Problem] = []
    with_manifest: set[str] = set()
    folders = sorted(path for path in project.build_dir.glob("*") if path.is_dir() and not path.name.startswith(".")) if project.build_dir.is_dir() else []
    for folder in folders:
        if not (folder / MANIFEST).is_file():
            continue
        found = read_pack(folder)
        with_manifest.add(folder.name)
        if found is None:
            problems.append(Problem(display_path(folder / MANIFEST), None, "", "cannot be read", "build the country again"))
            continue
        record, _ = found
        if not record.pack.is_file():
            problems.append(Problem(display_path(record.pack), None, "", "is missing", "build the country again"))
        elif _sha256(record.pack) != record.sha256:
            problems.append(Problem(display_path(record.pack), None, "", "differs from its manifest (sha256)", "build the country again"))
        else:
            records.append(record)
    built = with_manifest
    problems += [Problem(display_path(project.build_dir / slug), None, "", "has no pack", "build it, or check the CI share that should have") for slug in require if slug not in built]
    if problems:
        raise ManifestError(problems)
    return records


def joined_manifest(records: list[PackRecord]) -> bytes:
    """Return one manifest listing every pack, for publishing beside them."""
    packs = [
        {"country": record.slug, "pack": f"{record.slug}/{record.pack.name}", "sha256": record.sha256, "pages": record.pages, "built_at": record.built_at, "as_of": record.as_of}
        for record in records
    ]
    return (json.dumps({"format": MANIFEST_FORMAT, "packs": packs}, indent=2, ensure_ascii=False) + "\n").encode()


def write_joined(records: list[PackRecord], target: Path) -> Path:
    """Write the joined manifest to `target` atomically."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(target, joined_manifest(records))
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(target)}: {exc.strerror}") from None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
