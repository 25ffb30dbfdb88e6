"""How fast worker-audit is, against the anchors of issue 7, measured in one run.

    python benchmarks/benchmark.py [--corpora DIR...] [--output docs/performance.md] [--quick]

Run it with the interpreter worker-audit is installed in (the project's venv).
Targets: the running interpreter's standard library (copied to a temporary
folder, tests and site-packages left out), a synthetic backend at 1x, 2x and
4x (benchmarks/synthetic_backend.py), and each corpus folder given (default:
the subdirectories of /work/corpora, when it exists; corpora are copied too).
Modes: worker-audit cold and warm (cache emptied, then kept; warm is n/a while
worker-audit has no cache), and a 5-file pre-commit run on the 1x backend.
Anchors on the standard library and each corpus: `libcst.parse_module` of
every file in one process, and `fixit lint` with one rule (fixit is installed
into a venv of its own under ~/.cache/worker-audit-benchmark when it is not on
PATH). Every run is a fresh child process; each figure is the median of 3
runs (--quick: 1). Only the standard library is used, besides what is measured.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import synthetic_backend

DEFAULT_CORPORA_HOME = Path("/work/corpora")
MARK_START = "<!-- benchmark:start -->"
MARK_END = "<!-- benchmark:end -->"
FIXIT_RULE = "fixit.rules:NoRedundantFString"
FIXIT_MODE = "anchor: fixit lint, 1 rule"
SYNTHETIC_SCALES = (1, 2, 4)
STDLIB_SKIPPED_DIRS = frozenset({"site-packages", "test", "tests", "idle_test", "__pycache__"})
CORPUS_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", ".worker_audit_cache"})  # and hidden folders
DEFAULT_CACHE_DIR = ".worker_audit_cache"
NO_CACHE = "n/a (no cache)"

# A fresh child per run: it starts the command, waits, and prints the run's own
# wall time and the rusage of its waited-for children (the command and anything
# the command waited for), so the peak RSS is that run's alone.
MEASURE_CHILD = """
import json, resource, subprocess, sys, time
command, cwd, stdout_path, stderr_path = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
    started = time.perf_counter()
    returncode = subprocess.run(command, cwd=cwd, stdout=stdout, stderr=stderr).returncode
    wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss,
                  "returncode": returncode}))
"""

# The parse anchor: read and parse every listed file, one process; count failures and go on.
PARSE_EVERY_FILE = """
import json, sys
import libcst
parsed = failed = 0
with open(sys.argv[1], encoding="utf-8") as listing:
    for line in listing:
        try:
            with open(line.rstrip("\\n"), "rb") as source:
                libcst.parse_module(source.read())
            parsed += 1
        except Exception:
            failed += 1
print(json.dumps({"parsed": parsed, "failed": failed}))
"""


@dataclass(frozen=True)
class Sample:
    """One measured run."""

    wall: float
    cpu: float
    rss_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Row:
    """One line of the table: a target in one mode, the median of its samples."""

    target: str
    mode: str
    files: int
    lines: int
    samples: list[Sample] = field(default_factory=list)
    missing: str = ""  # why there are no samples

    def median(self, pick: Callable[[Sample], float]) -> float:
        return statistics.median(pick(sample) for sample in self.samples)

    @property
    def wall(self) -> float:
        return self.median(lambda sample: sample.wall)


@dataclass
class Target:
    name: str
    path: Path
    files: list[Path]
    lines: int
    has_anchors: bool
    backend: synthetic_backend.SyntheticBackend | None = None


@dataclass(frozen=True)
class WorkerAudit:
    executable: str
    version: str
    has_cache: bool
    has_jobs: bool
    cache_dirs: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """One acceptance threshold of issue 7: passed is None when it could not be measured."""

    text: str
    passed: bool | None
    measured: str

    def line(self) -> str:
        status = "n/a " if self.passed is None else ("PASS" if self.passed else "FAIL")
        return f"{status}  {self.text}: {self.measured}"


# ---------------------------------------------------------------------------
# Measuring


class Runner:
    """Runs commands in fresh children and keeps their outputs in a scratch folder."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.count = 0

    def measure(self, command: list[str], cwd: Path) -> Sample:
        self.count += 1
        stdout_path = self.scratch / f"run{self.count}.out"
        stderr_path = self.scratch / f"run{self.count}.err"
        wrapper = [
            sys.executable,
            "-c",
            MEASURE_CHILD,
            json.dumps(command),
            str(cwd),
            str(stdout_path),
            str(stderr_path),
        ]
        report = json.loads(subprocess.run(wrapper, capture_output=True, text=True, check=True).stdout)
        divisor = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
        return Sample(
            wall=report["wall"],
            cpu=report["cpu"],
            rss_mb=report["maxrss"] / divisor,
            returncode=report["returncode"],
            stdout=stdout_path.read_text(encoding="utf-8", errors="replace"),
            stderr=stderr_path.read_text(encoding="utf-8", errors="replace"),
        )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_once(
    runner: Runner, row: Row, command: list[str], cwd: Path, before: Callable[[], None], times: int
) -> None:
    before()
    sample = runner.measure(command, cwd)
    row.samples.append(sample)
    number = f"{len(row.samples)}/{times}"
    progress(f"  {row.target} | {row.mode} | run {number}: {sample.wall:.2f} s (exit {sample.returncode})")


