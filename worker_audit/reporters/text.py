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


def _fixable(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.applicability == "safe" and bool(finding.fix.edits)


def render_text(findings: list[Finding]) -> str:
    """ruff's shape: `[*]` marks a finding `--fix` can fix."""
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {'[*] ' if _fixable(f) else ''}{f.message}" for f in findings]
    lines.append(summary_line(findings))
    fixable = sum(1 for f in findings if _fixable(f))
    hidden = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "unsafe" and f.fix.edits)
    if fixable:
        lines.append(f"[*] {fixable} fixable with `worker-audit check --fix`.")
    if hidden:  # as ruff says it
        noun = "fix" if hidden == 1 else "fixes"
        lines.append(f"({hidden} hidden {noun} can be enabled with `--unsafe-fixes`.)")
    return "\n".join(lines) + "\n"


def without_summary(report: str, findings: list[Finding]) -> str:
    """A text or full report without its closing summary lines, for --quiet."""
    summary = len(render_text(findings).splitlines()) - len(findings)
    lines = report.splitlines(keepends=True)
    return "".join(lines[: len(lines) - summary])
