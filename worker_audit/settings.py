"""`[tool.worker-audit]` in pyproject.toml: found, read and validated."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """The user's configuration is wrong: one line, exit code 2."""


@dataclass(frozen=True)
class JobStandard:
    """The vocabulary of the team's job standard (the seed audit's seven points)."""

    job_model: str = "BackgroundJob"
    heartbeat_field: str = "heartbeat_at"
    cancel_states: tuple[str, ...] = ("cancelled", "paused")
    log_start: str = "JOB_START"
    log_progress: str = "JOB_PROGRESS"
    log_done: str = "JOB_DONE"
    batch_size_min: int = 50
    batch_size_max: int = 100
    queue_env_var: str = "RQ_QUEUES"
    compose_files: tuple[str, ...] = ("compose.yml", "compose.yaml", "docker-compose*.yml", "docker-compose*.yaml")
    default_job_timeout: str = "1h"  # what the WA307 fix writes
    fix_queue: str = ""  # the queue the WA101/WA102 fixes enqueue on; "": chosen from the topology


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder of the pyproject.toml that configured us, or the working directory
    config_file: Path | None = None
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    fixable: tuple[str, ...] = ("ALL",)
    unfixable: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    fail_on: str = "warning"
    max_call_depth: int = 4
    max_file_bytes: int = 512 * 1024  # libcst needs about 650 bytes of memory per byte of source
    extra_slow_calls: tuple[str, ...] = ()
    extra_handler_decorators: tuple[str, ...] = ()
    # a project's own request-handler base classes, as its modules spell them, and the methods
    # of their subclasses that handle requests: (("indico.web.rh.RH", ("_process",)),)
    extra_handler_classes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    job: JobStandard = field(default_factory=JobStandard)
    # behaviours whose findings are not yet right often enough to be on by default (ruff's
    # `preview`): following what a library's generic view does by itself
    preview: bool = False
    cache_dir: str = ".worker_audit_cache"  # below `root`; "" (or --no-cache): no cache
    jobs: int = 0  # processes for parsing; 0: one per core (--jobs)
    # Shortcuts that must never change a finding; off only to prove that (tests, scripts/check_speedups.py).
    prefilter: bool = True  # parse up front only modules holding a name some rule looks for
    outlines: bool = True  # follow names through modules with `ast` outlines (outline.py)


# a file is read in one call that reserves max-file-bytes up front
MAX_FILE_BYTES_LIMIT = 1024**3


# key in pyproject -> (field, type check, converter)
def _str_list(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of strings")
    return tuple(value)


def _patterns(key: str, value: Any) -> tuple[str, ...]:
    """gitignore-style patterns, each one pathspec can compile."""
    from worker_audit.discovery import invalid_pattern

    patterns = _str_list(key, value)
    for pattern in patterns:
        if (why := invalid_pattern(pattern)) is not None:
            raise ConfigError(f"'{key}' holds a pattern that is not gitignore-style: {pattern!r} ({why})")
    return patterns


def _str(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"'{key}' must be a non-empty string")
    return value


def _str_or_empty(key: str, value: Any) -> str:
    """A queue name, or "" to say "choose for me" (`fix-queue`)."""
    if not isinstance(value, str):
        raise ConfigError(f"'{key}' must be a string")
    if value and not re.fullmatch(r"[A-Za-z0-9_.:@-]+", value):
        raise ConfigError(f"'{key}' must be a queue name of letters, digits and _ . : @ -, not {value!r}")
    return value


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"'{key}' must be true or false")
    return value


def _positive_int(key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"'{key}' must be a positive integer")
    return value


def _file_bytes(key: str, value: Any) -> int:
    value = _positive_int(key, value)
    if value > MAX_FILE_BYTES_LIMIT:
        raise ConfigError(f"'{key}' must be at most {MAX_FILE_BYTES_LIMIT} (1 GiB)")
    return value


