"""A module's outline: what resolving a name through it needs, from Python's
own `ast` at about a tenth of the cost of a libcst parse.

Most modules a run reads are read only to follow a name: `from app.models
import Lead` needs to know that `Lead` is a class of app/models.py and what
its bases are, not what every function of that file calls. The outline holds
the module-level bindings (their kind and what they refer to), and the
classes with their bases and methods, computed exactly as `extract.py`
computes them from libcst (same order, same "last one wins", same references).
A test holds the two equal on every fixture module.

Anything else (a function's body, a variable's value, where a name is
written) comes from the full facts: the index loads them when it needs them.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, replace

from worker_audit.facts import (
    CLASS_TYPES,
    IMPORT_ERRORS,
    PARTIAL,
    STRING_ANCHOR,
    TYPE_WRAPPERS,
    Binding,
    ClassFact,
    Ref,
    service_ref,
)
from worker_audit.finding import Span

_BUILTINS = frozenset(dir(builtins))
_NO_SPAN = Span(1, 1, 1, 1)
# the binding kinds that name resolution follows; the others are values, read from the full facts
RESOLVING_KINDS = frozenset({"import", "alias", "instance", "function", "class", "star"})
# kinds whose value the outline keeps as the full facts do: a string or an integer written out
CONSTANT_KINDS = frozenset({"string", "number"})


@dataclass(frozen=True)
class ModuleOutline:
    path: str
    bindings: dict[str, Binding]  # kind and ref only; value kinds are "value" (but "string", "number")
    classes: dict[str, ClassFact]  # bases and methods; no positions
    outline: bool = True
    # the module's functions (not methods) with a decorator: a call of another one is no task's
    decorated: frozenset[str] = frozenset()


def _join(ref: Ref | None, suffix: str) -> Ref | None:
    if ref is None:
        return None
    anchor, dotted = ref
    return (anchor, f"{dotted}{suffix}" if dotted else suffix.lstrip("."))


def _child_statements(stmt: ast.stmt) -> Iterator[ast.stmt]:
    """Statements nested in a compound statement that does not open a scope (extract._child_blocks)."""
    if isinstance(stmt, ast.If):
        yield from stmt.body
        yield from stmt.orelse  # an `elif` is an If here, as libcst's orelse If
    elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        yield from stmt.body
        yield from stmt.orelse
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        yield from stmt.body
    elif isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        yield from stmt.body
        for handler in stmt.handlers:
            yield from handler.body
        yield from stmt.orelse
        yield from stmt.finalbody
    elif isinstance(stmt, ast.Match):
        for case in stmt.cases:
            yield from case.body


def _imports_with_fallback(stmt: ast.Try) -> bool:
    """As `extract._imports_with_fallback`: `try: import queue` / `except ImportError: import
    Queue as queue`."""
    caught = [handler.type for handler in stmt.handlers]
    names = [e for c in caught for e in (c.elts if isinstance(c, ast.Tuple) else [c])]
    return bool(names) and all(isinstance(name, ast.Name) and name.id in IMPORT_ERRORS for name in names)


def _string_lists(body: list[ast.stmt]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """As `extract._string_lists`: class attributes set to a list or tuple of strings written
    out, the last assignment of each name (one of any other value drops it)."""
    found: dict[str, tuple[str, ...]] = {}
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        listed = isinstance(value, (ast.List, ast.Tuple))
        elements = value.elts if listed else [value]
        strings = tuple(e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str))
        names = tuple(filter(None, (_dotted(e) for e in elements))) if listed else ()
        for key in (target.id, f"{target.id}*", f"{target.id}()"):
            found.pop(key, None)
        if listed and len(strings) == len(elements):
            found[target.id] = strings
        elif listed and strings:
            found[f"{target.id}*"] = strings
        if names:
            found[f"{target.id}()"] = names
    return tuple(found.items())


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


class _Outliner:
    def __init__(self, service_lookups: frozenset[str] = frozenset()) -> None:
        self.service_lookups = service_lookups  # as extract: `find_service` (`services.lookups`)
        self.names: dict[str, Binding] = {}
        self.stars = 0
        self.classes: dict[str, ClassFact] = {}
        self.decorated: set[str] = set()

    # -- pass 1: module bindings, in order (extract.collect_module_bindings) --

    def collect(self, body: list[ast.stmt]) -> None:
        self._collect(body)
        self._collect_returns(body)
        # `global item_repo; item_repo = ItemRepository(db)` in one set-up function, as
        # `extract._Extractor._collect_global_instances` reads it
        assigned: dict[str, list[tuple[ast.expr, dict[str, tuple[str, str]]]]] = {}
        for stmt in body:
            if isinstance(stmt, ast.FunctionDef) and any(isinstance(line, ast.Global) for line in stmt.body):
                imported = {}  # imports inside the function
                for node in _own_nodes(stmt):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        local = _Outliner()
                        local._collect([node])
                        imported.update({n: b.ref for n, b in local.names.items() if b.kind == "import"})
                for name, value in _global_assignments(stmt):
                    assigned.setdefault(name, []).append((value, imported))
        for name, values in assigned.items():
            current = self.names.get(name)
            placeholder = current is None or (current.kind == "alias" and current.ref == ("", "None"))
            if not placeholder or len(values) != 1 or not isinstance(values[0][0], ast.Call):
                continue
            call, imported = values[0]
            head = call.func
            while isinstance(head, ast.Attribute):
                head = head.value
            if isinstance(head, ast.Name) and head.id in imported and _is_dotted(call.func):
                anchor, dotted = imported[head.id]
                ref = (anchor, dotted + ast.unparse(call.func)[len(head.id) :])
            else:
                ref = self.resolve(call.func)
            self.names[name] = Binding("instance", ref=_join(ref, "()"))

    def _collect(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        self.names[alias.asname] = Binding("import", ("", alias.name))
                    else:
                        first = alias.name.split(".")[0]
                        self.names[first] = Binding("import", ("", first))
            elif isinstance(stmt, ast.ImportFrom):
                anchor, module = "." * stmt.level, stmt.module or ""
                if any(alias.name == "*" for alias in stmt.names):
                    self.names[f"*{self.stars}"] = Binding("star", ref=(anchor, module))
                    self.stars += 1
                    continue
                for alias in stmt.names:
                    dotted = f"{module}.{alias.name}" if module else alias.name
                    self.names[alias.asname or alias.name] = Binding("import", (anchor, dotted))
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        if _wraps_itself(target.id, stmt.value) and self.names.get(target.id) == Binding("function"):
                            continue  # as `extract._wraps_itself`: a decorator applied by hand
                        self.names[target.id] = self._binding_for_value(stmt.value)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.names[stmt.name] = Binding("function")
                if stmt.decorator_list:
                    self.decorated.add(stmt.name)
            elif isinstance(stmt, ast.ClassDef):
                self.names[stmt.name] = Binding("class")
            elif isinstance(stmt, ast.Try) and _imports_with_fallback(stmt):
                for handler in stmt.handlers:  # the fallback first: what the `try` imports wins
                    self._collect(handler.body)
                self._collect(stmt.body + stmt.orelse + stmt.finalbody)
            else:
                self._collect(list(_child_statements(stmt)))

    def _collect_returns(self, body: list[ast.stmt]) -> None:
        """`def load(pk) -> Server`: what the function returns, as `extract` keeps it in the
        function's binding (names bound later in the module included)."""
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bound = self.names.get(stmt.name)
                if bound is not None and bound.kind == "function":  # the last `def` of the name says it
                    annotated = stmt.returns is not None  # a coroutine function's: what awaiting it gives
                    returns = self._returned_instance(stmt.returns) if annotated else None
                    self.names[stmt.name] = replace(bound, ref=returns)
            elif not isinstance(stmt, ast.ClassDef):
                self._collect_returns(list(_child_statements(stmt)))

    def _returned_instance(self, annotation: ast.expr) -> Ref | None:
        """As `extract._Extractor._return_type` and `_annotated_instance` at module level."""
        named = self.annotated_type(annotation)
        if isinstance(named, ast.Constant) and isinstance(named.value, str):  # `-> "Server"`
            try:
                named = self.annotated_type(ast.parse(named.value.strip(), mode="eval").body)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None
        made = "()"
        if isinstance(named, ast.Subscript) and not isinstance(named.slice, ast.Tuple):
            if self.resolve(named.value) in CLASS_TYPES:  # `-> type[Router]`: the class itself
                named, made = self.annotated_type(named.slice), ""
        ref = self.resolve(named) if isinstance(named, (ast.Name, ast.Attribute)) else None
        if (
            ref is None
            or ref[0] == ""
            and (ref[1] in _BUILTINS or ref[1] in ("None", "typing.Self", "typing_extensions.Self"))
        ):
            return None
        return _join(ref, made)

    def _binding_for_value(self, value: ast.expr | None) -> Binding:
        if isinstance(value, ast.Constant) and (value.value is None or isinstance(value.value, bool)):
            return Binding("alias", ref=self.resolve(value))  # libcst sees True, False, None as names
        # as the full facts: `NAME_FIELD = "name"`, `RETRIES = 3` (a read in part sees them so)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return Binding("string", value=value.value)
        if isinstance(value, ast.Constant) and type(value.value) is int and value.value >= 0:
            return Binding("number", value=str(value.value))
        keys = _dict_call_keys(value) if isinstance(value, ast.Call) and "dict" not in self.names else None
        if keys is not None:  # `OPT_OUT = dict(module="telemetry", key="opt_out")`
            return Binding("value", items=len(keys), keys=keys)
        if isinstance(value, ast.Call):
            called = self.resolve(_generic_origin(value.func))
            wrapped = value.args[0] if value.args and not isinstance(value.args[0], ast.Starred) else None
            if called == PARTIAL and isinstance(wrapped, (ast.Name, ast.Attribute)):
                return Binding("alias", ref=self.resolve(wrapped))  # as extract: it calls what it wraps
            # `get_model("basket", "Line")`: the strings it is given, which may name a model
            given = [a.value for a in value.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            named = tuple(given) if 1 <= len(given) == len(value.args) <= 2 and not value.keywords else None
            return Binding("instance", ref=_join(called, "()"), strings=named)
        if isinstance(value, (ast.Name, ast.Attribute)):
            return Binding("alias", ref=self.resolve(value))
        if isinstance(value, ast.Subscript):  # `AsyncDB = Annotated[AsyncSession, Depends(...)]`
            inner = self.annotated_type(value)
            if inner is not value and isinstance(inner, (ast.Name, ast.Attribute)):
                return Binding("alias", ref=self.resolve(inner))
        if isinstance(value, ast.Dict):  # as the full facts count it: no `**x`
            keys = [k.value for k in value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            return Binding(
                "value",
                items=None if None in value.keys else len(value.keys),
                keys=tuple(keys) if len(keys) == len(value.keys) else None,
            )
        if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
            starred = any(isinstance(e, ast.Starred) for e in value.elts)
            strings = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            return Binding(
                "value",
                items=None if starred else len(value.elts),
                strings=tuple(strings) if not starred and len(strings) == len(value.elts) else None,
            )
        if isinstance(value, (ast.ListComp, ast.SetComp, ast.DictComp)) and len(value.generators) == 1:
            # as the full facts read it: a comprehension over a tuple, list or set written out
            over = value.generators[0].iter
            if isinstance(over, (ast.Tuple, ast.List, ast.Set)) and over.elts:
                if not any(isinstance(e, ast.Starred) for e in over.elts):
                    return Binding("value", items=len(over.elts))
        return Binding("value")

    def annotated_type(self, annotation: ast.expr) -> ast.expr:
        """As `extract._Extractor.annotated_type`: `Annotated[T, ...]`, `Optional[T]`, `T | None` say T."""
        if isinstance(annotation, ast.Subscript) and self.resolve(annotation.value) in TYPE_WRAPPERS:
            inner = annotation.slice
            if isinstance(inner, ast.Tuple):  # `Annotated[T, ...]`; `Optional[()]` says nothing
                if not inner.elts:
                    return annotation
                inner = inner.elts[0]
            return self.annotated_type(inner)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            for side, other in ((annotation.left, annotation.right), (annotation.right, annotation.left)):
                if isinstance(other, ast.Constant) and other.value is None:
                    return self.annotated_type(side)
        return annotation  # a string, number, mapping or anything else: read from the full facts

    # -- references (extract._Extractor.lookup / resolve at module level) ------

    def lookup(self, name: str) -> Ref | None:
        binding = self.names.get(name)
        if binding is None:
            if name in _BUILTINS:
                return ("", name)
            return ("@", name) if self.stars else None
        if binding.kind == "import":
            return binding.ref
        return ("@", name)

    def resolve(self, expr: ast.expr) -> Ref | None:
        if isinstance(expr, ast.Constant) and (expr.value is None or isinstance(expr.value, bool)):
            return self.lookup(str(expr.value))
        if isinstance(expr, ast.Name):
            return self.lookup(expr.id)
        if isinstance(expr, ast.Attribute):
            return _join(self.resolve(expr.value), "." + expr.attr)
        if isinstance(expr, ast.Call):
            return _join(self.resolve(_generic_origin(expr.func)), "()")
        return None

    # -- pass 2: classes at module level and in class bodies (extract.walk_class) --

    def walk(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                self.walk_class(stmt, "")
            elif not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.walk(list(_child_statements(stmt)))

    def walk_class(self, node: ast.ClassDef, prefix: str) -> None:
        qualname = f"{prefix}{node.name}"
        # `GenericAPIView[Any]`, `Generic[T]`: the class subscripted is the base (as extract.walk_class)
        bases = tuple(
            self.resolve(base.value if isinstance(base, (ast.Starred, ast.Subscript)) else base) for base in node.bases
        )
        methods = []
        attributes: dict[str, Ref] = {}
        metaclass = next((self.resolve(k.value) for k in node.keywords if k.arg == "metaclass"), None)
        if metaclass is not None:  # as extract.walk_class: Python 2's spelling of it
            attributes["__metaclass__"] = metaclass
        annotations: dict[str, Ref] = {}
        held: dict[str, Ref] = {}
        nested: set[str] = set()  # the classes of its body so far
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(stmt.name)
                if stmt.name == "__init__":
                    held.update(self._init_attributes(stmt))
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                annotated = _join(self.resolve(self.annotated_type(stmt.annotation)), "()")
                if annotated is not None:
                    annotations[stmt.target.id] = annotated
            elif isinstance(stmt, ast.ClassDef):
                self.walk_class(stmt, qualname + ".")
                nested.add(stmt.name)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                value = stmt.value
                # `abstract = True` (a Meta's flag) is kept; `x = None` is no value
                flag = isinstance(value, ast.Constant) and isinstance(value.value, bool)
                ref = self.resolve(value) if flag or isinstance(value, (ast.Name, ast.Attribute, ast.Call)) else None
                if ref is None and isinstance(value, ast.Name) and value.id in nested:
                    ref = ("@", value.id)  # as extract.walk_class: `query_class = BillQuery`
                if ref is not None:
                    attributes[stmt.targets[0].id] = ref
                elif isinstance(value, ast.Constant) and isinstance(value.value, str):
                    attributes[stmt.targets[0].id] = (STRING_ANCHOR, value.value)  # `IMPORT = "import"`
                else:
                    attributes.pop(stmt.targets[0].id, None)
        self.classes[qualname] = ClassFact(
            qualname,
            _NO_SPAN,
            bases,
            tuple(methods),
            attributes=tuple(attributes.items()),
            instance_attributes=tuple(sorted({**annotations, **held}.items())),
            literals=sum(_a_member(stmt) for stmt in node.body),
            string_lists=_string_lists(node.body),
        )

    def _init_attributes(self, init: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Ref]:
        """As `extract._Extractor._collect_instance_attributes`: `self.bg = bg` at the top of
        `__init__`, `bg` a parameter annotated with a type."""
        args = init.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a)]
        positional = [*args.posonlyargs, *args.args]
        if not positional or positional[0].arg not in ("self", "cls"):
            return {}
        self_name = positional[0].arg
        types: dict[str, Ref] = {}
        for param in params[1:] if params and params[0] is positional[0] else params:
            if param.annotation is not None:
                annotated = _join(self.resolve(self.annotated_type(param.annotation)), "()")
                if annotated is not None:
                    types[param.arg] = annotated
        held: dict[str, Ref] = {}
        for stmt in init.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, annotation = stmt.targets[0], None
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:  # `self.api: HAPI = ...`
                target, annotation = stmt.target, stmt.annotation
            else:
                continue
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
                continue
            if target.value.id != self_name:
                continue
            attribute, value = target.attr, stmt.value
            if isinstance(value, ast.Name) and value.id in types:
                held[attribute] = types[value.id]
            elif isinstance(value, ast.Call) and self._found_service(value) is not None:
                # `request.find_service(IUsers)` (`self.request.` too): the service
                held[attribute] = self._found_service(value)  # type: ignore[assignment]
            elif isinstance(value, ast.Call) and _is_dotted(value.func) and _first_id(value.func) != self_name:
                made = _join(self.resolve(value.func), "()")  # `self.db = LedgerDB()`: an instance of it
                if made is not None:
                    held[attribute] = made
            if (
                annotation is not None
                and attribute not in held
                and not (isinstance(value, ast.Constant) and value.value is None)
                and not self._admits_none(annotation)
            ):
                # what the annotation names, when the value says nothing (not `Optional[T]`)
                annotated = self.annotated_type(annotation)
                typed = self.resolve(annotated) if isinstance(annotated, (ast.Name, ast.Attribute)) else None
                if typed is not None and typed[0] != STRING_ANCHOR:
                    held[attribute] = _join(typed, "()")
        return held

    def _admits_none(self, annotation: ast.expr) -> bool:
        """As `extract._Extractor._admits_none`: `Optional[T]`, `T | None`, `Union[T, None]`,
        also inside `Annotated[...]` and under another name."""
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return any(
                isinstance(side, ast.Constant) and side.value is None or self._admits_none(side)
                for side in (annotation.left, annotation.right)
            )
        if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.value, (ast.Name, ast.Attribute)):
            return False
        wrapper = self.resolve(annotation.value)
        named = wrapper[1].rpartition(".")[2] if wrapper is not None else ""
        elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        if named == "Annotated":
            return bool(elements) and self._admits_none(elements[0])
        return (
            named == "Optional"
            or named == "Union"
            and any(isinstance(e, ast.Constant) and e.value is None for e in elements)
        )

    def _found_service(self, call: ast.Call) -> Ref | None:
        """As `extract._Extractor._found_service`: what `request.find_service(IUsers)` (or
        `iface=`, `name="users"`) gives, for the project index to find."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in self.service_lookups:
            return None
        iface = next((a for a in call.args if not isinstance(a, ast.Starred)), None)
        name = None
        for keyword in call.keywords:
            if keyword.arg == "iface":
                iface = keyword.value
            elif keyword.arg == "name":
                given = keyword.value
                name = given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else None
        if iface is None:
            return service_ref(None, name)
        ref = self.resolve(iface) if isinstance(iface, (ast.Name, ast.Attribute)) else None
        if ref is None and isinstance(iface, ast.Constant) and isinstance(iface.value, str):
            ref = ("", iface.value)
        return service_ref(ref, name) if ref is not None else None


def _own_nodes(function: ast.FunctionDef):
    """As `extract._own_nodes`: a function's nodes, not those of functions or classes in it."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _first_id(node: ast.expr) -> str | None:
    """`a` of `a.b.c`."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_dotted(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _global_assignments(function: ast.FunctionDef) -> list[tuple[str, ast.expr]]:
    """As `extract._global_assignments`: `name = value` for the names the function's `global`
    statements declare, not in functions or classes nested in it."""
    declared: set[str] = set()
    assignments: list[tuple[str, ast.expr]] = []
    for node in _own_nodes(function):
        if isinstance(node, ast.Global):
            declared |= set(node.names)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assignments.append((node.targets[0].id, node.value))
    return [(name, value) for name, value in assignments if name in declared]


def rebound_names(tree: ast.Module) -> frozenset[str]:
    """The names a module binds more than once at its top level (in its `if`, `try`, `with`
    and `for` blocks too), or through `global` in a function: no constant of a fixed value."""
    counts: dict[str, int] = {}
    declared: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            counts[node.name] = counts.get(node.name, 0) + 1
            declared.update(n for g in ast.walk(node) if isinstance(g, ast.Global) for n in g.names)
            continue
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        counts[name.id] = counts.get(name.id, 0) + 1 + isinstance(node, ast.AugAssign)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            for name in ast.walk(node.target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 2
        if isinstance(node, ast.stmt):
            stack.extend(
                child for child in ast.iter_child_nodes(node) if isinstance(child, (ast.stmt, ast.excepthandler))
            )
        elif isinstance(node, ast.excepthandler):
            stack.extend(node.body)
    return frozenset(name for name, count in counts.items() if count > 1) | frozenset(declared)


def module_names(tree: ast.Module) -> dict[str, Binding]:
    """The names a module binds at its top level, as its outline has them."""
    outliner = _Outliner()
    outliner.collect(tree.body)
    return outliner.names


def outline_module(path: str, text: str, service_lookups: frozenset[str] = frozenset()) -> ModuleOutline | None:
    """The outline of a module's text; None when `ast` cannot parse it (the full
    load then says why, or parses what only libcst can). `service_lookups`: the packs'
    `services.lookups` (`find_service`), read where the full facts read them."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    outliner = _Outliner(service_lookups)
    outliner.collect(tree.body)
    outliner.walk(tree.body)
    return ModuleOutline(path, outliner.names, outliner.classes, decorated=frozenset(outliner.decorated))


