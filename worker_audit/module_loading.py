"""One module's bytes -> its facts, or why there are none.

A pure function of the bytes and the knowledge: it can run in another process
(`--jobs`) and its answer can be cached by content (`fact_cache.py`). What the
answer means for the run (a finding, a note, an internal error) is the
engine's business."""

from __future__ import annotations

import ast
import gc
import io
import re
import threading
import tokenize
from dataclasses import dataclass

from worker_audit.facts import ModuleFacts
from worker_audit.knowledge import Knowledge
from worker_audit.source import SourceProblem, decode_python

# Python's cyclic collector runs after every 700 allocations, and its runs of the oldest
# generation walk every object alive (in a run, the facts of every module read so far). A
# parse allocates hundreds of thousands of short-lived objects, and neither libcst's trees
# nor the facts hold cycles, so those collections find almost nothing: with the default
# thresholds they took about a seventh of a run on netbox (9.4-9.6 s against 8.1-8.2 s,
# the same peak memory). A run collects after 100,000 allocations instead.
COLLECTOR_THRESHOLDS = (100_000, 50, 100)


def collect_less() -> None:
    """For the process of a run (the command line, a pool's worker); not for a library caller's."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


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
SHALLOW = 100  # nesting the default stack of the main thread holds with room to spare
PARSER_STACK_BYTES = 512 * 1024 * 1024


def load_module(path: str, data: bytes, knowledge: Knowledge) -> Loaded:
    """Read on a thread of its own, with a large stack: the answer does not depend on how deep
    the caller's stack is (the run's analysis, a pool's worker, the process loading ahead,
    speculative_loading.py), so a module nested close to the recursion limit gets the same one
    wherever it is loaded."""
    try:
        return _with_room(lambda: _load(path, data, knowledge))
    except Exception as exc:  # no thread (`_load` keeps its own errors): this file is skipped
        return Loaded(internal_error=f"internal error, file skipped: {type(exc).__name__}: {exc}")


def _load(path: str, data: bytes, knowledge: Knowledge) -> Loaded:
    from worker_audit.extract import extract_facts

    try:
        text = decode_python(data).text
        problem = cpython_verdict(text)
        if problem is not None:
            return _newer_syntax(path, text, problem, knowledge)
        module, refused_at = _parse_with_room(text, room=False)  # (on the thread of load_module)
        if module is None:  # valid Python that libcst cannot parse: a limit of ours, not an error of theirs
            return Loaded(note=f"not analyzed: libcst cannot parse this valid Python file (line {refused_at})")
        return Loaded(facts=extract_facts(path, module, knowledge))
    except SourceProblem as problem:
        return _problem(problem)
    except RecursionError:
        return _problem(SourceProblem("nested too deeply to analyze (recursion limit)"))
    except Exception as exc:  # a bug in worker-audit: keep it to this file
        return Loaded(internal_error=f"internal error, file skipped: {type(exc).__name__}: {exc}")


class PartialModule:
    """A module read for some of its functions only (`Cable.save`), each from a parse of
    only the lines of the headers of the classes around the function, and of the function.
    Columns stay, lines are mapped back, and the module's names come from its outline (the
    same names a whole parse binds), so a function's facts are those a whole parse gives (a
    loop's id is its position). `function` answers None when the
    module must be read whole: a problem to report, or a function that is not plainly at
    the top level or in a top-level class. CPython's tree of the whole text is made once.
    A file the whole parse refuses for a part this read leaves out (nested deeper than
    MAX_DEPTH elsewhere, a line libcst rejects) still gives the facts of its other
    functions, until the module is read whole: measuring the whole tree's depth for every
    module read in part costs more than those rare files are worth."""

    def __init__(self, path: str, data: bytes) -> None:
        from worker_audit.outline import module_names, rebound_names

        self.path = path
        self.tree: ast.Module | None = None
        try:
            self.text = decode_python(data).text
            self.tree = ast.parse(self.text)
        except Exception:  # a problem the whole parse reports
            return
        self.names = module_names(self.tree)
        self.rebound = rebound_names(self.tree)
        self.lines = _PHYSICAL_LINE.findall(self.text)

    def function(self, qualname: str, knowledge: Knowledge) -> Loaded | None:
        from worker_audit.extract import extract_facts

        if self.tree is None:
            return None
        try:
            lines = self.lines
            kept = _kept_lines(self.tree, qualname.split("."), lines)
            if kept is None:
                return None
            nodes, numbers = kept
            depth = max(_deepest(node)[0] for node in nodes)
            if depth > MAX_DEPTH:
                return None
            originals = sorted(n for n in numbers if n <= len(lines))
            module, _ = _parse_with_room("".join(lines[n - 1] for n in originals), room=depth > SHALLOW)
            if module is None:
                return None
            return Loaded(facts=extract_facts(self.path, module, knowledge, self.names, originals, self.rebound))
        except Exception:  # whatever goes wrong here, the whole parse says it properly
            return None


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _defined_in_blocks(body: list[ast.stmt], name: str) -> bool:
    """Whether `name` is also defined inside an `if`, `try`, `with`... of `body`: then which
    definition stays is the whole parse's business."""
    stack: list[ast.AST] = [node for node in body if not isinstance(node, _DEFINITIONS)]
    while stack:
        node = stack.pop()
        if isinstance(node, _DEFINITIONS):
            if node.name == name:
                return True
            continue
        if isinstance(node, ast.stmt):
            stack.extend(
                child
                for child in ast.iter_child_nodes(node)
                if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case))
            )
        elif isinstance(node, (ast.excepthandler, ast.match_case)):
            stack.extend(node.body)
    return False


