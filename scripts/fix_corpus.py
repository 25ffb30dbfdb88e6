"""Check fix safety on real code: run `worker-audit fix --unsafe-fixes` on a copy
of each development corpus and check every file the fix changed or created.

    python scripts/fix_corpus.py /path/to/microblog /path/to/redash ...

For each corpus it prints one table row:
- fixable: findings whose JSON `fix` is set, before fixing;
- changed: files the fix wrote (created files included);
- not compiling: changed Python files that `compile()` rejects;
- new undefined: names pyflakes reports undefined after the fix and not before;
- still found: fixable findings found again after the fix (same code, path and
  message);
- second run: what a second `fix --unsafe-fixes` applied (it must be 0).

The checkouts are never modified, and nothing from them is committed. Exit 1
when any check fails. Needs worker-audit and pyflakes installed (`.[test]`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

APPLIED = re.compile(r"Applied (\d+) edits? \((\d+) files? changed\)")
UNDEFINED = re.compile(r"^(?P<path>.+?):\d+:\d+:? undefined name '(?P<name>[^']+)'", re.MULTILINE)


def worker_audit(root: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "worker_audit", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)


def fixable_findings(root: Path) -> set[tuple[str, str, str]]:
    output = worker_audit(root, "check", ".", "--format", "json", "--exit-zero").stdout
    return {(f["code"], f["path"], f["message"]) for f in json.loads(output) if f["fix"]}


def file_bytes(root: Path) -> dict[str, bytes]:
    """Every file of the tree but git's and worker-audit's own cache."""
    skipped = {".git", ".worker_audit_cache"}
    return {
        str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and not skipped & set(p.parts)
    }


def undefined_names(root: Path, names: list[str]) -> set[tuple[str, str]]:
    if not names:
        return set()
    found = subprocess.run(
        [sys.executable, "-m", "pyflakes", *names], cwd=root, capture_output=True, text=True, check=False
    )
    return {(m["path"], m["name"]) for m in UNDEFINED.finditer(found.stdout)}


def check_corpus(corpus: Path) -> tuple[list[str], bool]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / corpus.name
        shutil.copytree(corpus, root, ignore=shutil.ignore_patterns(".git"), symlinks=True)
        fixable = fixable_findings(root)
        before = file_bytes(root)
        python_before = [n for n in before if n.endswith(".py")]
        undefined_before = undefined_names(root, python_before)
        fixed = worker_audit(root, "fix", ".", "--unsafe-fixes")
        after = file_bytes(root)
        changed = sorted(n for n in after if after[n] != before.get(n))
        changed_python = [n for n in changed if n.endswith(".py")]
        not_compiling = []
        for name in changed_python:
            try:
                compile(after[name], name, "exec")
            except (SyntaxError, ValueError):
                not_compiling.append(name)
        new_undefined = undefined_names(root, changed_python) - undefined_before
        still_found = fixable & fixable_findings(root)
        second = APPLIED.search(worker_audit(root, "fix", ".", "--unsafe-fixes").stderr)
        second_edits = int(second.group(1)) if second else -1
        crashed = fixed.returncode == 2 or "Traceback" in fixed.stderr
        row = [
            corpus.name,
            str(len(fixable)),
            str(len(changed)),
            str(len(not_compiling)),
            str(len(new_undefined)),
            str(len(still_found)),
            str(second_edits),
        ]
        for detail in [*not_compiling, *sorted(map(str, new_undefined)), *sorted(map(str, still_found))]:
            print(f"  {corpus.name}: {detail}", file=sys.stderr)
        if crashed:
            print(f"  {corpus.name}: fix failed: {fixed.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        ok = not (not_compiling or new_undefined or still_found or second_edits != 0 or crashed)
        return row, ok


def main(paths: list[str]) -> int:
    print("| corpus | fixable | changed | not compiling | new undefined | still found | second run |")
    print("|---|---|---|---|---|---|---|")
    all_ok = True
    for raw in paths:
        row, ok = check_corpus(Path(raw).resolve())
        all_ok &= ok
        print("| " + " | ".join(row) + " |")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
