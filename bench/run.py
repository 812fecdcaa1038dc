"""Benchmark of cti-briefings against the floor LibreOffice sets, in one run, as ratios.

All on the same rendered .docx files, in scratch project roots under build/bench/ (content and
templates copied there; build/bench/cache is the cache folder, so the user's is not touched):

1. cold     - `cti-briefings build example --jobs 1`, its PDF cache emptied and build folder
              deleted first; and the same with `--jobs 2` (two LibreOffice processes).
2. bare     - one `soffice --headless --convert-to pdf` process converting every .docx of that
              pack (a LibreOffice profile made beforehand): the least a build can cost; and
   bare x2  - two such processes at once, each converting half.
3. naive    - one soffice process per document, one after the other.
4. no-op    - the same build again, nothing changed: must start no LibreOffice (a wrapper
              around soffice notes every start) and render nothing (it reports "up to date").
5. edit     - one meeting edited in the country file: time, and which documents were converted.
6. watch    - the same edit saved while `cti-briefings watch example` runs: time from the save
              to the rebuild's line.
7. scale    - 20 generated countries (bench/generate.py: varied meetings, seminar or none,
              letter or note verbale) built with `--all` with 1 and 2 workers (when --jobs
              exists), against two soffice processes each converting half of the same .docx
              files; the build's peak Python memory for 3 and for 20 generated countries.

Each of 1-6 is repeated --runs times (median reported), the cold builds alternating with the
soffice batches so that each ratio compares runs made under the same load; 7 runs once. The report ends
with PASS or FAIL for each target of issue 9's "Done when" (n/a when the option it needs is
not there yet). A missed target is reported, not an error: the exit status is non-zero only when
LibreOffice is missing or a step fails. Memory: 1 MB = 2**20 bytes, VmHWM of the build process.

Usage: python bench/run.py [--runs N] [--json PATH]      (`make bench` runs it)
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
COUNTRY = "example"
SCRATCH = ROOT / "build" / "bench"
CACHE = SCRATCH / "cache"
TIMEOUT = 600.0
EDIT_FROM = "Geneva, March 2026."
EDIT_PLACES = ("Vienna", "Nairobi", "Bangkok", "Santiago", "Accra", "Suva", "Rabat", "Jakarta")


def edit_text(number: int) -> str:
    """A new wording of one meeting's brief, different at each use, so that it is never in the cache."""
    return f"Geneva, March 2026, and in {EDIT_PLACES[number % len(EDIT_PLACES)]} in September 2026 (bench {time.time_ns()})."
TARGETS = {
    "cold": 1.10, "cold_jobs2": 0.90, "noop": 0.20, "edit": 0.60, "watch": 0.25,
    "scale_jobs2": 1.15, "memory_mb": 250.0, "memory_growth": 0.20,
}

# Runs the CLI exactly as `python -m cti_briefings ...` does, and at exit writes this process's
# peak resident memory in KiB to the file named by its first argument. VmHWM is read rather
# than ru_maxrss: on Linux a child's ru_maxrss starts at its parent's peak (the high-water mark
# survives exec), so it would report the benchmark's own memory when that is larger.
PEAK_MEMORY_WRAPPER = """
import atexit, resource, runpy, sys

def _write_peak(path=sys.argv[1]):
    kib = None
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    kib = int(line.split()[1])
    except OSError:
        pass
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, "w") as out:
        out.write(str(kib))

atexit.register(_write_peak)
sys.argv = ["cti-briefings"] + sys.argv[2:]
runpy.run_module("cti_briefings", run_name="__main__", alter_sys=True)
"""


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


@dataclass
class Timing:
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def min(self) -> float:
        return min(self.runs)


# --- running things ---------------------------------------------------------------------------

def environment() -> dict[str, str]:
    return {**os.environ, "CTI_CACHE_DIR": str(CACHE), "CTI_SOFFICE": str(SCRATCH / "soffice"), "PYTHONPATH": str(ROOT)}


