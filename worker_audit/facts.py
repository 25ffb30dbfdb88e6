"""Per-module facts: what one parse of one file tells, as plain picklable values.

`extract.py` produces them from a libcst tree; everything after it (the
project index, the analyses, the rules) reads only these values, never a tree.
Facts of one file never depend on another file: what `db` is, or whether
`helper` is a project function, is left to `project.py`.

A reference (`Ref`) is `(anchor, dotted)`:
- `("", "threading.Thread")`: an absolute name, as imported;
- `("@", "leads_bp.route")`: a top-level name of this same module;
- `("..", "services.x")`: relative to this module's package (one dot per level).
A segment ending in `()` means "the result of calling it": `flask.Flask().route`.
"""

from __future__ import annotations

from dataclasses import dataclass

from worker_audit.finding import Span

Ref = tuple[str, str]
MODULE_SCOPE = "<module>"


@dataclass(frozen=True)
class ArgFact:
    keyword: str | None
    ref: Ref | None = None  # a name, attribute or call result
    text: str | None = None  # a string literal's value
    literal: str | None = None  # "True", "False", "None", "list", "tuple", "number", "fstring"...


@dataclass(frozen=True)
class CallFact:
    target: Ref | None
    span: Span
    in_loop: bool
    text: str  # a short rendering of the call, for messages
    args: tuple[ArgFact, ...] = ()
    shape: str | None = None  # ORM writes: "bulk" (many rows) or "row" (one row)
    shape_detail: str = ""


@dataclass(frozen=True)
class DecoratorFact:
    target: Ref | None
    is_call: bool
    span: Span
    args: tuple[ArgFact, ...] = ()


@dataclass(frozen=True)
class FunctionFact:
    qualname: str
    name: str
    span: Span  # the name in `def name(...)`
    class_name: str | None
    decorators: tuple[DecoratorFact, ...]
    calls: tuple[CallFact, ...]
    is_async: bool = False


@dataclass(frozen=True)
class ClassFact:
    qualname: str
    span: Span
    bases: tuple[Ref | None, ...]
    methods: tuple[str, ...]


@dataclass(frozen=True)
class Binding:
    kind: str  # import | instance | alias | function | class | string | other
    ref: Ref | None = None
    value: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class ModuleFacts:
    path: str
    bindings: dict[str, Binding]
    functions: dict[str, FunctionFact]
    classes: dict[str, ClassFact]
