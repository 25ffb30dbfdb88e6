from __future__ import annotations

import json
from collections.abc import Iterator

from worker_audit.checks.job_examples import NOT_REVIEWED, STANDARD, without
from worker_audit.finding import Edit, Finding, Fix, Severity
from worker_audit.rule import Rule


class JobWithoutChunks(Rule):
    code = "WA303"
    name = "job-without-chunks"
    severity = Severity.WARNING
    summary = "An enqueued job loops over its work item by item instead of in batches of the standard size."
    what = (
        """
Reports an enqueued function (or an `@job`) that loops over work (database
writes, slow calls, or calls of helpers that do them, once per round of a
loop in the job's own body; a loop inside a helper the job calls once, such
as a retry, is that helper's and does not count) when it does not process the work in batches whose size lies in the
configured range (`batch-size-min`..`batch-size-max`, 50-100 by default).
A batch is `range(0, n, SIZE)`, `items[i:i + SIZE]`, an ORM query's `[:SIZE]`, `.limit(SIZE)`,
`.yield_per(SIZE)`, SQLAlchemy 2.0's `execution_options(yield_per=SIZE)` and
`result.partitions(SIZE)`, `chunked(items, SIZE)`, `batched(items, SIZE)`,
`paginate(per_page=SIZE)`, Django's `Paginator(queryset, SIZE)` or
`queryset.iterator(chunk_size=SIZE)`, with SIZE
a literal or a constant. A size worker-audit cannot read (a parameter) is
accepted. A job that does one small thing,
without a loop, is not asked to chunk, nor is one whose only work is sleeping in `while`
loops (`while not all(r.ready() for r in results): time.sleep(1)`): it waits, with no items
to cut. A `for` loop that sleeps between rows goes over items, and is asked; so is a
`while` loop that takes items out (`while rows: row = rows.pop()`, `next(it)`, `rows[i]`,
a test of `len(...)`) or that sits in another loop.
"""
        + NOT_REVIEWED
    )
    why = """
Point 3 of the standard. Batches are the unit of progress, heartbeat, cancel
and commit: one transaction per item is slow and floods the database, one
transaction for everything holds locks for minutes and loses all the work on
a failure. A fixed batch size keeps each step short and each restart cheap.
"""
    instead = "Process the items in batches of 50-100, committing and reporting progress after each batch."
    fix_safety = """
Unsafe (`--unsafe-fixes`): when the job has exactly one `for` loop (without
`else` or a `break` of its own) and every enqueue of it creates the job
record first (as the WA102 and WA301 fixes write), the job gets the record's
id as its first parameter and every enqueue passes `<record>.id`. The loop
then works through its items in batches of `batch-size-min`: before each
batch it refreshes the record and returns on a cancel state, and after it, it
adds to `processed`, sets the heartbeat and commits. This clears WA304 and
WA305 too. The job and its enqueues change together or not at all. While an
enqueue creates no record, no fix is offered; in a run that also applies the
WA301 fix, which creates it, this fix follows in the next round. It is
unsafe because the job's signature changes, and a cancelled job returns
`None`.
"""
    bad = without(
        "WA303",
        ("for start in range(0, len(lead_ids), BATCH_SIZE):", "for lead_id in lead_ids:"),
        ("        batch = lead_ids[start : start + BATCH_SIZE]\n", ""),
        (
            "Lead.query.filter(Lead.id.in_(batch)).delete(synchronize_session=False)",
            "Lead.query.filter_by(id=lead_id).delete()",
        ),
        ("job.processed += len(batch)", "job.processed += 1"),
    )
    good = STANDARD

    def check(self, analysis) -> Iterator[Finding]:
        low, high = analysis.settings.job.batch_size_min, analysis.settings.job.batch_size_max
        for job in analysis.looping_jobs():
            if job.waits:
                continue  # `while not ready(): sleep(1)`: a wait, with no items to cut
            if job.has_batches and (not job.batch_sizes or any(low <= size <= high for size, _ in job.batch_sizes)):
                continue
            if job.batch_sizes:
                sizes = ", ".join(str(size) for size in sorted({size for size, _ in job.batch_sizes}))
                problem = f"works in batches of {sizes}, outside the standard {low}-{high}"
            else:
                problem = f"loops over its work item by item, not in batches of {low}-{high}"
            message = f"job `{job.qualname}` {problem}"
            fix = _batch_fix(analysis, job) if not job.batch_sizes else None
            related = analysis.enqueued_at(job)
            yield self.finding(analysis, job.path, job.span, message, related, scope=job.qualname, fix=fix)


def _batch_fix(analysis, job) -> Fix | None:
    """Offered when every enqueue of the job is a static call in a function that creates
    the job's record before it (what the WA102 and WA301 fixes write). The job and its
    enqueues change together, or not at all."""
    names = analysis.project_names
    if not {"job_model", "db"} <= set(names) or not job.producers:
        return None
    function = analysis.index.function(job.path, job.qualname)
    if function is None or "job_id" in function.params:
        return None  # it takes a job id already: its enqueues pass something else (WA301 says what)
    if not all(_records_before(analysis, producer) for producer in job.producers):
        return None  # the WA301 fix creates the record first; this fix is offered in the next round
    standard = analysis.settings.job
    spec = {
        "codemod": "track-job",
        "function": job.qualname,
        "job_model": list(names["job_model"]),
        "db": list(names["db"]),
        "batch_size": standard.batch_size_min,
        "heartbeat_field": standard.heartbeat_field,
        "cancel_states": list(standard.cancel_states),
    }
    span = job.span
    edits = [Edit(job.path, span.line, span.column, span.end_line, span.end_column, json.dumps(spec), "codemod")]
    for producer in job.producers:
        site = producer.site_span
        caller = {
            "codemod": "pass-record-id",
            "function": producer.function,
            "line": site.line,
            "job": job.qualname,
            "job_model": list(names["job_model"]),
        }
        edits.append(
            Edit(
                producer.site_path,
                site.line,
                site.column,
                site.end_line,
                site.end_column,
                json.dumps(caller),
                "codemod",
            )
        )
    if len({edit.path for edit in edits}) != len(edits):
        return None  # two enqueues in one file, or the job enqueued from its own module
    return Fix(
        "unsafe", f"pass the record to `{job.qualname}` and work in batches with heartbeat and cancel", tuple(edits)
    )


def _records_before(analysis, producer) -> bool:
    """Whether the function that enqueues the job creates the job's record before it."""
    reached = analysis.reach.from_function(producer.site_path, producer.function)
    return any(r.effect.kind == "job-record" and r.anchor.line <= producer.site_span.line for r in reached)
