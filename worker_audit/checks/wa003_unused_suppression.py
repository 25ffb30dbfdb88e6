from __future__ import annotations

from collections.abc import Iterable, Iterator

from worker_audit.finding import Finding, Severity, Span
from worker_audit.rule import Example, Rule
from worker_audit.suppressions import Suppression


class UnusedSuppressionRule(Rule):
    code = "WA003"
    name = "unused-suppression"
    severity = Severity.WARNING
    reads = frozenset()
    summary = "A `# worker-audit: ignore` comment that suppresses nothing."
    what = """
Reports an inline suppression that matched no finding on its line, nor a
statement of a helper on the way to a finding (WA101, WA102, WA104), or that
names a code worker-audit does not have. A suppression naming a rule that is
not selected in this run is not reported: the run cannot tell. Nor, in a run
on some files rather than the whole project (a pre-commit run), is a
suppression of WA101, WA102 or WA104 (or a bare one) on a line with a call, a
decorator or a loop header: a handler outside the run may reach it. A file
worker-audit does not analyse (unreadable, or over `max-file-bytes`) is not
judged either.
"""
    why = """
Suppressions outlive the code they were written for. A stale one hides the
next real finding on that line, and an unknown code is usually a typo that
suppresses nothing.
"""
    instead = "Remove the comment, or correct the code it names."
    fix_safety = "No fix is offered."
    bad = Example(
        {
            "app.py": """\
from flask import Flask

app = Flask(__name__)

@app.route("/leads/<int:lead_id>")
def get_lead(lead_id):
# expect: WA003
    return {"id": lead_id}  # worker-audit: ignore[WA101]
"""
        }
    )
    good = Example(
        {
            "app.py": """\
from flask import Flask

app = Flask(__name__)

@app.route("/leads/<int:lead_id>")
def get_lead(lead_id):
    return {"id": lead_id}
"""
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        return iter(())  # reported by the engine, after the other rules ran

    def unused(
        self,
        analysis,
        path: str,
        suppression: Suppression,
        used_codes: Iterable[str],
        known_codes: set[str],
        active_codes: set[str],
    ) -> Iterator[Finding]:
        used = set(used_codes)
        span = Span(suppression.line, suppression.column, suppression.line, suppression.column)
        if suppression.codes is None:
            if not used:
                yield self.finding(analysis, path, span, "unused suppression: no finding on this line")
            return
        for code in suppression.codes:
            if code not in known_codes:
                yield self.finding(analysis, path, span, f"suppression names unknown code {code}")
            elif code in active_codes and code not in used:
                yield self.finding(
                    analysis, path, span, f"unused suppression of {code}: no {code} finding on this line"
                )