def _per_file_ignores(key: str, value: Any) -> tuple:
    if not isinstance(value, dict):
        raise ConfigError(f"'{key}' must be a table of glob = [codes]")
    return tuple((glob, _str_list(f"{key}.{glob}", codes)) for glob, codes in value.items())


def _handler_classes(key: str, value: Any) -> tuple:
    if not isinstance(value, dict):
        raise ConfigError(f"'{key}' must be a table of \"package.module.Class\" = [handler methods]")
    classes = []
    for name, methods in value.items():
        if not all(part.isidentifier() for part in name.split(".")):
            raise ConfigError(f"'{key}': {name!r} is not a dotted class name (package.module.Class)")
        methods = _str_list(f"{key}.{name}", methods)
        if not methods or not all(m.isidentifier() for m in methods):
            raise ConfigError(f"'{key}.{name}' must list the names of the methods that handle requests")
        classes.append((name, methods))
    return tuple(classes)


def _fail_on(key: str, value: Any) -> str:
    if value not in ("error", "warning", "info"):
        raise ConfigError(f"'{key}' must be one of error, warning, info")
    return value


_TOP_KEYS = {
    "select": ("select", _str_list),
    "ignore": ("ignore", _str_list),
    "fixable": ("fixable", _str_list),
    "unfixable": ("unfixable", _str_list),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _patterns),
    "respect-gitignore": ("respect_gitignore", _bool),
    "fail-on": ("fail_on", _fail_on),
    "max-call-depth": ("max_call_depth", _positive_int),
    "max-file-bytes": ("max_file_bytes", _file_bytes),
    "extra-slow-calls": ("extra_slow_calls", _str_list),
    "extra-handler-decorators": ("extra_handler_decorators", _str_list),
    "extra-handler-classes": ("extra_handler_classes", _handler_classes),
    "cache-dir": ("cache_dir", _str),
    "preview": ("preview", _bool),
}


def _shaped(pattern: str, what: str):
    """A string the fixes write into code as it is: it must have this shape, so that no
    quoting or escaping is needed (`'1h", result_ttl="0'` would write a second argument)."""
    compiled = re.compile(pattern)

    def convert(key: str, value: Any) -> str:
        text = _str(key, value)
        if not compiled.fullmatch(text):
            raise ConfigError(f"'{key}' must be {what}, not {text!r}")
        return text

    return convert


def _shaped_list(pattern: str, what: str):
    one = _shaped(pattern, what)

    def convert(key: str, value: Any) -> tuple[str, ...]:
        return tuple(one(key, item) for item in _str_list(key, value))

    return convert


_NAME = _shaped(r"[A-Za-z_][A-Za-z0-9_]*", "a Python name")
_MARKER = _shaped(r"[A-Za-z0-9_.:-]+", "a log marker of letters, digits and _ . : -")
_TIMEOUT = _shaped(r"[0-9]+[smhd]?", "a timeout RQ reads, such as 600, 10m or 1h")

_JOB_KEYS = {
    "job-model": ("job_model", _NAME),
    "heartbeat-field": ("heartbeat_field", _NAME),
    "cancel-states": ("cancel_states", _shaped_list(r"[A-Za-z0-9_.:-]+", "statuses of letters, digits and _ . : -")),
    "log-start": ("log_start", _MARKER),
    "log-progress": ("log_progress", _MARKER),
    "log-done": ("log_done", _MARKER),
    "batch-size-min": ("batch_size_min", _positive_int),
    "batch-size-max": ("batch_size_max", _positive_int),
    "queue-env-var": ("queue_env_var", _str),
    "compose-files": ("compose_files", _str_list),
    "default-job-timeout": ("default_job_timeout", _TIMEOUT),
    "fix-queue": ("fix_queue", _str_or_empty),
}


def _toml_error_line(exc: Exception, text: str) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if match:
        return f"{match.group(1)}:{match.group(2)}: "
    if "at end of document" in str(exc):
        return f"{text.count(chr(10)) + 1}:1: "
    return ""


