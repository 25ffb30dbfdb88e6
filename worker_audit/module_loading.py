"""One module's bytes -> its facts, or why there are none.

A pure function of the bytes and the knowledge: it can run in another process
(`--jobs`) and its answer can be cached by content (`fact_cache.py`). What the
answer means for the run (a finding, a note, an internal error) is the
engine's business."""

from __future__ import annotations

import ast
import io
import threading
import tokenize
from dataclasses import dataclass

from worker_audit.facts import ModuleFacts
from worker_audit.knowledge import Knowledge
from worker_audit.source import SourceProblem, decode_python


@dataclass(frozen=True)
class Loaded:
    """Exactly one of: facts; a problem with the file (syntax, encoding: WA001);
    a note (valid Python that libcst cannot parse); a bug of ours."""

    facts: ModuleFacts | None = None
    problem: tuple[str, int, int] | None = None  # SourceProblem's message, line, column
    note: str | None = None
    internal_error: str | None = None

    def source_problem(self) -> SourceProblem | None:
        return SourceProblem(*self.problem) if self.problem is not None else None


def _problem(problem: SourceProblem) -> Loaded:
    return Loaded(problem=(problem.message, problem.line, problem.column))


# libcst's parser is recursive native code: deep enough input overflows the C stack and
# kills the whole process (a 3,000-deep list, or `1 and 1 and ...` 30,000 times, on an
# 8 MiB stack). So CPython parses first (it refuses more than 200 nested brackets), a file
# deeper than MAX_DEPTH is reported instead of parsed, and libcst runs on a thread with a
# stack large enough for that depth (virtual memory, committed only as used).
MAX_DEPTH = 1000
PARSER_STACK_BYTES = 512 * 1024 * 1024


def load_module(path: str, data: bytes, knowledge: Knowledge) -> Loaded:
    from worker_audit.extract import extract_facts

    try:
        text = decode_python(data).text
        problem = cpython_verdict(text)
        if problem is not None:
            return _newer_syntax(path, text, problem, knowledge)
        module, refused_at = _parse_with_room(text)
        if module is None:  # valid Python that libcst cannot parse: a limit of ours, not an error of theirs
            return Loaded(note=f"not analyzed: libcst cannot parse this valid Python file (line {refused_at})")
        return Loaded(facts=extract_facts(path, module, knowledge))
    except SourceProblem as problem:
        return _problem(problem)
    except RecursionError:
        return _problem(SourceProblem("nested too deeply to analyze (recursion limit)"))
    except Exception as exc:  # a bug in worker-audit: keep it to this file
        return Loaded(internal_error=f"internal error, file skipped: {type(exc).__name__}: {exc}")


def cpython_verdict(text: str) -> SourceProblem | None:
    """CPython's syntax error, with its message and position; or a nesting too deep to analyze."""
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        return SourceProblem(f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1)
    except (RecursionError, MemoryError, ValueError):
        return SourceProblem("nested too deeply to analyze (recursion limit)")
    depth, line = _deepest(tree)
    if depth > MAX_DEPTH:
        return SourceProblem(f"nested too deeply to analyze ({depth} levels, more than {MAX_DEPTH})", line)
    return None


def _newer_syntax(path: str, text: str, problem: SourceProblem, knowledge: Knowledge) -> Loaded:
    """A syntax error of the running interpreter may be valid Python of a newer one (a
    3.12 f-string with nested quotes, on 3.11): libcst, which reads every version, gets to
    try when the file is small enough for it to read safely. Anything that goes wrong then
    (libcst refuses it, or accepts what no Python accepts, such as `"\\x"`) is CPython's
    syntax error, as it would have been without the try."""
    from worker_audit.extract import extract_facts

    if not problem.message.startswith("syntax error") or any(word in problem.message for word in _EVERY_VERSION):
        return _problem(problem)  # CPython's own limits and literal errors: the same in every version
    if _heaviest_line(text) > MAX_DEPTH:
        return _problem(problem)
    try:
        module, _ = _parse_with_room(text)
        if module is None:
            return _problem(problem)
        return Loaded(facts=extract_facts(path, module, knowledge))
    except Exception:
        return _problem(problem)


def _heaviest_line(text: str) -> int:
    """An upper bound of how deep libcst nests the heaviest logical line, from the tokens
    alone (no tree: CPython refused the text): every operator, bracket, dot and operator
    keyword counts as one level. Above MAX_DEPTH, libcst's time and memory grow too fast
    (a chain of 10,000 unary minuses takes it 37 s and 5.5 GB)."""
    heaviest = weight = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NEWLINE:
                weight = 0
            elif (token.type == tokenize.OP and token.string not in _FLAT) or token.string in _KEYWORD_OPERATORS:
                weight += 1
                heaviest = max(heaviest, weight)
    except (tokenize.TokenError, SyntaxError, ValueError):
        return MAX_DEPTH + 1
    return heaviest


# what CPython says about nesting limits and bad literals (which libcst does not check)
_EVERY_VERSION = ("too many", "(unicode error)", "(value error)", "bytes")
_FLAT = frozenset({",", ":", ";", ")", "]", "}", "=", "->"})  # separators and closers: no level of their own
_KEYWORD_OPERATORS = frozenset({"and", "or", "not", "in", "is", "if", "else", "lambda", "await"})


def _deepest(tree: ast.AST) -> tuple[int, int]:
    """How deep libcst will recurse, roughly: nesting, where each operand of an and/or chain
    or a comparison chain counts as a level (libcst nests them); and the line of the deepest."""
    deepest, line = 0, 1
    stack: list[tuple[ast.AST, int, int]] = [(tree, 0, 1)]
    while stack:
        node, depth, where = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values)
        elif isinstance(node, ast.Compare):
            depth += len(node.comparators)
        else:
            depth += 1
        where = getattr(node, "lineno", where)
        if depth > deepest:
            deepest, line = depth, where
        stack.extend((child, depth, where) for child in ast.iter_child_nodes(node))
    return deepest, line


def _parse_with_room(text: str):
    """libcst.parse_module on a thread with a large stack: (module, 0), or (None, the line
    libcst stopped at) when it rejects what CPython accepted."""
    import libcst

    outcome: dict = {}

    def parse() -> None:
        try:
            outcome["module"] = libcst.parse_module(text)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    previous = threading.stack_size(PARSER_STACK_BYTES)
    try:
        thread = threading.Thread(target=parse, name="worker-audit-parse")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    error = outcome.get("error")
    if isinstance(error, libcst.ParserSyntaxError):
        return None, error.raw_line
    if error is not None:
        raise error
    return outcome["module"], 0
