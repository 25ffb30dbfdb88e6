"""GitLab Code Quality JSON: one issue per finding, for merge-request widgets.

The fingerprint hashes the finding's identity (identity.py: rule, path,
enclosing handler or function, message without line numbers), so moving code
does not make GitLab report a finding as new."""

from __future__ import annotations

import json

from worker_audit.finding import Finding
from worker_audit.identity import fingerprint

_SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


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
