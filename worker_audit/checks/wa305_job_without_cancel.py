from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import NOT_REVIEWED, STANDARD, without
from worker_audit.finding import Finding, Severity
from worker_audit.rule import Rule


class JobWithoutCancel(Rule):
    code = "WA305"
    name = "job-without-cancel"
    severity = Severity.WARNING
    summary = "An enqueued job that loops over work never checks for cancel or pause."
    what = (
        """
Reports an enqueued function that loops over work when nothing inside the
loop checks whether the job was cancelled or paused: a comparison with one
of the configured `cancel-states` (`cancelled`, `paused` by default), or a
test of a name with a word that starts with `cancel`, `abort`, `paus` or
`stop`, such as `cancel_requested`, `should_stop` or `isPaused` (not
`fstop`, whose one word only contains "stop").
"""
        + NOT_REVIEWED
    )
    why = """
Point 5 of the standard: support cancel / pause / resume. A bulk delete
started by mistake, or a broadcast with a typo, must be stoppable between two
batches; otherwise the only way to stop it is to kill the worker, which also
kills every other job it runs.
"""
    instead = "Reload the job record before each batch and stop (or pause) when its status says so."
    fix_safety = "No fix of its own: the WA303 fix (`--unsafe-fixes`), which batches the loop, adds it."
    bad = without(
        "WA305",
        (
            '        if job.status in ("cancelled", "paused"):\n'
            '            logger.info("JOB_STOPPED job=%s", job_id)\n'
            "            return\n",
            "",
        ),
    )
    good = STANDARD

    def check(self, analysis) -> Iterator[Finding]:
        states = ", ".join(analysis.settings.job.cancel_states)
        for job in analysis.looping_jobs():
            if job.cancel:
                continue
            message = f"job `{job.qualname}` loops over work without checking for cancel ({states}) between batches"
            yield self.finding(analysis, job.path, job.span, message, analysis.enqueued_at(job), scope=job.qualname)