def repeat(runner: Runner, row: Row, command: list[str], cwd: Path, times: int, before: Callable[[], None]) -> Row:
    for _ in range(times):
        measure_once(runner, row, command, cwd, before, times)
    return row


def nothing() -> None:
    return None


# ---------------------------------------------------------------------------
# worker-audit


def find_worker_audit() -> str:
    beside = Path(sys.executable).parent / "worker-audit"
    found = str(beside) if beside.exists() else shutil.which("worker-audit")
    if found is None:
        sys.exit(
            "worker-audit is not installed: run `pip install -e .` in the project, then this script with that python"
        )
    return found


def detect_worker_audit(executable: str) -> WorkerAudit:
    """Which speed options `worker-audit check` has, read from its --help."""
    help_text = subprocess.run([executable, "check", "--help"], capture_output=True, text=True).stdout
    version = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout.strip()
    mentioned = set(re.findall(r"\.[A-Za-z0-9_-]*cache[A-Za-z0-9_-]*", help_text))
    return WorkerAudit(
        executable=executable,
        version=version.rsplit(" ", 1)[-1] if version else "unknown",
        has_cache="--no-cache" in help_text,
        has_jobs="--jobs" in help_text,
        cache_dirs=tuple(sorted(mentioned | {DEFAULT_CACHE_DIR})),
    )


def empty_cache(tool: WorkerAudit, folder: Path) -> Callable[[], None]:
    def remove() -> None:
        for name in tool.cache_dirs:
            shutil.rmtree(folder / name, ignore_errors=True)

    return remove


def findings_in(sample: Sample) -> int | None:
    """The count from worker-audit's text summary line."""
    if "No findings." in sample.stdout:
        return 0
    match = re.search(r"Found (\d+) finding", sample.stdout)
    return int(match.group(1)) if match else None


def measure_worker_audit(runner: Runner, tool: WorkerAudit, target: Target, times: int) -> list[Row]:
    command = [tool.executable, "check", str(target.path), "--exit-zero"]
    cold = Row(target.name, "cold", len(target.files), target.lines)
    warm = Row(target.name, "warm", len(target.files), target.lines)
    if not tool.has_cache:
        warm.missing = NO_CACHE
        return [repeat(runner, cold, command, target.path, times, empty_cache(tool, target.path)), warm]
    for _ in range(times):  # a warm run right after each cold one
        measure_once(runner, cold, command, target.path, empty_cache(tool, target.path), times)
        measure_once(runner, warm, command, target.path, nothing, times)
    return [cold, warm]


def measure_pre_commit(runner: Runner, tool: WorkerAudit, target: Target, times: int) -> Row:
    files = target.backend.pre_commit_files()
    lines = sum(count_lines(target.path / name) for name in files)
    row = Row(target.name, f"pre-commit, {len(files)} files", len(files), lines)
    return repeat(runner, row, [tool.executable, "check", *files], target.path, times, empty_cache(tool, target.path))


# ---------------------------------------------------------------------------
# Anchors


def python_with_libcst(worker_audit: str) -> str:
    """This interpreter if it has libcst, else the one worker-audit's script starts."""
    if importlib.util.find_spec("libcst") is not None:
        return sys.executable
    first_line = Path(worker_audit).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first_line[2:].strip() if first_line.startswith("#!") else sys.executable


def measure_parse_anchor(runner: Runner, python: str, target: Target, times: int) -> Row:
    listing = runner.scratch / f"{slug(target.name)}.files"
    listing.write_text("".join(f"{path}\n" for path in target.files), encoding="utf-8")
    row = Row(target.name, "anchor: libcst parse, 1 process", len(target.files), target.lines)
    return repeat(runner, row, [python, "-c", PARSE_EVERY_FILE, str(listing)], target.path, times, nothing)


