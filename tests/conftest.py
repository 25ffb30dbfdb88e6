from __future__ import annotations

import os
from pathlib import Path

import pytest

from worker_audit.checks import selected_codes
from worker_audit.engine import run_check
from worker_audit.rule import expectations
from worker_audit.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


def audit(*paths: Path, select: str = "ALL") -> set[tuple[str, int, str]]:
    """(path relative to the cwd, line, code) of every finding of a run."""
    targets = [Path(p) for p in paths]
    settings = load_settings(targets)
    result = run_check(targets, settings, selected_codes(tuple(select.split(",")), settings.ignore))
    assert result.internal_errors == 0, result.messages
    return {(f.path, f.line, f.code) for f in result.findings}


def expected_in_tree(root: Path) -> set[tuple[str, int, str]]:
    """Every `# expect: CODE` mark below `root`, as audit() reports it."""
    found = set()
    for path in sorted(root.rglob("*")):
        if path.is_file() and (
            path.suffix in (".py", ".yml", ".yaml", ".conf", ".j2", ".sh", ".service")
            or path.name in ("Procfile", "start")
            or "Dockerfile" in path.name
        ):
            text = path.read_bytes().decode("utf-8", errors="replace")
            relative = Path(os.path.relpath(path, Path.cwd())).as_posix()
            found |= {(relative, line, code) for line, code in expectations(text)}
    return found


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)
    return REPO
