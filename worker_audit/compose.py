"""docker-compose files, read safely: YAML nodes with their marks, never objects.

Only `yaml.compose` with the safe loader is used: no constructor runs, tags
like `!!python/object` are refused, and walking the node graph has a budget so
an alias bomb ("billion laughs") costs bounded time and memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

NODE_BUDGET = 200_000
_UNSAFE_TAG = "tag:yaml.org,2002:python/"


@dataclass(frozen=True)
class YamlProblem:
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class ComposeDocument:
    path: str
    root: yaml.MappingNode


def _first_line(exc: yaml.YAMLError, text: str) -> tuple[str, int, int]:
    """The message and the most useful mark: where the problem is, unless that is
    the end of the file, where the unclosed construct began is more helpful."""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is None or (context_mark is not None and mark.index >= len(text.rstrip())):
        mark = context_mark or mark
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context else str(problem)
    if mark is None:
        return text, 1, 1
    return text, mark.line + 1, mark.column + 1


def _check_nodes(root: yaml.Node) -> YamlProblem | None:
    budget = NODE_BUDGET
    stack = [root]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            mark = root.start_mark
            return YamlProblem(
                f"more than {NODE_BUDGET} nodes once aliases are expanded (an alias bomb?)",
                mark.line + 1,
                mark.column + 1,
            )
        if node.tag.startswith(_UNSAFE_TAG):
            mark = node.start_mark
            return YamlProblem(
                f"unsafe tag {node.tag.replace('tag:yaml.org,2002:', '!!')} refused", mark.line + 1, mark.column + 1
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def load_compose(path: Path, text: str) -> ComposeDocument | YamlProblem:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        message, line, column = _first_line(exc, text)
        return YamlProblem(f"invalid YAML: {message}", line, column)
    except RecursionError:
        return YamlProblem("invalid YAML: nested too deeply", 1, 1)
    if root is None:
        return YamlProblem("empty compose file", 1, 1)
    problem = _check_nodes(root)
    if problem is not None:
        return problem
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        return YamlProblem("a compose file must be a mapping (services: ...)", mark.line + 1, mark.column + 1)
    return ComposeDocument(str(path), root)
