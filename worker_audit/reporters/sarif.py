"""SARIF 2.1.0 for code-scanning uploads: rule metadata from the rule docs,
`related` as relatedLocations, and each fix as `fixes[].artifactChanges`.

A fix is exported as what it does to the text: the fix is applied in memory
(codemods included, as `fix --unsafe-fixes` would apply it alone), and each
changed file becomes one replacement of the smallest region that changed. A
file the fix creates is one insertion into an empty artifact. Columns count
characters (`columnKind: unicodeCodePoints`), as everywhere in worker-audit."""

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


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _replacement(old: str, new: str) -> dict:
    """The smallest region of `old` that `new` changes, and what it becomes."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start, end = prefix, len(old) - suffix
    (start_line, start_column), (end_line, end_column) = _position(old, start), _position(old, end)
    region = {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": start,
        "charLength": end - start,
    }
    return {"deletedRegion": region, "insertedContent": {"text": new[prefix : len(new) - suffix]}}


def _fix(finding: Finding) -> dict | None:
    """The fix as SARIF `artifactChanges`, from the changes the fix layer computed
    (`fixes.with_changes`): one replacement of the smallest changed region per file."""
    from worker_audit.analysis import display_path

    fix = finding.fix
    if fix is None or not fix.changes:
        return None
    changes = [
        {"artifactLocation": {"uri": display_path(c.path)}, "replacements": [_replacement(c.before, c.after)]}
        for c in fix.changes
    ]
    return {"description": {"text": f"{fix.description} ({fix.applicability} fix)"}, "artifactChanges": changes}


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
        fix = _fix(f)
        if fix is not None:
            result["fixes"] = [fix]
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
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