def run(command: list[str], what: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `command` with a time limit; raise BenchError unless it exits 0."""
    process = subprocess.Popen(command, cwd=cwd, env=environment(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise BenchError(f"{what} did not finish within {TIMEOUT:g} s and was stopped") from None
    if process.returncode != 0:
        output = (stderr.strip() or stdout.strip())[-2000:]
        raise BenchError(f"{what} failed (exit status {process.returncode}):\n{output}")
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def timed(command: list[str], what: str, cwd: Path = ROOT) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = run(command, what, cwd)
    return time.perf_counter() - start, result


def find_soffice() -> str:
    """Return the LibreOffice program (CTI_SOFFICE if set, as the package does), or raise."""
    for name in filter(None, (os.environ.get("CTI_SOFFICE"), "soffice", "libreoffice")):
        found = shutil.which(name)
        if found:
            return found
    raise BenchError("LibreOffice (soffice) is not installed; `make pack` installs it (or: sudo apt-get install libreoffice-writer-nogui)")


def logged_soffice(soffice: str) -> Path:
    """Write build/bench/soffice, which notes each start of LibreOffice then runs it; return the note file."""
    calls = SCRATCH / "soffice-calls"
    calls.write_text("")
    wrapper = SCRATCH / "soffice"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{soffice}" "$@"\n')
    wrapper.chmod(0o755)
    return calls


def cli_has_jobs() -> bool:
    return "--jobs" in run([sys.executable, "-m", "cti_briefings", "build", "--help"], "cti-briefings build --help").stdout


def project_root(name: str, slugs_count: int | None = None) -> Path:
    """A scratch project root: the repository's content (or `slugs_count` generated countries) and templates."""
    root = SCRATCH / name
    if slugs_count is not None:
        generate(root, slugs_count)
        return root
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def build_command(root: Path, *arguments: str, peak_file: Path | None = None) -> list[str]:
    head = [sys.executable, "-c", PEAK_MEMORY_WRAPPER, str(peak_file)] if peak_file else [sys.executable, "-m", "cti_briefings"]
    return [*head, "--root", str(root), "-v", "build", *arguments]


def empty_pdf_cache(root: Path) -> None:
    shutil.rmtree(CACHE / "pdf", ignore_errors=True)
    shutil.rmtree(root / "build", ignore_errors=True)


def converted(stderr: str) -> list[int]:
    """The numbers of documents sent to LibreOffice, from the build's -v log."""
    return [int(match) for match in re.findall(r"^(\d+) of \d+ documents converted", stderr, re.M)]


def peak_build(root: Path, *arguments: str) -> tuple[float, float]:
    """Build cold with the memory wrapper; return (seconds, peak MB of the build's Python)."""
    empty_pdf_cache(root)
    with tempfile.TemporaryDirectory(dir=SCRATCH, prefix="peak-") as folder:
        peak_file = Path(folder) / "peak-kib"
        seconds, _ = timed(build_command(root, *arguments, peak_file=peak_file), f"cti-briefings build {' '.join(arguments)}")
        try:
            return seconds, int(peak_file.read_text()) / 1024
        except (OSError, ValueError) as exc:
            raise BenchError(f"the build did not report its peak memory ({exc})") from None


# --- LibreOffice alone ------------------------------------------------------------------------

def soffice_command(soffice: str, profile: Path, outdir: Path, documents: list[Path]) -> list[str]:
    return [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, documents)]


def fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def check_pdfs(documents: list[Path], outdir: Path, what: str) -> list[Path]:
    """Return the PDF of each document; raise if soffice skipped any (it can still exit 0)."""
    pdfs = [outdir / f"{document.stem}.pdf" for document in documents]
    missing = [pdf.name for pdf in pdfs if not pdf.is_file() or pdf.stat().st_size == 0]
    if missing:
        raise BenchError(f"{what} exited 0 but did not write {', '.join(missing[:5])}")
    return pdfs


