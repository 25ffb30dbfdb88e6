"""A finding's identity that survives moving code: rule, path, enclosing
handler or function, and the message without line numbers. The rules that
report one finding per handler and follow its helpers (WA101, WA102, WA104)
leave the message out: which statements it names, and how many, change when a
helper changes or a suppression leaves one of them out, and the handler is
still the one the team baselined.

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
    return identity_of(finding.code, finding.path if path is None else path, finding.scope, finding.message)


def identity_of(code: str, path: str, scope: str, message: str) -> tuple[str, str, str, str]:
    from worker_audit.checks import RULES

    rule = RULES.get(code)
    follows_helpers = rule is not None and rule.follows_helpers and scope != ""
    return (code, path, scope, "" if follows_helpers else stable_message(message))


def fingerprint(finding: Finding) -> str:
    return hashlib.sha256("\0".join(identity(finding)).encode("utf-8")).hexdigest()
