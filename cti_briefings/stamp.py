"""The pack's protective marking and footer, stamped on every page at assembly, then checked.

Only the pack is stamped: the documents beside it in build/<slug>/ stay as converted, so that
what goes to the Government (the invitation, a shared programme) carries nothing internal.
The stamp is drawn by reportlab with an embedded TrueType font that covers accented letters
("CONFIDENTIEL", "Côte d'Ivoire"), one overlay page per pack page, merged by pypdf.
"""

from __future__ import annotations

import functools
import io
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, PdfObject, StreamObject
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from .errors import AssemblyError
from .pdftext import PdfTextError
from .pdftext import page_texts as page_texts_of

if TYPE_CHECKING:
    from .schema import Country

log = logging.getLogger(__name__)

FONT_FAMILY = "Liberation Sans"
FONT_PACKAGE = "fonts-liberation2"
# Where Debian and Ubuntu put the font; fc-match finds it anywhere else.
FONT_FOLDERS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
FONT_FILES = {"regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf"}
FONT_STYLES = {"regular": "Regular", "bold": "Bold"}

MM = 72 / 25.4
# The templates' own headers and footers sit about 11-13 mm from the edges and their text 20 mm
# or more; the stamp keeps to the outer band, about 6 mm from the edges, clear of both.
MARKING_SIZE = 10.0
MARKING_BASELINE_FROM_TOP = 9 * MM
FOOTER_SIZE = 7.5
FOOTER_BASELINE_FROM_BOTTOM = 6 * MM
SIDE_MARGIN = 25 * MM
MARKING_COLOUR = Color(0.75, 0.0, 0.0)
FOOTER_COLOUR = Color(0.4, 0.4, 0.4)

PAGE_NUMBER_FORMATS = {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}", "es": "Página {page} de {pages}"}
# On the pack's copy of a document sent to the Government (whose own file carries no marking).
COPY_NOTES = {
    "en": "Copy for the delegation: the document sent to the Government carries no marking or footer",
    "fr": "Copie pour la délégation : le document adressé au Gouvernement ne porte ni marquage ni pied de page",
    "es": "Copia para la delegación: el documento enviado al Gobierno no lleva marca ni pie de página",
}
COPY_NOTE_SIZE = 7.0
COPY_NOTE_BASELINE_FROM_TOP = 13 * MM
PACK_FOOTERS = {"en": "CTI briefing pack · {country} · visit {dates}", "fr": "Dossier d’information CTI · {country} · visite {dates}", "es": "Carpeta informativa CTI · {country} · visita {dates}"}


@dataclass(frozen=True)
class PackStamp:
    """What every page of a pack carries: the marking at the top, the footer and page number below."""

    marking: str
    footer: str
    page_number_format: str = PAGE_NUMBER_FORMATS["en"]
    """With {page} and {pages}, e.g. 'Page {page} of {pages}'."""
    copy_note: str = COPY_NOTES["en"]
    """Printed under the marking on the pages of a document sent to the Government."""


def pack_stamp(country: Country) -> PackStamp:
    """Return the stamp of a country's pack: its marking, and a footer naming the country and visit."""
    from .render import make_environment  # the documents' own date style: '16–18 February 2027'

    language = country.language if country.language in PACK_FOOTERS else "en"
    dates = make_environment(country.language).filters["date_range"](country.visit.start, country.visit.end)
    footer = PACK_FOOTERS[language].format(country=country.short_name, dates=dates)
    return PackStamp(country.marking, footer, PAGE_NUMBER_FORMATS[language], COPY_NOTES[language])


def stamp_pages(pages: list[PageObject], stamp: PackStamp, copies: frozenset[int] = frozenset()) -> None:
    """Draw the marking, the footer and 'Page n of N' over every page of a PdfWriter, in place.

    The pages numbered in `copies` (from 0) are the pack's copy of a document sent to the
    Government; a line under the marking says so, so that no reader takes it for the original's.
    Each page's stamp is a form XObject drawn after the page's own content, which is left as it
    is (wrapped in q/Q so that its graphics state does not reach the stamp): merging the two
    content streams instead would parse and rewrite every page."""
    regular, bold = register_fonts()
    _refuse_missing_glyphs(stamp, regular, bold)
    for page in pages:
        if page.rotation:
            page.transfer_rotation_to_content()  # so that the stamp reads upright on a turned page
    overlay = PdfReader(io.BytesIO(_overlays([(float(page.mediabox.width), float(page.mediabox.height)) for page in pages], stamp, regular, bold, copies)))
    for page, over in zip(pages, overlay.pages):
        _draw_over(page, over)


STAMP_XOBJECT = NameObject("/CTIStamp")


def _draw_over(page: PageObject, over: PageObject) -> None:
    """Draw the overlay page `over` over `page` (a page of a PdfWriter), at the page's lower left corner."""
    writer = page.indirect_reference.pdf if page.indirect_reference is not None else None
    if not isinstance(writer, PdfWriter):
        raise AssemblyError("a page can be stamped only once it is in the pack being written")
    width, height = float(over.mediabox.width), float(over.mediabox.height)
    form = DecodedStreamObject()
    drawn = over.get_contents()
    form.set_data(drawn.get_data() if drawn is not None else b"")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]),
        NameObject("/Resources"): over["/Resources"].clone(writer),
    })
    # The page's own resources may be shared with other pages: it gets a copy naming its stamp.
    resources = DictionaryObject(_dictionary(page.get("/Resources")))
    xobjects = DictionaryObject(_dictionary(resources.get("/XObject")))
    xobjects[STAMP_XOBJECT] = writer._add_object(form.flate_encode())
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
    contents = page.get("/Contents")
    resolved = contents.get_object() if contents is not None else None
    own = list(resolved) if isinstance(resolved, ArrayObject) else [contents] if contents is not None else []
    own = [writer._add_object(part) if isinstance(part, StreamObject) else part for part in own]  # a stream in an array must be indirect
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ\nq 1 0 0 1 {left:g} {bottom:g} cm {STAMP_XOBJECT} Do Q\n".encode())
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *own, writer._add_object(after)])