def _reachable_classes(classes) -> set[str]:
    """Classes reachable by name: not nested in a function."""
    return {q for q in classes if all(".".join(q.split(".")[: i + 1]) in classes for i in range(q.count(".") + 1))}


def disagreements(outline: ModuleOutline, facts) -> list[str]:
    """Where an outline says something else than the full facts of the same module
    (for the tests and scripts/check_speedups.py, which hold the two together)."""
    found = []
    names = {name for name in facts.bindings if "." not in name}  # `app.conf.x = ...`: settings, not names
    if set(outline.bindings) != names:
        found.append(f"names differ: {sorted(set(outline.bindings) ^ names)[:5]}")
    for name in sorted(names & set(outline.bindings)):
        full, short = facts.bindings[name], outline.bindings[name]
        expected = (
            (full.kind, full.ref, full.items, full.strings, None)
            if full.kind in RESOLVING_KINDS
            else (full.kind, None, full.items, full.strings, full.value)
            if full.kind in CONSTANT_KINDS
            else ("value", None, full.items, full.strings, None)
        )
        mine = (
            short.kind,
            short.ref,
            short.items,
            short.strings,
            short.value if short.kind in CONSTANT_KINDS else None,
        )
        if mine != expected:
            found.append(f"{name}: outline {mine} != facts {expected}")
    decorated = {name for name, function in facts.functions.items() if "." not in name and function.decorators}
    if not decorated <= outline.decorated:  # more is no harm: a call of one is looked at closer
        found.append(f"decorated functions missing: {sorted(decorated - outline.decorated)[:5]}")
    if set(outline.classes) != _reachable_classes(facts.classes):
        found.append(f"classes differ: {sorted(set(outline.classes) ^ _reachable_classes(facts.classes))}")
    for qualname, cls in sorted(outline.classes.items()):
        full = facts.classes.get(qualname)
        mine = (cls.bases, cls.methods, cls.attributes, cls.instance_attributes, cls.literals, cls.string_lists)
        theirs = (
            (full.bases, full.methods, full.attributes, full.instance_attributes, full.literals, full.string_lists)
            if full is not None
            else mine
        )
        if mine != theirs:
            found.append(f"class {qualname}: outline {mine} != facts {theirs}")
    return found


