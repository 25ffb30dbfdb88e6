"""SARIF 2.1.0 for code-scanning uploads: rule metadata from the rule docs,
`related` as relatedLocations. Fixes are not exported yet (see the README)."""

from __future__ import annotations

import json

from worker_audit import __version__
from worker_audit.finding import Finding

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _location(path: str, line: int, column: int = 1, end_line: int | None = None, end_column: int | None = None):
    region = {"startLine": line, "startColumn": column}
    if end_line is not None and end_column is not None and (end_line, end_column) > (line, column):
        region.update(endLine=end_line, endColumn=end_column)
    return {"physicalLocation": {"artifactLocation": {"uri": path}, "region": region}}


def _rule(code: str) -> dict:
    from worker_audit.checks import RULES

    rule = RULES[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.what.split())},
        "help": {"text": " ".join(rule.instead.split()), "markdown": rule.documentation()},
        "defaultConfiguration": {"level": _LEVELS[rule.severity.value]},
    }


def render_sarif(findings: list[Finding]) -> str:
    codes = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in findings:
        span = f.span
        result = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVELS[f.severity.value],
            "message": {"text": f.message},
            "locations": [_location(f.path, span.line, span.column, span.end_line, span.end_column)],
        }
        if f.related:
            result["relatedLocations"] = [
                {"id": i, **_location(r.path, r.line), "message": {"text": r.message}} for i, r in enumerate(f.related)
            ]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "worker-audit",
                        "version": __version__,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
