"""`--statistics`: one line per rule with its count, as ruff prints it."""

from __future__ import annotations

from collections import Counter

from worker_audit.finding import Finding


def render_statistics(findings: list[Finding]) -> str:
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    fixable = {f.code for f in findings if f.fix is not None and f.fix.applicability == "safe" and f.fix.edits}
    width = len(str(max(counts.values(), default=0)))
    lines = [
        f"{count:>{width}}\t{code}\t{'[*] ' if code in fixable else '[ ] '}{names[code]}"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "".join(line + "\n" for line in lines)
