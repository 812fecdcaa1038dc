"""Benchmark of `cti-briefings build example` against the floor LibreOffice sets.

One run measures, on the same rendered .docx files:

1. build  - `cti-briefings build example --jobs N` end to end and cold (build/example deleted
            first), with one and with two LibreOffice processes (runs alternate), as a child
            Python process; also that process's peak memory (LibreOffice and the UNO worker
            are separate processes and are not counted).
2. bare   - one `soffice --headless --convert-to pdf` process converting every .docx the build
            produced, with a LibreOffice profile created beforehand: the least a build can cost.
3. naive  - one such soffice process per document, one after the other.

Each is repeated --runs times; the report gives median and minimum seconds, the ratios to the
bare batch, and whether the targets are met (cold build within 1.10 x bare batch with one
LibreOffice and 0.90 x with two; peak memory under 250 MB, where 1 MB = 2**20 bytes). A missed target is reported, not an error: the exit
status is non-zero only when LibreOffice is missing or a step fails.

Usage: python bench/run.py [--runs N] [--json PATH]      (`make bench` runs it)

Scratch files go to build/bench/; build/example is rebuilt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
COUNTRY = "example"
BUILD_DIR = ROOT / "build" / COUNTRY
SCRATCH = ROOT / "build" / "bench"
TIMEOUT = 300.0
JOBS = (1, 2)
TARGET_RATIOS = {1: 1.10, 2: 0.90}
TARGET_MEMORY_MB = 250.0

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

def run(command: list[str], what: str) -> subprocess.CompletedProcess:
    """Run `command` with a time limit; raise BenchError unless it exits 0."""
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
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


def timed(command: list[str], what: str) -> float:
    start = time.perf_counter()
    run(command, what)
    return time.perf_counter() - start


def find_soffice() -> str:
    """Return the LibreOffice program (CTI_SOFFICE if set, as the package does), or raise."""
    for name in filter(None, (os.environ.get("CTI_SOFFICE"), "soffice", "libreoffice")):
        found = shutil.which(name)
        if found:
            return found
    raise BenchError("LibreOffice (soffice) is not installed; `make pack` installs it (or: sudo apt-get install libreoffice-writer-nogui)")


def soffice_version(soffice: str) -> str:
    return run([soffice, "--version"], "soffice --version").stdout.strip()


# --- 1. the build -----------------------------------------------------------------------------

def cold_build(jobs: int) -> tuple[float, float]:
    """Delete build/example, build it with `jobs` LibreOffice processes; return (seconds, peak MB of the build's Python)."""
    shutil.rmtree(BUILD_DIR, ignore_errors=True)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SCRATCH, prefix="peak-") as folder:
        peak_file = Path(folder) / "peak-kib"
        command = [sys.executable, "-c", PEAK_MEMORY_WRAPPER, str(peak_file), "--root", str(ROOT), "build", COUNTRY, "--jobs", str(jobs)]
        seconds = timed(command, f"cti-briefings build {COUNTRY} --jobs {jobs}")
        try:
            peak_mb = int(peak_file.read_text()) / 1024
        except (OSError, ValueError) as exc:
            raise BenchError(f"the build did not report its peak memory ({exc})") from None
    if not (BUILD_DIR / f"{COUNTRY}-briefing-pack.pdf").is_file():
        raise BenchError(f"the build exited 0 but wrote no {COUNTRY}-briefing-pack.pdf in {BUILD_DIR}")
    return seconds, peak_mb


# --- 2. and 3. LibreOffice alone --------------------------------------------------------------

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
        raise BenchError(f"{what} exited 0 but did not write {', '.join(missing)}")
    return pdfs


def bare_batch(soffice: str, profile: Path, documents: list[Path], outdir: Path) -> float:
    """Convert every document with one soffice process; return seconds."""
    fresh_folder(outdir)
    seconds = timed(soffice_command(soffice, profile, outdir, documents), "soffice --convert-to (one process)")
    check_pdfs(documents, outdir, "soffice --convert-to (one process)")
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


def copy_documents(target: Path) -> list[Path]:
    """Copy the .docx files of the last build to `target`; return the copies."""
    sources = sorted(BUILD_DIR.glob("*.docx"))
    if not sources:
        raise BenchError(f"the build wrote no .docx files in {BUILD_DIR}")
    fresh_folder(target)
    return [Path(shutil.copy2(source, target / source.name)) for source in sources]


def page_total(pdfs: list[Path]) -> int:
    return sum(len(PdfReader(pdf).pages) for pdf in pdfs)


# --- report -----------------------------------------------------------------------------------

