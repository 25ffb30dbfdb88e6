from __future__ import annotations

from collections.abc import Iterator

from worker_audit.finding import Edit, Finding, Fix, Related, Severity
from worker_audit.queue_topology import plain_queue_name
from worker_audit.rule import Example, Rule


class QueueNotConsumed(Rule):
    code = "WA201"
    name = "queue-not-consumed"
    severity = Severity.ERROR
    reads = frozenset({"python", "deployment"})
    summary = "Code enqueues to a queue that no worker listens to."
    what = """
Reports a queue that code produces to (`Queue("x")` used to enqueue, `@job("x")`)
when no worker serves it. Workers are read from docker-compose files (the
queue environment variable, `rq worker a b` commands, services that run the
worker module), Procfiles, and the worker module's own default
(`os.getenv("RQ_QUEUES", "a,b")`) or `Worker([...])` list; a module default
that the deployment replaces with its own value does not count. The finding
sits where the queue is named; `related` lists every worker definition that
lacks it.

Nothing is reported when no worker definition is found, or when one of them
lists its queues in a way a static audit cannot read (`rq worker $QUEUES`
with an undefined variable): worker-audit never guesses.
"""
    why = """
A job enqueued to a queue nobody serves never runs, and nothing fails: the
request answers `202`, the job sits in Redis, and the work silently never
happens (RQ users meet exactly this, rq/rq#75). The seed audit's
`maintenance` queue was used by the receipts endpoint and missing from the
worker's `RQ_QUEUES` in both places.
"""
    instead = "Add the queue to every worker definition (the compose value and the worker module's default)."
    fix_safety = """
Safe: `--fix` appends the queue to every worker list written as a value: the
compose variable (`RQ_QUEUES=high,default,low,maintenance`) and the worker
module's default, in place, keeping the file's layout, quoting and comments.
It is offered only when every worker can be edited that way (not when a
worker lists its queues on a command line).
"""
    bad = Example(
        {
            "docker-compose.yml": """\
services:
  worker:
    image: app
    command: rq worker default
""",
            "tasks.py": """\
from redis import Redis
from rq import Queue

default = Queue(connection=Redis())
# expect: WA201
reports = Queue("reports", connection=Redis())


def build_report(report_id):
    return report_id


def schedule(report_id):
    default.enqueue(print, report_id)
    reports.enqueue(build_report, report_id, job_timeout="10m")
""",
        }
    )
    good = bad.changed("docker-compose.yml", "command: rq worker default", "command: rq worker default reports")

    def check(self, analysis) -> Iterator[Finding]:
        topology = analysis.topology
        consumed = topology.consumed()
        if consumed is None:
            return
        workers = topology.active_consumers()
        seen = set()
        for producer in topology.producers:
            key = (producer.path, producer.span)
            if producer.queue is None or producer.queue in consumed or key in seen:
                continue
            if producer.path not in analysis.reported:
                continue
            seen.add(key)
            related = [
                Related(analysis.display(w.path), w.line, f"{w.label} listens to: {', '.join(w.queues or ())}")
                for w in workers
            ]
            related.append(Related(analysis.display(producer.site_path), producer.site_span.line, "enqueued here"))
            message = (
                f"queue `{producer.queue}` has no worker: jobs enqueued to it never run "
                f"(workers listen to: {', '.join(sorted(consumed))})"
            )
            fix = _add_queue_fix(topology, producer.queue)
            yield self.finding(analysis, producer.path, producer.span, message, related, scope=producer.queue, fix=fix)


def _add_queue_fix(topology, queue: str) -> Fix | None:
    """Append the queue to every worker list written as a value (the compose variable,
    the worker module's default): offered only when every active worker can be edited, and
    the name needs no quoting there."""
    if not plain_queue_name(queue):
        return None
    edits = []
    for consumer in topology.consumers:
        if consumer.value_span is None or consumer.queues is None:
            if not consumer.overridden:
                return None  # a worker whose list cannot be edited in place (a command line)
            continue
        span = consumer.value_span
        edits.append(
            Edit(consumer.path, span.line, span.column, span.end_line, span.end_column, f",{queue}", "append-to-string")
        )
    if not edits:
        return None
    return Fix("safe", f"add `{queue}` to the worker queue lists ({len(edits)} places)", tuple(edits))
