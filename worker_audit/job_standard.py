"""Enqueued functions held to the job standard: batches, heartbeat, cancel, logs.

A job is a function some producer enqueues (or decorates with `@job`). Its
review looks at the job and every project function it reaches, each with its
loop context: a heartbeat written in a helper that the job calls once per
batch counts as written in the loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from worker_audit.facts import MODULE_SCOPE, FunctionFact, Mark
from worker_audit.finding import Span
from worker_audit.knowledge import NamePatterns
from worker_audit.project import ProjectIndex
from worker_audit.queue_topology import Producer, Topology
from worker_audit.reach import NOTHING_KNOWN, Known, Reach
from worker_audit.settings import JobStandard

WORK = ("bulk-db", "row-write", "slow-call", "sleep")


@dataclass
class JobReview:
    path: str
    qualname: str
    span: Span
    producers: list[Producer] = field(default_factory=list)
    loops: bool = False  # its own loop does work: writes, slow calls, or helpers that do them
    waits: bool = False  # and that work is only sleeping in `while` loops: `while not done(): sleep(1)`
    batch_sizes: list[tuple[int, int]] = field(default_factory=list)  # (size, line) of known sizes
    has_batches: bool = False  # any batch construct, sizes known or not
    heartbeat: bool = False
    cancel: bool = False
    logged: set[str] = field(default_factory=set)  # "start" | "progress" | "done"
    # no request hands it off: every enqueue of it is in a function a periodic scheduler runs,
    # or in a job (itself or another) or a helper beside one that no handler reaches, or there is
    # none in the code (a task whose decorator names its queue)
    outside_requests: bool = False


def _marks_in(function: FunctionFact, looped: bool) -> list[tuple[Mark, bool]]:
    return [(mark, mark.in_loop or looped) for mark in function.marks]


def review_job(
    index: ProjectIndex, reach: Reach, standard: JobStandard, path: str, qualname: str, given: Known = NOTHING_KNOWN
) -> JobReview | None:
    """`given`: what every enqueue of the job gives some of its parameters (`given_to_job`):
    a loop over `doc_ids` given `[doc.pk]` runs a few fixed rounds, not over work."""
    function = index.function(path, qualname)
    if function is None:
        return None
    review = JobReview(path, qualname, function.span)
    # the job's own loop: work in a loop of its body, or in a helper called from that loop
    # (a loop inside a helper, such as a retry, does not make the job a loop over work)
    worked = _loop_work(reach, path, qualname, given)
    review.loops = bool(worked)
    # only sleeps, each in a `while` loop of its own body: a wait (`while not all(r.ready() for
    # r in results): time.sleep(1)`); a `for` loop that sleeps between rows goes over items
    review.waits = review.loops and all(kind == "sleep" and loop in function.while_loops for kind, loop in worked)
    for function_path, name, chain in reach.functions_from(path, qualname):
        reached = index.function(function_path, name)
        if reached is None:
            continue
        looped = any(hop.in_loop for hop in chain)
        # a helper called once, outside the job's loops, batches the job's work only if its
        # own loop does work, or if it yields what the job's loop runs over (`chunks(ids, 100)`):
        # a paginated read after an item-by-item loop is no batch of it
        batches = not looped and (not chain or reached.generator or _works_in_a_loop(reach, function_path, name))
        for mark, in_loop in _marks_in(reached, looped):
            if mark.kind == "batch" and not batches:
                continue  # `[:2]` in a helper called once per item is no batch of the job's loop
            _read_mark(index, function_path, review, mark, in_loop, standard)
        for call in reached.calls:
            in_loop = call.in_loop or looped
            if in_loop and any(
                arg.keyword == standard.heartbeat_field or standard.heartbeat_field in (arg.items or ())
                for arg in call.args
            ):
                review.heartbeat = True
    return review


def _works_in_a_loop(reach: Reach, path: str, qualname: str, given: Known = NOTHING_KNOWN) -> bool:
    """Whether a loop of the function does work: writes, slow calls or sleeps, in its body or in
    a helper called from it (a loop inside a helper, such as a retry, is that helper's)."""
    return bool(_loop_work(reach, path, qualname, given))


def _loop_work(reach: Reach, path: str, qualname: str, given: Known = NOTHING_KNOWN) -> set[tuple[str, int]]:
    """The work a loop of the function does, as (effect kind, loop id in its body): in the body
    or in a helper called from the loop (a loop inside a helper, such as a retry, is that
    helper's)."""
    return {
        (r.effect.kind, r.chain[0].loop if r.chain else r.effect.call.loop)
        for r in reach.from_function(path, qualname, known=given)
        if r.effect.kind in WORK and (r.chain[0].in_loop if r.chain else r.effect.call.in_loop)
    }


def _read_mark(index: ProjectIndex, path: str, review: JobReview, mark: Mark, in_loop: bool, standard: JobStandard):
    if mark.kind == "batch":
        review.has_batches = True
        size = mark.number
        if size is None and mark.ref is not None:
            variable = index.resolve_variable(path, mark.ref)
            if variable is not None and variable.binding is not None and variable.binding.kind == "number":
                size = int(variable.binding.value or 0)
        if size is not None:
            review.batch_sizes.append((size, mark.line))
    elif mark.kind == "attr-write" and mark.text == standard.heartbeat_field and in_loop:
        review.heartbeat = True
    elif mark.kind == "compare" and mark.text in standard.cancel_states and in_loop:
        review.cancel = True
    elif mark.kind == "condition" and in_loop:
        review.cancel = True
    elif mark.kind == "log":
        if standard.log_start in mark.text:
            review.logged.add("start")
        if standard.log_progress in mark.text and in_loop:
            review.logged.add("progress")
        if standard.log_done in mark.text:
            review.logged.add("done")


def review_jobs(
    index: ProjectIndex,
    reach: Reach,
    topology: Topology,
    standard: JobStandard,
    run_by_requests: Callable[[], set[tuple[str, str]]] = set,
) -> list[JobReview]:
    """`run_by_requests`: the functions the handlers of the run reach, (path, qualname)."""
    reviews: dict[tuple[str, str], JobReview] = {}
    producers: dict[tuple[str, str], list[Producer]] = {}
    for producer in topology.producers:
        if producer.job is not None:
            producers.setdefault(producer.job, []).append(producer)
    for job, made in producers.items():
        review = review_job(index, reach, standard, *job, given_by_every_enqueue(reach, job, made))
        if review is not None:
            review.producers = made
            reviews[job] = review
    schedulers = reach.knowledge.scheduler_decorators
    commands = reach.knowledge.command_modules
    # the functions jobs run in their own modules: an enqueue in one of them that no handler
    # reaches (the job's next round, or a follow-up job enqueued by the job or a helper beside
    # it) hands work on inside the worker; the request, if any, handed off the first job, which
    # is the one reviewed. A helper elsewhere (a model's method) may be run by a request the
    # analysis does not follow to it (`self.get_object().encode()`): its enqueues stay reviewed
    # (the jobs reviewed, and the jobs that enqueue others: a task only a beat schedule starts,
    # `sync_all` looping to enqueue `sync_one`, is not reviewed itself)
    jobs = set(reviews) | {
        (p.site_path, p.function)
        for p in topology.producers
        if p.call is not None and reach.declares_task(p.site_path, p.function)
    }
    run_by_jobs = {job: [(p, q) for p, q, _ in reach.functions_from(*job)] for job in sorted(jobs)}
    in_jobs = {(p, q) for job, reached in run_by_jobs.items() for p, q in reached if p == job[0]}
    # and the functions a job hands on as values (a list of phases it runs), with what they
    # reach in their own modules
    in_jobs |= handed_on(reach, {found for reached in run_by_jobs.values() for found in reached})
    requested: set[tuple[str, str]] | None = None
    for review in reviews.values():
        # a decorator that names the queue (`@task(queue=...)`) enqueues nothing by itself: a
        # task with no enqueue call is started by the beat schedule, a schedule kept in the
        # database or another service, never handed off by a request of this code
        enqueues = [p for p in review.producers if p.call is not None]
        # an enqueue in a module's own body runs on import (`rq.cron.register(f, ...)` in the file
        # `rq cron` runs), as a scheduler's do on their timer: neither is a request's
        inside = [p for p in enqueues if p.function != MODULE_SCOPE and not _run_by_scheduler(index, schedulers, p)]
        # an enqueue in a management command's module is the command line's, unless a handler
        # reaches it too (below), as a job's own follow-up is
        if any(
            (p.site_path, p.function) not in in_jobs and not commands.matches(Path(p.site_path).as_posix())
            for p in inside
        ):
            continue
        if inside and requested is None:
            requested = run_by_requests()
        review.outside_requests = not any((p.site_path, p.function) in (requested or ()) for p in inside)
    return sorted(reviews.values(), key=lambda r: (r.path, r.span.line))


def handed_on(reach: Reach, reached: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The module functions these hand on as values (`Reach.named_functions`), and what each
    reaches in its own module: whoever they are handed to may run them."""
    found: set[tuple[str, str]] = set()
    for path, qualname in sorted(reached):
        for named in reach.named_functions(path, qualname):
            # a module's function (a phase, a callback), not a method: a model's method handed on
            # (`Order.finalize`) may be run by a request the analysis does not follow to it
            if "." not in named[1] and named not in found and named not in reached:
                found |= {(p, q) for p, q, _ in reach.functions_from(*named) if p == named[0]}
    return found


def given_by_every_enqueue(reach: Reach, job: tuple[str, str], producers: list[Producer]) -> Known:
    """What every enqueue call of a job gives its parameters alike (`given_to_job`); nothing
    when a helper given the job enqueues it, whose call's arguments are its caller's."""
    calls = [p for p in producers if p.call is not None]
    if not calls or any(p.via is not None for p in calls):
        return NOTHING_KNOWN
    given = [reach.given_to_job(p.site_path, p.call, job) for p in calls if p.call is not None]
    return frozenset.intersection(*given)


def _run_by_scheduler(index: ProjectIndex, schedulers: NamePatterns, producer: Producer) -> bool:
    """`@scheduler.scheduled_job("interval", ...)` on the function holding the enqueue."""
    function = index.function(producer.site_path, producer.function)
    return function is not None and any(
        schedulers.matches(index.resolve(producer.site_path, decorator.target).dotted)
        for decorator in function.decorators
    )
