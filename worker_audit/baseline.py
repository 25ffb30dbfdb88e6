"""Baselines, for adopting worker-audit in a legacy repository: record
today's findings once, then report only the ones that are new.

The file is JSON, sorted, one entry per identity (see `identity.py`) with a
count, so it diffs well in review. Paths are relative to the baseline file's
folder, so the file works from any working directory. Counting matters: a
second copy of a baselined violation in the same handler is new."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from worker_audit.analysis import display_path
from worker_audit.finding import Finding
from worker_audit.identity import identity, identity_of, stable_message

FORMAT_VERSION = 1
DEFAULT_FILE = ".worker-audit-baseline.json"


class BaselineError(Exception):
    """The baseline file cannot be used: one line, exit code 2."""


def _identities(findings: list[Finding], base: Path) -> list[tuple[str, str, str, str]]:
    return [identity(f, display_path(f.path, base)) for f in findings]


def render_baseline(findings: list[Finding], base: Path) -> str:
    counts: Counter = Counter()
    messages: dict[tuple[str, str, str, str], str] = {}  # for the reader: an identity may leave it out
    for finding, key in zip(findings, _identities(findings, base), strict=True):
        counts[key] += 1
        messages.setdefault(key, stable_message(finding.message))
    entries = []
    for key in sorted(counts):
        code, path, scope, _ = key
        entries.append({"code": code, "path": path, "scope": scope, "message": messages[key], "count": counts[key]})
    return (
        json.dumps({"worker-audit-baseline": FORMAT_VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n"
    )


def write_baseline(findings: list[Finding], file: Path) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    text = render_baseline(findings, file.parent)
    try:
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, file)
    except OSError as exc:
        raise BaselineError(f"cannot write {file}: {exc.strerror or exc}") from None


def load_baseline(file: Path) -> Counter:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"baseline {file} does not exist (write it with `worker-audit baseline`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {file}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}:{exc.lineno}:{exc.colno}: baseline is not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BaselineError(f"{file}: baseline is nested too deeply to read; write it again") from None
    if not isinstance(data, dict) or data.get("worker-audit-baseline") != FORMAT_VERSION:
        raise BaselineError(f"{file}: not a worker-audit baseline (version {FORMAT_VERSION}); write it again")
    entries = data.get("findings", [])
    if not isinstance(entries, list):
        raise BaselineError(f"{file}: 'findings' is not a list; write it again")
    counts: Counter = Counter()
    for entry in entries:
        try:
            fields = (entry["code"], entry["path"], entry["scope"], entry["message"])
            count = entry.get("count", 1)
            if not all(isinstance(part, str) for part in fields) or not isinstance(count, int):
                raise TypeError
            key = identity_of(*fields)
        except (KeyError, TypeError, AttributeError):  # not a mapping, a field missing or of another type
            raise BaselineError(f"{file}: malformed entry {json.dumps(entry)[:80]}; write it again") from None
        counts[key] += count
    return counts


def new_findings(findings: list[Finding], baseline: Counter, base: Path) -> list[Finding]:
    """The findings beyond what the baseline holds. When a handler has more
    copies of a finding than were recorded, the last ones in the file are new."""
    remaining = Counter(baseline)
    new = []
    for finding, key in zip(findings, _identities(findings, base), strict=True):
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new
