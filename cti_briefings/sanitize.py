"""Templates are read as untrusted packages: strip what is safe to strip, refuse the rest.

A .docx is a zip of XML parts linked by relationships. Anything in any part may carry an
editor's name (tracked changes, comments, people.xml, rsids, properties), a path on an editor's
computer (attached template, linked files), or make the build read something outside the
project (linked pictures and objects, INCLUDEPICTURE fields). Outputs are made only from the
sanitised package, and get the pack's own neutral properties (`set_metadata`).

Choices, per case:
- refused, with what to do in Word: tracked changes and comments the document shows (the editor
  must decide on them), linked pictures, objects and sub-documents, fields that read files,
  embedded objects (they carry their own authors), imported chunks, XML with a DOCTYPE;
- stripped, because nothing visible is lost: people.xml, the thumbnail, custom properties,
  custom XML, the glossary (building blocks), comments with no anchor, macros, rsids and author
  attributes, the attached template, document variables, mail-merge sources, Company/Manager;
- kept: hyperlinks to http(s) and mailto addresses (a reader may follow them; the build never
  does), embedded fonts and pictures.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import TemplateError, display_path
from .limits import MAX_TEMPLATE_FILE_BYTES, MAX_TEMPLATE_PARTS, MAX_TEMPLATE_UNPACKED_BYTES, megabytes

log = logging.getLogger(__name__)

PUBLISHER = "CTI Secretariat"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS_RELS = "http://schemas.microsoft.com/office/"

_TRACKED_CHANGES = {
    "ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange", "tblGridChange",
    "numberingChange", "cellIns", "cellDel", "cellMerge",
    "customXmlInsRangeStart", "customXmlDelRangeStart", "customXmlMoveFromRangeStart", "customXmlMoveToRangeStart",
}
_COMMENT_ANCHORS = {"commentRangeStart", "commentRangeEnd", "commentReference"}
_STRIPPED_ELEMENTS = {"rsids", "rsid", "attachedTemplate", "docVars", "savePreviewPicture", "mailMerge", "permStart", "permEnd"}
_NAME_ATTRIBUTES = {"author", "initials", "ed", "userId", "providerId"}
# Fields that read a file or an address, or write an editor's or a computer's name or path.
_REFUSED_FIELDS = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|IMPORT|LINK|DDE|DDEAUTO|DATABASE|RD|USERNAME|USERINITIALS|USERADDRESS|FILENAME|TEMPLATE|LASTSAVEDBY)\b", re.IGNORECASE)

_DROPPED_RELATIONSHIPS = {
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail": "thumbnail",
    OFFICE_RELS + "custom-properties": "custom properties",
    OFFICE_RELS + "customXml": "custom XML",
    OFFICE_RELS + "glossaryDocument": "building blocks",
    MS_RELS + "2011/relationships/people": "list of editors (people.xml)",
    MS_RELS + "2006/relationships/vbaProject": "macros",
    MS_RELS + "2006/relationships/wordVbaData": "macros",
    MS_RELS + "2006/relationships/keyMapCustomizations": "macro key bindings",
    MS_RELS + "2006/relationships/attachedToolbars": "macro toolbars",
    OFFICE_RELS + "attachedTemplate": "attached template",
    OFFICE_RELS + "mailMergeSource": "mail-merge source",
    OFFICE_RELS + "mailMergeHeaderSource": "mail-merge source",
    OFFICE_RELS + "recipientData": "mail-merge recipients",
}
_COMMENT_RELATIONSHIPS = {
    OFFICE_RELS + "comments",
    MS_RELS + "2011/relationships/commentsExtended",
    MS_RELS + "2016/09/relationships/commentsIds",
    MS_RELS + "2018/08/relationships/commentsExtensible",
}
_EXTERNAL_KINDS = {
    "image": "a picture linked to a file or address outside the document",
    "oleObject": "an object linked to a file outside the document",
    "subDocument": "a sub-document linked from outside the document",
    "frame": "a frame showing a file outside the document",
    "font": "a font linked from outside the document",
    "package": "an object linked to a file outside the document",
    "externalLinkPath": "a link to a file outside the document",
    "video": "a video linked from outside the document",
    "audio": "a sound linked from outside the document",
}
_FIX_LINK = "in Word: File > Info > Edit Links to Files > Break Link, or insert the picture or object again from a copy on this computer"
# HYPERLINK "target" (a web address, or a file path that names the editor's folders); \\l links inside the document.
_HYPERLINK_FIELD = re.compile(r'\bHYPERLINK\s+(?!\\l)(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_SAFE_HYPERLINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_MACRO_TYPES = ("application/vnd.ms-word.document.macroEnabled.main+xml", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")
_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_EMPTY_CORE = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False)


@dataclass
class _Package:
    parts: dict[str, bytes]
    shown: str

    def rels_name(self, part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def relationships(self, part: str) -> list[etree._Element]:
        name = self.rels_name(part)
        if name not in self.parts:
            return []
        return list(_parse(self, name))

    def target(self, part: str, relationship: etree._Element) -> str:
        target = relationship.get("Target", "")
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def read_template_bytes(template: Path) -> bytes:
    """Read a template file, refusing a missing or oversized one."""
    shown = display_path(template)
    if not template.is_file():
        raise TemplateError(f"{shown}: template is missing (restore it from the repository, or copy another language's)")
    size = template.stat().st_size
    if size > MAX_TEMPLATE_FILE_BYTES:
        raise TemplateError(f"{shown}: is {megabytes(size)}; the limit is {megabytes(MAX_TEMPLATE_FILE_BYTES)} (MAX_TEMPLATE_FILE_BYTES): make its pictures smaller")
    try:
        return template.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{shown}: cannot be read: {exc.strerror}") from None


@functools.lru_cache(maxsize=16)
def sanitize_template(data: bytes, shown: str) -> bytes:
    """Return the template package stripped of personal traces and macros; refuse what cannot be stripped."""
    package = _Package(_read_package(data, shown), shown)
    _drop_relationships(package)
    _drop_unreachable_parts(package)
    _drop_unanchored_comments(package)
    _drop_unreachable_parts(package)
    if "docProps/core.xml" in package.parts:
        package.parts["docProps/core.xml"] = _EMPTY_CORE  # filled in by set_metadata
    _neutralise_content_types(package)
    for name in list(package.parts):
        if name.endswith(".rels"):
            _check_external_relationships(package, name)
        elif name.startswith("word/embeddings/"):
            raise TemplateError(f"{shown}: contains an embedded object (a spreadsheet, document or other file), which carries its own authors and files (in Word: copy it, then Home > Paste > Paste Special > Picture, and delete the object)")
        elif name.endswith(".xml"):
            _clean_xml_part(package, name)
        elif name.lower().endswith((".jpg", ".jpeg")):
            package.parts[name] = _jpeg_without_metadata(package.parts[name])
        elif name.lower().endswith(".png"):
            package.parts[name] = _png_without_metadata(package.parts[name])
    return _write_package(package.parts)


def set_metadata(document: Any, metadata: dict[str, Any]) -> None:
    """Give a python-docx document the pack's own properties, and none of its editors' names."""
    properties = document.core_properties
    properties.author = PUBLISHER
    properties.last_modified_by = PUBLISHER
    properties.title = metadata.get("title", "")
    properties.subject = metadata.get("subject", "")
    properties.keywords = metadata.get("keywords", "")
    properties.comments = ""
    properties.category = ""
    properties.identifier = ""
    properties.version = ""
    properties.content_status = metadata.get("marking", "")
    properties.revision = 1
    if "date" in metadata:
        moment = dt.datetime.combine(metadata["date"], dt.time(12, 0))
        properties.created = moment
        properties.modified = moment
        properties.last_printed = moment
    for part in document.part.package.parts:
        if part.partname == "/docProps/app.xml":
            part._blob = _without_elements(part.blob, ("Company", "Manager", "HyperlinkBase", "Template", "HLinks", "TotalTime"))


def _read_package(data: bytes, shown: str) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TemplateError(f"{shown}: is not a readable Word document (BadZipFile); save it from Word as 'Word Document (.docx)'") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_TEMPLATE_PARTS:
            raise TemplateError(f"{shown}: holds {len(entries)} files; the limit is {MAX_TEMPLATE_PARTS} (MAX_TEMPLATE_PARTS): save it again from Word as 'Word Document (.docx)'")
        parts: dict[str, bytes] = {}
        budget = MAX_TEMPLATE_UNPACKED_BYTES
        for entry in entries:
            if entry.filename in parts:
                raise TemplateError(f"{shown}: holds two files called {entry.filename}; save it again from Word as 'Word Document (.docx)'")
            if entry.is_dir():
                continue
            try:
                # Read one byte past the budget: a zip may lie about its sizes.
                with archive.open(entry) as stream:
                    content = stream.read(budget + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
                raise TemplateError(f"{shown}: is not a readable Word document ({exc.__class__.__name__}); save it from Word as 'Word Document (.docx)'") from None
            budget -= len(content)
            if budget < 0:
                raise TemplateError(f"{shown}: unpacks to more than {megabytes(MAX_TEMPLATE_UNPACKED_BYTES)} (MAX_TEMPLATE_UNPACKED_BYTES): make its pictures smaller")
            parts[entry.filename] = content
    return parts


def _parse(package: _Package, name: str) -> etree._Element:
    data = package.parts[name]
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise TemplateError(f"{package.shown}: {name} declares a DOCTYPE or entities, which Word never writes; save the template again from Word")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{package.shown}: is not a readable Word document ({name}: {exc}); save it from Word as 'Word Document (.docx)'") from None


def _store(package: _Package, name: str, root: etree._Element) -> None:
    package.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_relationships(package: _Package) -> None:
    """Remove relationships whose parts carry names, macros or paths, with nothing visible lost."""
    for name in [name for name in package.parts if name.endswith(".rels")]:
        root = _parse(package, name)
        changed = False
        for relationship in list(root):
            kind = _DROPPED_RELATIONSHIPS.get(relationship.get("Type", ""))
            if kind:
                log.info("%s: removed the %s from the output", package.shown, kind)
                root.remove(relationship)
                changed = True
        if changed:
            _store(package, name, root)


def _drop_unanchored_comments(package: _Package) -> None:
    """Comments with an anchor are refused; a comments part nothing points at is removed.

    Word does not show comments without an anchor, so an editor could not delete them there.
    """
    for name in [name for name in package.parts if name.endswith(".xml") and "/embeddings/" not in name]:
        if not name.startswith("word/") or "comments" in posixpath.basename(name).lower():
            continue
        data = package.parts[name]
        if b"commentRangeStart" in data or b"commentReference" in data or b"commentRangeEnd" in data:
            root = _parse(package, name)
            if any(etree.QName(element).localname in _COMMENT_ANCHORS for element in root.iter() if isinstance(element.tag, str)):
                raise TemplateError(f"{package.shown}: has comments {_where(name)}, which carry editors' names (in Word: Review > Delete > Delete All Comments in Document)")
    for name in [name for name in package.parts if name.endswith(".rels")]:
        root = _parse(package, name)
        kept = [relationship for relationship in root if relationship.get("Type") not in _COMMENT_RELATIONSHIPS]
        if len(kept) != len(root):
            for relationship in list(root):
                if relationship not in kept:
                    root.remove(relationship)
            _store(package, name, root)


def _drop_unreachable_parts(package: _Package) -> None:
    """Keep only parts reachable through internal relationships from the package root."""
    reachable = {"[Content_Types].xml"}
    pending = [""]
    while pending:
        part = pending.pop()
        rels = package.rels_name(part) if part else "_rels/.rels"
        if rels not in package.parts:
            continue
        reachable.add(rels)
        for relationship in _parse(package, rels):
            if relationship.get("TargetMode") == "External":
                continue
            target = package.target(part, relationship)
            if target in package.parts and target not in reachable:
                reachable.add(target)
                pending.append(target)
    for name in list(package.parts):
        if name not in reachable:
            log.info("%s: removed %s, which the document does not use", package.shown, name)
            del package.parts[name]


def _neutralise_content_types(package: _Package) -> None:
    """Drop content types of removed parts; a macro-enabled document becomes a plain one."""
    name = "[Content_Types].xml"
    if name not in package.parts:
        raise TemplateError(f"{package.shown}: is not a readable Word document (no [Content_Types].xml); save it from Word as 'Word Document (.docx)'")
    root = _parse(package, name)
    for override in list(root):
        if etree.QName(override).localname != "Override":
            continue
        if override.get("PartName", "").lstrip("/") not in package.parts:
            root.remove(override)
        elif override.get("ContentType") in _MACRO_TYPES:
            override.set("ContentType", _DOCUMENT_TYPE)
    for default in list(root):
        if etree.QName(default).localname == "Default" and default.get("Extension", "").lower() == "bin" and "vba" in default.get("ContentType", "").lower():
            root.remove(default)
    _store(package, name, root)


def _check_external_relationships(package: _Package, name: str) -> None:
    for relationship in _parse(package, name):
        if relationship.get("TargetMode") != "External":
            continue
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        target = relationship.get("Target", "")
        owner = _where(_owner_of(name))
        if kind == "hyperlink":
            if _SAFE_HYPERLINK.match(target):
                continue
            raise TemplateError(f"{package.shown}: has a link {owner} to a file on a computer ('{target[:80]}'), which names its folders (in Word: right-click the link > Remove Hyperlink, or link to a web address)")
        what = _EXTERNAL_KINDS.get(kind, "a part linked from outside the document")
        raise TemplateError(f"{package.shown}: has {what} {owner} ('{target[:80]}'); a build never reads outside files ({_FIX_LINK})")


_TRACKED_TAGS = [W + name for name in sorted(_TRACKED_CHANGES)]
_STRIPPED_TAGS = [W + name for name in sorted(_STRIPPED_ELEMENTS)]
_TRACE_BYTES = re.compile(rb"[\s:](?:rsid\w*|" + "|".join(sorted(_NAME_ATTRIBUTES)).encode() + rb")=")
_TRACE_ATTRIBUTES = etree.XPath(
    "//*[@*[starts-with(local-name(), 'rsid') or " + " or ".join(f"local-name() = '{name}'" for name in sorted(_NAME_ATTRIBUTES)) + "]]"
)


def _clean_xml_part(package: _Package, name: str) -> None:
    root = _parse(package, name)
    if not name.startswith("word/"):
        if name == "docProps/app.xml":
            package.parts[name] = _without_elements(package.parts[name], ("Company", "Manager", "HyperlinkBase", "Template", "HLinks"))
        return
    if next(root.iter(*_TRACKED_TAGS), None) is not None:
        raise TemplateError(f"{package.shown}: has tracked changes {_where(name)}, which carry editors' names (in Word: Review > Accept > Accept All Changes, then turn Track Changes off)")
    if next(root.iter(W + "altChunk"), None) is not None:
        raise TemplateError(f"{package.shown}: has a part imported from another file {_where(name)} (in Word: copy the text, then paste it back with Home > Paste > Keep Text Only)")
    instructions = [element.text or "" if element.tag == W + "instrText" else element.get(W + "instr", "") for element in root.iter(W + "instrText", W + "fldSimple")]
    joined = "".join(instructions)
    for target in ("".join(groups) for groups in _HYPERLINK_FIELD.findall(joined)):
        if not _SAFE_HYPERLINK.match(target):
            raise TemplateError(f"{package.shown}: has a link {_where(name)} to a file on a computer ('{target[:80]}'), which names its folders (in Word: right-click the link > Remove Hyperlink, or link to a web address)")
    field = _REFUSED_FIELDS.search(joined)
    if field:
        raise TemplateError(f"{package.shown}: has a {field.group(1).upper()} field {_where(name)}, which reads outside files or writes an editor's name or a folder (in Word: click in the field, press Ctrl+Shift+F9 to turn it into plain text)")
    changed = _forget_picture_paths(root) if _PICTURE_BYTES.search(package.parts[name]) else False
    for element in list(root.iter(*_STRIPPED_TAGS)):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
            changed = True
    traced = _TRACE_ATTRIBUTES(root) if _TRACE_BYTES.search(package.parts[name]) else []
    for element in traced:
        for attribute in list(element.attrib):
            local = etree.QName(attribute).localname
            if local.startswith("rsid") or local in _NAME_ATTRIBUTES:
                del element.attrib[attribute]
                changed = True
    if changed:
        _store(package, name, root)


# Word stores a picture's original file path as its name or description ('C:\\Users\\...').
_PATH_VALUE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|/|file:|~)")
_PICTURE_BYTES = re.compile(rb":(?:docPr|cNvPr|imagedata|shape)\s")
_PICTURE_NAMES = etree.XPath("//*[local-name() = 'docPr' or local-name() = 'cNvPr' or local-name() = 'imagedata' or local-name() = 'shape'][@descr or @name or @title or @o:title]",
                             namespaces={"o": "urn:schemas-microsoft-com:office:office"})


def _forget_picture_paths(root: etree._Element) -> bool:
    changed = False
    for element in _PICTURE_NAMES(root):
        for attribute, value in list(element.attrib.items()):
            if etree.QName(attribute).localname in ("descr", "name", "title") and _PATH_VALUE.match(value):
                element.set(attribute, re.split(r"[\\/]", value)[-1] if etree.QName(attribute).localname == "name" else "")
                changed = True
    return changed


# JPEG segments kept: JFIF (APP0), colour profile (APP2), Adobe colour transform (APP14).
_JPEG_KEPT_APPS = {0xE0, 0xE2, 0xEE}


def _jpeg_without_metadata(data: bytes) -> bytes:
    """Drop EXIF and XMP (APP1), IPTC (APP13), comments and other APP segments: they name authors and places."""
    if not data.startswith(b"\xff\xd8"):
        return data
    kept, position = [data[:2]], 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the image data follows, with no more metadata
            break
        length = int.from_bytes(data[position + 2: position + 4], "big")
        segment = data[position: position + 2 + length]
        if not ((0xE0 <= marker <= 0xEF and marker not in _JPEG_KEPT_APPS) or marker == 0xFE):
            kept.append(segment)
        position += 2 + length
    return b"".join(kept) + data[position:]


_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def _png_without_metadata(data: bytes) -> bytes:
    """Drop PNG text, EXIF and time chunks."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data
    kept, position = [data[:8]], 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position: position + 4], "big")
        kind = data[position + 4: position + 8]
        chunk = data[position: position + 12 + length]
        if kind not in _PNG_DROPPED:
            kept.append(chunk)
        position += 12 + length
    return b"".join(kept) + data[position:]


def _owner_of(rels_name: str) -> str:
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def _where(part: str) -> str:
    base = posixpath.basename(part)
    if part == "word/document.xml":
        return "in the body"
    for prefix, words in (("header", "in a header"), ("footer", "in a footer"), ("footnotes", "in the footnotes"), ("endnotes", "in the endnotes"),
                          ("styles", "in the styles"), ("numbering", "in the list numbering"), ("settings", "in the settings"), ("comments", "in the comments")):
        if base.startswith(prefix):
            return words
    return f"in {part}"


def _without_elements(blob: bytes, local_names: tuple[str, ...]) -> bytes:
    root = etree.fromstring(blob, _PARSER)
    for element in list(root):
        if isinstance(element.tag, str) and etree.QName(element).localname in local_names:
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write_package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()