def measure(runs: int) -> dict:
    soffice = find_soffice()
    version = soffice_version(soffice)
    bare_dir = SCRATCH / "bare"

    builds: dict[int, list[float]] = {jobs: [] for jobs in JOBS}
    peaks = []
    for index in range(runs):
        for jobs in JOBS:
            print(f"build --jobs {jobs} {index + 1}/{runs} ...", file=sys.stderr, flush=True)
            seconds, peak_mb = cold_build(jobs)
            builds[jobs].append(seconds)
            peaks.append(peak_mb)
    documents = copy_documents(bare_dir / "docx")
    pack_pages = len(PdfReader(BUILD_DIR / f"{COUNTRY}-briefing-pack.pdf").pages)

    profile = fresh_folder(bare_dir / "profile")
    print("creating the soffice profile (untimed) ...", file=sys.stderr, flush=True)
    bare_batch(soffice, profile, documents, bare_dir / "pdf")
    bare = []
    for index in range(runs):
        print(f"bare batch {index + 1}/{runs} ...", file=sys.stderr, flush=True)
        bare.append(bare_batch(soffice, profile, documents, bare_dir / "pdf"))
    bare_pages = page_total(check_pdfs(documents, bare_dir / "pdf", "soffice --convert-to"))

    naive_runs = []
    for index in range(runs):
        print(f"naive {index + 1}/{runs} ...", file=sys.stderr, flush=True)
        naive_runs.append(naive(soffice, profile, documents, bare_dir / "naive"))

    build_t = {jobs: Timing(builds[jobs]) for jobs in JOBS}
    bare_t, naive_t = Timing(bare), Timing(naive_runs)
    ratios = {jobs: build_t[jobs].median / bare_t.median for jobs in JOBS}
    peak = max(peaks)
    return {
        "libreoffice": version,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "runs": runs,
        "documents": len(documents),
        "pages": {"pack": pack_pages, "documents_bare": bare_pages},
        "seconds": {
            name: {"median": timing.median, "min": timing.min, "runs": timing.runs}
            for name, timing in (*((f"build-j{jobs}", build_t[jobs]) for jobs in JOBS), ("bare", bare_t), ("naive", naive_t))
        },
        "ratios": {**{f"build_j{jobs}_over_bare": ratios[jobs] for jobs in JOBS}, "naive_over_bare": naive_t.median / bare_t.median},
        "peak_memory_mb": {"max": peak, "runs": peaks},
        "targets": {
            **{f"cold build, {jobs} LibreOffice{'s' if jobs > 1 else ''}, within {TARGET_RATIOS[jobs]:.2f} x bare batch": ratios[jobs] <= TARGET_RATIOS[jobs] for jobs in JOBS},
            f"peak memory under {TARGET_MEMORY_MB:g} MB": peak < TARGET_MEMORY_MB,
        },
    }


def report(results: dict) -> str:
    seconds, ratios = results["seconds"], results["ratios"]
    labels = {
        **{f"build-j{jobs}": f"cti-briefings build {COUNTRY} -j {jobs} (cold)" for jobs in JOBS},
        "bare": "soffice, one process, all documents",
        "naive": "soffice, one process per document",
    }
    lines = [
        f"LibreOffice: {results['libreoffice']}",
        f"CPUs: {results['cpus']}    Python: {results['python']}    runs: {results['runs']}",
        f"documents: {results['documents']}    pages: {results['pages']['pack']} in the pack "
        f"({results['pages']['documents_bare']} in the documents converted by soffice alone)",
        "",
        f"{'measurement':<40} {'median s':>9} {'min s':>8} {'x bare':>7}",
        f"{'-' * 40} {'-' * 9} {'-' * 8} {'-' * 7}",
    ]
    for name, label in labels.items():
        ratio = seconds[name]["median"] / seconds["bare"]["median"]
        lines.append(f"{label:<40} {seconds[name]['median']:>9.2f} {seconds[name]['min']:>8.2f} {ratio:>7.2f}")
    lines += [
        "",
        "    ".join(f"build -j {jobs} / bare: {ratios[f'build_j{jobs}_over_bare']:.2f}" for jobs in JOBS) + f"    naive / bare: {ratios['naive_over_bare']:.2f}",
        f"peak memory of the build's Python process: {results['peak_memory_mb']['max']:.1f} MB "
        f"(runs: {', '.join(f'{mb:.1f}' for mb in results['peak_memory_mb']['runs'])})",
        "",
        "targets:",
    ]
    lines += [f"  {'PASS' if passed else 'FAIL'}  {target}" for target, passed in results["targets"].items()]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed repetitions of each measurement (default 3)")
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
