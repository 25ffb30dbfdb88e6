from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import MODELS
from worker_audit.finding import Finding, Severity
from worker_audit.rule import Example, Rule


class UntrackedEnqueue(Rule):
    code = "WA301"
    name = "untracked-enqueue"
    severity = Severity.WARNING
    summary = "A request handler enqueues a job without creating its tracking record first."
    what = """
Reports a request handler that enqueues work (directly or through helpers)
without first creating the tracking record: an instance of the configured job
model (`job-model`, `BackgroundJob` by default) constructed before the enqueue
call.
"""
    why = """
Point 1 of the standard: every long operation has a record in the database.
Without it the user gets no progress, support cannot tell a stuck job from a
finished one, a cancel button has nothing to flip, and a job lost by the
queue leaves no trace at all.
"""
    instead = "Create the job record (status `queued`, `total`), commit, enqueue with its id, answer 202 with it."
    fix_safety = "No automatic fix yet."
    bad = Example(
        {
            "app.py": """\
from flask import Flask, request
from redis import Redis
from rq import Queue

app = Flask(__name__)
exports = Queue("exports", connection=Redis())


def export_contacts(list_id):
    return list_id


@app.route("/lists/<int:list_id>/export", methods=["POST"])
def export_list(list_id):
# expect: WA301
    job = exports.enqueue(export_contacts, list_id, job_timeout="30m")
    return {"job_id": job.id}, 202
"""
        }
    )
    good = Example(
        {
            "app.py": """\
from flask import Flask, request
from redis import Redis
from rq import Queue

from models import BackgroundJob, db

app = Flask(__name__)
exports = Queue("exports", connection=Redis())


def export_contacts(job_id, list_id):
    return list_id


@app.route("/lists/<int:list_id>/export", methods=["POST"])
def export_list(list_id):
    job = BackgroundJob(job_type="export_contacts", status="queued")
    db.session.add(job)
    db.session.commit()
    exports.enqueue(export_contacts, job.id, list_id, job_timeout="30m")
    return {"job_id": job.id}, 202
""",
            "models.py": MODELS,
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        job_model = analysis.settings.job.job_model
        for handler in analysis.handlers:
            reached = analysis.reached(handler)
            records = [r.anchor for r in reached if r.effect.kind == "job-record"]
            for hit in (r for r in reached if r.effect.kind == "enqueue"):
                if any(record.line <= hit.anchor.line for record in records):
                    continue
                job = f"`{hit.effect.target[1]}`" if hit.effect.target else "a job"
                message = (
                    f"`{handler.qualname}` enqueues {job} without creating a {job_model} record first: "
                    f"nobody can follow, cancel or find it"
                )
                yield self.finding(
                    analysis,
                    handler.path,
                    hit.anchor,
                    message,
                    analysis.chain_related(hit, "enqueues"),
                    scope=handler.qualname,
                )
                break
