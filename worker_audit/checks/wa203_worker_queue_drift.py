from __future__ import annotations

from collections.abc import Iterator

from worker_audit.finding import Edit, Finding, Fix, Related, Severity
from worker_audit.queue_topology import plain_queue_name
from worker_audit.rule import Example, Rule


class WorkerQueueDrift(Rule):
    code = "WA203"
    name = "worker-queue-drift"
    severity = Severity.WARNING
    reads = frozenset({"python", "deployment"})
    summary = "Two lists of a worker's queues that must agree differ."
    what = """
Reports the worker module's default queue list (`os.getenv("RQ_QUEUES",
"high,default,low")`, the variable name is `queue-env-var`) when a compose
service that runs that module (or, when no service can be linked to it, any
service that sets the variable) gives a different list. The finding sits on
the default; `related` points at the compose value.

For django-rq, the other list is the `RQ_QUEUES` setting: a worker command
(`manage.py rqworker high reports`, also with no queue, which serves
`default`) that names a queue the setting does not configure is reported on
the command line, since django-rq looks each queue up in the setting and the
worker stops at start-up. A setting extended at run time
(`RQ_QUEUES.update(...)`) is not judged. Celery and Dramatiq keep no second
list to drift from: a worker's `-Q` / `--queues` is the only one (WA201 and
WA202 compare it with the code).
"""
    why = """
Two lists that must agree drift apart: the seed audit's required Fix 3 had to
add the same queues "in both places". Whoever runs the worker without compose
(locally, in a test, on a new host) serves a different set of queues than
production, and a queue added in one place only is served in one environment
only.
"""
    instead = "Keep one list: make the default and the compose value the same, or drop the default."
    fix_safety = """
Safe: `--fix` rewrites the default string to the deployment's list. Only
runs without the variable set (a local worker, a test) change, and they then
serve what production serves. No fix is offered when the services that run
the module give different lists, or when one of them runs it without the
variable (its worker would change).
"""
    bad = Example(
        {
            "docker-compose.yml": """\
services:
  worker:
    image: app
    command: python worker.py
    environment:
      - RQ_QUEUES=default,emails
""",
            "worker.py": """\
import os

from redis import Redis
from rq import Queue, Worker

# expect: WA203
QUEUES = os.getenv("RQ_QUEUES", "default").split(",")

if __name__ == "__main__":
    Worker([Queue(name, connection=Redis()) for name in QUEUES]).work()
""",
            "tasks.py": """\
from redis import Redis
from rq import Queue

default = Queue(connection=Redis())
emails = Queue("emails", connection=Redis())


def schedule(user_id):
    default.enqueue(print, user_id)
    emails.enqueue(print, user_id)
""",
        }
    )
    good = bad.changed("worker.py", 'os.getenv("RQ_QUEUES", "default")', 'os.getenv("RQ_QUEUES", "default,emails")')

    def check(self, analysis) -> Iterator[Finding]:
        yield from self._unconfigured_queues(analysis)
        consumers = analysis.topology.consumers
        environment = [c for c in consumers if c.kind == "environment" and c.queues is not None]
        for default in (c for c in consumers if c.kind == "python-default"):
            if default.path not in analysis.reported:
                continue
            linked = [c for c in environment if c.module == default.module]
            deployments = linked or [c for c in environment if c.module is None]
            # deployments that disagree with each other, or one that runs the module on its default:
            # no one list for the default to take without changing a deployed worker
            on_default = any(c.kind == "module" and c.module == default.module for c in consumers)
            agreed = len({frozenset(c.queues or ()) for c in deployments}) == 1 and not on_default
            for deployed in deployments:
                ours, theirs = set(default.queues or ()), set(deployed.queues or ())
                if ours == theirs:
                    continue
                differences = []
                if theirs - ours:
                    differences.append(f"missing {', '.join(sorted(theirs - ours))}")
                if ours - theirs:
                    differences.append(f"extra {', '.join(sorted(ours - theirs))}")
                message = (
                    f"{default.label} ({', '.join(default.queues or ())}) differs from {deployed.label} "
                    f"({', '.join(deployed.queues or ())}): {'; '.join(differences)}"
                )
                related = [Related(analysis.display(deployed.path), deployed.line, f"{deployed.label}")]
                fix = None
                if default.value_span is not None and agreed and all(map(plain_queue_name, deployed.queues or ())):
                    span = default.value_span
                    listed = ",".join(deployed.queues or ())
                    edit = Edit(
                        default.path, span.line, span.column, span.end_line, span.end_column, listed, "replace-string"
                    )
                    fix = Fix("safe", f"make the default `{listed}`, the deployment's list", (edit,))
                yield self.finding(analysis, default.path, default.span, message, related, scope=default.label, fix=fix)

    def _unconfigured_queues(self, analysis) -> Iterator[Finding]:
        """`manage.py rqworker reports` when RQ_QUEUES has no `reports`."""
        topology = analysis.topology
        for consumer in topology.consumers:
            if consumer.configured_in is None or consumer.queues is None or not analysis.reports_worker(consumer):
                continue
            configured, extended = topology.setting_queues(consumer.configured_in)
            if configured is None or extended:
                continue
            missing = [queue for queue in consumer.queues if queue not in configured]
            if missing:
                names = ", ".join(f"`{queue}`" for queue in missing)
                message = (
                    f"{consumer.label} serves {names}, which {consumer.configured_in} does not configure "
                    f"({', '.join(configured) or 'nothing'}): the worker stops at start-up"
                )
                yield self.finding(analysis, consumer.path, consumer.span, message, [], scope=consumer.label)
