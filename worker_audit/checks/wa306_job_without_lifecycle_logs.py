from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import NOT_REVIEWED, STANDARD, without
from worker_audit.finding import Edit, Finding, Fix, Severity
from worker_audit.rule import Rule


class JobWithoutLifecycleLogs(Rule):
    code = "WA306"
    name = "job-without-lifecycle-logs"
    severity = Severity.WARNING
    summary = "An enqueued job does not log its start, its progress in the loop, or its end."
    what = (
        """
Reports an enqueued function that loops over work when its logging calls (or
those of the helpers it calls, or of the wrapper of a project decorator around
it, such as a `@lifecycle` that logs start and end) do not include the
configured markers:
`log-start` (`JOB_START`) anywhere, `log-progress` (`JOB_PROGRESS`) inside
the loop, and `log-done` (`JOB_DONE`) anywhere. f-strings and `%` templates
count by their fixed text.
"""
        + NOT_REVIEWED
    )
    why = """
Point 7 of the standard. Fixed markers make every job's life greppable in the
log platform: when it started, how far it got before it died, whether it
ended. Free-form messages differ from job to job and from author to author,
and cannot be alerted on.
"""
    instead = "Log `JOB_START` before the loop, `JOB_PROGRESS` after each batch and `JOB_DONE` at the end."
    fix_safety = """
Safe: `--fix` adds the missing lines with the module's own logger
(`logger.info("JOB_START <job>")` after the docstring, `JOB_PROGRESS` at the
end of the job's loop, `JOB_DONE` at the end, before a final `return`). It is
offered when the module has a `logging.getLogger(...)` logger and every
missing marker has a place.
"""
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
            fix = _log_lines_fix(analysis, job, [key for key in ("start", "progress", "done") if key not in job.logged])
            yield self.finding(
                analysis, job.path, job.span, message, analysis.enqueued_at(job), scope=job.qualname, fix=fix
            )


def _module_logger(facts) -> str | None:
    """The name of the module's `logging.getLogger(...)` instance, if it has one."""
    for name, binding in sorted(facts.bindings.items()):
        if binding.kind == "instance" and binding.ref == ("", "logging.getLogger()"):
            return name
    return None


def _log_lines_fix(analysis, job, missing: list[str]) -> Fix | None:
    """`logger.info("JOB_START ...")` after the docstring, `JOB_PROGRESS` at the end of the
    job's loop, `JOB_DONE` at the end (before a final return), with the module's logger."""
    facts = analysis.index.module(job.path)
    function = facts.functions.get(job.qualname) if facts is not None else None
    logger = _module_logger(facts) if facts is not None else None
    if function is None or logger is None:
        return None
    standard = analysis.settings.job
    marks = {kind: [m for m in function.marks if m.kind == kind] for kind in ("body-first", "body-last", "loop-last")}
    edits = []

    def line(text: str, mark, after: bool) -> None:
        kind = "insert-line-after" if after else "insert-line"
        edits.append(Edit(job.path, mark.line, mark.column, mark.end_line, 1, f'{logger}.info("{text}")', kind))

    if "start" in missing and marks["body-first"]:
        line(f"{standard.log_start} {job.qualname}", marks["body-first"][0], after=False)
    if "progress" in missing and marks["loop-last"]:
        last = marks["loop-last"][0]
        line(f"{standard.log_progress} {job.qualname}", last, after=last.text != "jump")
    if "done" in missing and marks["body-last"]:
        last = marks["body-last"][0]
        line(f"{standard.log_done} {job.qualname}", last, after=last.text != "jump")
    if len(edits) != len(missing):
        return None  # only a fix that adds every missing marker
    return Fix(
        "safe", f"log {', '.join(getattr(standard, 'log_' + key) for key in missing)} with `{logger}`", tuple(edits)
    )
