"""What a handler does, through the helpers it calls: effects and call chains.

Each call of a project function is classified once: an effect (bulk database
work, a one-row write, a thread spawn, slow I/O, a sleep, a put on a
process-local queue), a call into another project function (followed, to a
bounded depth), or nothing. A handler's reach is the effects found from it,
each with the chain of calls that leads to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from worker_audit.facts import CallFact, argument
from worker_audit.finding import Span
from worker_audit.knowledge import Knowledge
from worker_audit.project import ProjectIndex, Resolved


@dataclass(frozen=True)
class Effect:
    kind: str  # bulk-db | row-write | thread | slow-call | sleep | queue-put | enqueue | job-record
    path: str
    function: str  # qualname of the function holding the call
    call: CallFact
    detail: str
    daemon: bool = False
    variable: tuple[str, str] | None = None  # queue-put: (path, name) of the queue
    target: tuple[str, str] | None = None  # thread: the project function a private worker runs; enqueue: the job


@dataclass(frozen=True)
class Hop:
    """A call from one project function into another."""

    path: str
    span: Span
    caller: str
    callee: str
    callee_path: str
    loop: int  # the call's loop id in its module, 0 outside loops

    @property
    def in_loop(self) -> bool:
        return self.loop != 0


@dataclass(frozen=True)
class Reached:
    effect: Effect
    chain: tuple[Hop, ...]
    # a row write whose repeating loop also enqueues a job: each row is written for the
    # job that is enqueued next, so the loop hands work to the worker rather than doing it
    hands_off: bool = False

    @property
    def looped(self) -> bool:
        return self.effect.call.in_loop or any(hop.in_loop for hop in self.chain)

    def position_in(self, loop: tuple[str, int]) -> tuple[int, int]:
        """Where the effect happens in the body of `loop`: its own call, or the call into the
        helper that runs it."""
        path, number = loop
        if self.effect.path == path and self.effect.call.loop == number:
            return (self.effect.call.span.line, self.effect.call.span.column)
        for hop in reversed(self.chain):
            if hop.path == path and hop.loop == number:
                return (hop.span.line, hop.span.column)
        return (0, 0)

    @property
    def repeating_loop(self) -> tuple[str, int] | None:
        """(path, loop id) of the innermost loop that repeats the effect, or None."""
        if self.effect.call.loop:
            return (self.effect.path, self.effect.call.loop)
        for hop in reversed(self.chain):
            if hop.loop:
                return (hop.path, hop.loop)
        return None

    @property
    def anchor(self) -> Span:
        """Where the effect shows in the handler: its own line, or the first helper call."""
        return self.chain[0].span if self.chain else self.effect.call.span


@dataclass(frozen=True)
class _Step:
    effect: Effect | None = None
    callee: tuple[str, str] | None = None  # (path, qualname)


def _method(call: CallFact) -> str:
    """`commit` of `db.session.commit()`."""
    return call.target[1].rsplit(".", 1)[-1].removesuffix("()") if call.target is not None else ""


def _has_true(call: CallFact, keyword: str | None) -> bool:
    return bool(keyword) and any(a.keyword == keyword and a.literal == "True" for a in call.args)


class Reach:
    def __init__(self, index: ProjectIndex, knowledge: Knowledge, max_depth: int, job_model: str = "") -> None:
        self.index = index
        self.knowledge = knowledge
        self.max_depth = max_depth
        self.job_model = job_model
        self._steps: dict[tuple[str, str], list[_Step]] = {}

    def _project_name(self, resolved: Resolved) -> str | None:
        if resolved.kind != "project":
            return None
        return self.index.dotted_name(resolved.path, resolved.dotted)

    def _is_configured_slow(self, resolved: Resolved) -> bool:
        name = self._project_name(resolved)
        if name is None or resolved.rest:
            return False
        # a configured `server.services.x.send` matches however deep the project root is
        parts = name.split(".")
        return any(self.knowledge.slow_calls.matches(".".join(parts[i:])) for i in range(len(parts)))

    def _classify(self, path: str, function: str, call: CallFact) -> _Step:
        if call.shape == "bulk":
            if self._pins_unique_key(path, call):
                return _Step(Effect("row-write", path, function, call, "write of one row by a unique key"))
            return _Step(Effect("bulk-db", path, function, call, call.shape_detail))
        if call.shape == "row":
            # `data_source.delete()` on a project model that defines `delete`: one row, and
            # whatever the method does besides (the project's code is followed too)
            target = self.index.resolve_function(path, call.target)
            callee = (target[0], target[1].qualname) if target is not None else None
            return _Step(Effect("row-write", path, function, call, call.shape_detail), callee)
        queue = self._queue_put(path, call)
        if queue is not None:
            return _Step(Effect("queue-put", path, function, call, f"{queue[1]}.put()", variable=queue))
        resolved = self.index.resolve(path, call.target)
        if resolved.kind == "external":
            name = resolved.dotted
            for spawn in self.knowledge.thread_spawns:
                if spawn.call.matches(name):
                    daemon = _has_true(call, spawn.daemon_keyword)
                    target = self._function_argument(path, call, spawn.target) if spawn.private_worker else None
                    detail = name.replace("()", "")
                    return _Step(Effect("thread", path, function, call, detail, daemon=daemon, target=target))
            for kind in self.knowledge.queue_kinds:
                if kind.enqueue_calls.matches(name) or kind.direct.matches(name):
                    job = self._function_argument(path, call, kind.function, kind.function_keywords)
                    return _Step(Effect("enqueue", path, function, call, call.text, target=job))
            if self.knowledge.is_enqueue_method(call.target):
                return _Step(Effect("enqueue", path, function, call, call.text))  # a queue we cannot name
            if any(system.send_task.matches(name) for system in self.knowledge.task_systems):
                return _Step(Effect("enqueue", path, function, call, call.text))
            if self.knowledge.sleeps.matches(name):
                return _Step(Effect("sleep", path, function, call, name))
            if self.knowledge.slow_calls.matches(name):
                return _Step(Effect("slow-call", path, function, call, name))
            return _Step()
        if resolved.kind != "project" and self.knowledge.is_enqueue_method(call.target):
            return _Step(Effect("enqueue", path, function, call, call.text))  # a queue we cannot name
        if self._is_configured_slow(resolved):
            return _Step(Effect("slow-call", path, function, call, self._project_name(resolved) or ""))
        if resolved.kind == "project":
            if self._is_task_call(resolved):
                return _Step(
                    Effect("enqueue", path, function, call, call.text, target=(resolved.path, resolved.dotted))
                )
            if self.job_model and resolved.dotted.rsplit(".", 1)[-1] == self.job_model:
                if resolved.rest in ("", "create", "objects.create"):
                    return _Step(Effect("job-record", path, function, call, call.text))
            delayed = self._delayed_job(resolved)
            if delayed is not None:
                return _Step(Effect("enqueue", path, function, call, call.text, target=delayed))
        target = self.index.resolve_function(path, call.target)
        if target is not None:
            return _Step(callee=(target[0], target[1].qualname))
        return _Step()

    def _function_argument(self, path: str, call: CallFact, spec, extra=frozenset()) -> tuple[str, str] | None:
        arg = argument(call.args, spec, extra)
        if arg is None or arg.ref is None:
            return None
        anchor, dotted = arg.ref
        if dotted.endswith("()"):
            # spawn(Worker(...)) runs the instance's __call__; create_task(f(...)) runs f
            made = self.index.resolve(path, (anchor, dotted[:-2]))
            if made.kind == "project" and not made.rest and self.index.module(made.path) is not None:
                facts = self.index.module(made.path)
                if made.dotted in facts.classes:
                    method = facts.functions.get(f"{made.dotted}.__call__")
                    return (made.path, method.qualname) if method is not None else None
        found = self.index.resolve_function(path, arg.ref)
        return (found[0], found[1].qualname) if found is not None else None

    def _delayed_job(self, resolved: Resolved) -> tuple[str, str] | None:
        """`send_report.delay(...)` on a function decorated with `@job(...)`."""
        method = resolved.rest
        decorators = [d for d in self.knowledge.job_decorators if method in d.delay_methods]
        function = self.index.function(resolved.path, resolved.dotted) if decorators else None
        if function is None:
            return None
        for decorator in function.decorators:
            made = self.index.resolve(resolved.path, decorator.target)
            if made.kind == "external" and any(d.call.matches(made.dotted) for d in decorators):
                return (resolved.path, function.qualname)
        return None

    def _pins_unique_key(self, path: str, call: CallFact) -> bool:
        """Whether a write's equality filters cover a unique key of its model
        (a relationship `user` stands for its column `user_id`)."""
        if not call.equality_columns or call.model is None:
            return False
        model = self.index.resolve(path, call.model)
        if model.kind != "project" or model.rest:
            return False
        pinned = set(call.equality_columns) | {f"{column}_id" for column in call.equality_columns}
        lineage = list(self.index.lineage(model.path, model.dotted))
        for class_path, name in lineage:  # a composite attribute pins its columns
            facts = self.index.module(class_path)
            for attribute, columns in facts.classes[name].composites if facts is not None else ():
                if attribute in call.equality_columns:
                    pinned |= set(columns)
        for class_path, name in lineage:
            facts = self.index.module(class_path)
            keys = facts.classes[name].unique_keys if facts is not None else ()
            if any(set(key) <= pinned for key in keys):
                return True
        return False

    def _is_task_call(self, resolved: Resolved) -> bool:
        """`send_report.delay(...)` on a Celery task, `.send(...)` on a Dramatiq actor."""
        systems = [s for s in self.knowledge.task_systems if resolved.rest in s.call_methods]
        function = self.index.function(resolved.path, resolved.dotted) if systems else None
        if function is None:
            return False
        return any(
            system.task_decorators.matches(self.index.resolve(resolved.path, d.target).dotted)
            for d in function.decorators
            for system in systems
        )

    def _queue_put(self, path: str, call: CallFact) -> tuple[str, str] | None:
        work_queues = self.knowledge.work_queues
        if work_queues is None or call.target is None:
            return None
        anchor, dotted = call.target
        receiver, _, method = dotted.rpartition(".")
        if method not in work_queues.put_methods or not receiver:
            return None
        variable = self.index.resolve_variable(path, (anchor, receiver))
        if variable is None:
            return None
        kind = self.index.instance_type(variable)
        if kind.kind == "external" and work_queues.classes.matches(kind.dotted):
            return (variable.path, variable.dotted)
        return None

    def steps(self, path: str, qualname: str) -> list[tuple[CallFact, _Step]]:
        function = self.index.function(path, qualname)
        if function is None:
            return []
        key = (path, qualname)
        if key not in self._steps:
            self._steps[key] = [self._classify(path, qualname, call) for call in function.calls]
        return list(zip(function.calls, self._steps[key], strict=True))

    def from_function(self, path: str, qualname: str) -> list[Reached]:
        found: list[Reached] = []
        self._visit(path, qualname, (), {(path, qualname)}, found)
        return [replace(r, hands_off=True) if self._handed_off(r, found) else r for r in found]

    def _handed_off(self, write: Reached, found: list[Reached]) -> bool:
        """A write that saves a row (`commit`, `add`, `save`; not a delete) followed, later in
        the same loop body, by an enqueue: the row is committed for the job enqueued next."""
        loop = write.repeating_loop
        orm = self.knowledge.orm
        if write.effect.kind != "row-write" or loop is None or orm is None:
            return False
        if _method(write.effect.call) not in orm.hand_off_methods:
            return False
        written_at = write.position_in(loop)
        return any(
            r.effect.kind == "enqueue" and r.repeating_loop == loop and r.position_in(loop) >= written_at for r in found
        )

    def functions_from(self, path: str, qualname: str) -> list[tuple[str, str, tuple[Hop, ...]]]:
        """The function and every project function it reaches: (path, qualname, chain)."""
        found = [(path, qualname, ())]
        seen = {(path, qualname)}
        stack: list[tuple[str, str, tuple[Hop, ...]]] = [(path, qualname, ())]
        while stack:
            current_path, current, chain = stack.pop()
            if len(chain) >= self.max_depth:
                continue
            for call, step in self.steps(current_path, current):
                if step.callee is not None and step.callee not in seen:
                    seen.add(step.callee)
                    hop = Hop(current_path, call.span, current, step.callee[1], step.callee[0], call.loop)
                    found.append((step.callee[0], step.callee[1], chain + (hop,)))
                    stack.append((step.callee[0], step.callee[1], chain + (hop,)))
        return found

    def _visit(self, path: str, qualname: str, chain: tuple[Hop, ...], seen: set, found: list[Reached]) -> None:
        for call, step in self.steps(path, qualname):
            if step.effect is not None:
                found.append(Reached(step.effect, chain))
            if step.callee is not None and step.callee not in seen and len(chain) < self.max_depth:
                callee_path, callee = step.callee
                hop = Hop(path, call.span, qualname, callee, callee_path, call.loop)
                self._visit(callee_path, callee, chain + (hop,), seen | {step.callee}, found)
