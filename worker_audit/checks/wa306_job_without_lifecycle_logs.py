from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import STANDARD, without
from worker_audit.finding import Finding, Severity
from worker_audit.rule import Rule


class JobWithoutLifecycleLogs(Rule):
    code = "WA306"
    name = "job-without-lifecycle-logs"
    severity = Severity.WARNING
    summary = "An enqueued job does not log its start, its progress in the loop, or its end."
    what = """
Reports an enqueued function that loops over work when its logging calls (or
those of the helpers it calls) do not include the configured markers:
`log-start` (`JOB_START`) anywhere, `log-progress` (`JOB_PROGRESS`) inside
the loop, and `log-done` (`JOB_DONE`) anywhere. f-strings and `%` templates
count by their fixed text.
"""
    why = """
Point 7 of the standard. Fixed markers make every job's life greppable in the
log platform: when it started, how far it got before it died, whether it
ended. Free-form messages differ from job to job and from author to author,
and cannot be alerted on.
"""
    instead = "Log `JOB_START` before the loop, `JOB_PROGRESS` after each batch and `JOB_DONE` at the end."
    fix_safety = "No automatic fix yet (the planned one adds the missing log lines and is safe)."
    bad = without(
        "WA306",
        ('        logger.info("JOB_PROGRESS job=%s processed=%s", job_id, job.processed)\n', ""),
    )
    good = STANDARD

    def check(self, analysis) -> Iterator[Finding]:
        standard = analysis.settings.job
        markers = {"start": standard.log_start, "progress": standard.log_progress, "done": standard.log_done}
        for job in analysis.looping_jobs():
            missing = [markers[key] for key in ("start", "progress", "done") if key not in job.logged]
            if not missing:
                continue
            where = " (in the loop)" if missing == [standard.log_progress] else ""
            message = f"job `{job.qualname}` does not log {', '.join(missing)}{where}"
            yield self.finding(analysis, job.path, job.span, message, analysis.enqueued_at(job), scope=job.qualname)