def parse_failures(row: Row) -> int | None:
    try:
        return json.loads(row.samples[-1].stdout)["failed"]
    except (IndexError, ValueError, KeyError):
        return None


def fixit_failures(row: Row) -> int:
    """Files Fixit reported an exception for (it goes on with the others and exits with bit 2 set)."""
    sample = row.samples[-1]
    return len(re.findall(r": EXCEPTION: ", sample.stdout + sample.stderr))


def install_fixit(cache_dir: Path) -> tuple[str | None, str]:
    """(fixit executable, its version) or (None, why not)."""
    on_path = shutil.which("fixit")
    candidates = [on_path] if on_path else []
    venv = cache_dir / "fixit-venv"
    candidates.append(str(venv / "bin" / "fixit"))
    for candidate in candidates:
        version = fixit_version(candidate)
        if version.startswith("2."):
            return candidate, version
    progress(f"installing fixit into {venv}")
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, text=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "fixit>=2"]
        subprocess.run(pip, check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        return None, f"fixit could not be installed: {detail.strip().splitlines()[-1] if detail.strip() else error}"
    version = fixit_version(candidates[-1])
    return (candidates[-1], version) if version else (None, "fixit installed but does not run")


def fixit_version(executable: str) -> str:
    try:
        done = subprocess.run([executable, "--version"], capture_output=True, text=True)
    except OSError:
        return ""
    return done.stdout.strip().rsplit(" ", 1)[-1] if done.returncode == 0 else ""


def measure_fixit_anchor(runner: Runner, fixit: str, target: Target, times: int) -> Row:
    row = Row(target.name, FIXIT_MODE, len(target.files), target.lines)
    return repeat(runner, row, [fixit, "--rules", FIXIT_RULE, "lint", str(target.path)], target.path, times, nothing)


# ---------------------------------------------------------------------------
# Targets


def count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n")


def python_files(root: Path, skipped: frozenset[str], skip_hidden: bool) -> list[Path]:
    found = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skipped and not (skip_hidden and d.startswith(".")))
        found.extend(Path(folder) / name for name in sorted(filenames) if name.endswith(".py"))
    return [path for path in found if path.is_file() and not path.is_symlink()]


def make_target(name: str, path: Path, files: list[Path], has_anchors: bool) -> Target:
    return Target(name, path, files, sum(count_lines(file) for file in files), has_anchors)


def stdlib_target(workdir: Path) -> Target:
    """The running interpreter's standard library, copied so that worker-audit sees exactly these files."""
    source = Path(sysconfig.get_paths()["stdlib"])
    copy = workdir / "stdlib"
    for original in python_files(source, STDLIB_SKIPPED_DIRS, skip_hidden=False):
        destination = copy / original.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, destination)
    files = python_files(copy, frozenset(), skip_hidden=False)
    return make_target(f"stdlib (Python {platform.python_version()})", copy, files, has_anchors=True)


def synthetic_targets(workdir: Path) -> list[Target]:
    targets = []
    for scale in SYNTHETIC_SCALES:
        backend = synthetic_backend.generate(workdir / f"synthetic-{scale}x", scale=scale)
        files = [backend.root / name for name in backend.python_files]
        target = make_target(f"synthetic backend {scale}x", backend.root, files, has_anchors=False)
        target.backend = backend
        targets.append(target)
    return targets


def corpus_target(workdir: Path, source: Path) -> Target:
    copy = workdir / "corpora" / source.name
    ignored = shutil.ignore_patterns(".git", ".hg", *CORPUS_SKIPPED_DIRS)
    shutil.copytree(source, copy, symlinks=True, ignore=ignored)
    files = python_files(copy, CORPUS_SKIPPED_DIRS, skip_hidden=True)
    return make_target(source.name, copy, files, has_anchors=True)


def default_corpora() -> list[Path]:
    if not DEFAULT_CORPORA_HOME.is_dir():
        return []
    return sorted(path for path in DEFAULT_CORPORA_HOME.iterdir() if path.is_dir() and not path.name.startswith("."))


# ---------------------------------------------------------------------------
# The machine and the version measured


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.processor() or "unknown"


