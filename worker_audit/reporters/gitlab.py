"""GitLab Code Quality JSON: one issue per finding, for merge-request widgets.

The fingerprint ignores line numbers (rule, path, enclosing handler or
function, message without line numbers), so moving code does not make GitLab
report a finding as new."""

from __future__ import annotations

import hashlib
import json
import re

from worker_audit.finding import Finding

_SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}
_LINE_NUMBERS = re.compile(r":\d+\b")


def fingerprint(finding: Finding) -> str:
    message = _LINE_NUMBERS.sub("", finding.message)
    identity = "\0".join((finding.code, finding.path, finding.scope, message))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def render_gitlab(findings: list[Finding]) -> str:
    issues = [
        {
            "description": f"{f.code} {f.message}",
            "check_name": f"{f.code} {f.name}",
            "fingerprint": fingerprint(f),
            "severity": _SEVERITIES[f.severity.value],
            "location": {"path": f.path, "lines": {"begin": f.span.line, "end": f.span.end_line}},
        }
        for f in findings
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
