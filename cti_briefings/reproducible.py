"""Reproducible outputs: the same content, templates and build date give the same bytes.

Zip entries carry the time they were written, and LibreOffice stamps every PDF with the time of
conversion and a random document ID; both are replaced by values derived from the build date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from .output import write_atomically

_ZIP_EPOCH = dt.date(1980, 1, 1)
_PDF_DATE = re.compile(rb"D:\d{14}(?:[Z+-](?:\d\d'?\d\d'?)?)?")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def normalise_docx(docx_bytes: bytes, day: dt.date | None, rewrite_xml: Callable[[bytes], bytes] | None = None) -> bytes:
    """Rewrite a .docx with its entries in a fixed order and dated `day` (or 1980-01-01).

    `rewrite_xml`, if given, is applied to every XML part on the way.
    """
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source:
        return write_docx({name: source.read(name) for name in source.namelist()}, day, rewrite_xml)


def write_docx(parts: dict[str, bytes], day: dt.date | None, rewrite_xml: Callable[[bytes], bytes] | None = None) -> bytes:
    """Write a .docx of `parts` (name: bytes) as normalise_docx gives it, compressing each part once."""
    stamp = max(day or _ZIP_EPOCH, _ZIP_EPOCH)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        # [Content_Types].xml first, as Word writes it; the rest in a stable order.
        for name in sorted(parts, key=lambda name: (name != "[Content_Types].xml", name)):
            entry = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            data = parts[name]
            if rewrite_xml and name.endswith((".xml", ".rels")):
                data = rewrite_xml(data)
            target.writestr(entry, data)
    return buffer.getvalue()


def normalise_pdf(pdf: Path, day: dt.date) -> Path:
    """Replace LibreOffice's conversion time and random ID in `pdf` by ones fixed by `day`.

    Substitutions keep every length, so the cross-reference offsets stay right.
    """
    data = pdf.read_bytes()
    stamp = day.strftime("%Y%m%d") + "000000"

    def fixed_date(match: re.Match[bytes]) -> bytes:
        return b"D:" + stamp.encode() + match.group(0)[16:]  # the time zone keeps its form

    def fixed_hex(match: re.Match[bytes]) -> bytes:
        fixed = match.group(0)
        for value in match.groups():
            fixed = fixed.replace(value, digest[: len(value)].ljust(len(value), b"0"))
        return fixed

    def fixed_xmp(match: re.Match[bytes]) -> bytes:
        return match.group(1) + f"{day.isoformat()}T00:00:00".encode()

    normalised = _PDF_DATE.sub(fixed_date, data)
    normalised = _XMP_DATE.sub(fixed_xmp, normalised)
    # The ID and LibreOffice's checksum are derived from the rest: same content, same ID.
    digest = hashlib.sha256(_PDF_CHECKSUM.sub(b"", _PDF_ID.sub(b"", normalised))).hexdigest().upper().encode()
    normalised = _PDF_CHECKSUM.sub(fixed_hex, _PDF_ID.sub(fixed_hex, normalised))
    if normalised != data:
        write_atomically(pdf, normalised)
    return pdf
