"""The second wall: real LibreOffice never reads a file or an address a document names.

Templates are sanitised before rendering; this checks that LibreOffice itself, given a document
that slipped through, fetches nothing: a local web server records every request, and the
linked file's access time shows whether it was read.
"""

from __future__ import annotations

import http.server
import io
import os
import re
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Inches
from pypdf import PdfReader

from cti_briefings.errors import ConversionError
from cti_briefings.office import Converter

pytestmark = pytest.mark.integration


def png() -> bytes:
    """A 4x4 red PNG."""
    rows = b"".join(b"\x00" + b"\xc8\x00\x00" * 4 for _ in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def docx_with_linked_picture(path: Path, address: str) -> Path:
    """A .docx whose only picture is linked to `address` (r:link, TargetMode External), as Word writes it."""
    document = Document()
    document.add_paragraph("A picture linked from outside the document:")
    document.add_picture(io.BytesIO(png()), width=Inches(1))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("word/media/"):
                continue
            if item.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'(Type="[^"]+/image") Target="[^"]+"', rb'\1 Target="' + address.encode() + rb'" TargetMode="External"', data)
            if item.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            target.writestr(item, data)
    return path


@pytest.fixture
def web_server():
    """A web server on 127.0.0.1 that serves a picture and records every path asked for."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = png()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_linked_pictures_are_never_fetched_nor_embedded(tmp_path, monkeypatch, web_server, office_cache):
    monkeypatch.setenv("CTI_CACHE_DIR", str(office_cache))
    address, requests = web_server
    picture = tmp_path / "on-this-machine.png"
    picture.write_bytes(png())
    modified = picture.stat().st_mtime
    os.utime(picture, (modified - 3600, modified))  # an access time older than the change: any read moves it
    web = docx_with_linked_picture(tmp_path / "web.docx", f"{address}/secret.png")
    local = docx_with_linked_picture(tmp_path / "local.docx", picture.as_uri())
    bare_path = docx_with_linked_picture(tmp_path / "bare-path.docx", str(picture))

    with Converter(jobs=1) as office:
        pdfs = office.convert_all([(source, source.with_suffix(".pdf")) for source in (web, local, bare_path)])

    assert requests == []
    assert picture.stat().st_atime == modified - 3600
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert "A picture linked from outside the document:" in reader.pages[0].extract_text()
        assert not [image for page in reader.pages for image in page.images]


def test_a_web_page_named_docx_is_refused_unread(tmp_path, monkeypatch, web_server, office_cache):
    monkeypatch.setenv("CTI_CACHE_DIR", str(office_cache))
    address, requests = web_server
    disguised = tmp_path / "01-invitation.docx"
    disguised.write_text(f'<html><body><p>Hello</p><img src="{address}/tracker.png"></body></html>')
    with pytest.raises(ConversionError, match=r"^LibreOffice could not convert 01-invitation.docx: "):
        with Converter(jobs=1) as office:
            office.convert_all([(disguised, tmp_path / "01-invitation.pdf")])
    assert requests == []
    assert not (tmp_path / "01-invitation.pdf").exists()
