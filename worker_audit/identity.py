"""A finding's identity that survives moving code: rule, path, enclosing
handler or function, and the message without line numbers.

GitLab fingerprints and baselines both use it, so a finding that GitLab
already knows is also one the baseline already holds."""

from __future__ import annotations

import hashlib
import re

from worker_audit.finding import Finding

_LINE_NUMBERS = re.compile(r":\d+\b|\bline \d+\b")


def stable_message(message: str) -> str:
    """The message with `path:12` and `line 12` references taken out."""
    return _LINE_NUMBERS.sub("", message)


def identity(finding: Finding, path: str | None = None) -> tuple[str, str, str, str]:
    """(code, path, scope, stable message); `path` replaces the finding's own when given."""
    return (finding.code, finding.path if path is None else path, finding.scope, stable_message(finding.message))


def fingerprint(finding: Finding) -> str:
    return hashlib.sha256("\0".join(identity(finding)).encode("utf-8")).hexdigest()
