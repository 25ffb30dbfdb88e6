"""A whole run, remembered: same files, same bytes, same settings, same
worker-audit, so the same findings.

A record lists the files discovered and every file the run read (helpers
outside the checked paths included), each with a hash of its bytes. The next
run with the same key discovers its files and hashes what the record lists;
if nothing differs, it answers from the record without loading the rules,
the knowledge or libcst. Any difference and the run is made normally, with
the per-module fact cache (`fact_cache.py`) doing the rest.

One thing a record cannot see is a new file outside the checked paths that
an import would now resolve to; a changed importer, or a run over the whole
tree, sees it. A run on some files that looked for signal receivers in the
whole project (engine.py) also lists the project's Python files, and the next
run lists them again: a new receiver module anywhere is seen.

Records live in `<cache>/runs/<key>.pickle`, one per command shape (paths,
working directory, settings, selected rules); the oldest are removed past
`KEEP`."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from worker_audit import __version__
from worker_audit.cache_signature import signed, verified
from worker_audit.check_result import CheckResult
from worker_audit.discovery import DiscoveredFiles, discover, project_listing
from worker_audit.fact_cache import create_cache_folder
from worker_audit.finding import Finding
from worker_audit.settings import Settings
from worker_audit.source import SourceProblem, read_bytes, read_limit

KEEP = 32


@dataclass(frozen=True)
class RunRecord:
    discovered: tuple[str, ...]
    inputs: tuple[tuple[str, str | None], ...]
    findings: tuple[Finding, ...]
    messages: tuple[str, ...]
    files_checked: int
    files_python: int
    files_discovered: int
    files_parsed: int
    files_outlined: int
    files_in_part: int
    files_in_part_cached: int
    project: tuple[str, tuple[str, ...]] | None = None  # the receiver scan's root and listing


def _salt() -> bytes:
    """worker-audit itself: its version, every source file of it, its packs, and the Python version."""
    from worker_audit.knowledge import packs_directory

    digest = hashlib.sha256(f"{__version__}|{sys.version_info[:3]}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    for pack in sorted(packs_directory().glob("*.yaml")):
        digest.update(pack.name.encode() + b"\0" + pack.read_bytes())
    return digest.digest()


def content_hash(path: str, max_bytes: int) -> str | None:
    """As the engine reads the file (`_Loader.bytes_of`)."""
    try:
        return hashlib.sha256(read_bytes(Path(path), read_limit(max_bytes))).hexdigest()
    except SourceProblem:
        return None


def _listing(files: DiscoveredFiles) -> tuple[str, ...]:
    every = files.python + files.compose + files.procfiles + files.process_files
    return tuple(str(p) for p in every) + tuple(f"!{p}: {m}" for p, m in files.problems)


class RunCache:
    def __init__(self, targets: list[Path], settings: Settings, active: set[str]) -> None:
        shape = repr((sorted(str(t) for t in targets), os.getcwd(), settings, sorted(active)))
        self.key = hashlib.sha256(_salt() + shape.encode("utf-8", "surrogateescape")).hexdigest()
        self.folder = settings.root / settings.cache_dir / "runs"
        self.settings = settings

    def discover(self, targets: list[Path]) -> DiscoveredFiles:
        s = self.settings
        return discover(targets, s.root, s.exclude, s.respect_gitignore, s.job.compose_files)

    def recall(self, files: DiscoveredFiles) -> CheckResult | None:
        try:
            payload = verified((self.folder / f"{self.key}.pickle").read_bytes())  # only what we wrote
            if payload is None:
                return None
            record = pickle.loads(payload)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not isinstance(record, RunRecord) or record.discovered != _listing(files):
            return None
        if record.project is not None:
            root, listing = record.project
            s = self.settings
            if project_listing(discover([Path(root)], Path(root), s.exclude, s.respect_gitignore)) != listing:
                return None
        limit = self.settings.max_file_bytes
        if any(content_hash(path, limit) != digest for path, digest in record.inputs):
            return None
        return CheckResult(
            findings=list(record.findings),
            messages=list(record.messages),
            files_checked=record.files_checked,
            files_python=record.files_python,
            files_discovered=record.files_discovered,
            files_parsed=record.files_parsed,
            files_outlined=record.files_outlined,
            files_in_part=record.files_in_part,
            files_in_part_cached=record.files_in_part_cached,
            remembered=True,
        )

    def remember(self, files: DiscoveredFiles, result: CheckResult) -> None:
        if result.internal_errors or not result.inputs:
            return  # a run that hit a bug of ours is not worth remembering
        record = RunRecord(
            _listing(files),
            tuple(sorted(result.inputs.items())),
            tuple(result.findings),
            tuple(result.messages),
            result.files_checked,
            result.files_python,
            result.files_discovered,
            result.files_parsed,
            result.files_outlined,
            result.files_in_part,
            result.files_in_part_cached,
            result.project_scanned,
        )
        blob = signed(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        if blob is None:
            return  # no signing key: the fact cache says so
        try:
            create_cache_folder(self.folder.parent)
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(blob)
            os.replace(temporary, self.folder / f"{self.key}.pickle")
            records = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in records[KEEP:]:
                old.unlink(missing_ok=True)
        except OSError:
            return  # the fact cache has already said it cannot write


def run_check_remembered(targets, settings: Settings, active: set[str], progress=None) -> CheckResult:
    """`engine.run_check`, answered from the run cache when nothing changed."""
    if not settings.cache_dir:
        from worker_audit.engine import run_check

        return run_check(targets, settings, active, progress=progress)
    cache = RunCache(targets, settings, active)
    files = cache.discover(targets)
    remembered = cache.recall(files)
    if remembered is not None:
        return remembered
    from worker_audit.engine import run_check

    result = run_check(targets, settings, active, progress=progress, discovered=files)
    cache.remember(files, result)
    return result