def _a_member(stmt: ast.stmt) -> bool:
    """As `extract._a_member`: `DONE = "done"`, `LOW = 1, "Low"`, `A = auto()`, `B = 1 << 1` in a
    class body."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target = stmt.target
    else:
        return False
    if not isinstance(target, ast.Name) or target.id.startswith("_") or stmt.value is None:
        return False
    value = stmt.value
    if isinstance(value, ast.Tuple) and value.elts:
        value = value.elts[0]
    if isinstance(value, ast.UnaryOp):
        value = value.operand
    if isinstance(value, ast.Call):
        called = value.func.attr if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", None)
        return called == "auto"
    if isinstance(value, ast.JoinedStr):
        return True  # an f-string is a string to libcst (`cst.FormattedString`)
    if isinstance(value, (ast.BinOp, ast.Attribute)):
        return True  # `X1 = 1 << 2`, `ALL = A | B`, `DEFAULT = Status.OPEN`: counted, not read
    if isinstance(value, ast.Name):
        return value.id not in ("True", "False", "None")
    constant = value.value if isinstance(value, ast.Constant) else None
    return isinstance(constant, (str, bytes, int, float)) and not isinstance(constant, bool)


def _wraps_itself(name: str, value: ast.expr | None) -> bool:
    """As `extract._wraps_itself`: `view = login_required(view)`."""
    return (
        isinstance(value, ast.Call)
        and len(value.args) == 1
        and not value.keywords
        and isinstance(value.args[0], ast.Name)
        and value.args[0].id == name
    )


def _generic_origin(func: ast.expr) -> ast.expr:
    """As `extract._generic_origin`: `Celery` for `Celery[Task]("proj")`."""
    if isinstance(func, ast.Subscript) and isinstance(func.value, (ast.Name, ast.Attribute)):
        return func.value
    return func


def _dict_call_keys(call: ast.Call) -> tuple[str, ...] | None:
    """`dict(module="x", key="y")` -> ("module", "key"): a call of `dict` with keywords only."""
    if not isinstance(call.func, ast.Name) or call.func.id != "dict" or call.args or not call.keywords:
        return None
    keys = tuple(k.arg for k in call.keywords if k.arg is not None)
    return keys if len(keys) == len(call.keywords) else None