def read_pyproject(path: Path) -> dict | None:
    """The `[tool.worker-audit]` table of one pyproject.toml, or None."""
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        message = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(exc))
        raise ConfigError(f"{path}:{_toml_error_line(exc, text)}invalid TOML: {message}") from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ConfigError(f"{path}: invalid TOML: arrays or inline tables nested too deeply") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        return None
    table = tool.get("worker-audit")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.worker-audit] must be a table")
    return table


def _folders_up(start: Path) -> list[Path]:
    """`start` (or its folder) and every folder above it, nearest first."""
    folder = start if start.is_dir() else start.parent
    return [folder, *folder.parents]


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.worker-audit] table, walking up."""
    for candidate in _folders_up(start):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and read_pyproject(pyproject) is not None:
            return pyproject
    return None


PROJECT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")


def project_root(settings: Settings, paths: list[Path]) -> Path | None:
    """The project a run belongs to: the configuration file's folder; without one, the nearest
    folder at or above the first path that holds a repository or a Python project; None when
    there is none."""
    if settings.config_file is not None:
        return settings.root.resolve()
    if not paths:
        return None
    for folder in _folders_up(paths[0].resolve()):
        markers = [marker for marker in PROJECT_MARKERS if (folder / marker).exists()]
        if markers == ["setup.py"] and (folder / "__init__.py").exists():
            continue  # a package's module named setup.py (bookwyrm's views/setup.py) is no project
        if markers:
            return folder
    return None


def _key_place(config_file: Path, key: str) -> str:
    """`line:col:` where `key` is set in `[tool.worker-audit]` (or is its own
    `[tool.worker-audit.key]` table), or "" when it cannot be found: tomllib keeps no positions."""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return ""
    quoted = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""
    header = re.compile(r"""\s*\[\s*tool\s*\.\s*(?:worker-audit|"worker-audit"|'worker-audit')\s*(?P<sub>\..*)?\]""")
    assignment = re.compile(rf"(\s*){quoted}\s*[=.]")
    inside = False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("["):
            match = header.match(line)
            inside = match is not None and not match.group("sub")
            if match and match.group("sub") and re.match(rf"\.\s*{quoted}\s*$", match.group("sub").strip()):
                return f"{number}:{len(line) - len(line.lstrip()) + 1}:"
        elif inside:
            found = assignment.match(line)
            if found:
                return f"{number}:{len(found.group(1)) + 1}:"
    return ""


def settings_from_table(table: dict, config_file: Path) -> Settings:
    values: dict[str, Any] = {}
    job_values: dict[str, Any] = {}
    for key, value in table.items():
        try:
            if key in _TOP_KEYS:
                name, convert = _TOP_KEYS[key]
                values[name] = convert(key, value)
            elif key in _JOB_KEYS:
                name, convert = _JOB_KEYS[key]
                job_values[name] = convert(key, value)
            else:
                known = ", ".join(sorted([*_TOP_KEYS, *_JOB_KEYS]))
                raise ConfigError(f"unknown key '{key}' (known keys: {known})")
        except ConfigError as exc:
            raise ConfigError(f"{config_file}:{_key_place(config_file, key)} [tool.worker-audit] {exc}") from None
    job = replace(JobStandard(), **job_values)
    if job.batch_size_min > job.batch_size_max:
        where = _key_place(config_file, "batch-size-min")
        raise ConfigError(f"{config_file}:{where} [tool.worker-audit] batch-size-min is larger than batch-size-max")
    return Settings(root=config_file.parent, config_file=config_file, job=job, **values)


def load_settings(paths: list[Path], config_file: Path | None = None) -> Settings:
    """Settings for a run over `paths`: an explicit file, else the nearest one."""
    if config_file is None and paths:
        config_file = find_config(paths[0].resolve())
    if config_file is None:
        return Settings(root=Path.cwd())
    table = read_pyproject(config_file.resolve())
    return settings_from_table(table or {}, config_file.resolve())
