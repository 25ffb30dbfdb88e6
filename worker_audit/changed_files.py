"""`check --since REF`: the files that changed since a git ref.

git is asked, never imported: `git diff --name-only REF` (commits, staged and
unstaged changes) plus the untracked files git does not ignore. Paths come
back absolute, so they compare with any finding's path."""

from __future__ import annotations

import subprocess
from pathlib import Path


class ChangedFilesError(Exception):
    """git cannot answer: one line, exit code 2."""


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise ChangedFilesError("--since needs git, and git is not installed") from None
    except subprocess.TimeoutExpired:
        raise ChangedFilesError(f"git {args[0]} took more than 60 s") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["failed"])[-1].removeprefix("fatal: ")
        raise ChangedFilesError(f"git {args[0]}: {reason}")
    return done.stdout


def changed_since(ref: str, start: Path) -> set[Path]:
    """Absolute paths of the files changed since `ref` in the repository holding `start`."""
    if not ref or ref.startswith("-"):
        raise ChangedFilesError(f"--since: '{ref}' is not a git ref")
    folder = start if start.is_dir() else start.parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    names = _git(top, "diff", "--name-only", "-z", ref, "--").split("\0")
    names += _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return {(top / name).resolve() for name in names if name}
