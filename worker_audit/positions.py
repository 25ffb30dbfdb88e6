"""Source positions for a chosen set of nodes, at the cost of one code generation.

libcst's PositionProvider computes a range for every node of the module, which
costs about 1.5x the parse itself (see PERFORMANCE-FACTS.md). worker-audit only
needs the positions of the few nodes it reports on, so this state generates the
code once and records positions for those nodes only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst
from libcst._nodes.internal import CodegenState

from worker_audit.finding import Span


class _TargetPositionState(CodegenState):
    def __init__(self, module: cst.Module, targets: set[int]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.targets = targets
        self.found: dict[int, Span] = {}
        self._line = 1
        self._column = 0
        self._consumed = 0

    def _position(self) -> tuple[int, int]:
        tokens = self.tokens
        for index in range(self._consumed, len(tokens)):
            token = tokens[index]
            newlines = token.count("\n") + token.count("\r") - token.count("\r\n")
            if newlines:
                self._line += newlines
                self._column = len(token) - max(token.rfind("\n"), token.rfind("\r")) - 1
            else:
                self._column += len(token)
        self._consumed = len(tokens)
        return self._line, self._column

    @contextmanager
    def record_syntactic_position(self, node, *, start_node=None, end_node=None) -> Iterator[None]:
        if id(node) not in self.targets:
            yield
            return
        line, column = self._position()
        try:
            yield
        finally:
            end_line, end_column = self._position()
            if id(node) not in self.found:
                self.found[id(node)] = Span(line, column + 1, end_line, end_column + 1)


def positions_of(module: cst.Module, nodes: list[cst.CSTNode]) -> dict[int, Span]:
    """Spans (1-based columns) of `nodes`, keyed by `id(node)`."""
    if not nodes:
        return {}
    state = _TargetPositionState(module, {id(node) for node in nodes})
    module._codegen(state)
    return state.found
