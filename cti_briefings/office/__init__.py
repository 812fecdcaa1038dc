"""Stage 3: turn .docx files into PDF with headless LibreOffice (see converter.py)."""

from .converter import DEFAULT_TIMEOUT, Converter, default_jobs, settle, wait_for

__all__ = ["DEFAULT_TIMEOUT", "Converter", "default_jobs", "settle", "wait_for"]