def bare_batch(soffice: str, profiles: list[Path], documents: list[Path], outdir: Path) -> float:
    """Convert the documents with len(profiles) soffice processes at once, each a share; return seconds."""
    fresh_folder(outdir)
    shares = [documents[index:: len(profiles)] for index in range(len(profiles))]
    what = f"soffice --convert-to ({len(profiles)} process{'es' if len(profiles) > 1 else ''})"
    start = time.perf_counter()
    processes = [subprocess.Popen(soffice_command(soffice, profile, outdir, share), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
                 for profile, share in zip(profiles, shares) if share]
    for process in processes:
        try:
            _, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise BenchError(f"{what} did not finish within {TIMEOUT:g} s") from None
        if process.returncode != 0:
            raise BenchError(f"{what} failed (exit status {process.returncode}): {stderr.decode(errors='replace')[-500:]}")
    seconds = time.perf_counter() - start
    check_pdfs(documents, outdir, what)
    return seconds


def naive(soffice: str, profile: Path, documents: list[Path], outdir: Path) -> float:
    """Convert each document with an soffice process of its own, in turn; return total seconds."""
    fresh_folder(outdir)
    start = time.perf_counter()
    for document in documents:
        run(soffice_command(soffice, profile, outdir, [document]), f"soffice --convert-to {document.name}")
    seconds = time.perf_counter() - start
    check_pdfs(documents, outdir, "soffice --convert-to (one process per document)")
    return seconds


def copy_documents(build_dir: Path, target: Path) -> list[Path]:
    """Copy the .docx files of a build (every country under build_dir) to `target`; return the copies."""
    sources = sorted(build_dir.glob("*/*.docx"))
    if not sources:
        raise BenchError(f"the build wrote no .docx files in {build_dir}")
    fresh_folder(target)
    return [Path(shutil.copy2(source, target / f"{source.parent.name}--{source.name}")) for source in sources]


# --- watch ------------------------------------------------------------------------------------

def edit_inside_watch(root: Path, runs: int) -> tuple[list[float], str]:
    """Start watch, save one meeting's edit `runs` times (undone between), return (seconds from each save to its rebuild's line, the last line)."""
    country = root / "content" / "countries" / f"{COUNTRY}.yaml"
    text = country.read_text(encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "cti_briefings", "--root", str(root), "watch", COUNTRY], cwd=root, env={**environment(), "PYTHONUNBUFFERED": "1"},
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    def wait_for(pattern: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if process.poll() is not None:
                    break
                continue
            if re.search(pattern, line):
                return line
        raise BenchError(f"watch never printed a line matching {pattern!r}")

    threading.Thread(target=read, daemon=True).start()
    seconds, line = [], ""
    try:
        wait_for(r"^watching ")
        time.sleep(1.0)  # let LibreOffice finish starting, as it has by the time someone edits
        for number in range(runs):
            start = time.perf_counter()
            country.write_text(text.replace(EDIT_FROM, edit_text(number + 100)), encoding="utf-8")
            line = wait_for(r"saved: ")
            seconds.append(time.perf_counter() - start)
            time.sleep(0.5)
            country.write_text(text, encoding="utf-8")  # undone: a rebuild from the cache
            wait_for(r"saved: ")
            time.sleep(0.5)
    finally:
        country.write_text(text, encoding="utf-8")
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return seconds, line


# --- the whole run ----------------------------------------------------------------------------

def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def compile_package() -> None:
    """Write the package's bytecode, as an installed package has it (pip compiles what it installs).

    An editable install run with PYTHONDONTWRITEBYTECODE set (as some shells and CI images do)
    would otherwise compile every module again in each build and in its rendering processes:
    about half a second of processor time a build that no user's second build pays.
    """
    if not compileall.compile_dir(str(ROOT / "cti_briefings"), quiet=1):
        raise BenchError("the package's modules could not be compiled")


def measure(runs: int) -> dict:
    soffice = find_soffice()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    compile_package()
    calls = logged_soffice(soffice)
    version = run([soffice, "--version"], "soffice --version").stdout.strip()
    jobs = cli_has_jobs()
    results: dict = {"libreoffice": version, "cpus": os.cpu_count(), "python": platform.python_version(), "runs": runs, "jobs_option": jobs, "load": {}}

    def note(step: str) -> None:
        print(f"{step} (load {load()}) ...", file=sys.stderr, flush=True)
        results["load"][step] = load()

    one = project_root("one")
    note("warming up (untimed)")
    run(build_command(one, COUNTRY), "first build (untimed)")
    documents = copy_documents(one / "build", SCRATCH / "bare" / "docx")
    profiles = [fresh_folder(SCRATCH / "bare" / f"profile-{index}") for index in range(2)]
    note("making soffice profiles (untimed)")
    bare_batch(soffice, profiles, documents, SCRATCH / "bare" / "pdf")

    # The build and LibreOffice's own batch alternate, so that each ratio compares runs made
    # under the same load (other processes on a shared machine move both alike).
    one_job = ["--jobs", "1"] if jobs else []
    cold, cold_jobs2, bare, bare2, naive_runs, peaks = [], [], [], [], [], []
    for index in range(runs):
        note(f"cold build{' --jobs 1' if jobs else ''} and bare batch, {index + 1}/{runs}")
        seconds, peak = peak_build(one, COUNTRY, *one_job)
        cold.append(seconds)
        peaks.append(peak)
        bare.append(bare_batch(soffice, profiles[:1], documents, SCRATCH / "bare" / "pdf"))
        if jobs:
            note(f"cold build --jobs 2 and two-process batch, {index + 1}/{runs}")
            cold_jobs2.append(peak_build(one, COUNTRY, "--jobs", "2")[0])
        bare2.append(bare_batch(soffice, profiles, documents, SCRATCH / "bare" / "pdf"))
        naive_runs.append(naive(soffice, profiles[0], documents, SCRATCH / "bare" / "naive"))
    pack = one / "build" / COUNTRY / f"{COUNTRY}-briefing-pack.pdf"
    pack_pages = len(PdfReader(pack).pages)

    noop_runs, noop_started_office, noop_rendered = [], False, False
    for index in range(runs):
        note(f"no-op rebuild {index + 1}/{runs}")
        before = calls.read_text()
        seconds, noop = timed(build_command(one, COUNTRY), "no-op rebuild")
        noop_runs.append(seconds)
        noop_started_office |= calls.read_text() != before
        noop_rendered |= "(up to date)" not in noop.stdout

    country = one / "content" / "countries" / f"{COUNTRY}.yaml"
    text = country.read_text(encoding="utf-8")
    if EDIT_FROM not in text:
        raise BenchError(f"{country} no longer holds {EDIT_FROM!r}; update EDIT_FROM in bench/run.py")
    edit_runs, edit_converted = [], []
    for index in range(runs):
        note(f"one meeting edited {index + 1}/{runs}")
        country.write_text(text.replace(EDIT_FROM, edit_text(index)), encoding="utf-8")
        seconds, edit = timed(build_command(one, COUNTRY), "rebuild after one meeting was edited")
        edit_runs.append(seconds)
        edit_converted.append(sum(converted(edit.stderr)))
        country.write_text(text, encoding="utf-8")
        run(build_command(one, COUNTRY), "rebuild of the original")

    note("one meeting edited inside watch")
    watch_runs, watch_line = edit_inside_watch(one, runs)

    note("3 generated countries")
    three = project_root("gen3", 3)
    three_seconds, three_peak = peak_build(three, "--all")
    note("20 generated countries")
    twenty = project_root("gen20", 20)
    scale = {}
    for workers in ([1, 2] if jobs else [0]):
        note(f"20 generated countries, {'default workers' if not workers else f'--jobs {workers}'}")
        scale[workers] = peak_build(twenty, "--all", *(["--jobs", str(workers)] if workers else []))
    scale_documents = copy_documents(twenty / "build", SCRATCH / "scale" / "docx")
    note("20 generated countries: two soffice processes")
    scale_floor = bare_batch(soffice, profiles, scale_documents, SCRATCH / "scale" / "pdf")

    cold_t = Timing(cold)
    best_scale = scale.get(2, scale.get(0))
    twenty_peak = max(peak for _, peak in scale.values())
    results.update({
        "documents": len(documents), "pack_pages": pack_pages, "scale_documents": len(scale_documents),
        "seconds": {
            "cold": cold, "cold_jobs2": cold_jobs2, "bare": bare, "bare_x2": bare2, "naive": naive_runs,
            "noop": noop_runs, "edit": edit_runs, "watch_edit": watch_runs,
            "three": three_seconds, "scale": {str(workers): seconds for workers, (seconds, _) in scale.items()}, "scale_floor_x2": scale_floor,
        },
        "edit_converted": max(edit_converted), "watch_line": watch_line,
        "noop_started_libreoffice": noop_started_office, "noop_rendered": noop_rendered,
        "peak_memory_mb": {"single": max(peaks), "three": three_peak, "twenty": twenty_peak},
    })
    # Each cold build against the batch run beside it, then the median of those ratios.
    ratio = {
        "cold": statistics.median(build / batch for build, batch in zip(cold, bare)),
        "cold_jobs2": statistics.median(build / batch for build, batch in zip(cold_jobs2, bare)) if cold_jobs2 else None,
        "bare_x2": statistics.median(two / one for two, one in zip(bare2, bare)),
        "noop": statistics.median(noop_runs) / cold_t.median, "edit": statistics.median(edit_runs) / cold_t.median,
        "watch": statistics.median(watch_runs) / cold_t.median,
        "scale": best_scale[0] / scale_floor,
        "memory_growth": twenty_peak / three_peak - 1,
    }
    results["ratios"] = ratio
    na = "n/a (no --jobs yet)"
    loads = results["load"]

    def at(*steps: str) -> str:
        """The load averages (1 minute) noted at the steps a figure comes from."""
        return "load " + ", ".join(loads[step].split()[0] for step in steps if step in loads)

    cold_steps = [step for step in loads if step.startswith("cold build")]
    peak_all = max(peaks + [three_peak, twenty_peak])
    # (target, passed or n/a, what was measured)
    results["targets"] = [
        (f"cold single pack <= {TARGETS['cold']} x one-process batch", ratio["cold"] <= TARGETS["cold"],
         f"{ratio['cold']:.2f} x ({cold_t.median:.2f} s against {statistics.median(bare):.2f} s; {at(*cold_steps[::2])})"),
        (f"cold single pack with --jobs 2 <= {TARGETS['cold_jobs2']} x one-process batch", na if ratio["cold_jobs2"] is None else ratio["cold_jobs2"] <= TARGETS["cold_jobs2"],
         "" if ratio["cold_jobs2"] is None else f"{ratio['cold_jobs2']:.2f} x ({statistics.median(cold_jobs2):.2f} s; LibreOffice's own two processes: {ratio['bare_x2']:.2f} x; {at(*cold_steps[1::2])})"),
        ("no-op rebuild starts no LibreOffice and renders nothing", not noop_started_office and not noop_rendered,
         f"LibreOffice started: {'yes' if noop_started_office else 'no'}, rendered: {'yes' if noop_rendered else 'no'}"),
        (f"no-op rebuild <= {TARGETS['noop']:.0%} of cold", ratio["noop"] <= TARGETS["noop"], f"{ratio['noop']:.0%} ({statistics.median(noop_runs):.2f} s; {at('no-op rebuild 1/' + str(runs))})"),
        ("one meeting edited: that brief and at most the cover converted", min(edit_converted) >= 1 and max(edit_converted) <= 2, f"converted: {', '.join(map(str, edit_converted))}"),
        (f"one meeting edited <= {TARGETS['edit']:.0%} of cold", ratio["edit"] <= TARGETS["edit"],
         f"{ratio['edit']:.0%} ({statistics.median(edit_runs):.2f} s; {at(*[step for step in loads if step.startswith('one meeting edited ') and 'watch' not in step])})"),
        (f"one meeting edited inside watch <= {TARGETS['watch']:.0%} of cold", ratio["watch"] <= TARGETS["watch"],
         f"{ratio['watch']:.0%} ({statistics.median(watch_runs):.2f} s; {at('one meeting edited inside watch')})"),
        (f"20 countries with --jobs 2 <= {TARGETS['scale_jobs2']} x two-process floor", na if 2 not in scale else ratio["scale"] <= TARGETS["scale_jobs2"],
         f"{ratio['scale']:.2f} x ({best_scale[0]:.1f} s against {scale_floor:.1f} s; {at('20 generated countries, --jobs 2')})"),
        (f"peak memory <= {TARGETS['memory_mb']:g} MB", peak_all <= TARGETS["memory_mb"], f"{peak_all:.0f} MB"),
        (f"peak memory for 20 countries within {TARGETS['memory_growth']:.0%} of 3", ratio["memory_growth"] <= TARGETS["memory_growth"], f"{ratio['memory_growth']:+.0%}"),
    ]
    return results


def report(results: dict) -> str:
    seconds, ratio = results["seconds"], results["ratios"]
    bare = statistics.median(seconds["bare"])
    cold = statistics.median(seconds["cold"])

    def row(label: str, value: float | list[float] | None, base: float, base_name: str, paired: float | None = None) -> str:
        if value is None or value == []:
            return f"{label:<52} {'-':>8}"
        value = statistics.median(value) if isinstance(value, list) else value
        return f"{label:<52} {value:>8.2f} {paired if paired is not None else value / base:>7.2f} x {base_name}"

    lines = [
        f"LibreOffice: {results['libreoffice']}",
        f"CPUs: {results['cpus']}    Python: {results['python']}    runs: {results['runs']}    --jobs: {'yes' if results['jobs_option'] else 'not in this build'}",
        f"one pack: {results['documents']} documents, {results['pack_pages']} pages;  20 generated countries: {results['scale_documents']} documents",
        "",
        f"{'measurement (median of runs)':<52} {'seconds':>8} {'ratio':>9}",
        "(a cold build's ratio is the median of each build against the batch run beside it)",
        row(f"cti-briefings build example{' --jobs 1' if results['jobs_option'] else ''}, cold", cold, bare, "bare", ratio["cold"]),
        row("  the same with --jobs 2", seconds["cold_jobs2"], bare, "bare", ratio["cold_jobs2"]),
        row("soffice, one process, the same documents (bare)", bare, bare, "bare"),
        row("soffice, two processes, half each", seconds["bare_x2"], bare, "bare", ratio["bare_x2"]),
        row("soffice, one process per document", statistics.median(seconds["naive"]), bare, "bare"),
        row("no-op rebuild", seconds["noop"], cold, "cold"),
        row(f"one meeting edited ({results['edit_converted']} converted)", seconds["edit"], cold, "cold"),
        row("one meeting edited, inside watch", seconds["watch_edit"], cold, "cold"),
        row("3 generated countries, --all", seconds["three"], cold, "cold"),
    ]
    for workers, value in seconds["scale"].items():
        lines.append(row(f"20 generated countries, --all{'' if workers == '0' else f' --jobs {workers}'}", value, seconds["scale_floor_x2"], "floor"))
    lines += [
        row("20 generated countries: soffice, two processes (floor)", seconds["scale_floor_x2"], seconds["scale_floor_x2"], "floor"),
        "",
        f"peak memory of the build's Python: one pack {results['peak_memory_mb']['single']:.1f} MB, 3 countries {results['peak_memory_mb']['three']:.1f} MB, "
        f"20 countries {results['peak_memory_mb']['twenty']:.1f} MB ({ratio['memory_growth']:+.0%})",
        f"watch printed: {results['watch_line']}",
        f"load average at each step: {'; '.join(f'{step}: {value}' for step, value in results['load'].items())}",
        "",
        "targets (issue 9, done when):",
    ]
    for target, passed, measured in results["targets"]:
        verdict = passed if isinstance(passed, str) else ("PASS" if passed else "FAIL")
        lines.append(f"  {verdict:<4}  {target}: {measured}" if measured else f"  {verdict:<4}  {target}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed repetitions of the cold build and soffice measurements (default 3)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers as JSON to PATH")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        results = measure(args.runs)
    except BenchError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
