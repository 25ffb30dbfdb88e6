"""ruff-style lines: `path:line:col: CODE message`, then a summary line."""

from __future__ import annotations

from collections import Counter

from worker_audit.finding import Finding


def summary_line(findings: list[Finding]) -> str:
    if not findings:
        return "No findings."
    counts = Counter(f.severity.value for f in findings)
    parts = [
        f"{counts[s]} {s if counts[s] == 1 else s + 's'}" if s != "info" else f"{counts[s]} info"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    noun = "finding" if len(findings) == 1 else "findings"
    return f"Found {len(findings)} {noun} ({', '.join(parts)})."


def render_text(findings: list[Finding]) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings]
    lines.append(summary_line(findings))
    return "\n".join(lines) + "\n"
