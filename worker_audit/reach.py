"""What a handler does, through the helpers it calls: effects and call chains.

Each call of a project function is classified once: an effect (bulk database
work, a one-row write, a thread spawn, slow I/O, a sleep, a put on a
process-local queue), a call into another project function (followed, to a
bounded depth), or nothing. A handler's reach is the effects found from it,
each with the chain of calls that leads to it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from worker_audit.facts import (
    FIXED_LOOP_LIMIT,
    NEW_ROW,
    OWN_ATTRIBUTE,
    RELATION_ROWS,
    RETURNS_OWN_CLASS,
    STRING_ANCHOR,
    SUPER,
    UNKNOWN_OWNER,
    WRITTEN_OUT,
    AllOf,
    ArgFact,
    CallFact,
    DecoratorFact,
    Equals,
    FunctionFact,
    Guard,
    GuardSubject,
    Membership,
    NoneTest,
    Ref,
    SameFunction,
    argument,
    given_argument,
    never_sent,
    outer_loop,
    returned_functions,
)
from worker_audit.finding import Span
from worker_audit.knowledge import (
    LIBRARY_INSERTS,
    Knowledge,
    NamePatterns,
    Orm,
    Signals,
    TaskSystem,
    ThreadSpawn,
    written_method,
)
from worker_audit.project import ProjectIndex, Resolved
from worker_audit.signal_receivers import UNKNOWN_SENDER, SignalRegistry


@dataclass(frozen=True)
class GivenKeywords:
    """What a call gives a function's `**kwargs` (see Known): the keywords it writes out that no
    parameter of the function takes, when it spreads no dict of its own."""

    parameter: str


@dataclass(frozen=True)
class SentTask:
    """What a call gives a parameter the function calls (see Known): the method that sends a
    task (`tasks.purge.delay`), so that calling it (`f(*args)`) enqueues the task."""

    path: str
    task: str  # the task function's qualname


@dataclass(frozen=True)
class GivenClass:
    """What a call gives a parameter the function calls (see Known): a project class, so that
    `parser().process(files)` runs the class's own `process` (or its nearest base's)."""

    path: str
    name: str  # the class's qualname


# what a call is known to give some parameters: a truth {("with_events", False)}, a project
# function to call {("publisher", ("app/items.py", "Items.publish_event"))}, a task's send
# {("f", SentTask("app/tasks.py", "purge"))}, a project class {("parser", GivenClass(...))}, or
# the keywords its `**kwargs` collects {(GivenKeywords("kwargs"), frozenset({"user", "doc"}))}
Known = frozenset[
    tuple[GuardSubject | GivenKeywords, bool | str | tuple[str, str] | SentTask | GivenClass | frozenset[str]]
]
NOTHING_KNOWN: Known = frozenset()
# what a parameter is known to be when the call gives it a list or tuple of 1 to 10 items written out
FEW = "few"
# arguments that hold a few items: a query pinned to one primary key, a list the caller capped
# (`if len(files) > 1: return ...`)
FEW_LITERALS = ("one-row", "capped")
# the calls that make a foreign key field (`models.ForeignKey(Game, ...)`), as a class
# attribute's reference ends
_FOREIGN_KEY_CALLS = ("ForeignKey()", "OneToOneField()")
# what `setattr()` in a method of a class may set: any attribute of its instances
SET_ANY = "[any attribute]"


@dataclass(frozen=True)
class Effect:
    kind: str  # bulk-db | row-write | thread | slow-call | sleep | queue-put | enqueue | job-record
    path: str
    function: str  # qualname of the function holding the call
    call: CallFact
    detail: str
    daemon: bool = False
    fate: str = ""  # thread: what becomes of the work, when not "it dies with the process"
    variable: tuple[str, str] | None = None  # queue-put: (path, name) of the queue
    target: tuple[str, str] | None = None  # thread: the project function a private worker runs; enqueue: the job
    # thread: a task the function returns (`return asyncio.create_task(...)`): background work
    # only when the caller does not await it either
    handed_back: bool = False
    # thread: a process the function returns (`return subprocess.Popen(...)`), which is the
    # request's own call when the caller calls one of these on what it gets (`p.wait()`)
    waited_by: frozenset[str] = frozenset()
    # enqueue: the job is this parameter of the function (`queue.enqueue(func)`, `func.delay()`),
    # which the caller names
    job_parameter: str | None = None


@dataclass(frozen=True)
class Hop:
    """A call from one project function into another."""

    path: str
    span: Span
    caller: str
    callee: str
    callee_path: str
    loop: int  # the call's loop id in its module, 0 outside loops
    by: str = ""  # how the call runs the callee, when not by name: "post_save receiver"
    start_up: bool = False  # the call builds a module global the first time only: once per process
    rounds: int | None = 1  # the call's `fixed_rounds`: run 4 times by `for attempt in range(4):`
    caught: bool = False  # the call's `tried`: in a `try:` body, where what the callee raises may be caught
    caught_in_loop: bool = False  # the call's `tried_in_loop`: caught inside its loop, which goes on
    raises_after: bool = False  # the call's `raises_after`: the caller raises out once the callee returns

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

    @property
    def seconds_slept(self) -> float | None:
        """A sleep's whole length in the request: its seconds written out, times the rounds of
        the few-fixed-rounds loops around it and around the calls that lead to it; None when
        one of them does not say, or a loop repeats it once per item."""
        call = self.effect.call
        if call.seconds is None or self.looped:
            return None
        rounds = [call.fixed_rounds, *(hop.rounds for hop in self.chain)]
        return call.seconds * math.prod(rounds) if None not in rounds else None  # type: ignore[arg-type]

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
    # what the call runs besides its callee: the receivers of the signals it sends, or the
    # wrappers a decorator puts around the function: (path, qualname, by, the model their
    # `instance` is, if known, the values their parameters are known to have: `created`)
    receivers: tuple[tuple[str, str, str, tuple[str, str] | None, Known], ...] = ()
    # what the callee is told instead of what the call's arguments give it (a model's `save`
    # that a DRF serializer's `save()` runs is told whether its row is new)
    callee_known: Known | None = None

    def callees(self) -> list[tuple[tuple[str, str], str, tuple[str, str] | None, Known | None]]:
        """((path, qualname), by, instance model, known values) of each project function the call
        runs; known values None: those the call's own arguments give."""
        named = [(self.callee, "", None, self.callee_known)] if self.callee is not None else []
        return named + [((path, qualname), by, model, known) for path, qualname, by, model, known in self.receivers]


def _commits_nothing(effect: Effect, caller: tuple[str, CallFact] | None, orm: Orm | None) -> bool:
    """`session.commit()` (`commit_methods`) after the `yield` of a context manager (`with
    session_scope() as s:`) entered by a block that only reads (`s.query(Device)...one()`): the
    exit commits no change. A block that sets an attribute (`device.synced = False`) changes a
    row there, and writes the session makes itself (`s.add(row)`) are their own effects."""
    if effect.kind != "row-write" or not effect.call.after_yield or caller is None or orm is None:
        return False
    entered = caller[1]
    return entered.entered and not entered.changing_block and _method_written(effect.call) in orm.commit_methods


def _raised_through(chain: tuple[Hop, ...], raises: bool) -> tuple[Hop, ...]:
    """The calls that lead to an effect, without the loops a raise after it leaves: an effect in
    a block that ends by raising out of its function (`raises`), or reached through a call
    that does, is repeated by none of the loops the raise goes through, up to the first caller
    that calls on inside a `try:`: the loop around that call too, when the `try:` holds the loop
    (`try: for n in names: check(n)`), not when the loop holds the `try:` (it goes on)."""
    if not raises and not any(hop.raises_after for hop in chain):
        return chain
    hops = list(chain)
    for index in range(len(hops) - 1, -1, -1):
        hop = hops[index]
        if raises and not hop.caught_in_loop:
            # the raise leaves the loop around the call; a `try:` around that loop stops it there
            hops[index] = replace(hop, loop=0, rounds=1)
        raises = (raises and not hop.caught) or hop.raises_after
    return tuple(hops)


def _method(call: CallFact) -> str:
    """`commit` of `db.session.commit()`."""
    return call.target[1].rsplit(".", 1)[-1].removesuffix("()") if call.target is not None else ""


def _method_written(call: CallFact) -> str:
    """`_method`, or, on a parameter or another name with no target, the method its text names
    (`append` of `project.versions.append(...)`)."""
    return _method(call) or call.text.partition("(")[0].rpartition(".")[2]


def _has_true(call: CallFact, keyword: str | None) -> bool:
    return bool(keyword) and any(a.keyword == keyword and a.literal == "True" for a in call.args)


