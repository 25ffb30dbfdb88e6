"""Walking one libcst tree into its `ModuleFacts`.

This is the only module that walks libcst trees for analysis. It records, for
each function, the calls it makes (callee resolved through the module's
imports and local bindings), whether each sits inside a loop, and the shape of
ORM statements; for the module, its top-level bindings. It walks statements
and expressions by hand, without the visitor framework or metadata providers
(see PERFORMANCE-FACTS.md), and asks for positions only of the nodes it keeps.

Node kinds are tested with `type(node) is cst.Call`, not `isinstance`: libcst's
node classes carry `ABCMeta`, so every `isinstance` that fails runs a Python-level
`__instancecheck__`, and the walk makes millions of them (a fifth of the
extraction on netbox). The public concrete node classes have no subclasses
(`tests/test_facts.py` checks it), so the two tests agree; an abstract class
(`cst.BaseExpression`) is still tested with `isinstance`.
"""

from __future__ import annotations

import builtins
import dataclasses
import fnmatch
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from http import HTTPStatus
from typing import TypeVar

import libcst as cst

from worker_audit.facts import (
    CLASS_TYPES,
    FIXED_LOOP_LIMIT,
    FREE,
    IMPORT_ERRORS,
    MODULE_SCOPE,
    NEW_ROW,
    OWN_ATTRIBUTE,
    PARTIAL,
    RELATION_ROWS,
    RETURNS_OWN_CLASS,
    STRING_ANCHOR,
    SUPER,
    TYPE_WRAPPERS,
    UNKNOWN_OWNER,
    WRITTEN_OUT,
    AllOf,
    ArgFact,
    Binding,
    CallFact,
    ClassFact,
    DecoratorFact,
    Equals,
    FunctionFact,
    Guard,
    Mark,
    Membership,
    ModuleFacts,
    NoneTest,
    Ref,
    SameFunction,
    service_ref,
)
from worker_audit.finding import Span
from worker_audit.knowledge import JobCode, Knowledge, Orm
from worker_audit.positions import positions_of

_BUILTINS = frozenset(dir(builtins))
N = TypeVar("N", float, int)  # what a class's body writes out under a name: `_class_constant`
_EMPTY_MODULE = cst.Module(body=[])
# how a block ends (`_suite_end`): by a raise out of the function, or by another jump
RAISES, LEAVES = "raises", "leaves"


# ---------------------------------------------------------------- rendering


def render(node: cst.CSTNode, limit: int = 70) -> str:
    """A short one-line rendering: call arguments become `...`."""
    if type(node) is cst.Name:
        text = node.value
    elif type(node) is cst.Attribute:
        text = f"{render(node.value, limit)}.{node.attr.value}"
    elif type(node) is cst.Call:
        text = f"{render(node.func, limit)}({'...' if node.args else ''})"
    elif type(node) is cst.Subscript:
        text = f"{render(node.value, limit)}[...]"
    elif type(node) in (cst.SimpleString, cst.Integer):
        text = node.value
    else:
        text = " ".join(_EMPTY_MODULE.code_for_node(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def string_value(node: cst.BaseExpression) -> str | None:
    if type(node) is cst.SimpleString:
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if type(node) is cst.ConcatenatedString:
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


# `list(TimeFrame)`: the members of what they are given, in a new collection
_LISTING_BUILTINS = frozenset({("", "list"), ("", "tuple"), ("", "set"), ("", "sorted")})


def _literal_kind(node: cst.BaseExpression) -> str | None:
    if type(node) is cst.Name and node.value in ("True", "False", "None"):
        return node.value
    if type(node) is cst.List:
        return "list"
    if type(node) is cst.Tuple:
        return "tuple"
    if type(node) is cst.Dict and all(type(e) is cst.DictElement for e in node.elements):
        return "dict"  # `{"ui.theme": theme}`; not `{**base, ...}`
    if type(node) in (cst.Integer, cst.Float):
        return "number"
    if type(node) is cst.FormattedString:
        return "fstring"
    if type(node) in (cst.ListComp, cst.GeneratorExp, cst.SetComp):
        return "comprehension"
    return None


def _dotted_of_module_expr(node: cst.Attribute | cst.Name | None) -> str:
    if node is None:
        return ""
    if type(node) is cst.Name:
        return node.value
    return f"{_dotted_of_module_expr(node.value)}.{node.attr.value}"  # type: ignore[arg-type]


def _is_dotted(node: cst.BaseExpression) -> bool:
    while type(node) is cst.Attribute:
        node = node.value
    return type(node) is cst.Name


def _first_name(node: cst.BaseExpression) -> cst.BaseExpression:
    """`a` of `a.b.c`."""
    while type(node) is cst.Attribute:
        node = node.value
    return node


def _join(ref: Ref | None, suffix: str) -> Ref | None:
    if ref is None:
        return None
    anchor, dotted = ref
    return (anchor, f"{dotted}{suffix}" if dotted else suffix.lstrip("."))


# ---------------------------------------------------------------- scopes


class _Scope:
    """Local names of one function: what each refers to, or None when opaque."""

    made = itertools.count()

    def __init__(self, parent: _Scope | None, class_name: str | None) -> None:
        self.key = next(_Scope.made)  # names this scope while others come and go (`id()` is reused)
        self.parent = parent
        self.class_name = class_name
        self.names: dict[str, Ref | None] = {}
        self.strings: dict[str, str] = {}  # local constants: qname = "maintenance"
        # names bound to more than one value, or added to (`queue += "_sheriffed"`): no constant
        self.varied: set[str] = set()
        self.numbers: dict[str, int] = {}  # BATCH_SIZE = 50
        self.calls: dict[str, cst.Call] = {}  # queue = Queue("x"): the call that built a local
        # `qs = qs.prefetch_related("x")`: the call a local held before such a call, by id of it
        self.built_on: dict[int, cst.Call] = {}
        # such calls made in another block than the one they are built on (`if owner: stmt =
        # stmt.where(...)`): what they add may not be there when the local is used
        self.built_apart: set[int] = set()
        self.block_of: dict[int, int] = {}  # id of a call bound to a local -> id of its block
        self.values: dict[str, cst.BaseExpression] = {}  # body = {"job_id": ...}: what a local holds
        # lists of instances: `threads = [Thread(...) for u in urls]`, or `threads.append(t)` with
        # `t = Thread(...)`; the instance every element is, so `for t in threads: t.join()` is typed
        self.elements: dict[str, Ref | None] = {}
        self.started_empty: set[str] = set()  # `threads = []`
        self.iterated: dict[str, cst.BaseExpression] = {}  # `for key in bucket.list():` -> `bucket.list()`
        self.appended: dict[str, list[cst.BaseExpression]] = {}  # `header.append(t.s(x))`: what a list gets
        self.assigned: set[str] = set()  # names the body assigns (`=`, `+=`): a parameter rebound
        # names every assignment of which maps the name itself, one item for one (`items = {k:
        # str(v) for k, v in items.items()}`) or filters it: a parameter so rebound holds no
        # more than given
        self.remapped: dict[str, bool] = {}
        # the statements that bind each name by `=`, `+=` or an annotated `=`, by id
        self.bound_at: dict[str, list[int]] = {}
        # the parameters an `if` being read tests before any statement binds them again: its
        # test reads what the caller gave (see `_read_before_bound`)
        self.tested_as_given: frozenset[str] = frozenset()
        self.rebound: set[str] = set()  # names the body assigns more than once
        self.made_true: set[str] = set()  # names the body assigns anything but a false value written out
        # names each of whose bindings is a tuple or list of 1 to 10 items written out, by name:
        # `info = [("state", "restarted")]` in one branch and `info = [("url", u), ...]` in the other
        self.few_written: dict[str, cst.BaseExpression | None] = {}
        # names each of whose bindings is a dict written out, every binding: `key = {"bug_id": b}`
        # in one branch and `key = {"bug__number": n}` in the other (None: some binding is not)
        self.dicts_bound: dict[str, list[cst.BaseExpression] | None] = {}
        self.self_name: str | None = None
        self.params: frozenset[str] = frozenset()  # a function's parameters: the caller binds them
        self.body: cst.BaseSuite | None = None  # a function's body, for what is read of it on demand
        self._walrus: frozenset[str] | None = None

    def walrus_names(self) -> frozenset[str]:
        """The names the function's body binds with `:=` (read once, when asked)."""
        if self._walrus is None:
            nodes = _function_nodes(self.body) if self.body is not None else []
            self._walrus = frozenset(
                node.target.value for node in nodes if type(node) is cst.NamedExpr and type(node.target) is cst.Name
            )
        return self._walrus

    def find(self, name: str) -> _Scope | None:
        """The innermost scope (this one or an enclosing function) that binds `name`."""
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope
            scope = scope.parent
        return None

    def own_value(self, name: str) -> cst.BaseExpression | None:
        """What this function's own local `name` was last bound to (not an enclosing one's)."""
        return self.values.get(name) if self.find(name) is self else None

    def only_value(self, name: str) -> cst.BaseExpression | None:
        """What this function's own local `name` is bound to, when one statement binds it."""
        return self.own_value(name) if name not in self.rebound else None


def _import_bindings(stmt: cst.Import | cst.ImportFrom) -> Iterator[tuple[str, Ref, cst.CSTNode]]:
    if type(stmt) is cst.Import:
        for alias in stmt.names:
            dotted = _dotted_of_module_expr(alias.name)
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                yield alias.asname.name.value, ("", dotted), alias
            else:
                yield dotted.split(".")[0], ("", dotted.split(".")[0]), alias
        return
    if type(stmt.names) is cst.ImportStar:
        return
    anchor = "." * len(stmt.relative)
    module = _dotted_of_module_expr(stmt.module)
    for alias in stmt.names:
        name = _dotted_of_module_expr(alias.name)
        dotted = f"{module}.{name}" if module else name
        local = alias.asname.name.value if alias.asname and type(alias.asname.name) is cst.Name else name
        yield local, (anchor, dotted), alias


# ---------------------------------------------------------------- extraction


class _FunctionBuilder:
    def __init__(self, qualname: str, name: str, node: cst.CSTNode | None, class_name: str | None):
        self.qualname = qualname
        self.name = name
        self.node = node
        self.class_name = class_name
        self.body: cst.BaseSuite | None = None  # a function's statements (None: the module's)
        self.decorators: list[tuple[cst.Decorator, Ref | None, bool, tuple[ArgFact, ...]]] = []
        self.calls: list[tuple[cst.Call, dict]] = []
        self.marks: list[tuple[cst.CSTNode, dict]] = []
        self.is_async = False
        self.params: tuple[str, ...] = ()
        self.returned: list[Ref | None] = []  # what each `return value` gives, when it is an instance
        self.annotated = False  # `-> X` written as a name: it says what is returned, the body is not read
        self.annotated_return: Ref | None = None
        self.yields = False
        # it names an attribute of the objects a session holds (`db.session.new`): a loop over a
        # local may go over them (`_over_session_pending`)
        self.names_session_pending = False
        self.constant_loops: list[tuple[int, int, Ref]] = []  # (loop, loop around it, name), as walked
        self.schema_loops: list[tuple[int, int, Ref]] = []  # (loop, loop around it, schema class), as walked
        self.param_types: dict[str, Ref] = {}  # the class a parameter's annotation names, as `X()`
        self.parameter_loops: list[tuple[int, int, str]] = []  # (loop, loop around it, parameter), as walked
        self.while_loops: set[int] = set()  # its own `while` loops (not `for`), as walked
        # a bound task's first parameter and its methods that raise (`self.retry(...)`)
        self.raising: tuple[str, frozenset[str]] | None = None
        self.defaults: tuple[tuple[str, bool], ...] = ()
        self.none_defaults: frozenset[str] = frozenset()  # parameters whose default is `None`, written out
        self.text_defaults: tuple[tuple[str, str], ...] = ()  # `section="view"`: a string written out
        self.positional = 0
        self.varargs: str | None = None
        self.kwargs: str | None = None
        self.awaited: set[int] = set()  # ids of the calls whose result the function awaits
        # ids of comprehensions whose calls run at once (no loop), and of calls appended to a list
        # that `gather(*tasks)` runs at once
        self.concurrent: set[int] = set()
        self.handed_back: set[int] = set()  # ids of the calls whose result the function returns
        self.declared_globals: set[str] = set()  # `global x` among the statements of its own body
        self.carrying: set[str] = set()  # responses given the job id by an item assignment (a header)
        self.entered: set[int] = set()  # ids of the calls a `with` statement enters
        self.changing_blocks: set[int] = set()  # of those, the ones whose block changes an attribute
        # what each `return value` gives back, for `returns_few_of`: a name, a comprehension, or None
        self.returned_values: list[cst.BaseExpression | None] = []
        # for each local: the guards around each statement that may give it a true value (an
        # assignment of anything but a false value written out, an append, any method call on it)
        self.filled_under: dict[str, list[tuple[Guard, ...]]] = {}
        self.call_loops: list[tuple[int, int, cst.Call]] = []  # `for order in load([order_id])`
        # `for dev in Device.objects.filter(uuid=u)`: the query, the columns it pins and its model
        self.query_loops: list[tuple[int, int, cst.Call, tuple[str, ...], Ref]] = []
        # comprehensions of coroutines given starred to an awaited project call (`await
        # gather_limited(10, *tasks)`): id -> that call; and their loops, as call_loops
        self.handed_comprehensions: dict[int, cst.Call] = {}
        # ids of the `map(fetch, urls)` calls an awaited `asyncio.gather(*...)` runs at once
        self.concurrent_maps: set[int] = set()
        self.gathered_loops: list[tuple[int, int, cst.Call]] = []
        self.gathers_varargs = False  # `await asyncio.gather(*coros)` of its own `*coros`
        self.returns_few_of: str | None = None
        # `cls._instance = Worker()` in a first-use block: what the class attribute holds, by name
        self.class_slots: dict[str, Ref] = {}
        self.once_made = False
        self.refilled: set[str] = set()  # parameters bound again when empty (`_refilled_parameter`)
        self.own_rebound: set[str] = set()  # `self.action = ...`: FunctionFact.own_rebound

    def mark(self, node: cst.CSTNode, kind: str, text: str, loop: int, **extra) -> None:
        self.marks.append((node, {"kind": kind, "text": text, "loop": loop, **extra}))


# what makes a module object before its code runs (`spec.loader.exec_module(page)`)
_MODULE_MAKERS = frozenset({"importlib.util.module_from_spec", "types.ModuleType"})


class _Extractor:
    def __init__(self, path: str, module: cst.Module, knowledge: Knowledge) -> None:
        self.path = path
        self.module = module
        self.orm: Orm | None = knowledge.orm
        self.job_code: JobCode | None = knowledge.job_code
        self.instance_parameter = knowledge.signals.instance_parameter if knowledge.signals is not None else ""
        self.view_models = knowledge.view_models
        self.concurrent_waits = knowledge.concurrent_waits
        self.concurrent_starts = knowledge.concurrent_starts
        self.function_wrappers = knowledge.function_wrappers
        self.deferred_calls = knowledge.deferred_calls
        self.thread_runners = knowledge.thread_runners
        self.argument_binders = knowledge.argument_binders
        self.mappers = knowledge.mappers
        self.chunked_mappers = knowledge.chunked_mappers
        self.session_pending = self.orm.session_pending if self.orm is not None else frozenset()
        # `pool.map`, `pool.submit`: spawns that a use of their result, or a wait given their
        # future, waits for (`unless_result_used`, `unless_function_calls`)
        self.flow_methods = frozenset(
            name
            for spawn in knowledge.thread_spawns
            if spawn.unless_result_used or spawn.unless_function_calls
            for name in spawn.call.last_segments()
        )
        self.future_answers = frozenset(
            method for spawn in knowledge.thread_spawns if spawn.unless_function_calls for method in spawn.unless_called
        )
        self.future_waits = tuple(
            spawn.unless_function_calls for spawn in knowledge.thread_spawns if spawn.unless_function_calls
        )
        self.model_registrars = knowledge.model_registrars
        # parameters kept by name (anchor "$"): their class is the caller's to say (reach.py)
        views = knowledge.view_models
        self.rows_parameters = {run[-1] for run in views.rows_parameters if run} if views is not None else set()
        self.kept_parameters = (self.rows_parameters | {self.instance_parameter}) - {""}
        self.message_receives = knowledge.message_receives
        # `@shared_task(bind=True)`: `self.retry(...)` in the task raises
        self.task_binds = {
            (s.bind_keyword, m) for s in knowledge.task_systems if s.bind_keyword for m in s.raising_methods
        }
        self.configuration = knowledge.configuration
        self.debug_switches = knowledge.debug_switches
        self.raising_calls = knowledge.raising_calls
        self.suppressing_contexts = knowledge.suppressing_contexts
        self.enumeration_members = knowledge.enumeration_members
        self.service_lookups = knowledge.service_lookups
        self.schema_dumps = knowledge.schema_dumps
        # `apply_async(args=[...], kwargs={...})`: the keywords that carry a task's own arguments
        self.positional_options = {s.options_positional for s in knowledge.task_systems} - {""}
        self.named_options = {s.options_named for s in knowledge.task_systems} - {""}
        # Celery's canvas: `group(task.s(x) for x in xs).apply_async()`, `chord(header)(cb.s())`
        self.canvas = [
            (system.canvas, system.signature_methods, system.call_methods)
            for system in knowledge.task_systems
            if system.canvas
        ]
        self.canvas_members: set[int] = set()  # ids of the signature calls a canvas sends
        # `path`, `re_path`, `add_url_rule`: a view wrapped by hand in their arguments is kept
        self.registrar_names = set().union(*(r.call.last_segments() for r in knowledge.view_registrars))
        self.argument_of: dict[int, cst.Call] = {}  # id of a call -> the call it is an argument of
        # id of a call written nowhere (`task.delay(x)` of `on_commit(partial(task.delay, x))`) ->
        # the node it stands for, whose position it takes
        self.stand_ins: dict[int, cst.CSTNode] = {}
        self.module_names: dict[str, Binding] = {}
        # `bulk_create([... for s in DEFAULT_STATES])` with the constant imported: id(call) -> its name
        self.bounded_by: dict[int, Ref] = {}
        # `rows.append(x)` walked so far, by (scope, list): the loop of each (-1: `rows.extend(xs)`)
        self.grown: dict[tuple[int, str], list[int]] = {}
        # the assignments walked so far of a local that one builds with many=True (a DRF
        # serializer), by scope: whether each builds with many=True, and the blocks around it
        self.built_with_many: dict[tuple[int, str], list[tuple[bool, tuple[tuple[str, int, int], ...]]]] = {}
        self.binding_nodes: dict[str, cst.CSTNode] = {}
        self.binding_calls: dict[str, cst.Call] = {}
        self.module_rebound: set[str] = set()  # module-level names bound by more than one statement
        self.globals_bound: frozenset[str] | None = None  # names functions bind through `global`
        # a module read in part: the names the whole module binds again (`outline.rebound_names`)
        self.rebound_elsewhere: frozenset[str] = frozenset()
        # the first calls of model statements run by `.execute()` (`Item.delete()`), by id
        self.statement_heads: set[int] = set()
        # the `.execute()` of a model statement, by id: the class it is built on (`Item`)
        self.statement_models: dict[int, Ref] = {}
        self.star_imports: list[Ref] = []
        self.functions: list[_FunctionBuilder] = []
        self.classes: list[tuple[str, cst.ClassDef, tuple[Ref | None, ...], list[str]]] = []
        # class qualname -> attribute -> the instance it holds: `bg: BackgroundTasks` in the class body,
        # then `self.bg = bg` in `__init__` with `bg: BackgroundTasks` (outline.py reads the same)
        self.class_annotations: dict[str, dict[str, Ref]] = {}
        self.once_depth = 0  # inside a block that runs once per database (a singleton's creation)
        self.start_up_depth = 0  # inside a block that builds a module global once per process
        self.init_attributes: dict[str, dict[str, Ref]] = {}
        self.loop_nodes: list[cst.CSTNode] = []  # loop number n (from 1) is loop_nodes[n - 1]
        self.breaks_to: list[int] = []  # for the loops being walked: the loop a `break` leaves the code in
        # the call each local was last bound to in the statements walked so far (by scope key):
        # `qs.filter(pk=pk).delete()` before `qs = qs.exclude(...)` reads the binding before it
        self.walked_calls: dict[tuple[int, str], cst.Call | None] = {}
        # `page.manager = Blueprint(...)` on a module object made in a function: name -> what it holds
        self.injected: dict[str, Ref] = {}
        self._shadowed: dict[str, set[str]] | None = None  # `_set_elsewhere`, by class name
        self._changed_attributes: frozenset[str] | None = None  # `_attributes_changed`
        self.class_body_names: dict[str, set[str]] = {}  # class qualname -> the names its body binds
        self.declared_only: set[str] = set()  # module names only annotated (`manager: Blueprint`)
        # `RETRY_ATTEMPTS = 3` in a class's body: class qualname -> name in capitals -> number
        self.class_numbers: dict[str, dict[str, float]] = {}
        # `SKUS = ["a", "b"]` in a class's body: class qualname -> name in capitals -> its items
        self.class_items: dict[str, dict[str, int]] = {}
        self.walked_bindings: dict[tuple[int, str], int] = {}  # how many assignments of each were walked
        # the last value walked for each local, with the ifs and trys around its assignment:
        # `sql = "DELETE ..."`, `execute(sql)`, `sql = "..."` again, read where each runs
        self.walked_values: dict[tuple[int, str], tuple[cst.BaseExpression, tuple, tuple]] = {}
        self.bound_names: dict[int, str] = {}  # id of a call -> the local it is assigned to (`p = Popen(...)`)
        # for the loops being walked: (the loop, the name of the mapping key each round holds, as
        # `key` of `for key, value in request.POST.items()`), or None
        self.key_loops: list[tuple[int, str] | None] = []
        # for the loops being walked: (the loop, the name each round holds a row of a query in,
        # its body), as `status` of `for i, status in enumerate(Status.objects.all())`, or None
        self.row_loops: list[tuple[int, str, cst.For] | None] = []
        # for the loops being walked: (the loop, its statement), for a block of its first round only
        self.loop_bodies: list[tuple[int, cst.For | cst.While]] = []
        # for the loops being walked: how many `try:` bodies inside the loop hold what is walked
        # (a `raise` there may be caught in the loop; elsewhere it leaves the loop, as a `break`)
        self.tried: list[int] = []
        # for the blocks being walked, how each ends (`_suite_end`): RAISES, LEAVES or None
        self.suite_ends: list[str | None] = []
        # locals and parameters a block caps, for its statements walked next (`if len(files) >
        # 1: return ...`), up to what may change them (`_cap_end`): (scope key, name)
        self.length_caps: set[tuple[int, str]] = set()
        # the function's parameters tested by the `if`s around the statement being walked
        self.guards: tuple[tuple[str, bool], ...] = ()
        self.tests_around: list[cst.BaseExpression] = []  # the tests of the `if`s whose bodies are walked
        # the rounds of the loops around the statement walked that repeat it a few fixed times
        # (`for attempt in range(4):`), None for one that does not say how many
        self.rounds_around: list[int | None] = []
        self.sleeps = knowledge.sleeps
        self.bounded_randoms = knowledge.bounded_randoms
        self.result_waits = frozenset().union(*(system.result_waits for system in knowledge.task_systems))
        # the arms of the `if` statements around the statement walked: (if, 0) in its body,
        # (if, 1) in its `else` or `elif`, the ifs numbered in the module
        self.arms: tuple[tuple[int, int], ...] = ()
        # the `if` arms and `try` parts around a statement, in their nesting order: ("if", n, arm),
        # ("try", n, 0) in a `try` body or its `else`, ("try", n, 1) in a handler
        self.blocks: tuple[tuple[str, int, int], ...] = ()
        self.tries = 0
        self.ifs = 0

    def next_loop(self, node: cst.CSTNode) -> int:
        """A number for a loop while walking; the facts name it by its position instead
        (`loop_id`), which is the same whether the module is read whole or in part."""
        self.loop_nodes.append(node)
        return len(self.loop_nodes)

    # -- module level bindings (pass 1) ------------------------------------

    def collect_module_bindings(self, body) -> None:
        for stmt in body:
            self._collect_statement_bindings(stmt)
        self._collect_global_instances(body)

    def _collect_global_instances(self, body) -> None:
        """`item_repo = None` at the top (or nothing), then `global item_repo; item_repo =
        ItemRepository(db)` in one set-up function (pybossa's repositories): the name holds
        what that one call builds. `outline._Outliner` reads it the same way."""
        assigned: dict[str, list[tuple[cst.BaseExpression, dict[str, Ref]]]] = {}
        for stmt in body:
            if type(stmt) is cst.FunctionDef and _declares_global(stmt):
                imported = {  # `from pybossa.repositories import TaskRepository` inside the function
                    name: ref
                    for node in own_nodes(stmt)
                    if type(node) in (cst.Import, cst.ImportFrom)
                    for name, ref, _ in _import_bindings(node)
                }
                for name, value in _global_assignments(stmt):
                    assigned.setdefault(name, []).append((value, imported))
        for name, values in assigned.items():
            current = self.module_names.get(name)
            placeholder = current is None or (current.kind == "alias" and current.ref == ("", "None"))
            if not placeholder or len(values) != 1 or type(values[0][0]) is not cst.Call:
                continue
            call, imported = values[0]
            head = call.func
            while type(head) is cst.Attribute:
                head = head.value
            if type(head) is cst.Name and head.value in imported:
                anchor, dotted = imported[head.value]
                ref: Ref | None = (anchor, dotted + _dotted_of_module_expr(call.func)[len(head.value) :])
            else:
                ref = self.resolve(call.func, None)
            self.module_names[name] = Binding("instance", ref=_join(ref, "()"))
            self.binding_calls.pop(name, None)

    def _collect_statement_bindings(self, stmt: cst.CSTNode) -> None:
        if type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                self._collect_statement_bindings(small)
        elif type(stmt) in (cst.Import, cst.ImportFrom):
            if type(stmt) is cst.ImportFrom and type(stmt.names) is cst.ImportStar:
                # `from .bulk_views import *`: names not bound here may come from there
                module = ("." * len(stmt.relative), _dotted_of_module_expr(stmt.module))
                self.module_names[f"*{len(self.star_imports)}"] = Binding("star", ref=module)
                self.star_imports.append(module)
            for name, ref, _ in _import_bindings(stmt):
                self.module_names[name] = Binding("import", ref)
        elif type(stmt) in (cst.Assign, cst.AnnAssign):
            self._collect_assignment(stmt)
        elif type(stmt) is cst.FunctionDef:
            self.module_names[stmt.name.value] = Binding("function")
            self.binding_nodes[stmt.name.value] = stmt.name
        elif type(stmt) is cst.ClassDef:
            self.module_names[stmt.name.value] = Binding("class")
            self.binding_nodes[stmt.name.value] = stmt.name
            self._collect_class_settings(stmt)
        elif type(stmt) is cst.Try and _imports_with_fallback(stmt):
            # `try: import queue` / `except ImportError: import Queue as queue`: the module
            # runs on an interpreter where the `try` works, so what it binds wins
            suites = [handler.body for handler in stmt.handlers] + [stmt.body]
            suites += [block.body for block in (stmt.orelse, stmt.finalbody) if block is not None]
            for suite in suites:
                for child in _suite_statements(suite):
                    self._collect_statement_bindings(child)
        else:
            for child in _child_blocks(stmt):
                self._collect_statement_bindings(child)

    def _collect_class_settings(self, node: cst.ClassDef) -> None:
        """`class BaseConfig: CELERY_TASK_DEFAULT_QUEUE: str = "default"`, a configuration class
        read with `config_from_object`: a setting kept by its dotted name, like `app.conf.x = ...`
        (values only: a name the class binds to an instance or a class is not a setting)."""
        body = node.body.body if type(node.body) is cst.IndentedBlock else ()
        for line in body:
            for small in line.body if type(line) is cst.SimpleStatementLine else ():
                if type(small) not in (cst.Assign, cst.AnnAssign) or small.value is None:
                    continue
                targets = [t.target for t in small.targets] if type(small) is cst.Assign else [small.target]
                binding = self._binding_for_value(small.value, None)
                if binding.kind in ("string", "mapping", "number", "other"):
                    for target in targets:
                        if type(target) is cst.Name:
                            self.module_names[f"{node.name.value}.{target.value}"] = binding
                            self.binding_nodes[f"{node.name.value}.{target.value}"] = target

    def _collect_assignment(self, small: cst.Assign | cst.AnnAssign) -> None:
        targets = [t.target for t in small.targets] if type(small) is cst.Assign else [small.target]
        value = small.value
        for target in targets:  # `manager: Blueprint` binds nothing at run time
            if type(target) is cst.Name and value is None and target.value not in self.module_names:
                self.declared_only.add(target.value)
            elif type(target) is cst.Name:
                self.declared_only.discard(target.value)
        for target in targets:
            if type(target) is cst.Attribute and value is not None:
                # app.conf.task_routes = {...}: a setting written on an object, kept by its dotted name
                dotted = _dotted_of_module_expr(target) if _is_dotted(target) else None
                binding = self._binding_for_value(value, None)
                # a tuple or list too: `app.conf.task_queues = (Queue("a"), ...)` is a setting
                written_out = binding.kind in ("string", "mapping", "number") or type(value) in (cst.Tuple, cst.List)
                if dotted and written_out:
                    self.module_names[dotted] = binding
                    self.binding_nodes[dotted] = target
                continue
            if type(target) is not cst.Name:
                continue
            if _wraps_itself(target.value, value) and self.module_names.get(target.value) == Binding("function"):
                continue  # `mass_update = staff_member_required(mass_update)`: as `@staff_member_required`
            if target.value in self.module_names:
                self.module_rebound.add(target.value)
            binding = self._binding_for_value(value, None)
            self.module_names[target.value] = binding
            self.binding_nodes[target.value] = target
            if type(value) is cst.Call:
                self.binding_calls[target.value] = value
            else:
                self.binding_calls.pop(target.value, None)

    def _binding_for_value(self, value: cst.BaseExpression | None, scope: _Scope | None) -> Binding:
        if value is None:
            return Binding("other")
        if type(value) is cst.Await and scope is not None:  # `note = await Note.objects.aget(pk=pk)`
            value = value.expression
        text = string_value(value)
        if text is not None:
            return Binding("string", value=text)
        number = _integer(value)
        if number is not None:
            return Binding("number", value=str(number))
        builtin_dict = "dict" not in self.module_names and (scope is None or scope.find("dict") is None)
        if type(value) is cst.Call and _is_name(value.func, "dict") and builtin_dict:
            if value.args and all(a.keyword is not None and not a.star for a in value.args):
                # `OPT_OUT = dict(module="telemetry", key="opt_out")`: a mapping of those keys
                keys = tuple(a.keyword.value for a in value.args)  # type: ignore[union-attr]
                pairs = tuple((a.keyword.value, string_value(a.value)) for a in value.args)  # type: ignore[union-attr]
                return Binding("mapping", keys=keys, pairs=pairs, items=len(keys))
        if type(value) is cst.Call:
            called = self.resolve(_generic_origin(value.func), scope)
            wrapped = value.args[0] if value.args and value.args[0].keyword is None and not value.args[0].star else None
            if called == PARTIAL and wrapped is not None and type(wrapped.value) in (cst.Name, cst.Attribute):
                return Binding("alias", ref=self.resolve(wrapped.value, scope))  # it calls what it wraps
            made = _join(called, "()")
            # `get_model("basket", "Line")`: the strings it is given, which may name a model
            given = [string_value(a.value) for a in value.args if a.keyword is None and not a.star]
            named = tuple(given) if 1 <= len(given) == len(value.args) <= 2 and None not in given else None
            # `users = request.find_service(IUsers)` in a function (the outline reads no call so)
            found = self._found_service(value, scope) if scope is not None else None
            return Binding(
                "instance", ref=found or self._fetched_by_shortcut(value, made, scope) or made, strings=named
            )
        if type(value) in (cst.Name, cst.Attribute):
            return Binding("alias", ref=self.resolve(value, scope))
        if type(value) is cst.Subscript:  # `AsyncDB = Annotated[AsyncSession, Depends(...)]`
            inner = self.annotated_type(value, scope)
            if inner is not value and type(inner) in (cst.Name, cst.Attribute):
                return Binding("alias", ref=self.resolve(inner, scope))
        if type(value) is cst.Dict:
            items = len(value.elements) if all(type(e) is cst.DictElement for e in value.elements) else None
            keys = []
            for element in value.elements:
                if type(element) is not cst.DictElement:
                    return Binding("mapping", keys=None)  # **other: not all keys are known
                text = string_value(element.key)
                if text is None and type(element.key) is not cst.Name:
                    return Binding("mapping", keys=None, items=items)
                keys.append(text if text is not None else f"${element.key.value}")
            return Binding("mapping", keys=tuple(keys), pairs=_dict_pairs(value), items=items)
        if type(value) in (cst.Tuple, cst.List, cst.Set):
            starred = any(type(e) is cst.StarredElement for e in value.elements)
            return Binding(
                "other",
                items=None if starred else len(value.elements),
                strings=None if starred else _string_items(value),
            )
        if type(value) in (cst.ListComp, cst.SetComp, cst.DictComp) and value.for_in.inner_for_in is None:
            # `BINARIES = {b: b + ext for b in ["convert", "calibredb"]}`: no more items than those
            over = value.for_in.iter
            if type(over) in (cst.Tuple, cst.List, cst.Set) and over.elements:
                if not any(type(e) is cst.StarredElement for e in over.elements):
                    return Binding("other", items=len(over.elements))
        return Binding("other")

    # -- name resolution ---------------------------------------------------

    def lookup(self, name: str, scope: _Scope | None) -> Ref | None:
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        binding = self.module_names.get(name)
        if binding is None:
            # a builtin keeps its name; with a star import, the name may come from it;
            # anything else (a comprehension variable) is unknown
            if name in _BUILTINS:
                return ("", name)
            return ("@", name) if self.star_imports else None
        if binding.kind == "import":
            return binding.ref
        return ("@", name)

    def resolve(self, expr: cst.BaseExpression, scope: _Scope | None) -> Ref | None:
        if type(expr) is cst.Name:
            if scope is not None and scope.self_name == expr.value and scope.class_name:
                return ("@", scope.class_name)
            return self.lookup(expr.value, scope)
        if type(expr) is cst.Attribute:
            return _join(self.resolve(expr.value, scope), "." + expr.attr.value)
        if type(expr) is cst.Call:
            if _is_name(expr.func, "super") and not expr.args and scope is not None and scope.self_name:
                return ("@", f"{scope.class_name}.{SUPER}")  # `super().post`: the bases' `post`
            found = self._found_service(expr, scope)
            if found is not None:
                return found
            called = _join(self.resolve(_generic_origin(expr.func), scope), "()")
            return self._fetched_by_shortcut(expr, called, scope) or called
        return None

    def _found_service(self, call: cst.Call, scope: _Scope | None) -> Ref | None:
        """`request.find_service(IUserService)` (or `iface=`), `find_service(name="user_delete")`
        (`services.lookups` in the packs): what the registry holds for that interface or name,
        for the project index to find (`SERVICE_ANCHOR`)."""
        func = call.func
        if not self.service_lookups or type(func) is not cst.Attribute or func.attr.value not in self.service_lookups:
            return None
        iface = next((a.value for a in call.args if a.keyword is None and not a.star), None)
        name = None
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "iface":
                iface = arg.value
            elif arg.keyword is not None and arg.keyword.value == "name":
                name = string_value(arg.value)
        if iface is None:
            return service_ref(None, name)
        ref = self.resolve(iface, scope) if type(iface) in (cst.Name, cst.Attribute) else None
        text = string_value(iface)  # `find_service("myapp.interfaces.IUsers")`
        ref = ("", text) if ref is None and text is not None else ref
        return service_ref(ref, name) if ref is not None else None

    def _resolve_through_instances(self, expr: cst.BaseExpression, scope: _Scope | None) -> Ref | None:
        """As `resolve`, but a module's own name bound once to an instance of a library class
        stands for it: `POOL.submit` of `POOL = ThreadPoolExecutor(4)` is
        `concurrent.futures.ThreadPoolExecutor().submit` (the project index reads the others)."""
        resolved = self.resolve(expr, scope)
        if resolved is None or resolved[0] != "@":
            return resolved
        head, dot, rest = resolved[1].partition(".")
        binding = self.module_names.get(head)
        if binding is None or binding.kind != "instance" or head in self.module_rebound:
            return resolved
        if binding.ref is None or binding.ref[0] != "":
            return resolved
        return ("", binding.ref[1] + dot + rest)

    def _paired_instance(
        self, target: cst.BaseExpression, value: cst.BaseExpression | None, scope: _Scope | None
    ) -> tuple[cst.Name, Ref] | None:
        """`server, created = Server.objects.get_or_create(...)`: `server` is what
        `Server.objects.get()` gives, one instance of the model (also `await ...aget_or_create()`)."""
        orm = self.orm
        if type(value) is cst.Await:
            value = value.expression
        if orm is None or type(target) not in (cst.Tuple, cst.List) or type(value) is not cst.Call:
            return None
        first = target.elements[0].value if target.elements else None
        method = value.func.attr.value if type(value.func) is cst.Attribute else None
        if type(first) is not cst.Name or method not in orm.instance_pairs or "get" not in orm.instance_getters:
            return None
        assert type(value.func) is cst.Attribute
        query = _join(self.resolve(value.func.value, scope), ".get()")
        return (first, query) if query is not None else None

    def _fetched_by_shortcut(self, call: cst.Call, called: Ref | None, scope: _Scope | None) -> Ref | None:
        """`get_object_or_404(Server, pk=pk)` in a function (not at module level, where outlines
        read names the same way): `Server.objects.get()`, one instance the query returns (of a
        queryset given: `qs.get()`)."""
        orm = self.orm
        if scope is None or orm is None or called is None or called[0]:
            return None
        if called[1].removesuffix("()") not in orm.instance_shortcuts:
            return None
        first = call.args[0] if call.args and call.args[0].keyword is None and not call.args[0].star else None
        model = self.resolve(first.value, scope) if first is not None else None
        if model is None or "get" not in orm.instance_getters or not orm.query_properties:
            return None
        manager = "objects" if "objects" in orm.query_properties else min(orm.query_properties)
        # a queryset (`Notes.objects.filter(...)`) or a manager (`Notes.objects`) given: its `.get()`
        queried = model[1].endswith("()") or model[1].rpartition(".")[2] in orm.query_properties
        return _join(model, ".get()" if queried else f".{manager}.get()")

    def annotated_type(self, annotation: cst.BaseExpression, scope: _Scope | None) -> cst.BaseExpression:
        """The type an annotation says: `Annotated[T, ...]`, `Optional[T]` and `T | None` say T."""
        if type(annotation) is cst.Subscript and annotation.slice:
            first = annotation.slice[0].slice
            if type(first) is cst.Index and self.resolve(annotation.value, scope) in TYPE_WRAPPERS:
                inner = first.value
                if len(annotation.slice) == 1 and type(inner) is cst.Tuple:  # `T[(A, B)]`, as `ast` reads it
                    if not inner.elements:
                        return annotation
                    inner = inner.elements[0].value
                return self.annotated_type(inner, scope)
        if type(annotation) is cst.BinaryOperation and type(annotation.operator) is cst.BitOr:
            for side, other in ((annotation.left, annotation.right), (annotation.right, annotation.left)):
                if type(other) is cst.Name and other.value == "None":
                    return self.annotated_type(side, scope)
        return annotation

    def _return_type(
        self, annotation: cst.BaseExpression, scope: _Scope | None
    ) -> tuple[cst.BaseExpression, str] | None:
        """The class a return annotation names, and `()` when the function returns an instance
        of it: `-> Server`, `-> "Server"` (a forward reference), `-> Optional[Server]`,
        `-> Server | None`; `""` for the class itself (`-> type[Router]`, `-> Type[Router]`).
        None for anything else (`-> list[Server]`)."""
        named = self.annotated_type(annotation, scope)
        text = string_value(named)
        if text is not None:  # a forward reference: `-> "Server"`, `-> "Server | None"`
            try:
                named = self.annotated_type(cst.parse_expression(text.strip()), scope)
            except (cst.ParserSyntaxError, RecursionError):
                return None
        made = "()"
        if type(named) is cst.Subscript and len(named.slice) == 1 and type(named.slice[0].slice) is cst.Index:
            if self.resolve(named.value, scope) in CLASS_TYPES:
                named, made = self.annotated_type(named.slice[0].slice.value, scope), ""
        return (named, made) if type(named) in (cst.Name, cst.Attribute) else None

    def _annotated_instance(self, annotation: cst.BaseExpression, scope, class_name, made: str = "()") -> Ref | None:
        """`-> Queue`: an rq.Queue (`made` is `()`; `""` for `-> type[Queue]`: the class); `-> Self`
        in a class: RETURNS_OWN_CLASS; `-> None`, `-> bool`: nothing to follow (the body is read
        instead)."""
        ref = self.resolve(annotation, scope)
        if ref is None or ref[0] == "" and (ref[1] in _BUILTINS or ref[1] == "None"):
            return None
        if ref in (("", "typing.Self"), ("", "typing_extensions.Self")):
            return RETURNS_OWN_CLASS if class_name and made else None
        return _join(ref, made)

    def returned_instance(self, value: cst.BaseExpression, scope: _Scope | None) -> Ref | None:
        """What `return value` gives, when it is an instance: `Queue(name)` -> `rq.Queue()`;
        `cls(...)`, `cls.query.filter(...).one()`, `session.query(cls).get(i)` -> an instance
        of the class the method is called on (`RETURNS_OWN_CLASS`); `User.query.first()` -> `User()`."""
        own = scope is not None and scope.self_name is not None and scope.class_name is not None
        if type(value) is cst.Call and type(value.func) is cst.Name:
            if own and scope is not None and value.func.value == scope.self_name:
                return RETURNS_OWN_CLASS
        if type(value) is cst.Call and type(value.func) is cst.Attribute and self.orm is not None:
            if value.func.attr.value in self.orm.instance_getters:
                return self._queried_model(value.func.value, scope)
        ref = self.resolve(value, scope) if type(value) in (cst.Name, cst.Call, cst.Attribute) else None
        if ref is None:
            return None
        if type(value) is cst.Attribute:
            # `return ext.celery` with `ext = FlaskCeleryExt(app)`: an attribute of a library's instance
            return ref if ref[0] == "" and "()." in ref[1] else None
        return ref if ref[1].endswith("()") else None

    def _list_elements(self, name: str, value: cst.BaseExpression, scope: _Scope) -> None:
        """`threads = [Thread(target=f, args=(u,)) for u in urls]`: a list of instances of one
        class; `threads = []` leaves its elements to the appends."""
        if type(value) is cst.List and not value.elements:
            scope.started_empty.add(name)  # the appends say what it holds
            return
        built = value.elt if type(value) is cst.ListComp else None
        element = _join(self.resolve(built.func, scope), "()") if type(built) is cst.Call else None
        self._add_element(name, element, scope)

    def _appended_element(self, call: cst.BaseExpression, scope: _Scope) -> None:
        """`threads.append(t)`, with `t = Thread(...)`: the list holds what `t` is; and what any
        `header.append(...)` appends (a canvas's header built in a loop)."""
        if not (
            type(call) is cst.Call
            and type(call.func) is cst.Attribute
            and type(call.func.value) is cst.Name
            and call.func.attr.value == "append"
            and len(call.args) == 1
        ):
            return
        scope.appended.setdefault(call.func.value.value, []).append(call.args[0].value)
        if type(call.args[0].value) is not cst.Name:
            return
        held = call.func.value.value
        if held in scope.started_empty:  # not a list from elsewhere, which may hold anything
            self._add_element(held, scope.names.get(call.args[0].value.value), scope)

    @staticmethod
    def _add_element(name: str, element: Ref | None, scope: _Scope) -> None:
        """A list whose elements are all instances of one class keeps it; any other makes it
        opaque (None) for good."""
        if name in scope.elements and scope.elements[name] != element:
            element = None
        scope.elements[name] = element

    def _iterated_model(self, query: cst.BaseExpression, scope: _Scope | None) -> Ref | None:
        """What `for row in Model.objects.filter(...)` gives: a Model instance, when every call
        after the query's start keeps it a query of instances (not `values_list(...)`)."""
        if self.orm is None:
            return None
        links = self._query_links(query, scope)
        start = _query_start(links, self.orm, lambda expr: self._is_session(expr, scope))
        if start is None:
            return (
                self._iterated_view_model(links, scope)
                or self._iterated_rows_parameter(links)
                or self._iterated_relation(links, scope)
            )
        kept = links[start:]
        if _dict_of_instances(kept, self.orm):  # `.in_bulk(ids).values()`: the instances of a dict
            kept = kept[:-4]
        if not _keeps_a_query(kept, self.orm):
            return None
        query_link = links[start - 1][1]
        if type(query_link) is cst.Call and len(query_link.args) != 1:
            return None  # session.query(User, Address): rows of tuples
        model = _queried_expr(links, start)
        if model is None or type(model) is cst.Name and scope is not None and model.value == scope.self_name:
            return None
        return _join(self.resolve(model, scope), "()")

    def _iterated_view_model(self, links, scope: _Scope | None) -> Ref | None:
        """`for obj in self.queryset.filter(...)` in a view: an element of the view's model,
        which each view that inherits the method says (`View.queryset.[]`, read in reach.py)."""
        views = self.view_models
        if views is None or self.orm is None or scope is None or scope.self_name is None or len(links) < 2:
            return None
        (root_kind, root), (_, attribute) = links[0], links[1]
        if root_kind != "root" or type(root) is not cst.Name or root.value != scope.self_name:
            return None
        if type(attribute) is not cst.Attribute or attribute.attr.value not in views.model_attributes:
            return None
        if not _keeps_a_query(links[2:], self.orm):
            return None
        return _join(self.resolve(attribute, scope), ".[]")

    def _iterated_rows_parameter(self, links) -> Ref | None:
        """`for row in queryset.order_by("id")`, `queryset` a parameter that holds rows of the
        view's model (`rows_parameters`; an admin action's): `queryset.[]`, read in reach.py."""
        if self.orm is None or not links:
            return None
        kind, root = links[0]
        if kind != "root" or type(root) is not cst.Name or root.value not in self.rows_parameters:
            return None
        return ("$", f"{root.value}.[]") if _keeps_a_query(links[1:], self.orm) else None

    def _iterated_relation(self, links, scope: _Scope | None) -> Ref | None:
        """`for check in project.check_set.all()`: a row of the model whose foreign key to the
        owner's model has that default manager (`<owner>.check_set.[rows]`, read in reach.py)."""
        orm = self.orm
        if orm is None or not links or links[-1][0] != "call":
            return None  # `.all()`, `.filter(...)` last: a manager alone is no iterable
        for index, (kind, manager) in enumerate(links[:-2]):
            if kind == "attr" and type(manager) is cst.Attribute and _a_default_manager(manager, orm):
                if not _keeps_a_query(links[index + 1 :], orm):
                    return None
                return _join(self.resolve(manager.value, scope), f".{manager.attr.value}.{RELATION_ROWS}")
        return None

    def _queried_model(self, query: cst.BaseExpression, scope: _Scope | None) -> Ref | None:
        """The model a query selects: `cls.query...`, `User.objects...`, `session.query(User)...`,
        also through a local (`query = cls.query.filter(...)`; `query.one()`)."""
        orm = self.orm
        assert orm is not None
        links = _chain(query)
        start = _query_start(links, orm, lambda expr: self._is_session(expr, scope))
        model = _queried_expr(links, start) if start is not None else None
        if model is not None:
            if type(model) is cst.Name and scope is not None and model.value == scope.self_name:
                return RETURNS_OWN_CLASS
            return _join(self.resolve(model, scope), "()")
        ref = self.resolve(query, scope)  # a local holding the query: its reference says where it starts
        if ref is None:
            return None
        anchor, dotted = ref
        segments = dotted.split(".")
        for index, segment in enumerate(segments[1:], start=1):
            if segment in orm.query_properties:
                model = ".".join(segments[:index])
                if anchor == "@" and scope is not None and scope.self_name is not None and model == scope.class_name:
                    return RETURNS_OWN_CLASS
                return (anchor, model + "()") if "(" not in model else None
        return None

    def constant(self, expr: cst.BaseExpression, scope: _Scope | None) -> tuple[str | None, int | None]:
        """A literal's value, or a local constant's: `"x"`, `50`, `qname` after `qname = "x"`."""
        text = string_value(expr)
        if text is not None:
            return text, None
        number = _integer(expr)
        if number is not None:
            return None, number
        status = self._status_constant(expr, scope)
        if status is not None:
            return None, status
        if type(expr) is cst.Name and scope is not None:
            owner = scope.find(expr.value)
            if owner is not None:
                return owner.strings.get(expr.value), owner.numbers.get(expr.value)
        return None, None

    def _status_constant(self, expr: cst.BaseExpression, scope: _Scope | None) -> int | None:
        """An HTTP status written as a name: `status.HTTP_202_ACCEPTED` (DRF, Starlette and
        FastAPI name them so), `HTTPStatus.ACCEPTED` from `http`."""
        if type(expr) not in (cst.Name, cst.Attribute):
            return None
        name = expr.value if type(expr) is cst.Name else expr.attr.value
        numbered = _STATUS_NAME.fullmatch(name)
        if numbered is not None:
            return int(numbered.group(1))
        if name not in HTTPStatus.__members__:
            return None  # resolved only when it can be a member: most arguments are not
        ref = self.resolve(expr, scope)
        if ref is not None and ref[0] == "" and ref[1].startswith("http.HTTPStatus."):
            member = HTTPStatus.__members__.get(ref[1].removeprefix("http.HTTPStatus."))
            return member.value if member is not None else None
        return None

    def arg_facts(
        self, args, scope: _Scope | None, fn: _FunctionBuilder | None = None, registrar: bool = False
    ) -> tuple[ArgFact, ...]:
        """`fn`: the function holding the call, whose kept parameters an argument may name;
        `registrar`: the call may register views, whose arguments may wrap one by hand."""
        out = []
        for arg in args:
            if arg.star:
                continue
            keyword = arg.keyword.value if arg.keyword is not None else None
            value = arg.value
            text, number = self.constant(value, scope)
            held = scope.few_written.get(value.value) if type(value) is cst.Name and scope is not None else None
            if (
                held is not None
                and type(held) in (cst.List, cst.Tuple)
                and value.value not in scope.appended
                and value.value not in scope.iterated
            ):
                # `info = [("url", url), ("state", s)]; box.set_info(info)`: a few items written out
                # (by each of its bindings)
                value = held
            elif type(value) is cst.Name and scope is not None and fn is not None and fn.body is not None:
                single = scope.only_value(value.value)
                if (
                    single is not None
                    and _literal_kind(single) == "dict"
                    and value.value not in scope.params
                    and _named_times(value.value, fn.body) == 2
                ):
                    # `creds = {"api_key": k, "env": e}; add_configs(creds)`: its keys, written out
                    # once, the dict named nowhere else (no helper, alias or nested function fills
                    # it), for a loop over its `.items()`
                    value = single
            listed = self._listed_class(value, scope)
            out.append(
                ArgFact(
                    keyword=keyword,
                    ref=listed
                    or (self.resolve(value, scope) if type(value) in (cst.Name, cst.Attribute, cst.Call) else None),
                    text=text,
                    # `touch_states(State.objects.filter(pk=pk))`: the one row of a query, for a
                    # helper that loops over it
                    literal="members"
                    if listed is not None
                    else "one-row"
                    if type(value) is cst.Call and self._one_row_query(value, scope)
                    else "capped"
                    if self._capped(value, scope)
                    else _literal_kind(value),
                    number=number,
                    items=_string_items(value) or self._strings_mapped(value, scope),
                    keys=len(value.elements) if _literal_kind(value) == "dict" else None,  # type: ignore[attr-defined]
                    refs=tuple(
                        self.resolve(e.value, scope) if type(e.value) in (cst.Name, cst.Attribute) else None
                        for e in value.elements
                    )
                    if type(value) in (cst.List, cst.Tuple)
                    and not any(type(e) is cst.StarredElement for e in value.elements)  # `[*rows]`: unknown
                    else (),
                    pairs=_dict_pairs(value),
                    # (a parameter mapped one item for one: its few items, never its values, go on)
                    parameter=value.value
                    if fn is not None
                    and type(value) is cst.Name
                    and (_given_by_caller(value.value, fn, scope) or _remapped_parameter(value.value, fn, scope))
                    else None,
                    falsy_parameter=value.value
                    if fn is not None and type(value) is cst.Name and _only_made_false(value.value, fn, scope)
                    else None,
                    entries=self._carried_arguments(keyword, value, scope, fn) if keyword is not None else (),
                    wrapped=self._wrapped_view(value, scope) if registrar else None,
                    runs=self._lambda_runs(value, scope) if type(value) is cst.Lambda else None,
                )
            )
        return tuple(out)

    def _lambda_runs(self, value: cst.Lambda, scope: _Scope | None) -> Ref | None:
        """`lambda: os.unlink(path)`: what the lambda's one call calls; None when its body is
        no call, calls a name the lambda takes (`lambda f: f()`) or calls something in its
        arguments (`lambda: os.unlink(render_report(uid))`)."""
        body = value.body
        if type(body) is not cst.Call or not _is_dotted(body.func):
            return None
        if any(type(node) in (cst.Call, cst.Await) for arg in body.args for node in _function_nodes([arg.value])):
            return None  # `lambda: os.unlink(render_report(uid))`: the argument is work too
        taken = {param.name.value for param in _parameter_nodes(value.params)}
        if _dotted_of_module_expr(body.func).partition(".")[0] in taken:  # type: ignore[arg-type]
            return None
        return self.resolve(body.func, scope)

    def _carried_arguments(
        self, keyword: str, value: cst.BaseExpression, scope: _Scope | None, fn: _FunctionBuilder | None
    ) -> tuple[ArgFact, ...]:
        """`args=[doc.pk]` and `kwargs={"ids": [doc.pk]}` of an options call, written out (no
        `*rows`, no `**extra`, string keys that are names): the arguments they carry."""
        if keyword in self.positional_options and type(value) in (cst.List, cst.Tuple):
            if all(type(e) is cst.Element for e in value.elements):
                return self.arg_facts([cst.Arg(value=e.value) for e in value.elements], scope, fn)
        if keyword in self.named_options and type(value) is cst.Dict:
            keys = [string_value(e.key) if type(e) is cst.DictElement else None for e in value.elements]
            if all(key is not None and key.isidentifier() for key in keys):
                named = [cst.Arg(value=e.value, keyword=cst.Name(k)) for e, k in zip(value.elements, keys, strict=True)]
                return self.arg_facts(named, scope, fn)
        return ()

    def _strings_mapped(self, value: cst.BaseExpression, scope: _Scope | None) -> tuple[str, ...] | None:
        """`[Queue(name, connection=c) for name in listen]` or `map(Queue, listen)`, with
        `listen = ["high", "default"]` in this module or function: the strings it is built
        from, one item each (a worker's queue list, as Dallinger's worker script writes it)."""
        source: cst.BaseExpression | None = None
        if type(value) in (cst.ListComp, cst.GeneratorExp, cst.SetComp):
            loop = value.for_in
            element = value.elt
            if loop.inner_for_in is None and not loop.ifs and type(loop.target) is cst.Name:
                first = element.args[0].value if type(element) is cst.Call and element.args else element
                if type(first) is cst.Name and first.value == loop.target.value:
                    source = loop.iter
        elif type(value) is cst.Call and type(value.func) is cst.Name and value.func.value == "map":
            source = value.args[1].value if len(value.args) == 2 else None
        if type(source) is cst.Name:
            owner = scope.find(source.value) if scope is not None else None
            if owner is None:  # a module name: its binding says, read whole or in part alike
                binding = self.module_names.get(source.value)
                return binding.strings if binding is not None and binding.kind != "instance" else None
            source = owner.values.get(source.value)
        return _string_items(source) if source is not None else None

    # -- walking (pass 2) --------------------------------------------------

    def walk_module(self) -> None:
        module_fn = _FunctionBuilder(MODULE_SCOPE, MODULE_SCOPE, None, None)
        self.functions.append(module_fn)
        for stmt in self.module.body:
            self.walk_statement(stmt, module_fn, None, loop=0, prefix="", class_name=None)

    def walk_statement(self, stmt, fn: _FunctionBuilder, scope, loop: int, prefix: str, class_name) -> None:
        if type(stmt) is cst.FunctionDef:
            self.walk_function(stmt, scope, prefix, class_name)
            return
        if type(stmt) is cst.ClassDef:
            self.walk_class(stmt, scope, prefix)
            return
        if isinstance(stmt, (cst.SimpleStatementLine, cst.BaseSmallStatement)):
            for small in stmt.body if type(stmt) is cst.SimpleStatementLine else [stmt]:
                self._small_statement_marks(small, fn, scope, loop)
                self.walk_expression(small, fn, scope, loop)
                self._bind_walked(small, scope)
            return
        if type(stmt) in (cst.For, cst.While):
            counted_rounds = _counted_rounds(stmt, fn)
            bound = self._range_bound(scope)
            fixed = (
                _fixed_small_loop(stmt, bound)
                or counted_rounds is not None
                or self._over_a_small_constant(stmt, scope)
                or self._over_a_local_dict(stmt, fn, scope)
                or self._over_one_row(stmt, scope)
                or self._over_configuration(stmt, scope)
                or self._over_model_fields(stmt, scope)
                or self._over_session_pending(stmt, fn, scope)
                or self._one_message_a_round(stmt, scope)
                or type(stmt) is cst.For
                and self._capped(stmt.iter, scope)
            )
            repeats = (
                loop if fixed or _returns_every_time(stmt) or _keeps_its_last_match(stmt, fn) else self.next_loop(stmt)
            )
            if type(stmt) is cst.While and repeats != loop and not self.loop_bodies and _waits(stmt):
                fn.while_loops.add(repeats)
            if type(stmt) is cst.For:
                self.walk_expression(stmt.iter, fn, scope, loop)
            else:
                # the test runs once per round, a retry's too: its marks are in the loop
                self._condition_marks(stmt.test, fn, repeats if repeats != loop else self.next_loop(stmt))
                self.walk_expression(stmt.test, fn, scope, loop)
            elsewhere = self._over_a_constant_elsewhere(stmt, scope) if repeats != loop else None
            if elsewhere is not None:
                fn.constant_loops.append((repeats, loop, elsewhere))
            schema = self._over_a_schema_dump(stmt, fn, scope) if repeats != loop else None
            if schema is not None:
                fn.schema_loops.append((repeats, loop, schema))
            looped_over = _looped_name(stmt.iter) if type(stmt) is cst.For else None

            def given(name: str | None) -> bool:  # it holds what the caller gave, and no more
                return name is not None and (
                    _counted_parameter(name, fn, scope)
                    or self._defaulted_parameter(name, fn, scope)
                    or _refilled_parameter(name, fn, scope)
                    or _listed_alone_parameter(name, fn, scope)
                )

            if looped_over is not None and not given(looped_over):
                # `to_add = set(zones) - existing`, then `for zone in to_add:`
                held = scope.only_value(looped_over) if scope is not None else None
                through = _looped_name(held) if held is not None else None
                looped_over = through if given(through) else self._filled_from(looped_over, fn, scope)
            if not given(looped_over):
                looped_over = self._over_parameter_keys(stmt, fn, scope)
            popped = None
            if type(stmt) is cst.For and not given(looped_over):
                # `for name in kwargs.pop("copy_from", [])` (or a local bound once to it): what
                # that keyword gives
                held = scope.only_value(stmt.iter.value) if type(stmt.iter) is cst.Name and scope else None
                if held is not None and fn.body is not None and _changes(stmt.iter.value, fn.body):
                    held = stmt.iter  # `names = kwargs.pop("names", [])`, then `names += more`
                popped = _popped_keyword(held if held is not None else stmt.iter, fn)
            if popped is not None:
                looped_over = popped
            counted = repeats != loop and (given(looped_over) or popped is not None)
            if counted:
                fn.parameter_loops.append((repeats, loop, looped_over))
            elif repeats != loop and type(stmt) is cst.For and type(stmt.iter) is cst.Call:
                fn.call_loops.append((repeats, loop, stmt.iter))  # what the callee returns says how many
            elif repeats != loop and type(stmt) is cst.For and type(stmt.iter) is cst.Name and scope is not None:
                held = scope.only_value(stmt.iter.value)  # `runs = handle(message)`, then `for run in runs:`
                if type(held) is cst.Call:
                    fn.call_loops.append((repeats, loop, held))
            if repeats != loop and type(stmt) is cst.For:
                self._query_loop(stmt, fn, scope, repeats, loop)
            self.breaks_to.append(loop)
            self.tried.append(0)
            key = _mapping_key_name(stmt) if repeats != loop else None
            self.key_loops.append((repeats, key) if key is not None else None)
            row = self._row_name(stmt, scope) if repeats != loop else None
            self.row_loops.append((repeats, row, stmt) if row is not None else None)
            self.loop_bodies.append((repeats, stmt))
            # `for asset in moved:` with `moved` filled only under `if source:`: no round without it
            around = self.guards
            if type(stmt) is cst.For:
                self.guards = around + _filled_only_under(stmt.iter, fn, scope)[0]
            self.rounds_around.append((_fixed_rounds(stmt, bound) or counted_rounds) if repeats == loop else 1)
            # `if tag.name != name: continue`, then the work and `return`: the work runs once
            tail = _leaving_tail(stmt.body.body) if repeats != loop else None
            once = (tail, 0 if _small_statement(stmt.body.body[-1], cst.Return) else loop) if tail else None
            self._walk_statements(stmt.body.body, fn, scope, repeats, prefix, class_name, once)
            self.rounds_around.pop()
            self.guards = around
            self.breaks_to.pop()
            self.tried.pop()
            self.key_loops.pop()
            self.row_loops.pop()
            self.loop_bodies.pop()
            if stmt.orelse is not None:
                for inner in stmt.orelse.body.body:
                    self.walk_statement(inner, fn, scope, loop, prefix, class_name)
            return
        switch = self._fixed_test(stmt.test, scope) if type(stmt) is cst.If else None
        if switch is not None:
            # `if settings.DEBUG:`, `if WEBHOOK_OFF:`: only the arm production runs is read
            assert type(stmt) is cst.If
            if switch:
                if type(stmt.orelse) is cst.If:
                    self.walk_statement(stmt.orelse, fn, scope, loop, prefix, class_name)
                elif stmt.orelse is not None:
                    self._walk_suite(stmt.orelse.body, fn, scope, loop, prefix, class_name)
            else:
                self._walk_suite(stmt.body, fn, scope, loop, prefix, class_name)
            return
        if type(stmt) is cst.If:
            self._condition_marks(stmt.test, fn, loop)
            if loop and self.job_code is not None:
                self._flushed_batch(stmt, fn, scope, loop)
            self.walk_expression(stmt.test, fn, scope, loop)
            if scope is not None:
                # in any loop, a fixed one included (`for phase in ("prepare", "write"):`),
                # later rounds test what the body bound
                scope.tested_as_given = _read_before_bound(stmt, fn, scope) if not self.loop_bodies else frozenset()
            needs, otherwise = _parameter_tests(stmt.test, fn, scope)
            if scope is not None:
                scope.tested_as_given = frozenset()
            if not needs and not otherwise:
                needs, otherwise = _filled_only_under(stmt.test, fn, scope)
            around = self.guards
            self.guards = around + needs
            # `if _client is None: _client = Client()`; `if settings is None:` after
            # `settings = Settings.query.first()`, a table of one row created the first time
            # `if not plugins:` after `plugins = cache.get(KEY)`, filling the cache: once per expiry
            start_up = _builds_a_global_once(stmt, fn) or _refills_its_cache(stmt, fn, scope)
            once = start_up or self._lacks_the_only_row(stmt.test, fn, scope)
            self.once_depth += once
            self.start_up_depth += start_up
            number, arms, blocks = self.ifs, self.arms, self.blocks
            self.ifs += 1
            self.arms = arms + ((number, 0),)
            self.blocks = blocks + (("if", number, 0),)
            pinned = self._pinned_key(loop, _keys_tested(stmt.test, lambda e: self._a_string(e, scope)))
            if pinned is None:
                pinned = self._pinned_row(loop, stmt.test)
            if pinned is None:
                pinned = self._first_round(loop, stmt)
            inner = self._leaving(stmt.body, loop, fn, scope) if pinned is None else pinned
            self.tests_around.append(stmt.test)
            self._walk_suite(stmt.body, fn, scope, inner, prefix, class_name)
            self.tests_around.pop()
            self.once_depth -= once
            self.start_up_depth -= start_up
            self.guards = around + otherwise
            self.arms = arms + ((number, 1),)
            self.blocks = blocks + (("if", number, 1),)
            if stmt.orelse is not None:
                if type(stmt.orelse) is cst.If:
                    self.walk_statement(stmt.orelse, fn, scope, loop, prefix, class_name)
                else:
                    branch = stmt.orelse.body
                    self._walk_suite(branch, fn, scope, self._leaving(branch, loop, fn, scope), prefix, class_name)
            self.guards = around
            self.arms = arms
            self.blocks = blocks
            return
        if type(stmt) is cst.With:
            for item in stmt.items:
                if type(item.item) is cst.Call:
                    fn.entered.add(id(item.item))
                    if _changes_attributes(stmt.body):
                        fn.changing_blocks.add(id(item.item))
                    if item.asname is not None and type(item.asname.name) is cst.Name:
                        self.bound_names[id(item.item)] = item.asname.name.value
                self.walk_expression(item.item, fn, scope, loop)
            # `with suppress(ValueError):` catches what its block raises, as a `try:` does
            suppressing = self._suppresses(stmt, scope)
            blocks = self.blocks
            if suppressing:
                self.blocks = blocks + (("try", self.tries, 0),)
                self.tries += 1
                if self.tried:
                    self.tried[-1] += 1
            self._walk_suite(stmt.body, fn, scope, loop, prefix, class_name)
            if suppressing and self.tried:
                self.tried[-1] -= 1
            self.blocks = blocks
            return
        if type(stmt) in (cst.Try, cst.TryStar):
            if self.tried:
                self.tried[-1] += 1
            blocks, number, arms = self.blocks, self.tries, self.arms
            self.tries += 1
            self.blocks = blocks + (("try", number, 0),)
            # as the arms of an `if`, numbered apart (below 0): the body and `else`, then the
            # handlers (a return there answers a failure of the body, not what it did)
            self.arms = arms + ((-1 - number, 0),)
            self._walk_suite(stmt.body, fn, scope, loop, prefix, class_name)
            if self.tried:
                self.tried[-1] -= 1
            singleton = self._gets_a_constant_row(stmt.body)
            self.blocks = blocks + (("try", number, 1),)
            self.arms = arms + ((-1 - number, 1),)
            for handler in stmt.handlers:
                # creating the one row the first time it is asked for: its writes run once per database
                once = singleton and self._handles_a_missing_row(handler)
                self.once_depth += once
                # `except Failed: log(...); raise`: at most once per run of the loop
                self._walk_suite(
                    handler.body, fn, scope, self._leaving(handler.body, loop, fn, scope), prefix, class_name
                )
                self.once_depth -= once
            self.blocks = blocks + (("try", number, 0),)
            self.arms = arms + ((-1 - number, 0),)
            if stmt.orelse is not None:  # `else: key.save(); break`: once per run of the loop, as an `if`'s
                self._walk_suite(
                    stmt.orelse.body, fn, scope, self._leaving(stmt.orelse.body, loop, fn, scope), prefix, class_name
                )
            self.blocks, self.arms = blocks, arms
            if stmt.finalbody is not None:
                self._walk_suite(stmt.finalbody.body, fn, scope, loop, prefix, class_name)
            return
        if type(stmt) is cst.Match:
            self.walk_expression(stmt.subject, fn, scope, loop)
            for case in stmt.cases:
                values = _literal_patterns(case.pattern) if case.guard is None else None
                pinned = self._pinned_key(loop, (stmt.subject, values) if values is not None else None)
                inner = self._leaving(case.body, loop, fn, scope) if pinned is None else pinned
                self._walk_suite(case.body, fn, scope, inner, prefix, class_name)
            return
        # anything else: look for calls in its expressions
        self.walk_expression(stmt, fn, scope, loop)

    def _collect_instance_attributes(
        self, body: cst.BaseSuite, self_name: str, param_types: dict[str, Ref], class_name: str, outer
    ) -> None:
        """`self.bg = bg` at the top of `__init__`, `bg` a parameter annotated `BackgroundTasks`;
        `self.db = LedgerDB()`: an instance of what is called, named as the scope around the
        function (`outer`) names it. A second `__init__` adds to what the first kept, as the
        outline reads them."""
        held: dict[str, Ref] = {}
        self.init_attributes.setdefault(class_name, {})
        if type(body) is cst.SimpleStatementSuite:  # `def __init__(self, bg: T): self.bg = bg`
            smalls = list(body.body)
        else:
            lines = body.body if type(body) is cst.IndentedBlock else ()
            smalls = [small for line in lines if type(line) is cst.SimpleStatementLine for small in line.body]
        for small in smalls:
            if type(small) is cst.Assign and len(small.targets) == 1:
                target, value, annotation = small.targets[0].target, small.value, None
            elif type(small) is cst.AnnAssign and small.value is not None:  # `self.api: HAPI = ...`
                target, value, annotation = small.target, small.value, small.annotation.annotation
            else:
                continue
            if not (type(target) is cst.Attribute and _is_name(target.value, self_name)):
                continue
            found = self._found_service(value, outer) if type(value) is cst.Call else None
            if type(value) is cst.Name and value.value in param_types and value.value != self_name:
                held[target.attr.value] = param_types[value.value]
            elif found is not None:  # `self.users = self.request.find_service(IUsers)` too
                held[target.attr.value] = found
            elif (
                type(value) is cst.Call and _is_dotted(value.func) and not _is_name(_first_name(value.func), self_name)
            ):
                made = _join(self.resolve(value.func, outer), "()")
                if made is not None:
                    held[target.attr.value] = made
            if (
                annotation is not None
                and target.attr.value not in held
                and not _is_name(value, "None")
                and not self._admits_none(annotation, outer)
            ):
                # what the annotation names, when the value says nothing; not `Optional[T]`: a
                # lazy or optional attribute (`self._pool: Optional[Executor] = None`), whose
                # other value some later call or condition sets
                annotated = self.annotated_type(annotation, outer)
                typed = self.resolve(annotated, outer) if type(annotated) in (cst.Name, cst.Attribute) else None
                if typed is not None and typed[0] != STRING_ANCHOR:
                    held[target.attr.value] = _join(typed, "()")
        self.init_attributes[class_name].update(held)

    def _is_query(self, expr: cst.BaseExpression, scope) -> bool:
        """`Order.objects.filter(...)`, `session.query(M)...`: a chain that starts at an ORM query."""
        if self.orm is None:
            return False
        links = self._query_links(expr, scope)  # also a local that holds one: `pending[:100]`
        return _query_start(links, self.orm, lambda e: self._is_session(e, scope)) is not None

    def _gets_a_constant_row(self, suite: cst.BaseSuite) -> bool:
        """`cls.objects.get(id=1)` in a try body: a row by a constant primary key (a singleton);
        also `cls.objects.get()`, which only a table of one row answers."""
        orm = self.orm
        if orm is None or not orm.missing_row_errors or type(suite) is not cst.IndentedBlock:
            return False
        stack: list[cst.CSTNode] = [stmt for stmt in suite.body if type(stmt) is cst.SimpleStatementLine]
        while stack:
            node = stack.pop()
            if type(node) is cst.Call and type(node.func) is cst.Attribute and len(node.args) <= 1:
                arg = node.args[0] if node.args else None
                if node.func.attr.value == "get" and arg is None and self._is_query(node.func.value, None):
                    return True  # `cls.objects.get()`: the one row of the table
                if (
                    arg is not None
                    and node.func.attr.value in orm.instance_getters
                    and arg.keyword is not None
                    and arg.keyword.value in orm.primary_keys
                    and type(arg.value) in (cst.Integer, cst.SimpleString)
                ):
                    return True
            stack.extend(_children(node))
        return False

    def _lacks_the_only_row(self, test: cst.BaseExpression, fn: _FunctionBuilder, scope) -> bool:
        """`if row is None:` / `if not row:` with `row = Settings.query.first()` (or
        `.one_or_none()`) and no filter: the table holds one row, which this block creates
        the first time, once per database (SQLAlchemy's form of `except DoesNotExist:`)."""
        orm = self.orm
        if orm is None or scope is None:
            return False
        tested = _tested_for_absence(test)
        if tested is None or scope.find(tested.value) is not scope or fn.body is None:
            return False
        # what the function assigns the name (the block itself assigns it the new row)
        return any(self._the_only_row(value, scope) for value in _assigned_values(tested.value, fn.body))

    def _the_only_row(self, got: cst.BaseExpression, scope) -> bool:
        """`Settings.query.first()`, `session.query(Settings).one_or_none()`: no filter; or
        filters by values written out only (`Section.query.filter_by(name="browser").first()`,
        `filter(Setting.env == "production")`): the one row of that key, which the block
        creates the first time, once per database."""
        orm = self.orm
        assert orm is not None
        if type(got) is not cst.Call or type(got.func) is not cst.Attribute or got.args:
            return False
        if got.func.attr.value not in orm.instance_getters | {"one_or_none"}:
            return False
        links = _chain(got.func.value)
        start = _query_start(links, orm, lambda e: self._is_session(e, scope))
        calls = [node for kind, node in links[start or 0 :] if kind == "call"]
        return start is not None and all(type(node) is cst.Call and _filters_by_constants(node) for node in calls)

    def _handles_a_missing_row(self, handler: cst.ExceptHandler | cst.ExceptStarHandler) -> bool:
        """`except Settings.DoesNotExist:` / `except ObjectDoesNotExist:`."""
        assert self.orm is not None
        caught = handler.type
        if type(caught) is cst.Attribute:
            caught = caught.attr
        return type(caught) is cst.Name and caught.value in self.orm.missing_row_errors

    def _over_a_small_constant(self, stmt: cst.For | cst.While, scope) -> bool:
        """`for size in THUMBNAIL_SIZES:` (or its `.items()`, `.keys()`, `.values()`), over a
        module constant, named in capitals and written out with 1 to 10 elements: a few fixed
        repetitions, like a literal. A name the function binds itself is not the constant."""
        return type(stmt) is cst.For and (self._small_constant(stmt.iter, scope) or self._local_list(stmt.iter, scope))

    def _local_list(self, iterated: cst.BaseExpression, scope) -> bool:
        """`names = ["a", "b"]; for name in names:`: a local the function binds to a tuple, list
        or set written out with 1 to 10 elements (not an empty list it fills later), or to a
        comprehension over one, over a short module constant or over `range(8)`, in its only binding (`names =
        (a, b)` in one branch and a query in another is not a few), or in each of its bindings
        when each is such a tuple, list or set; or an empty list (or `set()`, or a dict iterated or its
        `.items()`) given 1 to 10 items by `append` (`add`, a key set) outside loops, before the
        loop over it."""
        iterated = _items_of(iterated)
        if type(iterated) is not cst.Name or scope is None:
            return False
        held = scope.only_value(iterated.value)
        name = iterated.value
        if held is not None and name in scope.params and not _bound_first(scope.body, name):
            # `if not isinstance(uris, list): uris = [uris]`: the caller's list passes too
            return False
        if held is None and scope.find(name) is scope and name not in scope.appended and name not in scope.iterated:
            # `teams = ["red", "blue"]` in one branch, `teams = [slug]` in the other: each binding
            # few (not a parameter the caller binds, nor a name `:=` binds too)
            held = scope.few_written.get(name)
            if held is None or name in scope.params or self.grown.get((scope.key, name)):
                return False
            return name not in scope.walrus_names()
        over = _comprehended(held) if held is not None else None
        if over is not None and over is not held:  # a comprehension over `over` (or `range(8)`)
            few = (
                _written_out(over)
                and bool(over.elements)  # type: ignore[attr-defined]
                or self._small_constant(over, scope)
                or _small_range(over, self._range_bound(scope))
            )
        elif held is not None and self._made_empty(held, scope):
            # `items = []` (or `set()`, `{}`), then a few `items.append(d)` (`.add(d)`, `items[k] =
            # d`) outside loops (one per branch of a notice, or per round of a loop of a few)
            # (only through itself: not handed to a helper, held by another name or reached from a
            # comprehension or a nested function, which may fill it with any number)
            walked = self.grown.get((scope.key, iterated.value), [])
            few = 0 < len(walked) <= FIXED_LOOP_LIMIT and all(at == 0 for at in walked)
            few = few and scope.body is not None and _filled_only_in_place(name, scope.body)
        else:
            few = held is not None and _written_out(held) and bool(held.elements)  # type: ignore[attr-defined]
        # `if teams := request.args.getlist("team"): ... else: teams = ["green"]`: two bindings
        return bool(few) and name not in scope.walrus_names()

    def _admits_none(self, annotation: cst.BaseExpression, scope) -> bool:
        """`Optional[T]`, `T | None`, `Union[T, None]`, also inside `Annotated[...]` and under
        another name (`from typing import Optional as Opt`): an annotation that lets the value
        be None."""
        if type(annotation) is cst.BinaryOperation and type(annotation.operator) is cst.BitOr:
            return any(
                _is_name(side, "None") or self._admits_none(side, scope) for side in (annotation.left, annotation.right)
            )
        if type(annotation) is not cst.Subscript or type(annotation.value) not in (cst.Name, cst.Attribute):
            return False
        wrapper = self.resolve(annotation.value, scope)
        named = wrapper[1].rpartition(".")[2] if wrapper is not None else ""
        elements = [e.slice.value for e in annotation.slice if type(e.slice) is cst.Index]
        if named == "Annotated":
            return bool(elements) and self._admits_none(elements[0], scope)
        return named == "Optional" or named == "Union" and any(_is_name(e, "None") for e in elements)

    def _made_empty(self, value: cst.BaseExpression, scope) -> bool:
        """`[]`, `{}`, or Python's own `set()`, `dict()`, `list()`, `collections.defaultdict(list)`:
        not `client.list()`, nor `set()` where the module binds `set` to something else."""
        if not _an_empty_container(value):
            return False
        if type(value) is not cst.Call:
            return True
        return type(value.func) in (cst.Name, cst.Attribute) and self.resolve(value.func, scope) in _EMPTY_MAKERS

    def _over_a_few(self, iterated: cst.BaseExpression, scope) -> bool:
        """What a comprehension goes over, when it is a few fixed items: a tuple, list or set
        written out, a short module constant or a local bound to a few (as a `for` over it)."""
        if type(iterated) in (cst.Tuple, cst.List, cst.Set):
            return _written_out(iterated) and bool(iterated.elements)
        return self._small_constant(iterated, scope) or self._local_list(iterated, scope)

    def _over_a_local_dict(self, stmt: cst.For | cst.While, fn: _FunctionBuilder, scope) -> bool:
        """`for name, title in defaults.items():` (or its keys, its values, the dict itself) with
        `defaults = {"submit": ..., "accept": ...}`: a dict written out with 1 to 10 entries (no
        `**x`), the function's only binding of the name, given no key but those written out
        (`defaults["reject"] = r`, not `defaults[k] = v` nor `update()`); or such a dict itself."""
        if type(stmt) is not cst.For:
            return False
        iterated = _items_of(stmt.iter)
        held = scope.only_value(iterated.value) if type(iterated) is cst.Name and scope is not None else iterated
        if type(held) is not cst.Dict or not 1 <= len(held.elements) <= FIXED_LOOP_LIMIT:
            return False
        if not all(type(element) is cst.DictElement for element in held.elements):
            return False
        # a local: given no key but those written out (read last: it walks the whole body)
        return type(iterated) is not cst.Name or (
            fn.body is not None and _keys_set(iterated.value, fn.body) is not None
        )

    def _over_a_schema_dump(self, stmt: cst.For | cst.While, fn: _FunctionBuilder, scope) -> Ref | None:
        """`for key, value in params.model_dump(exclude_unset=True).items():` (or its keys, its
        values, the dump itself), also through a local bound once to the dump and given no key
        but those written out, `params` a parameter annotated with a class: that class, for
        phase 2 to say whether it is a schema that declares its fields (`schema_dumps` in
        `rules/`), so that the loop runs a few fixed rounds."""
        if type(stmt) is not cst.For or not self.schema_dumps or scope is None:
            return None
        iterated = _items_of(stmt.iter)
        held = scope.only_value(iterated.value) if type(iterated) is cst.Name else iterated
        if type(held) is not cst.Call or type(held.func) is not cst.Attribute:
            return None
        if held.func.attr.value not in self.schema_dumps or type(held.func.value) is not cst.Name:
            return None
        annotated = fn.param_types.get(held.func.value.value)
        if annotated is None or not annotated[1].endswith("()") or scope.find(held.func.value.value) is not scope:
            return None  # not a parameter annotated with a class
        if type(iterated) is cst.Name and (
            fn.body is None or _keys_set(iterated.value, fn.body, taking_out=True) is None
        ):
            return None
        return (annotated[0], annotated[1].removesuffix("()"))

    def _few_rows(self, rows: cst.BaseExpression, scope) -> bool | Ref:
        """The rows given to `bulk_create(...)`: a few when written out (`[State(...), ...]`), or
        built by a comprehension over a collection written out or a short module constant, as a
        loop over them is a few fixed repetitions. Over an imported constant in capitals or an
        enumeration: its name, for the project index to settle
        (`ProjectIndex.settle_constant_loops`)."""
        if _written_out(rows):
            return True
        if type(rows) is cst.Name and scope is not None and rows.value not in scope.params:
            # `missing = [Flag(name=n) for n in FLAGS]`, not grown after (`missing.extend(...)`)
            grown = scope.body is not None and _changes(rows.value, scope.body)
            rows = rows if grown else scope.only_value(rows.value) or rows
        iterated = _comprehended(rows)
        if iterated is rows:  # not a comprehension of one `for`
            return False
        # the rows of one statement built over a constant the module writes out: as many as it
        # lists, whatever their number (h's 17 feature flags), unlike a loop's rounds, each of
        # which may be slow
        if _written_out(iterated) or self._small_constant(iterated, scope, None) or self._local_list(iterated, scope):
            return True
        return self._named_elsewhere(iterated, scope) or False

    def _rows_of_parameter(self, call: cst.Call, fn: _FunctionBuilder, scope) -> tuple[str, str] | None:
        """`bulk_create(rows)` or `session.add_all(rows)` with `rows` a kept parameter, or a
        comprehension of one `for` over one (also held by a local), or a local list filled one
        item per round of one loop over one (`_filled_from`): ("", its name), the rows being one
        per item the caller gives."""
        orm = self.orm
        func = call.func
        if orm is None or type(func) is not cst.Attribute:
            return None
        method = func.attr.value
        # `session.add_all(notes)` too: one row per item of what it is given
        if method not in orm.bulk_query_methods and not (
            method in orm.collection_session_methods and self._is_session(func.value, scope)
        ):
            return None
        rows = call.args[0].value if call.args and call.args[0].keyword is None and not call.args[0].star else None
        if type(rows) is cst.Name and scope is not None and not _counted_parameter(rows.value, fn, scope):
            filled = self._filled_from(rows.value, fn, scope)
            if filled is not None:  # `rows = []`, then `rows.append(Invite(...))` once per item of `pairs`
                return "", filled
            rows = scope.only_value(rows.value)
        over = _comprehended(rows) if rows is not None else None
        if type(over) is cst.Name and _counted_parameter(over.value, fn, scope):
            return "", over.value
        given = rows.args[0].value if type(rows) is cst.Call and len(rows.args) == 1 else None
        if type(given) is cst.Name and not rows.args[0].star and _counted_parameter(given.value, fn, scope):
            # `bulk_create(make_rows(paths))`: as many rows as `make_rows` returns for them
            # (phase 2 reads whether it returns at most one per item: `returns_few_of`)
            return "()", given.value
        return None

    def _filled_from(self, name: str, fn: _FunctionBuilder, scope) -> str | None:
        """The parameter a local container holds at most a few items per element of: made empty
        once (`origins = defaultdict(list)`) and grown one item at a time (`_grown_list`) only
        in the rounds of one loop over that parameter (`for obj in objects:
        origins[obj.key].append(obj)`)."""
        made = scope.only_value(name) if scope is not None else None
        if made is None or not _an_empty_container(made):
            return None
        walked = set(self.grown.get((scope.key, name), ()))
        if len(walked) != 1:
            return None
        (loop,) = walked
        return next((parameter for repeats, _, parameter in fn.parameter_loops if repeats == loop), None)

    def _defaulted_parameter(self, name: str, fn: _FunctionBuilder, scope) -> bool:
        """`users = users or []` (or a few items written out), then at most a few
        `users.append(user)` outside loops, before the loop over it: as few items as the caller
        gives, or none when it gives none."""
        if scope is None or name not in fn.params or scope.find(name) is not scope:
            return False
        held = scope.only_value(name)
        if not (
            type(held) is cst.BooleanOperation
            and type(held.operator) is cst.Or
            and _is_name(held.left, name)
            and (_an_empty_container(held.right) or _written_out(held.right))
        ):
            return False
        walked = self.grown.get((scope.key, name), [])
        return len(walked) <= FIXED_LOOP_LIMIT and all(at == 0 for at in walked)

    def _filled_in_this_loop(self, rows: cst.BaseExpression, scope, loop: int) -> bool:
        """`rows = []`, then `rows.append(row)` only outside loops or in the loop that writes them:
        one row per append, so the write takes a few rows, or one per round of its own loop
        (which a loop of writes reports). Every append must come before the write; an
        `extend` or a `+=` adds any number."""
        if type(rows) is not cst.Name or scope is None:
            return False
        held = scope.only_value(rows.value)
        if type(held) is not cst.List or held.elements:
            return False
        walked = self.grown.get((scope.key, rows.value), [])
        return len(walked) == len(scope.appended.get(rows.value, ())) and all(at in (0, loop) for at in walked)

    def _one_message_a_round(self, stmt: cst.For | cst.While, scope) -> bool:
        """`while True:` whose body first awaits a websocket's message (`data = await
        ws.receive_json()`), or `async for data in ws.iter_json()`: a round per message the
        client sends, as a handler runs once per request (a `message_receives` name)."""
        receives = self.message_receives
        if not receives:
            return False
        if type(stmt) is cst.For:
            taken = [stmt.iter] if stmt.asynchronous is not None else []
        else:
            lines = stmt.body.body if type(stmt.body) is cst.IndentedBlock else ()
            smalls = [small for line in lines[:3] if type(line) is cst.SimpleStatementLine for small in line.body]
            values = [small.value for small in smalls if type(small) in (cst.Assign, cst.AnnAssign, cst.Expr)]
            taken = [value.expression for value in values if type(value) is cst.Await]
        for call in taken:
            if type(call) is cst.Call:
                ref = self.resolve(call.func, scope)
                if ref is not None and not ref[0] and receives.matches(ref[1]):
                    return True
        return False

    def _over_one_row(self, stmt: cst.For | cst.While, scope) -> bool:
        """`for device in Device.objects.filter(pk=device_id):`: a query pinned to one primary key
        yields one row at most, so the loop runs once, not once per row of a collection."""
        return type(stmt) is cst.For and self._one_row_query(stmt.iter, scope)

    def _origin(self, call: cst.Call, scope) -> Ref | None:
        """For `obj.save()` / `obj.delete()`: what the local `obj` holds, a call's result or an
        element of what a loop iterates (`for key in bucket.list(...)`), when a call made it (a
        library's, or a project function's that may return a library's object): phase 2 says
        whether that library is an ORM (`orm.model_packages`)."""
        receiver = call.func.value if type(call.func) is cst.Attribute else None
        if type(receiver) is not cst.Name or scope is None:
            return None
        owner = scope.find(receiver.value)
        origin = owner.values.get(receiver.value, owner.iterated.get(receiver.value)) if owner is not None else None
        if type(origin) is cst.Await:  # `handle = await get_handle(id)`
            origin = origin.expression
        if type(origin) not in (cst.Call, cst.Attribute):
            return None
        ref = self.resolve(origin, owner)
        # a library's call, or a project function's, which phase 2 follows to what it returns
        return ref if ref is not None and "(" in ref[1] else None

    def _creates_a_constant_row(self, call: cst.Call, scope) -> bool:
        """`User.objects.get_or_create(username=f"{ACTOR}@{DOMAIN}", defaults={...})`: a lookup
        whose every condition is a value written out or a module's name (`orm.missing_row_creates`)
        creates its row the first time only, once per database; each later call reads it."""
        orm = self.orm
        if orm is None or type(call.func) is not cst.Attribute or call.func.attr.value not in orm.missing_row_creates:
            return False
        lookups = [arg for arg in call.args if arg.keyword is None or arg.keyword.value != "defaults"]
        return bool(lookups) and all(
            arg.keyword is not None
            and not arg.star
            and (_module_constant(arg.value, scope) or self._configured_value(arg.value, scope))
            for arg in lookups
        )

    def _configured_value(self, value: cst.BaseExpression, scope) -> bool:
        """`settings.APP["hats"][key]`, directly or through a local bound once to it: a value of
        the operator's configuration (`configuration` in `rules/`), whatever keys pick it, so one
        of a few fixed values."""
        if type(value) is cst.Name and scope is not None and scope.find(value.value) is scope:
            # bound by one statement (not changed by `name += suffix` after it)
            bound = scope.bound_at.get(value.value, [])
            if len(bound) != 1 or scope.body is None or not _bound_by_statements_only(value.value, scope.body):
                return False
            value = scope.only_value(value.value)  # type: ignore[assignment]
        root = value
        while type(root) in (cst.Subscript, cst.Attribute):
            root = root.value  # type: ignore[union-attr]
        if type(root) is not cst.Name or scope is not None and scope.find(root.value) is not None:
            return False  # `profile.settings["TAG"]`: a row's own column, not the operator's settings
        while type(value) is cst.Subscript:
            if self._configured(value, value, scope):
                return True
            value = value.value
        return type(value) is cst.Attribute and bool(self.configuration) and self._configured(value, value, scope)

    def _moved_marker(self, call: cst.Call, fn: _FunctionBuilder, scope) -> str | None:
        """`Theme.objects.update(is_active=False)` (or `=None`) in a function that also sets `is_active` to
        True on one row (`Theme.objects.filter(pk=theme.pk).update(is_active=True)`, a query
        `_one_row_query` pins; or `agreement.is_active = True`, or a row built with the flag); also
        SQLAlchemy's `session.execute(update(M).values(is_default=False))`: the update moves a marker that
        one row holds, the table being the alternatives it picks from. Not
        `filter(pk__in=ids).update(read=True)` beside it: that marks many rows. The flag it
        clears, or None."""
        if type(call.func) is not cst.Attribute or fn.body is None:
            return None
        if call.func.attr.value == "update" and call.args:
            written = _values_written(call)
            read = self._query_filters(call.func.value, scope)
            model = read[1] if read is not None else None
        else:
            written, model = self._statement_values(call, scope)  # `session.execute(update(M).values(...))`
        # cleared to False, or to None where a nullable unique flag allows one True row only
        cleared = [column for column, value in written.items() if _is_name(value, "False") or _is_name(value, "None")]
        if not cleared or len(cleared) != len(written):
            return None
        nodes = _function_nodes(fn.body)
        # `if default: Area.query.update({Area.is_default: False})`, then `area.is_default = default`
        tests = [
            render(node.test)
            for node in nodes
            if type(node) is cst.If and any(inner is call for inner in _function_nodes(node.body))
        ]
        for node in nodes:
            if type(node) is cst.Call and node is not call and type(node.func) is cst.Attribute:
                if (
                    node.func.attr.value == "update"
                    and any(_is_name(_values_written(node).get(column), "True") for column in cleared)
                    and self._one_row_query(node.func.value, scope)
                ):
                    return cleared[0]
            if type(node) is cst.Assign and (_is_name(node.value, "True") or render(node.value) in tests):
                for target in node.targets:
                    if type(target.target) is cst.Attribute and target.target.attr.value in cleared:
                        return cleared[0]
            built = _called_name(node) if type(node) is cst.Call and node is not call else None
            if built is not None and built == _last_name(model):
                # a row of the model built with the flag: `Config(..., is_default=is_default)` after
                # `if is_default:` (not a row of another model, nor a response object)
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value in cleared:
                        if _is_name(arg.value, "True") or render(arg.value) in tests:
                            return cleared[0]
        return None

    def _holds_a_dict(self, value: cst.BaseExpression, scope) -> bool:
        """A local bound once to a dict written out (`values = {"name": n, ...}`): one row's
        columns, however many keys it gets later."""
        held = scope.only_value(value.value) if type(value) is cst.Name and scope is not None else None
        return type(held) is cst.Dict

    def _statement_values(
        self, call: cst.Call, scope
    ) -> tuple[dict[str, cst.BaseExpression], cst.BaseExpression | None]:
        """The columns a SQLAlchemy `update(M)...values(flag=False)` that `call` executes sets
        (`_values_written` of its last `.values(...)`), and `M`; nothing for any other call."""
        assert self.orm is not None
        if type(call.func) is not cst.Attribute or call.func.attr.value not in self.orm.execute_methods:
            return {}, None
        chain = self._statement_links(call, scope)
        root = chain[0][1] if chain else None
        operation, model = self._statement_operation(root, scope) if type(root) is cst.Call else (None, None)
        values = [node for kind, node in chain[1:] if kind == "call" and _called_name(node) == "values"]
        if operation != "update" or not values or type(values[-1]) is not cst.Call:
            return {}, None
        return _values_written(values[-1]), model

    def _one_row_query(self, expr: cst.BaseExpression, scope) -> bool:
        """`Device.objects.filter(pk=device_id)`: a query pinned to one primary key."""
        read = self._query_filters(expr, scope)
        return read is not None and any(self._pins_primary_key(f, read[1], scope) for f in read[0])

    def _query_filters(
        self, expr: cst.BaseExpression, scope
    ) -> tuple[list[cst.Call], cst.BaseExpression | None] | None:
        """The filter calls of a query (through a local that holds it) and the model it queries;
        None for no query, or a chain with a method that is not a query's."""
        orm = self.orm
        if orm is None:
            return None
        links = self._query_links(expr, scope)
        start = _query_start(links, orm, lambda e: self._is_session(e, scope))
        if start is None:
            return None
        filters, valid = self._filters(links[start:], {"filter", "filter_by", "where"})
        return (filters, _queried_expr(links, start)) if valid else None

    def _over_parameter_keys(self, stmt: cst.For | cst.While, fn: _FunctionBuilder, scope) -> str | None:
        """`for doc in Document.objects.filter(id__in=doc_ids):` (or `filter(Doc.id.in_(ids))`):
        a query of the rows whose primary keys a parameter holds runs as many rounds as the
        caller gave keys; the parameter's name, which the loop counts as its own."""
        read = self._query_filters(stmt.iter, scope) if type(stmt) is cst.For else None
        if read is None:
            return None
        assert self.orm is not None
        for call in read[0]:
            for arg in call.args:
                held = _keys_parameter(arg, self.orm.primary_keys)
                if held is not None and _counted_parameter(held, fn, scope):
                    return held
        return None

    def _class_number(self, expr: cst.BaseExpression, scope) -> float | None:
        """`cls.RETRY_ATTEMPTS`, `self.RETRY_DELAY` or `Locks.RETRY_DELAY` in a method of the
        class whose body writes it out (`RETRY_ATTEMPTS = 3`, a name in capitals); not through
        `self.`/`cls.` when a method sets it on the instance or a subclass in the module writes it
        again (one in another module is not seen)."""
        return self._class_constant(expr, scope, self.class_numbers)

    def _class_constant(self, expr: cst.BaseExpression, scope, table: dict[str, dict[str, N]]) -> N | None:
        """What `table` (`class_numbers`, `class_items`) says of `cls.NAME`, `self.NAME` or
        `Owner.NAME` in a method of the class `Owner`: not when the module sets or changes an
        attribute of that name anywhere (`_attributes_changed`)."""
        if scope is None or not scope.class_name or type(expr) is not cst.Attribute or type(expr.value) is not cst.Name:
            return None
        owner, name = expr.value.value, expr.attr.value
        class_name = scope.class_name.rpartition(".")[2]
        if owner != scope.self_name and owner != class_name:
            return None
        if owner == scope.self_name and name in self._set_elsewhere(class_name):
            return None  # `self.RETRY_ATTEMPTS = n` in a method, or a subclass of the module's sets it
        if name in self._attributes_changed():
            return None  # `Locks.RETRY_ATTEMPTS = n`, `self.SKUS.extend(more)` somewhere in the module
        return table.get(scope.class_name, {}).get(name)

    def _set_elsewhere(self, class_name: str) -> set[str]:
        """The names in capitals that a method of the module's class `class_name` sets on its
        instance or class (`self.RETRY_ATTEMPTS = n`), or that the body of a class of the module
        deriving from it by that name writes (`RETRY_ATTEMPTS = 20`)."""
        if self._shadowed is None:
            self._shadowed = {}
            for node in _function_nodes([self.module]):
                if type(node) is not cst.ClassDef:
                    continue
                body = node.body.body if type(node.body) is cst.IndentedBlock else [node.body]
                own = self._shadowed.setdefault(node.name.value, set())
                for inner in _function_nodes(list(body)) + [
                    n for f in body if type(f) is cst.FunctionDef for n in _function_nodes([f.body])
                ]:
                    if type(inner) in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign):
                        target = inner.target
                        if type(target) is cst.Attribute and target.attr.value.isupper():
                            own.add(target.attr.value)
                written = {name for name, _ in _class_assignments(body) if name.isupper()}
                for base in node.bases:  # `class Stubborn(locks.Locks)`: by the base's own name
                    if _is_dotted(base.value):
                        named = _dotted_of_module_expr(base.value).rpartition(".")[2]  # type: ignore[arg-type]
                        self._shadowed.setdefault(named, set()).update(written)
        return self._shadowed.get(class_name, set())

    def _attributes_changed(self) -> frozenset[str]:
        """The names in capitals that the module changes as an attribute of anything: set
        (`x.SKUS = ...`, `x.SKUS += ...`, `x.SKUS[k] = ...`) or changed in place by a method
        (`x.SKUS.append(...)`, `.extend`, `.update`...), whatever `x` is (`self`, a subclass's
        `self`, the class's name, `type(self)`)."""
        if self._changed_attributes is None:
            changed: set[str] = set()
            stack: list[cst.CSTNode] = [self.module]  # every node, in functions and classes too
            while stack:
                node = stack.pop()
                stack.extend(_children(node))
                targets: list[cst.BaseExpression] = []
                if type(node) in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign):
                    targets.append(node.target)  # type: ignore[union-attr]
                elif type(node) is cst.Del:
                    targets.append(node.target)
                elif type(node) is cst.Call and type(node.func) is cst.Attribute:
                    if node.func.attr.value in _CONTAINER_CHANGES:
                        targets.append(node.func.value)
                for target in targets:
                    while type(target) is cst.Subscript:
                        target = target.value
                    if type(target) is cst.Attribute and target.attr.value.isupper():
                        changed.add(target.attr.value)
            self._changed_attributes = frozenset(changed)
        return self._changed_attributes

    def _range_bound(self, scope) -> Callable[[cst.BaseExpression], int | None]:
        """What a `range()` bound is, for `_fixed_small_loop`: an integer written out, a local
        the function binds once to one (`MAX_REDIRECTS = 10`), a module constant bound once to
        one (`RECOVERY_CODE_COUNT = 8` at the top of the module), or a class constant holding one
        (`range(cls.RETRY_ATTEMPTS)`, `_class_number`)."""

        def bound(expr: cst.BaseExpression) -> int | None:
            written = _integer(expr)
            if written is not None:
                return written
            if type(expr) is cst.Name and scope is not None and scope.find(expr.value) is scope:
                if expr.value not in scope.rebound | scope.varied and expr.value in scope.numbers:
                    return scope.numbers[expr.value]
            if type(expr) is cst.Name and (scope is None or scope.find(expr.value) is None):
                return self._module_number(expr.value)
            number = self._class_number(expr, scope)
            return int(number) if number is not None and number == int(number) else None

        return bound

    def _a_string(self, expr: cst.BaseExpression, scope) -> bool:
        """A string written out, or a name bound once to one: in the function (`scope.strings`)
        or, unbound there, at the top of the module (`NAME_FIELD = "name"`)."""
        if string_value(expr) is not None:
            return True
        if type(expr) is not cst.Name:
            return False
        owner = scope.find(expr.value) if scope is not None else None
        if owner is not None:
            return expr.value in owner.strings
        held = self.module_names.get(expr.value)
        return held is not None and held.kind == "string" and not self._rebound_constant(expr.value)

    def _module_number(self, name: str) -> int | None:
        """The integer a module-level name is bound to once (`RETRY_ATTEMPTS = 3`)."""
        held = self.module_names.get(name)
        if held is None or held.kind != "number" or not held.value or self._rebound_constant(name):
            return None
        return int(held.value)

    def _rebound_constant(self, name: str) -> bool:
        """Whether the module binds `name` again: at its top level, in a function through
        `global` (`def configure(s): global RETRIES; RETRIES = s["retries"]`), or, for a module
        read in part, anywhere in the whole module (`rebound_names`, given by the partial read)."""
        if self.globals_bound is None:
            self.globals_bound = _globals_bound(self.module.body)
        return name in self.module_rebound or name in self.globals_bound or name in self.rebound_elsewhere

    def _seconds_slept(self, call: cst.Call, scope) -> float | None:
        """`time.sleep(0.1)` (`sleeps` in `rules/`): the seconds written out, else None; and a
        task result's wait, `result.get(timeout=1.5)` (`result_waits`): at most its timeout."""
        if type(call.func) is cst.Attribute and call.func.attr.value in self.result_waits:
            value = next((arg.value for arg in call.args if _is_name(arg.keyword, "timeout")), None)
        elif not call.args or call.args[0].star or call.args[0].keyword is not None:
            return None
        else:
            value = call.args[0].value
            ref = self.resolve(call.func, scope) if type(call.func) in (cst.Name, cst.Attribute) else None
            if ref is None or ref[0] != "" or not self.sleeps.matches(ref[1]):
                return None
        return self._seconds_of(value, scope)

    def _seconds_of(self, value: cst.BaseExpression, scope) -> float | None:
        """The seconds a sleep's argument says at most: a number written out, a class constant
        (`cls.RETRY_DELAY`), a random draw between numbers written out, or a sum of those."""
        if type(value) is cst.BinaryOperation and type(value.operator) is cst.Add:
            left, right = self._seconds_of(value.left, scope), self._seconds_of(value.right, scope)
            return left + right if left is not None and right is not None else None
        if type(value) is cst.Call and type(value.func) in (cst.Name, cst.Attribute):
            drawn = self.resolve(value.func, scope)
            if drawn is None or drawn[0] != "" or not self.bounded_randoms.matches(drawn[1]):
                return None
            # `random.uniform(0, 0.5)`: at most the largest number written out, 1 with none
            bounds = [_number_written(arg.value) if not arg.star else None for arg in value.args]
            return max(bounds, default=1.0) if None not in bounds else None  # type: ignore[type-var]
        written = _number_written(value)
        return written if written is not None else self._class_number(value, scope)

    def _production_leaves(self, stmt: cst.If, scope) -> bool:
        """`if not settings.DEBUG: raise Http404()`, or `if settings.DEBUG: ... else: return`:
        the arm production runs always leaves, so what follows runs in development only."""
        switch = self._fixed_test(stmt.test, scope)
        if switch is None or type(stmt.orelse) is cst.If:
            return False
        arm = stmt.orelse.body if switch and stmt.orelse is not None else None if switch else stmt.body
        return arm is not None and _leaves_every_time(arm)

    def _fixed_test(self, test: cst.BaseExpression, scope) -> bool | None:
        """A test whose arm production does not run is known: True for a debug switch
        (`_debug_switch`), whose `else` production runs; and for a module constant bound once
        to a truth written out, the arm it does not take: `if WEBHOOK_DEACTIVATED: return` with
        `WEBHOOK_DEACTIVATED = True` leaves, and what follows never runs (also `not` it). None
        for any other test."""
        switch = self._debug_switch(test, scope)
        if switch is not None:
            return switch
        negated = type(test) is cst.UnaryOperation and type(test.operator) is cst.Not
        name = test.expression if negated else test  # type: ignore[attr-defined]
        if type(name) is not cst.Name or not name.value.isupper() or scope is not None and scope.find(name.value):
            return None
        held = self.module_names.get(name.value)
        truth = held.ref if held is not None and held.kind == "alias" else None
        if truth not in (("", "True"), ("", "False")) or self._rebound_constant(name.value):
            return None
        # the value the test has is the arm production takes: its other arm is the "switch"
        return (truth == ("", "False")) != negated

    def _debug_switch(self, test: cst.BaseExpression, scope) -> bool | None:
        """True for `settings.DEBUG` (`debug_switches` in `rules/`: Django's settings, a project's
        settings or config module, Flask's `app.debug`, `config["DEBUG"]` and `config.get("DEBUG")`;
        Celery's eager mode, which runs tasks in the caller for tests), False for `not` it; None for
        any other test."""
        if not self.debug_switches:
            return None
        negated = type(test) is cst.UnaryOperation and type(test.operator) is cst.Not
        switch = test.expression if negated else test  # type: ignore[attr-defined]
        getter = _capitals_getter(switch)
        if type(switch) is cst.Subscript and _capitals_key(switch):
            key = _subscript_key(switch)
            held = self.resolve(switch.value, scope)
            ref = (held[0], f"{held[1]}.{key}") if held is not None else None
        elif getter is not None:  # `current_app.config.get("CELERY_ALWAYS_EAGER")`
            held = self.resolve(getter[0], scope)
            ref = (held[0], f"{held[1]}.{getter[1]}") if held is not None else None
        elif type(switch) is cst.Attribute:
            ref = self.resolve(switch, scope)
        else:
            return None
        if ref is not None and ref[0] and not ref[0].strip("."):
            ref = ("", f"{_PACKAGE}.{ref[1]}")  # `from . import settings`: a module of the package
        if ref is None or ref[0] != "" or not self.debug_switches.matches(ref[1]):
            return None
        return not negated

    def _over_configuration(self, stmt: cst.For | cst.While, scope) -> bool:
        """`for hook in settings.EVENT_WEBHOOKS:`, `for url in current_app.config["HOOKS"]:`, or a
        name in capitals imported from a settings module: as many rounds as the operator
        configured (`configuration` in `rules/`), a few, not one per row. Also what a callable
        setting returns (`settings.WEBHOOK_URLS()`), directly or through a local bound once, also
        to one of two settings (`settings.A if user.is_staff else settings.B`)."""
        if type(stmt) is not cst.For or not self.configuration:
            return False
        iterated = _items_of(stmt.iter)
        if type(iterated) is cst.Name and scope is not None:
            iterated = scope.only_value(iterated.value) or iterated
        if type(iterated) is cst.IfExp:  # `settings.VOTE_LIMITS if user else settings.ANON_LIMITS`
            return self._configured(iterated.body, iterated.body, scope) and self._configured(
                iterated.orelse, iterated.orelse, scope
            )
        return self._configured(iterated, stmt.iter, scope)

    def result_flow(self, fn: _FunctionBuilder) -> tuple[set[int], set[int]]:
        """Ids of the calls of a function whose results it uses (see `_consumed_results`), and
        of those whose future a wait of it is given (`wait(futures)`, `as_completed(futures)`:
        `_waited_futures`); read only for a function that calls a `flow_methods` method."""
        if fn.body is None or not any(
            type(call.func) is cst.Attribute and call.func.attr.value in self.flow_methods for call, _ in fn.calls
        ):
            return set(), set()
        nodes = _function_nodes(fn.body)
        used, names = _consumed_results(nodes)
        used |= {id(call) for call, details in fn.calls if details["bound_to"] in names}

        def waits(call: cst.Call) -> bool:
            made = self.resolve(call.func, None)
            return made is not None and not made[0] and any(waits.matches(made[1]) for waits in self.future_waits)

        return used, _waited_futures(nodes, waits, self.future_answers)

    def _listed_class(self, value: cst.BaseExpression, scope) -> Ref | None:
        """`list(TimeFrame)` (also `tuple`, `set`, `sorted`) of a name in CamelCase: the class
        whose members the argument holds, for the project index to say whether it is an
        enumeration of a few."""
        if type(value) is not cst.Call or type(value.func) is not cst.Name or len(value.args) != 1:
            return None
        if ("", value.func.value) not in _LISTING_BUILTINS or self.resolve(value.func, scope) not in _LISTING_BUILTINS:
            return None
        given = value.args[0]
        if given.keyword is not None or given.star or type(given.value) not in (cst.Name, cst.Attribute):
            return None
        last = given.value.attr.value if type(given.value) is cst.Attribute else given.value.value
        if not last[:1].isupper() or last.isupper():
            return None
        ref = self.resolve(given.value, scope)
        return ref if ref is not None and "(" not in ref[1] else None

    def _over_session_pending(self, stmt: cst.For | cst.While, fn: _FunctionBuilder, scope) -> bool:
        """`for obj in itertools.chain(db.session.new, db.session.dirty):` (`session_pending` in
        `rules/`), or over a local only ever bound to `[]` or to comprehensions over them
        (`pending = []`, `pending += [(o, H) for o in db.session.new if ...]`): the objects the
        session holds, as many as the writes made before, which are read on their own."""
        if type(stmt) is not cst.For or self.orm is None or not self.orm.session_pending:
            return False
        if type(stmt.iter) is not cst.Name:
            return self._session_pending(stmt.iter, scope)
        if fn.body is None or not fn.names_session_pending:  # (what gathers them comes before)
            return False
        name = stmt.iter.value
        grown = [
            node.value
            for node in _function_nodes(fn.body)
            if type(node) is cst.AugAssign and _is_name(node.target, name)
        ]
        values = _assigned_values(name, fn.body) + grown
        # (`pending += found`, `found = [o for o in db.session.new ...]`: what `found` is bound to)
        values = [
            held
            for value in values
            for held in (_assigned_values(value.value, fn.body) if type(value) is cst.Name else [value])
        ]
        gathered = [value for value in values if not (type(value) is cst.List and not value.elements)]
        return bool(gathered) and all(
            type(value) in (cst.ListComp, cst.SetComp, cst.GeneratorExp)
            and self._session_pending(value.for_in.iter, scope)  # type: ignore[attr-defined]
            for value in gathered
        )

    def _session_pending(self, expr: cst.BaseExpression, scope) -> bool:
        """`db.session.new` (a `session_pending` attribute of a session), also several of them
        chained (`itertools.chain(...)`) or listed (`list(...)`)."""
        assert self.orm is not None
        if type(expr) is cst.Attribute:
            return expr.attr.value in self.orm.session_pending and self._is_session(expr.value, scope)
        if type(expr) is not cst.Call or not expr.args or any(arg.keyword or arg.star for arg in expr.args):
            return False
        called = self.resolve(expr.func, scope)
        if called not in _LISTING_BUILTINS and called != ("", "itertools.chain"):
            return False
        return all(self._session_pending(arg.value, scope) for arg in expr.args)

    def _over_model_fields(self, stmt: cst.For | cst.While, scope) -> bool:
        """`for field in instance._meta.fields:`, `opts.get_fields()` of `opts = instance._meta`
        (`model_options` in `rules/`): the model's field definitions, as many rounds as its class
        declares, not one per row."""
        if type(stmt) is not cst.For or self.orm is None or not self.orm.model_options:
            return False
        iterated = stmt.iter
        if type(iterated) is cst.Call and not iterated.args:  # `_meta.get_fields()`
            iterated = iterated.func
        if type(iterated) is not cst.Attribute:
            return False
        options = iterated.value
        if type(options) is cst.Name and scope is not None:  # `opts = instance._meta`
            options = scope.only_value(options.value) or options
        return type(options) is cst.Attribute and options.attr.value in self.orm.model_options

    def _configured(self, iterated: cst.BaseExpression, written: cst.BaseExpression, scope) -> bool:
        """Whether an expression a loop runs over is the operator's configuration (see
        `_over_configuration`); `written`: the expression as the loop writes it."""
        if type(iterated) is cst.Call and not iterated.args:
            iterated = iterated.func
        if type(iterated) is cst.Attribute and iterated.attr.value.isupper():
            holder = self.resolve(iterated.value, scope)
        elif type(iterated) is cst.Subscript and _capitals_key(iterated):
            holder = self.resolve(iterated.value, scope)
        else:
            ref = self._constant_elsewhere(written, scope)
            holder = (ref[0], ref[1].rpartition(".")[0]) if ref is not None else None
        if holder is not None and holder[0] and not holder[0].strip("."):
            # `from . import settings`: a module of the package, `<package>.settings`
            holder = ("", f"{_PACKAGE}.{holder[1]}")
        return holder is not None and holder[0] == "" and self.configuration.matches(holder[1])

    def _small_constant(self, iterated: cst.BaseExpression, scope, limit: int | None = FIXED_LOOP_LIMIT) -> bool:
        """`THUMBNAIL_SIZES` (or its `.items()`...): a module constant in capitals written out with
        1 to 10 elements (to `limit`; None: any number), not a name the function binds itself;
        or `self.SKUS` / `cls.SKUS` / `Owner.SKUS`, one its class's body writes out so."""
        name = _capitals(iterated)
        if name is None:
            items = self._class_constant(_items_of(iterated), scope, self.class_items)
        elif scope is not None and scope.find(name.value) is not None:
            return False
        else:
            binding = self.module_names.get(name.value)
            items = binding.items if binding is not None else None
        return items is not None and 1 <= items and (limit is None or items <= limit)

    def _over_a_constant_elsewhere(self, stmt: cst.For | cst.While, scope) -> Ref | None:
        """The name a loop iterates, when it is in capitals and imported, at the top of the module
        or in the function (`from .image import THUMBNAIL_SIZES`), or a class (an enumeration):
        whether it is a short constant is for the project index to say
        (`ProjectIndex.settle_constant_loops`)."""
        return self._named_elsewhere(_listed(stmt.iter), scope) if type(stmt) is cst.For else None

    def _named_elsewhere(self, iterated: cst.BaseExpression, scope) -> Ref | None:
        """What a loop or a comprehension iterates, for the project index to say whether it is
        a few fixed items: an imported constant in capitals, a class (`Status`, `Status.choices`:
        an enumeration's members), or either through a local comprehension over it
        (`keys = [k for k, _ in Status.choices]`)."""
        if type(iterated) is cst.Name and scope is not None:
            held = scope.only_value(iterated.value)
            over = _comprehended(held) if held is not None else None
            if over is not None and over is not held:  # a comprehension over `over`
                iterated = over
        return self._constant_elsewhere(iterated, scope) or self._enumeration(iterated, scope)

    def _enumeration(self, iterated: cst.BaseExpression, scope) -> Ref | None:
        """`Status` or `Status.choices` (`enumeration_members` in `rules/`): a class named in
        CamelCase, which the project index reads as an enumeration or not."""
        if type(iterated) is cst.Attribute and iterated.attr.value in self.enumeration_members:
            iterated = iterated.value
        last = iterated.attr if type(iterated) is cst.Attribute else iterated
        if type(last) is not cst.Name or not last.value[:1].isupper() or last.value.isupper():
            return None
        ref = self.resolve(iterated, scope) if type(iterated) in (cst.Name, cst.Attribute) else None
        return ref if ref is not None and "(" not in ref[1] and ref[0] != "$" else None

    def _constant_elsewhere(self, iterated_expr: cst.BaseExpression, scope) -> Ref | None:
        """An imported name in capitals iterated (`THUMBNAIL_SIZES`, `.items()`...), for the
        project index to say whether it is a short constant."""
        iterated = _capitals(iterated_expr)
        if iterated is None:
            return None
        owner = scope.find(iterated.value) if scope is not None else None
        binding = self.module_names.get(iterated.value) if owner is None else None
        imported = owner is not None or binding is not None and binding.kind in ("import", "alias")
        ref = self.resolve(iterated, scope) if imported else None
        return ref if ref is not None and ref[0] != "@" else None

    def _last_value(self, expr: cst.BaseExpression, scope) -> cst.BaseExpression:
        """What a local bound more than once holds here: the assignment walked last, when it is
        in the same ifs and trys as this statement (`sql = "..."` just above, in the same
        block); else the name itself."""
        if type(expr) is not cst.Name or scope is None or scope.only_value(expr.value) is not None:
            return expr
        walked = self.walked_values.get((scope.key, expr.value))
        if walked is None or walked[1] != self.arms or walked[2] != self.blocks:
            return expr
        return walked[0]

    def _free(self, expr: cst.BaseExpression, scope: _Scope | None, class_name: str | None) -> Ref | None:
        """`manager.route` where neither the module (but by an annotation alone, `manager:
        Blueprint`) nor a function around binds `manager`, and no `*` is imported: a name
        another module sets on this one before it runs (`FREE`), for the index to look up."""
        dotted = _dotted_of_module_expr(expr) if _is_dotted(expr) else None
        root = dotted.partition(".")[0] if dotted is not None else ""
        if dotted is None or self.star_imports or (scope is not None and scope.find(root) is not None):
            return None
        if root in _BUILTINS or root in self.class_body_names.get(class_name or "", ()):
            return None  # `@property`, `@value.setter` under `def value(self)` of the class
        if root in self.module_names and root not in self.declared_only:
            return None
        return (FREE, dotted)

    def _inject(self, small: cst.Assign, scope: _Scope) -> None:
        """`page.manager = Blueprint(...)` where `page = module_from_spec(spec)`: the module the
        project makes and runs finds `manager` bound before its first statement."""
        for target in small.targets:
            held = target.target
            if type(held) is not cst.Attribute or type(held.value) is not cst.Name:
                continue
            made = self.walked_calls.get((scope.key, held.value.value))
            maker = self.resolve(made.func, scope) if made is not None else None
            value = self.resolve(small.value, scope)
            if maker is not None and maker[0] == "" and maker[1] in _MODULE_MAKERS and value is not None:
                self.injected[held.attr.value] = value

    def _bind_walked(self, small: cst.CSTNode, scope) -> None:
        """After `qs = <call>` is walked: what `qs` holds for the statements walked next."""
        if scope is None or type(small) not in (cst.Assign, cst.AnnAssign) or small.value is None:
            return
        targets = [t.target for t in small.targets] if type(small) is cst.Assign else [small.target]
        built = _either_branch(small.value)
        for target in targets:
            for unpacked in _target_names(target) if type(target) in (cst.Tuple, cst.List) else ():
                self.walked_values.pop((scope.key, unpacked.value), None)  # `sql, params = ...`
            if type(target) is cst.Name:
                self.walked_calls[(scope.key, target.value)] = built if type(built) is cst.Call else None
                self.walked_values[(scope.key, target.value)] = (small.value, self.arms, self.blocks)
                key = (scope.key, target.value)
                self.walked_bindings[key] = self.walked_bindings.get(key, 0) + 1

    def _pinned_key(self, loop: int, tested: tuple[cst.BaseExpression, int] | None) -> int | None:
        """The loop a branch runs in when it runs for a few keys of a mapping the loop walks
        (`for field, value in request.POST.items(): if field == "email":`, or `match field:`
        `case "bio" | "chat":`): the keys of a mapping differ, so it runs a few times per run
        of the loop around it, not once per round. None otherwise."""
        if tested is None or not self.key_loops or self.key_loops[-1] is None:
            return None
        subject, count = tested
        repeats, key = self.key_loops[-1]
        if repeats != loop or not _is_name(subject, key) or count > FIXED_LOOP_LIMIT:
            return None
        return self.breaks_to[-1]

    def _row_name(self, stmt: cst.For | cst.While, scope) -> str | None:
        """`status` of `for status in statuses:` (or `for i, status in enumerate(statuses):`)
        when `statuses` is a query (or a local that holds one): each round holds another row."""
        if type(stmt) is not cst.For:
            return None
        target, rows = stmt.target, stmt.iter
        if type(rows) is cst.Call and _is_name(rows.func, "enumerate") and len(rows.args) == 1:
            if type(target) is not cst.Tuple or len(target.elements) != 2:
                return None
            target, rows = target.elements[1].value, rows.args[0].value
        held = scope.only_value(rows.value) if type(rows) is cst.Name and scope is not None else None
        for listed in (held, rows):  # `stages = list(Stage.objects.all())`: the query's rows
            if type(listed) is cst.Call and _is_name(listed.func, "list") and len(listed.args) == 1:
                rows = listed.args[0].value
        if type(target) is not cst.Name or not self._is_query(rows, scope):
            return None
        # `values_list("kind", flat=True)`, `values()`: the values of columns, which repeat
        links = self._query_links(rows, scope)
        if any(kind == "call" and _called_name(node) in _VALUE_QUERIES for kind, node in links):
            return None
        return target.value

    def _pinned_row(self, loop: int, test: cst.BaseExpression) -> int | None:
        """The loop a branch runs in when it runs for the one row of a query the loop walks that
        equals a value the loop does not change (`for i, status in enumerate(statuses): if
        status == current:`, also `status.pk == current.pk`): a query's rows differ, so it runs
        at most once per run of the loop around it. None otherwise."""
        if not self.row_loops or self.row_loops[-1] is None or type(test) is not cst.Comparison:
            return None
        repeats, row, loop_statement = self.row_loops[-1]
        if repeats != loop or len(test.comparisons) != 1 or type(test.comparisons[0].operator) is not cst.Equal:
            return None
        sides = (test.left, test.comparisons[0].comparator)
        for side, other in (sides, sides[::-1]):
            key = side.value if type(side) is cst.Attribute and side.attr.value in self._primary_key_names() else side
            if not _is_name(key, row):
                continue
            nodes = _function_nodes([other])
            attributes = {id(node.attr) for node in nodes if type(node) is cst.Attribute}
            names = {node.value for node in nodes if type(node) is cst.Name and id(node) not in attributes}
            # the loop's own names (`i` of `enumerate`) change each round; so may a name the
            # body binds, or whose attributes it sets or whose methods it calls
            own = {name.value for name in _target_names(loop_statement.target)}
            writes = frozenset(self.orm.instance_write_methods) if self.orm is not None else frozenset()
            changed = any(_changed_in(name, loop_statement.body, writes) for name in names)
            if names and not names & own and not changed:
                return self.breaks_to[-1]
        return None

    def _first_round(self, loop: int, stmt: cst.If) -> int | None:
        """The loop a block runs in when it runs in the loop's first round only: `if ctx is
        None: ctx = build(...)` (or `if not ctx:`), the block binding the local it tests, which
        the loop binds nowhere else (`ctx = None` before the loop): once per run of the loop."""
        tested = _tested_for_absence(stmt.test)
        if tested is None or not self.loop_bodies or self.loop_bodies[-1][0] != loop or stmt.orelse is not None:
            return None
        name, looping = tested.value, self.loop_bodies[-1][1]
        inside = len(_assigned_values(name, stmt.body))
        # bound in the block, and nowhere else in the loop (`ctx = None` before it), not its target
        if not inside or not _only_assigned(name, looping.body, inside):
            return None
        if type(looping) is cst.For and any(target.value == name for target in _target_names(looping.target)):
            return None
        # nor emptied again outside the block (`chunk.clear()`, `chunk[:] = []`)
        block = {id(node) for node in _function_nodes(stmt.body)}
        if any(id(node) not in block and _mutates(node, name) for node in _function_nodes(looping.body)):
            return None
        return self.breaks_to[-1]

    def _primary_key_names(self) -> tuple[str, ...]:
        """The names of a model's primary key (`pk`, `id`)."""
        return tuple(self.orm.primary_keys) if self.orm is not None else ()

    def _leaving(self, branch: cst.BaseSuite, loop: int, fn: _FunctionBuilder | None = None, scope=None) -> int:
        """The loop a branch of an `if` or an `except` repeats in: a branch that ends by leaving
        the loop (`obj.save(); break`, or `return`, also at the end of a `try:` it ends with)
        runs at most once per run of the loop (`break`) or of the function (`return`). So does
        one that ends with a `raise` (or `abort(400)`), unless a `try:` inside the loop holds
        it, where it may be caught, or the branch may leave before it (`continue`): then the
        loop may go on."""
        if not loop:
            return loop
        last = branch.body[-1] if type(branch) is cst.IndentedBlock and branch.body else branch
        small = last.body if type(last) in (cst.SimpleStatementLine, cst.SimpleStatementSuite) else ()
        if small and type(small[-1]) is cst.Break and self.breaks_to:
            return self.breaks_to[-1]
        if type(last) in (cst.Try, cst.TryStar) and self.breaks_to and _suite_returns(last.body.body):
            # `if mirror.url: try: requests.get(mirror.url); break` `except ...:`: the first that
            # answers, once when nothing fails, as a retry is
            return self.breaks_to[-1]
        raises = small and self._raises(small[-1], fn, scope)
        if raises and type(branch) is cst.IndentedBlock and _leaves_early(branch.body, (cst.Continue,)):
            raises = False  # `if lenient: continue` before it: the loop may go on
        if raises and self.tried and not self.tried[-1]:
            return self.breaks_to[-1]
        if small and type(small[-1]) is cst.Return and not raises:  # `return abort(400)` raises
            return 0
        return loop

    def _suppresses(self, stmt: cst.With, scope) -> bool:
        """`with contextlib.suppress(...):` (`suppressing_contexts` in `rules/`): its block's raise
        is caught."""
        if not self.suppressing_contexts:
            return False
        made = (self.resolve(item.item.func, scope) for item in stmt.items if type(item.item) is cst.Call)
        return any(ref is not None and ref[0] == "" and self.suppressing_contexts.matches(ref[1]) for ref in made)

    def _raises(self, small: cst.BaseSmallStatement, fn: _FunctionBuilder | None, scope) -> bool:
        """A statement that raises: `raise`, a call that always raises (`abort(404)`, also as
        `return abort(404)`), or a bound task's `self.retry()`."""
        if type(small) is cst.Raise:
            return True
        value = small.value if type(small) in (cst.Expr, cst.Return) else None  # type: ignore[union-attr]
        if type(value) is cst.Call and self.raising_calls:
            called = self.resolve(value.func, scope)
            if called is not None and called[0] == "" and self.raising_calls.matches(called[1]):
                return True
        return fn is not None and _raises_by_method(small, fn)

    def _suite_end(self, suite: cst.BaseSuite, fn: _FunctionBuilder, scope) -> str | None:
        """How a block ends, for the calls in it (`raises_after`): RAISES when it ends with a raise
        that no `try:` of the function holds and nothing in it leaves before (a `return`, or a
        `break` or `continue` of a loop around it); LEAVES when it ends otherwise with a jump, or
        with a raise that may be caught or left before; None when it runs on after its end."""
        body = suite.body
        statements = list(body) if isinstance(body, (list, tuple)) else [body]
        last = statements[-1] if statements else None
        smalls = last.body if type(last) in (cst.SimpleStatementLine, cst.SimpleStatementSuite) else ()
        if type(suite) is cst.SimpleStatementSuite:
            smalls, statements = suite.body, []
        if not smalls:
            return None
        if not self._raises(smalls[-1], fn, scope):
            return LEAVES if type(smalls[-1]) in (cst.Return, cst.Break, cst.Continue) else None
        if any(block[0] == "try" and block[2] == 0 for block in self.blocks) or _leaves_early(statements):
            return LEAVES
        return RAISES

    def _walk_suite(self, suite: cst.BaseSuite, fn, scope, loop, prefix, class_name) -> None:
        self.suite_ends.append(self._suite_end(suite, fn, scope))
        body = suite.body
        if not isinstance(body, (list, tuple)):
            self.walk_statement(body, fn, scope, loop, prefix, class_name)
        else:
            self._walk_statements(body, fn, scope, loop, prefix, class_name)
        self.suite_ends.pop()

    def _raises_after(self) -> bool:
        """The call walked is in a block that ends by raising out of the function (`_suite_end`)."""
        return next((end for end in reversed(self.suite_ends) if end is not None), None) == RAISES

    def _walk_statements(self, body, fn, scope, loop, prefix, class_name, once=None) -> None:
        """`once`: (index, loop) for a loop's body whose statements from that index on run in
        its last round only (`_leaving_tail`): they repeat in that loop, the one around it or
        none."""
        around = self.guards
        cached = 0
        caps: list[tuple[tuple[int, str], int, bool]] = []  # (the capped name, where it ends, after it)
        for index, inner in enumerate(body):
            here = once[1] if once is not None and index >= once[0] else loop
            self._end_caps(caps, index, False)
            self.walk_statement(inner, fn, scope, here, prefix, class_name)
            self._end_caps(caps, index, True)
            capped = self._length_cap(inner, fn, scope)
            if capped is not None:
                ends, after = _cap_end(capped[1], body[index + 1 :])
                caps.append((capped, index + 1 + ends, after))
                self.length_caps.add(capped)
            if _always_leaves(inner):
                break  # `return` (a feature turned off by hand), then the old code: it never runs
            if type(inner) is cst.If and self._production_leaves(inner, scope):
                break  # `if not settings.DEBUG: raise Http404()`: what follows is for development
            # `if not created: return`: what follows runs only when `created` is true; after
            # `if found: return found` / `elif not create: return None`, only when `create` is
            # `if domerge: ...` `else: return`: what follows runs only when `domerge` is true
            # (`_end_guards`: also `if not domerge: return`, an `if` / `elif` / `else` each arm of
            # which that goes on has passed it, and what a `with` block has passed)
            self.guards += tuple(g for g in self._end_guards((inner,), fn, scope) if g not in self.guards)
            if type(inner) is cst.If and inner.orelse is None and _leaves_every_time(inner.body):
                if not cached and _returns_what_is_cached(inner, body[index + 1 :], fn):
                    # `if _settings is not None: return _settings`, then what fills it: the rest
                    # runs once per process
                    cached = 1
                    self.once_depth += 1
                    self.start_up_depth += 1
        self.once_depth -= cached
        self.start_up_depth -= cached
        self.guards = around
        for capped, _, _ in caps:
            self.length_caps.discard(capped)

    def _end_caps(self, caps: list[tuple[tuple[int, str], int, bool]], index: int, after: bool) -> None:
        """Forget the caps that end before (or after) the statement at `index` (`_cap_end`)."""
        for capped, ends, ends_after in caps:
            if ends == index and ends_after == after:
                self.length_caps.discard(capped)

    def _end_guards(self, statements, fn: _FunctionBuilder, scope) -> list[Guard]:
        """The parameter tests that every way through these statements to their end has passed,
        by the `if`s among them: `if not domerge: return`, `if domerge: ...` `else: return`,
        an `if` each arm of which, when it goes on, has passed one (`_if_end_guards`), and
        those of a `with` block among them."""
        found: list[Guard] = []
        for statement in statements:
            if type(statement) is cst.If:
                for test in _tests_left_behind(statement):
                    found += _parameter_tests(test, fn, scope)[1]
                found += self._if_end_guards(statement, fn, scope)
            elif type(statement) is cst.With and not self._suppresses(statement, scope):
                found += self._end_guards(_suite_statements(statement.body), fn, scope)
        return found

    def _if_end_guards(self, stmt: cst.If, fn: _FunctionBuilder, scope) -> list[Guard]:
        """What the statements after an `if` need of the parameters, from the arms that go on:
        its test's needs when only its body goes on (`else: return`), and the tests every arm
        that goes on has passed; none when there is no `else` (no arm is taken)."""
        arms: list[tuple[cst.BaseSuite, list[Guard]]] = []
        current: cst.If | cst.Else | None = stmt
        while type(current) is cst.If:
            arms.append((current.body, list(_parameter_tests(current.test, fn, scope)[0]) if current is stmt else []))
            current = current.orelse
        if current is None:
            return []
        arms.append((current.body, []))
        ends = [
            needs + self._end_guards(_suite_statements(body), fn, scope)
            for body, needs in arms
            if not _leaves_every_time(body)
        ]
        if not ends:
            return []
        return [guard for guard in dict.fromkeys(ends[0]) if all(guard in end for end in ends[1:])]

    def _length_cap(self, stmt: cst.CSTNode, fn: _FunctionBuilder, scope) -> tuple[int, str] | None:
        """`if len(files) > 1: return Response(status=400)` (`>= 2`, `1 < len(files)`, an
        `abort(400)`; the limit written out or a constant of the module, 1 to 10): what follows
        holds at most that many items, up to what may add to it (`_cap_end`)."""
        if scope is None or type(stmt) is not cst.If or stmt.orelse is not None:
            return None
        last = stmt.body.body[-1] if stmt.body.body else None
        smalls = last.body if type(last) is cst.SimpleStatementLine else stmt.body.body
        if not _leaves_every_time(stmt.body) and not (smalls and self._raises(smalls[-1], fn, scope)):
            return None
        test = stmt.test
        if type(test) is not cst.Comparison or len(test.comparisons) != 1:
            return None
        operator, right = type(test.comparisons[0].operator), test.comparisons[0].comparator
        left = test.left
        if operator in (cst.LessThan, cst.LessThanEqual):  # `1 < len(files)`
            left, right = right, left
            operator = cst.GreaterThan if operator is cst.LessThan else cst.GreaterThanEqual
        if operator not in (cst.GreaterThan, cst.GreaterThanEqual) or type(left) is not cst.Call:
            return None
        if not _is_name(left.func, "len") or len(left.args) != 1 or type(left.args[0].value) is not cst.Name:
            return None
        limit = self.constant(right, scope)[1]
        if limit is None and type(right) is cst.Name and scope.find(right.value) is None:
            limit = self._module_number(right.value)  # `MAX_CHUNKS = 1` at the top of the module
        if limit is None:
            return None
        limit = limit if operator is cst.GreaterThan else limit - 1
        if not 1 <= limit <= FIXED_LOOP_LIMIT:
            return None
        return (scope.key, left.args[0].value.value)

    def _capped(self, expr: cst.BaseExpression, scope) -> bool:
        """`files`, `enumerate(files)` or `zip(files, checksums)` after a cap on `files`
        (`_length_cap`) that has not ended (`_cap_end`): a few items."""
        if not self.length_caps:
            return False
        expr = _listed(expr)
        if type(expr) is cst.Call and _is_name(expr.func, "zip") and expr.args:
            return any(not arg.star and self._capped(arg.value, scope) for arg in expr.args)
        if type(expr) is not cst.Name or scope is None:
            return False
        return (scope.key, expr.value) in self.length_caps

    def walk_class(self, node: cst.ClassDef, scope, prefix: str) -> None:
        qualname = f"{prefix}{node.name.value}"
        # `GenericAPIView[Any]`, `Generic[T]`: the class subscripted is the base
        bases = tuple(
            self.resolve(base.value.value if type(base.value) is cst.Subscript else base.value, scope)
            for base in node.bases
            if base.keyword is None
        )
        methods: list[str] = []
        attributes: dict[str, Ref] = {}
        # `class Pusher(metaclass=Once)`: kept as Python 2 spelled it, a class attribute
        metaclass = next(
            (self.resolve(k.value, scope) for k in node.keywords if k.keyword and k.keyword.value == "metaclass"), None
        )
        if metaclass is not None:
            attributes["__metaclass__"] = metaclass
        # `class A: x = 1`: a one-line body holds small statements only
        one_line = type(node.body) is cst.SimpleStatementSuite
        body = [node.body] if one_line else node.body.body if type(node.body) is cst.IndentedBlock else []
        nested: set[str] = set()  # the classes of its body so far
        self.class_numbers[qualname] = _class_written(body, _number_written)
        self.class_items[qualname] = _class_written(body, _items_written)
        self.class_body_names[qualname] = {name for name, _ in _class_assignments(body)} | {
            stmt.name.value for stmt in body if type(stmt) in (cst.FunctionDef, cst.ClassDef)
        }
        for stmt in body:
            if type(stmt) is cst.FunctionDef:
                methods.append(stmt.name.value)
                self.walk_function(stmt, scope, qualname + ".", qualname)
            elif type(stmt) is cst.ClassDef:
                self.walk_class(stmt, scope, qualname + ".")
                nested.add(stmt.name.value)
            elif type(stmt) in (cst.SimpleStatementLine, cst.SimpleStatementSuite):
                for small in stmt.body:
                    if type(small) is cst.AnnAssign and type(small.target) is cst.Name:
                        # `bg: BackgroundTasks`, `event_bus: EventBus = Depends(...)`: what instances hold
                        annotation = self.annotated_type(small.annotation.annotation, scope)
                        annotated = _join(self.resolve(annotation, scope), "()")
                        if annotated is not None:
                            self.class_annotations.setdefault(qualname, {})[small.target.value] = annotated
                    if type(small) is cst.Assign and len(small.targets) == 1:
                        target, value = small.targets[0].target, small.value
                        # `abstract = True` (a Meta's flag) is kept; `x = None` is no value
                        named = type(value) in (cst.Name, cst.Attribute, cst.Call) and _literal_kind(value) != "None"
                        ref = self.resolve(value, scope) if named else None
                        if ref is None and type(value) is cst.Name and value.value in nested:
                            ref = ("@", value.value)  # `query_class = BillQuery`, a class of its body
                        text = string_value(value)
                        if type(target) is cst.Name and ref is not None:
                            attributes[target.value] = ref
                        elif type(target) is cst.Name and text is not None:
                            attributes[target.value] = (STRING_ANCHOR, text)  # `IMPORT = "import"` (an Enum's)
                        elif type(target) is cst.Name:
                            attributes.pop(target.value, None)
        unique_types = self.orm.unique_field_types if self.orm is not None else frozenset()
        literals = sum(_a_member(value) for name, value in _class_assignments(body) if not name.startswith("_"))
        foreign = tuple(
            (name, ref)
            for name, value in _class_assignments(body)
            if (ref := self._foreign_model(value, scope)) is not None
        )
        columns = _columns(body)
        facts = (_unique_keys(node, unique_types), _composites(node), tuple(attributes.items()), literals, foreign)
        facts += columns
        facts += (
            tuple(
                (name, related or "")
                for name, value in _class_assignments(body)
                if type(value) is cst.Call
                and (
                    (related := string_value(_argument(value, None, "related_name"))) is not None
                    and _called_name(value) in _FOREIGN_KEY_FIELDS
                    or _called_name(value) in _MANY_TO_MANY_FIELDS
                )
            ),
        )
        generic = tuple(
            (name, ref, columns)
            for name, value in _class_assignments(body)
            if (found := self._generic_relation(value, scope)) is not None
            for ref, columns in [found]
        )
        facts += (_string_lists(body), generic, self._registered_models(node, scope))
        self.classes.append((qualname, node, bases, methods, *facts))

    def _registered_models(self, node: cst.ClassDef, scope) -> tuple[Ref, ...]:
        """The models a registrar decorator gives the class (`@admin.register(Item, Tag)`)."""
        found = []
        for decorator in node.decorators:
            call = decorator.decorator
            if type(call) is not cst.Call or not self.model_registrars:
                continue
            called = self.resolve(call.func, scope)
            if called is None or called[0] or not self.model_registrars.matches(called[1]):
                continue
            for arg in call.args:
                if arg.keyword is None and not arg.star and type(arg.value) in (cst.Name, cst.Attribute):
                    ref = self.resolve(arg.value, scope)
                    if ref is not None:
                        found.append(ref)
        return tuple(found)

    def _generic_relation(self, value: cst.BaseExpression, scope) -> tuple[Ref, tuple[str, str]] | None:
        """`GenericRelation(Tag, object_id_field="item_id")`: the model it names and the two
        columns of Tag that point at a row: Django's `content_type` and `object_id` unless the
        call names others ("?" for one it names other than by a string written out)."""
        ref = self._field_model(value, _GENERIC_RELATION_FIELDS, scope)
        if ref is None:
            return None
        assert type(value) is cst.Call
        spread = any(arg.star == "**" for arg in value.args)

        def column(keyword: str, default: str) -> str:
            # a name, or `**options`, may name another column: "?", which pins no key
            given = _argument(value, None, keyword)
            if given is None:
                return "?" if spread else default
            return string_value(given) or "?"

        return ref, (column("content_type_field", "content_type"), column("object_id_field", "object_id"))

    def _foreign_model(self, value: cst.BaseExpression, scope) -> Ref | None:
        """The model a foreign key column names: `ForeignKey(Workspace, ...)`,
        `OneToOneField(to="db.Workspace")`; a string as (STRING_ANCHOR, it)."""
        return self._field_model(value, _FOREIGN_KEY_FIELDS, scope)

    def _field_model(self, value: cst.BaseExpression, fields: tuple[str, ...], scope) -> Ref | None:
        """The model a call of one of these fields names first or as `to=`; a string as
        (STRING_ANCHOR, it)."""
        if _called_name(value) not in fields or type(value) is not cst.Call:
            return None
        named = _argument(value, 0, "to")
        if named is None:
            return None
        text = string_value(named)
        if text is not None:
            return (STRING_ANCHOR, text)
        return self.resolve(named, scope) if type(named) in (cst.Name, cst.Attribute) else None

    def walk_function(self, node: cst.FunctionDef, parent_scope, prefix: str, class_name) -> None:
        qualname = f"{prefix}{node.name.value}"
        fn = _FunctionBuilder(qualname, node.name.value, node.name, class_name)
        fn.body = node.body
        fn.is_async = node.asynchronous is not None
        self.functions.append(fn)
        scope = _Scope(parent_scope, class_name)
        scope.body = node.body
        params = _parameter_nodes(node.params)
        fn.params = tuple(param.name.value for param in params)
        scope.params = frozenset(fn.params)
        fn.varargs = node.params.star_arg.name.value if type(node.params.star_arg) is cst.Param else None
        fn.kwargs = node.params.star_kwarg.name.value if node.params.star_kwarg is not None else None
        fn.positional = len(node.params.posonly_params) + len(node.params.params)
        fn.defaults = tuple(
            (param.name.value, truth)
            for param in params
            if param.default is not None and (truth := _written_truth(param.default)) is not None
        )
        fn.none_defaults = frozenset(param.name.value for param in params if _is_name(param.default, "None"))
        fn.text_defaults = tuple(
            (param.name.value, text)
            for param in params
            if param.default is not None and (text := string_value(param.default)) is not None
        )
        returned_type = self._return_type(node.returns.annotation, parent_scope) if node.returns else None
        if returned_type is not None:
            named, made = returned_type
            fn.annotated = True
            fn.annotated_return = self._annotated_instance(named, parent_scope, class_name, made)
        param_types: dict[str, Ref] = {}
        for index, param in enumerate(params):
            annotated = None
            if param.annotation is not None:
                annotated = _join(
                    self.resolve(self.annotated_type(param.annotation.annotation, parent_scope), parent_scope), "()"
                )
                if annotated is not None:
                    param_types[param.name.value] = annotated
            elif param.name.value in self.kept_parameters:
                # a signal receiver's `instance`, typed by its sender; a view method's `queryset`,
                # rows of the view's model
                annotated = ("$", param.name.value)
            scope.names[param.name.value] = annotated
            if index == 0 and class_name and param.name.value in ("self", "cls"):
                scope.self_name = param.name.value
                del scope.names[param.name.value]
        fn.param_types = param_types
        for decorator in node.decorators:
            expr = decorator.decorator
            is_call = type(expr) is cst.Call
            named = expr.func if is_call else expr
            target = self._free(named, parent_scope, class_name) or self.resolve(named, parent_scope)
            args = self.arg_facts(expr.args, parent_scope) if is_call else ()
            fn.decorators.append((decorator, target, is_call, args))
            if is_call and params and class_name is None:
                bound = {m for keyword, m in self.task_binds if any(_binds(arg, keyword) for arg in expr.args)}
                fn.raising = (params[0].name.value, frozenset(bound)) if bound else fn.raising
            if is_call:
                for arg in expr.args:
                    self.walk_expression(arg.value, self.functions[0], parent_scope, 0)
        self._collect_local_bindings(node.body, scope, qualname + ".")
        fn.handed_back = _returned_calls(node.body)
        fn.declared_globals = {
            item.name.value
            for line in _suite_statements(node.body)
            if type(line) is cst.SimpleStatementLine
            for small in line.body
            if type(small) is cst.Global
            for item in small.names
            if type(item.name) is cst.Name
        }
        if fn.is_async:
            fn.awaited = _awaited_calls(node.body)
            fn.concurrent = self._concurrent_comprehensions(node.body, scope, fn)
        if class_name and node.name.value == "__init__" and scope.self_name:
            self._collect_instance_attributes(node.body, scope.self_name, param_types, class_name, parent_scope)
        # a nested function's calls are not its parent's; its ifs and trys are numbered from its
        # own start, so that a function read alone (module_loading.PartialModule) numbers them alike
        around = (self.guards, self.ifs, self.tries, self.arms, self.tests_around, self.rounds_around)
        self.guards = ()
        ends, self.suite_ends = self.suite_ends, []
        self.ifs, self.tries, self.arms, self.tests_around, self.rounds_around = 0, 0, (), [], []
        self._walk_suite(node.body, fn, scope, 0, qualname + ".", None)
        self.guards, self.ifs, self.tries, self.arms, self.tests_around, self.rounds_around = around
        self.suite_ends = ends
        self._layout_marks(node, fn)
        fn.returns_few_of = self._returned_few_of(fn, scope)

    def _returned_few_of(self, fn: _FunctionBuilder, scope) -> str | None:
        """The parameter every `return` gives back at most as many items as: the parameter
        itself, a local container filled one item per round of a loop over it (`_filled_from`),
        or a comprehension with one `for` over it; WRITTEN_OUT when each gives a tuple, list
        or set written out with 1 to 10 items, itself or in a local (`_local_list`)."""
        found = set()
        for value in fn.returned_values:
            if _written_out(value) and value.elements or self._local_list(value, scope):  # type: ignore[union-attr]
                found.add(WRITTEN_OUT)  # also `runs = []` given a few appends outside loops
            elif type(value) is cst.Name:
                name = value.value
                found.add(name if _counted_parameter(name, fn, scope) else self._filled_from(name, fn, scope))
            elif type(value) in (cst.ListComp, cst.GeneratorExp, cst.SetComp) and value.for_in.inner_for_in is None:
                over = _comprehended(value)  # through `enumerate(...)`, and comprehensions over comprehensions
                while _comprehended(over) is not over:
                    over = _comprehended(over)
                found.add(over.value if type(over) is cst.Name and _counted_parameter(over.value, fn, scope) else None)
            else:
                found.add(None)
        return found.pop() if len(found) == 1 and not fn.yields else None

    def _layout_marks(self, node: cst.FunctionDef, fn: _FunctionBuilder) -> None:
        """Where lines can be added: after the docstring, at the end, at the end of each outermost loop."""
        if type(node.body) is not cst.IndentedBlock or not node.body.body:
            return
        body = list(node.body.body)
        first = body[1] if len(body) > 1 and _is_docstring(body[0]) else body[0]
        fn.mark(first, "body-first", "", 0)
        fn.mark(body[-1], "body-last", "jump" if _always_leaves(body[-1]) else "", 0)
        stack: list[cst.CSTNode] = list(reversed(body))
        while stack:
            stmt = stack.pop()
            if type(stmt) in (cst.For, cst.While) and type(stmt.body) is cst.IndentedBlock:
                last = stmt.body.body[-1]
                fn.mark(last, "loop-last", "jump" if _is_jump(last) else "", 0)
                continue  # outermost loops only
            stack.extend(reversed(list(_child_blocks(stmt))))

    def _collect_local_bindings(self, suite: cst.BaseSuite, scope: _Scope, prefix: str) -> None:
        """Local names of a function body (not of nested functions), last one wins. A function
        defined in it is the nested function's facts (`export.inner`), so a call follows it."""
        stack: list[cst.CSTNode] = list(reversed(_suite_statements(suite)))
        block_of: dict[int, int] = {}  # id of a statement -> id of the compound statement it is in
        block_parent: dict[int, int] = {}  # id of a compound statement -> that of the one it is in
        while stack:
            stmt = stack.pop()
            if isinstance(stmt, (cst.SimpleStatementLine, cst.BaseSmallStatement)):
                for small in stmt.body if type(stmt) is cst.SimpleStatementLine else [stmt]:
                    if type(small) in (cst.Import, cst.ImportFrom):
                        for name, ref, _ in _import_bindings(small):
                            scope.names[name] = ref
                    elif type(small) is cst.AugAssign and type(small.target) is cst.Name:
                        scope.assigned.add(small.target.value)
                        scope.bound_at.setdefault(small.target.value, []).append(id(stmt))
                        scope.remapped[small.target.value] = False
                        scope.made_true.add(small.target.value)
                        scope.few_written[small.target.value] = None
                        scope.dicts_bound[small.target.value] = None
                        scope.varied.add(small.target.value)
                        scope.strings.pop(small.target.value, None)
                    elif type(small) is cst.Expr:
                        self._appended_element(small.value, scope)
                    elif type(small) in (cst.Assign, cst.AnnAssign):
                        targets = [t.target for t in small.targets] if type(small) is cst.Assign else [small.target]
                        for target in targets:
                            paired = self._paired_instance(target, small.value, scope)
                            for name_node in _target_names(target):
                                simple = type(target) is cst.Name
                                binding = self._binding_for_value(small.value, scope) if simple else Binding("other")
                                if paired is not None and name_node is paired[0]:
                                    binding = Binding("instance", ref=paired[1])
                                if (
                                    type(small) is cst.AnnAssign
                                    and simple
                                    and binding.kind in ("other", "alias", "instance")
                                ):
                                    # `user: User = current_user`: the annotation says what the value is
                                    annotation = self.annotated_type(small.annotation.annotation, scope)
                                    annotated = _join(self.resolve(annotation, scope), "()")
                                    if annotated is not None or binding.kind == "other":
                                        binding = Binding("instance", ref=annotated)
                                name = name_node.value
                                if name in scope.assigned:
                                    scope.rebound.add(name)
                                    if binding.kind != "string" or scope.strings.get(name) != binding.value:
                                        # `queue = "log_parser"` in one branch, `queue = "fail"` in
                                        # another: which one a call gets is known at run time only
                                        scope.varied.add(name)
                                scope.assigned.add(name)
                                scope.bound_at.setdefault(name, []).append(id(stmt))
                                remaps = simple and small.value is not None and _maps_itself(small.value, name)
                                scope.remapped[name] = scope.remapped.get(name, True) and remaps
                                if not simple or small.value is None or _written_truth(small.value) is not False:
                                    scope.made_true.add(name)
                                scope.names[name] = binding.ref if binding.kind in ("instance", "alias") else None
                                scope.strings.pop(name, None)
                                scope.numbers.pop(name, None)
                                before = scope.calls.pop(name, None)
                                few = simple and _written_out(small.value) and bool(small.value.elements)  # type: ignore[attr-defined,arg-type]
                                scope.few_written[name] = scope.few_written.get(name, small.value) if few else None
                                dicts = scope.dicts_bound.get(name, [])
                                written = simple and dicts is not None and _dict_keywords(small.value) is not None
                                scope.dicts_bound[name] = [*dicts, small.value] if written else None  # type: ignore[misc]
                                if simple and small.value is not None:
                                    scope.values[name] = small.value
                                    self._list_elements(name, small.value, scope)
                                if binding.kind == "string" and binding.value is not None and name not in scope.varied:
                                    scope.strings[name] = binding.value
                                elif binding.kind == "number" and binding.value is not None:
                                    scope.numbers[name] = int(binding.value)
                                elif simple and type(built := _either_branch(small.value)) is cst.Call:
                                    scope.calls[name] = built
                                    scope.block_of[id(built)] = block_of.get(id(stmt), 0)
                                    if before is not None and _is_name(_chain(built)[0][1], name):
                                        scope.built_on[id(built)] = before
                                        # in a block the binding it builds on is not in (an `if`
                                        # around it, or beside it): maybe not run
                                        mine, theirs = scope.block_of[id(built)], scope.block_of.get(id(before), 0)
                                        while theirs != mine and theirs:
                                            theirs = block_parent.get(theirs, 0)
                                        if theirs != mine:
                                            scope.built_apart.add(id(built))
            elif type(stmt) is cst.FunctionDef:
                scope.names[stmt.name.value] = ("^", prefix + stmt.name.value)  # a function of this module
            elif type(stmt) is cst.ClassDef:
                scope.names[stmt.name.value] = None
            else:
                if type(stmt) is cst.With:
                    for item in stmt.items:
                        if item.asname is not None and type(item.asname.name) is cst.Name:
                            value = item.item
                            ref = _join(self.resolve(value.func, scope), "()") if type(value) is cst.Call else None
                            scope.names[item.asname.name.value] = ref
                            if type(value) is cst.Call:
                                scope.calls[item.asname.name.value] = value
                if type(stmt) is cst.For:
                    bound_before = {n.value for n in _target_names(stmt.target) if n.value in scope.names}
                    element = scope.elements.get(stmt.iter.value) if type(stmt.iter) is cst.Name else None
                    same = type(stmt.target) is cst.Name and scope.names.get(stmt.target.value) == element
                    for name_node in _target_names(stmt.target):
                        scope.names[name_node.value] = None
                    if type(stmt.target) is cst.Name:
                        scope.iterated[stmt.target.value] = stmt.iter
                    if type(stmt.target) is cst.Name and element is not None and (same or not bound_before):
                        # `for t in threads:` over a list of `Thread(...)`: what `t = Thread(...)` is too
                        scope.names[stmt.target.value] = element
                    elif type(stmt.target) is cst.Name and not bound_before:
                        # typed only when no other statement binds the name (the last binding wins)
                        scope.names[stmt.target.value] = self._iterated_model(stmt.iter, scope)
                children = list(_child_blocks(stmt))
                block_parent[id(stmt)] = block_of.get(id(stmt), 0)
                for child in children:  # a `with` block runs whenever the statement around it does
                    block_of[id(child)] = block_of.get(id(stmt), 0) if type(stmt) is cst.With else id(stmt)
                stack.extend(reversed(children))

    def walk_expression(self, node: cst.CSTNode, fn: _FunctionBuilder, scope, loop: int) -> None:
        """Record every call under `node`; comprehensions and lambdas count as loops (not the
        collection a comprehension's first `for` iterates: `[g(x) for x in fetch()]` calls
        `fetch()` once, where the comprehension is)."""
        # (node, loop, the guards of the `if`s and conditional expressions around it)
        stack: list[tuple[cst.CSTNode, int, tuple]] = [(node, loop, self.guards)]
        once: dict[int, int] = {}  # id of a comprehension's first iterable -> the loop around it
        guarded = self.guards
        while stack:
            current, looping, self.guards = stack.pop()
            if type(current) is cst.Yield:
                fn.yields = True
            if type(current) is cst.Attribute and current.attr.value in self.session_pending:
                fn.names_session_pending = True
            if id(current) in fn.concurrent and type(current) is cst.Call:
                looping = 0  # `tasks.append(fetch(u))`, then `gather(*tasks)`: made together
            if type(current) is cst.Call:
                if self.canvas:
                    self._canvas_members(current, fn, scope)
                for arg in current.args:  # `create_task(deliver(event))`: whose task runs `deliver`
                    if type(arg.value) is cst.Call and not arg.star:
                        self.argument_of[id(arg.value)] = current
                fn.calls.append((current, self.call_details(current, fn, scope, looping)))
                deferred = self._deferred_call(current, scope)
                if deferred is not None:
                    if self.canvas:  # `on_commit(chain(a.si(x), b.si(x)).apply_async)` sends the chain
                        self._canvas_members(deferred, fn, scope)
                    fn.calls.append((deferred, self.call_details(deferred, fn, scope, looping)))
                ran = self._thread_run(current, scope, fn)
                if ran is not None:
                    # `await loop.run_in_executor(None, purge, uid)`: `purge(uid)`, run on a thread
                    # the request waits for; background work only as the runner is (an executor's
                    # spawn nobody awaits, a coroutine given to `create_task`)
                    runner = self.argument_of.get(id(current), current)
                    if type(ran) is cst.Lambda:  # its body is read where it is written
                        if type(ran.body) is cst.Call:
                            self.argument_of[id(ran.body)] = runner
                    else:
                        self.argument_of[id(ran)] = runner
                        fn.calls.append((ran, self.call_details(ran, fn, scope, looping)))
                mapper = self._mapper(current, scope)
                if mapper is not None:
                    # a loop of its own, as a comprehension is; none when gathered at once
                    each = looping if id(current) in fn.concurrent_maps else self.next_loop(current)
                    over = current.args[1].value
                    if each != looping and type(over) is cst.Name and _counted_parameter(over.value, fn, scope):
                        fn.parameter_loops.append((each, looping, over.value))
                    given = current.args[0].value
                    if type(given) is cst.Lambda:  # the calls of its body, not of its defaults (made once)
                        once[id(given.body)] = each
                        if type(given.body) is cst.Call:
                            self.argument_of[id(given.body)] = current
                    else:
                        mapped = self._mapped_call(current, mapper)
                        # an executor's `map` nothing waits for is a spawn: its calls are background work
                        self.argument_of[id(mapped)] = current
                        fn.calls.append((mapped, self.call_details(mapped, fn, scope, each)))
            elif type(current) is cst.IfExp:
                # `store(files) if files else []`: the call needs `files` true, as in an `if`
                needs, otherwise = _parameter_tests(current.test, fn, scope)
                stack.append((current.test, looping, self.guards))
                stack.append((current.body, looping, self.guards + needs))
                stack.append((current.orelse, looping, self.guards + otherwise))
                continue
            elif type(current) is cst.Comparison:
                for side in [current.left, *(c.comparator for c in current.comparisons)]:
                    for literal in _string_nodes(side):
                        fn.mark(literal, "compare", string_value(literal) or "", looping)
            elif type(current) is cst.Subscript:
                self._slice_batch(current, fn, scope, looping)
                if type(current.value) in (cst.Name, cst.Attribute) and self.resolve(current.value, scope) == ARGV:
                    fn.mark(current, "argv", "", looping)  # `sys.argv[1:]`: a worker's queues may come from here
            if type(current) in (cst.FunctionDef, cst.ClassDef):
                continue
            if type(current) is cst.Call and looping and self._starts_concurrently(current, scope):
                looping = 0  # `tg.create_task(fetch(u))`: the task group runs it alongside the others
            single = type(current) in _COMPREHENSIONS and current.for_in.inner_for_in is None
            if single and id(current) not in fn.concurrent and self._over_a_few(_listed(current.for_in.iter), scope):
                # `[probe(b) for b in ("convert", "calibredb")]`: a few fixed rounds, as a `for`
                once[id(current.for_in.iter)] = looping
            elif type(current) in _COMPREHENSIONS and id(current) not in fn.concurrent:
                over = current.for_in.iter
                around, looping = looping, self.next_loop(current)
                if id(current) in fn.handed_comprehensions:  # the callee may run them at once
                    fn.gathered_loops.append((looping, around, fn.handed_comprehensions[id(current)]))
                once[id(over)] = around
                if type(over) is cst.Name and single:
                    if _counted_parameter(over.value, fn, scope):  # `[f(n) for n in notes]`
                        fn.parameter_loops.append((looping, around, over.value))
                elsewhere = self._named_elsewhere(_listed(over), scope) if single else None
                if elsewhere is not None:  # an imported constant: the project index settles it
                    fn.constant_loops.append((looping, around, elsewhere))
            stack.extend((child, once.get(id(child), looping), self.guards) for child in _children(current))
        self.guards = guarded

    def _deferred_call(self, call: cst.Call, scope) -> cst.Call | None:
        """The call a `deferred_calls` name makes later in the request of the function it is
        given: `task.s(x).delay()` of `transaction.on_commit(task.s(x).delay)`, `task.delay(x)`
        of `on_commit(partial(task.delay, x))` (an `argument_binders` name). A call written
        nowhere, which takes the position of the function given. (A `lambda` given is read
        where it is written.)"""
        if not self.deferred_calls or not call.args or call.args[0].keyword is not None or call.args[0].star:
            return None
        runner = self.resolve(call.func, scope)
        if runner is None or runner[0] or not self.deferred_calls.matches(runner[1]):
            return None
        return self._call_of(call.args[0].value, (), scope)

    def _call_of(self, given: cst.BaseExpression, args: tuple[cst.Arg, ...], scope) -> cst.Call | None:
        """The call, written nowhere, of a function given to a runner with `args`: `given(*args)`,
        or `task.delay(x, *args)` of `partial(task.delay, x)` (an `argument_binders` name). It
        takes the position of the function given."""
        held = scope.calls.get(given.value) if type(given) is cst.Name and scope is not None else None
        if held is not None and given.value not in scope.rebound:  # `inner = partial(func, *args)`, given `inner`
            binder = self.resolve(held.func, scope)
            if binder is not None and not binder[0] and self.argument_binders.matches(binder[1]):
                given = held
        if type(given) is cst.Call:  # `partial(task.delay, x)`
            binder = self.resolve(given.func, scope)
            if binder is None or binder[0] or not self.argument_binders.matches(binder[1]):
                return None
            bound = tuple(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in given.args[1:])
            given, args = _function_given(given), bound + args
        if type(given) not in (cst.Name, cst.Attribute):
            return None
        made = cst.Call(func=given, args=args)
        self.stand_ins[id(made)] = given
        return made

    def _thread_run(self, call: cst.Call, scope, fn: _FunctionBuilder) -> cst.Call | cst.Lambda | None:
        """What a `thread_runners` name runs of the function it is given: `purge(uid)` of
        `loop.run_in_executor(None, purge, uid)` or `asyncio.to_thread(purge, uid)` (see
        `_call_of`), or the lambda given, whose body is read where it is written."""
        if not self.thread_runners:
            return None
        made = self._resolve_through_instances(call.func, scope)
        if made is None or made[0]:
            return None
        runner = next((r for r in self.thread_runners if r.call.matches(made[1])), None)
        leading = call.args[: runner.function + 1] if runner is not None else ()
        if runner is None or len(leading) <= runner.function or any(a.star or a.keyword for a in leading):
            return None
        if runner.awaited_only and id(call) not in fn.awaited:
            return None  # `coro = asyncio.to_thread(purge, x)`, then `create_task(coro)`: not here
        given = leading[-1].value
        if type(given) is cst.Lambda:
            return given
        rest = call.args[runner.function + 1 :]
        # its own positional arguments (`*args` too), and its keywords when the runner passes them on
        args = [arg for arg in rest if arg.keyword is None and arg.star != "**"]
        if runner.keywords:
            args += [arg for arg in rest if arg.keyword is not None or arg.star == "**"]
        made = self._call_of(given, tuple(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in args), scope)
        if made is None:
            return None
        # `run_in_executor(pool, ctx.run, func, *args)`: the function run calls `func(*args)` in turn
        return self._thread_run(made, scope, fn) or made

    def _mapped_call(self, call: cst.Call, mapper: str) -> cst.Call:
        """The call `mapper` (a `mappers` name) makes of the function it is given once per item
        of the iterables after it: `fetch(...)` of `map(fetch, urls)` or `pool.map(fetch, urls)`,
        with an argument of unknown value per iterable (a `starmap` spreads each item: which
        parameter gets what is unknown). A call written nowhere, which takes the position of the
        function given."""
        given = call.args[0].value
        if mapper.rsplit(".", 1)[-1] == "starmap":  # each item's elements are the arguments
            items: tuple[cst.Arg, ...] = (cst.Arg(value=cst.Name("_"), star="*"),)
        elif self.chunked_mappers.matches(mapper):  # a pool's method: one iterable (then a chunk size)
            items = (cst.Arg(value=cst.Name("_")),)
        else:  # (`timeout=` and `chunksize=` of an executor's `map` are its own)
            items = tuple(cst.Arg(value=cst.Name("_")) for arg in call.args[1:] if arg.keyword is None)
        mapped = cst.Call(func=given, args=items)
        self.stand_ins[id(mapped)] = given
        return mapped

    def _mapper(self, call: cst.Call, scope) -> str | None:
        """The `mappers` name a call makes with a function (or a lambda) and an iterable:
        `map(fetch, urls)`, also with keywords after them (`pool.map(fetch, urls, timeout=60)`)."""
        positional = [arg for arg in call.args if arg.keyword is None]
        if len(positional) < 2 or any(arg.keyword is not None for arg in call.args[: len(positional)]):
            return None
        if any(arg.star for arg in call.args):
            return None
        if not (self.mappers or self.chunked_mappers):
            return None
        if type(call.args[0].value) not in (cst.Name, cst.Attribute, cst.Lambda):
            return None
        mapper = self._resolve_through_instances(call.func, scope)
        if mapper is None or mapper[0]:
            return None
        return mapper[1] if self.mappers.matches(mapper[1]) or self.chunked_mappers.matches(mapper[1]) else None

    def _wrapped_function(self, call: cst.Call, scope) -> Ref | None:
        """`save_rows` of `sync_to_async(save_rows, thread_sensitive=True)(rows)`: the call of
        what a `function_wrappers` name returns calls the function it was given."""
        wrapper = call.func
        if not self.function_wrappers or type(wrapper) is not cst.Call:
            return None
        given = _function_given(wrapper)
        if given is None:
            return None
        made = self.resolve(wrapper.func, scope)
        if made is None or made[0] or not self.function_wrappers.matches(made[1]):
            return None
        return self.resolve(given, scope)

    def _starts_concurrently(self, call: cst.Call, scope) -> bool:
        """`tg.create_task(...)` on an `asyncio.TaskGroup()` (a `concurrent_starts` name)."""
        starts = self.concurrent_starts
        if not starts or type(call.func) is not cst.Attribute:
            return False
        ref = self.resolve(call.func, scope)
        return ref is not None and not ref[0] and starts.matches(ref[1])

    def _concurrent_comprehensions(self, body: cst.BaseSuite, scope, fn: _FunctionBuilder) -> set[int]:
        """Ids of the comprehensions of calls that an awaited `asyncio.gather(*...)` (a
        `concurrent_waits` name) runs at once: its starred argument written out
        (`gather(*[fetch(u) for u in urls])`), or a name given to it starred that the function
        binds to one (`calls = [fetch(u) for u in urls]`; `await gather(*calls)`). Their calls
        are made together, not one after the other: the comprehension is no loop. The same
        handed starred to another awaited call (a project helper that may gather them) go to
        `fn.handed_comprehensions`; a gather of the function's own `*coros` (also through a
        comprehension over them) sets `fn.gathers_varargs`."""
        if not self.concurrent_waits:
            return set()
        nodes = _function_nodes(body)
        written: list[cst.BaseExpression] = []
        names: set[str] = set()
        handed: dict[str, cst.Call] = {}  # names given starred to another awaited call
        for current in nodes:
            if not (type(current) is cst.Await and type(current.expression) is cst.Call):
                continue
            wait = self.resolve(current.expression.func, scope)
            concurrent = wait is not None and not wait[0] and self.concurrent_waits.matches(wait[1])
            for arg in current.expression.args:
                if arg.star != "*":
                    continue
                if concurrent and fn.varargs is not None and _over_name(arg.value, fn.varargs):
                    fn.gathers_varargs = True
                if not concurrent:  # a project helper's: it may gather them (reach.py decides)
                    if type(arg.value) is cst.Name:
                        handed[arg.value.value] = current.expression
                    elif _a_comprehension_of_calls(arg.value):
                        fn.handed_comprehensions[id(arg.value)] = current.expression
                elif type(arg.value) is cst.Name:
                    names.add(arg.value.value)
                else:
                    written.append(arg.value)
        for inner, own in _called_closures(nodes):  # `finally: await gather(*workers)` in a generator it runs
            for current in inner:
                if type(current) is cst.Await and type(current.expression) is cst.Call:
                    wait = self.resolve(current.expression.func, scope)
                    if wait is not None and not wait[0] and self.concurrent_waits.matches(wait[1]):
                        gathered = current.expression.args
                        names |= {a.value.value for a in gathered if a.star == "*" and type(a.value) is cst.Name} - own
        for current in nodes:
            if type(current) in (cst.Assign, cst.AnnAssign) and current.value is not None:
                targets = [t.target for t in current.targets] if type(current) is cst.Assign else [current.target]
                if len(targets) == 1 and type(targets[0]) is cst.Name and targets[0].value in names:
                    written.append(current.value)
                if len(targets) == 1 and type(targets[0]) is cst.Name and targets[0].value in handed:
                    if _a_comprehension_of_calls(current.value):
                        fn.handed_comprehensions[id(current.value)] = handed[targets[0].value]
        # `tasks.append(fetch(u))`, or `task = fetch(u)` then `tasks.append(task)`, in a loop: the
        # calls gathered at once, as in a comprehension (the appends the scope recorded)
        appended = [value for name in names for value in scope.appended.get(name, ())]
        held = {value.value for value in appended if type(value) is cst.Name}
        gathered = [value for value in appended if type(value) is cst.Call]
        gathered += [  # every call a name appended is bound to (`task = None`, then `task = fetch(u)`)
            node.value
            for node in nodes
            if type(node) is cst.Assign
            and type(node.value) is cst.Call
            and any(type(t.target) is cst.Name and t.target.value in held for t in node.targets)
        ]
        # `gather(*map(fetch, urls))`: the calls a map makes, made together too
        fn.concurrent_maps = {id(expr) for expr in written if type(expr) is cst.Call and self._mapper(expr, scope)}
        return {
            id(expr)
            for expr in written
            if type(expr) in (cst.ListComp, cst.GeneratorExp) and type(expr.elt) is cst.Call
        } | {id(call) for call in gathered}

    # -- call details ------------------------------------------------------

    def _canvas_members(self, call: cst.Call, fn: _FunctionBuilder, scope) -> None:
        """The signatures of a canvas this call sends (`group(task.s(x) for x in xs).apply_async()`,
        `chain(a.si(), b.si())()`, the header and the callback of `chord(header)(callback.s())`,
        or `job = group(...)` then `job.delay()`): each is sent with it. So is a canvas the function
        returns (`return group(...)`, a phase its caller chains and sends). A canvas only built,
        to be counted or shown, sends nothing."""
        sent = self._sent_canvas(call, scope)
        if sent is None and id(call) in fn.handed_back:
            found = self._canvas_system(call, scope)
            sent = ([call], found) if found is not None else None
        if sent is None:
            return
        parts, signature_methods = sent
        stack: list[cst.CSTNode] = [arg for part in parts for arg in part.args]
        followed: set[str] = set()
        while stack:
            node = stack.pop()
            if type(node) is cst.Name and scope is not None and node.value not in followed:
                followed.add(node.value)  # `header = [task.s(x) for x in xs]; chord(header)(...)`
                held = scope.own_value(node.value)
                if held is not None:
                    stack.append(held)
                if scope.find(node.value) is scope:  # `header.append(task.s(x))` in a loop
                    stack.extend(scope.appended.get(node.value, ()))
            if (
                type(node) is cst.Call
                and type(node.func) is cst.Attribute
                and node.func.attr.value in signature_methods
            ):
                self.canvas_members.add(id(node))
                continue
            stack.extend(_children(node))

    def _sent_canvas(self, call: cst.Call, scope) -> tuple[list[cst.Call], frozenset[str]] | None:
        """The calls whose arguments a sent canvas is built of, and the system's signature methods."""
        func = call.func
        if type(func) is cst.Call:  # `chain(...)()`, `chord(header)(callback)`
            found = self._canvas_system(func, scope)
            return ([call, func], found) if found is not None else None
        held = func
        if type(func) is cst.Attribute:
            if not any(func.attr.value in methods for _, _, methods in self.canvas):
                return None
            held = func.value  # `group(...).apply_async()`, `job.delay()`
        if type(held) is cst.Name and scope is not None:  # `job = group(...)`, then `job.delay()` or `job()`
            held = scope.own_value(held.value)
        if type(held) is not cst.Call or held is call:
            return None
        found = self._canvas_system(held, scope)
        return ([held], found) if found is not None else None

    def _canvas_system(self, call: cst.Call, scope) -> frozenset[str] | None:
        """For a call of `group`, `chain` or `chord`: the signature methods of its task system."""
        made = call.func
        ref = self.resolve(made, scope) if type(made) in (cst.Name, cst.Attribute) else None
        if ref is None or ref[0] != "":
            return None
        return next((methods for patterns, methods, _ in self.canvas if patterns.matches(ref[1])), None)

    def _wrapped_view(self, value: cst.BaseExpression, scope: _Scope | None) -> Ref | None:
        """`login_required(views.f)`, `cache_page(60)(views.f)`: the name the wrapping call is
        given first (by position), for a registrar whose argument it is; `items`, bound once to
        `ItemCollection()` (not again, nor in two branches): that instance."""
        if type(value) is cst.Name:
            if scope is not None and scope.find(value.value) is not None:
                single, scope_of = scope.only_value(value.value), scope  # a local of the function
            elif value.value not in self.module_rebound:
                single, scope_of = self.binding_calls.get(value.value), None  # a module-level name
            else:
                single, scope_of = None, None
            if type(single) is cst.Call and type(single.func) in (cst.Name, cst.Attribute):
                return self.resolve(single, scope_of)
        given = _function_given(value) if type(value) is cst.Call else None
        return self.resolve(given, scope) if given is not None else None

    def call_details(self, call: cst.Call, fn: _FunctionBuilder, scope, loop: int) -> dict:
        args = self._spread(call.args, fn, scope)
        shape, detail = self.orm_shape(call, scope, loop) if self.orm is not None else (None, "")
        marker = self._moved_marker(call, fn, scope) if shape == "bulk" else None
        if marker is not None:
            shape, detail = "row", f"update() clearing `{marker}` on the rows that hold it, to set it on one row"
        receiver = None
        if type(call.func) is cst.Attribute:
            value = call.func.value
            if type(value) is cst.Call:
                receiver = value
            elif type(value) is cst.Name and scope is not None:
                owner = scope.find(value.value)
                receiver = owner.calls.get(value.value) if owner is scope else None
                if owner is scope and (scope.key, value.value) in self.walked_calls:
                    # `proc = Popen(a); proc.wait()`, then `proc = Popen(b)`: the binding walked before
                    receiver = self.walked_calls[(scope.key, value.value)]
        if self.job_code is not None:
            self._call_marks(call, fn, scope, loop)
        columns, model, in_parameter, alternatives, spread, tested = (
            self._equality_filter(call, fn, scope) if shape == "bulk" else ((), None, None, (), None, ())
        )
        if shape == "bulk" and in_parameter is None:
            in_parameter = self._rows_of_parameter(call, fn, scope)
        origin = self._origin(call, scope) if shape == "row" and self.orm is not None else None
        statement_model = self._statement_model(call, scope) if shape in ("bulk", "row") else None
        return {
            "statement_model": statement_model,
            "equality_columns": columns,
            "tested_columns": tested,
            "equality_alternatives": alternatives,
            "spread_parameter": spread,
            "model": model,
            "in_parameter": in_parameter,
            "origin": origin,
            "receiver_node": receiver,
            "bound_to": self.bound_names.get(id(call)),
            "argument_of_node": self.argument_of.get(id(call)),
            "target": self._wrapped_function(call, scope) or self.resolve(_generic_origin(call.func), scope),
            "loop": loop,
            "text": render(call),
            "args": self.arg_facts(args, scope, fn, _called_name(call) in self.registrar_names),
            "literal_nodes": tuple(a.value if type(a.value) is cst.SimpleString else None for a in args if not a.star),
            "shape": shape,
            "shape_detail": detail,
            "once": self.once_depth > 0 or self._creates_a_constant_row(call, scope),
            "fixed_rounds": math.prod(self.rounds_around) if None not in self.rounds_around else None,  # type: ignore[arg-type]
            "seconds": self._seconds_slept(call, scope),
            "start_up": self.start_up_depth > 0,
            "raises_after": self._raises_after(),
            "tried": any(block[0] == "try" and block[2] == 0 for block in self.blocks),
            "tried_in_loop": bool(self.tried and self.tried[-1]),
            "guards": self.guards,
            "arms": self.arms,
            "starred": any(arg.star for arg in args),
            "unpacked_at": _unpacked_at(args),
            "unpacked": _unpacked_parameter(args, fn, scope),
            "parameter": call.func.value
            if type(call.func) is cst.Name and _kept_parameter(call.func.value, fn, scope)
            else None,
            "parameter_method": _parameter_method(call.func, fn, scope),
            "choices": self._dispatch_choices(call.func, scope),
            "bounded_by": self.bounded_by.pop(id(call), None),
            "awaited": id(call) in fn.awaited,
            "entered": id(call) in fn.entered,
            "changing_block": id(call) in fn.changing_blocks,
            "after_yield": fn.yields,
            "handed_back": id(call) in fn.handed_back,
        }

    def _spread(
        self, args: Sequence[cst.Arg], fn: _FunctionBuilder, scope, set_later: bool = True
    ) -> Sequence[cst.Arg]:
        """A call's arguments, a `**{...}` among them written as its keywords (the dict written out in
        the call), and a `**options` written as its keywords when `options` is
        a dict the function writes out once (`{...}` or `dict(...)`), with string keys, and changes
        only by setting a key written out (`options = {"eta": when}`, `options["time_limit"] = t`:
        `task.apply_async(args, **options)` names no queue; a key set in a branch counts as set);
        or a module's mapping of such keys, whose values are not kept (`**OPT_OUT_KWARGS`).
        `set_later=False` leaves out the keys set after the dict is written, which a branch may
        set or not: a filter's columns are then the ones it always has."""
        if scope is None or fn.body is None or not any(arg.star == "**" for arg in args):
            return args
        spread: list[cst.Arg] = []
        for arg in args:
            written = _dict_keywords(arg.value) if arg.star == "**" else None
            if written is not None:  # `filter(**{"username": old})`: the keywords written out
                spread.extend(cst.Arg(value=value, keyword=cst.Name(key)) for key, value in written)
                continue
            named = arg.value.value if arg.star == "**" and type(arg.value) is cst.Name else None
            held = scope.only_value(named) if named is not None else None
            keywords = _dict_keywords(held)
            added = _keys_set(named, fn.body) if keywords is not None and named is not None else None
            if named is not None and scope.find(named) is None and keywords is None:
                # a module's mapping (also one read in part): its keys, whose values are not kept
                binding = self.module_names.get(named)
                keys = binding.keys if binding is not None and binding.kind in ("mapping", "value") else None
                if keys and all(key.isidentifier() for key in keys):
                    keywords, added = [(key, cst.Ellipsis()) for key in keys], []
            if keywords is None or added is None:
                spread.append(arg)
            else:
                given = dict(keywords) | (dict(added) if set_later else {})
                spread.extend(cst.Arg(value=value, keyword=cst.Name(key)) for key, value in given.items())
        return spread

    def _dispatch_choices(self, func: cst.BaseExpression, scope) -> tuple[Ref, ...]:
        """`loaders[kind]` or `loaders.get(kind)`, or a local bound to it, where the function binds
        `loaders` to a dict written out: the names of its values (`{"users": load_users, ...}`), in
        order. A method of what a value picked so builds (`migrator = table.get(kind)(**args)`,
        then `migrator.migrate()`): that method of each value (`ChowdownMigrator().migrate`)."""
        if scope is None:
            return ()
        method = ""
        if type(func) is cst.Attribute and type(func.value) in (cst.Name, cst.Call):
            made = scope.only_value(func.value.value) if type(func.value) is cst.Name else func.value
            if type(made) is not cst.Call:
                return ()
            method, func = f"().{func.attr.value}", made.func
        if type(func) is cst.Name:
            owner = scope.find(func.value)
            func = owner.values.get(func.value, func) if owner is not None else func
        table = _picked_from(func)
        if table is None:
            return ()
        owner = scope.find(table)
        written = owner.values.get(table) if owner is not None else None
        if type(written) is not cst.Dict:
            return ()
        refs = [
            _join(self.resolve(element.value, scope), method)
            for element in written.elements
            if type(element) is cst.DictElement and type(element.value) in (cst.Name, cst.Attribute)
        ]
        return tuple(dict.fromkeys(ref for ref in refs if ref is not None))

    # -- marks for the job standard ---------------------------------------

    def _call_marks(self, call: cst.Call, fn: _FunctionBuilder, scope, loop: int) -> None:
        code = self.job_code
        assert code is not None
        func = call.func
        name = _called_name(call) or ""
        if name in code.log_methods and type(func) is cst.Attribute or name == "print":
            message = call.args[0].value if call.args else None
            if message is not None:
                fn.mark(call, "log", _static_text(message), loop)
        elif name == "log" and len(call.args) >= 2:
            fn.mark(call, "log", _static_text(call.args[1].value), loop)
        spec = code.batch_calls.get(name)
        if spec is not None:
            value = _argument(call, *spec)
            if value is not None:
                self._batch_mark(value, fn, scope, loop)

    def _flushed_batch(self, stmt: cst.If, fn: _FunctionBuilder, scope, loop: int) -> None:
        """`if len(batch) >= 100: process(batch); batch = []` (or `batch.clear()`) in a loop:
        items gathered and handled in batches of that size."""
        test = stmt.test
        if not (
            type(test) is cst.Comparison
            and len(test.comparisons) == 1
            and type(test.comparisons[0].operator) in (cst.GreaterThanEqual, cst.Equal, cst.GreaterThan)
            and type(test.left) is cst.Call
            and _is_name(test.left.func, "len")
            and len(test.left.args) == 1
            and type(test.left.args[0].value) is cst.Name
        ):
            return
        gathered = test.left.args[0].value.value
        emptied = any(
            type(node) is cst.Assign  # `batch = []`
            and type(node.value) is cst.List
            and not node.value.elements
            and any(_is_name(t.target, gathered) for t in node.targets)
            or type(node) is cst.Call  # `batch.clear()`
            and type(node.func) is cst.Attribute
            and node.func.attr.value == "clear"
            and _is_name(node.func.value, gathered)
            for node in _function_nodes(stmt.body)
        )
        if emptied:
            self._batch_mark(test.comparisons[0].comparator, fn, scope, loop)

    def _batch_mark(self, value: cst.BaseExpression, fn: _FunctionBuilder, scope, loop: int) -> None:
        _, number = self.constant(value, scope)
        ref = self.resolve(value, scope) if number is None and type(value) in (cst.Name, cst.Attribute) else None
        parameter = type(value) is cst.Name and value.value in fn.params  # a size the caller says
        if number is not None or ref is not None or parameter:
            fn.mark(value, "batch", render(value), loop, number=number, ref=ref)

    def _slice_batch(self, node: cst.Subscript, fn: _FunctionBuilder, scope, loop: int) -> None:
        """`ids[i:i + 50]` and `ids[i:i + BATCH]`: a batch of the size added; a query's first rows,
        `Order.objects.filter(...)[:batch_size]` (taken again each round): a batch of that size."""
        for element in node.slice:
            index = element.slice
            if (
                type(index) is cst.Slice
                and index.lower is None
                and index.step is None
                and self._is_query(node.value, scope)
            ):
                if _integer(index.upper) is not None or type(index.upper) in (cst.Name, cst.Attribute):
                    self._batch_mark(index.upper, fn, scope, loop)
            if type(index) is cst.Slice and type(index.upper) is cst.BinaryOperation:
                if type(index.upper.operator) is cst.Add:
                    for side in (index.upper.left, index.upper.right):
                        if _integer(side) is not None or type(side) in (cst.Name, cst.Attribute):
                            if not (
                                type(index.lower) is cst.Name
                                and type(side) is cst.Name
                                and side.value == index.lower.value
                            ):
                                self._batch_mark(side, fn, scope, loop)

    def _small_statement_marks(self, small: cst.CSTNode, fn: _FunctionBuilder, scope, loop: int) -> None:
        targets: list[cst.BaseExpression] = []
        if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name:
            value = small.value.expression if type(small.value) is cst.Await else small.value
            if type(value) is cst.Call:
                self.bound_names[id(value)] = small.targets[0].target.value
        if type(small) is cst.Assign and scope is not None:
            built = _either_branch(small.value)
            for target in small.targets:
                if type(target.target) is not cst.Name:
                    continue
                many = type(built) is cst.Call and self._built_with_many(built)
                bindings = self.built_with_many.get((scope.key, target.target.value))
                if many or bindings is not None:
                    self.built_with_many.setdefault((scope.key, target.target.value), []).append((many, self.blocks))
        if type(small) is cst.Assign and scope is not None:
            self._inject(small, scope)
        for filled in _names_filled(small):
            fn.filled_under.setdefault(filled, []).append(self.guards)
        grown = _grown_list(small)
        if grown is not None and scope is not None:
            name, one = grown
            self.grown.setdefault((scope.key, name), []).append(loop if one else -1)
        if type(small) is cst.Assign:
            targets = [t.target for t in small.targets]
        elif type(small) in (cst.AugAssign, cst.AnnAssign):
            targets = [small.target]
        for target in targets:
            own = _own_attribute(target, fn, scope)
            if own is not None:
                fn.own_rebound.add(own)
        if type(small) is cst.Assign and self.start_up_depth and len(small.targets) == 1:
            slot = _own_class_attribute(small.targets[0].target, fn)
            if slot is not None and type(small.value) is cst.Call:
                made = _join(self.resolve(small.value.func, scope), "()")
                if made is not None:
                    fn.class_slots[slot] = made
        if type(small) is cst.Return and small.value is not None and not _is_none(small.value):
            slot = _own_class_attribute(small.value, fn)
            if slot is not None and slot in fn.class_slots:  # `return cls._instance`, built above
                fn.returned.append(fn.class_slots[slot])
                fn.once_made = True
            elif not self.once_depth:  # what a singleton's getter returns: the row, read or first created
                fn.returned.append(self.returned_instance(small.value, scope))
            fn.returned_values.append(small.value)
        if type(small) is cst.Return and small.value is not None and self.job_code is not None:
            status = self._response_status(small.value, scope)
            value = small.value
            carries_id = _mentions(value, self.job_code, scope) or (
                type(value) is cst.Name and value.value in fn.carrying
            )
            name = _called_name(value) or ""
            text = "redirect" if name in self.job_code.redirect_calls else "job_id" if carries_id else ""
            named = ("", value.value) if type(value) is cst.Name else None  # `return wrapper`
            fn.mark(small.value, "return", text, loop, number=status, ref=named, arms=self.arms)
        if type(small) is cst.Assign and self.job_code is not None:
            for target in targets:  # `response["Location"] = f"/jobs/{job.id}"`, `resp.headers[...] = ...`
                root = _subscript_root(target)
                if root is not None and _mentions(small.value, self.job_code, scope):
                    fn.carrying.add(root)
        assigned = self.constant(small.value, scope)[1] if type(small) is cst.Assign else None
        for target in targets:
            if type(target) is cst.Attribute:  # number: `resp.status_code = 202`
                # ref: `self.dry_run = dry_run` in a method, a parameter it never rebinds
                value = small.value if type(small) is cst.Assign else None
                given = (
                    (OWN_ATTRIBUTE, value.value)
                    if _own_attribute(target, fn, scope) is not None
                    and type(value) is cst.Name
                    and _kept_parameter(value.value, fn, scope)
                    else None
                )
                fn.mark(target, "attr-write", target.attr.value, loop, number=assigned, ref=given)

    def _response_status(self, value: cst.BaseExpression, scope) -> int | None:
        """The HTTP status of `return body, 202` (django-ninja's `return 202, body`),
        `make_response(body, 202)`, `Response(status=202)`, also of a response bound to a local
        first (`resp = make_response(body, 202)`, `return resp`)."""
        code = self.job_code
        assert code is not None
        if type(value) is cst.Name and scope is not None:
            owner = scope.find(value.value)
            bound = owner.values.get(value.value) if owner is not None else None
            value = bound if type(bound) in (cst.Call, cst.Tuple) else value
        if type(value) is cst.Tuple and len(value.elements) >= 2:
            # Flask's `return body, 202`; django-ninja's `return 202, body` (the status first)
            first = self.constant(value.elements[0].value, scope)[1]
            second = self.constant(value.elements[1].value, scope)[1]
            return first if second is None and first is not None and 100 <= first <= 599 else second
        if type(value) is cst.Call:
            name = _called_name(value) or ""
            spec = code.response_calls.get(name)
            if spec is not None:
                argument = _argument(value, *spec)
                return self.constant(argument, scope)[1] if argument is not None else None
        return None

    def _condition_marks(self, test: cst.BaseExpression, fn: _FunctionBuilder, loop: int) -> None:
        words = self.job_code.condition_words if self.job_code is not None else ()
        stack: list[cst.CSTNode] = [test]
        while stack:
            node = stack.pop()
            if type(node) in (cst.Name, cst.Attribute):
                text = node.value if type(node) is cst.Name else node.attr.value
                parts = _identifier_parts(text)
                if any(part.startswith(word) for part in parts for word in words):
                    fn.mark(node, "condition", render(node), loop)
            stack.extend(_children(node))

    def _is_session(self, expr: cst.BaseExpression, scope) -> bool:
        orm = self.orm
        assert orm is not None
        if type(expr) is cst.Name and expr.value in orm.session_names:
            return True
        if type(expr) is cst.Attribute and (
            expr.attr.value in orm.session_names or expr.attr.value in orm.session_attributes
        ):
            return True
        ref = self.resolve(expr, scope) if type(expr) in (cst.Name, cst.Attribute, cst.Call) else None
        if type(expr) is cst.Attribute and scope is not None and _is_name(expr.value, scope.self_name or ""):
            # `self.db` after `self.db = db` in `__init__(self, db: AsyncSession)`
            ref = self.init_attributes.get(scope.class_name or "", {}).get(expr.attr.value, ref)
        for _ in range(4):  # `db: AsyncDB` where this module says `AsyncDB = Annotated[AsyncSession, ...]`
            if ref is None or ref[0] != "@":
                break
            name = ref[1].split(".")[0].removesuffix("()")
            binding = self.module_names.get(name)
            if binding is None or binding.kind != "alias" or binding.ref is None:
                break
            ref = (binding.ref[0], binding.ref[1] + ref[1][len(name) :])
        if ref is not None and ref[0] == "":
            return orm.session_types.matches(ref[1].removesuffix("()"))
        return False

    def _pins_primary_key(self, call: cst.Call, model: cst.BaseExpression | None, scope) -> bool:
        """`filter_by(id=x)`, `filter(M.id == x)`; not `filter(M.parent_id == parent.id)`,
        where the `id` is the value, not the column of the model written."""
        orm = self.orm
        assert orm is not None
        for arg in call.args:
            if arg.keyword is not None:
                if arg.keyword.value in orm.primary_keys and type(arg.value) not in (cst.List, cst.Tuple):
                    return True
                continue
            value = arg.value
            if type(value) is cst.Comparison and len(value.comparisons) == 1:
                target = value.comparisons[0]
                if type(target.operator) is cst.Equal:
                    column = _column_side(
                        value, model, lambda side: self._unwrapped(side, scope), lambda e: self.resolve(e, scope)
                    )
                    if type(column) is cst.Attribute and column.attr.value in orm.primary_keys:
                        return True
                    # `sa.column("id") == row_id`: the column on the left, a value on the right (not
                    # another column, nor a `bindparam()` an executemany fills once per row)
                    if self._named_column(value.left, scope) in orm.primary_keys and type(target.comparator) in (
                        cst.Name,
                        cst.Attribute,
                        cst.Integer,
                        cst.SimpleString,
                        cst.Subscript,
                    ):
                        return True
        return False

    def _named_column(self, expr: cst.BaseExpression, scope) -> str | None:
        """`sa.column("id")`, `literal_column("id")`: the column of the statement's table a
        SQLAlchemy Core function names by a string (a table the code builds at run time with
        `sa.table(name)`), None for anything else."""
        orm = self.orm
        assert orm is not None
        if type(expr) is not cst.Call or len(expr.args) != 1 or expr.args[0].keyword is not None:
            return None
        named = expr.args[0].value
        if type(named) is not cst.SimpleString:
            return None
        ref = self.resolve(expr.func, scope)
        if ref is None or ref[0] != "" or ref[1] not in orm.named_columns:
            return None
        return named.evaluated_value if isinstance(named.evaluated_value, str) else None

    def _filters(self, links: list[tuple[str, cst.CSTNode]], filter_names) -> tuple[list[cst.Call], bool]:
        """The filter calls of a query chain, and whether the chain is all query methods."""
        filters: list[cst.Call] = []
        valid = True
        for kind, node in links:
            if kind == "call" and type(node) is cst.Call and type(node.func) is cst.Attribute:
                method = node.func.attr.value
                if method in filter_names:
                    filters.append(node)
                elif method not in self.orm.query_methods:  # type: ignore[union-attr]
                    valid = False
        return filters, valid

    def _function_query_start(self, links, scope) -> int | None:
        """Index after a call of a library function that returns rows (`query_functions`:
        `get_objects_for_user(request.user, "app.change_event")`) at the head of a chain."""
        orm = self.orm
        if orm is None or not orm.query_functions:
            return None
        # the first call of the chain: `get_objects_for_user(...)`, `shortcuts.get_objects_for_user(...)`
        first = next((index for index, (kind, _) in enumerate(links) if kind == "call"), None)
        if first is None or any(kind not in ("root", "attr") for kind, _ in links[:first]):
            return None
        called = self.resolve(links[first][1], scope)
        named = called is not None and called[0] == "" and called[1].removesuffix("()") in orm.query_functions
        return first + 1 if named else None

    def _describe_filters(
        self, filters: list[cst.Call], operation: str, model, scope, related: str = ""
    ) -> tuple[str, str]:
        """`related`: the reverse relation queried (`check.ping_set`), when not a whole table."""
        if not filters:
            return (
                "bulk",
                f"{operation} of every row of {related}"
                if related
                else f"{operation} of every row of the table (no filter)",
            )
        if any(self._pins_primary_key(f, model, scope) for f in filters if not _excludes(f)):
            return "row", f"{operation} of one row by primary key"
        conditions = [
            ("not " if _excludes(call) else "")
            + (f"{arg.keyword.value}=..." if arg.keyword is not None else render(arg.value))
            for call in filters
            for arg in call.args
        ]
        rows = f"every row of {related}" if related else "every row"
        return "bulk", f"{operation} of {rows} matching {', '.join(conditions) or '...'}"

    def _relation_given_rows(self, call: cst.Call, scope) -> bool:
        """`channel.checks.add(*Check.objects.filter(...))`, `.set(queryset)`: a relation given
        the rows of a query as its objects, the first argument or a `*` spread; not a cache's
        or a store's `set(key, queryset)`, whose first argument is the key."""
        positional = [arg for arg in call.args if arg.keyword is None]
        given = [arg for arg in positional if arg.star == "*"] or positional[:1]
        return any(self._query_rows(arg.value, scope) for arg in given)

    def _query_rows(self, expr: cst.BaseExpression, scope) -> bool:
        """`Check.objects.filter(project=p)`, or a local that holds one: the rows of a query,
        through query methods only (not the row `.get()`, `.first()` or `.create()` returns)."""
        orm = self.orm
        assert orm is not None
        links = self._query_links(expr, scope)
        start = _query_start(links, orm, lambda e: self._is_session(e, scope))
        return start is not None and self._filters(links[start:], {"filter"})[1]

    def _related_query(
        self, links: list[tuple[str, cst.CSTNode]], method: str, scope, by_keywords: bool = False
    ) -> tuple[str, str] | None:
        """`check.ping_set.all().delete()`, `project.examples.filter(...).update(...)`: a query of
        the rows a relation holds (Django's `<model>_set`, a `related_name`, SQLAlchemy's dynamic
        relationship), through query methods only: the first query method names the relation.
        Or `account.invoice_set.update(paid=True)`, a manager by its default name written to
        with keywords only (`by_keywords`) and no query method first."""
        orm = self.orm
        assert orm is not None
        last = links[-1][1] if links else None
        if type(last) is cst.Attribute and by_keywords and _a_default_manager(last, orm):
            # `account.invoice_set.update(paid=True)` (a set's `seen_set.update(ids)` takes no keywords)
            return self._describe_filters([], f"query {method}()", None, scope, render(last))
        index = self._related_manager_at(links)
        if index is None:
            return None
        node = links[index][1]
        assert type(node) is cst.Attribute
        filters, valid = self._filters(links[index + 1 :], {"filter", "filter_by", "where", "exclude"})
        related = f"{render(node.value)}.{node.attr.value}"
        return self._describe_filters(filters, f"query {method}()", None, scope, related) if valid else None

    def _query_loop(self, stmt: cst.For, fn: _FunctionBuilder, scope, repeats: int, loop: int) -> None:
        """`for dev in Device.objects.filter(uuid=u, active=False):` (or over a local that holds
        the query): the columns its filters pin, for phase 2 to find a unique key among them."""
        if self.orm is None or scope is None:
            return
        query = stmt.iter
        if type(query) is cst.Name:
            query = self._bound_before_loop(query.value, fn, scope, loop)
        if type(query) is not cst.Call or not self._is_query(query, scope):
            return
        columns, model, _, alternatives, _, _ = self._equality_filter(query, fn, scope, query=query)
        if columns and model is not None and not alternatives:
            fn.query_loops.append((repeats, loop, query, columns, model))

    def _bound_before_loop(
        self, name: str, fn: _FunctionBuilder, scope: _Scope, around: int
    ) -> cst.BaseExpression | None:
        """What the local `name` holds when a loop over it starts: its one binding; or, for a
        loop in no other loop, the one assignment walked before it (`rows = q.all()`, the loop,
        then `rows = Row()`: a later binding cannot reach the loop), when plain assignments are
        all that bind it (no unpacking, loop target, `with ... as`, `+=`)."""
        if scope.find(name) is not scope or fn.body is None or _changes(name, fn.body):
            return None  # `rows += more`, `rows.extend(...)`: more than the query bound
        value = scope.only_value(name)
        if value is not None or around:
            return value
        key = (scope.key, name)
        if self.walked_bindings.get(key) != 1:
            return None
        return (
            self.walked_calls.get(key) if _only_assigned(name, fn.body, len(_assigned_values(name, fn.body))) else None
        )

    def _equality_filter(
        self, call: cst.Call, fn: _FunctionBuilder, scope, query: cst.BaseExpression | None = None
    ) -> tuple[
        tuple[str, ...],
        Ref | None,
        tuple[str, str] | None,
        tuple[tuple[str, ...], ...],
        tuple[str, tuple[str, ...]] | None,
        tuple[str, ...],
    ]:
        """For a bulk write (or a loop over `query`): the columns its filters pin with `==`
        (other conditions, which hold with them, only narrow further) and the model it writes,
        so a unique key of the model can prove it is one row; the parameter of `key__in=names`,
        whose few items a caller may give; the columns a `**key` spread adds by each of its
        bindings (`_spread_alternatives`), one of which the filter pins besides the others; and
        the function's own `**kwargs` spread in it, with the keys the function takes out of it
        (`_taken_keys`): the filter pins too the other keywords each caller gives; and the columns
        its other conditions test (`M.deleted_at.is_(None)`), for a partial unique index."""
        orm = self.orm
        assert orm is not None and type(call.func) is cst.Attribute
        # through a local: `qs.delete()`
        links = self._query_links(call.func.value if query is None else query, scope)
        model_expr: cst.BaseExpression | None = None
        filters: list[cst.Call] = []
        start = _query_start(links, orm, lambda expr: self._is_session(expr, scope))
        executed = self._statement_links(call, scope) if query is None else []
        related = self._related_manager_at(links)
        if related is not None and (start is None or related >= start):
            # `self.attrs.filter(name=n).delete()`, `shelf.books...` with `shelf` fetched by a
            # query: the rows of a relation, `model` the manager (`Ticket.attrs`), whose
            # foreign key phase 2 adds to the columns
            model_expr = links[related][1]  # type: ignore[assignment]
            filters = [n for k, n in links[related + 1 :] if k == "call" and _narrows(n, orm)]
        elif start is not None:
            if links[-1][0] == "attr" and any(kind == "call" for kind, _ in links[start:]):
                # `Lead.objects.get(pk=pk).note_set.update(...)`: the rows of an attribute of the
                # row the query found (Django's default manager), not the queried model's
                return (), None, None, (), None, ()
            if any(
                kind == "call" and _called_name(node) in orm.instance_getters  # type: ignore[arg-type]
                for kind, node in links[start:-1]
            ):
                # `Shelf.objects.get(id=pk).every_item()`: what a method of the row found gives
                return (), None, None, (), None, ()
            model_expr = _queried_expr(links, start)
            # `.exclude(pk=x)` leaves a row out: it pins nothing
            filters = [n for k, n in links[start:] if k == "call" and _narrows(n, orm)]
        elif query is None and _model_statement_links(links, orm) and call.func.attr.value in orm.execute_methods:
            # peewee's `Item.delete().where(...).execute()`; with an `orwhere`, no key pins a row
            widened = any(k == "call" and _called_name(n) in orm.widening_filters for k, n in links[3:])  # type: ignore[arg-type]
            model_expr = links[0][1] if not widened else None  # type: ignore[assignment]
            filters = [n for k, n in links[3:] if k == "call" and _called_name(n) in _FILTER_METHODS and not widened]
        elif executed:
            statement = executed  # session.execute(delete(Model).where(...))
            root = statement[0][1]
            written = self._statement_operation(root, scope)[1] if type(root) is cst.Call else None
            if written is not None:  # `delete(Model)`, `Model.__table__.delete()`
                model_expr = written
                # `.where(...)`, not `.values(...)` (what is set) nor `.returning(...)`
                filters = [n for k, n in statement[1:] if k == "call" and _called_name(n) in _FILTER_METHODS]
        columns: list[str] = []
        in_parameter = None
        alternatives: tuple[tuple[str, ...], ...] = ()
        spread = None
        tested: list[str] = []
        for node in filters:
            if type(node) is not cst.Call:
                continue
            narrowing = _called_name(node) in _FILTER_METHODS  # not a manager's own `active(**kwargs)`
            for arg in self._filter_arguments(node.args, fn, scope):
                if arg.star == "**" and not alternatives:
                    alternatives = self._spread_alternatives(arg.value, fn, scope)
                    if alternatives:
                        continue
                if arg.star == "**" and spread is None and narrowing and _is_name(arg.value, fn.kwargs or ""):
                    taken = _taken_keys(fn.kwargs, fn.body) if fn.kwargs and fn.body is not None else None
                    if taken is not None and scope is not None and scope.find(fn.kwargs) is scope:
                        spread = (fn.kwargs, taken)
                        continue
                if arg.keyword is not None:
                    # `key__in=["a", "b"]`: a few values written out, each one row of a unique `key`
                    keyword = arg.keyword.value
                    listed = keyword.endswith("__in") and _written_out(arg.value)
                    columns.append(keyword.removesuffix("__in") if listed else keyword)
                    held = arg.value.value if type(arg.value) is cst.Name else None
                    if keyword.endswith("__in") and held is not None and _counted_parameter(held, fn, scope):
                        in_parameter = (keyword, held)
                    continue
                if type(arg.value) is cst.IfExp and not alternatives:
                    # `Item.id == i if i else Item.name == n`: the columns of one arm or the other
                    arms = [self._arm_columns(arm, model_expr, fn, scope) for arm in (arg.value.body, arg.value.orelse)]
                    if all(arms):
                        alternatives = tuple(arms)  # type: ignore[arg-type]
                        continue
                given = _in_a_name(arg.value)
                if given is not None and _counted_parameter(given[1].value, fn, scope):
                    # `Setting.name.in_(names)`, `names` a parameter: as Django's `name__in=names`
                    compared = cst.Comparison(given[0], [cst.ComparisonTarget(cst.Equal(), given[1])])
                    column = _equality_column(
                        compared,
                        model_expr,
                        lambda side: self._unwrapped(side, scope),
                        lambda e: self.resolve(e, scope),
                    )
                    if column is not None:
                        columns.append(f"{column}__in")
                        in_parameter = (f"{column}__in", given[1].value)
                        continue
                column = _equality_column(
                    arg.value, model_expr, lambda side: self._unwrapped(side, scope), lambda e: self.resolve(e, scope)
                )
                if column is None and narrowing:
                    # a range, an in_(...), `locked_by.is_(None)`: the conditions of a filter hold
                    # together, so this one only narrows what the equalities pin
                    tested.extend(_tested_column(arg.value, model_expr))
                    continue
                if column is None:
                    return (), None, None, (), None, ()  # `.union(other)`: rows of another query join
                columns.append(column)
        model = self.resolve(model_expr, scope) if type(model_expr) in (cst.Name, cst.Attribute) else None
        if model is None and related is not None and (start is None or related >= start):
            # `user.seats.filter(team=t)` with `user` a parameter: phase 2 looks for the models
            # whose foreign key has the manager `seats`
            assert type(model_expr) is cst.Attribute
            model = ("", UNKNOWN_OWNER + model_expr.attr.value)
        if not (columns or alternatives or spread) or model is None:
            return (), None, None, (), None, ()
        return tuple(columns), model, in_parameter, alternatives, spread, tuple(tested)

    def _arm_columns(
        self, arm: cst.BaseExpression, model_expr: cst.BaseExpression | None, fn: _FunctionBuilder, scope
    ) -> tuple[str, ...] | None:
        """The columns one arm of a conditional filter pins with `==` (its other conditions only
        narrow), None when it pins none."""
        columns = []
        for arg in self._filter_arguments([cst.Arg(value=arm)], fn, scope):
            if arg.keyword is None and not arg.star:
                column = _equality_column(
                    arg.value, model_expr, lambda side: self._unwrapped(side, scope), lambda e: self.resolve(e, scope)
                )
                if column is not None:
                    columns.append(column)
        return tuple(columns) or None

    def _spread_alternatives(
        self, spread: cst.BaseExpression, fn: _FunctionBuilder, scope
    ) -> tuple[tuple[str, ...], ...]:
        """The keys of each dict a filter's `**key` may hold, when the function binds `key` only
        by assigning dicts written out, more than once (`key = {"bug_id": b}` in one branch,
        `key = {"bug__number": n}` in the other) and changes it at most by setting keys (which
        only narrow the filter further). A parameter, or a name also bound otherwise (a loop's
        target, `with ... as key`), has no such list."""
        if type(spread) is not cst.Name or scope is None or fn.body is None or scope.find(spread.value) is not scope:
            return ()
        name = spread.value
        bound = scope.dicts_bound.get(name)
        if not bound or len(bound) < 2 or name in fn.params or _keys_set(name, fn.body) is None:
            return ()
        if not _only_assigned(name, fn.body, len(bound)):
            return ()
        return tuple(tuple(key for key, _ in _dict_keywords(value) or ()) for value in bound)

    def _related_manager_at(self, links: list[tuple[str, cst.CSTNode]]) -> int | None:
        """Where a relation's manager is in a query chain (`self.attrs` of
        `self.attrs.filter(...)`): the first attribute followed by a query method (`self.project`
        in `self.project.examples.all()` is not: the relation comes later), when its name is one
        of `related_managers`. `Ticket.objects` is the table, not a relation."""
        orm = self.orm
        assert orm is not None
        for index, (kind, node) in enumerate(links):
            if kind != "attr" or type(node) is not cst.Attribute or index + 2 >= len(links):
                continue
            then = links[index + 1][1]
            if node.attr.value in orm.query_properties:
                continue
            if type(then) is cst.Attribute and then.attr.value in orm.query_methods:
                matches = any(fnmatch.fnmatchcase(node.attr.value, p) for p in orm.related_managers)
                return index if matches else None
        return None

    def _filter_arguments(self, args: Sequence[cst.Arg], fn: _FunctionBuilder, scope) -> list[cst.Arg]:
        """A filter's arguments, a `**name` spread read as its keywords (`_spread`: `filter(
        **OPT_OUT_KWARGS)` with `OPT_OUT_KWARGS = dict(module=..., key=...)`), and a condition
        object's (Django's `Q(a=1, b=2)`, SQLAlchemy's `and_(M.a == x, M.b == y)`: each of its
        arguments a condition, all of them required) read as its own, also nested, and so are
        both sides of `&` (`(Item.id == i) & (Item.shelf == s)`). `Q(...) | Q(...)` is no such
        list, nor a `Q` given `_connector=` or `_negated=`: they stay as they are."""
        assert self.orm is not None
        found: list[cst.Arg] = []
        pending = list(self._spread(args, fn, scope, set_later=False))
        while pending:
            arg = pending.pop(0)
            value = arg.value
            if arg.keyword is None and not arg.star and type(value) is cst.Name:
                held = self._held_condition(value.value, fn, scope)
                if held is not None:  # `where = Item.id == i`, then `.where(where)`
                    pending[:0] = [cst.Arg(value=held)]
                    continue
            if arg.keyword is None and not arg.star and type(value) is cst.BinaryOperation:
                if type(value.operator) is cst.BitAnd:  # `(Item.id == i) & (Item.shelf == s)`: both
                    pending[:0] = [cst.Arg(value=value.left), cst.Arg(value=value.right)]
                    continue
            if arg.keyword is None and not arg.star and type(value) is cst.Call and value.args:
                if not any(a.star or (a.keyword is not None and a.keyword.value.startswith("_")) for a in value.args):
                    ref = self.resolve(value.func, scope)
                    if ref is not None and ref[0] == "" and ref[1] in self.orm.condition_objects:
                        pending[:0] = value.args
                        continue
            found.append(arg)
        return found

    def _held_condition(self, name: str, fn: _FunctionBuilder, scope) -> cst.BaseExpression | None:
        """The condition a local the function binds once holds (`where = Item.id == i`, or one
        condition or another, `Item.id == i if i else Item.name == n`): what a filter given the
        name filters by. Not a parameter, nor a name bound again."""
        if scope is None or scope.find(name) is not scope or name in fn.params:
            return None
        if name in scope.rebound or name in scope.varied:  # `where |= M.owner_id == o`: another condition
            return None
        value = scope.values.get(name)
        conditions = (cst.Comparison, cst.BinaryOperation, cst.IfExp, cst.Call)
        return value if type(value) in conditions else None

    def _holds_many(self, bindings: list[tuple[bool, tuple[tuple[str, int, int], ...]]]) -> bool:
        """Whether a local holds a many=True serializer here, by its bindings walked so far: the
        last one in a block around this statement (its `if` arms and `try` parts a prefix of the
        statement's) decides, unless one after it in another arm or part builds with many=True
        (`if request.method == "GET": s = S(rows, many=True); return ...` then `s = S(data=d)`:
        one row; `try: s = S(rows, many=True)` and `except ...: s = S(data=d)`: many)."""
        many_after = False
        for many, blocks in reversed(bindings):
            if self.blocks[: len(blocks)] == blocks:
                return many or many_after
            many_after = many_after or many
        return many_after

    def _built_with_many(self, expr: cst.BaseExpression) -> bool:
        """`Serializer(data=..., many=True)`: an object that saves one row per item."""
        orm = self.orm
        return (
            orm is not None
            and type(expr) is cst.Call
            and any(
                arg.keyword is not None
                and arg.keyword.value in orm.many_keywords
                and type(arg.value) is cst.Name
                and arg.value.value == "True"
                for arg in expr.args
            )
        )

    def _model_statement(self, call: cst.Call, receiver: cst.BaseExpression, scope) -> tuple[str, str] | None:
        """peewee's `Item.delete().where(Item.shelf == s).execute()` (`model_statements`), also
        through a local holding the statement: every row its `where` lets through, or one it pins
        by a unique key; `Item.insert_many(rows).execute()` (`model_bulk_statements`): many rows,
        unless a few are written out."""
        orm = self.orm
        assert orm is not None
        links = self._query_links(receiver, scope)
        operation = _model_statement_links(links, orm)
        named = self.resolve(links[0][1], scope) if operation is not None else None
        if named is None or named[0] == "$":
            return None  # a parameter or a local: phase 2 could not check it is a model class
        head = links[2][1]
        assert type(head) is cst.Call
        self.statement_heads.add(id(head))  # `Item.delete()` itself deletes no instance
        self.statement_models[id(call)] = named
        if operation in orm.model_bulk_statements:
            rows = head.args[0].value if head.args and head.args[0].keyword is None and not head.args[0].star else None
            if rows is not None and self._few_rows(rows, scope) is True:
                return "row", f"{operation}() of a few rows written out"
            return "bulk", f"{operation}() of many rows"
        if operation in orm.model_row_statements:
            return "row", f"{operation}() of one row"  # `Item.insert(code=c).execute()`
        widening = [n for k, n in links[3:] if k == "call" and _called_name(n) in orm.widening_filters]  # type: ignore[arg-type]
        if widening:
            return "bulk", f"{operation}() statement of every row one of its conditions lets through"
        filters, _ = self._filters(links[3:], orm.statement_filters)
        return self._describe_filters(filters, f"{operation}() statement", links[0][1], scope)

    def _named_class(self, receiver: cst.BaseExpression, scope) -> Ref | None:
        """What a name a class method is called on refers to (`Item` of `Item.create(...)`), when
        phase 2 can check it is a model class: not a parameter, not an expression, not `self` or
        `cls` (a Django manager's own `self.create()` is the manager's)."""
        if type(receiver) is not cst.Name or receiver.value in ("self", "cls"):
            return None
        if scope is not None and receiver.value == scope.self_name:
            return None
        named = self.resolve(receiver, scope)
        return named if named is not None and named[0] != "$" else None

    def _appended_row_class(self, call: cst.Call, receiver: cst.Attribute, scope) -> Ref | None:
        """The class of the one new instance `project.versions.append(Version(...))` adds to a
        collection of a row (a relationship's, which inserts it at the next flush), for phase 2 to
        check it is a model class. Not on `self` or `cls`: an object that keeps a list of rows
        it has not saved (`self.pending.append(Row(...))`) may be no row itself."""
        root = receiver
        while type(root) is cst.Attribute:
            root = root.value
        if type(root) is not cst.Name or root.value in ("self", "cls") or len(call.args) != 1:
            return None
        given = call.args[0]
        if given.keyword is not None or given.star or type(given.value) is not cst.Call:
            return None
        made = given.value.func
        if type(made) not in (cst.Name, cst.Attribute) or (scope is not None and _is_name(root, scope.self_name)):
            return None
        named = self.resolve(made, scope)
        return named if named is not None and named[0] != "$" and "(" not in named[1] else None

    def _statement_model(self, call: cst.Call, scope) -> Ref | None:
        """The class a model statement run by `call` is built on (`Item` of
        `Item.delete().where(...).execute()`, as `_model_statement` found it), or that writes
        itself (`Item.create(...)`), for phase 2 to check it is a model."""
        if id(call) in self.statement_models:
            return self.statement_models.pop(id(call))
        orm = self.orm
        if orm is None or type(call.func) is not cst.Attribute or call.func.attr.value not in orm.model_class_writes:
            return None
        return self._named_class(call.func.value, scope)

    def _unwrapped(self, expr: cst.BaseExpression, scope) -> cst.BaseExpression:
        """`col(Item.id)` -> `Item.id`: a column wrapped for type checkers only."""
        orm = self.orm
        assert orm is not None
        if type(expr) is cst.Call and len(expr.args) == 1 and expr.args[0].keyword is None:
            ref = self.resolve(expr.func, scope)
            if ref is not None and ref[0] == "" and ref[1] in orm.column_wrappers:
                return expr.args[0].value
        return expr

    def _statement_links(self, call: cst.Call, scope) -> list[tuple[str, cst.CSTNode]]:
        """The chain of the statement `session.execute(...)` runs, from its first call on, also
        when a local holds it (`statement = delete(Item).where(...)`; `session.exec(statement)`,
        `session.execute(statement.returning(Item.id))`) and when the local is built on itself
        (`stmt = stmt.on_conflict_do_update(...)`, `stmt = stmt.where(...)`): the chain of each
        binding it is built on comes first, as a query held by a local (`_query_links`); what a
        binding in another block adds (`if owner: stmt = stmt.where(...)`) is left out, since it
        may not be there."""
        if not call.args:
            return []
        statement = call.args[0].value
        # also a statement finished where it runs: `session.execute(stmt.on_conflict_do_nothing())`
        written = _chain(statement)
        root = written[0][1] if written and written[0][0] == "root" else None
        if type(root) is not cst.Name or scope is None:
            return _statement_chain(statement)
        owner = scope.find(root.value)
        built = owner.calls.get(root.value) if owner is not None else None
        if built is None:
            return _statement_chain(statement)
        links = _chain(built)
        tail = written[1:]
        walked = self.walked_values.get((scope.key, root.value)) if owner is scope else None
        # `if i: stmt = stmt.where(...); session.execute(stmt)`: the execute runs under that `if` too
        on_the_way = walked is not None and walked[0] is built and self.arms[: len(walked[1])] == walked[1]
        for _ in range(8):
            before = owner.built_on.get(id(built)) if owner is not None else None
            if before is None:
                break
            if id(built) in owner.built_apart and not on_the_way:  # `if owner: stmt = stmt.where(...)`
                links = links[:1] + links[len(_chain(built)) :]
            links = _chain(before) + links[1:]
            built = before
            on_the_way = False
        links = links + tail
        first = next((index for index, (kind, _) in enumerate(links) if kind == "call"), None)
        return links[first:] if first is not None else []

    def _statement_operation(self, root: cst.Call, scope) -> tuple[str | None, cst.BaseExpression | None]:
        """The operation a statement's first call makes and the model it writes: `delete(M)`,
        `sa.update(M)`, `db.delete(M)`, `update(M.__table__)`, or a table's own method,
        `M.__table__.delete()`."""
        orm = self.orm
        assert orm is not None
        func = root.func
        if type(func) is cst.Attribute and type(func.value) is cst.Attribute and func.value.attr.value == "__table__":
            operation = func.attr.value
            return (operation, func.value.value) if operation in orm.statements else (None, None)
        ref = self.resolve(func, scope)
        names = (ref[1] if ref is not None and ref[0] == "" else None, _owned_statement(func, orm))
        for operation, patterns in orm.statements.items():
            if any(patterns.matches(name) for name in names):
                model = root.args[0].value if root.args else None
                if type(model) is cst.Attribute and model.attr.value == "__table__":
                    model = model.value  # `update(Banner.__table__)`: the model's table
                return operation, model
        return None, None

    def _query_links(self, expr: cst.BaseExpression, scope) -> list[tuple[str, cst.CSTNode]]:
        """The chain of `expr`, through a local that holds a query: `queryset.filter(...)` after
        `queryset = model.objects.filter(...)` is `model.objects.filter(...).filter(...)`."""
        links = _chain(expr)
        root = links[0][1] if links and links[0][0] == "root" else None
        if type(root) is cst.Name and scope is not None:
            owner = scope.find(root.value)
            built = owner.calls.get(root.value) if owner is not None else None
            if owner is scope and (scope.key, root.value) in self.walked_calls:
                built = self.walked_calls[(scope.key, root.value)]  # the binding walked before this use
            if built is None:
                # `queryset = self.project.examples`: a relation's manager held by a local
                held = scope.own_value(root.value)
                built = held if type(held) is cst.Attribute else None
            if built is not None and built is not expr:
                links = _chain(built) + links[1:]
                # `users = users.prefetch_related("groups")` after `users = User.objects.filter(...)`
                for _ in range(8):
                    built = owner.built_on.get(id(built)) if owner is not None else None
                    if built is None:
                        break
                    links = _chain(built) + links[1:]
        return links

    def orm_shape(self, call: cst.Call, scope, loop: int) -> tuple[str | None, str]:
        orm = self.orm
        assert orm is not None
        func = call.func
        if type(func) is not cst.Attribute:
            return None, ""
        method = func.attr.value
        receiver = func.value
        if method in orm.bulk_terminals and type(receiver) is cst.Name:
            # `if addresses.count() == 1: addresses.delete()`: the rows the test counted
            counted = next((n for t in self.tests_around if (n := _counted(t, receiver.value)) is not None), None)
            if counted is not None:
                return "row", f"{method}() of the {counted} row{'s' if counted > 1 else ''} counted before it"
        if method in orm.bulk_terminals:
            links = self._query_links(receiver, scope)
            start = _query_start(links, orm, lambda expr: self._is_session(expr, scope))
            own = _self_query_start(links, orm, scope) if start is None else None
            if start is None and own is None:
                own = self._function_query_start(links, scope)
            if start is not None or own is not None:
                filters, valid = self._filters(links[start or own :], {"filter", "filter_by", "where", "exclude"})
                if valid and own is not None:  # `self.get_queryset().update(...)`: the view's rows
                    return self._describe_filters(filters, f"query {method}()", None, scope, render(links[own - 1][1]))
                if valid:
                    return self._describe_filters(filters, f"query {method}()", _queried_expr(links, start), scope)
            if orm.related_managers:  # also on a row a query got: `Project.objects.get(...).examples`
                by_keywords = bool(call.args) and all(arg.keyword is not None for arg in call.args)
                related = self._related_query(links[start or 0 :], method, scope, by_keywords)
                if related is not None:
                    return related
        if method in orm.execute_methods and call.args:  # any receiver: the statement says it is SQLAlchemy's
            links = self._statement_links(call, scope)
            if links:
                root = links[0][1]
                assert type(root) is cst.Call
                operation, model = self._statement_operation(root, scope)
                if operation is not None:
                    if operation == "insert":
                        # `.values([...])`, `.values(rows)`: many rows; not `.values(col=x)` nor
                        # `.values(**row)`, nor a local bound to a dict (`values = {...}`): one row
                        listed = [
                            n.args[0].value
                            for _, n in links
                            if type(n) is cst.Call
                            and _called_name(n) == "values"
                            and n.args
                            and n.args[0].keyword is None
                            and n.args[0].star != "**"
                            and type(n.args[0].value) in (cst.List, cst.ListComp, cst.Name)
                            and not self._holds_a_dict(n.args[0].value, scope)
                        ]
                        many = len(call.args) > 1 or bool(listed)
                        few = self._few_rows(listed[0], scope) if len(call.args) == 1 and listed else False
                        if few is True:  # `.values([{"slug": s} for s in PRESET_ROLES])`: the rows it lists
                            return "row", "insert of a few rows written out"
                        if few:
                            self.bounded_by[id(call)] = few  # an imported constant: the index says
                        return ("bulk", "insert of many rows") if many else ("row", "insert of one row")
                    filters, _ = self._filters(links[1:], orm.statement_filters)
                    if not filters and len(call.args) > 1 and not call.args[1].keyword:
                        # `session.execute(update(User), rows)`: SQLAlchemy's bulk UPDATE by
                        # primary key, one statement per dict of the list
                        return "bulk", f"{operation}() of one row per item of a list, by primary key"
                    return self._describe_filters(filters, f"{operation}() statement", model, scope)
        if id(call) in self.statement_heads:
            return None, ""  # the class's `Item.delete()` of `Item.delete().where(...).execute()`
        if method in orm.execute_methods and not call.args:
            built = self._model_statement(call, receiver, scope)
            if built is not None:
                return built
        if method in orm.relation_writes and type(receiver) is cst.Attribute and self._relation_given_rows(call, scope):
            return "bulk", f"{method}() of a relation row per row of a query"
        if method in orm.relation_appends and type(receiver) is cst.Attribute:
            appended = self._appended_row_class(call, receiver, scope)
            if appended is not None:
                self.statement_models[id(call)] = appended  # phase 2 checks it is a model class
                return "row", f"{render(receiver)}.{method}() of a new row"
        # peewee's `Item.create(...)`, `Item.bulk_update(items, fields=[...])`: the class writes itself
        by_class = method in orm.model_class_writes and self._named_class(receiver, scope) is not None
        if method in orm.bulk_query_methods:
            links = _chain(receiver)
            if by_class or _query_start(links, orm, lambda expr: self._is_session(expr, scope)) is not None:
                rows = (
                    call.args[0].value if call.args and call.args[0].keyword is None and not call.args[0].star else None
                )
                few = self._few_rows(rows, scope) if rows is not None else False
                if few is True:
                    return "row", f"{method}() of a few rows written out"
                if rows is not None and self._filled_in_this_loop(_comprehended(rows), scope, loop):
                    return "row", f"{method}() of the rows appended one at a time before it"
                if few:
                    self.bounded_by[id(call)] = few
                return "bulk", f"{method}() of many rows"
        if method in orm.row_query_methods and (
            by_class or _query_start(_chain(receiver), orm, lambda e: False) is not None
        ):
            return "row", f"{render(receiver)}.{method}()"  # Model.objects.create(...): one row
        if method in orm.many_sql_methods and call.args:
            return "bulk", f"{method}() of many statements"
        if method in orm.raw_sql_methods and call.args:
            shape = _raw_sql_shape(self._last_value(call.args[0].value, scope), orm, scope)
            if shape is not None:
                return shape
        if self._is_session(receiver, scope):
            if method in orm.bulk_session_methods:
                return "bulk", f"session.{method}()"
            if method in orm.collection_session_methods and call.args:
                rows = call.args[0].value
                if type(rows) not in (cst.List, cst.Tuple) and (
                    call.args[0].star or self._few_rows(rows, scope) is not True
                ):
                    return "bulk", f"session.{method}() of a computed collection"
            if method in orm.row_write_methods:
                return "row", f"session.{method}()"
        elif method in orm.row_hook_methods and type(receiver) is cst.Name and receiver.value == "self":
            return "row", f"self.{method}()"
        elif method in orm.instance_write_methods:
            # obj.save() / obj.delete(): one model instance (PIL's image.save(path) takes a path)
            # a local built with many=True by an assignment before this call (not by one after it,
            # in another branch: `if post: s = S(data=d); s.save()` then `s = S(rows, many=True)`)
            owner = scope.find(receiver.value) if type(receiver) is cst.Name and scope is not None else None
            many = owner is not None and self._holds_many(self.built_with_many.get((owner.key, receiver.value), []))
            if (many or self._built_with_many(receiver)) and all(
                a.keyword is not None or a.star == "**" for a in call.args
            ):
                # a serializer's `save(owner=request.user)`: its keywords go into every row
                return "bulk", f"{render(receiver)}.{method}() of a many=True serializer: one row per item"
            if all(
                (a.keyword is not None and a.keyword.value in orm.instance_write_keywords)
                or (a.star and _is_name(receiver, "self"))  # `self.save(*args, **kwargs)` in an override
                for a in call.args
            ):
                return "row", f"{render(receiver)}.{method}()"
        return None, ""


_NO_CALLS_INSIDE = (
    "whitespace",
    "lpar",
    "rpar",
    "comma",
    "semicolon",
    "leading_lines",
    "lines_after",
    "header",
    "footer",
    "colon",
    "equal",
    "operator",
    "dot",
    "asynchronous",
    "lbracket",
    "rbracket",
    "lbrace",
    "rbrace",
    "prefix",
    "newline",
    "indent",
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


def _subclasses(kind: type) -> set[type]:
    """Every class derived from `kind`, at any depth."""
    found = set(kind.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


_NODE_TYPES = frozenset(_subclasses(cst.CSTNode))  # `type(v) in` it: `isinstance(v, cst.CSTNode)`, fast


def _a_default_manager(accessor: cst.Attribute, orm) -> bool:
    """`invoice_set` of `account.invoice_set`: a name of `orm.default_managers`."""
    return any(fnmatch.fnmatchcase(accessor.attr.value, pattern) for pattern in orm.default_managers)


def _dict_keywords(held: cst.BaseExpression | None) -> list[tuple[str, cst.BaseExpression]] | None:
    """`{"eta": when, "queue": "low"}` or `dict(eta=when, queue="low")`: its keys and values,
    each key a string that can be a keyword; None for any other key, a `**x` in it, or
    anything else."""
    if type(held) is cst.Call and _is_name(held.func, "dict") and held.args:
        if all(a.keyword is not None and not a.star for a in held.args):
            return [(a.keyword.value, a.value) for a in held.args]  # type: ignore[union-attr]
        return None
    if type(held) is not cst.Dict:
        return None
    keywords = []
    for element in held.elements:
        key = string_value(element.key) if type(element) is cst.DictElement else None
        if key is None or not key.isidentifier():
            return None
        keywords.append((key, element.value))
    return keywords


def _keys_set(name: str, body: cst.BaseSuite, taking_out: bool = False) -> list[tuple[str, cst.BaseExpression]] | None:
    """The keys a function's statements set in the dict `name` holds (`name["k"] = v`), or None
    when they may change it otherwise: another key, `del name[k]`, `name |= x`,
    `name.update(...)` and the other methods that change a dict. `taking_out`: keys taken out
    (`del name[k]`, `pop()`, `popitem()`, `clear()`) leave it as few, and change nothing here."""
    removals = ("pop", "popitem", "clear") if taking_out else ()
    keys: list[tuple[str, cst.BaseExpression]] = []
    for node in _function_nodes(body):
        if type(node) is cst.Assign and any(_subscripts(t.target, name) for t in node.targets):
            target = node.targets[0].target
            key = _subscript_key(target) if len(node.targets) == 1 else None
            if key is None or not key.isidentifier():
                return None
            keys.append((key, node.value))
        elif type(node) is cst.Del and _subscripts(node.target, name) and not taking_out:
            return None
        elif type(node) is cst.AugAssign and (_is_name(node.target, name) or _subscripts(node.target, name)):
            return None
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and _is_name(node.func.value, name):
            method = node.func.attr.value
            if method in ("update", "setdefault", "pop", "popitem", "clear", "__setitem__") and method not in removals:
                return None
    return keys


def _only_assigned(name: str, body: cst.BaseSuite, count: int) -> bool:
    """Whether `count` plain assignments (`name = ...`) are the only statements of a function
    that bind `name`: no loop target, `with ... as`, `:=`, `except ... as`, import, unpacking,
    `global` or function named so."""
    assigned = 0
    for node in _function_nodes(body):
        if type(node) is cst.Assign:
            for target in node.targets:
                if _is_name(target.target, name):
                    assigned += 1
                elif any(n.value == name for n in _target_names(target.target)):
                    return False
        elif type(node) in (cst.For, cst.CompFor) and any(n.value == name for n in _target_names(node.target)):
            return False
        elif type(node) is cst.AsName and any(n.value == name for n in _target_names(node.name)):
            return False
        elif type(node) is cst.NamedExpr and _is_name(node.target, name):
            return False
        elif type(node) is cst.ImportAlias and node.asname is None and _is_name(node.name, name):
            return False
        elif type(node) in (cst.Global, cst.Nonlocal) and any(n.name.value == name for n in node.names):
            return False
        elif type(node) in (cst.FunctionDef, cst.ClassDef) and node.name.value == name:
            return False
    return assigned == count


def _values_written(update: cst.Call) -> dict[str, cst.BaseExpression]:
    """The columns an `update()` sets and their values: Django's keywords (`update(is_active=
    False)`), or SQLAlchemy's dict (`update({Area.is_default: False}, synchronize_session=...)`,
    keys as attributes or strings); empty for anything else."""
    positional = [arg for arg in update.args if arg.keyword is None]
    if not positional:
        return {arg.keyword.value: arg.value for arg in update.args if arg.keyword is not None and not arg.star}
    values = positional[0].value
    if len(positional) != 1 or positional[0].star or type(values) is not cst.Dict:
        return {}
    written: dict[str, cst.BaseExpression] = {}
    for element in values.elements:
        if type(element) is not cst.DictElement:
            return {}
        key = element.key.attr.value if type(element.key) is cst.Attribute else string_value(element.key)
        if key is None:
            return {}
        written[key] = element.value
    return written


def _counted(test: cst.BaseExpression, name: str) -> int | None:
    """`name.count() == 1` (or `1 == name.count()`, `name.count() <= 3`, `< 4`, `3 >= name.count()`):
    the 1 to 10 rows the query `name` holds when the test is true; None for another test."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return None
    left, target = test.left, test.comparisons[0]
    right, operator = target.comparator, type(target.operator)
    if type(left) is cst.Integer:  # `1 == rows.count()`, `3 >= rows.count()`: the other way round
        left, right = right, left
        flipped = {
            cst.GreaterThanEqual: cst.LessThanEqual,
            cst.GreaterThan: cst.LessThan,
            cst.LessThanEqual: cst.GreaterThanEqual,
            cst.LessThan: cst.GreaterThan,
        }
        operator = flipped.get(operator, operator)
    counts = (
        type(left) is cst.Call
        and not left.args
        and type(left.func) is cst.Attribute
        and left.func.attr.value == "count"
        and _is_name(left.func.value, name)
    )
    bound = _integer(right)
    if not counts or bound is None:
        return None
    limit = {cst.Equal: 0, cst.LessThanEqual: 0, cst.LessThan: -1}.get(operator)
    rows = bound + limit if limit is not None else None
    return rows if rows is not None and 1 <= rows <= FIXED_LOOP_LIMIT else None


def _tests_left_behind(stmt: cst.If) -> list[cst.BaseExpression]:
    """The tests of an `if` / `elif` chain each arm of which leaves every time (`return`,
    `raise`...): what follows the chain runs only when all of them are false, whatever its
    `else` does; none when an arm may fall through."""
    tests: list[cst.BaseExpression] = []
    arm: cst.If | cst.Else | None = stmt
    while type(arm) is cst.If:
        if not _leaves_every_time(arm.body):
            return []
        tests.append(arm.test)
        arm = arm.orelse
    return tests


def _subscripts(target: cst.BaseExpression, name: str) -> bool:
    """`name[...]`."""
    return type(target) is cst.Subscript and _is_name(target.value, name)


def _function_given(call: cst.Call) -> cst.Name | cst.Attribute | None:
    """The name a call is given first, by position (`views.f` of `login_required(views.f)`,
    `task.delay` of `partial(task.delay, x)`): a function it wraps, binds or runs."""
    first = call.args[0] if call.args else None
    if first is None or first.keyword is not None or first.star or type(first.value) not in (cst.Name, cst.Attribute):
        return None
    return first.value  # type: ignore[return-value]


def _subscript_key(target: cst.BaseExpression) -> str | None:
    """`"k"` of `name["k"]`."""
    if type(target) is not cst.Subscript or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    return string_value(index.value) if type(index) is cst.Index else None


# methods that put items into a dict, a list or a set
_FILLING_METHODS = frozenset({"update", "setdefault", "append", "extend", "insert", "add", "__setitem__"})


def _changed_in(name: str, body: cst.BaseSuite, writes: frozenset[str] = frozenset()) -> bool:
    """Whether statements of a block may change what `name` holds: bind it (an assignment, also
    augmented, annotated or unpacked, a loop target, `with ... as`, `:=`, an import or
    `global`), set an attribute or an item of it (`pipeline.stage = s`), or call a method of it
    (`pipeline.advance()`) but the row writes `writes` (`pipeline.save()`)."""
    if not _only_assigned(name, body, 0):
        return True
    return any(
        type(node) is cst.AnnAssign and _is_name(node.target, name) or _mutates(node, name, writes)
        for node in _function_nodes(body)
    )


def _mutates(node: cst.CSTNode, name: str, writes: frozenset[str] = frozenset()) -> bool:
    """Whether a node changes what `name` holds without binding it anew: `name += x`, an
    attribute or an item of it set (`pipeline.stage = s`, `chunk[:] = []`), or a method of it
    called (`pipeline.advance()`, `chunk.clear()`) but the row writes `writes`."""
    if type(node) is cst.AugAssign:
        return _root_is(node.target, name)
    if type(node) in (cst.Assign, cst.AnnAssign):
        targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
        return any(type(target) is not cst.Name and _root_is(target, name) for target in targets)
    if type(node) is cst.Call and type(node.func) is cst.Attribute and _root_is(node.func.value, name):
        return not (_is_name(node.func.value, name) and node.func.attr.value in writes)
    return False


def _allows_extra(node: cst.ClassDef) -> bool:
    """pydantic's `extra="allow"`: a class keyword (`class Labels(BaseModel, extra="allow")`),
    `model_config = ConfigDict(extra="allow")` or `{"extra": "allow"}`, or `extra = "allow"`
    (or `Extra.allow`) in its `class Config:`: its instances hold fields the class does not
    declare."""

    def allow(value: cst.BaseExpression) -> bool:
        return string_value(value) == "allow" or (type(value) is cst.Attribute and value.attr.value == "allow")

    if any(arg.keyword is not None and arg.keyword.value == "extra" and allow(arg.value) for arg in node.keywords):
        return True
    body = node.body.body if type(node.body) is cst.IndentedBlock else []
    for name, value in _class_assignments(body):
        if name == "model_config" and type(value) is cst.Call:
            if any(arg.keyword is not None and arg.keyword.value == "extra" and allow(arg.value) for arg in value.args):
                return True
        if name == "model_config" and type(value) is cst.Dict:
            for element in value.elements:
                if type(element) is cst.DictElement and string_value(element.key) == "extra" and allow(element.value):
                    return True
    for stmt in body:
        if type(stmt) is cst.ClassDef and stmt.name.value == "Config":
            inner = stmt.body.body if type(stmt.body) is cst.IndentedBlock else []
            if any(name == "extra" and allow(value) for name, value in _class_assignments(inner)):
                return True
    return False


def _root_is(node: cst.BaseExpression, name: str) -> bool:
    """`pipeline` at the root of `pipeline.stage.id` or `pipeline["k"]`."""
    while type(node) in (cst.Attribute, cst.Subscript):
        node = node.value  # type: ignore[union-attr]
    return _is_name(node, name)


def _changes(name: str, body: cst.BaseSuite) -> bool:
    """Whether a function's statements put items into what a local holds: an item assigned or
    deleted (`kwargs["k"] = v`), `+=`, or a method that adds (`update`, `setdefault`, `extend`,
    `append`, ...)."""
    for node in _function_nodes(body):
        if type(node) is cst.AugAssign and _is_name(node.target, name):
            return True
        if type(node) in (cst.Assign, cst.Del):
            targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
            if any(type(t) is cst.Subscript and _is_name(t.value, name) for t in targets):
                return True
        if type(node) is cst.Call and type(node.func) is cst.Attribute and _is_name(node.func.value, name):
            if node.func.attr.value in _FILLING_METHODS:
                return True
    return False


def _reshapes_arguments(varargs: str | None, kwargs: str | None, body: cst.BaseSuite) -> bool:
    """Whether a function binds its `*args` or `**kwargs` again, puts keys into its `**kwargs`
    or takes out keys not written out (`kwargs.pop("quiet")` alone is `_taken_keys`)."""
    if varargs is not None and not _only_assigned(varargs, body, 0):
        return True
    return kwargs is not None and (_taken_keys(kwargs, body, strict=False) is None or _changes(kwargs, body))


def _taken_keys(name: str, body: cst.BaseSuite, strict: bool = True) -> tuple[str, ...] | None:
    """The keys a function takes out of its `**kwargs` (`kwargs.pop("level")`, `del
    kwargs["level"]`), when it never binds the name again and uses it only so: spread
    (`**kwargs`), read (`kwargs.get("k")`, `kwargs["k"]`, `"k" in kwargs`), given keys
    (`kwargs["k"] = v`, `setdefault`, `update`: they only narrow a filter it is spread in) or
    rid of keys written out; None otherwise (handed to a helper, held by another name, used
    by a nested function, a key not written out). Not `strict`: any other use is taken for a
    read (`log.debug(kwargs)` in a wrapper); only a key not written out, `popitem()` or
    `clear()` is None."""
    if not _only_assigned(name, body, 0):
        return None
    taken: list[str] = []
    used = 0  # the uses of the name read above
    nodes = _function_nodes(body)
    for node in nodes:
        if type(node) is cst.Arg and node.star == "**" and _is_name(node.value, name):
            used += 1
        elif type(node) is cst.Del:
            targets = [e.value for e in node.target.elements] if type(node.target) is cst.Tuple else [node.target]
            for target in targets:
                if type(target) is cst.Subscript and _is_name(target.value, name):
                    key = _subscript_key(target)
                    if key is None:
                        return None
                    taken.append(key)
        elif type(node) is cst.Subscript and _is_name(node.value, name):
            used += 1  # a key read, set or deleted
        elif type(node) is cst.Attribute and _is_name(node.value, name):
            method = node.attr.value
            if method in ("popitem", "clear") or (
                strict and method not in ("get", "pop", "setdefault", "update", "keys", "items", "values")
            ):
                return None
            used += 1
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and _is_name(node.func.value, name):
            if node.func.attr.value == "pop":
                key = node.args[0].value if node.args and not node.args[0].star else None
                text = string_value(key) if key is not None else None
                if text is None:
                    return None
                taken.append(text)
        elif type(node) is cst.ComparisonTarget and type(node.operator) in (cst.In, cst.NotIn):
            used += _is_name(node.comparator, name)
    # every use of the name, nested functions and classes included, must be one of those
    named = sum(1 for node in _all_nodes(body) if _is_name(node, name)) if strict else used
    return tuple(taken) if named == used else None


def _all_nodes(body: cst.CSTNode) -> list[cst.CSTNode]:
    """Every node under `body`, nested functions and classes included."""
    nodes: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [body]
    while stack:
        current = stack.pop()
        nodes.append(current)
        stack.extend(_children(current))
    return nodes


# builtins that iterate what they are given: `list(pool.map(fetch, urls))` waits for every call
_ITERATING_BUILTINS = frozenset(
    {"list", "tuple", "set", "frozenset", "sorted", "dict", "sum", "min", "max", "any", "all", "enumerate", "zip"}
)


def _consumed_results(nodes: list[cst.CSTNode]) -> tuple[set[int], set[str]]:
    """Ids of the calls whose results some of a function's nodes iterate or hand back, and the
    local names they so use: the iterable of a `for` or of a comprehension, what an iterating
    builtin is given (`list(pool.map(...))`), a `return`ed or `yield`ed value."""
    used: set[int] = set()
    names: set[str] = set()
    taken: list[cst.BaseExpression] = []
    for node in nodes:
        if type(node) in (cst.For, cst.CompFor):
            taken.append(node.iter)  # type: ignore[attr-defined]
        elif type(node) in (cst.Return, cst.Yield) and node.value is not None:  # type: ignore[attr-defined]
            value = node.value  # type: ignore[attr-defined]
            taken.append(value.item if type(value) is cst.From else value)
        elif type(node) is cst.Call and type(node.func) is cst.Name and node.func.value in _ITERATING_BUILTINS:
            taken.extend(arg.value for arg in node.args)
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "join":
            taken.extend(arg.value for arg in node.args)  # `", ".join(pool.map(str, ids))`
    for expr in taken:
        if type(expr) is cst.Call:
            used.add(id(expr))
        elif type(expr) is cst.Name:
            names.add(expr.value)
    return used, names


def _waited_futures(nodes: list[cst.CSTNode], waits: Callable[[cst.Call], bool], answers: frozenset[str]) -> set[int]:
    """Ids of the calls whose future a wait among some of a function's nodes is given: written in
    its arguments, or kept in a name given to it (`futures = [pool.submit(...) for ...]`, `futures[key]
    = pool.submit(...)`, `futures.append(...)`, `{pool.submit(...): url for ...}`; `wait(futures)`,
    `as_completed(futures.values())`); or kept in a name whose items a loop or a comprehension
    takes one of `answers` of (`[f.result() for f in futures]`, `for t, f in zip(targets,
    futures): f.result(timeout=5)`)."""
    names = _answered_names(nodes, answers)
    held: list[cst.CSTNode] = []
    for node in nodes:
        if type(node) is not cst.Call or not waits(node):
            continue
        for arg in node.args:
            value = arg.value
            if type(value) is cst.Call and type(value.func) is cst.Attribute and not value.args:
                if value.func.attr.value in ("values", "keys") and type(value.func.value) is cst.Name:
                    value = value.func.value  # `as_completed(futures.values())`
            if type(value) is cst.Name:
                names.add(value.value)
            else:
                held.append(value)
    for node in nodes if names else ():
        if type(node) in (cst.Assign, cst.AnnAssign) and node.value is not None:  # type: ignore[attr-defined]
            targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]  # type: ignore[attr-defined]
            for target in targets:
                if type(target) is cst.Subscript:  # `futures[key] = pool.submit(...)`
                    target = target.value
                if type(target) is cst.Name and target.value in names:
                    held.append(node.value)  # type: ignore[attr-defined]
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and type(node.func.value) is cst.Name:
            if node.func.value.value in names and node.func.attr.value in _ADDING_METHODS:
                held.extend(arg.value for arg in node.args)
    return _calls_under(held)


def _answered_names(nodes: list[cst.CSTNode], answers: frozenset[str]) -> set[str]:
    """The names whose items a loop or a comprehension among the nodes iterates, also through
    `zip(...)` or `enumerate(...)`, and calls one of `answers` on (`f.result()` of `for f in
    futures`)."""
    answered = {
        node.func.value.value
        for node in nodes
        if type(node) is cst.Call
        and type(node.func) is cst.Attribute
        and type(node.func.value) is cst.Name
        and node.func.attr.value in answers
    }
    names: set[str] = set()
    for node in nodes if answered else ():
        if type(node) not in (cst.For, cst.CompFor):
            continue
        if not {name.value for name in _target_names(node.target)} & answered:  # type: ignore[attr-defined]
            continue
        over = node.iter  # type: ignore[attr-defined]
        spread = type(over) is cst.Call and type(over.func) is cst.Name and over.func.value in ("zip", "enumerate")
        for item in [arg.value for arg in over.args] if spread else [over]:  # type: ignore[attr-defined]
            if type(item) is cst.Name:
                names.add(item.value)
    return names


def _calls_under(expressions: list[cst.CSTNode]) -> set[int]:
    """Ids of the calls in some expressions (not in the lambdas among them, made later)."""
    found: set[int] = set()
    stack = list(expressions)
    while stack:
        current = stack.pop()
        if type(current) is cst.Call:
            found.add(id(current))
        if type(current) is not cst.Lambda:
            stack.extend(_children(current))
    return found


def _function_nodes(body: cst.BaseSuite | Sequence[cst.CSTNode]) -> list[cst.CSTNode]:
    """Every node of a function's body (or of some of its statements), without those of the
    functions and classes in it."""
    nodes: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = list(body) if isinstance(body, (list, tuple)) else [body]
    while stack:
        current = stack.pop()
        nodes.append(current)
        if type(current) not in (cst.FunctionDef, cst.ClassDef, cst.Lambda) or current is body:
            stack.extend(_children(current))
    return nodes


# keywords of a wait that may return before every awaitable it is given is done
_PARTIAL_WAITS = frozenset({"timeout", "return_when"})


def _awaited_calls(body: cst.BaseSuite) -> set[int]:
    """Ids of the calls an async function awaits the result of: `await f()`, or kept in a name it
    awaits (`t = create_task(...)`; `await t`), also in a list (`tasks.append(ensure_future(...))`,
    `tasks = [create_task(...) for ...]`; `await asyncio.gather(*tasks)`), or given to an awaited
    call (`await asyncio.gather(*[create_task(...) for ...])`, `await asyncio.wait({t, u})`).
    Nested functions are their own, but for the names of this one that a nested async function
    it calls awaits (`async for event in stream():`, whose `finally:` gathers `workers`)."""
    nodes = _function_nodes(body)
    awaited, names = _awaits(nodes)
    for inner, own in _called_closures(nodes):
        names |= _awaits(inner)[1] - own
    # expressions whose calls the function awaits: the arguments of an awaited call
    # (`gather(*[create_task(c) for c in coros])`), and what goes into an awaited name
    held: list[cst.CSTNode] = [
        arg.value
        for current in nodes
        if type(current) is cst.Await and type(current.expression) is cst.Call
        for arg in current.expression.args
        if type(arg.value) is not cst.Name
    ]
    looked: set[str] = set()
    while names - looked:  # `tasks = {send, receive}`, gathered: `send = create_task(...)` is awaited too
        new, looked = names - looked, looked | names
        for current in nodes:
            if type(current) in (cst.Assign, cst.AnnAssign) and current.value is not None:
                targets = [t.target for t in current.targets] if type(current) is cst.Assign else [current.target]
                if any(type(t) is cst.Name and t.value in new for t in targets):
                    held.append(current.value)
                    if type(current.value) in (cst.List, cst.Tuple, cst.Set):
                        names |= {e.value.value for e in current.value.elements if type(e.value) is cst.Name}
            elif type(current) is cst.Call and type(current.func) is cst.Attribute:
                owner = current.func.value
                if type(owner) is cst.Name and owner.value in new and current.func.attr.value in _ADDING_METHODS:
                    held.extend(arg.value for arg in current.args)
    return awaited | _calls_under(held)


def _called_closures(nodes: list[cst.CSTNode]) -> Iterator[tuple[list[cst.CSTNode], set[str]]]:
    """The nodes of each nested async function a function calls (`async for event in
    events():`), with the names that function binds itself: the others it uses are the
    enclosing function's (`workers`, gathered in its `finally:`)."""
    called = {node.func.value for node in nodes if type(node) is cst.Call and type(node.func) is cst.Name}
    for nested in nodes:
        if type(nested) is cst.FunctionDef and nested.asynchronous is not None and nested.name.value in called:
            inner = _function_nodes(nested.body)
            own = {param.name.value for param in _parameter_nodes(nested.params)}
            own |= {
                name.value
                for node in inner
                if type(node) in (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)
                for target in (node.targets if type(node) is cst.Assign else [node])
                for name in _target_names(target.target)
            }
            own |= {  # `with open_all() as tasks:`
                name.value
                for node in inner
                if type(node) is cst.WithItem and node.asname is not None
                for name in _target_names(node.asname.name)
            }
            yield inner, own


def _awaits(nodes: list[cst.CSTNode]) -> tuple[set[int], set[str]]:
    """The calls some of a function's nodes await (`await f()`) and the names they await: `await
    t`, given to an awaited call (`gather(*tasks)`), or in a collection written out for a call
    that waits for them all (see `_awaited_calls`)."""
    awaited: set[int] = set()
    names: set[str] = set()
    cancels = any(
        type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "cancel"
        for node in nodes
    )
    for current in nodes:
        if type(current) is cst.Await:
            expr = current.expression
            if type(expr) is cst.Name:
                names.add(expr.value)
            elif type(expr) is cst.Call:
                awaited.add(id(expr))
                # `await asyncio.wait({receive, send})`: the names given, also in a collection
                # written out, when the call waits for them all, or the function cancels what is
                # left (`for task in pending: task.cancel()`); with `timeout=` or `return_when=`
                # what is still running goes on after it
                partial = any(arg.keyword is not None and arg.keyword.value in _PARTIAL_WAITS for arg in expr.args)
                # (`asyncio.wait_for(task, timeout=5)` cancels the task when the time is up)
                if not partial or cancels or render(expr.func).rsplit(".", 1)[-1] != "wait":
                    names.update(arg.value.value for arg in expr.args if type(arg.value) is cst.Name)
                if not partial or cancels:
                    names.update(
                        element.value.value
                        for arg in expr.args
                        if type(arg.value) in (cst.List, cst.Tuple, cst.Set)
                        for element in arg.value.elements
                        if type(element.value) is cst.Name
                    )
    return awaited, names


def _small_statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement]:
    """Every simple statement of a function's body (`return`, an assignment), through its
    compound statements, without those of the functions and classes in it: a walk of the
    statements alone, not of every expression node."""
    found: list[cst.BaseSmallStatement] = []
    stack = list(_suite_statements(body))
    while stack:
        stmt = stack.pop()
        if type(stmt) is cst.SimpleStatementLine:
            found.extend(stmt.body)
        elif isinstance(stmt, cst.BaseSmallStatement):
            found.append(stmt)
        elif type(stmt) not in (cst.FunctionDef, cst.ClassDef):
            stack.extend(_child_blocks(stmt))
    return found


def _returned_calls(body: cst.BaseSuite) -> set[int]:
    """Ids of the calls whose result a function returns: `return f()`, or `t = f()` and
    `return t`. Nested functions are their own."""
    nodes = _small_statements(body)
    returned: set[int] = set()
    names: set[str] = set()
    for current in nodes:
        if type(current) is cst.Return and type(current.value) is cst.Call:
            returned.add(id(current.value))
        elif type(current) is cst.Return and type(current.value) is cst.Name:
            names.add(current.value.value)
    for current in nodes if names else ():
        if type(current) is cst.Assign and type(current.value) is cst.Call:
            if any(type(t.target) is cst.Name and t.target.value in names for t in current.targets):
                returned.add(id(current.value))
    return returned


_ADDING_METHODS = frozenset({"append", "add", "extend", "insert"})


def _nodes_in_order(body: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes of a function's body in the order they are written (`_function_nodes` walks a
    stack), without those of the functions and classes in it."""
    yield body
    for child in _children(body):
        if type(child) not in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            yield from _nodes_in_order(child)


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Child nodes that may hold calls, without libcst's visitor-based `children`
    (which costs more than the parse itself over a whole module)."""
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = tuple(f.name for f in dataclasses.fields(kind) if not f.name.startswith(_NO_CALLS_INSIDE))
        _CHILD_FIELDS[kind] = fields
    out: list[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        kind = type(value)
        if kind is list or kind is tuple:
            out.extend(item for item in value if type(item) in _NODE_TYPES)
        elif kind in _NODE_TYPES:
            out.append(value)
    return out


def _over_name(expr: cst.BaseExpression, name: str) -> bool:
    """`coros` itself, or a comprehension over it (`(run(c) for c in coros)`)."""
    if type(expr) is cst.Name:
        return expr.value == name
    return (
        type(expr) in (cst.ListComp, cst.GeneratorExp)
        and expr.for_in.inner_for_in is None
        and _is_name(expr.for_in.iter, name)
    )


def _a_comprehension_of_calls(node: cst.BaseExpression) -> bool:
    """`[fetch(u) for u in urls]`, `(fetch(u) for u in urls)`: a list or generator of calls."""
    return type(node) in (cst.ListComp, cst.GeneratorExp) and type(node.elt) is cst.Call


def _picked_from(expr: cst.BaseExpression) -> str | None:
    """`table` of `table[kind]`, or of `table.get(kind)` / `table.get(kind, default)`."""
    if type(expr) is cst.Subscript and type(expr.value) is cst.Name:
        return expr.value.value
    if (
        type(expr) is cst.Call
        and type(expr.func) is cst.Attribute
        and type(expr.func.value) is cst.Name
        and expr.func.attr.value == "get"
        and 1 <= len(expr.args) <= 2
        and not any(arg.star or arg.keyword for arg in expr.args)
    ):
        return expr.func.value.value
    return None


def _imports_with_fallback(stmt: cst.Try) -> bool:
    """Whether every handler of a `try` catches `ImportError` or `ModuleNotFoundError` (alone or
    in a tuple): a fallback import."""
    names: list[cst.BaseExpression | None] = []
    for handler in stmt.handlers:
        caught = handler.type
        names += [element.value for element in caught.elements] if type(caught) is cst.Tuple else [caught]
    return bool(names) and all(type(name) is cst.Name and name.value in IMPORT_ERRORS for name in names)


# the package a relative import names a module of (`from . import settings`), for patterns
# that name a module of any package (`*.settings`)
_PACKAGE = "<package>"


def _child_blocks(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Statements nested in a compound statement that does not open a scope."""
    suites: list[cst.BaseSuite] = []
    if type(stmt) is cst.If:  # in source order: the body, then the `elif` or `else`
        yield from _suite_statements(stmt.body)
        if type(stmt.orelse) is cst.If:
            yield stmt.orelse
        elif stmt.orelse is not None:
            suites.append(stmt.orelse.body)
    elif type(stmt) in (cst.For, cst.While):
        suites.append(stmt.body)
        if stmt.orelse is not None:
            suites.append(stmt.orelse.body)
    elif type(stmt) is cst.With:
        suites.append(stmt.body)
    elif type(stmt) in (cst.Try, cst.TryStar):
        suites.append(stmt.body)
        suites.extend(handler.body for handler in stmt.handlers)
        if stmt.orelse is not None:
            suites.append(stmt.orelse.body)
        if stmt.finalbody is not None:
            suites.append(stmt.finalbody.body)
    elif type(stmt) is cst.Match:
        suites.extend(case.body for case in stmt.cases)
    for suite in suites:
        yield from _suite_statements(suite)


# the command line's words: a worker script that takes its queues from them (`Worker(map(Queue, sys.argv[1:]))`)
ARGV: Ref = ("", "sys.argv")


def _is_none(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value == "None"


def _either_branch(value: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """What a local is built from: `qs = A.filter(x) if ids else A.filter(y)` holds a call
    either way, read as its first branch's (or the second's, when only that one is a call)."""
    if type(value) is cst.IfExp:
        return value.body if type(value.body) is cst.Call else value.orelse
    return value


def _capitals(iterated: cst.BaseExpression) -> cst.Name | None:
    """`NAME`, `NAME.items()`, `.keys()` or `.values()`, NAME in capitals: what is iterated."""
    iterated = _items_of(iterated)
    return iterated if type(iterated) is cst.Name and iterated.value.isupper() else None


def _items_of(iterated: cst.BaseExpression) -> cst.BaseExpression:
    """`X` for `X.items()`, `X.keys()` or `X.values()`; else what is iterated."""
    if (
        type(iterated) is cst.Call
        and not iterated.args
        and type(iterated.func) is cst.Attribute
        and iterated.func.attr.value in ("items", "keys", "values")
    ):
        return iterated.func.value
    return iterated


def _capitals_key(subscript: cst.Subscript) -> bool:
    """`config["NOTIFY_URLS"]`: one key, a string in capitals."""
    if len(subscript.slice) != 1 or type(subscript.slice[0].slice) is not cst.Index:
        return False
    key = subscript.slice[0].slice.value
    return type(key) is cst.SimpleString and key.evaluated_value.isupper()


def _written_out(expr: cst.BaseExpression) -> bool:
    """A tuple, list or set written out with a few elements, none starred: `("sent", "read")`."""
    if type(expr) not in (cst.Tuple, cst.List, cst.Set):
        return False
    elements = expr.elements
    return len(elements) <= FIXED_LOOP_LIMIT and not any(type(e) is cst.StarredElement for e in elements)


def _fixed_rounds(
    stmt: cst.For | cst.While, bound: Callable[[cst.BaseExpression], int | None] | None = None
) -> int | None:
    """How many rounds a loop of a few fixed repetitions runs: `range(4)` 4, `range(1, 4)` 3,
    a tuple written out its length; None when it does not say (a retry that returns when
    nothing fails, a loop over the operator's configuration). `bound`: as `_fixed_small_loop`."""
    bound = bound or _integer
    if not _fixed_small_loop(stmt, bound):
        return None
    assert type(stmt) is cst.For
    if type(stmt.iter) in (cst.Tuple, cst.List, cst.Set):
        return len(stmt.iter.elements)  # type: ignore[attr-defined]
    bounds = [bound(arg.value) for arg in stmt.iter.args]  # type: ignore[attr-defined]
    try:
        return len(range(*bounds))  # type: ignore[arg-type]  # `range(0, 10, 3)`: 4
    except (TypeError, ValueError):  # `range(0, 10, 0)`
        return None


def _counted_rounds(stmt: cst.For | cst.While, fn: _FunctionBuilder) -> int | None:
    """`attempt = 0` then `while attempt < 4: attempt += 1; ...` (or `<= 3`, `4 > attempt`): a
    retry that counts its rounds, at most 10 of them, not a loop over a collection; how many,
    or None. The counter is bound only to integers written out from 0 up, never inside the
    loop, and the loop's own body adds 1 to it once, outside any `if` or nested loop."""
    if type(stmt) is not cst.While or fn.body is None:
        return None
    test = stmt.test
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return None
    operator, right = type(test.comparisons[0].operator), test.comparisons[0].comparator
    if operator in (cst.LessThan, cst.LessThanEqual):  # `attempt < 4`
        counter, limit, inclusive = test.left, _integer(right), operator is cst.LessThanEqual
    elif operator in (cst.GreaterThan, cst.GreaterThanEqual):  # `4 > attempt`
        counter, limit, inclusive = right, _integer(test.left), operator is cst.GreaterThanEqual
    else:
        return None
    if type(counter) is not cst.Name or limit is None:
        return None
    rounds = limit + inclusive
    name = counter.value
    starts = [_integer(value) for value in _assigned_values(name, fn.body)]
    if not starts or any(start is None or start < 0 for start in starts) or _assigned_values(name, stmt.body):
        return None
    steps = [
        small
        for statement in stmt.body.body
        if type(statement) is cst.SimpleStatementLine
        for small in statement.body
        if type(small) is cst.AugAssign
        and _is_name(small.target, name)
        and type(small.operator) is cst.AddAssign
        and _integer(small.value) == 1
    ]
    changed = [
        node for node in _function_nodes(stmt.body) if type(node) is cst.AugAssign and _is_name(node.target, name)
    ]
    if len(steps) != 1 or len(changed) != 1 or not 1 <= rounds <= FIXED_LOOP_LIMIT:
        return None
    # a `continue` before the step skips it: the rounds are no longer counted
    before = []
    for statement in stmt.body.body:
        if type(statement) is cst.SimpleStatementLine and steps[0] in statement.body:
            break
        before.append(statement)
    if any(type(node) is cst.Continue for node in _own_loop_nodes(before)):
        return None
    return rounds


def _fixed_small_loop(
    stmt: cst.For | cst.While, bound: Callable[[cst.BaseExpression], int | None] | None = None
) -> bool:
    """`for attempt in range(3):` (a retry), `for status in ("sent", "read"):` (a tuple, list or
    set written out): a few fixed repetitions, not a loop over a collection. `bound`: what a
    `range()` bound is (an integer written out; in a method, also a class constant)."""
    bound = bound or _integer
    if type(stmt) is not cst.For:
        return False
    if type(stmt.iter) in (cst.Tuple, cst.List, cst.Set):
        return _written_out(stmt.iter)
    return _small_range(stmt.iter, bound)


def _small_range(expr: cst.BaseExpression, bound: Callable[[cst.BaseExpression], int | None]) -> bool:
    """`range(3)`, `range(1, ATTEMPTS)`: bounds `bound` reads, none above 10."""
    if type(expr) is not cst.Call or not (type(expr.func) is cst.Name and expr.func.value == "range") or not expr.args:
        return False
    bounds = [bound(arg.value) for arg in expr.args]
    return all(number is not None for number in bounds) and max(bounds) <= FIXED_LOOP_LIMIT  # type: ignore[type-var]


def _mapping_key_name(stmt: cst.For | cst.While) -> str | None:
    """`key` of `for key, value in form.items():` or `for key in data.keys():`: a loop over
    the keys of a mapping, each round holding another one."""
    if type(stmt) is not cst.For or type(stmt.iter) is not cst.Call or stmt.iter.args:
        return None
    func = stmt.iter.func
    if type(func) is not cst.Attribute or func.attr.value not in ("items", "keys"):
        return None
    target = stmt.target
    if func.attr.value == "items":
        if type(target) is not cst.Tuple or len(target.elements) != 2:
            return None
        target = target.elements[0].value
    return target.value if type(target) is cst.Name else None


def _keys_tested(
    test: cst.BaseExpression, a_string: Callable[[cst.BaseExpression], bool] | None = None
) -> tuple[cst.BaseExpression, int] | None:
    """What a test pins to strings (written out; with `a_string`, what it says is one: a constant
    bound to one), and to how many: `field == "email"` (1), `field == NAME_FIELD` (1),
    `field in ("bio", "chat")` (2)."""
    if a_string is None:
        a_string = _a_string_written_out
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return None
    operator, right = type(test.comparisons[0].operator), test.comparisons[0].comparator
    if operator is cst.Equal:
        if a_string(right):
            return test.left, 1
        if a_string(test.left):
            return right, 1
    if operator is cst.In and type(right) in (cst.Tuple, cst.List, cst.Set) and right.elements:
        if all(a_string(e.value) for e in right.elements):
            return test.left, len(right.elements)
    return None


def _a_string_written_out(expr: cst.BaseExpression) -> bool:
    return string_value(expr) is not None


def _literal_patterns(pattern: cst.MatchPattern) -> int | None:
    """How many values a `case` pattern matches when it names strings written out: `case "bio":`
    (1), `case "bio" | "chat":` (2); None for any other pattern."""
    if type(pattern) is cst.MatchValue:
        return 1 if string_value(pattern.value) is not None else None
    if type(pattern) is cst.MatchOr:
        counts = [_literal_patterns(element.pattern) for element in pattern.patterns]
        return len(counts) if all(c == 1 for c in counts) else None
    return None


def _keeps_its_last_match(stmt: cst.For | cst.While, fn: _FunctionBuilder) -> bool:
    """`actor = None`, then `for link in links: if link.get("rel") == "self": actor =
    resolve(link["href"])`: a loop whose one statement keeps, in names the function sets to
    None outside it, what it makes of the item whose key equals a string written out. Each
    match overwrites the last, so the loop looks for one item, as it would with a `break`;
    the work runs once."""
    if type(stmt) is not cst.For or type(stmt.target) is not cst.Name or type(stmt.body) is not cst.IndentedBlock:
        return False
    if len(stmt.body.body) != 1 or type(stmt.body.body[0]) is not cst.If or stmt.body.body[0].orelse is not None:
        return False
    branch = stmt.body.body[0]
    tested = _keys_tested(branch.test)  # the item's key against one string written out
    item = stmt.target.value
    if tested is None or tested[1] != 1 or not any(_is_name(node, item) for node in _function_nodes([tested[0]])):
        return False
    values: dict[str, cst.BaseExpression] = {}
    lines = list(branch.body.body) if type(branch.body) is cst.IndentedBlock else [branch.body]
    for line in lines:
        if type(line) in (cst.Try, cst.TryStar):
            line = line.body.body[0] if len(line.body.body) == 1 else None
        if type(line) is not cst.SimpleStatementLine or len(line.body) != 1 or type(line.body[0]) is not cst.Assign:
            return False
        targets = line.body[0].targets
        if len(targets) != 1 or type(targets[0].target) is not cst.Name or targets[0].target.value == item:
            return False
        values[targets[0].target.value] = line.body[0].value
    # `total = total + fetch(x)` gathers every match: not the last one kept
    if any(
        type(node) is cst.Name and node.value in values
        for value in values.values()
        for node in _function_nodes([value])
    ):
        return False
    if fn.body is None:  # a loop at module level
        return False
    return all(any(_is_name(value, "None") for value in _assigned_values(name, fn.body)) for name in values)


def _returns_every_time(stmt: cst.For | cst.While) -> bool:
    """A loop whose body, when nothing fails, returns or breaks (a `return` or `break` in the
    body, at the end of a `try` in it or in its `else`): it repeats only after an exception, as
    a retry does (`while attempts: try: ...; return result; except OperationalError: ...;
    sleep(...)`, `while True: try: row.save(); break; except IntegrityError: continue`), not
    once per item."""
    return _suite_returns(stmt.body.body) and not _continues_when_nothing_fails(stmt)


def _suite_returns(body, breaks: bool = True) -> bool:
    """Whether running these statements of a loop's body, when nothing raises, always reaches a
    `return`, or a `break` of the loop in its own statements or at the end of a `try` (`breaks`;
    not one in an `if`: `if not page.next: break` ends a loop over pages, not a retry) (`body`:
    the statements of an indented block, or the small ones of `try: return x`); nested loops are
    not looked into, so a `break` found is the loop's.

    An `if` ends the suite when each of its arms returns, raises or retries under a count, and
    this `if` or one before it returns: `if reply.ok: return reply` then `if reply.status == 401:
    login(); left -= 1; if not left: raise ...` `else: raise ...` (a retry of one request)."""
    returned = False
    for statement in body:
        if _small_statement(statement, (cst.Return, cst.Break) if breaks else cst.Return):
            return True
        if type(statement) in (cst.Try, cst.TryStar) and (
            _suite_returns(statement.body.body, breaks)
            or (statement.orelse is not None and _suite_returns(statement.orelse.body.body, breaks))
        ):
            return True
        # `with session_factory() as session: try: f(session); session.commit(); break`: its block
        # runs once, and what it reaches ends the loop (also `async with`)
        if type(statement) is cst.With and _suite_returns(_suite_statements(statement.body), breaks):
            return True
        if type(statement) is cst.If:
            arms = _if_arms(statement)
            returned = returned or any(arm and _suite_returns(arm, breaks=False) for arm in arms)
            if returned and all(arm and _arm_leaves(arm) for arm in arms):
                return True
    return False


def _if_arms(stmt: cst.If) -> list:
    """The statements of each arm of an `if` / `elif` / `else` chain; `()` for a missing `else`."""
    arms = []
    current: cst.BaseSuite | cst.If | None = stmt
    while type(current) is cst.If:
        arms.append(_suite_statements(current.body))
        current = current.orelse
    arms.append(_suite_statements(current.body) if type(current) is cst.Else else ())
    return arms


def _suite_statements(suite: cst.BaseSuite) -> tuple:
    """The statements of a block, or the small ones of a suite on the `if`'s line."""
    return tuple(suite.body)


def _arm_leaves(arm) -> bool:
    """An arm that returns, raises, or retries under a count: `left -= 1` next to an `if`
    that raises, returns or breaks (`if left == 0: raise GaveUp()`)."""
    if _suite_returns(arm, breaks=False) or any(_small_statement(statement, cst.Raise) for statement in arm):
        return True
    counted = any(_small_statement(statement, cst.AugAssign) for statement in arm)
    bounded = any(
        type(statement) is cst.If
        and any(_small_statement(inner, (cst.Raise, cst.Return, cst.Break)) for inner in _if_arms(statement)[0])
        for statement in arm
    )
    if counted and bounded:
        return True
    # `if not login(): raise ...` `else: left -= 1; if not left: raise ...`
    return any(
        type(statement) is cst.If and all(a and _arm_leaves(a) for a in _if_arms(statement)) for statement in arm
    )


def _small_statement(statement, kinds) -> bool:
    """Whether a statement of a suite is, or holds on its line, a small statement of these kinds."""
    if type(statement) is cst.SimpleStatementLine:
        return any(isinstance(small, kinds) for small in statement.body)
    return isinstance(statement, kinds)


def _own_loop_nodes(statements, skipped: tuple[type, ...] = ()) -> list[cst.CSTNode]:
    """The nodes of some statements of a loop's body, without those of loops and functions
    nested in them (whose `continue` and `break` are their own), nor of the `skipped` kinds."""
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = list(statements)
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, _NESTED_SCOPES + skipped):
            stack.extend(node.children)
    return found


def _capitals_getter(expr: cst.BaseExpression) -> tuple[cst.BaseExpression, str] | None:
    """`config.get("DEBUG")` (a default may follow): (`config`, "DEBUG"), a key in capitals."""
    if type(expr) is not cst.Call or type(expr.func) is not cst.Attribute or expr.func.attr.value != "get":
        return None
    key = string_value(expr.args[0].value) if expr.args and expr.args[0].keyword is None else None
    if key is None or not key.isupper() or not key.isidentifier():
        return None
    return expr.func.value, key


def _cap_end(name: str, rest) -> tuple[int, bool]:
    """Where a cap on `name` (`_length_cap`) ends among the statements after it: before the
    first that binds it again, adds to it (`+=`, `append`) or holds it by another name (`more =
    files`), or after the first that gives it to a call (`store(files)`: the call gets the few
    items, and may add to them); (len(rest), False) when none does."""
    for index, statement in enumerate(rest):
        if _changes(name, cst.IndentedBlock(body=[statement])) or _binds_or_aliases(name, statement):
            return index, False
        if any(
            type(node) is cst.Call
            and not (type(node.func) is cst.Name and node.func.value in _ITEMS_READERS)
            and any(_is_name(arg.value, name) for arg in node.args)
            for node in _function_nodes([statement])
        ):
            return index, True
    return len(rest), False


# calls that read a list's items and keep nothing of it
_ITEMS_READERS = frozenset({"len", "zip", "enumerate", "sorted", "list", "tuple", "set", "iter", "reversed", "sum"})


def _binds_or_aliases(name: str, statement: cst.CSTNode) -> bool:
    """A statement that binds `name` (`name = ...`, `a, name = ...`, a `for` target, `:=`,
    `as name`, `del name`) or binds another name to it (`more = name`)."""
    for node in _function_nodes([statement]):
        targets: list[cst.CSTNode] = []
        if type(node) is cst.Assign:
            targets = [t.target for t in node.targets]
            if _is_name(node.value, name):
                return True
        elif type(node) in (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.Del, cst.For):
            targets = [node.target]
        elif type(node) is cst.AsName:
            targets = [node.name]
        while targets:
            target = targets.pop()
            if _is_name(target, name):
                return True
            if type(target) in (cst.Tuple, cst.List):
                targets.extend(element.value for element in target.elements)
            elif type(target) is cst.StarredElement:
                targets.append(target.value)
    return False


def _leaves_early(statements, jumps: tuple[type, ...] = (cst.Return, cst.Break, cst.Continue)) -> bool:
    """A `return` among these statements (but the last), or a `break` or `continue` of a loop
    around them (of the `jumps` kinds): what comes before their last statement may leave the
    block without it."""
    stack: list[tuple[cst.CSTNode, bool]] = [(statement, False) for statement in statements[:-1]]
    if statements and type(statements[-1]) is not cst.SimpleStatementLine:
        stack.append((statements[-1], False))
    elif statements:
        stack.extend((small, False) for small in statements[-1].body[:-1])
    while stack:
        node, in_loop = stack.pop()
        if type(node) in jumps and (type(node) is cst.Return or not in_loop):
            return True
        if type(node) in (cst.FunctionDef, cst.ClassDef) or isinstance(node, cst.BaseExpression):
            continue
        if type(node) in (cst.For, cst.While):  # its `else:` runs after it: a `continue` there is ours
            stack.append((node.body, True))
            if node.orelse is not None:
                stack.append((node.orelse, in_loop))
            continue
        stack.extend((child, in_loop) for child in node.children)
    return False


def _leaving_tail(body) -> int | None:
    """Where the statements of a loop's body that run in its last round only start: the body
    ends with a `return` or a `break`, and the statements before it skip to the next round
    with `continue` (`for tag in tags: if tag.name != name: continue`, then the work, then
    `return`): after the last statement that may continue, the rest runs once. None when no
    statement continues (a body that always leaves is `_returns_every_time`'s)."""
    if not body or not _small_statement(body[-1], (cst.Return, cst.Break)):
        return None
    last = None
    for index, statement in enumerate(body):
        if _may_continue(statement):
            last = index
    return last + 1 if last is not None and last + 1 < len(body) else None


def _may_continue(statement: cst.CSTNode) -> bool:
    """Whether a statement of a loop's body holds a `continue` of that loop: in any block of it,
    also in the `else:` of a loop nested in it (which runs in the outer loop), not in the body
    of a nested loop or function."""
    stack: list[cst.CSTNode] = [statement]
    while stack:
        node = stack.pop()
        if type(node) is cst.Continue:
            return True
        if type(node) in (cst.For, cst.While):
            if node.orelse is not None:
                stack.append(node.orelse)
            continue
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(node.children)
    return False


# a method that changes a collection in place (`row.tags.append(tag)`)
_IN_PLACE = frozenset(
    {"append", "extend", "insert", "remove", "add", "update", "discard", "pop", "clear", "setdefault"}
)


def _changes_attributes(block: cst.BaseSuite) -> bool:
    """Whether a `with` block sets an attribute (`device.synced = False`, `row.data["k"] = v`,
    `setattr(row, name, value)`) or changes one in place (`row.tags.append(tag)`), in its own
    statements (not in functions nested in it): a change to a row that the session a context
    manager commits at its exit writes. A change a helper or a model method makes is not seen."""
    for node in _function_nodes([block]):
        if type(node) in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign):
            target = node.target
            while type(target) is cst.Subscript:
                target = target.value
            if type(target) is cst.Attribute:
                return True
        if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in _IN_PLACE:
            if type(node.func.value) is cst.Attribute:
                return True
        if type(node) is cst.Call and _is_name(node.func, "setattr"):  # `setattr(device, field, value)`
            return True
    return False


def _continues_when_nothing_fails(stmt: cst.For | cst.While) -> bool:
    """Whether the loop's own body has a `continue` outside an `except` (a retry's `rollback();
    continue` runs only on failure), not counting loops or functions nested in it."""
    handlers = (cst.ExceptHandler, cst.ExceptStarHandler)
    return any(type(node) is cst.Continue for node in _own_loop_nodes(stmt.body.body, handlers))


# what has a `continue` and `break` of its own, or none of the loop's
_NESTED_SCOPES = (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _last_line(span: Span) -> int:
    """The last line a node is written on: a compound statement's span ends at the
    start of the next line."""
    if span.end_column == 1 and span.end_line > span.line:
        return span.end_line - 1
    return span.end_line


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (
        type(stmt) is cst.SimpleStatementLine
        and len(stmt.body) == 1
        and type(stmt.body[0]) is cst.Expr
        and type(stmt.body[0].value) in (cst.SimpleString, cst.ConcatenatedString)
    )


def _declares_global(function: cst.FunctionDef) -> bool:
    """Whether the function's body says `global` at its top level, where set-up functions say it
    (a cheap look, so that only those functions are walked)."""
    body = function.body.body if type(function.body) is cst.IndentedBlock else ()
    return any(
        type(line) is cst.SimpleStatementLine and any(type(small) is cst.Global for small in line.body) for line in body
    )


def own_nodes(function: cst.FunctionDef) -> Iterator[cst.CSTNode]:
    """The nodes of a function's own code, not of functions or classes nested in it (the
    codemods read the same)."""
    stack: list[cst.CSTNode] = list(function.body.children)
    while stack:
        node = stack.pop()
        if type(node) in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            continue
        yield node
        stack.extend(node.children)


def _global_assignments(function: cst.FunctionDef) -> list[tuple[str, cst.BaseExpression]]:
    """`name = value` in the function (not in functions or classes nested in it) for the names
    its `global` statements declare."""
    declared: set[str] = set()
    assignments: list[tuple[str, cst.BaseExpression]] = []
    for node in own_nodes(function):
        if type(node) is cst.Global:
            declared |= {item.name.value for item in node.names}
        elif type(node) is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
            assignments.append((node.targets[0].target.value, node.value))
    return [(name, value) for name, value in assignments if name in declared]


def _always_leaves(stmt: cst.CSTNode) -> bool:
    """A jump, or an `if` whose every branch (an `else` included) ends in one, or a `with`
    whose body does: a line added after it would never run."""
    if _is_jump(stmt):
        return True
    if type(stmt) is cst.If:
        branches = []
        current: cst.CSTNode | None = stmt
        while type(current) is cst.If:
            branches.append(current.body)
            current = current.orelse
        if current is None:
            return False  # no else: the code after it runs when no branch is taken
        branches.append(current.body)
        return all(type(b) is cst.IndentedBlock and b.body and _always_leaves(b.body[-1]) for b in branches)
    if type(stmt) is cst.With and type(stmt.body) is cst.IndentedBlock and stmt.body.body:
        return _always_leaves(stmt.body.body[-1])
    return False


def _leaves_every_time(branch: cst.BaseSuite) -> bool:
    """Whether an `if`'s block ends in `return`, `raise`, `break` or `continue` (on its own
    line or after the colon), so that the statements after the `if` run only when it is not taken."""
    if type(branch) is cst.SimpleStatementSuite:
        return type(branch.body[-1]) in (cst.Return, cst.Raise, cst.Break, cst.Continue)
    return type(branch) is cst.IndentedBlock and bool(branch.body) and _always_leaves(branch.body[-1])


def _written_truth(value: cst.BaseExpression) -> bool | None:
    """Whether a value written out is true: `True`, `False`, `None`, an integer, an empty
    container (`{}`, `[]`, `()`, `set()`: false) or `""` (false); None for anything else."""
    if type(value) is cst.Name and value.value in ("True", "False", "None"):
        return value.value == "True"
    if _an_empty_container(value) or type(value) is cst.SimpleString and string_value(value) == "":
        return False
    number = _integer(value)
    return number != 0 if number is not None else None


def _names_filled(small: cst.CSTNode) -> list[str]:
    """The locals a statement may give a true value: `x = <not a false value written out>`,
    `x += ...`, `x[k] = ...`, `x.append(...)` or any other method called on `x`."""
    if type(small) is cst.Assign:
        if _written_truth(small.value) is False:
            return []
        names = [name.value for target in small.targets for name in _target_names(target.target)]
        return names + [
            target.target.value.value
            for target in small.targets
            if type(target.target) is cst.Subscript and type(target.target.value) is cst.Name
        ]
    if type(small) is cst.AugAssign and type(small.target) is cst.Name:
        return [small.target.value]
    call = small.value if type(small) is cst.Expr else None
    if type(call) is cst.Call and type(call.func) is cst.Attribute and type(call.func.value) is cst.Name:
        return [call.func.value.value]
    return []


def _filled_only_under(
    test: cst.BaseExpression, fn: _FunctionBuilder, scope
) -> tuple[tuple[Guard, ...], tuple[Guard, ...]]:
    """`to_relink = []`, then `to_relink = list(...)` only under `if before:`, then `if
    to_relink:`: the test needs what every statement that fills the local needs (`before` true),
    as `if before:` would. Only for a local the function binds by plain statements alone (no
    `for`, `with ... as`, `:=` or parameter of that name)."""
    positive = not (type(test) is cst.UnaryOperation and type(test.operator) is cst.Not)
    name = test if positive else test.expression
    if type(name) is not cst.Name or scope is None or fn.body is None or name.value in fn.params:
        return (), ()
    filled = fn.filled_under.get(name.value)
    if not filled or not filled[0]:
        return (), ()
    common = set(filled[0]).intersection(*filled[1:])
    needs = tuple(guard for guard in filled[0] if guard in common)
    # the scan of the whole body last: most locals are filled outside any guard
    if not needs or scope.find(name.value) is not scope or not _bound_by_statements_only(name.value, fn.body):
        return (), ()
    return (needs, ()) if positive else ((), needs)


def _bound_by_statements_only(name: str, body: cst.BaseSuite) -> bool:
    """Whether no `for` target, `with ... as`, `:=`, `except ... as` or `import` binds `name`."""
    for node in _function_nodes(body):
        if type(node) in (cst.For, cst.CompFor) and any(n.value == name for n in _target_names(node.target)):
            return False
        if type(node) is cst.WithItem and node.asname is not None and _is_name(node.asname.name, name):
            return False
        if type(node) is cst.NamedExpr and _is_name(node.target, name):
            return False
        if type(node) is cst.ExceptHandler and node.name is not None and _is_name(node.name.name, name):
            return False
    return True


def _parameter_tests(
    test: cst.BaseExpression, fn: _FunctionBuilder, scope, following: frozenset[str] = frozenset()
) -> tuple[tuple[Guard, ...], tuple[Guard, ...]]:
    """What a branch's body and its `else` need of the parameters (see `_parameter_test`):
    `if tasks and in_background:` needs both true in its body, and says nothing of its `else`;
    `if a or b:` says nothing of its body, and needs both false in its `else`. `following`: the
    locals whose values are being read, so that `loud = loud and ready` reads its value once."""
    if type(test) is cst.BooleanOperation:
        guard = _membership_unless_none(test, fn, scope)
        if guard is not None:
            return (guard,), (_negated(guard),)
        left = _parameter_tests(test.left, fn, scope, following)
        right = _parameter_tests(test.right, fn, scope, following)
        if type(test.operator) is cst.And:
            # `if section == "frontend" and key == "offset": return`: what follows needs them
            # not all to hold, when every test of the `and` is one of a parameter
            every = _tests_joined_by_and(test, fn, scope)
            return left[0] + right[0], ((AllOf(every), False),) if every else ()
        return (), left[1] + right[1]
    guard = _parameter_test(test, fn, scope) or _new_row_test(test, fn, scope)
    if guard is not None:
        return (guard,), (_negated(guard),)
    counted = _positive_count_test(test, fn, scope)
    if counted is not None:
        # `if retries > 0:` runs only for a true `retries`; its `else` also for `-1`: no need
        return ((counted, True),), ()
    holder = _searched_parameter(test, fn, scope)
    if holder is not None:
        # `if card.id in ticks:` runs only when `ticks` holds something; `if card.id not in
        # ticks: continue` lets through only then
        needs = ((holder, True),)
        return (needs, ()) if type(test.comparisons[0].operator) is cst.In else ((), needs)
    # `execute_now = immediate and not from_content_app()`, then `if execute_now:` (or `if not
    # execute_now: return`): a local bound once to an `and` needs what the `and` needs
    positive = not (type(test) is cst.UnaryOperation and type(test.operator) is cst.Not)
    name = test if positive else test.expression
    if type(name) is not cst.Name or scope is None or name.value in following:
        return (), ()
    value = scope.only_value(name.value)
    if type(value) is cst.BooleanOperation and type(value.operator) is cst.And:
        needs = _parameter_tests(value, fn, scope, following | {name.value})[0]
        return (needs, ()) if positive else ((), needs)
    return (), ()


def _positive_count_test(test: cst.BaseExpression, fn: _FunctionBuilder, scope) -> str | None:
    """`retries > 0` (also `> 2`, `>= 1`, `0 < retries`), `retries` a parameter the body never
    assigns: the name, whose number is not 0 when the test holds; None for another test."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return None
    operator, right = type(test.comparisons[0].operator), test.comparisons[0].comparator
    if operator in (cst.GreaterThan, cst.GreaterThanEqual):
        tested, bound, strict = test.left, _integer(right), operator is cst.GreaterThan
    elif operator in (cst.LessThan, cst.LessThanEqual):
        tested, bound, strict = right, _integer(test.left), operator is cst.LessThan
    else:
        return None
    if type(tested) is not cst.Name or bound is None or bound < (0 if strict else 1):
        return None
    return tested.value if _kept_parameter(tested.value, fn, scope) else None


def _tests_joined_by_and(test: cst.BaseExpression, fn: _FunctionBuilder, scope) -> tuple[Guard, ...]:
    """The guards of `a and b and ...` when each operand is a test of one parameter (see
    `_parameter_test`); () when any is not."""
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.And:
        left = _tests_joined_by_and(test.left, fn, scope)
        right = _tests_joined_by_and(test.right, fn, scope) if left else ()
        return left + right if right else ()
    guard = _parameter_test(test, fn, scope) or _new_row_test(test, fn, scope)
    return (guard,) if guard is not None else ()


def _parameter_test(test: cst.BaseExpression, fn: _FunctionBuilder, scope) -> Guard | None:
    """`if created:` -> ("created", True) and `if not created:` -> ("created", False), when the
    name is a parameter of the function that its body never assigns; a Membership for
    `if "status" in update_fields:`; None for any other test."""
    truth = True
    while type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        test, truth = test.expression, not truth
    own = _own_attribute(test.left, fn, scope) if type(test) is cst.Comparison and len(test.comparisons) == 1 else None
    if own is not None:
        return _own_attribute_test(own, test.comparisons[0], truth)
    if type(test) is cst.Comparison and len(test.comparisons) == 1 and type(test.comparisons[0].operator) in _IN:
        member = string_value(test.left)
        within = test.comparisons[0]
        tested = _membership(member, within.comparator, fn, scope) if member is not None else None
        return (tested, truth == (type(within.operator) is cst.In)) if tested is not None else None
    if type(test) is cst.Comparison and len(test.comparisons) == 1:
        # `if remote is True:`, `if remote == False:`, `if remote is not True:`
        target = test.comparisons[0]
        tested = test.left.value if type(test.left) is cst.Name else None
        if _is_name(target.comparator, "None") and isinstance(target.operator, _TRUTH_COMPARISONS):
            # `if match is not None:`, `if match is None: return`
            if tested is None or not _kept_parameter(tested, fn, scope):
                return None
            return NoneTest(tested), truth == (type(target.operator) in (cst.Is, cst.Equal))
        written = string_value(target.comparator)
        if written is not None and type(target.operator) in (cst.Equal, cst.NotEqual):
            # `if data == "hot":`: a call that gives another string written out skips it
            if tested is None or not _kept_parameter(tested, fn, scope):
                return None
            return Equals(tested, written), truth == (type(target.operator) is cst.Equal)
        named = target.comparator if type(target.comparator) in (cst.Name, cst.Attribute) else None
        if named is not None and type(target.operator) in (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot):
            # `if action == update_dates:` (not `True`, `False`, `None`): a call that gives
            # another function skips it
            ref = _function_named(named, fn, scope)
            if ref is not None and tested is not None and _kept_parameter(tested, fn, scope):
                return SameFunction(tested, ref), truth == (type(target.operator) in (cst.Equal, cst.Is))
        written = target.comparator.value if type(target.comparator) is cst.Name else None
        if written in ("True", "False") and isinstance(target.operator, _TRUTH_COMPARISONS):
            negated = type(target.operator) in (cst.IsNot, cst.NotEqual)
            test, truth = test.left, truth == ((written == "True") != negated)
    own = _own_attribute(test, fn, scope) if type(test) is cst.Attribute else None
    if own is not None:
        return own, truth  # `if not self.dry_run:`: what the instance was built with may settle it
    if type(test) is cst.Call:
        # `if kwargs.get("created", False):` on the function's own `**kwargs`: the keyword the call gives
        popped = _popped_flag(test, fn)
        return (popped, truth) if popped is not None else None
    if type(test) is cst.Name and not _kept_parameter(test.value, fn, scope):
        # `photo = kwargs.pop("photo", None)`, then `if photo:`: the keyword the call gives
        popped = _popped_flag(scope.only_value(test.value), fn) if scope is not None else None
        return (popped, truth) if popped is not None and scope.find(test.value) is scope else None
    return (test.value, truth) if type(test) is cst.Name and _kept_parameter(test.value, fn, scope) else None


def _popped_flag(expr: cst.BaseExpression | None, fn: _FunctionBuilder) -> str | None:
    """`kwargs.pop("photo", None)` (or `.get`, or a default of `False`, `0`, `""`) on the
    function's own `**kwargs`: false when the call gives no such keyword; `**photo`, a name no
    parameter has, for the call to settle."""
    looked_up = _own_keyword_lookup(expr, fn)
    if looked_up is None:
        return None
    text, value = looked_up
    falsy = _is_name(value, "None") or _is_name(value, "False") or string_value(value) == ""
    falsy = falsy or type(value) is cst.Integer and value.value == "0"
    return f"**{text}" if falsy else None


def _function_named(node: cst.BaseExpression, fn: _FunctionBuilder, scope) -> Ref | None:
    """`update_dates` or `tasks.update_dates` compared in a test: where to look it up (a name of
    the module, or what an import of the function binds); None for `True`, `False`, `None`, a
    parameter or another local."""
    head = node
    while type(head) is cst.Attribute:
        head = head.value
    if type(head) is not cst.Name or (type(node) is cst.Name and node.value in ("True", "False", "None")):
        return None
    dotted = _dotted_of_module_expr(node)  # type: ignore[arg-type]
    if head.value in fn.params:
        return None
    owner = scope.find(head.value) if scope is not None else None
    if owner is None:
        return ("@", dotted)
    bound = owner.names.get(head.value)
    return (bound[0], bound[1] + dotted[len(head.value) :]) if bound is not None else None


def _bound_first(body: cst.BaseSuite | None, name: str) -> bool:
    """Whether a statement of the function's body itself, outside any block, binds `name` (its
    only binding, so what the caller gave is gone wherever it is read)."""
    for statement in body.body if isinstance(body, cst.IndentedBlock) else ():
        if type(statement) in (cst.Try, cst.With) and _bound_first(statement.body, name):
            return True  # the body of a `try:` or `with` at the top runs, up to a raise
        for small in statement.body if type(statement) is cst.SimpleStatementLine else ():
            if type(small) is cst.Assign and any(_is_name(t.target, name) for t in small.targets):
                return True
            if type(small) is cst.AnnAssign and small.value is not None and _is_name(small.target, name):
                return True
    return False


def _own_attribute(node: cst.BaseExpression, fn: _FunctionBuilder, scope) -> str | None:
    """`self.action` in a method that never rebinds `self`: its subject, "[self].action"."""
    if fn.class_name is None or not fn.params or type(node) is not cst.Attribute:
        return None
    own = fn.params[0]
    if not _is_name(node.value, own) or (scope is not None and own in scope.assigned):
        return None
    return OWN_ATTRIBUTE + node.attr.value


def _own_attribute_test(subject: str, within: cst.ComparisonTarget, truth: bool) -> Guard | None:
    """`self.action == "retrieve"` -> (Equals("[self].action", "retrieve"), True); `self.action
    in ["update", "partial_update"]` -> an AllOf of it being neither, False; None when a value
    compared is not a string written out."""
    if type(within.operator) in (cst.Equal, cst.NotEqual):
        written = string_value(within.comparator)
        return (Equals(subject, written), truth == (type(within.operator) is cst.Equal)) if written else None
    if type(within.operator) not in _IN or type(within.comparator) not in (cst.List, cst.Tuple, cst.Set):
        return None
    values = [string_value(e.value) for e in within.comparator.elements]
    if not values or not all(values):
        return None
    inside = truth == (type(within.operator) is cst.In)
    if len(values) == 1:
        return Equals(subject, values[0]), inside
    return AllOf(tuple((Equals(subject, value), False) for value in values)), not inside


def _new_row_test(test: cst.BaseExpression, fn: _FunctionBuilder, scope) -> Guard | None:
    """In a method: `if not self.pk:`, `if self.id is None:`, `if self._state.adding:`, or a
    local bound once to one (`created = not bool(self.id)`, then `if not created:`): a test of
    whether the method's own row is new, which what a call knows of the instance settles (a
    row a query read is not). (NEW_ROW, True) when the branch runs for a new row."""
    if fn.class_name is None or not fn.params or scope is None:
        return None
    own = fn.params[0]
    truth = True
    for _ in range(2):  # the local's value, once
        while True:
            if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
                test, truth = test.expression, not truth
            elif type(test) is cst.Call and _is_name(test.func, "bool") and len(test.args) == 1:
                test = test.args[0].value
            else:
                break
        if (
            type(test) is cst.Comparison
            and len(test.comparisons) == 1
            and _is_name(test.comparisons[0].comparator, "None")
        ):
            operator = type(test.comparisons[0].operator)
            if operator not in (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual):
                return None
            test, truth = test.left, truth != (operator in (cst.Is, cst.Equal))
        if type(test) is cst.Attribute and test.attr.value in ("pk", "id") and _is_name(test.value, own):
            return NEW_ROW, not truth  # a key set: the row was saved before
        if (
            type(test) is cst.Attribute
            and test.attr.value == "adding"
            and type(test.value) is cst.Attribute
            and test.value.attr.value == "_state"
            and _is_name(test.value.value, own)
        ):
            return NEW_ROW, truth
        if type(test) is not cst.Name or test.value == own:
            return None
        test = scope.only_value(test.value)
        if test is None:
            return None
    return None


def _searched_parameter(test: cst.BaseExpression, fn: _FunctionBuilder, scope) -> str | None:
    """The parameter `x in ticks` or `x not in ticks` searches, when a search that finds
    something tells it is not empty: a parameter the body never assigns, or rebinds only to a
    false value written out (`if ticks is None: ticks = {}`)."""
    if not (type(test) is cst.Comparison and len(test.comparisons) == 1):
        return None
    within = test.comparisons[0]
    if type(within.operator) not in _IN or type(within.comparator) is not cst.Name:
        return None
    name = within.comparator.value
    return name if _kept_parameter(name, fn, scope) or _only_made_false(name, fn, scope) else None


_TRUTH_COMPARISONS = (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual)
_IN = (cst.In, cst.NotIn)


def _membership_unless_none(test: cst.BooleanOperation, fn: _FunctionBuilder, scope) -> tuple[Membership, bool] | None:
    """`update_fields is not None and "status" in update_fields` (or `update_fields and ...`), and
    `update_fields is None or "status" not in update_fields` (or `not update_fields or ...`), with
    `update_fields=None` the parameter's default: one test of the membership, whose value when
    the call leaves the parameter out is that of the whole test."""
    absent = _tested_for_absence(test.left)  # `not update_fields`, `update_fields is None`
    if absent is not None:
        named, present = absent, False
    elif type(test.left) is cst.Comparison and len(test.left.comparisons) == 1:
        within = test.left.comparisons[0]
        if type(within.operator) is not cst.IsNot or not _is_name(within.comparator, "None"):
            return None
        named, present = test.left.left, True
    else:
        named, present = test.left, True
    conjunction = type(test.operator) is cst.And
    if type(named) is not cst.Name or present != conjunction or named.value not in fn.none_defaults:
        return None
    tested = _parameter_test(test.right, fn, scope)
    if tested is None or type(tested[0]) is not Membership or tested[0].container != named.value:
        return None
    membership, truth = tested
    # left out: `None is not None and ...` is false, so the membership counts as `not truth`;
    # `None is None or ...` is true, so it counts as `truth`
    return replace(membership, default=truth != conjunction), truth


def _membership(member: str, container: cst.BaseExpression, fn: _FunctionBuilder, scope) -> Membership | None:
    """`"status" in update_fields`, `update_fields` a parameter the body never assigns; or in
    `kwargs["update_fields"]` or `kwargs.get("update_fields", ["status"])`, `kwargs` the
    function's own `**kwargs`, never assigned (`.pop()` and the like are calls, not bindings:
    only `.get()` and a subscript are read)."""
    if type(container) is cst.Name:
        # `data["active"] = True` or `data.update(...)` before the test: the call's keys no longer decide
        kept = _kept_parameter(container.value, fn, scope) and not _changed_container(container.value, fn)
        return Membership(member, container.value) if kept else None
    keyword, default = None, None
    if type(container) is cst.Subscript and len(container.slice) == 1:
        index = container.slice[0].slice
        holder = container.value
        keyword = string_value(index.value) if type(index) is cst.Index else None
    elif (
        type(container) is cst.Call
        and type(container.func) is cst.Attribute
        and container.func.attr.value == "get"
        and 1 <= len(container.args) <= 2
        and not any(arg.star or arg.keyword is not None for arg in container.args)
    ):
        holder = container.func.value
        keyword = string_value(container.args[0].value)
        if len(container.args) == 2:
            written = _string_items(container.args[1].value)
            default = member in written if written is not None else None
    else:
        return None
    if keyword is None or type(holder) is not cst.Name or holder.value != fn.kwargs:
        return None
    if not _kept_parameter(holder.value, fn, scope) or _changed_container(holder.value, fn):
        return None
    return Membership(member, f"**{keyword}", default)


_MAPPING_CHANGES = frozenset({"setdefault", "update", "pop", "popitem", "clear", "__setitem__", "__delitem__"})
# and what changes a list or a set
_CONTAINER_CHANGES = _MAPPING_CHANGES | {
    "append",
    "extend",
    "insert",
    "remove",
    "add",
    "discard",
    "__ior__",
    "__iadd__",
}


def _changed_container(name: str, fn: _FunctionBuilder) -> bool:
    """Whether the function's body may change the dict (or list) `name` holds: an item assigned
    or deleted (`kwargs["x"] = ...`, `del kwargs["x"]`), `name |= ...` or `name += ...`, a method
    that changes it (`kwargs.setdefault(...)`, `.update()`, `.pop()`, `.append()`), also called on
    its type (`dict.update(kwargs, x=1)`), or another name bound to it (`d = kwargs`). A helper
    given it may change it too: that is not read."""
    if fn.body is None:
        return True
    stack: list[cst.CSTNode] = [fn.body]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is cst.Subscript and type(node.value) is cst.Name and node.value.value == name:
            continue  # a read; an assignment or `del` of it is caught at the statement
        if kind in (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.Del):
            targets = [t.target for t in node.targets] if kind is cst.Assign else [node.target]
            if any(type(t) is cst.Subscript and _is_name(t.value, name) for t in targets):
                return True
            if kind is cst.AugAssign and _is_name(node.target, name):
                return True
            if kind in (cst.Assign, cst.AnnAssign) and node.value is not None and _is_name(node.value, name):
                return True  # an alias, which may be changed in its stead
        elif kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in _CONTAINER_CHANGES:
            if _is_name(node.func.value, name):
                return True
            first = node.args[0].value if node.args and not node.args[0].star else None
            if type(node.func.value) is cst.Name and node.func.value.value in ("dict", "list", "set"):
                if first is not None and _is_name(first, name):
                    return True
        stack.extend(node.children)
    return False


def _returns_what_is_cached(stmt: cst.If, rest, fn: _FunctionBuilder) -> bool:
    """`if _settings is not None: return _settings` (or `if _settings:`), `_settings` a global the
    function declares and assigns below; or `if "settings" in current_app.config: return ...`,
    with `current_app.config["settings"] = ...` below: a cache of the process, filled once. The
    statements below are read only for a test of that shape."""
    test = stmt.test
    # `if not from_db and "k" in cache:`: a parameter that asks past the cache is the exception
    while type(test) is cst.BooleanOperation and type(test.operator) is cst.And:
        if not _parameter_tests(test.left, fn, None)[0]:
            break
        test = test.right
    key = holder = None
    if type(test) is cst.Comparison and len(test.comparisons) == 1:
        within = test.comparisons[0]
        if type(within.operator) is cst.IsNot and _is_name(within.comparator, "None"):
            test = test.left
        elif type(within.operator) is cst.In and type(within.comparator) is cst.Attribute:
            key, holder = string_value(test.left), render(within.comparator)
            if key is None:
                return False
    if holder is None and not (type(test) is cst.Name and test.value in fn.declared_globals):
        return False
    for node in _function_nodes(rest):
        for target in (t.target for t in node.targets) if type(node) is cst.Assign else ():
            if holder is None:
                if _is_name(target, test.value):  # type: ignore[attr-defined]
                    return True
            elif (
                type(target) is cst.Subscript
                and len(target.slice) == 1
                and type(target.slice[0].slice) is cst.Index
                and string_value(target.slice[0].slice.value) == key
                and render(target.value) == holder
            ):
                return True
    return False


def _module_constant(value: cst.BaseExpression, scope) -> bool:
    """A value written out (`"browser"`, `1`), a name the function does not bind (a module's
    constant, an import: `DOMAIN`, `settings.SITE_ID`), or an f-string of those."""
    if string_value(value) is not None or _integer(value) is not None:
        return True
    if type(value) is cst.FormattedString:
        return all(
            type(part) is cst.FormattedStringText or _module_constant(part.expression, scope) for part in value.parts
        )
    while type(value) is cst.Attribute:
        value = value.value
    return type(value) is cst.Name and (scope is None or scope.find(value.value) is None)


def _filters_by_constants(call: cst.Call) -> bool:
    """`filter_by(name="browser")`, `filter(Setting.env == "production", Setting.active == True)`:
    a filter whose every condition compares a column with a value written out."""
    if type(call.func) is not cst.Attribute or call.func.attr.value not in _FILTER_METHODS or not call.args:
        return False
    for arg in call.args:
        value = arg.value
        if arg.star:
            return False
        if arg.keyword is None:
            if not (type(value) is cst.Comparison and len(value.comparisons) == 1):
                return False
            if type(value.comparisons[0].operator) is not cst.Equal:
                return False
            value = value.comparisons[0].comparator
        if string_value(value) is None and _written_truth(value) is None:
            return False
    return True


def _tested_for_absence(test: cst.BaseExpression) -> cst.Name | None:
    """`x` of `if x is None:` or `if not x:`."""
    tested = _absent_subject(test)
    return tested if type(tested) is cst.Name else None


def _absent_subject(test: cst.BaseExpression) -> cst.BaseExpression | None:
    """What `if x is None:` or `if not x:` tests: `x`, `cls._instance`."""
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return test.expression
    if (
        type(test) is cst.Comparison
        and len(test.comparisons) == 1
        and type(test.comparisons[0].operator) is cst.Is
        and _is_name(test.comparisons[0].comparator, "None")
    ):
        return test.left
    return None


def _assigned_values(name: str, body: cst.BaseSuite) -> list[cst.BaseExpression]:
    """What a function's statements assign a local name (`x = ...`, one of the targets)."""
    return [
        node.value
        for node in _function_nodes(body)
        if type(node) is cst.Assign and any(_is_name(target.target, name) for target in node.targets)
    ]


def _refills_its_cache(stmt: cst.If, fn: _FunctionBuilder, scope) -> bool:
    """`plugins = cache.get(KEY)`, then `if not plugins:` (or `is None`) with `cache.set(KEY, ...)`
    in the block: the block runs when the cache misses, once per expiry and not once per request.
    The key must be a module's constant or written out (`_module_constant`): a key built from
    the function's own names (one per user) misses for each of them."""
    tested = _tested_for_absence(stmt.test)
    if tested is None or scope is None or scope.find(tested.value) is not scope or fn.body is None:
        return False
    reads = [
        value
        for value in _assigned_values(tested.value, fn.body)
        if type(value) is cst.Call
        and type(value.func) is cst.Attribute
        and value.func.attr.value == "get"
        and value.args
        and value.args[0].keyword is None
    ]
    if not reads:
        return False
    for read in reads:
        key = read.args[0].value
        if not _module_constant(key, scope):
            continue
        for node in _function_nodes(stmt.body.body if type(stmt.body) is cst.IndentedBlock else [stmt.body]):
            if (
                type(node) is cst.Call
                and type(node.func) is cst.Attribute
                and node.func.attr.value == "set"
                and node.args
                and node.func.value.deep_equals(read.func.value)
                and node.args[0].value.deep_equals(key)
            ):
                return True
    return False


def _builds_a_global_once(stmt: cst.If, fn: _FunctionBuilder) -> bool:
    """`global _vault` and then `if _vault is None: _vault = Vault(...)`: the block builds a
    module global the first time only, once per process, whatever calls the function. Also
    `if _thread is None or not _thread.is_alive():`, which builds it again only if it died,
    and a class attribute of the method's own class (`if cls._instance is None:
    cls._instance = Worker()`), which the process keeps as it keeps a global."""
    test = stmt.test
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.Or:
        slot = _absent_subject(test.left)
        checked = test.right.expression if type(test.right) is cst.UnaryOperation else test.right
        if type(checked) is cst.Call:
            checked = checked.func
        if slot is None or not (type(checked) is cst.Attribute and checked.value.deep_equals(slot)):
            return False
    else:
        slot = _absent_subject(test)
    if slot is None or not _kept_by_the_process(slot, fn) or type(stmt.body) is not cst.IndentedBlock:
        return False
    return any(
        type(line) is cst.SimpleStatementLine
        and any(
            type(small) is cst.Assign and any(t.target.deep_equals(slot) for t in small.targets) for small in line.body
        )
        for line in stmt.body.body
    )


def _kept_by_the_process(slot: cst.BaseExpression, fn: _FunctionBuilder) -> bool:
    """A name the function declares `global`, or an attribute of its own class."""
    if type(slot) is cst.Name:
        return slot.value in fn.declared_globals
    return _own_class_attribute(slot, fn) is not None


def _own_class_attribute(expr: cst.BaseExpression, fn: _FunctionBuilder) -> str | None:
    """`_instance` of `cls._instance` in a classmethod, or of `Worker._instance` in a method of
    `Worker`."""
    if type(expr) is not cst.Attribute or type(expr.value) is not cst.Name or fn.class_name is None:
        return None
    owner = expr.value.value
    if owner == fn.class_name.rsplit(".", 1)[-1] or (owner == "cls" and fn.params[:1] == ("cls",)):
        return expr.attr.value
    return None


def _popped_keyword(expr: cst.BaseExpression, fn: _FunctionBuilder) -> str | None:
    """`kwargs.pop("copy_from", [])` (or `.get`) on the function's `**kwargs`, empty when the
    caller gives no such keyword: the loop over it runs over what that keyword is given;
    `**copy_from`, a name no parameter has, for the loop to be counted by."""
    looked_up = _own_keyword_lookup(expr, fn)
    if looked_up is None:
        return None
    text, value = looked_up
    empty = type(value) in (cst.List, cst.Tuple, cst.Set, cst.Dict) and not value.elements  # type: ignore[union-attr]
    return f"**{text}" if empty else None


def _own_keyword_lookup(expr: cst.BaseExpression | None, fn: _FunctionBuilder) -> tuple[str, cst.BaseExpression] | None:
    """("photo", its default) of `kwargs.pop("photo", None)` or `kwargs.get(...)` (None when
    `get` is given no default) on the function's own `**kwargs`, which its body never rebinds
    nor fills (`kwargs.setdefault(...)`, `kwargs["k"] = ...`, `kwargs = {...}`: not the
    caller's)."""
    if type(expr) is not cst.Call or type(expr.func) is not cst.Attribute or fn.kwargs is None:
        return None
    if not _is_name(expr.func.value, fn.kwargs) or expr.func.attr.value not in ("pop", "get"):
        return None
    if len(expr.args) != 2 and (len(expr.args) != 1 or expr.func.attr.value != "get"):
        return None  # `kwargs.pop("k")` raises for a keyword the call does not give
    if fn.body is None or _changes(fn.kwargs, fn.body) or not _only_assigned(fn.kwargs, fn.body, 0):
        return None
    if any(
        type(node) is cst.Call
        and not (type(node.func) is cst.Name and node.func.value in _BUILTIN_READERS)
        and any(not arg.star and _is_name(arg.value, fn.kwargs) for arg in node.args)
        for node in _function_nodes(fn.body)
    ):
        return None  # `fill(kwargs)`: a helper given the dict itself may put keys in it (not `len(kwargs)`)
    key, default = expr.args if len(expr.args) == 2 else (expr.args[0], cst.Arg(cst.Name("None")))
    text = string_value(key.value)
    if text is None or key.keyword is not None or default.keyword is not None or key.star or default.star:
        return None
    return text, default.value


def _looped_name(expr: cst.BaseExpression) -> str | None:
    """The name a loop runs over: `notes`, or `tags` of `tags.items()` (`.keys()`, `.values()`),
    also through `iter(...)`, `list(...)`, `set(...)`, `sorted(...)` or `enumerate(...)`, and `zones` of `set(zones)
    - existing` (a difference or an intersection holds at most what its left side holds), and
    `texts` of `range(len(texts))`."""
    while type(expr) is cst.BinaryOperation and type(expr.operator) in (cst.Subtract, cst.BitAnd):
        expr = expr.left
    if type(expr) is cst.Call and type(expr.func) is cst.Name and expr.func.value in _SAME_ITEMS:
        first, rest = (expr.args[0], expr.args[1:]) if expr.args else (None, ())
        # `enumerate(messages, 1)`: its start changes no count
        rest_ok = not rest or (expr.func.value == "enumerate" and len(rest) == 1 and not rest[0].star)
        if first is not None and not first.star and first.keyword is None and rest_ok:
            expr = first.value
    if type(expr) is cst.Call and _is_name(expr.func, "range") and len(expr.args) in (1, 2):
        # `range(len(texts))`, `range(1, len(texts))`: at most as many rounds as `texts` has items
        start, counted = (expr.args[0].value if len(expr.args) == 2 else None), expr.args[-1].value
        if (start is None or type(start) is cst.Integer) and not any(a.star or a.keyword for a in expr.args):
            if type(counted) is cst.Call and _is_name(counted.func, "len") and len(counted.args) == 1:
                expr = counted.args[0].value if not counted.args[0].star else expr
    if type(expr) is cst.Name:
        return expr.value
    if (
        type(expr) is cst.Call
        and not expr.args
        and type(expr.func) is cst.Attribute
        and type(expr.func.value) is cst.Name
        and expr.func.attr.value in ("items", "keys", "values")
    ):
        return expr.func.value.value
    return None


_CONTAINER_MAKERS = frozenset({"list", "dict", "set", "defaultdict", "OrderedDict"})
# the same, resolved: Python's and the standard library's, not a method of that name
_EMPTY_MAKERS = frozenset(
    {("", "list"), ("", "dict"), ("", "set"), ("", "collections.defaultdict"), ("", "collections.OrderedDict")}
)
# builtins that give the items of what they are given, no more
_SAME_ITEMS = frozenset({"iter", "list", "set", "frozenset", "tuple", "sorted", "reversed", "enumerate"})


def _an_empty_container(node: cst.BaseExpression) -> bool:
    """`[]`, `()`, `{}`, `set()`, `defaultdict(list)`, `collections.OrderedDict()`."""
    if type(node) in (cst.List, cst.Tuple, cst.Dict, cst.Set):
        return not node.elements
    if type(node) is not cst.Call:
        return False
    func = node.func
    name = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else ""
    made_empty = not node.args or (name == "defaultdict" and len(node.args) == 1 and node.args[0].keyword is None)
    return name in _CONTAINER_MAKERS and made_empty


def _keys_parameter(arg: cst.Arg, primary_keys: frozenset[str]) -> str | None:
    """The name in `id__in=doc_ids` or `Doc.id.in_(doc_ids)`, for a primary key column."""
    value = arg.value
    if arg.keyword is not None:
        column = arg.keyword.value.removesuffix("__in")
        listed = arg.keyword.value.endswith("__in")
        return value.value if listed and column in primary_keys and type(value) is cst.Name else None
    given = _in_a_name(value)
    if given is not None and type(given[0]) is cst.Attribute and given[0].attr.value in primary_keys:
        return given[1].value
    return None


def _kept_parameter(name: str, fn: _FunctionBuilder, scope) -> bool:
    """Whether a name is a parameter of the function that its body never assigns: it holds
    what the caller gave. Also one the `if` being read tests before any binding of it
    (`_read_before_bound`)."""
    return name in fn.params and (scope is None or name not in scope.assigned or name in scope.tested_as_given)


def _read_before_bound(stmt: cst.If, fn: _FunctionBuilder, scope: _Scope) -> frozenset[str]:
    """The parameters an `if` outside any loop tests that the function binds again only in
    that `if`'s body: `if readers:`, then `readers = [readers]` under it. The test reads what
    the caller gave, and so does its `else`."""
    if fn.body is None:
        return frozenset()
    tested = {
        node.value
        for node in _function_nodes([stmt.test])
        if type(node) is cst.Name and node.value in fn.params and node.value in scope.assigned
    }
    if not tested:
        return frozenset()
    inside = {id(node) for node in _function_nodes(stmt.body)}
    return frozenset(
        name
        for name in tested
        if all(bound in inside for bound in scope.bound_at.get(name, [None]))
        and _bound_by_statements_only(name, fn.body)
    )


def _counted_parameter(name: str, fn: _FunctionBuilder, scope) -> bool:
    """A kept parameter, or one the body assigns only to a map of itself, one item for one, or
    a filter of itself (`_maps_itself`): it holds no more items than the caller gave, though not
    the same values
    (`fields = [f.lower() for f in fields]`: a test of `"body" in fields` is not the caller's)."""
    return _kept_parameter(name, fn, scope) or _remapped_parameter(name, fn, scope)


def _refilled_parameter(name: str, fn: _FunctionBuilder, scope) -> bool:
    """A parameter the body binds again only when it is empty (`if not users: users =
    User.objects.all()`, also `if len(users) == 0:` or `if users is None:`), by plain
    assignments in that `if` and never filled: what the caller gives when it gives items, and
    any number of rows when it gives none (`FunctionFact.refilled`)."""
    return _rebound_only_under(name, fn, scope, _tests_empty, lambda value: True)


def _waits(stmt: cst.While) -> bool:
    """A `while` loop that waits for something rather than going over items: its test is no
    name's truth nor a length (`while rows:`, `while i < len(rows):`), and its body takes no
    item out of anything (`rows.pop()`, `next(it)`, `queue.get_nowait()`) nor indexes by a name
    (`rows[i]`): `while not all(r.ready() for r in results): time.sleep(1)`."""
    test = stmt.test
    while type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        test = test.expression
    if type(test) is cst.Name and test.value != "True":
        return False
    for node in _function_nodes([stmt.test, stmt.body]):
        if type(node) is cst.Call and _is_name(node.func, "len"):
            return False
        if type(node) is cst.Call and (
            _is_name(node.func, "next")
            or type(node.func) is cst.Attribute
            and node.func.attr.value in ("pop", "popleft", "popitem", "get_nowait")
        ):
            return False
        if type(node) is cst.Subscript and any(
            type(element.slice) is cst.Index and type(element.slice.value) is cst.Name for element in node.slice
        ):
            return False
    return True


def _listed_alone_parameter(name: str, fn: _FunctionBuilder, scope) -> bool:
    """A parameter the body binds again only to a list of itself alone, under a test that it is
    not a list already (`if not isinstance(users, list): users = [users]`): what the caller
    gives when it gives a list, one item when it gives one object; and one round, not none,
    when it gives None (so `FunctionFact.refilled`)."""

    def alone(value: cst.BaseExpression) -> bool:
        return (
            type(value) in (cst.List, cst.Tuple, cst.Set)
            and len(value.elements) == 1  # type: ignore[attr-defined]
            and _is_name(value.elements[0].value, name)  # type: ignore[attr-defined]
        )

    return _rebound_only_under(name, fn, scope, _tests_not_a_list, alone)


def _rebound_only_under(
    name: str,
    fn: _FunctionBuilder,
    scope,
    tests: Callable[[cst.BaseExpression, str], bool],
    binds: Callable[[cst.BaseExpression], bool],
) -> bool:
    """Whether the body binds the parameter `name` again only by plain assignments (`name =
    value`, a value `binds` accepts) in the body of `if`s whose test `tests` accepts, and never
    fills it in place; if so the function's facts say so (`FunctionFact.refilled`): a call that
    gives it nothing may still loop over what the body binds."""
    if fn.body is None or name not in fn.params or scope is None or scope.find(name) is not scope:
        return False
    if name not in scope.assigned or _changes(name, fn.body):
        return False
    rebinds = [
        small
        for node in _function_nodes(fn.body)
        if type(node) is cst.If and tests(node.test, name)
        for statement in _suite_statements(node.body)
        for small in (statement.body if type(statement) is cst.SimpleStatementLine else [statement])
        if type(small) is cst.Assign
        and len(small.targets) == 1
        and _is_name(small.targets[0].target, name)
        and binds(small.value)
    ]
    if not rebinds or not _only_assigned(name, fn.body, len(rebinds)):
        return False
    fn.refilled.add(name)
    return True


def _tests_not_a_list(test: cst.BaseExpression, name: str) -> bool:
    """`not isinstance(name, list)` (also `tuple`, `set`, or a tuple of those)."""
    if type(test) is not cst.UnaryOperation or type(test.operator) is not cst.Not:
        return False
    call = test.expression
    if type(call) is not cst.Call or not _is_name(call.func, "isinstance") or len(call.args) != 2:
        return False
    kinds = call.args[1].value
    names = [e.value for e in kinds.elements] if type(kinds) is cst.Tuple else [kinds]
    return _is_name(call.args[0].value, name) and all(
        type(kind) is cst.Name and kind.value in ("list", "tuple", "set") for kind in names
    )


def _tests_empty(test: cst.BaseExpression, name: str) -> bool:
    """`not users`, `not len(users)`, `len(users) == 0`, `users is None`."""
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        inner = test.expression
        return _is_name(inner, name) or _length_of(inner, name)
    if type(test) is cst.Comparison and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if type(target.operator) is cst.Is and _is_name(test.left, name):
            return _is_name(target.comparator, "None")
        if type(target.operator) is cst.Equal and _length_of(test.left, name):
            return type(target.comparator) is cst.Integer and target.comparator.value == "0"
    return False


def _length_of(expr: cst.BaseExpression, name: str) -> bool:
    return (
        type(expr) is cst.Call
        and _is_name(expr.func, "len")
        and len(expr.args) == 1
        and _is_name(expr.args[0].value, name)
    )


def _remapped_parameter(name: str, fn: _FunctionBuilder, scope) -> bool:
    """A parameter the body assigns, only to maps of itself, one item for one."""
    return name in fn.params and scope is not None and name in scope.assigned and scope.remapped.get(name, False)


def _maps_itself(value: cst.BaseExpression, name: str) -> bool:
    """`{k: str(v) for k, v in items.items()}`, `[n.lower() for n in names]` (one `for`),
    `list(names)`, `sorted(names)`: as many items as `name` holds, one for each; with an `if`
    (`[e for e in emails if e not in BLOCKED]`), no more than it holds."""
    if type(value) in (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp):
        if value.for_in.inner_for_in is not None:  # type: ignore[attr-defined]
            return False
        return _is_name(_items_of(_listed(value.for_in.iter)), name)  # type: ignore[attr-defined]
    listed = _listed(value)
    return listed is not value and _is_name(listed, name)


def _unpacked_at(args) -> int | None:
    """How many positional arguments come before the first `*x`; None without one."""
    before = 0
    for arg in args:
        if arg.star == "*":
            return before
        if arg.keyword is None and not arg.star:
            before += 1
    return None


def _unpacked_parameter(args, fn: _FunctionBuilder, scope) -> str | None:
    """`f(album, *files)`: `files`, when it is a parameter the caller fills, the one `*` of the
    call, with no `**`."""
    stars = [arg for arg in args if arg.star]
    if len(stars) != 1 or stars[0].star != "*" or type(stars[0].value) is not cst.Name:
        return None
    name = stars[0].value.value
    return name if _kept_parameter(name, fn, scope) else None


def _given_by_caller(name: str, fn: _FunctionBuilder, scope) -> bool:
    """A kept parameter other than a method's `self` or `cls`: a value the call site names."""
    bound = fn.class_name is not None and fn.params[:1] == (name,)
    return not bound and _kept_parameter(name, fn, scope)


def _only_made_false(name: str, fn: _FunctionBuilder, scope) -> bool:
    """A parameter the body rebinds, only ever to a false value written out (`immediate =
    False`): it is false wherever the caller gave it false."""
    return (
        name in fn.params
        and scope is not None
        and name in scope.assigned
        and name not in scope.made_true
        and scope.find(name) is scope
    )


def _parameter_method(func: cst.BaseExpression, fn: _FunctionBuilder, scope) -> str | None:
    """ "func.delay" for `func.delay(...)`, `func` a parameter the caller gives (`_given_by_caller`)."""
    if type(func) is cst.Attribute and type(func.value) is cst.Name:
        if _given_by_caller(func.value.value, fn, scope):
            return f"{func.value.value}.{func.attr.value}"
    return None


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return type(node) is cst.Name and node.value == name


def _negated(guard: Guard) -> Guard:
    return (guard[0], not guard[1])


def _is_jump(stmt: cst.CSTNode) -> bool:
    return type(stmt) is cst.SimpleStatementLine and type(stmt.body[-1]) in (
        cst.Return,
        cst.Raise,
        cst.Break,
        cst.Continue,
    )


def _integer(node: cst.BaseExpression | None) -> int | None:
    if type(node) is cst.Integer:
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return None
    return None


def _dict_pairs(node: cst.BaseExpression) -> tuple[tuple[str, str | None], ...]:
    """`{"a.task": "q1", "b.*": {"queue": "q2"}}` -> (("a.task", "q1"), ("b.*", "q2"))."""
    if type(node) is not cst.Dict:
        return ()
    pairs = []
    for element in node.elements:
        if type(element) is not cst.DictElement:
            continue
        key = string_value(element.key)
        if key is None:
            continue
        value = string_value(element.value)
        if value is None and type(element.value) is cst.Dict:
            value = dict(_dict_pairs(element.value)).get("queue")
        pairs.append((key, value))
    return tuple(pairs)


def _string_items(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The strings of `["a", "b"]`, or the string keys of `{"a": 1}`, all of them written out:
    None for another element (`*rest`, `**extra`, a name)."""
    if type(node) in (cst.List, cst.Tuple, cst.Set):
        values = [string_value(e.value) if type(e) is cst.Element else None for e in node.elements]
    elif type(node) is cst.Dict:
        values = [string_value(e.key) if type(e) is cst.DictElement else None for e in node.elements]
    else:
        return None
    return tuple(values) if all(v is not None for v in values) else None  # type: ignore[arg-type]


def _string_nodes(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """A string literal, or the string literals of a tuple/list/set literal."""
    if string_value(node) is not None:
        return [node]
    if type(node) in (cst.List, cst.Tuple, cst.Set):
        return [e.value for e in node.elements if string_value(e.value) is not None]
    return []


def _static_text(node: cst.BaseExpression) -> str:
    """A log message's literal text; the fixed parts of an f-string or a `%`/`.format` template."""
    text = string_value(node)
    if text is not None:
        return text
    if type(node) is cst.FormattedString:
        return "".join(p.value for p in node.parts if type(p) is cst.FormattedStringText)
    if type(node) is cst.BinaryOperation:
        return _static_text(node.left)
    if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "format":
        return _static_text(node.func.value)
    if type(node) is cst.ConcatenatedString:
        return _static_text(node.left) + _static_text(node.right)
    return ""


def _argument(call: cst.Call, position: int | None, keyword: str | None) -> cst.BaseExpression | None:
    """The argument at `position` or named `keyword` ("status|status_code": either name)."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    names = keyword.split("|") if keyword is not None else []
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names:
            return arg.value
    if position is not None and -len(positional) <= position < len(positional):
        return positional[position].value
    return None


def _sent(signature: Ref | None) -> Ref | None:
    """`task.s` in a canvas: sent as `task.s(...).delay()` is."""
    return (signature[0], f"{signature[1]}().delay") if signature is not None else None


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")  # `HTTPStop`: HTTP, Stop; `CANCELLED`: one word


def _identifier_parts(name: str) -> list[str]:
    """The words of an identifier, lower case: `is_cancelled` and `isCancelled` are
    ["is", "cancelled"]; `fstop` is one word, not "stop"."""
    return [part.lower() for part in _WORD.findall(name)]


def _mentions(node: cst.CSTNode, code: JobCode, scope: _Scope | None = None) -> bool:
    """Whether a response carries the job or its id: a key or keyword of `job_id_keys`
    (`{"job_id": ...}`); a variable that holds the job (`job_holders`) returned whole
    (`return job`, `return job, 202`) or given whole to a call (`JobSerializer(job).data`);
    or its id (`job_id_attributes`: `{"id": job.id}`, `f"/jobs/{job.id}"`, `job.to_dict()`),
    also through the local variables it returns (`body = {"job_id": ...}; return body, 202`)."""
    keys, holders = code.job_id_keys, code.job_holders
    whole = [node, *(e.value for e in node.elements)] if type(node) is cst.Tuple else [node]
    if any(type(part) is cst.Name and part.value in holders for part in whole):
        return True
    stack = [node]
    followed: set[str] = set()
    while stack:
        current = stack.pop()
        if type(current) is cst.Name and scope is not None and current.value not in followed:
            followed.add(current.value)
            owner = scope.find(current.value)
            if owner is not None and current.value in owner.values:
                stack.append(owner.values[current.value])
        if string_value(current) in keys if isinstance(current, cst.BaseExpression) else False:
            return True
        if type(current) is cst.Arg and current.keyword is not None and current.keyword.value in keys:
            return True
        if type(current) is cst.Arg and type(current.value) is cst.Name and current.value.value in holders:
            return True  # `JobSerializer(instance=job)`: the job itself, with its id
        if (
            type(current) is cst.Attribute
            and type(current.value) is cst.Name
            and current.value.value in holders
            and current.attr.value in code.job_id_attributes
        ):
            return True  # `job.id`, `job.to_dict()`
        stack.extend(_children(current))
    return False


def _subscript_root(target: cst.BaseExpression) -> str | None:
    """`response` of `response["Location"]` and of `response.headers["Location"]`."""
    if type(target) is not cst.Subscript:
        return None
    node = _first_name(target.value)
    return node.value if type(node) is cst.Name else None


def _target_names(target: cst.BaseExpression) -> Iterator[cst.Name]:
    if type(target) is cst.Name:
        yield target
    elif type(target) in (cst.Tuple, cst.List):
        for element in target.elements:
            yield from _target_names(element.value)


def _chain(expr: cst.BaseExpression) -> list[tuple[str, cst.CSTNode]]:
    """`a.b(x).c` -> [("root", a), ("attr", b), ("call", b(x)), ("attr", c)], root first."""
    links: list[tuple[str, cst.CSTNode]] = []
    current = expr
    while True:
        if type(current) is cst.Call:
            links.append(("call", current))
            current = current.func
        elif type(current) is cst.Attribute:
            links.append(("attr", current))
            current = current.value
        else:
            links.append(("root", current))
            break
    links.reverse()
    # a call whose func is a bare name is the chain's root call: delete(M)
    if len(links) >= 2 and links[0][0] == "root" and links[1][0] == "call":
        links = links[1:]
    return links


# `HTTP_202_ACCEPTED`: how rest_framework.status and starlette.status name a status
_STATUS_NAME = re.compile(r"HTTP_([1-5][0-9][0-9])(?:_[A-Z0-9_]+)?")
_NAMED_PLACEHOLDER = re.compile(r"%\(\w+\)s")
_SQL_WRITE = re.compile(r"^\s*(DELETE|UPDATE|INSERT)\b", re.IGNORECASE)
_SQL_WHERE = re.compile(r"\bWHERE\b(?P<condition>.*)$", re.IGNORECASE | re.DOTALL)


def _parameter_nodes(params: cst.Parameters) -> list[cst.Param]:
    """The parameters of a function or a lambda, in order: positional-only, the others, the
    keyword-only ones, then `*args` and `**kwargs`."""
    nodes = [*params.posonly_params, *params.params, *params.kwonly_params]
    return nodes + [extra for extra in (params.star_arg, params.star_kwarg) if type(extra) is cst.Param]


def _class_written(body, read: Callable[[cst.BaseExpression], N | None]) -> dict[str, N]:
    """What a class's body writes out under names in capitals, bound once there (not again by
    `+=` or under an `if`: `_rebound_in`), as `read` says of each value (`_number_written`:
    `RETRY_ATTEMPTS = 3`; `_items_written`)."""
    found: dict[str, N] = {}
    seen: set[str] = _rebound_in(body)
    for name, value in _class_assignments(body):
        if not name.isupper():
            continue
        written = read(value)
        if name in seen or written is None:
            found.pop(name, None)
        else:
            found[name] = written
        seen.add(name)
    return found


def _filled_only_in_place(name: str, body: cst.CSTNode) -> bool:
    """Whether a function changes its local container `name` only by calls on it and keys set
    on it, in its own statements: the name is given to no call (`collect(seen, kinds)`), bound
    to no other name (`more = seen`), and neither a comprehension, a lambda nor a nested
    function names it (`[seen.add(k) for k in kinds]`)."""
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        if type(node) is cst.Call and any(_is_name(arg.value, name) for arg in node.args):
            return False
        if type(node) in (cst.Assign, cst.AnnAssign) and _is_name(node.value, name):  # type: ignore[union-attr]
            return False
        if type(node) in _NESTED_READERS and node is not body:
            inner: list[cst.CSTNode] = [node]
            while inner:
                current = inner.pop()
                if _is_name(current, name):
                    return False
                inner.extend(_children(current))
            continue
        stack.extend(_children(node))
    return True


_NESTED_READERS = (cst.FunctionDef, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _rebound_in(body) -> set[str]:
    """The names a class body binds other than by a plain `name = value` at its top: `+=`,
    or an assignment under an `if`, a `try`, a `for`..."""
    found: set[str] = set()
    for stmt in body:
        if type(stmt) in (cst.FunctionDef, cst.ClassDef):
            continue
        simple = type(stmt) in (cst.SimpleStatementLine, cst.SimpleStatementSuite)
        for node in _function_nodes([stmt]):
            if type(node) is cst.AugAssign or not simple and type(node) in (cst.AssignTarget, cst.AnnAssign):
                target = node.target  # type: ignore[union-attr]
                if type(target) is cst.Name:
                    found.add(target.value)
    return found


def _items_written(value: cst.BaseExpression) -> int | None:
    """How many items a list, tuple or set with none starred (`["a", "b"]`), or a dict with no
    `**`, writes out; else None."""
    if type(value) in (cst.Tuple, cst.List, cst.Set):
        if not any(type(e) is cst.StarredElement for e in value.elements):
            return len(value.elements)
    elif type(value) is cst.Dict and all(type(e) is cst.DictElement for e in value.elements):
        return len(value.elements)
    return None


def _number_written(value: cst.BaseExpression) -> float | None:
    """A finite number written out (`0x10`, `1_000`, `1e-1` too), else None."""
    if type(value) not in (cst.Integer, cst.Float):
        return None
    number = value.evaluated_value  # type: ignore[attr-defined]
    return float(number) if isinstance(number, (int, float)) and math.isfinite(number) else None


def _with_literal_spans(args: tuple[ArgFact, ...], nodes, spans: dict[int, Span]) -> tuple[ArgFact, ...]:
    return tuple(
        dataclasses.replace(arg, span=spans.get(id(node))) if node is not None else arg
        for arg, node in zip(args, nodes, strict=True)
    )


def _equality_column(node: cst.BaseExpression, model: cst.BaseExpression | None, unwrap, resolve) -> str | None:
    """`Model.column == value` -> "column", also `Model.column.in_(["a", "b"])` with a few values
    written out and `(Model.column == "a") | (Model.column == "b")`: a few rows of a unique
    column; anything else -> None."""
    if type(node) is cst.Comparison and len(node.comparisons) == 1:
        if type(node.comparisons[0].operator) is cst.Equal:
            column = _column_side(node, model, unwrap, resolve)
            if type(column) is cst.Attribute:
                return column.attr.value
    if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "in_":
        if len(node.args) == 1 and not node.args[0].star and _written_out(node.args[0].value):
            compared = cst.Comparison(node.func.value, [cst.ComparisonTarget(cst.Equal(), node.args[0].value)])
            return _equality_column(compared, model, unwrap, resolve)
    if type(node) is cst.BinaryOperation and type(node.operator) is cst.BitOr:
        left = _equality_column(node.left, model, unwrap, resolve)
        return left if left is not None and left == _equality_column(node.right, model, unwrap, resolve) else None
    return None


def _tested_column(node: cst.BaseExpression, model: cst.BaseExpression | None) -> list[str]:
    """The column of the model a condition asserts a state of, for a partial unique index's
    condition: `M.deleted_at.is_(None)`, `M.is_current.is_(True)`, `M.is_current`; none for
    a negation (`is_not(None)`, `!=`, `~M.is_deleted`: the rows outside such an index), nor
    for a condition not written on the model's name."""
    if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "is_":
        node = node.func.value
    if type(node) is cst.Attribute and model is not None and render(node.value) == render(model):
        return [node.attr.value]
    return []


def _in_a_name(node: cst.BaseExpression) -> tuple[cst.BaseExpression, cst.Name] | None:
    """`Model.column.in_(names)`: the column and the name."""
    if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "in_":
        if len(node.args) == 1 and not node.args[0].star and type(node.args[0].value) is cst.Name:
            return node.func.value, node.args[0].value
    return None


def _column_side(
    comparison: cst.Comparison, model: cst.BaseExpression | None, unwrap, resolve
) -> cst.BaseExpression | None:
    """In `A.x == B.y`, the side that is a column of the model written: the attribute of
    `model` when the model is known and one side is its attribute; None when both sides are
    attributes of other names (`Owner.id == oid` filtering Lead); else the first attribute.
    `unwrap` sees through a typing wrapper: SQLModel's `col(A.x)`."""
    sides = [unwrap(comparison.left), unwrap(comparison.comparisons[0].comparator)]
    attributes = [side for side in sides if type(side) is cst.Attribute]
    if model is not None and attributes:
        written = resolve(model) if type(model) in (cst.Name, cst.Attribute) else None
        owners = [resolve(side.value) if type(side.value) in (cst.Name, cst.Attribute) else None for side in attributes]
        for side, owner in zip(attributes, owners, strict=True):
            if render(side.value) == render(model) or (owner is not None and owner == written):
                return side
        # other names for certain only when written the same way (an import can be relative or absolute)
        if written is not None and all(owner is not None and owner[0] == written[0] for owner in owners):
            return None
    return attributes[0] if attributes else None


def _queried_expr(links, start: int) -> cst.BaseExpression | None:
    """The model of a query chain: `Model` in `Model.query` / `Model.objects`, or in `session.query(Model)`."""
    query_link = links[start - 1][1] if start >= 1 else None
    if type(query_link) is cst.Attribute:
        return query_link.value
    if type(query_link) is cst.Call and query_link.args:
        return query_link.args[0].value
    return None


def _unique_keys(node: cst.ClassDef, unique_types: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """Columns that identify one row of a model class: `primary_key=True` / `unique=True`
    columns and fields, fields of a unique type (Django's `OneToOneField`), SQLAlchemy
    `UniqueConstraint(...)` in `__table_args__`, Django `Meta.unique_together` and
    `UniqueConstraint(fields=[...])`."""
    keys: list[tuple[str, ...]] = []
    primary: list[str] = []  # every `primary_key=True` column: one key together (a composite key)
    body = node.body.body if type(node.body) is cst.IndentedBlock else []
    for stmt in body:
        if type(stmt) is cst.ClassDef and stmt.name.value == "Meta":
            keys.extend(_unique_keys(stmt, unique_types))
        if type(stmt) is cst.FunctionDef and stmt.name.value == "__table_args__":
            # `@declared_attr def __table_args__(cls): return (Index(..., cls.slug, unique=True),)`
            returned = [small.value for small in _small_statements(stmt.body) if type(small) is cst.Return]
            if len(returned) == 1 and returned[0] is not None:
                keys.extend(_constraint_columns(returned[0], False))
        # `email = Column(..., unique=True)`, `email: Mapped[str] = mapped_column(unique=True)`
        for name, value in _class_assignments([stmt]):
            _read_key_column(name, value, unique_types, keys, primary)
    return ((tuple(primary),) if primary else ()) + tuple(keys)


def _read_key_column(
    name: str, value: cst.BaseExpression, unique_types: frozenset[str], keys: list, primary: list
) -> None:
    """A class attribute's part of the keys: a unique column, a primary key column (`primary`),
    a constraint of `__table_args__`, `constraints` or `unique_together`."""
    if type(value) is cst.Call:
        if _called_name(value) in unique_types:
            keys.append((name,))
        for arg in value.args:
            if arg.keyword is None or arg.keyword.value not in ("primary_key", "unique"):
                continue
            if type(arg.value) is not cst.Name or arg.value.value != "True":
                continue
            if arg.keyword.value == "primary_key":
                primary.append(name)
            else:
                keys.append((name,))
    if name in ("__table_args__", "constraints", "unique_together"):
        keys.extend(_constraint_columns(value, name == "unique_together"))


# Django's foreign key fields: `workspace__slug=` goes through the model they name
_FOREIGN_KEY_FIELDS = ("ForeignKey", "OneToOneField")
# builtins that read what they are given and change nothing in it (`len(kwargs)`)
_BUILTIN_READERS = frozenset(
    (
        "len",
        "list",
        "dict",
        "set",
        "tuple",
        "sorted",
        "bool",
        "str",
        "repr",
        "print",
        "isinstance",
        "iter",
        "any",
        "all",
    )
)
# query methods whose results are the values of columns, not rows
_VALUE_QUERIES = ("values", "values_list", "dates", "datetimes")
# a manager on both sides: `tags = ManyToManyField(Tag, related_name="boards")`
_MANY_TO_MANY_FIELDS = ("ManyToManyField",)
# Django's contenttypes: the manager of the rows of a model whose generic foreign key points here
_GENERIC_RELATION_FIELDS = ("GenericRelation",)


def _string_lists(body) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Class attributes set to a list or tuple of strings written out (the last assignment of
    each name; one of any other value drops it): `http_method_names = ["get", "options"]`. A
    list of strings and names keeps its strings under `name*` (`actions = [publish, "archive"]`),
    and the names it lists, as written, under `name()` (`publish`, `tools.publish`)."""
    found: dict[str, tuple[str, ...]] = {}
    for name, value in _class_assignments(body):
        listed = type(value) in (cst.List, cst.Tuple)
        texts = [string_value(e.value) for e in value.elements] if listed else [None]
        strings = tuple(text for text in texts if isinstance(text, str))
        names = (
            tuple(
                _dotted_of_module_expr(e.value)
                for e in value.elements
                if _is_dotted(e.value)
                and not (type(e.value) is cst.Name and e.value.value in ("None", "True", "False"))
            )
            if listed
            else ()
        )
        for key in (name, f"{name}*", f"{name}()"):
            found.pop(key, None)
        if len(strings) == len(texts):
            found[name] = strings
        elif strings and listed:
            found[f"{name}*"] = strings
        if names:
            found[f"{name}()"] = names
    return tuple(found.items())


def _class_assignments(body) -> Iterator[tuple[str, cst.BaseExpression]]:
    """`name = value` and `name: T = value` in a class body, also a one-line body
    (`class Tiny: X = 1`): (name, value)."""
    for stmt in body:
        for small in stmt.body if type(stmt) in (cst.SimpleStatementLine, cst.SimpleStatementSuite) else ():
            if type(small) is cst.Assign and len(small.targets) == 1:
                target = small.targets[0].target
            elif type(small) is cst.AnnAssign and small.value is not None:
                target = small.target
            else:
                continue
            if type(target) is cst.Name and small.value is not None:
                yield target.value, small.value


def _generic_origin(func: cst.BaseExpression) -> cst.BaseExpression:
    """What a call of a generic class makes: `Celery` for `Celery[Task]("proj")`."""
    if type(func) is cst.Subscript and type(func.value) in (cst.Name, cst.Attribute):
        return func.value
    return func


def _binds(arg: cst.Arg, keyword: str) -> bool:
    """`bind=True` among a decorator's arguments."""
    return arg.keyword is not None and arg.keyword.value == keyword and _is_name(arg.value, "True")


def _raises_by_method(small: cst.BaseSmallStatement, fn: _FunctionBuilder) -> bool:
    """`self.retry(countdown=60)` as a statement of a bound task: Celery's `Retry` is raised."""
    if fn.raising is None or type(small) is not cst.Expr or type(small.value) is not cst.Call:
        return False
    func = small.value.func
    holder, methods = fn.raising
    return type(func) is cst.Attribute and _is_name(func.value, holder) and func.attr.value in methods


def _comprehended(rows: cst.BaseExpression) -> cst.BaseExpression:
    """What a comprehension of one `for` goes over (`xs` in `[f(x) for x in xs]`), or `rows`."""
    if type(rows) in (cst.ListComp, cst.SetComp, cst.GeneratorExp) and not rows.for_in.inner_for_in:
        return _listed(rows.for_in.iter)
    return rows


def _listed(iterated: cst.BaseExpression) -> cst.BaseExpression:
    """What `enumerate(x)`, `list(x)`, `sorted(x)` or `tuple(x)` go over: `x`, as many items."""
    while (
        type(iterated) is cst.Call
        and type(iterated.func) is cst.Name
        and iterated.func.value in ("enumerate", "list", "sorted", "tuple")
        and len(iterated.args) == 1
        and not iterated.args[0].star
    ):
        iterated = iterated.args[0].value
    return iterated


def _grown_list(small: cst.CSTNode) -> tuple[str, bool] | None:
    """`rows.append(x)`: (`rows`, True), one item; so are `seen.add(x)`, a key `by_id[k] = x`
    (or `counts[k] += 1`, `by_id.setdefault(k, x)`) and an item of one (`groups[k].append(x)`);
    `rows.extend(xs)`, `seen.update(xs)` or `rows += xs`: (`rows`, False), any number."""
    if type(small) is cst.AugAssign and type(small.target) is cst.Name:
        return small.target.value, False
    target = small.targets[0].target if type(small) is cst.Assign and len(small.targets) == 1 else None
    if type(small) is cst.AugAssign:
        target = small.target
    if type(target) is cst.Subscript:
        return (target.value.value, True) if type(target.value) is cst.Name else None
    call = small.value if type(small) is cst.Expr else None
    if type(call) is not cst.Call or type(call.func) is not cst.Attribute:
        return None
    held, method = call.func.value, call.func.attr.value
    if type(held) is cst.Subscript:
        held = held.value
    if type(held) is not cst.Name or method not in _FILLING_METHODS:
        return None
    return held.value, method not in ("extend", "update")


def _a_member(value: cst.BaseExpression) -> bool:
    """Whether a class attribute's value is an enumeration member's: a literal (`"done"`, `3`),
    a tuple that starts with one (`"low", _("Low")`), or `auto()`; also an operation or a name
    (`X1 = 1 << 2`, `ALL = A | B`, an alias): counted, so that a class of many is not read as few."""
    if type(value) is cst.Tuple and value.elements:
        value = value.elements[0].value
    if type(value) is cst.UnaryOperation:
        value = value.expression
    if type(value) in (cst.BinaryOperation, cst.Attribute):
        return True
    if type(value) is cst.Name:
        return value.value not in ("True", "False", "None")
    return isinstance(value, (cst.BaseString, cst.Integer, cst.Float)) or _called_name(value) == "auto"


def _named_times(name: str, function: cst.CSTNode) -> int:
    """How many times a function's body (its nested functions too) writes `name`."""
    count = 0
    stack = [function]
    while stack:
        node = stack.pop()
        if type(node) is cst.Name and node.value == name:
            count += 1
        stack.extend(_children(node))
    return count


def _last_name(expr: cst.BaseExpression | None) -> str | None:
    """`Area` of `Area` or `models.Area`; None for anything else."""
    last = expr.attr if type(expr) is cst.Attribute else expr
    return last.value if type(last) is cst.Name else None


def _called_name(node: cst.BaseExpression) -> str | None:
    """The last name of what a call calls: `ForeignKey` for `models.ForeignKey(...)` and
    `ForeignKey(...)`; None for no call, or a call of a call or a subscript."""
    return _last_name(node.func) if type(node) is cst.Call else None


def _columns(body) -> tuple[tuple[str, ...], int]:
    """A model class's own foreign key columns, and how many other columns it declares besides
    a primary key: what says whether it is a link model (`ProjectIndex` adds its bases').
    `ForeignKey(...)` (Django), or `Column(..., ForeignKey(...))` / `mapped_column(ForeignKey(...))`
    (SQLAlchemy); relationships are not columns."""
    foreign: list[str] = []
    others = 0
    for name, value in _class_assignments(body):
        called = _called_name(value)
        if called is None or type(value) is not cst.Call:  # (a call, for the type checker)
            continue
        if called == "ForeignKey" or (
            called in ("Column", "mapped_column") and any(_called_name(a.value) == "ForeignKey" for a in value.args)
        ):
            foreign.append(name)
        elif any(a.keyword is not None and a.keyword.value == "primary_key" for a in value.args):
            continue
        elif called in ("Column", "mapped_column") or (called.endswith("Field") and called != "ManyToManyField"):
            others += 1
    return tuple(foreign), others


def _composites(node: cst.ClassDef) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Attributes built from two or more of the class's own attributes: SQLAlchemy's
    `composite(Point, x, y)`, a generic relationship over `(object_type, object_id)`.
    Pinning such an attribute pins those columns."""
    body = node.body.body if type(node.body) is cst.IndentedBlock else []
    assigned: dict[str, cst.BaseExpression] = {}
    for stmt in body:
        if type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                if type(small) is cst.Assign and len(small.targets) == 1:
                    target = small.targets[0].target
                    if type(target) is cst.Name:
                        assigned[target.value] = small.value
    found = []
    for name, value in assigned.items():
        if type(value) is cst.Call:
            parts = [a.value.value for a in value.args if a.keyword is None and type(a.value) is cst.Name]
            columns = tuple(part for part in parts if part in assigned and part != name)
            if len(columns) >= 2:
                found.append((name, columns))
    return tuple(found)


def _constraint_columns(node: cst.BaseExpression, plain_tuples: bool) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    elements = node.elements if type(node) in (cst.Tuple, cst.List) else []
    if plain_tuples and elements and all(string_value(e.value) is not None for e in elements):
        return [tuple(string_value(e.value) or "" for e in elements)]  # unique_together = ("a", "b")
    for element in elements:
        value = element.value
        if plain_tuples and type(value) in (cst.Tuple, cst.List):
            found.extend(_constraint_columns(value, True))
        elif type(value) is cst.Call and render(value.func).endswith("UniqueConstraint"):
            columns = [_constraint_column(a.value) for a in value.args if a.keyword is None]
            for arg in value.args:
                if arg.keyword is not None and arg.keyword.value == "fields":
                    columns = list(_string_items(arg.value) or ())
            if columns and all(c is not None for c in columns):
                found.append(tuple(c for c in columns if c is not None))
        elif type(value) is cst.Call and render(value.func).endswith("Index") and _unique_index(value):
            # SQLAlchemy's `Index("uq_limit__tag", "tag", unique=True)`: its name, then its columns
            columns = [_constraint_column(a.value) for a in value.args[1:] if a.keyword is None and not a.star]
            condition = _partial_condition(value)
            if columns and all(c is not None for c in columns) and condition is not None:
                found.append(tuple(c for c in columns if c is not None) + condition)
    return found


# words of an index's SQL condition that name no column
_SQL_WORDS = frozenset({"and", "or", "not", "is", "null", "true", "false", "in", "like", "between"})


def _partial_condition(index: cst.Call) -> tuple[str, ...] | None:
    """What a partial unique index (`postgresql_where=text("is_current AND deleted_at IS
    NULL")`) is unique among: the columns its condition names, each as `?column` (a filter that
    pins the index's columns is one row when it tests these too); () for a whole index; None
    for a condition that is not a string written out."""
    for arg in index.args:
        if arg.keyword is None or not arg.keyword.value.endswith("_where"):
            continue
        value = arg.value
        if type(value) is cst.Call and len(value.args) == 1 and render(value.func).rsplit(".", 1)[-1] == "text":
            value = value.args[0].value
        sql = string_value(value)
        if sql is None:
            return None
        names = re.findall(r"[A-Za-z_][A-Za-z_0-9]*", re.sub(r"'[^']*'", "", sql))
        columns = sorted({name for name in names if name.lower() not in _SQL_WORDS})
        return tuple(f"?{column}" for column in columns) if columns else None
    return ()


def _constraint_column(value: cst.BaseExpression) -> str | None:
    """A column a constraint names: `"slug"`, or the attribute `cls.slug` (in a `declared_attr`
    `__table_args__`) or a column written before it in the class body, `slug`."""
    if type(value) is cst.Attribute and type(value.value) is cst.Name:
        return value.attr.value
    if type(value) is cst.Name:
        return value.value
    return string_value(value)


def _unique_index(call: cst.Call) -> bool:
    """`Index(..., unique=True)`."""
    unique = next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "unique"), None)
    return type(unique) is cst.Name and unique.value == "True"


def _raw_sql_shape(statement: cst.BaseExpression, orm: Orm, scope) -> tuple[str, str] | None:
    """`cursor.execute("DELETE FROM leads WHERE owner_id = %s")`, also through `text("...")`."""
    sql = _sql_text(statement, scope)
    if sql is None:
        return None
    write = _SQL_WRITE.match(sql)
    if write is None:
        return None
    operation = write.group(1).upper()
    if operation == "INSERT":
        return "row", "SQL INSERT of one row"
    where = _SQL_WHERE.search(sql)
    if where is None:
        return "bulk", f"SQL {operation} of every row of the table (no WHERE)"
    condition = where.group("condition").strip().lower()
    # a named placeholder (`%(id)s`, psycopg's and MySQLdb's) is one value, not a grouping
    values = _NAMED_PLACEHOLDER.sub("%s", condition)
    keys = "|".join(re.escape(key) for key in sorted(orm.primary_keys))
    key_equality = rf"(\w+\.)?({keys})\s*=\s*(%s|\?|:\w+|\$\d+|\d+)"
    # `id = :x`, or `id = :x AND user_id = :y` (the key, and more conditions: still one row at most)
    conjuncts = re.split(r"\s+and\s+", values.rstrip().rstrip(";"))
    only_and = " or " not in f" {values} " and "(" not in values  # no OR, no grouping
    if only_and and any(re.fullmatch(key_equality, part.strip()) for part in conjuncts):
        return "row", f"SQL {operation} of one row by primary key"
    return "bulk", f"SQL {operation} of every row matching {' '.join(condition.split())[:60]}"


def _sql_text(statement: cst.BaseExpression, scope, depth: int = 0) -> str | None:
    """The SQL a statement holds: a string, or what `text("...")` / `sql.SQL("...")` is given;
    an f-string, `"...".format(...)` or `"..." % (...)` with `%s` for each value put in
    (`f'UPDATE "{table}" SET ...'`, `'update {0} set _id=_id'.format(name)`); through a local
    bound once to one (`sql = text(...)`, then `connection.execute(sql)`)."""
    if depth > 3:
        return None
    if type(statement) is cst.Name and scope is not None:
        held = scope.only_value(statement.value)
        text = _sql_text(held, scope, depth + 1) if held is not None else None
        body = getattr(scope, "body", None)
        extended = [
            node
            for node in (_nodes_in_order(body) if body is not None else [])
            if type(node) is cst.AugAssign and _is_name(node.target, statement.value)
        ]
        # `sql += " AND source_type=?"`: the statement with every piece added (in the order
        # written), or nothing read when a piece is not text written out
        for node in extended:
            added = _sql_text(node.value, scope, depth + 1) if type(node.operator) is cst.AddAssign else None
            text = text + added if text is not None and added is not None else None
        return text
    if type(statement) is cst.FormattedString:
        return "".join(part.value if type(part) is cst.FormattedStringText else "%s" for part in statement.parts)
    if type(statement) is cst.BinaryOperation and type(statement.operator) is cst.Modulo:
        return _sql_text(statement.left, scope, depth + 1)
    if type(statement) is cst.Call and type(statement.func) is cst.Attribute and statement.func.attr.value == "format":
        written = string_value(statement.func.value)
        return re.sub(r"\{[^{}]*\}", "%s", written) if written is not None else None
    if type(statement) is cst.Call and statement.args:
        return _sql_text(statement.args[0].value, scope, depth + 1)  # text("...") / sql.SQL("...")
    return string_value(statement)


def _model_statement_links(links: list[tuple[str, cst.CSTNode]], orm: Orm) -> str | None:
    """The statement a chain's model class, named by itself, builds first (`Item.delete()...`,
    `model_statements` or `model_bulk_statements`); None for another chain."""
    if len(links) < 3 or [kind for kind, _ in links[:3]] != ["root", "attr", "call"]:
        return None
    model, built = links[0][1], links[1][1]
    assert type(built) is cst.Attribute
    operation = built.attr.value
    known = operation in orm.model_statements | orm.model_bulk_statements | orm.model_row_statements
    return operation if known and type(model) is cst.Name else None


def _statement_chain(statement: cst.BaseExpression | None) -> list[tuple[str, cst.CSTNode]]:
    """The chain of a statement from its first call on: `delete(M).where(...)`,
    `sa.delete(M).where(...)`, `db.delete(M).where(...)` all begin with the `delete(M)` call."""
    links = _chain(statement) if statement is not None else []
    first = next((index for index, (kind, _) in enumerate(links) if kind == "call"), None)
    return links[first:] if first is not None else []


def _owned_statement(func: cst.BaseExpression, orm: Orm) -> str | None:
    """`db.delete` with Flask-SQLAlchemy's `db` (`orm.statement_owners`): `sqlalchemy.delete`."""
    if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value in orm.statement_owners:
        return f"sqlalchemy.{func.attr.value}"
    return None


def _wraps_itself(name: str, value: cst.BaseExpression | None) -> bool:
    """`view = login_required(view)`, `view = cache_page(60)(view)`: a decorator applied by hand,
    its one argument the name it rebinds."""
    return (
        type(value) is cst.Call
        and len(value.args) == 1
        and value.args[0].keyword is None
        and not value.args[0].star
        and _is_name(value.args[0].value, name)
    )


def _excludes(call: cst.Call) -> bool:
    """Django's `.exclude(...)`: its conditions say which rows are left out."""
    return type(call.func) is cst.Attribute and call.func.attr.value == "exclude"


_FILTER_METHODS = frozenset({"filter", "filter_by", "where"})


def _narrows(call: cst.Call, orm: Orm) -> bool:
    """Whether a call of a query chain says which rows it holds: not `.exclude(...)`, nor a
    query method that leaves the rows as they are (`.only("pk")`, `.order_by("name")`,
    `.select_related(...)`), whose arguments are no conditions."""
    if type(call.func) is not cst.Attribute:
        return True
    method = call.func.attr.value
    return method != "exclude" and (method in _FILTER_METHODS or method not in orm.query_methods)


def _dict_of_instances(links, orm: Orm) -> bool:
    """Whether a chain ends in `.in_bulk(...).values()` (`orm.instance_dicts`): a dict of the
    query's instances by key, whose values are those instances."""
    if len(links) < 4:
        return False
    (_, method), (_, _), (_, values), (_, _) = links[-4:]
    return (
        type(method) is cst.Attribute
        and method.attr.value in orm.instance_dicts
        and type(values) is cst.Attribute
        and values.attr.value == "values"
        and [kind for kind, _ in links[-4:]] == ["attr", "call", "attr", "call"]
    )


def _keeps_a_query(links, orm: Orm) -> bool:
    """Whether every method of a chain's links keeps it a query of instances (`filter`, `all`;
    not `values_list`)."""
    return all(
        kind != "attr" or type(node) is not cst.Attribute or node.attr.value in orm.query_methods
        for kind, node in links
    )


def _query_start(links, orm: Orm, is_session) -> int | None:
    """Index after the link that makes the chain a query (`.query` or `session.query(...)`)."""
    for index, (kind, node) in enumerate(links):
        if kind != "attr":
            continue
        assert type(node) is cst.Attribute
        if node.attr.value not in orm.query_properties:
            continue
        follows_call = index + 1 < len(links) and links[index + 1][0] == "call"
        if follows_call and is_session(node.value):
            return index + 2  # session.query(Model)
        if not follows_call:
            return index + 1  # Model.query
    return None


def _self_query_start(links, orm: Orm, scope) -> int | None:
    """Index after `self.get_queryset()` (`self_query_getters`) at the head of a chain, in a
    method: the rows of the view's model, for a bulk `update()` / `delete()` only."""
    if len(links) < 3 or scope is None or not scope.self_name or not _is_name(links[0][1], scope.self_name):
        return None
    (first, _), (second, getter), (third, _) = links[:3]
    if first != "root" or second != "attr" or third != "call":
        return None
    assert type(getter) is cst.Attribute
    return 3 if getter.attr.value in orm.self_query_getters else None


def loop_id(span: Span) -> int:
    """A loop's id: its position, unique in its module (`facts.loop_line` reads the line back)."""
    return (span.line << 20) | min(span.column, (1 << 20) - 1)


def extract_facts(
    path: str,
    module: cst.Module,
    knowledge: Knowledge,
    names: dict[str, Binding] | None = None,
    lines: list[int] | None = None,
    rebound: frozenset[str] = frozenset(),
) -> ModuleFacts:
    """Walk one parsed module once and return its facts. For a module read in part
    (module_loading.PartialModule): `names`, the names the whole module binds, from its
    outline, so that names resolve as in the whole module; `lines`, the line in the whole
    module of each line of the part."""
    extractor = _Extractor(path, module, knowledge)
    extractor.collect_module_bindings(module.body)
    extractor.rebound_elsewhere = rebound
    if names is not None:
        extractor.module_names = dict(names)
        extractor.star_imports = [b.ref for b in names.values() if b.kind == "star" and b.ref is not None]
    extractor.walk_module()
    for fn in extractor.functions:  # `def load(pk) -> Server`: the module binds a function returning a Server
        bound = extractor.module_names.get(fn.qualname)
        if bound is not None and bound.kind == "function":  # the last `def` of the name says it
            # a coroutine function's: what awaiting its call gives (`handle = await get_handle()`);
            # a generator's too, as the outline reads it (FastAPI's `def get_db() -> Session: yield db`)
            returns = fn.annotated_return if fn.annotated else None
            extractor.module_names[fn.qualname] = replace(bound, ref=returns)

    wanted: list[cst.CSTNode] = list(extractor.binding_nodes.values())
    for fn in extractor.functions:
        if fn.node is not None:
            wanted.append(fn.node)
        wanted.extend(decorator.decorator for decorator, *_ in fn.decorators)
        wanted.extend(call for call, _ in fn.calls)
        wanted.extend(node for _, details in fn.calls for node in details["literal_nodes"] if node is not None)
        wanted.extend(node for node, _ in fn.marks)
    wanted.extend(node.name for _, node, *_ in extractor.classes)
    wanted.extend(extractor.loop_nodes)
    wanted.extend(extractor.stand_ins.values())
    spans = positions_of(module, wanted)
    for made, node in extractor.stand_ins.items():
        if id(node) in spans:
            spans[made] = spans[id(node)]
    if lines is not None:

        def whole(line: int) -> int:  # past the last line of the part: as far past the last in the module
            return lines[line - 1] if line <= len(lines) else lines[-1] + line - len(lines)

        def whole_end(span: Span) -> int:
            # a compound statement ends at the start of the line after its last (`_last_line`); in the
            # module, lines this part left out (blank ones, say) may come between the two
            if span.end_column == 1 and span.end_line > span.line:
                return whole(span.end_line - 1) + 1
            return whole(span.end_line)

        spans = {key: replace(span, line=whole(span.line), end_line=whole_end(span)) for key, span in spans.items()}
    unknown = Span(1, 1, 1, 1)
    loop_ids = {0: 0} | {n: loop_id(spans.get(id(node), unknown)) for n, node in enumerate(extractor.loop_nodes, 1)}

    module_calls = {id(call): index for index, (call, _) in enumerate(extractor.functions[0].calls)}
    bindings = {
        name: Binding(
            b.kind,
            b.ref,
            b.value,
            spans.get(id(extractor.binding_nodes[name])),
            module_calls.get(id(extractor.binding_calls.get(name))),
            b.keys,
            b.pairs,
            b.items,
            b.strings,
        )
        if name in extractor.binding_nodes
        else b
        for name, b in extractor.module_names.items()
    }
    functions: dict[str, FunctionFact] = {}
    for fn in extractor.functions:
        positions = {id(call): index for index, (call, _) in enumerate(fn.calls)}
        used, waited = extractor.result_flow(fn)
        calls = tuple(
            CallFact(
                span=spans.get(id(call), unknown),
                result_used=id(call) in used,
                future_waited=id(call) in waited,
                stand_in=id(call) in extractor.stand_ins,
                receiver=positions.get(id(details["receiver_node"])),
                argument_of=positions.get(id(details["argument_of_node"])),
                loop=loop_ids[details["loop"]],
                **{
                    k: v if k != "args" else _with_literal_spans(v, details["literal_nodes"], spans)
                    for k, v in details.items()
                    if k not in ("receiver_node", "argument_of_node", "literal_nodes", "loop", "target")
                },
                # a signature a canvas is built of, also one a local held before: sent
                target=_sent(details["target"]) if id(call) in extractor.canvas_members else details["target"],
            )
            for call, details in fn.calls
        )
        marks = tuple(
            Mark(
                line=spans.get(id(node), unknown).line,
                column=spans.get(id(node), unknown).column,
                end_line=_last_line(spans.get(id(node), unknown)),
                loop=loop_ids[details["loop"]],
                **{k: v for k, v in details.items() if k != "loop"},
            )
            for node, details in fn.marks
        )
        decorators = tuple(
            DecoratorFact(target, is_call, spans.get(id(decorator.decorator), unknown), args)
            for decorator, target, is_call, args in fn.decorators
        )
        returned = set(fn.returned)
        functions[fn.qualname] = FunctionFact(
            qualname=fn.qualname,
            name=fn.name,
            span=spans.get(id(fn.node), unknown) if fn.node is not None else unknown,
            class_name=fn.class_name,
            decorators=decorators,
            calls=calls,
            is_async=fn.is_async,
            generator=fn.yields,
            marks=marks,
            params=fn.params,
            varargs=fn.varargs,
            kwargs=fn.kwargs,
            reshapes_arguments=fn.body is not None and _reshapes_arguments(fn.varargs, fn.kwargs, fn.body),
            taken_keywords=(_taken_keys(fn.kwargs, fn.body, strict=False) or ())
            if fn.kwargs and fn.body is not None
            else (),
            defaults=fn.defaults,
            none_defaults=fn.none_defaults,
            text_defaults=fn.text_defaults,
            positional=fn.positional,
            constant_loops=tuple((loop_ids[inner], loop_ids[around], ref) for inner, around, ref in fn.constant_loops),
            schema_loops=tuple((loop_ids[inner], loop_ids[around], ref) for inner, around, ref in fn.schema_loops),
            parameter_loops=tuple(
                (loop_ids[inner], loop_ids[around], name) for inner, around, name in fn.parameter_loops
            ),
            while_loops=tuple(sorted(loop_ids[inner] for inner in fn.while_loops)),
            returns_few_of=fn.returns_few_of,
            once_made=fn.once_made,
            refilled=tuple(sorted(fn.refilled)),
            own_rebound=tuple(sorted(fn.own_rebound)),
            call_loops=tuple(
                (loop_ids[inner], loop_ids[around], index)
                for inner, around, call in fn.call_loops
                if (index := positions.get(id(call))) is not None
            ),
            gathered_loops=tuple(
                (loop_ids[inner], loop_ids[around], index)
                for inner, around, call in fn.gathered_loops
                if (index := positions.get(id(call))) is not None
            ),
            query_loops=tuple(
                (loop_ids[inner], loop_ids[around], index, columns, model)
                for inner, around, call, columns, model in fn.query_loops
                if (index := positions.get(id(call))) is not None
            ),
            gathers_varargs=fn.gathers_varargs,
            # a generator returns a generator; a coroutine function is read for what awaiting its
            # call gives, as a call is read through `await` (`handle = await get_handle()`)
            returns_annotated=fn.annotated and not fn.yields and fn.annotated_return is not None,
            returns=None
            if fn.yields
            else fn.annotated_return
            if fn.annotated
            else (returned.pop() if len(returned) == 1 else None),
        )
    classes = {
        qualname: ClassFact(
            qualname,
            spans.get(id(node.name), unknown),
            bases,
            tuple(methods),
            keys,
            composites,
            attributes,
            tuple(
                sorted(
                    {
                        **extractor.class_annotations.get(qualname, {}),
                        **extractor.init_attributes.get(qualname, {}),
                    }.items()
                )
            ),
            literals,
            foreign_keys,
            foreign_columns,
            other_columns,
            related_names,
            string_lists,
            generic_relations,
            registered_models,
            _allows_extra(node),
        )
        for (
            qualname,
            node,
            bases,
            methods,
            keys,
            composites,
            attributes,
            literals,
            foreign_keys,
            foreign_columns,
            other_columns,
            related_names,
            string_lists,
            generic_relations,
            registered_models,
        ) in extractor.classes
    }
    return ModuleFacts(path=path, bindings=bindings, functions=functions, classes=classes, injected=extractor.injected)


def _globals_bound(body) -> frozenset[str]:
    """The names a module's functions (and methods) declare `global`: each may bind it again."""
    found: set[str] = set()
    stack: list[cst.CSTNode] = list(body)
    while stack:
        stmt = stack.pop()
        if type(stmt) is cst.SimpleStatementLine:
            found.update(n.name.value for small in stmt.body if type(small) is cst.Global for n in small.names)
        elif type(stmt) in (cst.FunctionDef, cst.ClassDef):
            stack.extend(_suite_statements(stmt.body))
        else:
            stack.extend(_child_blocks(stmt))
    return frozenset(found)
