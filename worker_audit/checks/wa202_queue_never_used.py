from __future__ import annotations

from collections.abc import Iterator

from worker_audit.finding import Finding, Related, Severity
from worker_audit.rule import Example, Rule


class QueueNeverUsed(Rule):
    code = "WA202"
    name = "queue-never-used"
    severity = Severity.WARNING
    reads = frozenset({"python", "deployment"})
    summary = "A worker listens to a queue that nothing in the code enqueues to."
    what = """
Reports a queue that a worker definition lists (compose, Procfile, the worker
module's default) when no code produces to it. One finding per queue, on the
first definition that lists it (compose and Procfile before Python defaults);
`related` lists the other definitions. A worker line in a shell script or a
Dockerfile that a checked compose service or Procfile entry runs is reported
there. Skipped entirely when the code enqueues to queues whose names are only
known at run time, since any of them could be this one. A queue that the
project's Celery tasks or Dramatiq actors name (`queue=`, `queue_name=`, a
`task_routes` entry) is not reported, whether or not this code sends them: a
task is sent by its name, by another service (`send_task`) or from a shell, and
a queue it names is no typo. The default queue, which every other task gets,
counts when a task that goes there is sent by no code here (it too is sent by
its name, from elsewhere), when the code sends to it, or when the deployment
runs the tasks' scheduler (`celery beat`, `celery worker -B`: the schedule may
live in the database, django-celery-beat, and send any task); a task this code
sends only to other queues does not make it used. RQ's `@job("queue")`
functions count only when the code calls `.delay()`.
"""
    why = """
A dead queue in a worker's list is usually the other half of a typo or a
rename: the producer now writes to `emails` while the worker still serves
`email`. It also costs a Redis poll per worker loop and misleads whoever
reads the deployment to learn where work runs.
"""
    instead = "Remove the queue from the worker definitions, or fix the producer's queue name."
    fix_safety = "No automatic fix is offered: removing a queue a deployment elsewhere relies on is not safe."
    bad = Example(
        {
            "docker-compose.yml": """\
services:
  worker:
    image: app
# expect: WA202
    command: rq worker default emails
""",
            "tasks.py": """\
from redis import Redis
from rq import Queue

default = Queue(connection=Redis())


def schedule(user_id):
    default.enqueue(print, user_id)
""",
        }
    )
    good = bad.changed("docker-compose.yml", "command: rq worker default emails", "command: rq worker default")

    def check(self, analysis) -> Iterator[Finding]:
        topology = analysis.topology
        scheduled = topology.scheduled()
        if topology.has_dynamic_producers() or scheduled is None:
            return
        produced = topology.produced() | scheduled | topology.task_queues()
        listing: dict[str, list] = {}
        for consumer in sorted(topology.consumers, key=lambda c: (c.kind.startswith("python"), c.path, c.line)):
            if consumer.follows_tasks:  # `dramatiq app.tasks`: it lists no queue, its actors do
                continue
            for queue in consumer.queues or ():
                listing.setdefault(queue, []).append(consumer)
        for queue, consumers in sorted(listing.items()):
            if queue in produced:
                continue
            first = next((c for c in consumers if analysis.reports_worker(c)), None)
            if first is None:
                continue
            related = [
                Related(analysis.display(c.path), c.line, f"{c.label} also lists `{queue}`")
                for c in consumers
                if c is not first
            ]
            message = f"{first.label} listens to queue `{queue}`, which no code enqueues to"
            yield self.finding(analysis, first.path, first.span, message, related, scope=queue)
