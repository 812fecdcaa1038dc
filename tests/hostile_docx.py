"""Build hostile templates from a copy of a stock template, whatever its current wording.

Each helper edits a .docx package in place: adds a paragraph to a part, a part with its
relationship and content type, or an external relationship. Tests then check the sanitiser
strips or refuses what was added.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
EDITOR = "Jane Q. Editor-Secret"
"""The name every hostile template carries, to be searched for in every output."""
EDITOR_PATH = "C:\\Users\\jqeditor\\Documents\\Secret Drafts"


def read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def change_part(path: Path, name: str, change) -> None:
    ensure_part(path, name)
    parts = read_parts(path)
    parts[name] = change(parts[name])
    write_parts(path, parts)


def ensure_part(path: Path, part: str) -> None:
    """Give the template a default header or footer if it has none, so that one can be made hostile."""
    kinds = {"word/header1.xml": ("hdr", "header"), "word/footer1.xml": ("ftr", "footer")}
    if part not in kinds or part in read_parts(path):
        return
    root, kind = kinds[part]
    add_part(path, part, w_xml(root, "<w:p/>"), f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml",
             "word/document.xml", f"rIdHostile{kind}", OFFICE_RELS + kind)
    reference = f'<w:{kind}Reference xmlns:r="{R_NS}" w:type="default" r:id="rIdHostile{kind}"/>'.encode()

    def refer(xml: bytes) -> bytes:
        last = list(re.finditer(rb"<w:sectPr[^>]*>", xml))[-1]
        return xml[: last.end()] + reference + xml[last.end():]

    change_part(path, "word/document.xml", refer)


def insert_paragraph(path: Path, part: str, inner_xml: str) -> None:
    """Put `<w:p>inner_xml</w:p>` first in a part (body, header, footer, footnotes...)."""
    ensure_part(path, part)
    paragraph = f'<w:p xmlns:w="{W_NS}" xmlns:r="{R_NS}">{inner_xml}</w:p>'.encode()

    def insert(xml: bytes) -> bytes:
        opening = re.search(rb"<w:body>|<w:hdr[^>]*>|<w:ftr[^>]*>|<w:footnote [^>]*w:id=\"1\"[^>]*>", xml)
        assert opening, part
        return xml[: opening.end()] + paragraph + xml[opening.end():]

    change_part(path, part, insert)


def add_relationship(path: Path, source: str, rel_id: str, rel_type: str, target: str, external: bool = False) -> None:
    ensure_part(path, source)
    folder, _, name = source.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    mode = ' TargetMode="External"' if external else ""
    relationship = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"{mode}/>'.encode()
    parts = read_parts(path)
    if rels not in parts:
        parts[rels] = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    parts[rels] = parts[rels].replace(b"</Relationships>", relationship + b"</Relationships>")
    write_parts(path, parts)


def add_part(path: Path, name: str, data: bytes, content_type: str, source: str, rel_id: str, rel_type: str) -> None:
    """Add a part with its content type and a relationship to it from `source`."""
    parts = read_parts(path)
    parts[name] = data
    override = f'<Override PartName="/{name}" ContentType="{content_type}"/>'.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override + b"</Types>")
    write_parts(path, parts)
    source_folder = source.rpartition("/")[0]
    target = name[len(source_folder) + 1:] if source_folder and name.startswith(source_folder + "/") else "/" + name
    add_relationship(path, source, rel_id, rel_type, target)


def w_xml(root: str, inner: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{inner}</w:{root}>'.encode()


def tracked_insertion() -> str:
    return f'<w:ins w:id="901" w:author="{EDITOR}" w:date="2026-01-01T00:00:00Z"><w:r><w:t>added</w:t></w:r></w:ins>'


def tracked_deletion() -> str:
    return f'<w:del w:id="902" w:author="{EDITOR}" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>removed</w:delText></w:r></w:del>'


def tracked_formatting() -> str:
    return f'<w:r><w:rPr><w:b/><w:rPrChange w:id="903" w:author="{EDITOR}" w:date="2026-01-01T00:00:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t>bold now</w:t></w:r>'


def tracked_paragraph_formatting() -> str:
    return f'<w:pPr><w:jc w:val="center"/><w:pPrChange w:id="904" w:author="{EDITOR}" w:date="2026-01-01T00:00:00Z"><w:pPr/></w:pPrChange></w:pPr><w:r><w:t>centred</w:t></w:r>'


def tracked_move() -> str:
    return f'<w:moveFrom w:id="905" w:author="{EDITOR}" w:date="2026-01-01T00:00:00Z"><w:r><w:t>moved</w:t></w:r></w:moveFrom>'


def comment_anchor() -> str:
    return '<w:commentRangeStart w:id="7"/><w:r><w:t>commented</w:t></w:r><w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r>'


def comments_part() -> bytes:
    return w_xml("comments", f'<w:comment w:id="7" w:author="{EDITOR}" w:initials="JQE"><w:p><w:r><w:t>Do not tell the minister</w:t></w:r></w:p></w:comment>')


def people_part() -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
            f'<w15:person w15:author="{EDITOR}"><w15:presenceInfo w15:providerId="AD" w15:userId="S::jqeditor@example.org"/></w15:person></w15:people>').encode()


def field(instruction: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>result</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


def linked_picture(rel_id: str) -> str:
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    return (f'<w:r><w:drawing><wp:inline xmlns:wp="{wp}"><wp:extent cx="914400" cy="914400"/><wp:docPr id="77" name="Linked"/>'
            f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}"><pic:nvPicPr><pic:cNvPr id="77" name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:link="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def png_with_author() -> bytes:
    """A 1x1 white PNG whose text chunks name the editor and a path."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"tEXt", b"Author\x00" + EDITOR.encode())
            + chunk(b"iTXt", b"Source\x00\x00\x00\x00\x00" + EDITOR_PATH.encode()) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


