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

Which files are read depends on the run. A run on a whole project (a folder
that holds the project's root: the configuration file's folder, else the
nearest one at or above the first path given that holds `.git`,
`pyproject.toml`, `setup.py` or `setup.cfg`) parses only the modules that name something a rule
looks for, and those it is led to; a broken module that names nothing of the
sort is not reported. A run on some files (the pre-commit hook, or a folder
below the project's root) reads every Python file given, so it reports each
one that does not parse. Exclude generated or template files
(`exclude = [...]`) rather than suppress their WA001.
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
