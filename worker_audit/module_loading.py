"""One module's bytes -> its facts, or why there are none.

A pure function of the bytes and the knowledge: it can run in another process
(`--jobs`) and its answer can be cached by content (`fact_cache.py`). What the
answer means for the run (a finding, a note, an internal error) is the
engine's business."""

from __future__ import annotations

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


def load_module(path: str, data: bytes, knowledge: Knowledge) -> Loaded:
    import libcst

    from worker_audit.extract import extract_facts

    try:
        text = decode_python(data).text
        module = libcst.parse_module(text)
        return Loaded(facts=extract_facts(path, module, knowledge))
    except SourceProblem as problem:
        return _problem(problem)
    except libcst.ParserSyntaxError as exc:
        problem = syntax_problem(text, exc)
        if problem is None:  # valid Python that libcst cannot parse: a limit of ours, not an error of theirs
            return Loaded(note=f"not analyzed: libcst cannot parse this valid Python file (line {exc.raw_line})")
        return _problem(problem)
    except RecursionError:
        return _problem(SourceProblem("nested too deeply to analyze (recursion limit)"))
    except Exception as exc:  # a bug in worker-audit: keep it to this file
        return Loaded(internal_error=f"internal error, file skipped: {type(exc).__name__}: {exc}")


def syntax_problem(text: str, exc) -> SourceProblem | None:
    """CPython's own message and position when it agrees the file is invalid;
    None when CPython parses it (then only libcst cannot)."""
    import ast

    try:
        ast.parse(text)
    except SyntaxError as error:
        return SourceProblem(f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1)
    except (RecursionError, MemoryError, ValueError):
        message = exc.message.splitlines()[0] if exc.message else "invalid syntax"
        return SourceProblem(f"syntax error: {message}", exc.raw_line, exc.raw_column + 1)
    return None
