"""Source positions for a chosen set of nodes, at the cost of one code generation.

libcst's PositionProvider computes a range for every node of the module, which
costs about 1.5x the parse itself (see PERFORMANCE-FACTS.md). worker-audit only
needs the positions of the few nodes it reports on, so this state generates the
code once and records positions for those nodes only.
"""

from __future__ import annotations

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
        if self._consumed < len(tokens):
            text = "".join(tokens[self._consumed :])  # one count over what was written since
            self._consumed = len(tokens)
            newlines = text.count("\n") + text.count("\r") - text.count("\r\n")
            if newlines:
                self._line += newlines
                self._column = len(text) - max(text.rfind("\n"), text.rfind("\r")) - 1
            else:
                self._column += len(text)
        return self._line, self._column

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        # called for every node: the common case must cost nothing but a set lookup
        if id(node) not in self.targets:
            return _NOTHING
        return _Recorder(self, node)


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> bool:
        return False


_NOTHING = _Nothing()


class _Recorder:
    def __init__(self, state: _TargetPositionState, node) -> None:
        self.state = state
        self.node = node
        self.start = (1, 0)

    def __enter__(self) -> None:
        self.start = self.state._position()

    def __exit__(self, *exc) -> bool:
        end_line, end_column = self.state._position()
        line, column = self.start
        if id(self.node) not in self.state.found:
            self.state.found[id(self.node)] = Span(line, column + 1, end_line, end_column + 1)
        return False


def positions_of(module: cst.Module, nodes: list[cst.CSTNode]) -> dict[int, Span]:
    """Spans (1-based columns) of `nodes`, keyed by `id(node)`."""
    if not nodes:
        return {}
    state = _TargetPositionState(module, {id(node) for node in nodes})
    module._codegen(state)
    return state.found
