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
from typing import Optional

from worker_audit.finding import Span

Ref = tuple[str, str]
MODULE_SCOPE = "<module>"


@dataclass(frozen=True)
class ArgFact:
    keyword: Optional[str]
    ref: Optional[Ref] = None  # a name, attribute or call result
    text: Optional[str] = None  # a string literal's value
    literal: Optional[str] = None  # "True", "False", "None", "list", "tuple", "number", "fstring"...


@dataclass(frozen=True)
class CallFact:
    target: Optional[Ref]
    span: Span
    in_loop: bool
    text: str  # a short rendering of the call, for messages
    args: tuple[ArgFact, ...] = ()
    shape: Optional[str] = None  # ORM writes: "bulk" (many rows) or "row" (one row)
    shape_detail: str = ""


@dataclass(frozen=True)
class DecoratorFact:
    target: Optional[Ref]
    is_call: bool
    span: Span
    args: tuple[ArgFact, ...] = ()


@dataclass(frozen=True)
class FunctionFact:
    qualname: str
    name: str
    span: Span  # the name in `def name(...)`
    class_name: Optional[str]
    decorators: tuple[DecoratorFact, ...]
    calls: tuple[CallFact, ...]
    is_async: bool = False


@dataclass(frozen=True)
class ClassFact:
    qualname: str
    span: Span
    bases: tuple[Optional[Ref], ...]
    methods: tuple[str, ...]


@dataclass(frozen=True)
class Binding:
    kind: str  # import | instance | alias | function | class | string | other
    ref: Optional[Ref] = None
    value: Optional[str] = None
    span: Optional[Span] = None


@dataclass(frozen=True)
class ModuleFacts:
    path: str
    bindings: dict[str, Binding]
    functions: dict[str, FunctionFact]
    classes: dict[str, ClassFact]


