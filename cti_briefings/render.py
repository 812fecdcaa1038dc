"""Stage 2: fill a Word template with a document's context, safely.

Values are XML-escaped (a '&' in a name stays a '&' and the .docx stays valid), a missing value
is an error rather than a blank in a letter to a minister, and templates run in Jinja's sandbox
because a template that arrived by e-mail must not reach Python internals.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
import zipfile
from pathlib import Path
from typing import Any, cast

import jinja2
from babel.dates import format_date
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree

from .bounded import ChildFailed, LimitExceeded, run_bounded
from .context import and_list, date_range
from .errors import TemplateError, display_path
from .fields import missing_field_message
from .layout import drop_empty_cell_endings, indent_leading_spaces, keep_short_lists_together, keep_short_tables_together
from .limits import MAX_OUTPUT_BYTES, MAX_RENDER_MEMORY_BYTES, MAX_RENDER_SECONDS, megabytes
from .reproducible import write_docx
from .sanitize import PUBLISHER, read_template_bytes, sanitize_template, set_metadata
from .template_check import failing_paragraph, failing_paragraph_text

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEFTOVER_TAG = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
__all__ = ["PUBLISHER", "document_text", "make_environment", "render_document"]


class MissingValueError(jinja2.UndefinedError):
    """A tag asked for a value that is not there; keeps what it was asked of, for the message."""

    def __init__(self, message: str, owner: object, name: str | None):
        super().__init__(message)
        self.owner = owner
        self.name = name


class _TellingUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error remembers the object and the name a tag asked for."""

    def _fail_with_undefined_error(self, *args, **kwargs):
        raise MissingValueError(self._undefined_message, self._undefined_obj, self._undefined_name)

    __str__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __hash__ = __contains__ = _fail_with_undefined_error


def _shown_value(value: object) -> object:
    return _mark_data(_refuse_none(value))


def _refuse_none(value: object) -> object:
    # A value the data leaves unset would print as 'None' in a letter: a tag outside its 'if'.
    if value is None:
        raise MissingValueError("the tag shows a value that is not set in this case (is it outside its '{%p if %}'?)", None, None)
    return value


class _CompilingOnceEnvironment(SandboxedEnvironment):
    """Compiles each template source once: `check` renders the same templates hundreds of times."""

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
            if len(self._compiled) > 256:
                self._compiled.pop(next(iter(self._compiled)))
        return compiled

    @property
    def _compiled(self) -> dict[str, jinja2.Template]:
        return self.__dict__.setdefault("_compiled_templates", {})


@functools.cache
def make_environment(language: str) -> SandboxedEnvironment:
    """Return the sandboxed, strict Jinja environment templates are rendered in (one per language)."""
    env = _CompilingOnceEnvironment(undefined=_TellingUndefined, autoescape=True, finalize=_shown_value)
    env.filters.update(
        long_date=lambda day: _format(day, "d MMMM y", language),
        short_date=lambda day: _format(day, "d MMM y", language),
        weekday=lambda day: _format(day, "EEEE", language),
        day_and_date=lambda day: _format(day, "EEEE d MMMM y", language),
        date_range=lambda start, end: date_range(_is_set(start), _is_set(end), language),
        time=lambda moment: moment.strftime("%H:%M"),
        and_list=and_list,
    )
    return env


def render_document(template: Path, context: dict[str, Any], what: str, metadata: dict[str, Any], language: str = "en") -> bytes:
    """Render one template to the bytes of a .docx; `what` names the document in errors."""
    shown = display_path(template)
    package = sanitize_template(read_template_bytes(template), shown)
    try:
        # The output limit goes with the call: the child is a fresh process, not a copy of this one.
        data: bytes = run_bounded(_fill, package, context, what, shown, metadata, language, MAX_OUTPUT_BYTES, seconds=MAX_RENDER_SECONDS, memory=MAX_RENDER_MEMORY_BYTES)
    except LimitExceeded as exc:
        if exc.which == "time":
            raise TemplateError(f"{shown}: {what}: filling in the template took longer than {MAX_RENDER_SECONDS:g} s (MAX_RENDER_SECONDS); look for a loop inside another loop") from None
        raise TemplateError(f"{shown}: {what}: filling in the template needed more than {megabytes(MAX_RENDER_MEMORY_BYTES)} of memory (MAX_RENDER_MEMORY_BYTES); look for a loop inside another loop") from None
    except ChildFailed as exc:
        if exc.kind == TemplateError.__name__:
            raise TemplateError(exc.message) from None
        raise TemplateError(f"{shown}: {what}: the template could not be filled in ({exc.kind}: {exc.message})") from None
    return data


