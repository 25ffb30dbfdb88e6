from __future__ import annotations

import json
from collections.abc import Iterator

from worker_audit.checks.job_examples import with_handler
from worker_audit.finding import Edit, Finding, Fix, Severity
from worker_audit.rule import Rule


class UntrackedEnqueue(Rule):
    code = "WA301"
    name = "untracked-enqueue"
    severity = Severity.WARNING
    summary = "A request handler enqueues a job without creating its tracking record first."
    what = """
Reports a request handler that enqueues long work (directly or through
helpers) without first creating the tracking record: an instance of the
configured job model (`job-model`, `BackgroundJob` by default) constructed
before the enqueue call (`BackgroundJob(...)`, Django's
`BackgroundJob.objects.create(...)` or `get_or_create(...)`, also in a helper or a classmethod of
the model, or `save()` on a DRF serializer or Django form whose
`Meta.model` is the job model, also the serializer DRF gives a view's
`perform_create(self, serializer)` hook, of the view's `serializer_class`).
Long work is a job that loops over work (database writes, slow calls, or
helpers doing them, in its own loop); a fire-and-forget
notification that does one small thing, or a job the audit cannot resolve, is
not asked for a record. Nor is a job whose loop runs over what the enqueue
gives it when the call writes out a few items (`add_short_links.delay([doc.pk])`,
`queue.enqueue(reindex, [doc.pk])`: the same as a helper's loop given
`[note]`, WA101; Celery's `apply_async(args=[[doc.pk]])` and
`apply_async(kwargs={"doc_ids": [doc.pk]})` written out, too); a positional
`apply_async(([doc.pk],))` and `*args` are not read, and the job counts as
long work. WA303-WA306 skip a job when every enqueue of it
gives such a few items.
"""
    why = """
Point 1 of the standard: every long operation has a record in the database.
Without it the user gets no progress, support cannot tell a stuck job from a
finished one, a cancel button has nothing to flip, and a job lost by the
queue leaves no trace at all.
"""
    instead = "Create the job record (status `queued`, `total`), commit, enqueue with its id, answer 202 with it."
    fix_safety = """
Unsafe (`--unsafe-fixes`): for an enqueue in the handler itself, a record of
the job model (status `queued`) is created, added and committed with the
project's `db` just before the enqueue, and the handler's `jsonify({...})`
responses after it answer 202 with `"job_id"`. The enqueued function does not
receive the record's id from this fix; when the job loops over work, the
WA303 fix then passes the record and makes the loop batched, with heartbeat
and cancel. Offered when the project has
the job model and a Flask-SQLAlchemy `db`.
"""
    bad = with_handler(
        """\
# expect: WA301
    rq_job = maintenance.enqueue(delete_leads_job, None, ids, job_timeout="1h")
    return jsonify({"job_id": rq_job.id}), 202
"""
    )
    good = with_handler(
        """\
    job = BackgroundJob(job_type="delete_leads", status="queued", total=len(ids))
    db.session.add(job)
    db.session.commit()
    maintenance.enqueue(delete_leads_job, job.id, ids, job_timeout="1h")
    return jsonify({"job_id": job.id}), 202
"""
    )

    def check(self, analysis) -> Iterator[Finding]:
        job_model = analysis.settings.job.job_model
        for handler in analysis.handlers:
            reached = analysis.reached(handler)
            records = [r.anchor for r in reached if r.effect.kind == "job-record"]
            for hit in filter(analysis.enqueues_long_work, reached):
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
                    fix=_record_fix(analysis, handler, hit),
                )
                break


def _record_fix(analysis, handler, hit) -> Fix | None:
    """Offered for an enqueue in the handler itself, when the project has the job model and `db`."""
    names = analysis.project_names
    if hit.chain or hit.effect.target is None or not {"job_model", "db"} <= set(names):
        return None
    span = hit.effect.call.span
    spec = {
        "codemod": "track-enqueue",
        "style": "track",
        "function": handler.qualname,
        "line": span.line,
        "job_type": hit.effect.target[1].rsplit(".", 1)[-1],
        "job_model": list(names["job_model"]),
        "db": list(names["db"]),
    }
    edit = Edit(handler.path, span.line, span.column, span.end_line, span.end_column, json.dumps(spec), "codemod")
    model = names["job_model"][1]
    return Fix("unsafe", f"create a {model} record before the enqueue; answer 202 with its id", (edit,))
