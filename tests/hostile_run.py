"""Running the command line against a hostile project, and proving nothing changed."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from unittest import mock

from click.testing import CliRunner, Result

from cti_briefings import build as build_module
from cti_briefings.cli import cli

LAST_PACK = b"%PDF-1.7 the last good pack\n"


def run(*args: str) -> Result:
    """Run the command line; `check` renders the named countries only, not the generated cases
    (those multiply each hostile-input test by twenty and test nothing more here)."""
    quick = functools.partial(build_module.check, generated=False)
    with mock.patch.object(build_module, "check", quick):
        return CliRunner().invoke(cli, list(args))


def plant_last_pack(root: Path, slug: str = "example") -> dict[str, str]:
    """Put a 'last good pack' in build/<slug>/ and return a fingerprint of build/."""
    folder = root / "build" / slug
    folder.mkdir(parents=True)
    (folder / f"{slug}-briefing-pack.pdf").write_bytes(LAST_PACK)
    return fingerprint(root / "build")


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (hidden ones too) with a hash of its content."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        for path in sorted(folder.rglob("*"))
    }


def assert_refused(result: Result, *lines: str) -> None:
    """Exit code 1, exactly these error lines, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not an uncaught error
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == list(lines), result.output
