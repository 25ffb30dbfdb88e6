"""What a check run returns: findings, notes for stderr and counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from worker_audit.finding import Finding

if TYPE_CHECKING:
    from worker_audit.fact_cache import FactCache


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # one-line notes for stderr
    files_checked: int = 0
    files_python: int = 0  # of those, Python files
    files_discovered: int = 0  # with the files that may be deployment files (Kubernetes, supervisord)
    files_parsed: int = 0  # modules whose facts were loaded: parsed here, in the pool, or from the cache
    files_outlined: int = 0  # modules read only to follow names through them (outline.py)
    files_in_part: int = 0  # modules of which only some functions were parsed (module_loading.PartialModule)
    files_in_part_cached: int = 0  # of those, the ones whose every function came from the cache
    internal_errors: int = 0
    cache: FactCache | None = None
    inputs: dict[str, str | None] = field(default_factory=dict)  # every file read: sha256, None if unreadable
    remembered: bool = False  # the whole result came from the run cache
    # a run on some files that looked for receivers in the whole project: its root and Python files
    project_scanned: tuple[str, tuple[str, ...]] | None = None