def _dictionary(value: object) -> DictionaryObject:
    resolved = value.get_object() if isinstance(value, PdfObject) else value
    return resolved if isinstance(resolved, DictionaryObject) else DictionaryObject()


def check_marking(pdf: bytes, marking: str) -> None:
    """Raise AssemblyError naming the pages of a written pack whose text lacks the marking."""
    wanted = " ".join(marking.split())
    texts = page_texts(pdf)
    unmarked = [number for number, text in enumerate(texts, start=1) if wanted not in " ".join(text.split())]
    if unmarked:
        shown = ", ".join(str(number) for number in unmarked[:10]) + (", …" if len(unmarked) > 10 else "")
        what = "page" if len(unmarked) == 1 else "pages"
        verb = "does" if len(unmarked) == 1 else "do"
        raise AssemblyError(f"the pack's {what} {shown} of {len(texts)} {verb} not carry the marking '{marking}' (the pack was not written)")


def page_texts(pdf: bytes) -> list[str]:
    """Return each page's text, read by PDFium (pdftext.py): a second reader, not the pypdf that wrote the pack."""
    try:
        return page_texts_of(pdf)
    except PdfTextError as exc:
        raise AssemblyError(f"the pack cannot be read to check its marking ({exc})") from None


@functools.lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register the stamp's regular and bold fonts with reportlab; return their names."""
    names = []
    for style, file_name in FONT_FILES.items():
        path = find_font(style, file_name)
        name = f"CTIStamp-{style}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (TTFError, OSError) as exc:
            raise AssemblyError(f"{path}: the font for the pack's marking cannot be read ({exc}); reinstall it: sudo apt-get install --reinstall {FONT_PACKAGE}") from None
        names.append(name)
    return names[0], names[1]


def find_font(style: str, file_name: str) -> Path:
    """Return the TrueType file of Liberation Sans in a style, or raise with how to install it."""
    for folder in FONT_FOLDERS:
        candidate = Path(folder) / file_name
        if candidate.is_file():
            return candidate
    found = _fc_match(f"{FONT_FAMILY}:style={FONT_STYLES[style]}")
    if found:
        return found
    raise AssemblyError(f"the font {FONT_FAMILY} ({FONT_STYLES[style].lower()}), which the pack's marking and footer use, is not installed: run 'make pack' as root to install it, or: sudo apt-get install {FONT_PACKAGE}")


def _fc_match(pattern: str) -> Path | None:
    # fc-match always answers with some font; accept it only if it is the family asked for.
    program = shutil.which("fc-match")
    if program is None:
        return None
    try:
        result = subprocess.run([program, "--format", "%{family}\t%{file}", pattern], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.debug("fc-match failed: %s", exc)
        return None
    family, _, file = result.stdout.partition("\t")
    if result.returncode == 0 and FONT_FAMILY in family.split(",") and file.lower().endswith(".ttf") and Path(file).is_file():
        return Path(file)
    return None


def _refuse_missing_glyphs(stamp: PackStamp, regular: str, bold: str) -> None:
    for font, text, what in ((bold, stamp.marking, "marking"), (regular, stamp.footer, "footer")):
        face = pdfmetrics.getFont(font).face
        missing = sorted({char for char in text if not char.isspace() and ord(char) not in face.charToGlyph})
        if missing:
            raise AssemblyError(f"the pack's {what} '{text}' has characters the font {FONT_FAMILY} cannot show: {' '.join(missing)} (write it in Latin letters)")


def _overlays(sizes: list[tuple[float, float]], stamp: PackStamp, regular: str, bold: str, copies: frozenset[int] = frozenset()) -> bytes:
    buffer = io.BytesIO()
    # The initial font is one of ours, or reportlab would list a Helvetica it never embeds.
    canvas = Canvas(buffer, pageCompression=1, invariant=True, initialFontName=regular, initialFontSize=FOOTER_SIZE)
    canvas.setCreator("cti-briefings")
    total = len(sizes)
    for number, (width, height) in enumerate(sizes, start=1):
        canvas.setPageSize((width, height))
        canvas.setFillColor(MARKING_COLOUR)
        canvas.setFont(bold, MARKING_SIZE)
        canvas.drawCentredString(width / 2, height - MARKING_BASELINE_FROM_TOP, stamp.marking)
        canvas.setFillColor(FOOTER_COLOUR)
        canvas.setFont(regular, FOOTER_SIZE)
        canvas.drawString(SIDE_MARGIN, FOOTER_BASELINE_FROM_BOTTOM, stamp.footer)
        if number - 1 in copies:
            canvas.setFont(regular, COPY_NOTE_SIZE)
            canvas.drawCentredString(width / 2, height - COPY_NOTE_BASELINE_FROM_TOP, stamp.copy_note)
        canvas.drawRightString(width - SIDE_MARGIN, FOOTER_BASELINE_FROM_BOTTOM, stamp.page_number_format.format(page=number, pages=total))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
