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


class OfficeUnavailable(ConversionError):
    """LibreOffice cannot be started at all: no document of any country can be converted."""


class AssemblyError(BriefingError):
    """The converted PDFs could not be combined into the pack."""


class OutputError(BriefingError):
    """An output could not be written where it belongs."""


class BuildFailed(BriefingError):
    """Some countries' packs could not be built; the others were, and the failed ones kept their last pack."""

    def __init__(self, failures: list[tuple[str, BriefingError]], total: int):
        self.failures = list(failures)
        self.total = total
        super().__init__("\n".join(self._lines()))

    def _lines(self) -> list[str]:
        return [f"{slug}: {' '.join(error.format_message().split(chr(10)))}" for slug, error in self.failures]

    def show(self, file=None) -> None:
        for line in self._lines():
            click.echo(f"error: {line}", file=file, err=True)
        count = len(self.failures)
        click.echo(f"{count} of {self.total} packs failed; {'its earlier pack is' if count == 1 else 'their earlier packs are'} unchanged.", file=file, err=True)


class BuildStopped(BriefingError):
    """A signal stopped the build; every pack not yet built is as it was."""

    def __init__(self, signal_name: str, exit_code: int, built: int, total: int):
        if built == 0:
            message = f"stopped by {signal_name}; the last {'pack is' if total <= 1 else 'packs are'} unchanged"
        else:
            message = f"stopped by {signal_name} after {built} of {total} packs; the other {total - built} are unchanged"
        super().__init__(message)
        self._exit_code = exit_code

    @property
    def exit_code(self) -> int:  # type: ignore[override]  # click reads it from the instance
        return self._exit_code


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
