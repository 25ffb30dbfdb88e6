from __future__ import annotations

from collections.abc import Iterator

from worker_audit.checks.job_examples import STANDARD, without
from worker_audit.finding import Finding, Severity
from worker_audit.rule import Rule


class JobWithoutChunks(Rule):
    code = "WA303"
    name = "job-without-chunks"
    severity = Severity.WARNING
    summary = "An enqueued job loops over its work item by item instead of in batches of the standard size."
    what = """
Reports an enqueued function (or an `@job`) that loops over work (database
writes, slow calls or helper calls once per item, directly or in helpers)
when it does not process the work in batches whose size lies in the
configured range (`batch-size-min`..`batch-size-max`, 50-100 by default).
A batch is `range(0, n, SIZE)`, `items[i:i + SIZE]`, `.limit(SIZE)`,
`.yield_per(SIZE)`, `chunked(items, SIZE)`, `batched(items, SIZE)` or
`paginate(per_page=SIZE)`, with SIZE a literal or a constant. A size worker-audit
cannot read (a parameter) is accepted. A job that does one small thing,
without a loop, is not asked to chunk.
"""
    why = """
Point 3 of the standard. Batches are the unit of progress, heartbeat, cancel
and commit: one transaction per item is slow and floods the database, one
transaction for everything holds locks for minutes and loses all the work on
a failure. A fixed batch size keeps each step short and each restart cheap.
"""
    instead = "Process the items in batches of 50-100, committing and reporting progress after each batch."
    fix_safety = "No automatic fix yet."
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
            if job.has_batches and (not job.batch_sizes or any(low <= size <= high for size, _ in job.batch_sizes)):
                continue
            if job.batch_sizes:
                sizes = ", ".join(str(size) for size, _ in job.batch_sizes)
                problem = f"works in batches of {sizes}, outside the standard {low}-{high}"
            else:
                problem = f"loops over its work item by item, not in batches of {low}-{high}"
            message = f"job `{job.qualname}` {problem}"
            yield self.finding(analysis, job.path, job.span, message, analysis.enqueued_at(job), scope=job.qualname)
