"""The command line: parses options, calls the library, prints results. Nothing else lives here.

The pipeline modules are imported inside the commands. `build` starts LibreOffice at the first
document not in the PDF cache (none when every one is), or at once with --no-cache, so that its
start-up (about a second) overlaps the imports and rendering. `build` turns
SIGINT, SIGTERM and SIGHUP into a clean stop (stops.py): exit status 128 + the signal's number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import BuildStopped, display_path
from .office import DEFAULT_TIMEOUT, Converter
from .project import Project
from .stops import Stopped, stop_on_signals

if TYPE_CHECKING:
    from .build import BuildResult

log = logging.getLogger("cti_briefings")


class _LineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = "warning: " if record.levelno == logging.WARNING else "error: " if record.levelno >= logging.ERROR else ""
        return prefix + record.getMessage()


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LineFormatter())
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    log.propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cti-briefings")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True, help="Folder holding content/, templates/ and build/.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Build date for computed values (YYYY-MM-DD); default SOURCE_DATE_EPOCH or today.")
@click.option("-v", "--verbose", is_flag=True, help="Say what is being done.")
@click.pass_context
def cli(ctx: click.Context, root: Path, as_of: dt.datetime | None, verbose: bool) -> None:
    """Build CTI briefing packs from content/ and templates/ into build/."""
    _setup_logging(verbose)
    ctx.obj = Project(root=root, as_of=as_of.date() if as_of else None)


class ShardType(click.ParamType):
    name = "K/N"

    def convert(self, value, param, ctx):
        from .selection import Shard, parse_shard

        if isinstance(value, Shard):
            return value
        try:
            return parse_shard(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


SHARD_HELP = "Only share K of N (e.g. 2/4): each country always falls in the same share, and the N shares cover every country once."


@cli.command("build")
@click.argument("countries", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Build every country in content/countries/.")
@click.option("--shard", type=ShardType(), default=None, help=SHARD_HELP)
@click.option("--no-cache", is_flag=True, help="Convert every document again, without reading or filling the PDF cache.")
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True, help="Seconds LibreOffice may take to start or to convert one document.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="LibreOffice processes converting at once (default: one per core).")
@click.pass_obj
def build_command(project: Project, countries: tuple[str, ...], every: bool, shard, no_cache: bool, timeout: float, jobs: int | None) -> None:
    """Build the pack of each COUNTRY (or --all) into build/<country>/."""
    if not countries and not every:
        raise click.UsageError("name at least one country, or use --all")
    from .bounded import start_server
    from .manifest import packs_up_to_date
    from .selection import resolve_slugs

    project = dataclasses.replace(project, timeout=timeout, cache=not no_cache)
    slugs = resolve_slugs(project, list(countries), every, shard)
    if not slugs:
        click.echo(f"no country falls in share {shard}; nothing to build")
        return
    fresh = packs_up_to_date(project, slugs) if project.cache else None
    if fresh is not None:  # nothing changed: no rendering, no LibreOffice
        for record in fresh:
            click.echo(f"{display_path(record.pack)}: {len(record.documents)} documents, {record.pages} pages (up to date)")
        return
    progress = _Progress()
    try:
        with stop_on_signals(), Converter(jobs, project.timeout) as office:
            # A pack to make almost always has a document to convert: LibreOffice's start-up (about
            # a second) then overlaps the imports, the validation and the rendering. One only: a
            # second starts when many documents wait (office/converter.py, DOCUMENTS_PER_START), and
            # two starting at once on two cores would slow the first and the rendering.
            office.start(1)
            from .build import build

            start_server()  # the rendering processes' fork server imports docxtpl while content is loaded

            with progress.showing(len(slugs)):
                build(project, slugs, office, on_built=progress.built, last_use=True)
    except Stopped as stop:
        raise BuildStopped(stop.name, stop.exit_code, progress.done, progress.total) from None


class _Progress:
    """A progress bar over the packs on a terminal; one line per pack otherwise (logs, NO_COLOR)."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self._bar: Any = None
        self._lines: list[str] = []

    @contextmanager
    def showing(self, total: int) -> Iterator[None]:
        self.total = total
        if total > 1 and sys.stdout.isatty() and "NO_COLOR" not in os.environ:
            with click.progressbar(length=total, label="Building packs", item_show_func=lambda slug: slug or "") as self._bar:
                yield
        else:
            yield
        for line in self._lines:
            click.echo(line)

    def built(self, result: BuildResult) -> None:
        self.done += 1
        note = " (up to date)" if result.up_to_date else ""
        line = f"{display_path(result.pack)}: {len(result.documents)} documents, {result.pages} pages{note}"
        if self._bar is None:
            click.echo(line)
        else:
            self._lines.append(line)  # printed under the bar once it is complete
            self._bar.update(1, result.slug)


