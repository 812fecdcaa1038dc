"""Stage 3: turn .docx files into PDF with headless LibreOffice (see converter.py)."""

from .converter import DEFAULT_TIMEOUT, Converter, libreoffice

__all__ = ["DEFAULT_TIMEOUT", "Converter", "libreoffice"]
