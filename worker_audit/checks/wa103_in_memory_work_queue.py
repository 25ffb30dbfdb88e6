from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import tracked
from worker_audit.finding import Finding, Related, Severity
from worker_audit.rule import Example, Rule


class InMemoryWorkQueue(Rule):
    code = "WA103"
    name = "in-memory-work-queue"
    severity = Severity.INFO
    summary = "Request handlers feed a process-local queue that a thread drains."
    what = """
Reports a module-level `queue.Queue` (or `LifoQueue`, `PriorityQueue`,
`SimpleQueue`, `multiprocessing.Queue`, `collections.deque`, or a project
subclass of one) that request handlers `put()` work on, directly or through
helpers. The finding sits on the queue's definition; `related` lists the
handlers that feed it and the thread that drains it, when one is found in the
same module. A queue a thread keeps (`self.queue = queue.Queue()` in the
`__init__` of a `threading.Thread` subclass, fed by `self.queue.put(...)` or
through the one instance a classmethod keeps, `Worker.get_instance().queue.put(...)`)
is reported as `Worker.queue`, on the first handler's call that feeds it.
"""
    why = """
The work sits in the memory of one web process: a restart or a crash loses
everything queued, every process has its own queue (so deduplication and rate
limits are per process), and no worker, dashboard or retry sees it. It may be
acceptable for cheap, best-effort work, which is why this is information, not
an error; the standard still says everything goes through the worker.
"""
    instead = "Enqueue each item as a job on a queue that a worker serves (deduplicate with a job id)."
    fix_safety = "No fix is offered."
    bad = Example(
        {
            "app.py": """\
import queue
import threading

from flask import Flask, request

app = Flask(__name__)
# expect: WA103
DOWNLOADS = queue.Queue()


def download_worker():
    while True:
        item = DOWNLOADS.get()
        DOWNLOADS.task_done()


threading.Thread(target=download_worker, daemon=True).start()


@app.route("/recordings/callback", methods=["POST"])
def recording_callback():
    DOWNLOADS.put({"call_sid": request.form["CallSid"]})
    return "", 204
"""
        }
    )
    good = tracked(
        {
            "app.py": """\
from flask import Flask, jsonify, request

from jobs import start_job

app = Flask(__name__)


@app.route("/recordings/callback", methods=["POST"])
def recording_callback():
    job = start_job("recordings", "tasks.download_recording", request.form["CallSid"])
    return jsonify({"job_id": job.id}), 202
"""
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        feeders: dict[tuple[str, str], list] = {}
        for handler in analysis.handlers:
            for hit in analysis.reached(handler):
                if hit.effect.kind == "queue-put" and hit.effect.variable is not None:
                    feeders.setdefault(hit.effect.variable, []).append((handler, hit))
        for (path, name), uses in sorted(feeders.items()):
            facts = analysis.index.module(path)
            binding = facts.bindings.get(name) if facts is not None else None
            handlers = sorted({handler.qualname for handler, _ in uses})
            related = [
                Related(
                    analysis.display(hit.effect.path), hit.effect.call.span.line, f"fed by handler `{handler.qualname}`"
                )
                for handler, hit in uses
            ]
            related.extend(self._consumers(analysis, path, name))
            message = (
                f"process-local queue `{name}` is fed by request handlers "
                f"({', '.join(f'`{h}`' for h in handlers)}) and lost on restart; enqueue jobs on a worker queue"
            )
            if path in analysis.reported and binding is not None and binding.span is not None:
                yield self.finding(analysis, path, binding.span, message, related, scope=name)
            else:
                handler, hit = uses[0]
                yield self.finding(analysis, handler.path, hit.anchor, message, related, scope=handler.qualname)

    @staticmethod
    def _consumers(analysis, path: str, name: str) -> list[Related]:
        """Functions of the queue's module that take from it and run as a thread."""
        facts = analysis.index.module(path)
        work_queues = analysis.knowledge.work_queues
        if facts is None or work_queues is None:
            return []
        takers = set()
        for function in facts.functions.values():
            for call in function.calls:
                if call.target and call.target[0] == "@":
                    receiver, _, method = call.target[1].rpartition(".")
                    if receiver == name and method in work_queues.get_methods:
                        takers.add(function.qualname)
        related = []
        for function in facts.functions.values():
            # `class Worker(threading.Thread)` whose `run` takes from `self.queue`
            if function.qualname in takers and function.class_name is not None:
                if function.name == analysis.reach.thread_class(path, function.class_name):
                    related.append(
                        Related(
                            analysis.display(path), function.span.line, f"drained by the thread `{function.qualname}`"
                        )
                    )
            for call in function.calls:
                for arg in call.args:
                    if arg.keyword == "target" and arg.ref and arg.ref[0] == "@" and arg.ref[1] in takers:
                        related.append(
                            Related(
                                analysis.display(path), call.span.line, f"drained by a thread running `{arg.ref[1]}`"
                            )
                        )
        return related