def jpeg_with_exif(folder: Path) -> bytes:
    """A small real JPEG (drawn by pdftoppm) with EXIF and a comment naming the editor."""
    import subprocess

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(20, 20)
    with open(folder / "blank.pdf", "wb") as stream:
        writer.write(stream)
    subprocess.run(["pdftoppm", "-jpeg", "-r", "10", "-singlefile", str(folder / "blank.pdf"), str(folder / "blank")], check=True)
    jpeg = (folder / "blank.jpg").read_bytes()
    exif = b"Exif\x00\x00" + f"Artist={EDITOR};Path={EDITOR_PATH}".encode()
    comment = f"drawn by {EDITOR}".encode()
    segments = b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return jpeg[:2] + segments + jpeg[2:]


def add_picture(path: Path, part: str, media_name: str, data: bytes, rel_id: str, picture_id: int) -> None:
    """Embed a picture in `part`, with Word's habit of naming it by its original path."""
    parts = read_parts(path)
    parts[f"word/media/{media_name}"] = data
    extension = media_name.rsplit(".", 1)[1]
    if f'Extension="{extension}"'.encode() not in parts["[Content_Types].xml"]:
        kind = "image/png" if extension == "png" else "image/jpeg"
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"<Override", f'<Default Extension="{extension}" ContentType="{kind}"/><Override'.encode(), 1)
    write_parts(path, parts)
    add_relationship(path, part, rel_id, OFFICE_RELS + "image", f"media/{media_name}")
    original = f"{EDITOR_PATH}\\{media_name}"
    insert_paragraph(path, part, linked_picture(rel_id).replace("r:link=", "r:embed=")
                     .replace('name="Linked"/>', f'name="{original}" descr="{original}" title="{original}"/>')
                     .replace('name="linked.png"/>', f'name="{original}" descr="{original}"/>')
                     .replace('id="77"', f'id="{picture_id}"'))
