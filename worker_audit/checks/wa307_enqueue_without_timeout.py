from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import MODELS, STANDARD, STANDARD_JOB
from worker_audit.finding import Edit, Finding, Fix, Related, Severity, Span
from worker_audit.rule import Example, Rule


class EnqueueWithoutTimeout(Rule):
    code = "WA307"
    name = "enqueue-without-timeout"
    severity = Severity.INFO
    summary = "Long work is enqueued without a job timeout."
    what = """
Reports an RQ enqueue call (or an `@job` decorator) without `job_timeout=`
(`timeout=` for `@job`) when the enqueued function loops over work, unless
the queue was built with a `default_timeout=` of its own
(`Queue("slow", default_timeout=3600)`, django-rq's `get_queue(...)`). A
Flask-RQ2 `@rq.job` without `timeout=` is not reported when every
`.queue(...)` of the job gives its own `timeout=`. Celery
and Dramatiq tasks are not reported: no default timeout of RQ's kind cuts them
off (Celery sets no time limit unless configured; a Dramatiq actor's
`time_limit` is set on the actor, not on the call).
An enqueue in a helper that is given the job (`def launch(func): return
queue.enqueue(func)`) is reported once, on the helper's enqueue call, when
a job that loops over work goes through it and no caller gives the helper
`job_timeout=` for it to pass on.
"""
    why = """
RQ kills a job that runs longer than its timeout, 180 seconds by default: a
bulk job enqueued without a timeout is cut off half-way on a large input, and
the worker logs a timeout nobody connects with the missing argument.
"""
    instead = 'Pass a `job_timeout` sized for the largest input (`job_timeout="1h"`).'
    fix_safety = """
Safe: `--fix` adds `job_timeout="1h"` (the configured `default-job-timeout`)
to the enqueue call. It changes no behaviour but the time RQ lets the job run.
No fix is offered on a helper's enqueue: the timeout would apply to every job
the helper enqueues.
"""
    bad = Example(
        {
            "tasks.py": STANDARD_JOB.replace(
                '    maintenance.enqueue(delete_leads_job, job_id, lead_ids, job_timeout="1h")',
                "# expect: WA307\n    maintenance.enqueue(delete_leads_job, job_id, lead_ids)",
            ),
            "models.py": MODELS,
        }
    )
    good = STANDARD

    def check(self, analysis) -> Iterator[Finding]:
        looping = {(job.path, job.qualname) for job in analysis.jobs if job.loops}
        helpers: dict[tuple[str, Span], list] = {}
        # `add.queue(x, timeout=600)` (Flask-RQ2): a delaying call may give its own timeout; a
        # decorator whose every delaying call does so leaves no job on the default
        delays = [p for p in analysis.topology.producers if p.delayed]
        timed = {p.job for p in delays if p.has_timeout} - {p.job for p in delays if p.has_timeout is False}
        for producer in analysis.topology.producers:
            if producer.has_timeout is not False or producer.job not in looping:
                continue  # set, or a Celery / Dramatiq task: no RQ default timeout cuts it off
            if producer.call is None and producer.job in timed:
                continue
            if producer.delayed:
                continue  # `.delay()` of an RQ `@job`: the timeout goes in the decorator, reported itself
            if producer.via is not None:
                helpers.setdefault(producer.via[:2], []).append(producer)
                continue
            if producer.site_path not in analysis.reported:
                continue
            message = f"`{producer.job[1]}` loops over work but is enqueued without a job_timeout (RQ default: 180 s)"
            related = [
                Related(
                    analysis.display(producer.job[0]),
                    analysis.index.function(*producer.job).span.line,
                    f"job `{producer.job[1]}`",
                )
            ]
            fix = None
            if producer.call is not None:
                timeout = analysis.settings.job.default_job_timeout
                span = producer.call.span
                argument = f'job_timeout="{timeout}"'
                edit = Edit(
                    producer.site_path,
                    span.line,
                    span.column,
                    span.end_line,
                    span.end_column,
                    argument,
                    "append-argument",
                )
                fix = Fix("safe", f"add {argument} to the enqueue call", (edit,))
            yield self.finding(
                analysis, producer.site_path, producer.site_span, message, related, scope=producer.function, fix=fix
            )
        for (path, span), producers in sorted(helpers.items()):
            if path not in analysis.reported:
                continue
            helper = producers[0].via[2]
            jobs = sorted({p.job[1] for p in producers if p.job is not None})
            named = ", ".join(f"`{job}`" for job in jobs[:3]) + (f" and {len(jobs) - 3} more" if len(jobs) > 3 else "")
            message = (
                f"`{helper}` enqueues jobs that loop over work ({named}) without a job_timeout (RQ default: 180 s)"
            )
            related = [
                Related(analysis.display(p.site_path), p.site_span.line, f"`{p.function}` gives it `{p.job[1]}`")
                for p in producers
                if p.job is not None
            ]
            yield self.finding(analysis, path, span, message, related, scope=helper)
