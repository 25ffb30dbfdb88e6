"""The public JSON contract (see README, `shared/schemas/findings.schema.json`)."""

from __future__ import annotations

import json

from worker_audit.finding import Finding


def finding_to_dict(finding: Finding) -> dict:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.path,
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
        "related": [{"path": r.path, "line": r.line, "message": r.message} for r in finding.related],
        "fix": None
        if finding.fix is None
        else {"applicability": finding.fix.applicability, "description": finding.fix.description},
    }


def render_json(findings: list[Finding]) -> str:
    return json.dumps([finding_to_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def render_json_lines(findings: list[Finding]) -> str:
    """One finding per line, each an object of the same contract: easy to stream and grep."""
    return "".join(json.dumps(finding_to_dict(f), ensure_ascii=False) + "\n" for f in findings)
