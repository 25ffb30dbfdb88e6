from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from worker_audit.checks.job_examples import with_handler
from worker_audit.finding import Finding, Related, Severity, Span
from worker_audit.rule import Rule


class EnqueueWithout202(Rule):
    code = "WA302"
    name = "enqueue-without-202"
    severity = Severity.WARNING
    summary = "A handler that enqueues work does not answer 202 with the job id."
    what = """
Reports a request handler that enqueues long work (a job that loops over
work, as WA301 defines it) when none of the responses it returns after the
enqueue is a `202 Accepted` carrying the job id.
The status is read from `return body, 202` (django-ninja's `return 202, body`), `make_response(body, 202)`,
`Response(..., status=202)` (Starlette's `status_code=`), `JSONResponse`,
`ORJSONResponse`, Django's `JsonResponse(body, status=202)`, also from a
response bound to a local first (`resp = make_response(...)`, `return
resp`); a status may be a name (`status.HTTP_202_ACCEPTED`,
`HTTPStatus.ACCEPTED`); `response.status_code = 202` (also FastAPI's
injected `response: Response`) and a FastAPI route's `status_code=202` set
the status of the body returned.
The job id is carried by a key or keyword (`job_id`, `task_id`, `job`), by
the job or its record returned whole (`return job`, as a FastAPI
`response_model` serialises it) or given whole to what builds the body
(`JobSerializer(job).data`), or by its id (`{"id": job.id}`,
`f"/jobs/{job.id}"`, `job.to_dict()`), also in a header set on the response
(`response["Location"] = ...`); `rules/jobs.yaml` names the variables and
attributes. An HTML view that redirects to where the job can be followed
(`redirect(...)`, `HttpResponseRedirect`, `RedirectResponse`) is accepted. A
handler that returns what a project function answers (`return
self.dispatch_async_task(request, task)`) is judged by that function's
responses. A response in the other arm of an `if` around the enqueue does not
follow it, nor one in an `except` of a `try:` whose body enqueues (or in the
body of one whose handler does): that answers the failure. The finding sits
on the first response after the enqueue (or on the enqueue when the handler
returns nothing there). A GraphQL resolver is
not asked for a 202: a GraphQL server answers 200 whatever the resolver
returns, so its payload carries the job id instead.
"""
    why = """
Point 6 of the standard: the client must learn at once that the work was
accepted, not done, and get the id to poll or cancel it. A `200` tells the
client the work is finished when it has not started; without the id the
client cannot follow it.
"""
    instead = "Return `202` with the id of the tracking record."
    fix_safety = "No automatic fix yet."
    bad = with_handler(
        """\
    job = BackgroundJob(job_type="delete_leads", status="queued", total=len(ids))
    db.session.add(job)
    db.session.commit()
    maintenance.enqueue(delete_leads_job, job.id, ids, job_timeout="1h")
# expect: WA302
    return jsonify({"status": "ok"})
"""
    )
    good = with_handler(
        """\
    if not ids:
        return jsonify({"error": "no ids"}), 400
    job = BackgroundJob(job_type="delete_leads", status="queued", total=len(ids))
    db.session.add(job)
    db.session.commit()
    maintenance.enqueue(delete_leads_job, job.id, ids, job_timeout="1h")
    return jsonify({"job_id": job.id}), 202
"""
    )

    def check(self, analysis) -> Iterator[Finding]:
        for handler in analysis.handlers:
            if not handler.sets_http_status:
                continue
            enqueues = list(filter(analysis.enqueues_long_work, analysis.reached(handler)))
            function = analysis.index.function(handler.path, handler.qualname)
            if not enqueues or function is None:
                continue
            after = min(r.anchor.line for r in enqueues)
            declared = _route_status(analysis, function)
            enqueued_in = [_arms_at(function, r.anchor) for r in enqueues]
            responses = [
                replace(m, number=m.number or declared)
                for m in function.marks
                if m.kind == "return" and any(_may_follow(m, line, arms) for line, arms in enqueued_in)
            ]
            if any(_follows_the_job(m) for m in responses):
                continue  # 202 with the id, or a redirect to where the job can be followed
            if _answered_by_helper(analysis, handler.path, function, after):
                continue  # `return self.dispatch_async_task(...)`, whose own response does
            accepted = [m for m in responses if m.number == 202]
            if accepted:
                where = accepted[0]
                problem = "answers 202 without the job id"
            elif responses:
                where = responses[0]
                if where.number:
                    problem = f"answers {where.number} instead of 202 Accepted with the job id"
                else:
                    problem = "does not answer 202 Accepted with the job id"
            else:
                where = None
                problem = "returns no 202 Accepted with the job id after enqueueing"
            span = Span(where.line, where.column, where.line, where.column) if where else enqueues[0].anchor
            message = f"`{handler.qualname}` enqueues work but {problem}: the client cannot follow the job"
            related = [Related(analysis.display(handler.path), enqueues[0].anchor.line, "enqueued here")]
            yield self.finding(analysis, handler.path, span, message, related, scope=handler.qualname)


def _arms_at(function, anchor: Span) -> tuple[int, tuple[tuple[int, int], ...]]:
    """The line of the handler's call that enqueues, and the arms of the ifs around it."""
    for call in function.calls:
        if call.span == anchor:
            return anchor.line, call.arms
    return anchor.line, ()


def _may_follow(response, line: int, arms: tuple[tuple[int, int], ...]) -> bool:
    """Whether a return may run after the enqueue at `line`: below it, and not in the other arm
    of an `if` around it (`if ok: enqueue(...)` / `else: return 400`), nor in a handler of a
    `try:` whose body enqueues (`except OutOfCredit: return 402`)."""
    return response.line >= line and not any((number, 1 - arm) in response.arms for number, arm in arms)


def _route_status(analysis, function) -> int | None:
    """The status the handler's plain returns get: `response.status_code = 202` in its body (a
    response it returns, or FastAPI's injected one), else its route decorator's `status_code=202`."""
    code = analysis.knowledge.job_code
    keywords = code.route_status_keywords if code is not None else frozenset()
    attributes = code.status_attributes if code is not None else frozenset()
    for mark in function.marks:
        if mark.kind == "attr-write" and mark.text in attributes and mark.number is not None:
            return mark.number
    for decorator in function.decorators:
        for arg in decorator.args:
            if arg.keyword in keywords and arg.number is not None:
                return arg.number
    return None


def _follows_the_job(response) -> bool:
    return (response.number == 202 and response.text == "job_id") or response.text == "redirect"


def _answered_by_helper(analysis, path: str, function, after: int) -> bool:
    """`return self.dispatch_async_task(request, task)`: the handler returns what a project
    function answers, and that function answers 202 with the id or redirects to the job."""
    for call in function.calls:
        if not call.handed_back or call.span.line < after:
            continue
        helper = analysis.index.resolve_function(path, call.target) if call.target is not None else None
        if helper is not None and any(m.kind == "return" and _follows_the_job(m) for m in helper[1].marks):
            return True
    return False