def _followed_by_comment(node: ast.stmt, lines: list[str]) -> bool:
    """Whether comment lines, or lines of spaces only, follow a definition before the next
    code: libcst may keep them in the definition's last block, so only a whole parse places
    its end."""
    for line in lines[node.end_lineno or node.lineno :]:
        text = line.strip()
        if text:
            return text.startswith("#")
        if line.rstrip("\r\n"):
            return True
    return False


def _kept_lines(tree: ast.Module, segments: list[str], lines: list[str]) -> tuple[list[ast.AST], set[int]] | None:
    """What a partial parse keeps for the function `segments` names: each enclosing class's
    header, and the function with its decorators; as (the nodes to check for depth, their
    line numbers from 1). None when the function is not plainly there."""
    nodes: list[ast.AST] = []
    kept: set[int] = set()
    body: list[ast.stmt] = tree.body
    for position, segment in enumerate(segments):
        matches = [node for node in body if isinstance(node, _DEFINITIONS) and node.name == segment]
        if not matches or _defined_in_blocks(body, segment):
            return None
        node = matches[-1]  # the last definition of a name is the one that stays
        start = min([node.lineno] + [d.lineno for d in node.decorator_list])
        whole = range(start, (node.end_lineno or node.lineno) + 1)
        if position == len(segments) - 1:
            if isinstance(node, ast.ClassDef) or _followed_by_comment(node, lines) or _read_whole(tree, node, segments):
                return None
            kept.update(whole)
            init = _init_beside(body, node) if position else None
            if init is not None:  # what `__init__` keeps on `self` types the method's `self.db`
                kept.update(range(min([init.lineno] + [d.lineno for d in init.decorator_list]), init.end_lineno + 1))
                return nodes + [node, init], kept
            return nodes + [node], kept
        if not isinstance(node, ast.ClassDef):
            return None  # a function nested in a function: read whole
        header_end = max([node.lineno] + [n.end_lineno or n.lineno for n in node.bases + node.keywords])
        first = node.body[0]
        body_start = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", [])])
        if body_start <= header_end:
            kept.update(whole)
            nodes.append(node)
        else:
            kept.update(range(start, body_start))
            nodes.extend(node.decorator_list + node.bases + node.keywords)
        body = node.body
    return None


def _read_whole(tree: ast.Module, function: ast.AST, segments: list[str]) -> bool:
    """A function whose facts depend on lines a partial parse leaves out: it reads a class
    constant through `self.`, `cls.` or the name of a class around it (`range(cls.RETRY_ATTEMPTS)`,
    `Client.SKUS`: the class's body and the module's subclasses say it), or a decorator of it
    names what the module only annotates (`manager: Blueprint`, a name another module sets:
    extract._free)."""
    owners = {"self", "cls", *segments[:-1]}
    if any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in owners
        and node.attr.isupper()
        for node in ast.walk(function)
    ):
        return True
    roots = set()
    for decorator in getattr(function, "decorator_list", []):
        while isinstance(decorator, (ast.Call, ast.Attribute)):
            decorator = decorator.func if isinstance(decorator, ast.Call) else decorator.value
        if isinstance(decorator, ast.Name):
            roots.add(decorator.id)
    pending = list(tree.body)
    while roots and pending:
        statement = pending.pop()
        if isinstance(statement, ast.AnnAssign) and statement.value is None:
            if isinstance(statement.target, ast.Name) and statement.target.id in roots:
                return True
        elif isinstance(statement, (ast.If, ast.Try)):
            pending.extend(ast.iter_child_nodes(statement))
    return False


def _init_beside(body: list[ast.stmt], method: ast.AST) -> ast.FunctionDef | None:
    """The `__init__` of the class whose body holds `method`, when it is plainly there."""
    inits = [node for node in body if isinstance(node, ast.FunctionDef) and node.name == "__init__"]
    if not inits or inits[-1] is method or inits[-1].end_lineno is None or _defined_in_blocks(body, "__init__"):
        return None
    return inits[-1]


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
        module, _ = _parse_with_room(text, room=False)  # (on the thread of load_module)
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
    pop, push = stack.pop, stack.append  # (the children as `ast.iter_child_nodes` gives them, inline)
    while stack:
        node, depth, where = pop()
        kind = type(node)
        if kind is ast.BoolOp:
            depth += len(node.values)  # type: ignore[attr-defined]
        elif kind is ast.Compare:
            depth += len(node.comparators)  # type: ignore[attr-defined]
        else:
            depth += 1
        where = getattr(node, "lineno", where)
        if depth > deepest:
            deepest, line = depth, where
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                push((value, depth, where))
            elif type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        push((item, depth, where))
    return deepest, line


def _parse_with_room(text: str, room: bool = True):
    """libcst.parse_module on a thread with a large stack: (module, 0), or (None, the line
    libcst stopped at) when it rejects what CPython accepted. `room=False`: here, for text
    known to be shallow (a function read alone), where the thread costs more than the parse,
    or on a thread with the room already (load_module's)."""
    import libcst

    try:
        return (_with_room(lambda: libcst.parse_module(text)) if room else libcst.parse_module(text)), 0
    except libcst.ParserSyntaxError as error:
        return None, error.raw_line


def _with_room(work):
    """`work()` on a thread with a large stack; what it raises is raised here."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    previous = threading.stack_size(PARSER_STACK_BYTES)
    try:
        thread = threading.Thread(target=run, name="worker-audit-parse")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
