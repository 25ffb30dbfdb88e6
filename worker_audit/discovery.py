"""Which files a run looks at: walking paths, default and configured excludes, .gitignore."""

from __future__ import annotations

import fnmatch
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


# Folders no backend keeps its own code in (ruff skips the same kind of list).
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".venv",
        "venv",
        ".env",
        "env",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".worker_audit_cache",
        "node_modules",
        "site-packages",
        "build",
        "dist",
        "__pypackages__",
        ".eggs",
    }
)


@dataclass
class DiscoveredFiles:
    python: list[Path] = field(default_factory=list)
    compose: list[Path] = field(default_factory=list)
    procfiles: list[Path] = field(default_factory=list)
    # supervisord confs, Kubernetes manifests (maybe), Dockerfiles
    process_files: list[Path] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


def project_listing(files: DiscoveredFiles) -> tuple[str, ...]:
    """What a run on some files reads of the rest of the project, for the run cache to compare:
    its Python files, and its YAML files (API specs may route to a checked module)."""
    yaml_files = [path for path in files.compose + files.process_files if path.suffix in (".yaml", ".yml")]
    return tuple(str(path) for path in files.python + yaml_files)


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    """The patterns of `lines`, without those git could not use either (git skips a line such
    as a lone `!` without a word; pathspec raises)."""
    try:
        return _compiled(lines)
    except (ValueError, re.error):  # `!` alone; `[z-a]`, a range `re` refuses
        return _compiled([line for line in lines if invalid_pattern(line) is None])


def _compiled(lines: list[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # here: a run with no exclude and no .gitignore file does without it (20 ms)

    with warnings.catch_warnings():
        # re warns about `[[` in a pattern (a Next.js `[[...path]].tsx` route): not ours to print
        warnings.simplefilter("ignore", FutureWarning)
        return pathspec.GitIgnoreSpec.from_lines(lines)


def invalid_pattern(pattern: str) -> str | None:
    """Why pathspec cannot compile one gitignore-style pattern, or None when it can."""
    try:
        _compiled([pattern])
    except (ValueError, re.error) as error:
        return re.sub(r" at position \d+$", "", str(error))  # a position in pathspec's regex, not the pattern
    return None


class _IgnoreRules:
    """Configured excludes (relative to the config root) and .gitignore files."""

    def __init__(self, root: Path, exclude: tuple[str, ...], respect_gitignore: bool) -> None:
        self.root = root
        self.exclude = _spec(list(exclude)) if exclude else None
        self.respect_gitignore = respect_gitignore
        self._gitignores: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _gitignore(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._gitignores:
            spec = None
            ignore_file = folder / ".gitignore"
            if ignore_file.is_file():
                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = _spec(lines)
                except OSError:
                    spec = None
            self._gitignores[folder] = spec
        return self._gitignores[folder]

    def excluded_by_config(self, path: Path, is_dir: bool) -> bool:
        if self.exclude is None:
            return False
        try:
            relative = path.relative_to(self.root).as_posix()
        except ValueError:
            return False
        return self.exclude.match_file(relative + ("/" if is_dir else ""))

    def excluded(self, path: Path, is_dir: bool, walk_top: Path) -> bool:
        suffix = "/" if is_dir else ""
        if self.excluded_by_config(path, is_dir):
            return True
        if self.respect_gitignore:
            # every .gitignore from the walk's top folder down to the file's folder
            parts = path.relative_to(walk_top).parts
            folder = walk_top
            for depth, part in enumerate(parts):
                spec = self._gitignore(folder)
                if spec is not None and spec.match_file("/".join(parts[depth:]) + suffix):
                    return True
                folder = folder / part
        return False


class CheckedByAWholeRun:
    """Whether a run over `root` checks a file: below it, and neither the file nor a folder
    above it excluded by the configuration or a .gitignore (read once per folder)."""

    def __init__(self, root: Path, exclude: tuple[str, ...], respect_gitignore: bool) -> None:
        self.root = root
        self._rules = _IgnoreRules(root, exclude, respect_gitignore)
        self._known: dict[tuple[Path, bool], bool] = {}

    def __call__(self, path: Path, is_dir: bool = False) -> bool:
        key = (path, is_dir)
        if key not in self._known:
            if path == self.root:
                self._known[key] = True
            elif self.root not in path.parents or not self(path.parent, True):
                self._known[key] = False
            else:
                self._known[key] = not self._rules.excluded(path, is_dir, self.root)
        return self._known[key]


def _is_process_file(name: str) -> bool:
    """Files that may declare worker processes: supervisord confs, systemd services,
    Kubernetes YAML, Dockerfiles."""
    return name.endswith((".conf", ".conf.j2", ".ini", ".yaml", ".yml", ".service")) or is_dockerfile(name)


def is_dockerfile(name: str) -> bool:
    """`Dockerfile`, `Dockerfile.worker`, `worker.Dockerfile`."""
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith((".Dockerfile", ".dockerfile"))


def _is_procfile(name: str) -> bool:
    return name == "Procfile" or name.startswith("Procfile.")


def _is_compose(name: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, glob) for glob in globs)


def discover(
    paths: list[Path],
    root: Path,
    exclude: tuple[str, ...] = (),
    respect_gitignore: bool = True,
    compose_globs: tuple[str, ...] = (),
) -> DiscoveredFiles:
    found = DiscoveredFiles()
    rules = _IgnoreRules(root, exclude, respect_gitignore)
    seen: set[Path] = set()

    def add(path: Path) -> None:
        if path in seen:
            return
        seen.add(path)
        if path.suffix == ".py":
            found.python.append(path)
        elif _is_compose(path.name, compose_globs):
            found.compose.append(path)
        elif _is_procfile(path.name):
            found.procfiles.append(path)
        elif _is_process_file(path.name):
            found.process_files.append(path)

    for given in paths:
        top = given.absolute()
        if not top.exists() and not top.is_symlink():
            found.problems.append((given, "no such file or directory"))
            continue
        if top.is_file():
            # A file named explicitly is checked unless the configuration excludes it.
            if not rules.excluded_by_config(top, False):
                add(top)
            continue
        if not top.is_dir():
            found.problems.append((given, "not a regular file or folder"))
            continue
        real_top = top.resolve()
        for folder, dirnames, filenames in os.walk(top, followlinks=False):
            folder_path = Path(folder)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in DEFAULT_EXCLUDED_DIRS
                and not d.endswith(".egg-info")
                and not (folder_path / d).is_symlink()
                and not rules.excluded(folder_path / d, True, top)
            )
            for name in sorted(filenames):
                path = folder_path / name
                if not (
                    name.endswith(".py")
                    or _is_compose(name, compose_globs)
                    or _is_procfile(name)
                    or _is_process_file(name)
                ):
                    continue
                if path.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):  # a loop, or a link to nothing
                        found.problems.append((path, "broken symlink or symlink loop: not followed"))
                        continue
                    if real_top not in target.parents:
                        found.problems.append((path, "symlink to outside the audited tree: not followed"))
                        continue
                if rules.excluded(path, False, top):
                    continue
                add(path)
    return found
