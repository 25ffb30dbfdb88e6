"""The one value every rule produces and every reporter reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, order=True)
class Span:
    """A source range: 1-based lines and 1-based columns (characters)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Related:
    """Another place that explains a finding: a helper, a queue definition."""

    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Edit:
    """One change to one file, at 1-based line/column positions (end exclusive).

    kind "insert" puts `text` at the start position; "insert-line" adds `text` as
    a line before `line`, indented like it; "insert-line-after" adds it after the
    line `end_line`, indented like `line`; "append-argument" adds the
    keyword argument `text` to the call that ends at the end position (after a
    trailing comma when there is one); "append-to-string" adds `text` inside the
    closing quote of the string (or after an unquoted YAML scalar) ending at the
    end position; "replace-string" replaces the content between its quotes;
    "codemod" rewrites the file with the libcst transformation its `text` (a
    JSON spec) names (see `codemods.py`)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    kind: str = "insert"


@dataclass(frozen=True)
class FileChange:
    """What a fix does to one file, whole: its text before ("" when the fix creates it) and after."""

    path: str
    before: str
    after: str


@dataclass(frozen=True)
class Fix:
    applicability: str  # "safe" | "unsafe"
    description: str
    edits: tuple[Edit, ...] = field(default=(), compare=False)
    # the fix applied alone, in memory (`fixes.with_changes`), for reporters that show it
    changes: tuple[FileChange, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    path: str  # POSIX, relative to the current directory when below it
    span: Span
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    # The enclosing handler or function, for identities that survive line moves.
    scope: str = field(default="", compare=False)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)
