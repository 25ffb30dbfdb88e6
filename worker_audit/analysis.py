"""The answers rules ask for, computed once per run over the project index."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Iterable, Optional

from worker_audit.facts import ModuleFacts
from worker_audit.finding import Related, Span
from worker_audit.handlers import Handler, find_handlers
from worker_audit.knowledge import Knowledge
from worker_audit.project import ProjectIndex
from worker_audit.reach import Reach, Reached
from worker_audit.settings import Settings


def display_path(path: str | Path) -> str:
    """POSIX, relative to the working directory when below it."""
    absolute = Path(path).absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


class Analysis:
    def __init__(
        self,
        index: ProjectIndex,
        knowledge: Knowledge,
        settings: Settings,
        reported: set[str],
        roots: list[ModuleFacts],
        compose_problems: Iterable = (),
    ) -> None:
        self.index = index
        self.knowledge = knowledge
        self.settings = settings
        self.reported = reported  # files the user asked about: findings land only there
        self.roots = roots  # parsed modules that may define handlers
        self.reach = Reach(index, knowledge, settings.max_call_depth)
        self.problems: list = []  # (path, SourceProblem) of files that could not be read
        self.config_problems: list = list(compose_problems)  # (path, message, line, column)

    @cached_property
    def handlers(self) -> list[Handler]:
        return [h for h in find_handlers(self.index, self.knowledge, self.roots) if h.path in self.reported]

    def reached(self, handler: Handler) -> list[Reached]:
        return self.reach.from_function(handler.path, handler.qualname)

    @staticmethod
    def display(path: str) -> str:
        return display_path(path)

    def chain_related(self, reached: Reached, what: str) -> list[Related]:
        """The hops from the handler to the effect, then the effect itself."""
        related = [
            Related(self.display(hop.callee_path), self._function_line(hop.callee_path, hop.callee), f"calls `{hop.callee}`")
            for hop in reached.chain
        ]
        effect = reached.effect
        related.append(Related(self.display(effect.path), effect.call.span.line, f"{what}: {effect.call.text}"))
        return related

    def _function_line(self, path: str, qualname: str) -> int:
        function = self.index.function(path, qualname)
        return function.span.line if function is not None else 1

    @staticmethod
    def first(reached: list[Reached]) -> Reached:
        return min(reached, key=lambda r: (r.anchor.line, r.anchor.column, len(r.chain)))

    @staticmethod
    def via(reached: Reached) -> str:
        if not reached.chain:
            return ""
        names = " -> ".join(f"`{hop.callee}()`" for hop in reached.chain)
        return f" (via {names})"

    @staticmethod
    def handler_name(handler: Handler) -> str:
        return handler.qualname


def relative_to_root(path: str, root: Path) -> Optional[str]:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return None