def source_revision(python: str) -> str:
    """The git commit of the worker-audit source that runs, and whether its tracked files have changes."""
    located = subprocess.run(
        [python, "-c", "import worker_audit; print(worker_audit.__file__)"], capture_output=True, text=True
    )
    if located.returncode != 0:
        return "unknown"
    folder = Path(located.stdout.strip()).parent
    commit = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True
    )
    if commit.returncode != 0:
        return "not a git checkout"
    status = ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=all", "--", "."]
    changed = subprocess.run(status, capture_output=True, text=True).stdout.splitlines()
    suffix = f" with {len(changed)} uncommitted files in worker_audit/" if changed else ""
    return commit.stdout.strip() + suffix


def compile_bytecode(python: str) -> str:
    """worker-audit's modules compiled to bytecode before anything is measured, as `pip install`
    does for a wheel (and pre-commit's install of the hook): an editable install run with
    PYTHONDONTWRITEBYTECODE set, as on this project's machine, compiles every module of ours in
    every run otherwise, about 0.15 s of a 0.5 s pre-commit run."""
    code = (
        "import compileall, os, worker_audit\n"
        "print(compileall.compile_dir(os.path.dirname(worker_audit.__file__), quiet=2))"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if done.returncode == 0 and done.stdout.strip() == "True":
        return "compiled before measuring, as an install does"
    return "not compiled (compileall failed); each run may compile it"


def libcst_version(python: str) -> str:
    code = "import importlib.metadata as m; print(m.version('libcst'))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True).stdout.strip() or "unknown"


def load_average() -> str:
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


# ---------------------------------------------------------------------------
# Ratios and the acceptance thresholds


def times_of(wall: float, anchor: float) -> str:
    return f"{wall / anchor:.2f}x"


def fraction_of(wall: float, anchor: float) -> str:
    """worker-audit's time as a part of the anchor's: 1/35 when it takes 35 times less."""
    return f"1/{anchor / wall:.0f}" if wall < anchor else f"{wall / anchor:.1f}x"


def row_of(rows: list[Row], target: str, mode: str) -> Row | None:
    for row in rows:
        if row.target == target and row.mode.startswith(mode):
            return row
    return None


def measured(row: Row | None) -> bool:
    return row is not None and bool(row.samples)


def ratio_check(text: str, rows: list[Row], target: str | None, anchor: str, limit: float, faster: bool) -> Check:
    """worker-audit cold on `target` against an anchor: at most `limit`x its time, or at least `limit`x faster."""
    if target is None:
        return Check(text, None, "target not measured")
    cold, reference = row_of(rows, target, "cold"), row_of(rows, target, anchor)
    if not measured(cold) or not measured(reference):
        return Check(text, None, (reference.missing if reference else "") or "not measured")
    if faster:
        speedup = reference.wall / cold.wall
        return Check(text, speedup >= limit, f"{speedup:.1f}x faster ({cold.wall:.2f} s vs {reference.wall:.2f} s)")
    ratio = cold.wall / reference.wall
    return Check(text, ratio <= limit, f"{ratio:.2f}x ({cold.wall:.2f} s vs {reference.wall:.2f} s)")


def wall_check(text: str, row: Row | None, limit: float) -> Check:
    if row is None:
        return Check(text, None, "not measured")
    if not row.samples:
        return Check(text, False, f"no such run ({row.missing})")
    return Check(text, row.wall <= limit, f"{row.wall:.2f} s")


def acceptance(rows: list[Row], targets: list[Target]) -> list[Check]:
    stdlib = next(t.name for t in targets if t.name.startswith("stdlib"))
    netbox = next((t.name for t in targets if t.name == "netbox"), None)
    one_x = f"synthetic backend {SYNTHETIC_SCALES[0]}x"
    checks = [
        ratio_check("stdlib cold <= 0.15x libcst parse", rows, stdlib, "anchor: libcst", 0.15, faster=False),
        ratio_check("stdlib cold >= 30x faster than fixit (1 rule)", rows, stdlib, "anchor: fixit", 30, faster=True),
        ratio_check("netbox cold <= 0.5x libcst parse", rows, netbox, "anchor: libcst", 0.5, faster=False),
        wall_check("stdlib warm <= 0.3 s", row_of(rows, stdlib, "warm"), 0.3),
        wall_check("pre-commit, 5 files of the 1x backend, cold <= 0.6 s", row_of(rows, one_x, "pre-commit"), 0.6),
    ]
    one, four = row_of(rows, one_x, "cold"), row_of(rows, f"synthetic backend {SYNTHETIC_SCALES[-1]}x", "cold")
    if measured(one) and measured(four):
        growth = four.wall / one.wall
        text = "synthetic backend 4x cold costs <= 4.4x the 1x time"
        checks.append(Check(text, growth <= 4.4, f"{growth:.2f}x ({four.wall:.2f} s vs {one.wall:.2f} s)"))
    audited = [row for row in rows if row.samples and not row.mode.startswith("anchor")]
    if audited:
        largest = max(audited, key=lambda row: row.median(lambda sample: sample.rss_mb))
        peak = largest.median(lambda sample: sample.rss_mb)
        where = f"{peak:.0f} MB ({largest.target}, {largest.mode})"
        checks.append(Check("peak RSS of every worker-audit run <= 300 MB", peak <= 300, where))
    return checks


# ---------------------------------------------------------------------------
# Markdown


def number(value: int) -> str:
    return f"{value:,}"


def table_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def results_table(rows: list[Row]) -> list[str]:
    header = ["target", "mode", "files", "lines", "wall s", "CPU s", "peak RSS MB", "files/s", "lines/s"]
    lines = [table_line(header), table_line(["---", "---"] + ["---:"] * 7)]
    for row in rows:
        cells = [row.target, row.mode, number(row.files), number(row.lines)]
        if not row.samples:
            lines.append(table_line(cells + [row.missing or "n/a", "", "", "", ""]))
            continue
        wall = row.wall
        cpu = row.median(lambda sample: sample.cpu)
        rss = row.median(lambda sample: sample.rss_mb)
        rates = [f"{row.files / wall:,.0f}", f"{row.lines / wall:,.0f}"]
        lines.append(table_line(cells + [f"{wall:.2f}", f"{cpu:.2f}", f"{rss:.0f}", *rates]))
    return lines


def ratio_table(rows: list[Row], targets: list[Target]) -> list[str]:
    header = [
        "target",
        "worker-audit cold s",
        "findings",
        "parse s (files failing)",
        "fixit s (files failing)",
        "vs parse",
        "vs fixit",
    ]
    lines = [table_line(header), table_line(["---"] + ["---:"] * 6)]
    for target in (t for t in targets if t.has_anchors):
        cold = row_of(rows, target.name, "cold")
        parse = row_of(rows, target.name, "anchor: libcst")
        fixit = row_of(rows, target.name, "anchor: fixit")
        if not measured(cold):
            continue
        findings = findings_in(cold.samples[-1])
        cells = [target.name, f"{cold.wall:.2f}", "?" if findings is None else str(findings)]
        cells.append(f"{parse.wall:.2f} ({parse_failures(parse)})" if measured(parse) else "n/a")
        cells.append(f"{fixit.wall:.2f} ({fixit_failures(fixit)})" if measured(fixit) else "n/a")
        cells.append(f"{times_of(cold.wall, parse.wall)} parse" if measured(parse) else "n/a")
        cells.append(f"{fraction_of(cold.wall, fixit.wall)} of fixit" if measured(fixit) else "n/a")
        lines.append(table_line(cells))
    return lines


def allowed_exit_codes(mode: str) -> tuple[int, ...]:
    if mode.startswith("pre-commit"):
        return (0, 1)
    return (0, 1, 2, 3) if mode == FIXIT_MODE else (0,)


def run_problems(rows: list[Row]) -> list[str]:
    """Runs that failed: worker-audit exits 0 with --exit-zero (1 with findings in pre-commit); fixit's
    exit code is 1 for lint findings plus 2 for files it could not process (counted in the ratio table)."""
    problems = []
    for row in rows:
        for sample in row.samples:
            if sample.returncode not in allowed_exit_codes(row.mode):
                last = (sample.stderr.strip().splitlines() or ["no message"])[-1]
                problems.append(f"- {row.target}, {row.mode}: exit {sample.returncode}: {last}")
                break
    return problems


def cache_consistency(rows: list[Row]) -> list[str]:
    notes = []
    for warm in (row for row in rows if row.mode == "warm" and row.samples):
        cold = row_of(rows, warm.target, "cold")
        before, after = findings_in(cold.samples[-1]), findings_in(warm.samples[-1])
        if before != after:
            notes.append(f"- {warm.target}: {before} findings cold but {after} warm")
    return notes


def render(context: dict[str, str], rows: list[Row], targets: list[Target], checks: list[Check]) -> str:
    lines = [
        f"Measured {context['date']} with `{context['command']}`.",
        "",
        f"- Machine: {context['cores']} cores, {context['cpu']}, {context['os']}; "
        f"load average (1/5/15 min) {context['load_start']} at the start, {context['load_end']} at the end.",
        f"- Python {platform.python_version()}, libcst {context['libcst']}, fixit {context['fixit']} "
        f"(rule `{FIXIT_RULE}`).",
        f"- worker-audit {context['version']} at commit {context['revision']}; "
        f"`check` options: `--no-cache` {context['no_cache']}, `--jobs` {context['jobs']}; "
        f"its bytecode {context['bytecode']}.",
        f"- Each figure is the median of {context['repeats']} run(s), each a fresh child process.",
        "",
        *results_table(rows),
        "",
        "worker-audit's cold wall time against the anchors of the same run:",
        "",
        *ratio_table(rows, targets),
        "",
        "Acceptance thresholds of issue 7:",
        "",
        "```",
        *(check.line() for check in checks),
        "```",
    ]
    problems = run_problems(rows) + cache_consistency(rows)
    if problems:
        lines += ["", "Problems seen in the runs:", "", *problems]
    return "\n".join(lines)


def write_between_markers(path: Path, body: str) -> None:
    """Put `body` between the markers of `path`, keeping the prose around them (appended when absent)."""
    block = f"{MARK_START}\n{body}\n{MARK_END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = text.find(MARK_START), text.find(MARK_END)
    if start != -1 and end > start:
        text = text[:start] + block + text[end + len(MARK_END) :]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpora",
        nargs="*",
        type=Path,
        default=None,
        help=f"corpus folders to measure (default: the subdirectories of {DEFAULT_CORPORA_HOME}, if any)",
    )
    parser.add_argument("--output", type=Path, help="write the results between the benchmark markers of this file")
    parser.add_argument("--quick", action="store_true", help="one run per measurement instead of the median of 3")
    parser.add_argument("--no-fixit", action="store_true", help="leave out the fixit anchor")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with the copies and outputs")
    return parser.parse_args(argv)


