"""One error tree for the whole package.

Library code raises these; the CLI prints them and picks the exit code. Every error a user can
cause says which file, where, and what to change: the people who run builds are not programmers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of an input file."""

    file: str
    line: int | None
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


def display_path(path: Path) -> str:
    """Show a path relative to the working folder when it lies under it, as users typed it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class BriefingError(click.ClickException):
    """Root of every error the build reports to a user (exit code 1)."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", file=file, err=True)


class ContentError(BriefingError):
    """Country or reference data that cannot be used: every problem found, one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(f"error: {problem}", file=file, err=True)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        click.echo(f"{count} {noun} found; nothing was built, earlier packs are unchanged.", file=file, err=True)


class TemplateError(BriefingError):
    """A Word template that cannot be read or rendered."""


class ConversionError(BriefingError):
    """LibreOffice missing, failing, or too slow to turn a document into PDF."""


class AssemblyError(BriefingError):
    """The converted PDFs could not be combined into the pack."""


class OutputError(BriefingError):
    """An output could not be written where it belongs."""


class TemplateCheckError(TemplateError):
    """Misplaced or broken tags in Word templates: every problem found, one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(f"error: {problem}", file=file, err=True)
        count = len(self.problems)
        click.echo(f"{count} template {'problem' if count == 1 else 'problems'} found; nothing was built.", file=file, err=True)