@cli.command("check")
@click.argument("countries", nargs=-1)
@click.option("--shard", type=ShardType(), default=None, help=SHARD_HELP)
@click.pass_obj
def check_command(project: Project, countries: tuple[str, ...], shard) -> None:
    """Validate content and templates of COUNTRIES (default: all); convert and write nothing."""
    from .build import check
    from .selection import resolve_slugs

    slugs = resolve_slugs(project, list(countries), every=False, shard=shard)
    if not slugs:
        click.echo(f"no country falls in share {shard}; nothing to check")
        return
    result = check(project, slugs)
    count = len(result.countries)
    click.echo(f"checked {result.templates} templates against {len(result.cases)} generated cases and {count} {'country' if count == 1 else 'countries'}: content and templates are fine.")
    for skipped in result.skipped:
        log.info("not rendered: %s (%s)", skipped.name, skipped.reason)
    click.echo("The fields a template may use: cti-briefings fields")


@cli.command("fields")
def fields_command() -> None:
    """List every field a Word template may use, with what it holds."""
    from .fields import format_fields, list_fields, template_value_roots

    roots = template_value_roots()
    if not roots:
        from .errors import BriefingError

        raise BriefingError("the template values are not typed yet (cti_briefings/context.py has no PackValues)")
    for who, root, skip in roots:
        click.echo(f"Values for {who}:")
        click.echo(format_fields(list_fields(root, skip=skip)))


@cli.command("docs")
@click.option("--check", "only_check", is_flag=True, help="Only say whether docs/ is up to date (exit 1 if not).")
@click.pass_obj
def docs_command(project: Project, only_check: bool) -> None:
    """Write docs/template-fields.md and docs/country-file.md from the code."""
    from .errors import BriefingError
    from .fields import DOCS, country_file_page, template_fields_page, write_docs

    folder = project.root / "docs"
    if only_check:
        stale = [name for name, text in zip(DOCS, (template_fields_page(), country_file_page())) if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
        if stale:
            raise BriefingError(f"{', '.join('docs/' + name for name in stale)} out of date with the code (run: cti-briefings docs)")
        click.echo("docs/ is up to date.")
        return
    changed = write_docs(folder)
    click.echo(f"wrote {', '.join(display_path(path) for path in changed)}" if changed else "docs/ is up to date.")


@cli.command("manifest")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the joined manifest there, e.g. build/manifest.json.")
@click.option("--require-all", is_flag=True, help="Fail when a country of content/countries/ has no pack (a CI share that did not build).")
@click.pass_obj
def manifest_command(project: Project, output: Path | None, require_all: bool) -> None:
    """List every pack under build/ with its pages, sha256 and build date, checked against its manifest."""
    from .content import country_slugs
    from .manifest import join_manifests, write_joined

    records = join_manifests(project, country_slugs(project.content_dir) if require_all else [])
    for record in records:
        click.echo(f"{record.slug:<14} {record.pages:>4} pages  sha256 {record.sha256}  built {record.built_at}  as of {record.as_of}")
    if output is not None:
        write_joined(records, output)
        click.echo(f"{len(records)} packs listed in {display_path(output)}")


@cli.command("watch")
@click.argument("country")
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True, help="Seconds LibreOffice may take to start or to convert one document.")
@click.pass_obj
def watch_command(project: Project, country: str, timeout: float) -> None:
    """Rebuild COUNTRY's pack whenever its file, the reference data or a template is saved."""
    import signal

    from .watch import watch

    def stop(signum, frame):
        raise KeyboardInterrupt  # closes LibreOffice on the way out, as Ctrl-C does

    signal.signal(signal.SIGTERM, stop)
    project = dataclasses.replace(project, timeout=timeout)
    try:
        watch(project, country, click.echo, lambda error: error.show())
    except KeyboardInterrupt:
        pass
    click.echo("stopped watching")


@cli.command("clean-cache")
def clean_cache_command() -> None:
    """Remove every cached PDF (the next build converts every document again)."""
    from .cache import clear_cache

    click.echo(f"PDF cache cleared: {clear_cache()}")


@cli.command("list")
@click.pass_obj
def list_command(project: Project) -> None:
    """List each country with its visit dates and UNCAT status."""
    from .content import country_slugs, load_countries, load_reference
    from .render import make_environment

    reference = load_reference(project.content_dir)
    date_range = make_environment("en").filters["date_range"]
    for country_file in load_countries(project.content_dir, country_slugs(project.content_dir), reference):
        country = country_file.country
        status = {"not_party": "not yet party", "signatory": "signatory", "party": "State party"}[country.uncat.status]
        example = " (fictional example)" if country.example else ""
        click.echo(f"{country_file.slug:<14} {country.name}{example}: visit {date_range(country.visit.start, country.visit.end)}; UNCAT: {status}")


def main() -> None:
    try:
        cli(prog_name="cti-briefings")
    except ModuleNotFoundError as missing:
        # An environment set up before a dependency was added: one line, not a traceback.
        click.echo(f"error: the Python package '{missing.name}' is not installed in this environment (run `make setup`)", err=True)
        sys.exit(1)
