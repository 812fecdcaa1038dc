"""Every bound on what a user supplies, in one place.

Country files, reference files and templates may come from anyone (by e-mail, from a shared
drive); none of them may make a build take unbounded time, memory or disk. Each limit is far
above what a real briefing pack needs, and each error names the limit it hit.
"""

from __future__ import annotations

# --- YAML content files --------------------------------------------------------------------
MAX_CONTENT_FILE_BYTES = 1_000_000
"""A country file is about 10 KB, the largest reference file about 50 KB."""
MAX_VALUE_CHARS = 20_000
"""One text value: about ten pages of a brief."""
MAX_LIST_ITEMS = 500
"""Entries of one list or one group of 'key: value' lines."""
MAX_NESTING_DEPTH = 20
"""Levels of lists and groups inside each other; the schema needs six."""
YAML_ALIASES_ALLOWED = False
"""Anchors and aliases (`&name`, `*name`) are refused, not expanded: a ten-line alias bomb
would otherwise expand to gigabytes, and a country file has no need to repeat itself."""

# --- Word templates ------------------------------------------------------------------------
MAX_TEMPLATE_FILE_BYTES = 20_000_000
"""A template with a logo is about 50 KB; 20 MB allows large pictures."""
MAX_TEMPLATE_UNPACKED_BYTES = 100_000_000
"""A .docx is a zip file: its parts together, uncompressed (a zip bomb stops here)."""
MAX_TEMPLATE_PARTS = 1_000
"""Files inside one template package."""

# --- Rendering -----------------------------------------------------------------------------
MAX_RENDER_SECONDS = 4.0
"""Filling one template takes about 0.1 s; a template that loops inside loops stops here."""
MAX_RENDER_MEMORY_BYTES = 300_000_000
"""Memory one rendering may add to the build's own."""
MAX_OUTPUT_BYTES = 50_000_000
"""One filled-in .docx."""


def megabytes(size: int) -> str:
    """Write a byte count as users read it: '20 MB', '500 KB'."""
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} KB"
