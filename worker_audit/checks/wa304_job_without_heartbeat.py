from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import NOT_REVIEWED, STANDARD, without
from worker_audit.finding import Finding, Severity
from worker_audit.rule import Rule


class JobWithoutHeartbeat(Rule):
    code = "WA304"
    name = "job-without-heartbeat"
    severity = Severity.WARNING
    summary = "An enqueued job that loops over work never updates its heartbeat inside the loop."
    what = (
        """
Reports an enqueued function that loops over work when nothing inside the
loop (in the job or in a helper it calls there) writes the configured
heartbeat field (`heartbeat-field`, `heartbeat_at` by default): an attribute
assignment (`job.heartbeat_at = ...`), a keyword (`update(heartbeat_at=...)`)
or a dict key (`.update({"heartbeat_at": ...})`).
"""
        + NOT_REVIEWED
    )
    why = """
Point 4 of the standard: a heartbeat on every batch. It is the only way to
tell a job that is working from one whose worker died: RQ's own job status
stays `started` forever when the worker process is killed, and a watchdog can
only requeue or fail what it can see is stale.
"""
    instead = "Set the heartbeat field and commit it after every batch."
    fix_safety = "No fix of its own: the WA303 fix (`--unsafe-fixes`), which batches the loop, adds it."
    bad = without("WA304", ("        job.heartbeat_at = datetime.utcnow()\n", ""))
    good = STANDARD

    def check(self, analysis) -> Iterator[Finding]:
        field = analysis.settings.job.heartbeat_field
        for job in analysis.looping_jobs():
            if job.heartbeat:
                continue
            message = f"job `{job.qualname}` loops over work without updating `{field}` in the loop"
            yield self.finding(analysis, job.path, job.span, message, analysis.enqueued_at(job), scope=job.qualname)
