from __future__ import annotations

from collections.abc import Iterator

from worker_audit.finding import Finding, Severity, Span
from worker_audit.rule import Example, Rule


class SyntaxErrorRule(Rule):
    code = "WA001"
    name = "syntax-error"
    severity = Severity.ERROR
    summary = "A Python file that worker-audit needs could not be read or parsed."
    what = """
Reports a Python file that does not parse (a syntax error), cannot be decoded
(bytes that are not valid in its declared encoding, UTF-8 by default), contains
NUL bytes or cannot be read. The run goes on with the other files.
"""
    why = """
A file that cannot be parsed cannot be audited: any handler in it escapes the
worker standard unnoticed. CPython would refuse the same file at import time.
"""
    instead = "Fix the syntax, or save the file as UTF-8 (or declare its encoding on line 1 or 2)."
    fix_safety = "No fix is offered."
    bad = Example(
        {
            "app.py": """\
from flask import Flask

app = Flask(__name__)

@app.route("/leads")
# expect: WA001
def list_leads(:
    return []
"""
        }
    )
    good = Example(
        {
            "app.py": """\
from flask import Flask

app = Flask(__name__)

@app.route("/leads")
def list_leads():
    return []
"""
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        for path, problem in analysis.problems:
            span = Span(problem.line, problem.column, problem.line, problem.column)
            yield self.finding(analysis, path, span, problem.message)