def measure_target(runner: Runner, tool: WorkerAudit, python: str, fixit: str | None, target: Target, times: int):
    progress(f"{target.name}: {len(target.files)} files, {target.lines} lines")
    rows = measure_worker_audit(runner, tool, target, times)
    if target.backend is not None and target.name.endswith(" 1x"):
        rows.append(measure_pre_commit(runner, tool, target, times))
    if target.has_anchors:
        rows.append(measure_parse_anchor(runner, python, target, times))
        if fixit is not None:
            rows.append(measure_fixit_anchor(runner, fixit, target, times))
    return rows


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    times = 1 if args.quick else 3
    corpora = default_corpora() if args.corpora is None else args.corpora
    tool = detect_worker_audit(find_worker_audit())
    python = python_with_libcst(tool.executable)
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "worker-audit-benchmark"
    fixit, fixit_note = (None, "left out with --no-fixit") if args.no_fixit else install_fixit(cache_dir)
    if fixit is None:
        progress(f"fixit anchor: {fixit_note}")
    context = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python benchmarks/benchmark.py", *(argv if argv is not None else sys.argv[1:])]),
        "cores": str(os.cpu_count()),
        "cpu": cpu_model(),
        "os": platform.platform(terse=True),
        "load_start": load_average(),
        "libcst": libcst_version(python),
        "fixit": fixit_note if fixit else f"n/a: {fixit_note}",
        "version": tool.version,
        "revision": source_revision(python),
        "bytecode": compile_bytecode(python),
        "no_cache": "yes" if tool.has_cache else "no",
        "jobs": "yes" if tool.has_jobs else "no",
        "repeats": str(times),
    }
    workdir = Path(tempfile.mkdtemp(prefix="worker-audit-benchmark-"))
    try:
        scratch = workdir / "runs"
        scratch.mkdir()
        runner = Runner(scratch)
        targets = [stdlib_target(workdir), *synthetic_targets(workdir)]
        targets += [corpus_target(workdir, Path(path)) for path in corpora]
        rows = []
        for target in targets:
            rows += measure_target(runner, tool, python, fixit, target, times)
            if fixit is None and target.has_anchors:
                rows.append(Row(target.name, FIXIT_MODE, len(target.files), target.lines, [], f"n/a: {fixit_note}"))
    finally:
        if args.keep:
            progress(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    context["load_end"] = load_average()
    checks = acceptance(rows, targets)
    body = render(context, rows, targets, checks)
    print(body)
    if args.output:
        write_between_markers(args.output, body)
        progress(f"wrote {args.output}")


if __name__ == "__main__":
    main()
