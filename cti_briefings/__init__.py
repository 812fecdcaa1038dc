"""Briefing packs for the Convention against Torture Initiative: content + Word templates -> .docx and one PDF pack."""

__version__ = "0.1.0"
