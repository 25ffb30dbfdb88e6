from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import tracked
from worker_audit.finding import Finding, Related, Severity
from worker_audit.rule import Example, Rule

DOES_WORK = ("bulk-db", "row-write", "slow-call")


class ParallelWorker(Rule):
    code = "WA308"
    name = "parallel-worker"
    severity = Severity.WARNING
    summary = "A module outside the job system runs background work of its own, started by a handler's thread."
    what = """
Reports the function that a request handler's thread, process or greenlet
runs, when it lives in another module and does work (database writes or
slow calls, itself or through its helpers): that module is a second, private
worker next to the real one. A long-running relay or watcher that does no
such work (a pubsub listener) is not reported. The finding sits on the
function; `related` points at the handler that starts it. The thread itself
is WA102.
"""
    why = """
The seed audit calls this "duplication": `services/broadcast_worker.py` did
the same job as the RQ worker, without its queue, retries, tracking, limits
or monitoring, and every fix to one had to be made twice. Work should have
one home, the job system.
"""
    instead = "Turn the function into a job (tracking record, batches, heartbeat, cancel, logs) and enqueue it."
    fix_safety = """
No fix of its own. The WA102 fix (`--unsafe-fixes`) turns the handler's
thread into an enqueue of this function, which clears this finding: the
function becomes a job, and its module stays in use, so nothing is deleted.
"""
    bad = Example(
        {
            "app.py": """\
import threading

from flask import Flask

from broadcasts import send_broadcast

app = Flask(__name__)


@app.route("/broadcasts/<int:broadcast_id>/send", methods=["POST"])
def create_broadcast(broadcast_id):
# expect: WA102
    threading.Thread(target=send_broadcast, args=(broadcast_id,), daemon=True).start()
    return {"status": "sending"}
""",
            "broadcasts.py": """\
import requests


# expect: WA308
def send_broadcast(broadcast_id):
    for phone in ("+100", "+200"):
        requests.post("https://api.example.com/send", json={"to": phone}, timeout=10)
""",
        }
    )
    good = tracked(
        {
            "app.py": """\
from flask import Flask

from broadcasts import send_broadcast
from jobs import start_job

app = Flask(__name__)


@app.route("/broadcasts/<int:broadcast_id>/send", methods=["POST"])
def create_broadcast(broadcast_id):
    job = start_job("broadcasts", send_broadcast, broadcast_id, timeout="2h")
    return {"job_id": job.id}, 202
""",
            "broadcasts.py": """\
import requests


def send_broadcast(job_id, broadcast_id):
    requests.post("https://api.example.com/send", json={"to": broadcast_id}, timeout=10)
""",
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        started: dict[tuple[str, str], list] = {}
        for handler in analysis.handlers:
            for hit in analysis.reached(handler):
                target = hit.effect.target
                if hit.effect.kind == "thread" and target is not None and target[0] != handler.path:
                    started.setdefault(target, []).append((handler, hit))
        for (path, qualname), starters in sorted(started.items()):
            function = analysis.index.function(path, qualname)
            if function is None or path not in analysis.reported:
                continue
            if not any(r.effect.kind in DOES_WORK for r in analysis.reach.from_function(path, qualname)):
                continue  # a relay or a watcher, not work that a job could do
            handlers = ", ".join(sorted({f"`{h.qualname}`" for h, _ in starters}))
            message = (
                f"`{qualname}` runs background work outside the job system, in a thread started by {handlers}; "
                f"make it a job and enqueue it"
            )
            related = [
                Related(analysis.display(handler.path), hit.anchor.line, f"started by `{handler.qualname}`")
                for handler, hit in starters
            ]
            yield self.finding(analysis, path, function.span, message, related, scope=qualname)