def _fill(package: bytes, context: dict[str, Any], what: str, shown: str, metadata: dict[str, Any], language: str, max_output: int = MAX_OUTPUT_BYTES) -> bytes:
    """Fill a sanitised template package (runs in the bounded child process)."""
    document = DocxTemplate(io.BytesIO(package))
    try:
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise TemplateError(f"{shown}: is not a readable Word document ({exc.__class__.__name__}); save it from Word as 'Word Document (.docx)'") from None
    environment = make_environment(language)
    try:
        document.render(context, environment, autoescape=True)
    except SecurityError as exc:
        raise TemplateError(f"{shown}: {what}: the template tries to reach Python internals ({exc}); tags may only use the pack's data") from None
    except jinja2.UndefinedError as exc:
        paragraph = failing_paragraph(document, exc)
        where = f"{paragraph}: " if paragraph else ""
        raise TemplateError(f"{shown}: {what}: {where}{_undefined_message(exc, failing_paragraph_text(document, exc) or '')} (check the spelling of the tag in Word; values available: {', '.join(sorted(context))})") from None
    except jinja2.TemplateSyntaxError as exc:
        near = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
        near = f"; near: '{near[:120]}'" if near else ""
        raise TemplateError(f"{shown}: {what}: broken tag: {exc.message}{near} (a value tag is written {{{{ name }}}}; every {{% if %}} and {{% for %}} needs its {{% endif %}} or {{% endfor %}})") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{shown}: {what}: {exc}") from None
    except (etree.XMLSyntaxError, ValueError, TypeError, AttributeError) as exc:
        raise TemplateError(f"{shown}: {what}: the template could not be filled in: {exc} (a tag may sit across table cells or paragraphs)") from None

    drop_empty_cell_endings(document.docx)
    indent_leading_spaces(document.docx)
    keep_short_lists_together(document.docx)
    keep_short_tables_together(document.docx)
    set_metadata(document.docx, metadata)
    parts = _package_parts(document)
    leftover = _leftover_tag(parts).translate(_UNMARK)
    if leftover:
        raise TemplateError(f"{shown}: {what}: a tag was left unfilled: '{leftover}' (retype the tag in Word in one go, so that it is not split by formatting)")
    if sum(map(len, parts.values())) > max_output:
        raise TemplateError(f"{shown}: {what}: the filled-in document is larger than {megabytes(max_output)} (MAX_OUTPUT_BYTES); look for a loop inside another loop")
    return write_docx(parts, metadata.get("date"), _unmark_data)


class _PartsWriter:
    """Takes what python-docx would write into a zip file, part by part (write_docx compresses it once)."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.parts[pack_uri.membername] = blob

    def close(self) -> None:
        pass


def _package_parts(document: DocxTemplate) -> dict[str, bytes]:
    """Return the filled-in document's parts as python-docx's save would write them (name: bytes).

    As OpcPackage.save does, with a writer that keeps the parts instead of compressing them:
    write_docx then compresses each once, where saving and normalising did it twice.
    """
    writing = (PackageWriter, "_write_content_types_stream", "_write_pkg_rels", "_write_parts")
    if document.crc_to_new_media or document.crc_to_new_embedded or document.zipname_to_replace or not all(hasattr(writing[0], name) for name in writing[1:]):
        buffer = io.BytesIO()  # replaced media (docxtpl rewrites the saved file), or a python-docx that writes otherwise
        document.save(buffer)
        with zipfile.ZipFile(buffer) as saved:
            return {name: saved.read(name) for name in saved.namelist()}
    document.pre_processing()
    package = document.docx.part.package
    for part in package.parts:
        part.before_marshal()
    writer = cast(PhysPkgWriter, _PartsWriter())
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    return cast(_PartsWriter, writer).parts


def document_text(docx_bytes: bytes) -> str:
    """Return the text of a .docx (body, headers, footers, footnotes), one paragraph a line."""
    return "\n".join(_paragraph_texts(docx_bytes))


# Braces a value brings are swapped for noncharacters while the document is checked for
# unfilled tags, so that only the template's own braces count; they are put back after.
_DATA_BRACES = {"{": "\ufdd0", "}": "\ufdd1"}
_MARK = str.maketrans(_DATA_BRACES)
_UNMARK = str.maketrans({mark: brace for brace, mark in _DATA_BRACES.items()})


def _mark_data(value: Any) -> Any:
    if isinstance(value, jinja2.Undefined) or (hasattr(value, "__html__") and not isinstance(value, str)):
        return value
    return (value if isinstance(value, str) else str(value)).translate(_MARK)


def _unmark_data(xml: bytes) -> bytes:
    for brace, mark in _DATA_BRACES.items():
        xml = xml.replace(mark.encode("utf-8"), brace.encode()).replace(f"&#{ord(mark)};".encode(), brace.encode())
    return xml


TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def _paragraph_texts(docx: bytes | dict[str, bytes]):
    """Each paragraph's text in a .docx, or in its parts (name: bytes)."""
    if isinstance(docx, bytes):
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            docx = {name: archive.read(name) for name in archive.namelist() if TEXT_PARTS.match(name)}
    for name in sorted(docx):
        if TEXT_PARTS.match(name):
            root = etree.fromstring(docx[name])
            for paragraph in root.iter(f"{W}p"):
                yield "".join(text.text or "" for text in paragraph.iter(f"{W}t"))


def _leftover_tag(docx: bytes | dict[str, bytes]) -> str:
    for text in _paragraph_texts(docx):
        match = LEFTOVER_TAG.search(text)
        if match:
            return text[max(0, match.start() - 20): match.end() + 30].strip()
    return ""


def _undefined_message(exc: jinja2.UndefinedError, paragraph_text: str = "") -> str:
    if isinstance(exc, MissingValueError) and exc.name:
        # Name the object as the tag wrote it ('country' in '{{ country.nmae }}'), not its class.
        written = re.search(rf"([A-Za-z_][\w.]*)\.{re.escape(exc.name)}\b", paragraph_text)
        typo = missing_field_message(exc.owner, exc.name, written.group(1) if written else None)
        if typo:
            return typo
    message = str(exc)
    attribute = re.search(r"has no attribute '([^']+)'", message)
    if attribute:
        return f"the tag asks for '{attribute.group(1)}', which this document's data does not have"
    name = re.search(r"'([^']+)' is undefined", message)
    if name:
        return f"the tag asks for '{name.group(1)}', which this document's data does not have"
    return message


def _is_set(day: dt.date | None) -> dt.date:
    if day is None:
        raise jinja2.UndefinedError("a date the template asks for is not set")
    return day


def _format(day: dt.date | None, pattern: str, language: str) -> str:
    if day is None:
        raise jinja2.UndefinedError("a date the template asks for is not set")
    return format_date(day, pattern, locale=language)