class Reach:
    def __init__(
        self,
        index: ProjectIndex,
        knowledge: Knowledge,
        max_depth: int,
        job_model: str = "",
        signal_modules: list | None = None,
        receivers_for: Callable[[str], list] | None = None,
    ) -> None:
        self.index = index
        self.knowledge = knowledge
        self.max_depth = max_depth
        self.job_model = job_model
        self._steps: dict[tuple, list[tuple[CallFact, _Step]]] = {}
        # answers about a function, asked once per call of it, by (path, qualname): see
        # `_takes_arguments` and `_tests_its_row`
        self._taking: dict[tuple[str, str], bool] = {}
        self._row_testers: dict[tuple[str, str], bool] = {}
        self._forwarding: dict[tuple[str, str], frozenset[str]] = {}  # `_forwarded`, by function
        self._registered: dict[tuple[str, str], tuple[str, str] | None] = {}  # by view class
        self._relations_by_manager: dict[str, list[tuple[str, str, str]]] | None = None
        # `tags = GenericRelation(Tag)`: by manager, (path, class) of Tag and its two columns
        self._generic_by_manager: dict[str, list[tuple[str, str, tuple[str, str]]]] = {}
        self._other_managers: frozenset[str] = frozenset()
        # by class: the attributes of `self` a method other than `__init__` sets (`_built_with`)
        self._set_elsewhere: dict[tuple[str, str], frozenset[str]] = {}
        self._signal_modules = signal_modules or []
        self._registry: SignalRegistry | None = None
        # more modules that register receivers, asked for with the module of each model written
        self._receivers_for = receivers_for

    @property
    def signals(self) -> SignalRegistry | None:
        """The project's signal receivers, read at first use; None without signal knowledge or modules."""
        if self._registry is None and self.knowledge.signals is not None and self._signal_modules:
            self._registry = SignalRegistry(self.index, self.knowledge.signals, self._signal_modules)
            self._signal_modules = []
        return self._registry

    def _receivers_of(self, model: tuple[str, str] | None) -> SignalRegistry | None:
        """The receivers, for a write of `model`: the modules `receivers_for` gives for the
        model's module are added first (a run on some files reads them when first needed)."""
        more = self._receivers_for(model[0]) if self._receivers_for is not None and model is not None else []
        if more and self.knowledge.signals is not None:
            registry = self.signals
            if registry is None:
                self._registry = SignalRegistry(self.index, self.knowledge.signals, more)
            else:
                registry.add_modules(more)
            self._steps.clear()  # calls read before may send signals these modules receive
        return self.signals

    def _creates_job_record(self, path: str, function: str, call: CallFact) -> bool:
        """`BackgroundJob(...)`, `BackgroundJob.create(...)`, `BackgroundJob.objects.create(...)`
        (also `cls.objects.create(...)` in the model's classmethod), `save()` on a serializer
        or form whose `Meta.model` is the job model (also the one DRF gives a view's
        `perform_create(self, serializer)`): the tracking record, a row write of its own kind."""
        if not self.job_model:
            return False
        if call.target is None:
            model = self._hook_serializer_model(path, function, call)
            return model is not None and model[1].rsplit(".", 1)[-1] == self.job_model
        anchor, dotted = call.target
        if dotted.endswith("().save"):  # `JobSerializer(data=...).save()`, its Meta.model the job model
            made = self.index.resolve(path, (anchor, dotted.removesuffix("().save")))
            model = self._meta_model(made.path, made.dotted) if made.kind == "project" and not made.rest else None
            return model is not None and model[1].rsplit(".", 1)[-1] == self.job_model
        if self.job_model not in dotted.split("."):
            return False
        resolved = self.index.resolve(path, call.target)
        return (
            resolved.kind == "project"
            and resolved.dotted.rsplit(".", 1)[-1] == self.job_model
            and resolved.rest in ("", "create", "objects.create", "objects.get_or_create", "objects.update_or_create")
        )

    def _hook_serializer_model(self, path: str, function: str, call: CallFact) -> tuple[str, str] | None:
        """`serializer.save()` in a view's `perform_create(self, serializer)`: the Meta.model of
        the view's `serializer_class`."""
        hooked = self._hook_serializer(path, function, call)
        if hooked is None or hooked[2] != "save":
            return None
        made = hooked[1]
        return self._meta_model(made.path, made.dotted)

    def _hook_serializer(self, path: str, function: str, call: CallFact) -> tuple[FunctionFact, Resolved, str] | None:
        """`serializer.<method>(...)` on the serializer a DRF view's hook that saves is given
        (`perform_create(self, serializer)`, `perform_update`): the hook, the project class of the
        view's `serializer_class`, and the method."""
        views = self.knowledge.view_models
        if views is None or not views.serializer_attribute:
            return None
        fact = self.index.function(path, function)
        if fact is None or fact.class_name is None or views.row_hooks.get(fact.name) != "save":
            return None
        parameter, _, method = (call.parameter_method or "").partition(".")
        if len(fact.params) < 2 or parameter != fact.params[1] or not method.isidentifier():
            return None
        found = self._class_attribute((path, fact.class_name), views.serializer_attribute)
        made = self.index.resolve(found[0], found[1]) if found is not None else None
        if made is None or made.kind != "project" or made.rest:
            return None
        return fact, made, method

    def _project_name(self, resolved: Resolved) -> str | None:
        if resolved.kind != "project":
            return None
        return self.index.dotted_name(resolved.path, resolved.dotted)

    def _is_configured_slow(self, resolved: Resolved) -> bool:
        name = self._project_name(resolved)
        if name is None or resolved.rest:
            return False
        return self.knowledge.slow_calls.matches_project_name(name)

    def _command_run(self, call: CallFact) -> tuple[str, str] | None:
        """`call_command("reindex", ...)`: the entry method (`Command.handle`) of the command
        module of that name, which the call runs in this process; None for a name not written
        out, or a command of a library."""
        first = call.args[0] if call.args else None
        if first is None or first.keyword is not None or not first.text:
            return None
        owner, _, method = self.knowledge.command_entry.partition(".")
        for file in self.index.files_named(f"{first.text}.py"):
            if not self.knowledge.command_modules.matches(Path(file).as_posix()):
                continue
            found = self.index.method(file, owner, method)
            if found is not None:
                return found[0], found[1].qualname
        return None

    def _classify(self, path: str, function: str, call: CallFact) -> _Step:
        if self._creates_job_record(path, function, call):
            return _Step(Effect("job-record", path, function, call, call.text))
        if call.once and call.shape in ("bulk", "row"):
            return _Step()  # a singleton's first creation: neither the write nor what it runs is a request's
        if call.statement_model is not None and not self._a_model_class(path, call.statement_model, call):
            call = replace(call, shape=None)  # `events.delete(eventId=e).execute()`: a Google API call
        if call.shape == "bulk":
            # `Bill.query.delete(project, id)`: BillQuery's own delete; a Django manager's own method
            own = self._query_class_method(path, call) or self._manager_method(path, call)
            if own is not None:
                return _Step(callee=(own[0], own[1].qualname))
            if self._pins_unique_key(path, call):
                return _Step(Effect("row-write", path, function, call, "write of one row by a unique key"))
            return _Step(Effect("bulk-db", path, function, call, call.shape_detail))
        if call.shape == "row" and self._library_object(path, call):
            call = replace(call, shape=None)  # boto's `key.delete()`: that library's call
        if call.shape == "row":
            # `data_source.delete()` on a project model that defines `delete`: one row, and
            # whatever the method does besides (the project's code is followed too)
            # (also on the instance a query returned: `Member.query.get(i).delete()`)
            target = self._method_called(path, function, call)
            callee = (target[0], target[1].qualname) if target is not None else None
            if callee is not None and self._of_a_plain_class(path, call):
                return _Step(callee=callee)  # `ApiClient().delete()`: the project's own method, no row
            effect = Effect("row-write", path, function, call, call.shape_detail)
            return _Step(
                effect, callee, self._write_receivers(path, call, self._own_object_model(path, function, call))
            )
        child = self._relation_created(path, call) if call.shape is None else None
        if child is not None:
            # `board.cards.create(text=t)`: a row of the related model, as `Card.objects.create()`
            written = replace(call, shape="row", shape_detail=f"{call.text.partition('(')[0]}()")
            effect = Effect("row-write", path, function, written, written.shape_detail)
            return _Step(effect, None, self._write_receivers(path, written, child))
        sent = self._sent_signal(path, call)
        if sent is not None:
            return _Step(receivers=sent)
        queue = self._queue_put(path, call)
        if queue is not None:
            return _Step(Effect("queue-put", path, function, call, f"{queue[1]}.put()", variable=queue))
        waited = self._result_wait(path, function, call)
        if waited is not None:
            return _Step(waited)
        to_library = self._super_to_library(path, function, call) if _calls_super(call) else None
        if to_library is not None:
            inherited = (
                self._library_hook_run(*to_library)
                or self._library_action_run(*to_library)
                or self._slow_library_base(*to_library, call)
            )
            if inherited is not None:
                return inherited
        resolved = self._through_returned_instance(self.index.resolve(path, call.target))
        started = self._subclass_started(path, function, call)
        if started is not None:
            return _Step(started)
        if self._run_beside_start(path, function, call):
            return _Step()
        if resolved.kind == "external":
            name = resolved.dotted
            for spawn in self.knowledge.thread_spawns:
                if spawn.call.matches(name):
                    if spawn.unless_awaited and call.awaited:
                        # `tasks.append(asyncio.create_task(...))`, then `await asyncio.gather(*tasks)`:
                        # the request waits for it, so its work is the request's, not background work
                        return _Step()
                    if spawn.unless_called and self._waited_for(path, function, call, name, spawn.unless_called):
                        return _Step()  # `p = Popen(...)` then `p.wait()`: the request waits for it
                    if spawn.unless_result_used and call.result_used and self._runs_a_stand_in(path, function, call):
                        # `list(pool.map(fetch, urls))`: iterating the results waits for every
                        # `fetch(url)`, read in the request (not when that call could not be made:
                        # an executor imported or held in an attribute stays WA102)
                        return _Step()
                    if spawn.unless_target_named and self._cleans_up(call, spawn):
                        return _Step()  # `BackgroundTask(shutil.rmtree, tmp)`: the response's clean-up
                    if spawn.unless_piped and self._piped(path, call, spawn.unless_piped):
                        return _Step()  # `Popen(cmd, stdout=PIPE)`: the code reads its output
                    if spawn.unless_streamed and self._builds_a_stream(path, function, spawn.unless_streamed):
                        return _Step()  # the thread writes what the `StreamingHttpResponse(...)` built here streams
                    if spawn.unless_received and self._receives(path, function, call, spawn.unless_received, spawn):
                        return _Step()  # `result.get()` from the queue the thread answers on
                    if self._waits_for_all(path, function, call, spawn):
                        return _Step()  # `wait(futures)`, or the end of `with ThreadPoolExecutor() as pool:`
                    if self._given_none(path, call, spawn):
                        return _Step()  # `Thread(target=load())`: `load()` runs here, the thread runs nothing
                    daemon = _has_true(call, spawn.daemon_keyword)
                    target = self._function_argument(path, call, spawn.target) if spawn.private_worker else None
                    detail = name.replace("()", "")
                    handed_back = spawn.unless_awaited and call.handed_back
                    waited_by = spawn.unless_called if call.handed_back else frozenset()
                    effect = Effect(
                        "thread",
                        path,
                        function,
                        call,
                        detail,
                        daemon,
                        spawn.fate,
                        target=target,
                        handed_back=handed_back,
                        waited_by=waited_by,
                    )
                    return _Step(effect)
            kind = self.knowledge.enqueue_kind(name)
            if kind is not None:
                if never_sent(call, self.index.function(path, function), kind.sent_by):
                    return _Step()  # `chain.append(f)` with no `chain.run()`
                job = self._function_argument(path, call, kind.function, kind.function_keywords)
                given = argument(call.args, kind.function, kind.function_keywords)
                facts = self.index.function(path, function) if kind.function_on_constructor else None
                if facts is not None and job is None and call.receiver is not None:
                    built = facts.calls[call.receiver]  # `AsyncTask(func, *args).run()`
                    job = self._function_argument(path, built, kind.function, kind.function_keywords)
                    given = argument(built.args, kind.function, kind.function_keywords)
                parameter = given.parameter if given is not None and job is None else None
                effect = Effect("enqueue", path, function, call, call.text, target=job, job_parameter=parameter)
                return _Step(effect)
            if self.knowledge.is_enqueue_method(call.target):
                return _Step(Effect("enqueue", path, function, call, call.text))  # a queue we cannot name
            if any(system.send_task.matches(name) for system in self.knowledge.task_systems):
                return _Step(Effect("enqueue", path, function, call, call.text))
            if self.knowledge.command_runners.matches(name):
                command = self._command_run(call)
                return _Step(callee=command) if command is not None else _Step()
            if self.knowledge.sleeps.matches(name):
                return _Step(Effect("sleep", path, function, call, name))
            if self.knowledge.is_slow_call(name):
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
            if self._is_task_call(resolved, run=True):  # `refresh.call_local(...)`: the body runs here
                return _Step(callee=(resolved.path, resolved.dotted))
            delayed = self._delayed_job(resolved)
            if delayed is not None:
                return _Step(Effect("enqueue", path, function, call, call.text, target=delayed))
        if call.parameter_method is not None and self._delays(call.parameter_method):
            parameter = call.parameter_method.partition(".")[0]
            return _Step(Effect("enqueue", path, function, call, call.text, job_parameter=parameter))
        if call.choices:
            chosen = [self.index.resolve_function(path, ref) for ref in call.choices]
            built = any("()." in ref[1] for ref in call.choices)  # `table.get(kind)(...).migrate()`
            by = "of a class picked from a dict" if built else "picked from a dict of functions"
            receivers = tuple((p, f.qualname, by, None, NOTHING_KNOWN) for p, f in filter(None, chosen))
            if receivers:
                return _Step(receivers=receivers)
        target = self._method_called(path, function, call)
        if target is not None:
            return _Step(callee=(target[0], target[1].qualname))
        return _Step()

    def _result_wait(self, path: str, function: str, call: CallFact) -> Effect | None:
        """`task.get()` (a task system's `result_waits`) on what `fork.delay(x)` returned, or
        what a project function returned that returns it (`task = fork_project(repo)`, with
        `return fork.delay(...)` there): the request waits for a worker to run the job (as long
        as a `timeout=` written out, at most: its `seconds`, as a sleep's)."""
        method = _method(call)
        systems = [system for system in self.knowledge.task_systems if method in system.result_waits]
        facts = self.index.function(path, function) if systems and call.receiver is not None else None
        if facts is None or call.receiver is None:
            return None
        built = facts.calls[call.receiver]
        sent = self._sends(path, function, built, systems)
        callee = self._method_called(path, function, built) if sent is None else None
        if callee is not None:
            handed = [c for c in callee[1].calls if c.handed_back]
            sent = next(filter(None, (self._sends(callee[0], callee[1].qualname, c, systems) for c in handed)), None)
        if sent is None:
            return None
        return Effect("result-wait", path, function, call, f"{built.text}.{method}()", target=sent.target)

    def _sends(self, path: str, function: str, call: CallFact, systems: list[TaskSystem]) -> Effect | None:
        """The enqueue of a call that sends a task of one of these systems (`fork.delay(x)`,
        `apply_async`, `send_task`), or a canvas of them (`group(...).apply_async()`); None for
        any other call (never a wait: no call is read twice on the way)."""
        method = _method(call)
        if not any(method in system.call_methods | system.send_task.last_segments() for system in systems):
            return None
        step = self._classify(path, function, call)
        if step.effect is not None and step.effect.kind == "enqueue":
            return step.effect
        facts = self.index.function(path, function)
        if call.receiver is None or facts is None:
            return None
        made = self.index.resolve(path, facts.calls[call.receiver].target)
        if made.kind == "external" and any(system.canvas.matches(made.dotted) for system in systems):
            return Effect("enqueue", path, function, call, call.text)  # `group(...).apply_async()`
        return None

    def _method_called(self, path: str, function: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """The project function a call runs: by its name, or a model's method on an instance a
        query returned, or a method of the view's model or serializer on what its getters give."""
        return (
            self.index.resolve_function(path, call.target)
            or self._manager_method(path, call)
            or self._fetched_model_method(path, call)
            or self._relation_row_method(path, call)
            or self._foreign_row_method(path, call)
            or self._own_object_method(path, function, call)
            or self._own_serializer_method(path, function, call)
            or self._hook_serializer_method(path, function, call)
            or self._own_rows_method(path, function, call)
            or self._returned_object_method(path, call)
            or self._form_parameter_method(path, function, call)
        )

    def _form_parameter_method(self, path: str, function: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`form.perform_reassignment()` in a view's `form_valid(self, form)`: the method of the
        view's `form_class` (`form_parameter` in the packs), unless the view chooses its class."""
        views = self.knowledge.view_models
        spec = views.form_parameter if views is not None else None
        fact = self.index.function(path, function) if spec is not None else None
        if spec is None or fact is None or fact.class_name is None or fact.name != spec[0] or len(fact.params) < 2:
            return None
        parameter, _, method = (call.parameter_method or "").partition(".")
        if parameter != fact.params[1] or not method.isidentifier():
            return None
        if any(self.index.method(path, fact.class_name, chooser) is not None for chooser in spec[2]):
            return None  # `get_form_class()` / `get_form()` may give another class
        found = self._class_attribute((path, fact.class_name), spec[1])
        made = self.index.resolve(found[0], found[1]) if found is not None else None
        if made is None or made.kind != "project" or made.rest:
            return None
        return self.index.method(made.path, made.dotted, method)

    def _returned_object_method(self, path: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`prepare(user).send()` (or `mail = prepare(user); mail.send()`), with `prepare`
        returning `TaggedMessage(...)` or annotated `-> TaggedMessage` (or returning what another
        project function so returns, `return prepare_email(...)`): the method of that project
        class (what a function returns a query of is read by `_fetched_model_method`)."""
        if call.target is None:
            return None
        resolved = self.index.resolve(path, call.target)
        head, called, method = resolved.rest.partition("().")
        if resolved.kind != "project" or not called or head or not method.isidentifier():
            return None
        if method not in self._library_method_names:
            return None  # as in `_through_returned_instance`: read for a method a library call can end with
        made = self._returned_class(resolved.path, self.index.function(resolved.path, resolved.dotted))
        if made is None or made.kind != "project":
            return None
        return self.index.method(made.path, made.dotted, method)

    def _view_getter_call(
        self, path: str, function: str, call: CallFact, getters: frozenset[str]
    ) -> tuple[str, str] | None:
        """`self.<getter>(...).<method>()` in a method of a view (or the getter's result bound to a
        local first): the view class and the method."""
        anchor, dotted = call.target or ("", "")
        instance, _, method = dotted.rpartition(".")
        owner, _, getter = instance.partition(".")
        if anchor != "@" or not getter.endswith("()") or getter.removesuffix("()") not in getters:
            return None
        fact = self.index.function(path, function)
        if fact is None or fact.class_name != owner or not method.isidentifier():
            return None
        return owner, method

    def _own_object_method(self, path: str, function: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`self.get_object().fetch_scores()` in a method of a view (or `league =
        self.get_object()` first): the method of the model of the row it gives (`_object_model`)."""
        views = self.knowledge.view_models
        called = self._view_getter_call(path, function, call, views.object_getters) if views is not None else None
        model = self._object_model((path, called[0])) if called is not None else None
        return self.index.method(*model, called[1]) if model is not None else None

    def _own_object_model(self, path: str, function: str, call: CallFact) -> tuple[str, str] | None:
        """`self.get_object().delete()` in a method of a view (or `instance = self.get_object()`
        first): the model of the row it gives, whose signals' receivers the write runs."""
        views = self.knowledge.view_models
        called = self._view_getter_call(path, function, call, views.object_getters) if views is not None else None
        return self._object_model((path, called[0])) if called is not None else None

    def _object_model(self, view: tuple[str, str]) -> tuple[str, str] | None:
        """The model of the row a view's `self.get_object()` gives: the view's model, or the one
        a `get_object()` the view's project classes write says it returns (`-> Site`); an
        override that says nothing (a permission check around `super().get_object()`) gives
        the view's row."""
        views = self.knowledge.view_models
        for class_path, class_name in self.index.lineage(*view) if views is not None else ():
            outline = self.index.outline(class_path)
            for getter in views.object_getters & set(outline.classes[class_name].methods if outline else ()):
                own = self.index.function(class_path, f"{class_name}.{getter}")
                said = self._written_model(class_path, own.returns) if own is not None and own.returns else None
                if said is not None:
                    return said
        return self.view_model(view)

    def _own_rows_method(self, path: str, function: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`for s in queryset: s.rejudge()` in a method of a view (an admin action): the
        method of the view's model, whose rows the parameter holds (`rows_parameters`)."""
        fact = self.index.function(path, function)
        if fact is None or fact.class_name is None or not self._on_rows_parameter(fact, call):
            return None
        model = self.view_model((path, fact.class_name))
        method = call.target[1].partition(".[].")[2]
        return self.index.method(*model, method) if model is not None and "." not in method else None

    def _own_serializer_method(self, path: str, function: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`self.get_serializer(data=...).delete_all()` in a method of a DRF view (or `serializer =
        self.get_serializer(...)` first): the method of the view's `serializer_class`, when the
        project's serializer class defines it."""
        views = self.knowledge.view_models
        if views is None or not views.serializer_attribute:
            return None
        called = self._view_getter_call(path, function, call, views.serializer_getters)
        found = self._class_attribute((path, called[0]), views.serializer_attribute) if called else None
        fact = self.index.function(path, function)
        for decorator in fact.decorators if fact is not None else ():
            # `@action(detail=True, serializer_class=ReaderSerializer)`: the class for this action
            given = [arg.ref for arg in decorator.args if arg.keyword == views.serializer_attribute]
            if given:
                found = (path, given[0]) if given[0] is not None else None
        made = self.index.resolve(found[0], found[1]) if found is not None else None
        if called is None or made is None or made.kind != "project" or made.rest:
            return None
        save = views.serializer_save
        inserts = None
        if save is not None and called[1] == save[0] and not self.index.method(path, called[0], save[3]):
            # `serializer.save()`: as it was built (unless the view's `get_serializer_class()` may
            # give another class)
            inserts = self._serializer_inserts(fact, call) if fact is not None else None
        return self._serializer_class_method(made, called[1], inserts)

    def _serializer_class_method(
        self, made: Resolved, method: str, inserts: bool | None
    ) -> tuple[str, FunctionFact] | None:
        """The method of a project serializer class; for a `save()` the class leaves to DRF, its
        own `create()` when the serializer inserts its row (`inserts`), its own `update()` when
        it updates one, neither when that is not known."""
        found = self.index.method(made.path, made.dotted, method)
        save = self.knowledge.view_models.serializer_save if self.knowledge.view_models is not None else None
        if found is not None or save is None or method != save[0] or inserts is None:
            return found
        return self.index.method(made.path, made.dotted, save[1] if inserts else save[2])

    def _hook_serializer_method(self, path: str, function: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`serializer.save(...)` in a DRF view's `perform_create(self, serializer)` (or
        `perform_update`): the method of the view's `serializer_class`, when the project's class
        defines it; for a `save()` it leaves to DRF, its own `create()` (`update()` in
        `perform_update`). Not when the view writes `get_serializer_class()`, which may choose
        another class."""
        views = self.knowledge.view_models
        save = views.serializer_save if views is not None else None
        hooked = self._hook_serializer(path, function, call) if save is not None else None
        if save is None or hooked is None:
            return None
        fact, made, method = hooked
        if self.index.method(path, fact.class_name, save[3]) is not None:
            return None
        if self.index.derives_from_no_library(path, fact.class_name):
            return None  # a mixin's hook: the serializer is the class of the view that uses it
        # DRF's own save(): which of create() and update() runs needs the creating hook's name
        inserts = fact.name == save[4] if save[4] else None
        return self._serializer_class_method(made, method, inserts)

    def _fetched_model_method(self, path: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`Server.objects.get(pk=pk).block()`, `server.block()` with `server` so read: the
        model's own method, on the instance a query returned."""
        anchor, dotted = call.target or ("", "")
        instance, _, method = dotted.rpartition(".")
        orm = self.knowledge.orm
        getter = instance.rpartition(".")[2].removesuffix("()")
        if (
            orm is None
            or getter not in orm.instance_getters
            or not instance.endswith("()")
            or not method.isidentifier()
        ):
            return None  # only `....get()`, `....first()`: what `_written_model` reads as one instance
        model = self._written_model(path, (anchor, instance))
        return self.index.method(*model, method) if model is not None else None

    def _row_model(self, path: str, instance: Ref) -> tuple[str, str] | None:
        """The project model of a row a query fetched (`shelf` of `shelf.books`), or the model's
        class itself (`self` in its method: `self.attrs`)."""
        return self._written_model(path, instance) or self.index.named_model(path, "", instance)

    def _foreign_row_method(self, path: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`self.game.absorb(other)` in a method of `Suggestion`, with `game = ForeignKey(Game)`
        (or on a row a query got): the method of the model the foreign key names."""
        anchor, dotted = call.target or ("", "")
        holder, _, method = dotted.rpartition(".")
        owner_ref, _, column = holder.rpartition(".")
        if not method.isidentifier() or not column.isidentifier() or not owner_ref:
            return None
        owner = self._row_model(path, (anchor, owner_ref))
        if owner is None:
            return None
        # the outline first: a class attribute of the model made by a foreign key field, before
        # its module is read whole (a key a base model declares is not looked for)
        outline = self.index.outline(owner[0])
        held = outline.classes.get(owner[1]) if outline is not None else None
        field = dict(held.attributes).get(column) if held is not None else None
        if field is None or not field[1].endswith(_FOREIGN_KEY_CALLS):
            return None
        facts = self.index.module(owner[0])
        named = dict(facts.classes[owner[1]].foreign_keys).get(column) if facts is not None else None
        target = self.index.named_model(owner[0], owner[1], named) if named is not None else None
        return self.index.method(*target, method) if target is not None else None

    def _relation_row_method(self, path: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`check.rename_and_delete()` with `check` a row of `project.check_set.all()`: the method
        of the model beside the owner's whose foreign key to it has that manager."""
        anchor, dotted = call.target or ("", "")
        collection, marker, method = dotted.partition(f".{RELATION_ROWS}.")
        owner_ref, _, accessor = collection.rpartition(".")
        if not marker or not method.isidentifier() or not owner_ref:
            return None
        owner = self._row_model(path, (anchor, owner_ref))
        if owner is None:
            return None
        for child_path, child, _ in self._relations_to(owner, accessor, self._imported_class_modules(path)):
            found = self.index.method(child_path, child, method)
            if found is not None:
                return found
        return None

    def _imported_class_modules(self, path: str) -> list[str]:
        """The modules of the project classes a module imports by name (`from hc.api.models
        import Check` in `hc/accounts/views.py`): where a model of another app may be."""
        outline = self.index.outline(path)
        found = []
        for name, binding in outline.bindings.items() if outline is not None else ():
            if binding.kind == "import":
                resolved = self.index.resolve(path, ("@", name))
                held = self.index.outline(resolved.path) if resolved.kind == "project" and not resolved.rest else None
                if held is not None and resolved.dotted in held.classes:
                    found.append(resolved.path)
        return list(dict.fromkeys(found))

    def _a_model_class(self, path: str, ref: Ref, call: CallFact) -> bool:
        """Whether a name is a model class: a project class that derives from a class of an ORM
        (`orm.model_packages`: `class Item(peewee.Model)`), or such a library class itself. A
        method the project's class defines itself (a SQLAlchemy mixin's `create()`) is not the
        ORM's: it is followed as the project's."""
        orm = self.knowledge.orm
        resolved = self.index.resolve(path, ref)
        if orm is None or resolved.rest:
            return False
        if _method_written(call) in orm.relation_appends:
            return self._a_mapped_row(resolved)  # `shelf.books.append(BookShelf(...))`: the class appended
        if resolved.kind == "external":
            return resolved.dotted.split(".")[0] in orm.model_packages
        outline = self.index.outline(resolved.path) if resolved.kind == "project" else None
        if outline is None or resolved.dotted not in outline.classes:
            return False
        method = call.target[1].rpartition(".")[2] if call.target is not None else ""
        if method and self.index.method(resolved.path, resolved.dotted, method) is not None:
            return False
        bases = self.index.external_bases(resolved.path, resolved.dotted)
        return any(base.split(".")[0] in orm.model_packages for base in bases)

    def _a_mapped_row(self, resolved: Resolved) -> bool:
        """For a new instance appended to a collection (`relation_appends`): whether its class is
        one of the project's that keeps rows of a table: deriving from an ORM's class, also
        through a name bound to a call of one (`Base = declarative_base()`), with a key column in
        it or a project base (`id = Column(Integer, primary_key=True)`); not a library's object
        (`or_(...)`), nor a class that maps no table (SQLModel's `class HeroRead(SQLModel)`)."""
        orm = self.knowledge.orm
        outline = self.index.outline(resolved.path) if resolved.kind == "project" else None
        if orm is None or outline is None or resolved.dotted not in outline.classes:
            return False
        bases = self.index.external_bases(resolved.path, resolved.dotted) + self._made_bases(resolved)
        packages = {base.split(".")[0] for base in bases} & orm.model_packages
        if not packages:
            return False
        if packages - set(orm.schema_packages):
            return True  # a declarative class maps a table, whatever declares its key
        # SQLModel's classes are schemas but those with `table=True`, which declare a key column;
        # the key columns are in the full facts of the class's module (appends are rare: read whole)
        return any(
            (facts := self.index.module(class_path)) is not None and facts.classes[name].unique_keys
            for class_path, name in self.index.lineage(resolved.path, resolved.dotted)
        )

    def _made_bases(self, resolved: Resolved) -> list[str]:
        """The library calls that made the bases a project class derives from through a name
        (`Base = declarative_base()`, then `class Version(Base)`): `sqlalchemy.orm.declarative_base()`."""
        found = []
        for class_path, name in self.index.lineage(resolved.path, resolved.dotted):
            outline = self.index.outline(class_path)
            for base in outline.classes[name].bases if outline is not None else ():
                held = self.index.resolve(class_path, base)
                binding = held.binding if held.kind == "variable" else None
                if binding is not None and binding.kind == "instance" and binding.ref is not None:
                    made = self.index.resolve(held.path, binding.ref)
                    if made.kind == "external":
                        found.append(made.dotted)
        return found

    def _library_object(self, path: str, call: CallFact) -> bool:
        """Whether `obj.delete()`'s `obj` was made by a method of a library's object, of a library
        that is no ORM (`orm.model_packages`)."""
        orm = self.knowledge.orm
        if call.origin is None or orm is None:
            return False
        made = self.index.resolve(path, call.origin)
        returned = False
        if self.index.resolve(path, (call.origin[0], call.origin[1].split("(")[0])).kind == "project":
            # made by a project's name: an instance of a library's class a project function says
            # it returns (`handle = await get_handle(id)`, `async def get_handle(...) ->
            # ScheduleHandle`), not what else it leads to (a relation of a project model whose
            # base is a library's, `grant.payout` with `Grant(PolymorphicModel)`: a row)
            if made.kind != "project" or made.rest != "()":
                return False
            # what its annotation says, not what its body returns (`list(...)`, `copy.copy(row)`)
            function = self.index.resolve_function(path, (call.origin[0], call.origin[1].removesuffix("()")))
            returns = function[1].returns if function is not None and function[1].returns_annotated else None
            if returns is None or returns == RETURNS_OWN_CLASS:
                return False
            made, returned = self.index.resolve(function[0], returns), True
        # a method of a library's object (`S3Connection().get_bucket().list()`), not a function
        # of a module (`copy.copy(day)` returns the model it is given)
        if made.kind != "external" or "()." not in made.dotted and not (returned and made.dotted.endswith("()")):
            return False
        # a query of another app's model (`taggit.models.Tag.objects.filter()`) yields rows
        segments = made.dotted.replace("()", "").split(".")
        if any(segment in orm.query_properties for segment in segments):
            return False
        if returned and "models" in segments[:-1]:
            return False  # `-> PeriodicTask` of django_celery_beat.models: a library app's model, a row
        return segments[0] not in orm.model_packages | {"builtins"}

    def _of_a_plain_class(self, path: str, call: CallFact) -> bool:
        """Whether a call is a method of an instance of a project class that derives from no
        library class (no model: `client = ApiClient(); client.delete()`, or `self.save()` in a
        method of such a class)."""
        anchor, dotted = call.target or ("", "")
        instance, _, method = dotted.rpartition(".")
        made = self.index.resolve(path, (anchor, instance))
        if made.kind != "project" or not self.index.derives_from_no_library(made.path, made.dotted):
            return False
        # `self.save()` counts only where the class defines it: in a mixin of models that does
        # not, `self.save()` is the model's
        return made.rest == "()" or (made.rest == "" and self.index.method(made.path, made.dotted, method) is not None)

    def thread_class(self, path: str, qualname: str) -> str | None:
        """The method a project class runs when started, when it derives from a library class
        that runs one (`class Worker(threading.Thread)`: `run`, a thread spawn's
        `subclass_runs` in the packs); None for any other class."""
        bases = self.index.external_bases(path, qualname)
        for spawn in self.knowledge.thread_spawns:
            if spawn.subclass_runs and any(spawn.call.matches(base) for base in bases):
                return spawn.subclass_runs
        return None

    def _subclass_started(self, path: str, function: str, call: CallFact) -> Effect | None:
        """`Mailer().start()` where `class Mailer(Thread)`: a thread that runs `Mailer.run`."""
        if call.target is None:
            return None
        anchor, dotted = call.target
        instance, _, method = dotted.rpartition(".")
        spawns = [s for s in self.knowledge.thread_spawns if s.subclass_runs and s.subclass_start == method]
        if not spawns:
            return None
        made = self.index.resolve(path, (anchor, instance))
        # `Mailer(...).start()`, or `self.start()` in a method of the class (`__init__` starting it)
        if made.kind != "project" or made.rest not in ("()", ""):
            return None
        bases = self.index.external_bases(made.path, made.dotted)
        for spawn in spawns:
            base = next((b for b in bases if spawn.call.matches(b)), None)
            if base is None:
                continue
            runs = self.index.method(made.path, made.dotted, spawn.subclass_runs)
            target = (runs[0], runs[1].qualname) if runs is not None and spawn.private_worker else None
            detail = f"{made.dotted.rsplit('.', 1)[-1]}().start() (a {base})"
            return Effect("thread", path, function, call, detail, target=target)
        return None

    def _waited_for(self, path: str, function: str, spawn: CallFact, spawned: str, methods: frozenset[str]) -> bool:
        """Whether the function calls one of `methods` on what `spawned` made (`p.wait()` after
        `p = subprocess.Popen(...)`, or `subprocess.Popen(...).communicate()`)."""
        facts = self.index.function(path, function)
        waits = {f"{spawned}().{method}" for method in methods}
        return facts is not None and any(
            other.target is not None
            # `if wait: t.join()`: waited for only when the caller asks; unless the spawn is
            # under the same tests (`if name: p = Popen(...); p.wait()`)
            and set(other.guards) <= set(spawn.guards)
            # `thumb.wait()` waits for what `thumb` holds, not for `viewer = Popen(...)` beside it;
            # `proc` bound to a process in each arm of an `if` is waited for in either
            and (other.receiver is None or _same_local(facts.calls[other.receiver], spawn))
            and other.target[1].rsplit(".", 1)[-1] in methods
            and self.index.resolve(path, other.target).dotted in waits
            for other in facts.calls
        )

    def _receives(
        self, path: str, function: str, spawn: CallFact, methods: frozenset[str], thread: ThreadSpawn
    ) -> bool:
        """Whether the function takes from a work queue it made (`answer = queue.Queue()`, then
        `answer.get()`) with one of `methods`, blocking, under no test the spawn is not under and
        in no loop the spawn is not in, a queue the thread puts into (its target, or a lambda the
        function writes, calls `answer.put(...)`): it waits for what the thread answers there."""
        facts = self.index.function(path, function)
        work_queues = self.knowledge.work_queues
        if facts is None or work_queues is None:
            return False
        target = self._function_argument(path, spawn, thread.target)
        target_facts = self.index.function(*target) if target is not None else None
        # what the thread runs: its target's calls, or those of a lambda written in the spawn
        inside = [call for call in facts.calls if _within(call.span, spawn.span) and call is not spawn]
        putting = [*inside, *(target_facts.calls if target_facts is not None else ())]
        given = set(target_facts.params) if target_facts is not None else set()
        for other in facts.calls:
            if other.target is None or other.receiver is None or other.target[1].rsplit(".", 1)[-1] not in methods:
                continue
            built = facts.calls[other.receiver]  # the call that made the queue, in this function
            made = self.index.resolve(path, built.target) if built.target is not None else None
            if made is None or made.kind != "external" or not work_queues.classes.matches(made.dotted):
                continue
            if any(arg.keyword == "block" and arg.literal == "False" for arg in other.args):
                continue  # `answer.get(block=False)`: whatever is there now
            if not set(other.guards) <= set(spawn.guards) or (spawn.loop and other.loop != spawn.loop):
                continue  # under a test of its own, or one take for the threads a loop starts
            name = built.bound_to
            # the queue the thread closes over, or one given to its target (`args=(1, answer)`)
            refs = [ref for arg in spawn.args for ref in (arg.ref, *arg.refs) if ref is not None]
            passed = any(self.index.resolve(path, ref).dotted == f"{made.dotted}()" for ref in refs)
            names = ({name} if name else set()) | (given if passed else set())
            puts = tuple(f"{held}.{method}(" for held in names for method in work_queues.put_methods)
            if puts and any(call.text.startswith(puts) for call in putting):
                return True
        return False

    def _waits_for_result(
        self, chain: tuple[Hop, ...], caller: tuple[str, CallFact] | None, methods: frozenset[str]
    ) -> bool:
        """Whether the function that called this one calls one of `methods` on what the call
        returned: `p = open_process(cmd)` then `p.wait()` (or `open_process(cmd).communicate()`)."""
        if not chain or caller is None or caller[1].target is None:
            return False
        anchor, dotted = caller[1].target
        facts = self.index.function(chain[-1].path, chain[-1].caller)
        waits = {(anchor, f"{dotted}().{method}") for method in methods}
        guards = set(caller[1].guards)  # the same tests as the call: waited for whenever it runs
        return facts is not None and any(other.target in waits and set(other.guards) <= guards for other in facts.calls)

    def _piped(self, path: str, call: CallFact, pipes: frozenset[str]) -> bool:
        """`stdout=subprocess.PIPE` (or `PIPE` imported): one of a spawn's `keyword=name` pairs."""
        return any(
            arg.keyword is not None
            and arg.ref is not None
            and f"{arg.keyword}={self.index.resolve(path, arg.ref).dotted}" in pipes
            for arg in call.args
        )

    def _builds_a_stream(self, path: str, function: str, responses: NamePatterns) -> bool:
        """Whether the function builds a streaming response (`StreamingHttpResponse(chunks())`),
        returned as it is or through a helper that adds headers."""
        facts = self.index.function(path, function)
        return facts is not None and any(
            responses.matches(self.index.resolve(path, call.target).dotted)
            for call in facts.calls
            if call.target is not None
        )

    def _given_none(self, path: str, call: CallFact, spawn) -> bool:
        """Whether a spawn is given, as the function it runs, what a call of a project function
        returns that returns nothing (`Thread(target=self.refresh())`, with no `return` in
        `refresh`, undecorated, no generator): the call runs in the caller, and the thread
        runs nothing."""
        given = argument(call.args, spawn.target) if spawn.target else None
        if given is None or given.ref is None or not given.ref[1].endswith("()") or given.ref[1].count("(") != 1:
            return False
        called = self.index.resolve_function(path, (given.ref[0], given.ref[1].removesuffix("()")))
        if called is None:
            return False
        function = called[1]
        if function.name == "__init__" or function.decorators or function.generator or function.is_async:
            return False  # `spawn(ReplayBackend(...))`: a class called gives an instance, which may run
        if function.class_name is not None and not self._does_work(function):
            return False  # `raise NotImplementedError` or `pass`: a hook a subclass may give a callable
        return not any(mark.kind == "return" for mark in function.marks)

    def _does_work(self, function: FunctionFact) -> bool:
        """Whether a method does work of its own: it calls something, and not `NotImplementedError`
        (an abstract hook, which a subclass overrides)."""
        return bool(function.calls) and not any(
            call.target is not None and call.target[1].rpartition(".")[2] == "NotImplementedError"
            for call in function.calls
        )

    @staticmethod
    def _cleans_up(call: CallFact, spawn) -> bool:
        """Whether the function a spawn runs is named as a clean-up (`os.remove`, `path.unlink`),
        also through a lambda that only calls it."""
        given = argument(call.args, spawn.target)
        runs = (given.ref or given.runs) if given is not None else None  # `lambda: os.unlink(path)`
        name = runs[1].rpartition(".")[2] if runs is not None else ""
        return name in spawn.unless_target_named

    def _waits_for_all(self, path: str, function: str, call: CallFact, spawn) -> bool:
        """Whether the function waits for every task it starts: the future is given to one of the
        spawn's `unless_function_calls` (`concurrent.futures.wait(futures)`), or the call's
        receiver was built as a `with` statement's context (`with ThreadPoolExecutor() as pool:
        pool.map(...)`)."""
        facts = self.index.function(path, function)
        if facts is None:
            return False
        if spawn.unless_entered and call.receiver is not None and facts.calls[call.receiver].entered:
            return True
        # `futures = [pool.submit(...) for ...]`, then `wait(futures)`: a future given to the wait
        return bool(spawn.unless_function_calls) and call.future_waited

    def _runs_a_stand_in(self, path: str, function: str, call: CallFact) -> bool:
        """Whether the function holds the call, written nowhere, of what a spawn runs
        (`fetch(url)` of `pool.map(fetch, urls)`), which the request then makes."""
        facts = self.index.function(path, function)
        index = next((i for i, c in enumerate(facts.calls) if c is call), None) if facts is not None else None
        return index is not None and any(c.stand_in and c.argument_of == index for c in facts.calls)

    def _run_beside_start(self, path: str, function: str, call: CallFact) -> bool:
        """`thread.run()` in a function that also starts `thread` (`if block: thread.run()`,
        `else: thread.start()`): the code's own choice of where the thread's work runs (a
        blocking flag, a test setting). The thread it starts is the finding (WA102); its work
        is not also the request's."""
        if call.target is None:
            return False
        anchor, dotted = call.target
        instance, _, method = dotted.rpartition(".")
        starts = {
            (anchor, f"{instance}.{s.subclass_start}")
            for s in self.knowledge.thread_spawns
            if s.subclass_runs == method
        }
        facts = self.index.function(path, function) if instance and starts else None
        return facts is not None and any(
            other.target in starts and self._subclass_started(path, function, other) is not None
            for other in facts.calls
        )

    def _write_receivers(
        self, path: str, call: CallFact, model: tuple[str, str] | None = None
    ) -> tuple[tuple[str, str, str], ...]:
        """The receivers of the signals a model write sends: `obj.delete()` runs every
        `pre_delete` receiver of the model's class, and those of every sender. `model`: the
        model written, when the call's receiver does not say it (a relation's manager)."""
        if call.target is None:
            return ()
        anchor, dotted = call.target
        instance, _, method = dotted.rpartition(".")
        if model is None and instance:
            model = self._written_model(path, (anchor, instance))
        if model is None and instance:  # `Bug.objects.create(...)`: a row of the manager's model
            model = self._managed_model(path, (anchor, instance))
        registry = self._receivers_of(model)
        if registry is None:
            return ()
        inserts = self._inserts(call)
        if inserts is None and method in registry.signals.inserting_writes:
            inserts = True
        if inserts is None and model is not None:
            # `Media(...)` is a new row; `Media.objects.filter(...).first()` one read from the database
            inserts = self.index.resolve(path, (anchor, instance)).rest == "()"
        return _receiver_steps(registry.for_write(method, model), model, self._created(inserts), registry.signals)

    def _created(self, inserts: bool | None) -> Known:
        """What a post_save receiver's `created` is, as a known value, when the save says."""
        signals = self.knowledge.signals
        if signals is None or inserts is None:
            return NOTHING_KNOWN
        # a receiver's own `created` parameter, or `kwargs.get("created", False)` of its `**kwargs`
        return frozenset({(signals.created_parameter, inserts), (f"**{signals.created_parameter}", inserts)})

    def _inserts(self, call: CallFact) -> bool | None:
        """Whether a save inserts its row: False with `update_fields=`, else None (the code
        does not say)."""
        signals = self.knowledge.signals
        if signals is None or not signals.created_parameter:
            return None
        return False if any(arg.keyword in signals.updating_keywords for arg in call.args) else None

    def _of_a_project_class(self, path: str, ref: tuple[str, str]) -> Resolved | None:
        """What `ref` resolves to, when it starts at a project class (`Bug.objects`, `Bug()`)."""
        resolved = self.index.resolve(path, ref)
        facts = self.index.outline(resolved.path) if resolved.kind == "project" else None
        return resolved if facts is not None and resolved.dotted in facts.classes else None

    def _managed_model(self, path: str, manager: tuple[str, str]) -> tuple[str, str] | None:
        """The project model class of `Bug.objects`: the model whose manager makes the row."""
        resolved = self._of_a_project_class(path, manager)
        orm = self.knowledge.orm
        if resolved is None or orm is None or resolved.rest not in orm.query_properties:
            return None
        return (resolved.path, resolved.dotted)

    def _written_model(self, path: str, instance: tuple[str, str]) -> tuple[str, str] | None:
        """The project model class of `Location()`, `Location.objects.get(...)`, `cls.query.first()`;
        not of `Store.objects.get().coupon_set.get()`, a row of another model."""
        resolved = self._of_a_project_class(path, instance)
        if resolved is None:
            return None
        rest = resolved.rest
        orm = self.knowledge.orm
        if rest == "()":
            return (resolved.path, resolved.dotted)
        segments = rest.split(".")
        # every step between the manager and the getter a call on the query (`objects.filter(...)
        # .first()`): an attribute on the way (`objects.get().coupon_set.get()`) leaves the model
        chained = all(segment.endswith("()") for segment in segments[1:])
        if orm is not None and len(segments) > 1 and segments[0] in orm.query_properties and chained:
            if segments[-1].removesuffix("()") in orm.instance_getters:
                return (resolved.path, resolved.dotted)
        return None

    def _sent_signal(self, path: str, call: CallFact) -> tuple[tuple[str, str, str], ...] | None:
        """`trace_paths.send(Cable, instance=self)` on a project's own signal: its receivers."""
        registry = self.signals
        if registry is None or call.target is None:
            return None
        anchor, dotted = call.target
        signal, _, method = dotted.rpartition(".")
        if method not in registry.signals.send_methods or not signal:
            return None
        key = registry.signal_key(path, (anchor, signal))
        if key is None or not key[0]:
            return None
        sender = argument(call.args, (0, registry.signals.sender_keyword))
        model = registry.sender_key(path, sender.ref) if sender is not None else None
        known = model if model is not None and model[0] and model != UNKNOWN_SENDER else None
        return _receiver_steps(registry.for_send(key, known), known, NOTHING_KNOWN)

    def _function_argument(self, path: str, call: CallFact, spec, extra=frozenset()) -> tuple[str, str] | None:
        arg = argument(call.args, spec, extra)
        text = arg.text if arg is not None else None
        if arg is not None and arg.ref is not None and text is None:
            held = self.index.resolve_variable(path, arg.ref)  # `PURGE_JOB = "app.jobs.purge"`
            binding = held.binding if held is not None else None
            text = binding.value if binding is not None and binding.kind == "string" else None
        if text is not None and "." in text:
            # `async_task("photos.jobs.retag_all")`, `enqueue("jobs.cleanup.run")`: its dotted name
            found = self.index.resolve_function(path, ("", text))
            return (found[0], found[1].qualname) if found is not None else None
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

    def _forwarded(self, path: str, function: FunctionFact) -> frozenset[str]:
        """The parameters a function enqueues (`queue.enqueue(func)`, `func.delay()`, Django-Q's
        `async_task(func)`): a caller that names a project function for one of them tells what
        the function enqueues."""
        key = (path, function.qualname)
        if key in self._forwarding:
            return self._forwarding[key]
        found = set()
        for call in function.calls:
            if call.parameter_method is not None and self._delays(call.parameter_method):
                found.add(call.parameter_method.partition(".")[0])
            elif self.knowledge.is_enqueue_method(call.target) or self._enqueue_function_call(path, call):
                found |= {arg.parameter for arg in call.args if arg.parameter}
        self._forwarding[key] = frozenset(found)
        return self._forwarding[key]

    def _enqueue_function_call(self, path: str, call: CallFact) -> bool:
        """`async_task(func, ...)`: a queue kind's enqueue call by its library name."""
        if call.target is None or not any(arg.parameter for arg in call.args):
            return False
        return self.knowledge.enqueue_kind(self.index.resolve(path, call.target).dotted) is not None

    def _delays(self, parameter_method: str) -> bool:
        """`func.delay(...)`, `func.apply_async(...)`: the enqueue method of a job or a task."""
        return self.knowledge.is_delay_method(parameter_method.rpartition(".")[2])

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

    def _built_few(self, path: str, function: FunctionFact, call: CallFact, known: Known) -> bool:
        """`bulk_create(make_rows(paths))` with `paths` given a few items: whether `make_rows`
        returns at most as many items as it is given (`returns_few_of`)."""
        index = next((i for i, c in enumerate(function.calls) if c.span == call.span), None)
        inner = next((c for c in function.calls if index is not None and c.argument_of == index), None)
        callee = self.index.resolve_function(path, inner.target) if inner is not None and inner.target else None
        if inner is None or callee is None or callee[1].returns_few_of is None:
            return False
        if callee[1].returns_few_of == WRITTEN_OUT:
            return True
        given = self._arguments_known(path, inner, (callee[0], callee[1].qualname), known)
        return (callee[1].returns_few_of, FEW) in given

    def _few_rows(
        self, path: str, function: FunctionFact, call: CallFact, step: _Step, few: set[str], known: Known
    ) -> tuple[CallFact, _Step]:
        """`filter(key__in=names).update(...)` given a few `names`: a few rows of a unique `key`;
        `bulk_create(rows)` given a few `rows` (or a comprehension over them): a few rows."""
        if call.in_parameter is None or call.in_parameter[1] not in few:
            return call, step
        if step.effect is None or step.effect.kind != "bulk-db":
            return call, step
        keyword = call.in_parameter[0]
        if keyword == "()" and not self._built_few(path, function, call, known):
            return call, step
        if keyword in ("", "()"):
            effect = replace(step.effect, kind="row-write", detail=f"{_method(call)}() of a few rows given")
            return call, replace(step, effect=effect)
        listed = tuple(keyword.removesuffix("__in") if c == keyword else c for c in call.equality_columns)
        if not self._pins_unique_key(path, replace(call, equality_columns=listed)):
            return call, step
        effect = replace(step.effect, kind="row-write", detail="write of a few rows by a unique key")
        return call, replace(step, effect=effect)

    def _spread_rows(
        self, path: str, call: CallFact, step: _Step, keywords: dict[str, frozenset[str]]
    ) -> tuple[CallFact, _Step]:
        """`cls.objects.filter(**kwargs).delete()` given `user=` and `doc=` (the keys the function
        takes out left aside): one row when they, with the filter's other columns, pin a unique
        key of the model."""
        if call.spread_parameter is None or step.effect is None or step.effect.kind != "bulk-db":
            return call, step
        parameter, taken = call.spread_parameter
        given = keywords.get(parameter)
        if given is None:
            return call, step
        columns = (*call.equality_columns, *sorted(given - set(taken)))
        if not self._pins_unique_key(path, replace(call, equality_columns=columns)):
            return call, step
        return call, replace(
            step, effect=replace(step.effect, kind="row-write", detail="write of one row by a unique key")
        )

    def _pins_unique_key(self, path: str, call: CallFact, declared_only: bool = False) -> bool:
        """Whether a write's equality filters cover a unique key of its model (a relationship
        `user` stands for its column `user_id`, and Django's `user_id=` / `user__pk=` for `user`).
        With a `**key` spread bound to dicts in branches, each of them must pin one.
        `declared_only`: a key the model declares, not the link-model convention (`_link_key`)."""
        if call.equality_alternatives:
            return all(
                self._pins_unique_key(
                    path,
                    replace(call, equality_columns=(*call.equality_columns, *keys), equality_alternatives=()),
                    declared_only,
                )
                for keys in call.equality_alternatives
            )
        # `key__in=keys` of a parameter pins no row as it is (`_few_rows` reads it for a few keys):
        # without other columns there is nothing to look for, and no model module to read
        if not any(not column.endswith("__in") for column in call.equality_columns) or call.model is None:
            return False
        if call.model[1].startswith(UNKNOWN_OWNER):
            return self._pins_through_any_relation(call, call.model[1].removeprefix(UNKNOWN_OWNER))
        model = self.index.resolve(path, call.model)
        if model.kind == "project" and model.rest:
            return self._pins_through_relation(path, call)
        if model.rest or model.kind not in ("project", "external"):
            return False
        pinned = set(call.equality_columns) | {f"{column}_id" for column in call.equality_columns}
        pinned |= {_column_named(column) for column in call.equality_columns}
        if model.kind == "external":  # a library's model (DRF's Token): its keys are data
            return any(set(key) <= pinned for key in self._library_keys(model.dotted))
        lineage = list(self.index.lineage(model.path, model.dotted))
        for class_path, name in lineage:  # a composite attribute pins its columns
            facts = self.index.module(class_path)
            for attribute, columns in facts.classes[name].composites if facts is not None else ():
                if attribute in call.equality_columns:
                    pinned |= set(columns)
        for column in call.equality_columns:  # `workspace__slug=`: a unique column of the model it names
            relation, _, through = column.partition("__")
            if through and "__" not in through and self._unique_through(lineage, relation, through):
                pinned.add(relation)
        # a partial unique index's `?column`s: the filter asserts their state too (`deleted_at.is_(None)`)
        pinned |= {f"?{column}" for column in call.tested_columns}
        for class_path, name in lineage:
            facts = self.index.module(class_path)
            keys = facts.classes[name].unique_keys if facts is not None else ()
            if any(set(key) <= pinned for key in keys):
                return True
        # a name of the primary key the model does not declare as a column of its own: the key the
        # ORM gives it (Django's `pk`, and `id` when no field says primary_key=True), whatever
        # library class it derives from
        orm = self.knowledge.orm
        declared = {name for path_, name_ in lineage for name in self._class_attribute_names(path_, name_)}
        if orm is not None and any(key in pinned and key not in declared for key in orm.primary_keys):
            return True
        link = None if declared_only else self._link_key(lineage)
        return link is not None and set(link) <= pinned

    def _class_attribute_names(self, path: str, name: str) -> set[str]:
        facts = self.index.module(path)
        found = facts.classes.get(name) if facts is not None else None
        return {attribute for attribute, _ in found.attributes} if found is not None else set()

    def _pins_through_relation(self, path: str, call: CallFact) -> bool:
        """`self.attrs.filter(name=n).delete()` in a method of `Ticket`, with `ticket =
        ForeignKey(Ticket, related_name="attrs")` on `TicketAttr`: the relation's foreign key
        is pinned too. The model is looked for beside the owner's (its module, and the other
        models modules of its folder); a relation of a library model (`request.user.prefs`)
        or of an object of unknown class is not."""
        assert call.model is not None
        anchor, dotted = call.model
        owner_ref, _, accessor = dotted.rpartition(".")
        owner = self._row_model(path, (anchor, owner_ref))
        if owner is None:  # `request.user.seats`: a library model's
            return self._pins_through_any_relation(call, accessor)
        for child_path, child, column in self._relations_to(owner, accessor):
            columns = (*call.equality_columns, column)
            if self._pins_unique_key(child_path, replace(call, model=("@", child), equality_columns=columns)):
                return True
        # `item.tags.filter(value=v)` with `tags = GenericRelation(Tag)`: Tag's content type and
        # object id columns are pinned to the item
        for class_path, class_name in self.index.lineage(*owner):
            facts = self.index.module(class_path)
            found = facts.classes.get(class_name) if facts is not None else None
            for name, target, pointing in found.generic_relations if found is not None else ():
                child = self.index.named_model(class_path, class_name, target) if name == accessor else None
                if child is not None:
                    columns = (*call.equality_columns, *pointing)
                    if self._pins_unique_key(child[0], replace(call, model=("@", child[1]), equality_columns=columns)):
                        return True
        return False

    def _relation_created(self, path: str, call: CallFact) -> tuple[str, str] | None:
        """The related model whose row `board.cards.create(...)` writes (`get_or_create()`
        and friends too): `board` a row of a project model (a query's, or `self` in its
        method) and `cards` the manager of a foreign key to it, `related_name` or `card_set`."""
        orm = self.knowledge.orm
        if orm is None or call.target is None:
            return None
        anchor, dotted = call.target
        owner_ref, _, method = dotted.rpartition(".")
        owner_ref, _, accessor = owner_ref.rpartition(".")
        if method not in orm.row_query_methods or not owner_ref or accessor in orm.query_properties:
            return None
        owner = self._row_model(path, (anchor, owner_ref))
        if owner is None:
            return None
        # beside the owner's module and in the modules this one imports; else in another app:
        # every models module of the project
        children = {
            (child_path, child)
            for child_path, child, _ in self._relations_to(owner, accessor, self._imported_class_modules(path))
        }
        if not children:
            related = self._relations_to(owner, accessor, self.index.models_modules())
            children = {(child_path, child) for child_path, child, _ in related}
        return children.pop() if len(children) == 1 else None

    def _pins_through_any_relation(self, call: CallFact, accessor: str) -> bool:
        """`user.seats.filter(team=t).update(...)` on an object of unknown class (a parameter,
        `request.user`): the models of the project whose foreign key has the manager `seats`.
        A filter on the relation's own foreign key would be redundant, so the manager is a
        foreign key the filter does not name (`Seat.user` when `Seat.team` has the same
        related_name): one row when every such reading pins a unique key."""
        # (a guess of which foreign key it is: the keys the model declares settle it, not the
        # link-model convention on top of it)
        found = self._relations_named(accessor)
        if found is None:
            return False  # a many-to-many's manager, or a generic relation's not resolved, may be it
        named = {_column_named(column) for column in call.equality_columns}
        readings: list[tuple[str, str, tuple[str, ...]]] = [
            (child_path, child, (column,)) for child_path, child, column in found if column not in named
        ]
        if found and not readings:  # the filter names each foreign key: it pins what it pins
            readings = [(child_path, child, ()) for child_path, child, _ in found]
        # `resource.memberships` with `memberships = GenericRelation(Membership)`: Membership's
        # content type and object id are pinned to the resource
        readings += self._generic_by_manager.get(accessor, [])
        return bool(readings) and all(
            self._pins_unique_key(
                child_path,
                replace(call, model=("@", child), equality_columns=(*call.equality_columns, *columns)),
                declared_only=True,
            )
            for child_path, child, columns in readings
        )

    def _relations_named(self, accessor: str) -> list[tuple[str, str, str]] | None:
        """(path, class, foreign key) of the project's models whose foreign key has the manager
        `accessor`, to whatever model it points; None when a many-to-many field (either side)
        or a generic relation whose model is not resolved has that manager too (remembered).
        The generic relations resolved are kept in `_generic_by_manager`."""
        if self._relations_by_manager is None:
            self._relations_by_manager = {}
            others: set[str] = set()
            for module_path in self.index.models_modules():
                facts = self.index.module(module_path)
                for name, model in facts.classes.items() if facts is not None else ():
                    for column, _, manager in _foreign_key_managers(name, model):
                        self._relations_by_manager.setdefault(manager, []).append((module_path, name, column))
                    columns = {column for column, _ in model.foreign_keys}
                    for field, manager in model.related_names:
                        if field not in columns:  # a many-to-many: `board.tags` and `tag.boards`
                            others |= {field, manager or _default_manager(name)}
                    for relation, target, pointing in model.generic_relations:
                        child = self.index.named_model(module_path, name, target)
                        if child is None:
                            others.add(relation)
                        else:
                            self._generic_by_manager.setdefault(relation, []).append((*child, pointing))
            self._other_managers = frozenset(others)
        if accessor in self._other_managers:
            return None
        return self._relations_by_manager.get(accessor, [])

    def _relations_to(
        self, owner: tuple[str, str], accessor: str, elsewhere: list[str] | None = None
    ) -> Iterator[tuple[str, str, str]]:
        """(path, class, foreign key) of the models beside `owner` (and in the modules
        `elsewhere`) whose foreign key to it has the manager `accessor`: its `related_name`, or
        Django's default `<model>_set`."""
        for module_path in dict.fromkeys([*self.index.models_beside(owner[0]), *(elsewhere or ())]):
            facts = self.index.module(module_path)
            for name, model in facts.classes.items() if facts is not None else ():
                for column, target, manager in _foreign_key_managers(name, model):
                    if manager == accessor and self.index.named_model(module_path, name, target) == owner:
                        yield module_path, name, column

    def _link_key(self, lineage: list[tuple[str, str]]) -> tuple[str, ...] | None:
        """The two foreign keys of a link model, a row per pair by convention (a many-to-many
        `through` model, redash's `DataSourceGroup`) even without a unique key: a model whose
        columns, its bases' included, are two foreign keys, a primary key and at most two others
        (not a base model's `workspace` and `project` under a model of its own columns). Not
        one that declares a unique key of both and more columns (`(round, content_type,
        object_id)`): a pair has many rows there."""
        foreign: list[str] = []
        others = 0
        keys: list[tuple[str, ...]] = []
        for class_path, name in lineage:
            facts = self.index.module(class_path)
            if facts is None:
                return None
            model = facts.classes[name]
            foreign += model.foreign_columns
            others += model.other_columns
            keys += model.unique_keys
        if len(foreign) != 2 or others > _OTHER_COLUMNS_OF_A_LINK:
            return None
        pair = {_column_named(column) for column in foreign}
        if any({_column_named(column) for column in key} > pair for key in keys):
            return None
        return tuple(foreign)

    def _unique_through(self, lineage: list[tuple[str, str]], relation: str, column: str) -> bool:
        """Whether `relation__column=` pins one row of the model a foreign key names: `column`
        is a unique key of it on its own (`workspace__slug=` with `Workspace.slug` unique)."""
        for class_path, name in lineage:
            facts = self.index.module(class_path)
            named = dict(facts.classes[name].foreign_keys).get(relation) if facts is not None else None
            if named is None:
                continue
            target = self.index.named_model(class_path, name, named)
            if target is None:  # a library's model: Django's User, by any of its names
                return any(key == {column} for key in self._library_keys(self._library_model(class_path, named)))
            for target_path, target_name in self.index.lineage(*target):
                held = self.index.module(target_path)
                if held is not None and (column,) in held.classes[target_name].unique_keys:
                    return True
            return False
        return False

    def _library_model(self, path: str, named: tuple[str, str]) -> str:
        """The library model a foreign key names: the model `orm.library_model_names` gives
        its name (`settings.AUTH_USER_MODEL`, "auth.User"), else the name it resolves to."""
        orm = self.knowledge.orm
        spelled = named[1] if named[0] == STRING_ANCHOR else self.index.resolve(path, named).dotted
        aliases = dict(entry.split("=", 1) for entry in orm.library_model_names) if orm is not None else {}
        return aliases.get(spelled, spelled)

    def _library_keys(self, model: str) -> list[set[str]]:
        """The unique keys the packs give a library model (`orm.library_unique_keys`)."""
        orm = self.knowledge.orm
        entries = orm.library_unique_keys if orm is not None else ()
        return [
            set(columns.split(",")) for entry in entries for name, _, columns in [entry.partition(":")] if name == model
        ]

    def declares_task(self, path: str, qualname: str) -> bool:
        """Whether a function is a job by its decorator: a task system's (`@shared_task`, also
        through a project factory that returns it) or a job decorator's (RQ's `@job`)."""
        function = self.index.function(path, qualname)
        for decorator in function.decorators if function is not None else ():
            name = self.index.library_decorator(path, decorator)
            if any(system.task_decorators.matches(name) for system in self.knowledge.task_systems):
                return True
            if any(spec.call.matches(name) for spec in self.knowledge.job_decorators):
                return True
        return False

    def _is_task_call(self, resolved: Resolved, run: bool = False) -> bool:
        """`send_report.delay(...)` on a Celery task, `.send(...)` on a Dramatiq actor,
        `refresh(...)` on a Huey task; with `run`, `refresh.call_local(...)`, which runs it here."""
        systems = [
            s
            for s in self.knowledge.task_systems
            if (resolved.rest in s.run_methods if run else s.sends(resolved.rest))
        ]
        if systems and not resolved.rest and not self.index.may_be_decorated(resolved.path, resolved.dotted):
            return False  # a plain call (Huey's send) of a function without a decorator
        function = self.index.function(resolved.path, resolved.dotted) if systems else None
        if function is None:
            return False
        return any(
            system.task_decorators.matches(self.index.library_decorator(resolved.path, d))
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
            return self._held_queue(path, anchor, receiver)
        if self._a_work_queue(self.index.instance_type(variable), ""):
            return (variable.path, variable.dotted)
        return None

    def _a_work_queue(self, made: Resolved, suffix: str) -> bool:
        """Whether `made` (with `suffix` after the class: "" or "()") is a work queue class, or a
        project subclass of one (`class JobQueue(queue.Queue)`)."""
        work_queues = self.knowledge.work_queues
        if work_queues is None:
            return False
        if made.kind == "external":
            return work_queues.classes.matches(made.dotted.removesuffix(suffix) if suffix else made.dotted)
        if made.kind == "project" and made.rest == suffix:
            return any(work_queues.classes.matches(base) for base in self.index.external_bases(made.path, made.dotted))
        return False

    def _held_queue(self, path: str, anchor: str, receiver: str) -> tuple[str, str] | None:
        """`self.queue.put(...)` in a method of `Worker`, or `Worker.get_instance().queue.put(...)`,
        whose `__init__` keeps `self.queue = queue.Queue()` (or a project subclass of it): the
        queue is the attribute of every `Worker`, named `Worker.queue`, in the class's module."""
        owner, _, attribute = receiver.rpartition(".")
        if not owner or not attribute.isidentifier():
            return None
        holder = self.index.resolve(path, (anchor, owner))
        if holder.kind != "project":
            return None
        method = holder.rest.removesuffix("()")
        single = False  # one holder per process: a thread's own, or what a singleton getter keeps
        if method and holder.rest.endswith("()") and method.isidentifier():
            # `Worker.get_instance()`: what the class's own getter returns
            getter = self.index.function(holder.path, f"{holder.dotted}.{method}")
            returned = getter.returns if getter is not None else None
            if returned is None or returned[0] != "@" or not returned[1].endswith("()"):
                return None
            holder = self.index.resolve(holder.path, returned)
            if holder.kind != "project" or holder.rest != "()":
                return None
            single = getter.once_made
        elif holder.rest not in ("", "()"):
            return None
        if not (single or self.thread_class(holder.path, holder.dotted) is not None):
            return None  # `self.pending.append(x)` of an object a request may build for itself
        held = self.index.resolve(holder.path, ("@", f"{holder.dotted}().{attribute}"))
        return (holder.path, f"{holder.dotted}.{attribute}") if self._a_work_queue(held, "()") else None

    def steps(
        self,
        path: str,
        qualname: str,
        view: tuple[str, str] | None = None,
        instance: tuple[str, str] | None = None,
        known: Known = NOTHING_KNOWN,
    ) -> list[tuple[CallFact, _Step]]:
        """Each call of a function, classified; `view`: the view class whose instance runs it,
        when the function is a method of that class or of one of its bases; `instance`: the
        model of the `instance` a signal receiver is given; `known`: what the caller gives some
        parameters: a truth (`with_events=False`, a receiver's `created`), so that a call under
        an `if` that needs the other value runs nothing, or a project function, which a call
        of that parameter (`publisher(item_id)`) runs."""
        function = self.index.function(path, qualname)
        if function is None:
            return []
        if view is not None and not self._in_lineage(path, function.class_name, view):
            view = None
        signals = self.knowledge.signals
        parameter = signals.instance_parameter if signals is not None else ""
        if instance is not None and parameter not in function.params:
            instance = None
        if known:
            tested = {guard for call in function.calls for guard in call.guards}
            called = {call.parameter for call in function.calls if call.parameter} | self._forwarded(path, function)
            # parameters whose few items matter: a loop over one, or a write's `key__in=` one
            counted = {name for _, _, name in function.parameter_loops}
            counted |= {call.in_parameter[1] for call in function.calls if call.in_parameter}
            spread = _spread_parameters(function)
            # a loop over a parameter given nothing (`None`, `[]`) runs no round of its own
            known = frozenset(
                (name, value)
                for name, value in known
                if (
                    name.parameter in spread
                    if type(name) is GivenKeywords
                    else name in counted
                    if value == FEW
                    else name in called
                    if isinstance(value, (tuple, SentTask, GivenClass))
                    else (name, not value) in tested
                    or (value is False and name in counted and name not in function.refilled)
                    or (name == NEW_ROW and function.class_name is not None)
                    or name in _own_attributes_tested(function)
                )
            )
        key = (path, qualname, view, instance, known)
        made = self._steps.get(key)
        if made is None:  # kept with the calls they classify: a function's facts are those of its first read
            if known:  # a call under an `if` that needs the other value runs nothing
                left_out = {(name, not value) for name, value in known if isinstance(value, bool)}
                left_out |= _own_attribute_tests_left_out(function, known)
                functions = {name: value for name, value in known if isinstance(value, tuple)}
                sends = {name: value for name, value in known if isinstance(value, SentTask)}
                classes = {name: value for name, value in known if isinstance(value, GivenClass)}
                made = [
                    (call, self._given_step(path, qualname, function, call, step, left_out, functions, sends, classes))
                    for call, step in self.steps(path, qualname, view, instance)
                ]
                keywords = {name.parameter: value for name, value in known if type(name) is GivenKeywords}
                if keywords:  # `Grant.put(user=u, doc=d)` to `filter(**kwargs).delete()`: what it pins
                    made = [self._spread_rows(path, call, step, keywords) for call, step in made]
                few = {
                    name for name, value in known if value == FEW or (value is False and name not in function.refilled)
                }
                if few:  # `for note in notes` given `[note]`: a few fixed rounds of the loop around it
                    around = {loop: outer for loop, outer, name in function.parameter_loops if name in few}
                    made = [
                        self._few_rows(path, function, *_settled(call, step, around), few, known) for call, step in made
                    ]
            elif view is None and instance is None:
                classified = [(call, self._classify(path, qualname, call)) for call in function.calls]
                made = self._decorators(path, function) + _outside_background(classified)
                # `for order in orders_by_ids([order_id])`: a few fixed rounds of the loop around it
                around = self._few_call_loops(path, function)
                if around:
                    made = [_settled(call, step, around) for call, step in made]
            else:
                made = [
                    (
                        call,
                        self._classify_in_view(path, function, call, step, view)
                        if view is not None and self._on_self(function, call)
                        else self._classify_on_rows(function, call, step, view)
                        if view is not None and self._on_rows_parameter(function, call)
                        else self._classify_on_instance(call, step, instance)
                        if instance is not None and _on_parameter(call, parameter)
                        else step,
                    )
                    for call, step in self.steps(path, qualname)
                ]
            self._steps[key] = made
        return made

    def _runs_a_coroutine(self, path: str, call: CallFact) -> bool:
        """`asyncio.run(coro)`, `loop.run_until_complete(coro)`: it returns what the coroutine does."""
        resolved = self.index.resolve(path, call.target) if call.target is not None else None
        return (
            resolved is not None
            and resolved.kind == "external"
            and self.knowledge.coroutine_runners.matches(resolved.dotted)
        )

    def _few_call_loops(self, path: str, function: FunctionFact) -> dict[int, int]:
        """The loops over what a call returns that run a few fixed rounds: the project function
        called (also through `asyncio.run(...)`) returns at most as many items as a parameter
        (`returns_few_of`), which the call gives a few items written out
        (`orders_by_ids([order_id])`), or a few items written out; the comprehensions of
        coroutines a helper gathers at once; and the loops over a query that pins a unique key
        of its model (`query_loops`). {loop: the loop around it}."""
        around = {}
        for loop, outer, index in function.call_loops:
            call = function.calls[index]
            if call.target is not None and self._runs_a_coroutine(path, call):
                # `asyncio.run(handle(message))`: what `handle` returns
                call = next((c for c in function.calls if c.argument_of == index), call)
            callee = self.index.resolve_function(path, call.target) if call.target is not None else None
            parameter = callee[1].returns_few_of if callee is not None else None
            if parameter is None:
                continue
            if parameter == WRITTEN_OUT:  # `for item in _config_items():` of a list written out
                around[loop] = outer
                continue
            given = self._arguments_known(path, call, (callee[0], callee[1].qualname))
            if (parameter, FEW) in given:
                around[loop] = outer
        # `await gather_limited(10, *[fetch(u) for u in urls])`, with `gather_limited` awaiting
        # `asyncio.gather(*coros)` of its own `*coros`: the calls are made together
        for loop, outer, index in function.gathered_loops:
            call = function.calls[index]
            callee = self.index.resolve_function(path, call.target) if call.target is not None else None
            if callee is not None and callee[1].gathers_varargs:
                around[loop] = outer
        # `for key, value in params.model_dump().items():` with `params: GitSettings`: one round
        # per field the schema declares
        for loop, outer, schema in function.schema_loops:
            if self._declared_schema(path, schema):
                around[loop] = outer
        # `for dev in Device.objects.filter(uuid=u):` with `uuid` unique: one round
        for loop, outer, index, columns, model in function.query_loops:
            if self._pins_unique_key(path, replace(function.calls[index], equality_columns=columns, model=model)):
                around[loop] = outer
        return around

    def _declared_schema(self, path: str, schema: Ref) -> bool:
        """Whether a class is a schema whose dump holds the fields it declares: a library's
        schema class (`pydantic.BaseModel`), or a project class deriving from one, from no open
        schema class (`RootModel`, which holds what the client sends), and allowing no extra
        fields, itself or its project bases (`schema_dumps` in rules/)."""
        knowledge = self.knowledge
        made = self.index.resolve(path, schema)
        if made.kind == "external":
            return knowledge.schema_classes.matches(made.dotted) and not knowledge.open_schema_classes.matches(
                made.dotted
            )
        if made.kind != "project" or made.rest:
            return False
        bases = self.index.external_bases(made.path, made.dotted)
        if not any(knowledge.schema_classes.matches(base) for base in bases):
            return False
        if any(knowledge.open_schema_classes.matches(base) for base in bases):
            return False
        for class_path, name in self.index.lineage(made.path, made.dotted):
            facts = self.index.module(class_path)
            found = facts.classes.get(name) if facts is not None else None
            if found is None or found.allows_extra:
                return False
        return True

    @staticmethod
    def _on_self(function: FunctionFact, call: CallFact) -> bool:
        """`self.x(...)`, `self.get_object().delete()`: a call that depends on the class of `self`."""
        if call.target is None or function.class_name is None:
            return False
        if _calls_super(call):
            return False  # the bases' method, whatever the view: not `self.x`
        if call.text.startswith(function.class_name.rpartition(".")[2] + "."):
            return False  # `BaseService.create_column(self, ...)`: the class named, its own method
        anchor, dotted = call.target
        return anchor == "@" and (dotted == function.class_name or dotted.startswith(function.class_name + "."))

    def _in_lineage(self, path: str, class_name: str | None, view: tuple[str, str]) -> bool:
        """Whether `class_name` of `path` is the view's class or one of its bases."""
        return (path, class_name or "") in self.index.lineage(*view)

    # -- a method read for one view ------------------------------------------

    def _classify_in_view(
        self, path: str, function: FunctionFact, call: CallFact, step: _Step, view: tuple[str, str]
    ) -> _Step:
        """`self.x` is the view's: `self.get_object()` an instance of its model, `self.form` its
        form class, `self.helper()` the helper the view's class resolves to. `step` is the
        call's classification without the view."""
        class_name = function.class_name or ""
        _, dotted = call.target or ("", "")
        view_path, view_name = view
        rebound = ("@", view_name + dotted[len(class_name) :])
        collection, element, rest = rebound[1].partition(".[].")
        if element:  # `for obj in self.queryset.filter(...)`: obj is an instance of the view's model
            views = self.knowledge.view_models
            model = self.view_model(view) if views is not None else None
            if model is None or collection.removeprefix(view_name + ".") not in views.model_attributes:
                return step
            return self._on_instance(call, step, model, rest)
        if call.shape == "row" and step.effect is not None:
            instance, _, method = rebound[1].rpartition(".")
            hooks = self.knowledge.view_models.row_hooks if self.knowledge.view_models is not None else {}
            if instance == view_name and method in hooks:
                # self.perform_destroy(obj): a delete of the view's model
                model, method = self.view_model(view), hooks[method]
            else:
                model = self._view_instance_model(view_path, instance, view)
            if model is None:
                return step
            inserts = self._serializer_inserts(function, call)
            written = self._model_write(step, model, method, inserts)
            if inserts is None or self.index.method(*model, method) is None:
                return written
            # the model's own `save`, told whether its row is new (`if not self.pk:`): what the
            # serializer's `save()` is given goes to its fields, not to the model's `save`
            return replace(written, callee_known=frozenset({(NEW_ROW, inserts)}))
        instance, _, called = rebound[1].rpartition(".")
        views = self.knowledge.view_models
        if views is not None and instance.removeprefix(f"{view_name}.").removesuffix("()") in views.object_getters:
            # `obj = self.get_object(); obj.release(user)`: the method of the view's model
            model = self.view_model(view)
            if model is not None and self.index.method(*model, called) is not None:
                return self._on_instance(call, step, model, called)
        method = rebound[1][len(view_name) + 1 :].split(".")[0].removesuffix("()")
        if not self._overridden(view, path, function, method):
            return step  # the view's class and the function's resolve `self.method` alike
        return self._calling(step, view_path, rebound)

    def _on_rows_parameter(self, function: FunctionFact, call: CallFact) -> bool:
        """`row.rejudge()` with `for row in queryset.order_by("id")`, `queryset` a parameter
        that holds rows of the view's model (`rows_parameters`): an admin action's selected rows."""
        views = self.knowledge.view_models
        if views is None or call.target is None or call.target[0] != "$":
            return False
        collection, element, _ = call.target[1].partition(".[].")
        given = function.params[1:]  # after `self`; Django passes them by position (`_request`, `req`)
        return bool(element) and any(
            run[-1] == collection and len(given) >= len(run) and given[len(run) - 1] == collection
            for run in views.rows_parameters
        )

    def _classify_on_rows(self, function: FunctionFact, call: CallFact, step: _Step, view: tuple[str, str]) -> _Step:
        """A call on a row of the view's model (`_on_rows_parameter`): its write or its method."""
        model = self.view_model(view)
        if model is None:
            return step
        return self._on_instance(call, step, model, call.target[1].partition(".[].")[2])

    def _calling(self, step: _Step, path: str, ref: tuple[str, str]) -> _Step:
        """The step, calling the project function `ref` names in `path` when it names one."""
        target = self.index.resolve_function(path, ref)
        return replace(step, callee=(target[0], target[1].qualname)) if target is not None else step

    def calls_on_view_objects(self, path: str, qualname: str) -> bool:
        """Whether a function calls a method of an element of its view's queryset
        (`for obj in self.queryset...: obj.sync()`), or of the view's object (`obj =
        self.get_object(); obj.release(user)`), which each view's model decides."""
        function = self.index.function(path, qualname)
        views = self.knowledge.view_models
        getters = tuple(f".{getter}()." for getter in views.object_getters) if views is not None else ()
        return function is not None and any(
            c.target and (".[]." in c.target[1] or any(g in c.target[1] for g in getters)) for c in function.calls
        )

    def _serializer_inserts(self, function: FunctionFact, call: CallFact) -> bool | None:
        """`serializer.save()` with `serializer = self.get_serializer(data=...)`: DRF's save
        creates the row (True); given an instance (`get_serializer(obj, data=...)`) it
        updates it (False); None when the serializer is not built so here."""
        views = self.knowledge.view_models
        built = function.calls[call.receiver] if call.receiver is not None else None
        if views is None or built is None or built.target is None or built.starred:
            return None
        if built.target[1].rpartition(".")[2] not in views.serializer_getters:
            return None
        if any(arg.keyword is None or arg.keyword == "instance" for arg in built.args):
            return False
        return True if any(arg.keyword == "data" for arg in built.args) else None

    def _super_to_library(self, path: str, function: str, call: CallFact) -> tuple[str, FunctionFact, str] | None:
        """(its module, the method, the name it calls) for `super().<name>(...)` in a method of a project
        class when no project base defines `<name>`: the library base's method runs."""
        fact = self.index.function(path, function)
        if fact is None or fact.class_name is None or call.target is None:
            return None
        method = call.target[1].rpartition(".")[2]
        if not method.isidentifier() or self.index.resolve_function(path, call.target) is not None:
            return None
        return path, fact, method

    def _library_hook_run(self, path: str, fact: FunctionFact, method: str) -> _Step | None:
        """`super().perform_destroy(series)` in a DRF view's own `perform_destroy`: the library's
        hook deletes the row of the view's model it is given (`row_hooks`), which runs the model's
        own `delete()` and the receivers of its signals, as `self.perform_destroy(obj)` does."""
        views = self.knowledge.view_models
        # a delete only: the library's save hooks save what the serializer builds, a row of its own model
        if views is None or views.row_hooks.get(method) != "delete" or method != fact.name:
            return None
        model = self.view_model((path, fact.class_name or ""))
        return self._model_write(_Step(), model, "delete") if model is not None else None

    def _library_action_run(self, path: str, fact: FunctionFact, method: str) -> _Step | None:
        """`super().destroy(request)` in a DRF view's own `destroy`, `super().form_valid(form)` in a
        DeleteView's: the library's action (`library_actions` in the packs) writes a row of the
        view's model (see `from_library_action`), unless a class of the project's lineage
        defines another of the methods it runs, which decides instead."""
        views = self.knowledge.view_models
        if views is None or method != fact.name:
            return None
        view = (path, fact.class_name or "")
        written = self.index.lineage_methods(*view)
        bases = self.index.external_bases(*view)
        for action in views.library_actions:
            runs = action.hooks | {action.action}
            if method in runs and not (runs - {method}) & written and any(action.bases.matches(b) for b in bases):
                model = self.view_model(view)
                if model is None:
                    return None
                return self._model_write(
                    _Step(), model, written_method(action.writes), LIBRARY_INSERTS.get(action.writes)
                )
        return None

    def _slow_library_base(self, path: str, fact: FunctionFact, method: str, call: CallFact) -> _Step | None:
        """`super().send()` in a project subclass of `AnymailMessage`: the library class's method,
        a slow call when the packs say so."""
        for base in self.index.external_bases(path, fact.class_name or ""):
            name = f"{base}().{method}"
            if self.knowledge.is_slow_call(name):
                return _Step(Effect("slow-call", path, fact.qualname, call, name))
        return None

    def _model_write(self, step: _Step, model: tuple[str, str], method: str, inserts: bool | None = None) -> _Step:
        """A write (`save`, `delete`) of an instance of a project model: the model's own method,
        and the receivers of the signals it sends. `inserts`: whether a save inserts its row,
        when the write's call does not say (a library's create action: True)."""
        saved = self.index.method(*model, method)
        callee = (saved[0], saved[1].qualname) if saved is not None else step.callee
        registry = self._receivers_of(model)
        if inserts is None and step.effect is not None:
            inserts = self._inserts(step.effect.call)
        created = self._created(inserts)
        receivers = (
            _receiver_steps(registry.for_write(method, model), model, created, registry.signals)
            if registry is not None
            else ()
        )
        return replace(step, callee=callee, receivers=receivers)

    def _classify_on_instance(self, call: CallFact, step: _Step, model: tuple[str, str]) -> _Step:
        """In a receiver of a model's signal, `instance.x(...)` is the model's `x`."""
        _, dotted = call.target or ("", "")
        return self._on_instance(call, step, model, dotted.partition(".")[2])

    def _on_instance(self, call: CallFact, step: _Step, model: tuple[str, str], rest: str) -> _Step:
        """`x.rest(...)` on an instance of a project model: a write of it, or its method."""
        if not rest or "." in rest:
            return step
        if call.shape == "row" and step.effect is not None:
            return self._model_write(step, model, rest)
        return self._calling(step, model[0], ("@", f"{model[1]}().{rest}"))

    def _overridden(self, view: tuple[str, str], path: str, function: FunctionFact, method: str) -> bool:
        """Whether a class of the view's lineage below the function's own class defines `method`."""
        for class_path, class_name in self.index.lineage(*view):
            if (class_path, class_name) == (path, function.class_name):
                return False
            outline = self.index.outline(class_path)
            if outline is not None and method in outline.classes[class_name].methods:
                return True
        return False

    def _view_instance_model(self, path: str, instance: str, view: tuple[str, str]) -> tuple[str, str] | None:
        """The model class of `View.get_object()` (the view's model), of `View.form()` (the
        form's Meta.model), or of any other instance expression."""
        views = self.knowledge.view_models
        first, _, rest = instance.partition(".")
        attribute = rest.removesuffix("()")
        if views is not None and rest.endswith("()") and "." not in attribute and "(" not in attribute:
            if attribute in views.object_getters:
                return self.view_model(view)
            value = self._class_attribute(view, attribute)
            if value is not None:
                made = self.index.resolve(value[0], value[1])
                if made.kind == "project" and not made.rest:
                    return self._meta_model(made.path, made.dotted)
            elif self.index.method(*view, attribute) is None:
                # a form class the view picks at run time (`self.form`, not set on the class): a
                # form of the view's model
                return self.view_model(view)
        return self._written_model(path, ("@", instance))

    def _query_class_method(self, path: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`Bill.query.delete(...)` where `Bill` (or a base) sets `query_class = BillQuery` and
        BillQuery, a project class (also one nested in the model), defines `delete`: that method."""
        orm = self.knowledge.orm
        if orm is None or not orm.query_class_attributes:
            return None
        resolved = self.index.resolve(path, call.target)
        prop, _, method = resolved.rest.partition(".")
        if resolved.kind != "project" or prop not in orm.query_properties or not method or "." in method:
            return None
        for attribute in orm.query_class_attributes:
            found = self._class_attribute_and_class((resolved.path, resolved.dotted), attribute)
            if found is None:
                continue
            (class_path, class_name), (anchor, dotted) = found
            owner = self.index.outline(class_path)
            # `query_class = OwnedQuery`, a class nested in the (base) model that sets it
            nested = f"{class_name}.{dotted}" if anchor == "@" else None
            if owner is not None and nested in owner.classes:
                query_class: tuple[str, str] | None = (class_path, nested)
            else:
                named = self.index.resolve(class_path, (anchor, dotted))
                query_class = (named.path, named.dotted) if named.kind == "project" and not named.rest else None
            own = self.index.method(*query_class, method) if query_class is not None else None
            if own is None or self._runs_the_orms(own[1], orm.bulk_terminals):
                return None
            return own
        return None

    def _manager_method(self, path: str, call: CallFact) -> tuple[str, FunctionFact] | None:
        """`Ticket.objects.filter(...).close_all(note)` where `Ticket` (or a base) sets `objects =
        TicketQuerySet.as_manager()`, or `objects = TicketManager()` of a project class, and that
        class defines `close_all`: that method, on the rows the query selects (not one that runs
        the ORM's own after all: `super().delete()`)."""
        orm = self.knowledge.orm
        resolved = self.index.resolve(path, call.target)
        if orm is None or resolved.kind != "project" or not resolved.rest:
            return None
        manager, _, chain = resolved.rest.partition(".")
        steps = chain.split(".") if chain else []
        method = steps[-1] if steps else ""
        if not method.isidentifier() or any(not step.endswith("()") for step in steps[:-1]):
            return None
        # the ORM's manager (`objects`), or another name through a query method (`all_objects.
        # filter().restore()`): `Contact.id.in_(...)` reads no class to learn it is no manager
        if manager not in orm.query_properties and len(steps) < 2:
            return None
        found = self._class_attribute_and_class((resolved.path, resolved.dotted), manager)
        if found is None:
            return None
        (class_path, _), value = found
        made = self.index.resolve(class_path, value)
        if made.kind != "project" or made.rest not in ("as_manager()", "()"):
            return None
        own = self.index.method(made.path, made.dotted, method)
        if own is None or self._runs_the_orms(own[1], orm.bulk_terminals):
            return None
        return own

    @staticmethod
    def _runs_the_orms(method: FunctionFact, terminals: frozenset[str]) -> bool:
        """Whether a query class's own method runs the ORM's bulk work on its rows after all:
        the library's method of its own name or a bulk one (`super().delete()` after a log line,
        `super(TicketQuerySet, self).delete()`, `super().bulk_create(objs)` before sending
        signals), or a bulk one on its own rows (`self.update({...})`, `self.exclude(...).update(
        ...)`: a soft delete)."""
        owner = method.qualname.rpartition(".")[0]
        own = method.qualname.rpartition(".")[2]
        for call in method.calls:
            anchor, dotted = call.target or ("", "")
            receiver, _, name = dotted.rpartition(".")
            if name != own and name not in terminals:
                continue
            if (anchor, receiver) in (("@", f"{owner}.{SUPER}"), ("", "super()")):
                return True
            if name in terminals and anchor == "@" and receiver.partition(".")[0] == owner:
                chain = receiver.split(".")[1:]  # `self.update`, `self.exclude(...).update`
                if all(step.endswith("()") for step in chain):
                    return True
        return False

    def _class_attribute(self, view: tuple[str, str], name: str) -> tuple[str, tuple[str, str]] | None:
        """(module, value) of a class attribute, from the nearest class that sets it."""
        found = self._class_attribute_and_class(view, name)
        return (found[0][0], found[1]) if found is not None else None

    def _class_attribute_and_class(
        self, view: tuple[str, str], name: str
    ) -> tuple[tuple[str, str], tuple[str, str]] | None:
        """((module, class), value) of a class attribute, from the nearest class that sets it."""
        for class_path, class_name in self.index.lineage(*view):
            facts = self.index.outline(class_path)
            value = dict(facts.classes[class_name].attributes).get(name) if facts is not None else None
            if value is not None:
                return (class_path, class_name), value
        return None

    def view_model(self, view: tuple[str, str]) -> tuple[str, str] | None:
        """`model = Location`, or the model `queryset = Location.objects.all()` selects; else the
        model of the query the nearest `get_queryset()` returns."""
        views = self.knowledge.view_models
        if views is None:
            return None
        for name in views.model_attributes:
            found = self._class_attribute(view, name)
            if found is None:
                continue
            path, (anchor, dotted) = found
            model = self._written_model(path, (anchor, dotted + "()")) or self._written_model(path, (anchor, dotted))
            if model is not None:
                return model
            model = self._queried_model(path, (anchor, dotted))
            if model is not None:
                return model
        registered = self._registered_model(view)
        if registered is not None:
            return registered
        for name in views.model_methods:
            for class_path, class_name in self.index.lineage(*view):
                facts = self.index.outline(class_path)
                found = facts.classes.get(class_name) if facts is not None else None
                if found is None or name not in found.methods:
                    continue
                function = self.index.function(class_path, f"{class_name}.{name}")
                returned = function.returns if function is not None else None
                return self._queried_model(class_path, returned) if returned is not None else None
        return None

    def _registered_model(self, view: tuple[str, str]) -> tuple[str, str] | None:
        """The model a registrar gives the view's class (`ProjectIndex.registrations`); None
        when none does, or several models (`@admin.register(A, B)`)."""
        if view not in self._registered:
            registered = self.index.registrations(view, self.knowledge.model_registrars)
            models = {self._written_model(path, (ref[0], ref[1] + "()")) for path, ref in registered} - {None}
            self._registered[view] = models.pop() if len(models) == 1 else None
        return self._registered[view]

    def _queried_model(self, path: str, query: tuple[str, str]) -> tuple[str, str] | None:
        """Location of `Location.objects.filter(...)`: the model before a query property."""
        orm = self.knowledge.orm
        anchor, dotted = query
        segments = dotted.split(".")
        for index, segment in enumerate(segments[1:], start=1):
            if orm is not None and segment in orm.query_properties:
                return self._written_model(path, (anchor, ".".join(segments[:index]) + "()"))
        # `Proof.all_objects.is_draft().all()`: a manager the model's body builds under another name
        for index, segment in enumerate(segments[1:-1], start=1):
            if "(" in segment or "(" in segments[index - 1] or not segments[index + 1].endswith("()"):
                continue
            model = self._written_model(path, (anchor, ".".join(segments[:index]) + "()"))
            if model is not None and self._built_manager(model, segment):
                return model
        return None

    def _built_manager(self, model: tuple[str, str], name: str) -> bool:
        """Whether the model (or a base) binds `name` in its body to a manager it builds
        (`orm.manager_builders`: `ProofManager().from_queryset(ProofQuerySet)()`)."""
        orm = self.knowledge.orm
        if orm is None or not orm.manager_builders:
            return False
        for class_path, class_name in self.index.lineage(*model):
            facts = self.index.module(class_path)
            found = facts.classes.get(class_name) if facts is not None else None
            ref = dict(found.attributes).get(name) if found is not None else None
            if ref is not None:
                return any(segment.partition("(")[0] in orm.manager_builders for segment in ref[1].split("."))
        return False

    def _meta_model(self, path: str, qualname: str) -> tuple[str, str] | None:
        """`class LocationForm(ModelForm): class Meta: model = Location`: Location."""
        views = self.knowledge.view_models
        if views is None:
            return None
        found = self.index.meta_attribute(path, qualname, views.meta_class, views.meta_model)
        return self._written_model(found[0], (found[1][0], found[1][1] + "()")) if found is not None else None

    def from_function(
        self, path: str, qualname: str, view: tuple[str, str] | None = None, known: Known = NOTHING_KNOWN
    ) -> list[Reached]:
        """What a function reaches. With `view`, read for that view: the helpers reached by
        the same calls as without it, with no view to pass on, are not walked again (what
        they reach is what the function reaches by itself). `known`: what its caller gives
        some parameters (a job's enqueue call, `given_to_job`)."""
        found: list[Reached] = []
        model = self._hook_instance_model(path, qualname) if view is None else None
        self._visit(path, qualname, (), {(path, qualname)}, found, view, model, known=known, pristine=view is not None)
        return [replace(r, hands_off=True) if self._handed_off(r, found) else r for r in found]

    def from_library_action(self, view: tuple[str, str], action: str, span: Span, writes: str) -> list[Reached]:
        """What an action a library's generic view runs by itself reaches (DRF's
        `ModelViewSet.destroy` deletes a row of the view's model): the model's own `save()` or
        `delete()`, and the receivers of the signals the write sends. `action`: the handler's
        qualname (`TagViewSet.destroy`), at `span` (the view's name)."""
        model = self.view_model(view)
        if model is None:
            return []
        step = self._model_write(_Step(), model, written_method(writes), LIBRARY_INSERTS.get(writes))
        found: list[Reached] = []
        for callee, by, instance, given in step.callees():
            hop = Hop(view[0], span, action, callee[1], callee[0], 0, by)
            self._visit(callee[0], callee[1], (hop,), {callee}, found, None, instance, given or NOTHING_KNOWN)
        return found

    def _hook_instance_model(self, path: str, qualname: str) -> tuple[str, str] | None:
        """DRF's `perform_destroy(self, instance)` written in a view: `instance` is a row of the
        view's model (`queryset = Tag.objects.all()`), so `instance.delete()` runs the model's
        `delete()` and the receivers of its signals."""
        function = self.index.function(path, qualname)
        views, signals = self.knowledge.view_models, self.knowledge.signals
        if function is None or function.class_name is None or views is None or signals is None:
            return None
        if function.name not in views.row_hooks or signals.instance_parameter not in function.params:
            return None
        return self.view_model((path, function.class_name))

    def _handed_off(self, write: Reached, found: list[Reached]) -> bool:
        """A write that saves a row (`commit`, `add`, `save`; not a delete) followed, later in
        the same loop body, by an enqueue: the row is committed for the job enqueued next."""
        loop = write.repeating_loop
        orm = self.knowledge.orm
        if write.effect.kind != "row-write" or loop is None or orm is None:
            return False
        call = write.effect.call
        # `scan.save()` on a parameter has no target: its text says the method
        if _method_written(call) not in orm.hand_off_methods:
            return False
        written_at = write.position_in(loop)
        return any(
            r.effect.kind == "enqueue" and r.repeating_loop == loop and r.position_in(loop) >= written_at for r in found
        )

    @cached_property
    def _library_method_names(self) -> frozenset[str]:
        """The last names of the library calls that do work (slow calls, sleeps, spawns)."""
        knowledge = self.knowledge
        names = knowledge.slow_calls.last_segments() | knowledge.sleeps.last_segments()
        for spawn in knowledge.thread_spawns:
            names |= spawn.call.last_segments()
        return frozenset(names)

    def _through_returned_instance(self, resolved: Resolved) -> Resolved:
        """`mail = self.build(to); mail.send()` with `build` returning a library's instance
        (`return EmailMultiAlternatives(...)`, or `-> EmailMessage`): the library's method,
        `django.core.mail.EmailMessage().send`."""
        head, called, rest = resolved.rest.partition("().")
        fetched = None
        if resolved.kind == "project" and called and ("." in head or "(" in head):
            # `Template.objects.get(...).build(to).send()`: a method of a row a query got
            instance, called, rest = resolved.rest.rpartition("().")
            holder, _, head = instance.rpartition(".")
            if holder.endswith("()"):
                fetched = self._written_model(resolved.path, ("@", f"{resolved.dotted}.{holder}"))
            if fetched is None:
                return resolved
        if resolved.kind != "project" or not called:
            return resolved
        outline = self.index.outline(resolved.path) if not head and fetched is None else None
        if outline is not None and resolved.dotted in outline.classes:
            # `Template(subject=s).build(to).send()`, or a parameter annotated `Template`
            fetched = (resolved.path, resolved.dotted)
            head, called, rest = rest.partition("().")
            if not called or "." in head or "(" in head:
                return resolved
        # what a function returns is read only for a method a library call can end with
        # (`send`, `wait`, `start`): `report.render()` leaves `make_report` unread
        if rest.partition(".")[0].partition("(")[0] not in self._library_method_names:
            return resolved
        if fetched is not None:
            found = self.index.method(*fetched, head)
        elif head:  # `Template.build().send`: a method of a project class
            found = self.index.method(resolved.path, resolved.dotted, head)
        else:
            function = self.index.function(resolved.path, resolved.dotted)
            found = (resolved.path, function) if function is not None else None
        made = self._returned_class(*found) if found is not None else None
        # a library's class (`django.core.mail.EmailMessage()`), not the project's own
        if made is None or made.kind != "external":
            return resolved
        return Resolved("external", f"{made.dotted}().{rest}")

    def _returned_class(self, path: str, function: FunctionFact | None) -> Resolved | None:
        """The class whose instance a project function returns (`return EmailMessage(...)`, `->
        TaggedMessage`), also through up to three project functions that return each other's
        result (`return prepare_email(...)`): a library's class or the project's; None for
        anything else (`Submission.objects.get()`, whose model the project's reading follows)."""
        for _ in range(3):
            returned = function.returns if function is not None else None
            if returned is None or not returned[1].endswith("()"):
                return None
            made = self.index.resolve(path, (returned[0], returned[1].removesuffix("()")))
            if made.rest or made.kind not in ("project", "external"):
                return None
            outline = self.index.outline(made.path) if made.kind == "project" else None
            if made.kind == "external" or (outline is not None and made.dotted in outline.classes):
                return made
            path, function = made.path, self.index.function(made.path, made.dotted)
        return None

    def named_functions(self, path: str, qualname: str) -> list[tuple[str, str]]:
        """The project functions a function hands on as values, not called: an argument of one
        of its calls (`phases.append(collect_phase)`, `run_phases([collect_phase], urls)`).
        Whoever is handed them may run them; not a job or a thread's target handed to the call
        that enqueues or starts it (`queue.enqueue(execute_query, ...)`): that runs elsewhere."""
        named: list[tuple[str, str]] = []
        for call, step in self.steps(path, qualname):
            if step.effect is not None and step.effect.kind in ("enqueue", "thread"):
                continue
            for arg in call.args:
                for ref in (arg.ref, *arg.refs):
                    if ref is None or ref[1].endswith(")"):
                        continue
                    found = self.index.resolve_function(path, ref)
                    if found is not None and (found[0], found[1].qualname) not in named:
                        named.append((found[0], found[1].qualname))
        return named

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
                for callee, by, _, _ in step.callees():
                    if callee not in seen:
                        seen.add(callee)
                        hop = Hop(
                            current_path,
                            call.span,
                            current,
                            callee[1],
                            callee[0],
                            call.loop,
                            by,
                            rounds=call.fixed_rounds,
                        )
                        found.append((callee[0], callee[1], chain + (hop,)))
                        stack.append((callee[0], callee[1], chain + (hop,)))
        return found

    def _visit(
        self,
        path: str,
        qualname: str,
        chain: tuple[Hop, ...],
        seen: set,
        found: list[Reached],
        view=None,
        instance=None,
        known: Known = NOTHING_KNOWN,
        pristine: bool = False,
        awaited: bool = False,
        caller: tuple[str, CallFact] | None = None,
    ) -> None:
        """`pristine`: every call from the root to here is classified as without the view.
        `awaited`: the caller awaits what this function returns. `caller`: the call that runs
        it (path, call), whose arguments a project decorator's wrapper gets."""
        steps = self.steps(path, qualname, view, instance, known)
        alone = self.steps(path, qualname) if pristine else steps
        # what the request set on `self` (`self.action`), for the methods called on it, unless
        # this method sets it itself
        running = self.index.function(path, qualname)
        rebound = set(running.own_rebound) if running is not None else set()
        own = {(name, value) for name, value in known if _is_own_attribute(name) and name not in rebound}
        for (call, step), (_, step_alone) in zip(steps, alone, strict=True):
            if step.effect is not None and not (step.effect.handed_back and awaited):
                # a task handed back to a caller that awaits it is the request's own work; a thread,
                # a sleep or a slow call in a first-use block (`if _loop_thread is None: ...`) is
                # the process's start-up, made at the first request instead of at import
                started = step.effect.kind in _START_UP_KINDS and (call.start_up or any(h.start_up for h in chain))
                waited = bool(step.effect.waited_by) and self._waits_for_result(chain, caller, step.effect.waited_by)
                if not started and not waited and not _commits_nothing(step.effect, caller, self.knowledge.orm):
                    found.append(Reached(step.effect, _raised_through(chain, call.raises_after)))
            if len(chain) >= self.max_depth:
                continue
            same = pristine and step is step_alone
            for callee, by, model, given in step.callees():
                if callee in seen or (same and not self._in_view(callee, view)):
                    continue
                hop = Hop(
                    path,
                    call.span,
                    qualname,
                    callee[1],
                    callee[0],
                    call.loop,
                    by,
                    call.start_up,
                    call.fixed_rounds,
                    caught=call.tried,
                    caught_in_loop=call.tried_in_loop,
                    raises_after=call.raises_after,
                )
                # what a call in a first-use block runs (`if _vault is None: _vault = Vault()`)
                # runs once per process, whatever loop repeats the calls that lead to it
                led = tuple(replace(h, loop=0) for h in chain) if call.once else chain
                if by == "decorator":  # the wrapper gets the arguments of the call that ran the function
                    values = (
                        self._wrapper_arguments_known(caller, callee, (path, qualname)) if caller else NOTHING_KNOWN
                    )
                else:
                    values = given if given is not None else self._arguments_known(path, call, callee, known)
                    if own and _keeps_self(call, running):  # `self.get_object()`: the same request
                        values |= own
                    if call.receiver is not None and running is not None:
                        values |= self._built_with(path, running, running.calls[call.receiver], callee)
                # `super().post(...)` in a method of a class: `self` there is still an instance of it
                runs_for = view if view is not None or not _calls_super(call) else self._own_class(path, qualname)
                # what the callee returns is awaited here, or handed back to a caller that awaits it
                waits = call.awaited or (call.handed_back and awaited)
                self._visit(
                    callee[0],
                    callee[1],
                    led + (hop,),
                    seen | {callee},
                    found,
                    runs_for,
                    model,
                    values,
                    same,
                    waits,
                    (path, call),
                )

    def _built_with(self, path: str, running: FunctionFact, built: CallFact, callee: tuple[str, str]) -> Known:
        """`RowImporter(dry_run=True).process(row)`, or `importer = RowImporter(dry_run=True)`
        first: the truths the class's `__init__` keeps on `self` from what the constructor call
        gives it (`self.dry_run = dry_run`), for the method's tests of `self.dry_run`; not an
        attribute `__init__` sets twice, another method of the class sets (or `setattr()` may
        set), or the calling function sets on an object (`importer.dry_run = False`); nor when
        the function builds the class more than once (which instance runs is not read)."""
        method = self.index.function(*callee)
        made = self.index.resolve(path, built.target) if built.target is not None else None
        if method is None or made is None or made.kind != "project" or made.rest:
            return NOTHING_KNOWN
        if sum(1 for call in running.calls if call.target == built.target) > 1:
            return NOTHING_KNOWN
        lineage = list(self.index.lineage(made.path, made.dotted))
        if (callee[0], method.class_name) not in lineage:  # a method of the class or of a base
            return NOTHING_KNOWN
        init = self.index.method(made.path, made.dotted, "__init__")
        if init is None or built.starred:
            return NOTHING_KNOWN
        positional = [arg for arg in built.args if arg.keyword is None]
        given: dict = {name: self._value(path, arg) for name, arg in zip(init[1].params[1:], positional, strict=False)}
        given.update({arg.keyword: self._value(path, arg) for arg in built.args if arg.keyword in init[1].params})
        _add_defaults(given, init[1], len(positional) + 1)
        in_init = Counter(mark.text for mark in init[1].marks if mark.kind == "attr-write")
        in_caller = {mark.text for mark in running.marks if mark.kind == "attr-write"}
        kept = {
            OWN_ATTRIBUTE + mark.text: given.get(mark.ref[1])
            for mark in init[1].marks
            if mark.kind == "attr-write"
            and mark.ref is not None
            and mark.ref[0] == OWN_ATTRIBUTE
            and isinstance(given.get(mark.ref[1]), bool)
            and in_init[mark.text] == 1
            and mark.text not in in_caller
        }
        if not kept:
            return NOTHING_KNOWN
        key = (made.path, made.dotted)
        if key not in self._set_elsewhere:  # set by another method: not what the constructor gave
            methods = [
                (class_path, function)
                for class_path, class_name in lineage
                for facts in filter(None, [self.index.module(class_path)])
                for function in facts.functions.values()
                if function.class_name == class_name
            ]
            setting = any(call.target == ("", "setattr") for _, function in methods for call in function.calls)
            self._set_elsewhere[key] = frozenset(
                {SET_ANY}
                if setting
                else {
                    OWN_ATTRIBUTE + mark.text
                    for class_path, function in methods
                    if (class_path, function.qualname) != (init[0], init[1].qualname)
                    for mark in function.marks
                    if mark.kind == "attr-write"
                }
            )
        elsewhere = self._set_elsewhere[key]
        if SET_ANY in elsewhere:  # `setattr(self, name, value)`: any attribute
            return NOTHING_KNOWN
        return frozenset((name, value) for name, value in kept.items() if name not in elsewhere)

    def _given_step(
        self,
        path: str,
        qualname: str,
        function: FunctionFact,
        call: CallFact,
        step: _Step,
        left_out: set,
        functions: dict[str, tuple[str, str]],
        sends: dict[str, SentTask],
        classes: dict[str, GivenClass],
    ) -> _Step:
        """A call's step, given what the caller gives the function's parameters: nothing under
        an `if` that needs the other value; the project function a parameter holds, called
        (`publisher(item_id)`); the class one holds, built or its method called; the task whose
        send one holds, enqueued; the job an enqueue of a parameter names."""
        if left_out.intersection(call.guards):
            return _Step()
        if call.parameter in functions:
            return _Step(callee=functions[call.parameter])
        built = self._given_class_step(function, call, classes, step)
        if built is not None:
            return built
        if call.parameter in sends:
            sent = sends[call.parameter]
            return _Step(Effect("enqueue", path, qualname, call, call.text, target=(sent.path, sent.task)))
        if step.effect is not None and step.effect.job_parameter in functions:
            return _Step(replace(step.effect, target=functions[step.effect.job_parameter], job_parameter=None))
        return step

    def _given_class_step(
        self, function: FunctionFact, call: CallFact, classes: dict[str, GivenClass], step: _Step
    ) -> _Step | None:
        """`parser()` and `parser().process(files)` in a function given a project class for
        `parser`: its `__init__` and its `process` (the class's own or its nearest base's), as
        well as what the call does by itself (`model(name=n).save()`: a row written). None for
        a call of nothing given so."""
        if not classes:
            return None
        built = function.calls[call.receiver] if call.receiver is not None else None
        if call.parameter in classes:
            given, method = classes[call.parameter], "__init__"
        elif built is not None and built.parameter in classes and call.target is None:
            given, method = classes[built.parameter], call.text.rpartition("(")[0].rpartition(".")[2]
        else:
            return None
        found = self.index.method(given.path, given.name, method) if method.isidentifier() else None
        return replace(step, callee=(found[0], found[1].qualname)) if found is not None else None

    def _value(self, path: str, arg: ArgFact) -> bool | str | tuple[str, str] | SentTask | GivenClass | None:
        """What an argument is known to be: a truth written out, a project function named, a
        task's send (`tasks.purge.delay`), a project class named, or a few items (`[note]` or
        `{"theme": t}` written out, or a query pinned to one primary key: FEW)."""
        if arg.literal in ("list", "tuple") and 1 <= len(arg.refs) <= FIXED_LOOP_LIMIT or arg.literal in FEW_LITERALS:
            return FEW
        if arg.literal == "dict" and arg.keys is not None and 1 <= arg.keys <= FIXED_LOOP_LIMIT:
            return FEW  # `{"ui.theme": theme}`, `{ws.id: now}`: a few keys written out, for a loop over its `.items()`
        if arg.literal == "members":  # `many(list(TimeFrame))`: an enumeration's few members
            return FEW if arg.ref is not None and self.index.few_members(self.index.resolve(path, arg.ref)) else None
        truth = _truth(arg)
        if truth is not None or arg.ref is None or arg.ref[1].endswith("()"):
            return truth
        sent = self.index.resolve(path, arg.ref)
        if sent.kind == "project" and sent.rest and self._is_task_call(sent):
            return SentTask(sent.path, sent.dotted)
        outline = self.index.outline(sent.path) if sent.kind == "project" and not sent.rest else None
        if outline is not None and sent.dotted in outline.classes:
            # `many(TimeFrame)`: an enumeration's few members; another class, built or called on
            return FEW if self.index.few_members(sent) else GivenClass(sent.path, sent.dotted)
        target = self.index.resolve_function(path, arg.ref)
        return (target[0], target[1].qualname) if target is not None else None

    def given_to_job(self, path: str, call: CallFact, job: tuple[str, str]) -> Known:
        """What an enqueue call gives the job's parameters (see `_value`): the positional
        arguments after the one that names the job (`queue.enqueue(add_links, [doc.pk])`), or
        all of them when the job is the receiver (`add_links.delay([doc.pk])`), and keywords
        named as its parameters. An options call (`apply_async(...)`) gives what its `args=`
        and `kwargs=` written out carry (`options_arguments` in the packs). A call with `*args`,
        or a job whose parameters are not matched by name, gives nothing known."""
        function = self.index.function(*job)
        if function is None or call.starred or function.class_name is not None:
            return NOTHING_KNOWN
        positional = [arg for arg in call.args if arg.keyword is None]
        named = [i for i, arg in enumerate(positional) if self._value(path, arg) == job]
        method = _method(call)
        options = [system for system in self.knowledge.task_systems if method in system.options_methods]
        keywords = list(call.args)
        if named:
            given = positional[named[0] + 1 :]
        elif options and self.knowledge.is_delay_method(method):
            # `apply_async(args=[doc.pk], kwargs={"ids": [doc.pk]})`; a positional argument
            # (`apply_async((doc.pk,))`) is not matched
            if positional:
                return NOTHING_KNOWN
            carriers = {system.options_positional for system in options} - {""}
            given = [entry for arg in call.args if arg.keyword in carriers for entry in arg.entries]
            carriers = {system.options_named for system in options} - {""}
            keywords = [entry for arg in call.args if arg.keyword in carriers for entry in arg.entries]
        elif self.knowledge.is_delay_method(method):
            given = positional
        else:
            return NOTHING_KNOWN
        binds = {system.bind_keyword for system in self.knowledge.task_systems} - {""}
        bound = any(arg.keyword in binds and _truth(arg) for d in function.decorators for arg in d.args)
        parameters = function.params[int(bound) : function.positional]
        known = {name: self._value(path, arg) for name, arg in zip(parameters, given, strict=False)}
        known.update({arg.keyword: self._value(path, arg) for arg in keywords if arg.keyword in function.params})
        return frozenset((name, value) for name, value in known.items() if value is not None)

    def _own_class(self, path: str, qualname: str) -> tuple[str, str] | None:
        """(path, class) of a method, or None for a function."""
        function = self.index.function(path, qualname)
        return (path, function.class_name) if function is not None and function.class_name else None

    def _arguments_known(
        self, path: str, call: CallFact, callee: tuple[str, str], forwarded: Known = NOTHING_KNOWN
    ) -> Known:
        """What a call gives the parameters of the function it runs (see `_value`): its arguments,
        and a default written out (`with_events=False`) for a parameter it leaves out. A
        method's positional arguments are matched when its `self` is bound (`_bound_call`), a
        `@classmethod`'s (its `cls` bound) and a `@staticmethod`'s always; with `*args` or
        `**kwargs`, no default is known; a function with another decorator, which may give some
        arguments itself, gets only the keywords (one whose wrapper hands its `*args, **kwargs`
        on is no other decorator: `_forwards`). `forwarded`: what the caller's own caller
        gave it: a parameter it passes on keeps its few items (`stamp(shelf, codes)` in a
        helper given `[code]`)."""
        function = self.index.function(*callee)
        if function is None or not self._takes_arguments(callee[0], function):
            return NOTHING_KNOWN
        # a parameter passed on keeps what the caller's caller gave it: its few items, or a truth
        # written out or left at its default (`dispatch(f)` with `immediate=False` passes
        # `immediate` on to a helper that tests it)
        carried = {name: value for name, value in forwarded if value == FEW or isinstance(value, bool)}

        def value_of(arg: ArgFact) -> bool | str | tuple[str, str] | None:
            if arg.falsy_parameter is not None and carried.get(arg.falsy_parameter) is False:
                return False  # `immediate = False` under a setting: still false
            return carried[arg.parameter] if arg.parameter in carried else self._value(path, arg)

        positional = [arg for arg in call.args if arg.keyword is None]
        start = self._first_given(callee[0], function)
        if start is None and self._bound_call(path, call, callee[0], function, len(positional)):
            start = 1
        known: dict[GuardSubject, bool | str | tuple[str, str] | None] = {}
        # what the call gives each parameter it fills (by keyword, or by a position it knows)
        filling: dict[str, ArgFact] = {arg.keyword: arg for arg in call.args if arg.keyword is not None}
        if start is not None:
            for name, arg in zip(function.params[start : function.positional], positional, strict=False):
                known[name] = value_of(arg)
                filling.setdefault(name, arg)
            # `bump("menu", "prices")` to `def bump(*names)`: `names` holds the few items written
            extra = len(positional) - (function.positional - start)
            if function.varargs and not call.starred and 1 <= extra <= FIXED_LOOP_LIMIT:
                known[function.varargs] = FEW
            elif function.varargs and not call.starred and extra == 0:
                known[function.varargs] = False  # given nothing: a loop over it runs no round
            # `store(album, *files)` in a helper given `[photo]`: `*files` fills `*args` with few
            unpacked = call.unpacked is not None and carried.get(call.unpacked) == FEW
            filled_first = call.unpacked_at is not None and call.unpacked_at >= function.positional - start
            if function.varargs and unpacked and filled_first and extra <= FIXED_LOOP_LIMIT:
                known[function.varargs] = FEW
        # `subscribe(user, lang="de")` to `def subscribe(user, **tags)`: `tags` holds the keywords
        # written out, none through `super().subscribe(user)`
        named = sum(1 for arg in call.args if arg.keyword is not None and arg.keyword not in function.params)
        if function.kwargs and not call.starred and named <= FIXED_LOOP_LIMIT:
            known[function.kwargs] = FEW
        for arg in call.args:
            if arg.keyword in function.params:
                known[arg.keyword] = value_of(arg)
        keywords_reach = self._keywords_reach(callee[0], function)
        if not call.starred and keywords_reach:
            # `Grant.put(user=u, doc=d)` to a `filter(**kwargs)`: the keywords it collects
            collected = frozenset(
                arg.keyword for arg in call.args if arg.keyword and arg.keyword not in function.params
            )
            for parameter in _spread_parameters(function):
                known[GivenKeywords(parameter)] = collected
        for _, _, name in function.parameter_loops:
            # `for x in kwargs.pop("copy_from", [])`, with no `**` given (`*files` alone gives no
            # keyword), to a function no other decorator may give keywords to
            if name.startswith("**") and (not call.starred or call.unpacked is not None) and keywords_reach:
                keyword = filling.get(name[2:])
                known[name] = value_of(keyword) if keyword is not None else False
        for name in self._forwarded(callee[0], function) - known.keys():  # the job, matched as the topology matches it
            given = given_argument(function, call, name)
            known[name] = self._value(path, given) if given is not None else None
        filled = None  # how many parameters the call fills by position, when that is known
        if not call.starred and (start is not None or not self._opaque_decorators(callee[0], function)):
            # a method's parameter past the positional arguments is left out, its `self` given or bound
            filled = len(positional) + (start if start is not None else function.class_name is not None)
            _add_defaults(known, function, filled)
        subjects = _tested_subjects(function)
        # `photo = kwargs.pop("photo", None)`, then `if photo:`: what the call gives as `photo=`,
        # else false
        if (not call.starred or call.unpacked is not None) and keywords_reach:
            for name in {name for name in subjects if type(name) is str and name.startswith("**")}:
                keyword = filling.get(name[2:])
                known[name] = value_of(keyword) if keyword is not None else False
        for tested in {name for name in subjects if type(name) is Membership}:
            keyword = tested.container.removeprefix("**")
            collected = keyword != tested.container  # a keyword the function's `**kwargs` collects
            if collected and (function.kwargs is None or keyword in function.params):
                continue  # `**update_fields` of a function that has a parameter of that name
            left_out = (
                filled is not None
                and keyword not in filling
                and (collected or function.params.index(keyword) >= filled)
            )
            known[tested] = tested.default if left_out else _member_given(tested, filling.get(keyword))
        # whether a parameter is None, for a test of it (`if chunks is None:`) or for a helper it
        # is passed on to (`delete_rows(table, chunks)`), which may test it
        forwarded_none = {name.parameter: value for name, value in forwarded if type(name) is NoneTest}
        tested_none = {name.parameter for name in subjects if type(name) is NoneTest}
        passed_on = {arg.parameter for c in function.calls for arg in c.args if arg.parameter}
        for parameter in (tested_none | passed_on) & set(function.params):
            if parameter in filling:
                given = filling[parameter]
                none = forwarded_none.get(given.parameter) if given.parameter else _is_none(given)
            elif filled is not None and function.params.index(parameter) >= filled:
                written = parameter in function.none_defaults or any(parameter == n for n, _ in function.defaults)
                none = parameter in function.none_defaults if written else None
            else:
                none = None
            known[NoneTest(parameter)] = none
        # `render("newest")` to a function that tests `if data == "hot":`, or a call that leaves
        # out `section="view"` to one that tests `if section == "view": return ...`
        text_defaults = dict(function.text_defaults)
        for tested in {name for name in subjects if type(name) is Equals and name.parameter in function.params}:
            given = filling.get(tested.parameter)
            if given is not None:
                known[tested] = given.text == tested.value if given.text is not None else None
            elif filled is not None and function.params.index(tested.parameter) >= filled:
                default = text_defaults.get(tested.parameter)
                known[tested] = default == tested.value if default is not None else None
        # `debounce(update_dates, ...)` to a function that tests `if action == update_dates:`
        for tested in {name for name in subjects if type(name) is SameFunction and name.parameter in filling}:
            given = value_of(filling[tested.parameter])
            named = self.index.resolve_function(callee[0], tested.ref)
            if isinstance(given, tuple) and named is not None:
                known[tested] = given == (named[0], named[1].qualname)
        if self._tests_its_row(callee[0], function):
            known[NEW_ROW] = self._row_is_new(path, call, function, dict(forwarded).get(NEW_ROW))
        for tested in {name for name in subjects if type(name) is AllOf}:
            # `if section == "frontend" and key == "offset": return`: settled when every test is,
            # or when one is settled the other way
            truths = [
                known.get(name) == truth if type(known.get(name)) is bool else None for name, truth in tested.guards
            ]
            known[tested] = False if False in truths else True if None not in truths else None
        return frozenset((name, truth) for name, truth in known.items() if truth is not None)

    def _takes_arguments(self, path: str, function: FunctionFact) -> bool:
        """Whether what a call gives a function can matter (`_arguments_known`): it loops over
        a parameter, tests or passes one on, filters by its `**kwargs`, enqueues one, or tests
        whether its row is new."""
        key = (path, function.qualname)
        if key not in self._taking:
            self._taking[key] = bool(
                function.parameter_loops
                or any(
                    c.guards or c.parameter or c.in_parameter or c.spread_parameter or _passes_parameter(c)
                    for c in function.calls
                )
                or self._forwarded(path, function)
                or self._tests_its_row(path, function)
            )
        return self._taking[key]

    def _tests_its_row(self, path: str, function: FunctionFact) -> bool:
        """Whether a method tests whether its row is new (`if not self.pk:`), or calls a method
        of its class that does (`self.save(update_fields=[...])` in `touch()`)."""
        if function.class_name is None:
            return False
        key = (path, function.qualname)
        if key not in self._row_testers:
            self._row_testers[key] = self._finds_its_row_test(path, function)
        return self._row_testers[key]

    def _finds_its_row_test(self, path: str, function: FunctionFact) -> bool:
        if any(name == NEW_ROW for c in function.calls for name, _ in c.guards):
            return True
        for c in function.calls:
            anchor, dotted = c.target or ("", "")
            owner, _, method = dotted.rpartition(".")
            found = self.index.method(path, owner, method) if anchor == "@" and owner == function.class_name else None
            if found is not None and any(name == NEW_ROW for d in found[1].calls for name, _ in d.guards):
                return True
        return False

    def _row_is_new(self, path: str, call: CallFact, method: FunctionFact, own: bool | None) -> bool | None:
        """For a model method's test of its own row (`if not self.pk:`): False on a row a query
        read (`Account.objects.get(...).save()`, or a local bound to it), True on an instance
        the call builds (`Account(...).save()`); on `self` in another method of the class
        (the call's target is the method of its own class), what that method's caller knew
        (`own`); None when unknown."""
        anchor, dotted = call.target or ("", "")
        instance = dotted.rpartition(".")[0]
        orm = self.knowledge.orm
        if orm is None or not instance:
            return None
        if not instance.endswith("()"):
            return own if anchor == "@" and instance == method.class_name else None
        if instance.rpartition(".")[2].removesuffix("()") in orm.instance_getters:
            return False
        made = self.index.resolve(path, (anchor, instance.removesuffix("()")))
        outline = self.index.outline(made.path) if made.kind == "project" and not made.rest else None
        return True if outline is not None and made.dotted in outline.classes else None

    def _first_given(self, path: str, function: FunctionFact) -> int | None:
        """The parameter a call's first positional argument goes to: 0 for a function or a
        `@staticmethod`, 1 for a `@classmethod` (its `cls` is bound); None for another method
        (`obj.m(x)` binds `self`, `Cls.m(obj, x)` does not) or another decorator."""
        decorators = self._opaque_decorators(path, function)
        if not decorators:
            return 0 if function.class_name is None else None
        if function.class_name is None or len(decorators) > 1 or decorators[0].is_call:
            return None
        made = self.index.resolve(path, decorators[0].target)
        return {"staticmethod": 0, "classmethod": 1}.get(made.dotted) if made.kind == "external" else None

    def _keywords_reach(self, path: str, function: FunctionFact) -> bool:
        """Whether the keywords a call writes are what the function gets: no decorator may give
        or take some (`@classmethod` and `@staticmethod` do not)."""
        return not self._opaque_decorators(path, function) or self._first_given(path, function) is not None

    def _opaque_decorators(self, path: str, function: FunctionFact) -> list[DecoratorFact]:
        """The function's decorators, less those that call it with the arguments they are
        given (`@transaction.atomic`, `rules` `transparent_decorators`)."""
        transparent = self.knowledge.transparent_decorators
        return [
            d
            for d in function.decorators
            if not transparent.matches(self.index.resolve(path, d.target).dotted)
            and not self._forwards(path, d, function)
        ]

    def _forwards(self, path: str, decorator: DecoratorFact, function: FunctionFact) -> bool:
        """A project decorator whose wrapper takes `*args, **kwargs` only and calls the function
        with them, as they are (`def wrapper(*args, **kwds): log(...); return func(*args,
        **kwds)`), changing none the function takes: the function gets what its caller gives.
        Around a method, also a wrapper that takes the instance first and gives it back first
        (`def wrapper(self, *args, **kwargs): ...; return func(self, *args, **kwargs)`)."""
        taken = self.index.decorator_taker(path, decorator)
        facts = self.index.module(taken[0]) if taken is not None else None
        if taken is None or facts is None:
            return False
        taker = taken[1]
        given = [p for p in taker.params if p != "self"]
        wrappers = returned_functions(facts.functions, taker.qualname) if given else []
        wrapper = facts.functions.get(wrappers[0]) if len(wrappers) == 1 else None
        if wrapper is None or wrapper.varargs is None:
            return False
        # `def wrapper(self, *args, **kwargs): ...; return func(self, *args, **kwargs)` around a
        # method: its instance first, as it was given
        instance = wrapper.params[0] if function.class_name is not None and len(wrapper.params) == 3 else None
        if wrapper.params != (*((instance,) if instance else ()), wrapper.varargs, wrapper.kwargs):
            return False
        if wrapper.reshapes_arguments:  # `kwargs["doc"] = d`: not what its caller gave
            return False
        # `quiet = kwargs.pop("quiet", False)`: its own option, which the function takes no part in
        taken = set(wrapper.taken_keywords)
        if taken and (function.kwargs is not None or taken & set(function.params)):
            return False
        called = f"{given[0]}(...)"
        if instance is not None:
            return any(
                c.starred
                and c.unpacked_at == 1
                and len(c.args) == 1
                and c.args[0].keyword is None
                and c.args[0].parameter == instance
                and c.text == called
                for c in wrapper.calls
            )
        return any(c.starred and c.unpacked_at == 0 and not c.args and c.text == called for c in wrapper.calls)

    def _bound_call(self, path: str, call: CallFact, callee_path: str, function: FunctionFact, given: int) -> bool:
        """Whether a call of a plain method binds `self`: `EventLog().log_mine([x])` on an
        instance does; so does `self.stamp(shelf, [code])`, which a module spells as it spells
        `Cls.stamp(obj, ...)` (which binds nothing), so only when it gives fewer positional
        arguments than the method has parameters, with no `*args`."""
        if function.class_name is None or call.target is None or call.starred:
            return False
        if self._opaque_decorators(callee_path, function):
            return False
        anchor, dotted = call.target
        if function.name == "__init__" and dotted.rpartition(".")[2] != "__init__":
            # `Export([project])`: the class called builds the instance its `__init__` gets; not a
            # subclass's call (a dataclass, a `__new__` of its own may give other arguments)
            called = self.index.resolve(path, call.target)
            own = (called.path, called.dotted) == (callee_path, function.class_name)
            return called.kind == "project" and not called.rest and own
        owner = dotted.rpartition(".")[0]
        if owner.endswith("()"):
            return True
        variable = self.index.resolve_variable(path, (anchor, owner))
        if variable is not None and variable.binding is not None and variable.binding.kind == "instance":
            return True  # `hub_settings.set_multi(...)`, `hub_settings = SettingsProxy()` in a module
        facts = self.index.outline(path) if anchor == "@" else None
        return facts is not None and owner in facts.classes and given < function.positional

    def _wrapper_arguments_known(
        self, caller: tuple[str, CallFact], wrapper: tuple[str, str], decorated: tuple[str, str]
    ) -> Known:
        """What `compute(3, remote=False)` gives the wrapper a project decorator put around
        `compute` (`def inner(n, remote=False)`): the keywords written, and a default written out
        for a parameter past the call's positional arguments (and past `self` when the decorated
        function is a method) that no keyword gives. Positional arguments are not matched."""
        path, call = caller
        function = self.index.function(*wrapper)
        if function is None or not any(c.guards for c in function.calls):
            return NOTHING_KNOWN
        known: dict[str, bool | str | tuple[str, str] | None] = {
            arg.keyword: self._value(path, arg) for arg in call.args if arg.keyword in function.params
        }
        if not call.starred:
            # a method of a class: its `self` is the wrapper's first argument
            owner = self.index.function(*decorated)
            method = owner is not None and owner.class_name is not None
            _add_defaults(known, function, len([arg for arg in call.args if arg.keyword is None]) + method)
        return frozenset((name, truth) for name, truth in known.items() if truth is not None)

    def _decorators(self, path: str, function: FunctionFact) -> list[tuple[CallFact, _Step]]:
        """A project decorator as a call of the function that runs the wrappers it puts around
        it (`@db.serialized` -> `serialized.wrapper`, `@retry(3)` -> `retry.decorate.wrapper`),
        at the decorator's line and outside any loop."""
        made = []
        for decorator in function.decorators:
            target = self.index.resolve_function(path, decorator.target) if decorator.target else None
            if target is None or target[1].class_name is not None:
                continue
            decorator_path = target[0]
            facts = self.index.module(decorator_path)
            functions = facts.functions if facts is not None else {}
            levels = [target[1].qualname]  # `@deco`: deco's wrapper; `@deco(...)`: the wrapper of what deco returns
            for _ in range(2 if decorator.is_call else 1):
                levels = [inner for level in levels for inner in returned_functions(functions, level)]
            if levels:
                call = CallFact(decorator.target, decorator.span, 0, f"@{decorator.target[1]}")
                made.append(
                    (
                        call,
                        _Step(receivers=tuple((decorator_path, w, "decorator", None, NOTHING_KNOWN) for w in levels)),
                    )
                )
        return made

    def _in_view(self, callee: tuple[str, str], view: tuple[str, str] | None) -> bool:
        """Whether a function is a method of the view's class or of one of its bases."""
        function = self.index.function(*callee) if view is not None else None
        return function is not None and self._in_lineage(callee[0], function.class_name, view)


def _tested_subjects(function: FunctionFact) -> set[GuardSubject]:
    """What the guards of a function's calls test, the tests an `and` joins included."""
    subjects = set()
    for call in function.calls:
        for name, _ in call.guards:
            subjects.add(name)
            if type(name) is AllOf:
                subjects.update(inner for inner, _ in name.guards)
    return subjects


def _is_own_attribute(name: object) -> bool:
    return type(name) is str and name.startswith(OWN_ATTRIBUTE)


def _own_attributes_tested(function: FunctionFact) -> set[str]:
    """The attributes of `self` the function's branches compare with strings ("[self].action")."""
    return {
        name.parameter
        for name in _tested_subjects(function)
        if type(name) is Equals and _is_own_attribute(name.parameter)
    }


def _own_attribute_tests_left_out(function: FunctionFact, known: Known) -> set[Guard]:
    """The guards no call of this request passes, by what it set on `self` (`self.action` is
    "subscribe": `if self.action == "retrieve":` needs (Equals(...), True), which it fails)."""
    values = {
        name: value
        for name, value in known
        if _is_own_attribute(name) and isinstance(value, frozenset) and name not in function.own_rebound
    }
    if not values:
        return set()

    def truth(subject: GuardSubject) -> bool | None:
        if type(subject) is Equals:
            # the names the request's action may have (`update` runs for PATCH too, as `partial_update`)
            names = values.get(subject.parameter)
            if names is None or (subject.value in names and len(names) > 1):
                return None
            return subject.value in names
        if type(subject) is AllOf:
            truths = [truth(inner) == wanted if truth(inner) is not None else None for inner, wanted in subject.guards]
            return False if False in truths else True if None not in truths else None
        return None

    settled = {(subject, truth(subject)) for subject in _tested_subjects(function)}
    return {(subject, not value) for subject, value in settled if value is not None}


def _keeps_self(call: CallFact, caller: FunctionFact | None) -> bool:
    """Whether a method calls a method of its own instance: `self.get_object()`,
    `super().get_object()`."""
    if caller is None or caller.class_name is None or call.target is None or call.target[0] != "@":
        return False
    owner = call.target[1].rpartition(".")[0]
    return owner in (caller.class_name, f"{caller.class_name}.{SUPER}")


def _add_defaults(known: dict, function: FunctionFact, filled: int) -> None:
    """The defaults written out of the parameters a call fills neither by position (the first
    `filled`) nor by keyword (those `known` has)."""
    for name, truth in function.defaults:
        if name not in known and function.params.index(name) >= filled:
            known[name] = truth


_OTHER_COLUMNS_OF_A_LINK = 2
# what a first-use block starts once per process, as the module's import would
_START_UP_KINDS = frozenset({"thread", "sleep", "slow-call"})


def _within(inner: Span, outer: Span) -> bool:
    """Whether a source range lies inside another."""
    return (inner.line, inner.column) >= (outer.line, outer.column) and (inner.end_line, inner.end_column) <= (
        outer.end_line,
        outer.end_column,
    )


def _outside_background(classified: list[tuple[CallFact, _Step]]) -> list[tuple[CallFact, _Step]]:
    """`asyncio.create_task(deliver(event))` in a request: `deliver` runs in the background task
    the spawn reports (WA102), not in the request, so the call of it is not followed. A task
    handed back to the caller, which may await it, stays followed."""

    def in_background(call: CallFact) -> bool:
        if call.argument_of is None:
            return False
        effect = classified[call.argument_of][1].effect
        return effect is not None and effect.kind == "thread" and not effect.handed_back

    return [(call, _Step() if in_background(call) else step) for call, step in classified]


def _spread_parameters(function: FunctionFact) -> set[str]:
    """The `**kwargs` a function's filters are given (`CallFact.spread_parameter`)."""
    return {call.spread_parameter[0] for call in function.calls if call.spread_parameter}


def _same_local(receiver: CallFact, spawn: CallFact) -> bool:
    """Whether a call's receiver, built by `receiver`, holds what `spawn` made: the same call, or
    one bound to the same local (`proc = Popen(a)` in one arm, `proc = Popen(b)` in the other)."""
    return receiver == spawn or (receiver.bound_to is not None and receiver.bound_to == spawn.bound_to)


def _passes_parameter(call: CallFact) -> bool:
    """`stamp(shelf, codes)` with `codes` a parameter of the calling function: what its caller
    gives may matter to the function called (also `store(album, *files)`)."""
    return call.unpacked is not None or any(arg.parameter for arg in call.args)


def _settled(call: CallFact, step: _Step, around: dict[int, int]) -> tuple[CallFact, _Step]:
    """The call (and the effect it has) in the loop around the loops `around` names."""
    loop = outer_loop(call.loop, around)
    if loop == call.loop:
        return call, step
    moved = replace(call, loop=loop)
    effect = replace(step.effect, call=moved) if step.effect is not None and step.effect.call is call else step.effect
    return moved, replace(step, effect=effect)


def _receiver_steps(
    receivers, model: tuple[str, str] | None, known: Known, signals: Signals | None = None
) -> tuple[tuple[str, str, str, tuple[str, str] | None, Known], ...]:
    """Each receiver with what it is known to be given (`known`); `signals`: the knowledge of
    which signals send `created`, whose receivers of other signals find it false in `**kwargs`."""

    def given(receiver) -> Known:
        if signals is None or not signals.created_signals or signals.created_signals.matches(receiver.signal[1]):
            return known
        keyword = f"**{signals.created_parameter}"
        return frozenset((name, value) for name, value in known if name != keyword) | {(keyword, False)}

    return tuple((r.path, r.qualname, f"{r.signal_name} receiver", model, given(r)) for r in receivers)


def _calls_super(call: CallFact) -> bool:
    return call.target is not None and f".{SUPER}." in call.target[1]


def _member_given(tested: Membership, arg: ArgFact | None) -> bool | None:
    """Whether a call puts the string a guard tests in what it gives: `save(
    update_fields=["status"])` for `"status" in update_fields`, `update(key, {"title": t})` for
    `"active" in data`. None when what it gives is not a list or tuple of strings written out,
    or a dict whose keys all are (`None` written out counts as a parameter left out;
    `.get()` answers it, not its default)."""
    if arg is not None and arg.literal == "None":
        return tested.default if not tested.container.startswith("**") else None
    if arg is None or arg.literal not in ("list", "tuple", "dict") or not arg.items:
        return None
    if arg.literal == "dict" and len(arg.items) != arg.keys:
        return None  # a key that is not a string written out
    return tested.member in arg.items


def _is_none(arg: ArgFact) -> bool | None:
    """Whether an argument is None: `None` written out is, another value written out is not
    (`False`, `0`, a string, a list); None when that is not known."""
    if arg.literal == "None":
        return True
    return False if arg.literal is not None or arg.text is not None else None


def _truth(arg: ArgFact) -> bool | None:
    """Whether an argument written out is true: `False`, `None`, `0` are not; None when not written out."""
    if arg.literal in ("True", "False", "None"):
        return arg.literal == "True"
    return arg.number != 0 if arg.literal == "number" and arg.number is not None else None


def _on_parameter(call: CallFact, parameter: str) -> bool:
    """`instance.x(...)`: a call on a parameter the facts keep by name (anchor "$")."""
    return call.target is not None and call.target[0] == "$" and call.target[1].startswith(parameter + ".")


def _default_manager(model: str) -> str:
    """Django's name for the manager of a model's rows on the model a foreign key names: `card_set`."""
    return f"{model.rsplit('.', 1)[-1].lower()}_set"


def _foreign_key_managers(name: str, model) -> Iterator[tuple[str, Ref, str]]:
    """(column, the model it names, the manager of its rows there) of a model's foreign keys:
    its `related_name`, or Django's default."""
    related = dict(model.related_names)
    for column, target in model.foreign_keys:
        yield column, target, related.get(column) or _default_manager(name)


def _column_named(column: str) -> str:
    """The field a filter keyword names: `team` of `team`, `team_id`, `team__id` or `team__pk`."""
    for suffix in ("__pk", "__id", "_id"):
        if column.endswith(suffix) and len(column) > len(suffix):
            return column.removesuffix(suffix)
    return column
