"""Where a project's content, templates and outputs live, and how a build runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .office import DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Project:
    """Where content, templates and outputs live."""

    root: Path = Path(".")
    timeout: float = DEFAULT_TIMEOUT
    as_of: dt.date | None = None
    """Build date for computed values; None means SOURCE_DATE_EPOCH or today."""
    cache: bool = True
    """Reuse PDFs and up-to-date packs of earlier builds (cache.py, manifest.py); off: --no-cache."""

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"
