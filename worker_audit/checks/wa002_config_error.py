from __future__ import annotations

from collections.abc import Iterator

from worker_audit.finding import Finding, Severity, Span
from worker_audit.rule import Example, Rule


class ConfigErrorRule(Rule):
    code = "WA002"
    name = "config-error"
    severity = Severity.ERROR
    reads = frozenset({"deployment"})
    summary = "A configuration file worker-audit reads (a compose file) is broken."
    what = """
Reports a docker-compose file (`compose.y*ml`, `docker-compose*.y*ml`) that is
not valid YAML, uses tags that a safe loader refuses (`!!python/object`), is
an alias bomb, nests more than 100 levels deep, or is not a mapping. A
Kubernetes or Cloud Foundry manifest is reported for refused tags and deep nesting only: one that
is not YAML at all may be a template, and so may a compose file that is not YAML and holds Jinja
tags (`{% if %}`, `{{ version }}`): a file a tool renders first, not reported. The position is
the one the YAML parser gives. The run goes on with the other files.
"""
    why = """
The compose file is where workers are told which queues to serve. A broken one
means worker-audit cannot tell whether every queue has a worker, and docker
compose itself will refuse to start the stack.
"""
    instead = "Fix the YAML; load nothing but plain data from it."
    fix_safety = "No fix is offered."
    bad = Example(
        {
            "docker-compose.yml": """\
services:
  web:
    image: app
# expect: WA002
    environment: [FLASK_ENV=production
"""
        }
    )
    good = Example(
        {
            "docker-compose.yml": """\
services:
  web:
    image: app
    environment: [FLASK_ENV=production]
"""
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        for path, message, line, column in analysis.deployment.problems:
            yield self.finding(analysis, path, Span(line, column, line, column), message)
