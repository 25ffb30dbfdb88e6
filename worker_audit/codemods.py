"""Fixes that rewrite code rather than splice text: libcst transformations run
by `fixes.py` on a file's current text, described by a rule as a small spec.

thread-to-job (WA102, unsafe): a handler's `threading.Thread(target=f, args=...,
kwargs=...)` and its `.start()` become a tracking record, an enqueue of `f`
with the same arguments and a job timeout, and the handler's JSON responses
after it answer 202 with the job id.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from worker_audit.positions import positions_of

_EMPTY = cst.Module(body=[])


def _code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def _function(module: cst.Module, qualname: str) -> cst.FunctionDef | None:
    parts = qualname.split(".")
    body: list[cst.CSTNode] = list(module.body)
    found = None
    for part in parts:
        found = next((n for n in body if isinstance(n, (cst.FunctionDef, cst.ClassDef)) and n.name.value == part), None)
        if found is None:
            return None
        body = list(found.body.body) if isinstance(found.body, cst.IndentedBlock) else []
    return found if isinstance(found, cst.FunctionDef) else None


def _statements(node: cst.CSTNode) -> list[cst.CSTNode]:
    out: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.SimpleStatementLine, cst.Return)):
            out.append(current)
        if isinstance(current, (cst.FunctionDef, cst.ClassDef)) and current is not node:
            continue
        stack.extend(current.children)
    return out


def _thread_call(statement: cst.SimpleStatementLine) -> tuple[cst.Call, str | None] | None:
    """The Thread call of `t = Thread(...)` (and the variable), or of `Thread(...).start()`."""
    small = statement.body[0]
    if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) and len(small.targets) == 1:
        target = small.targets[0].target
        return (small.value, target.value) if isinstance(target, cst.Name) else None
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if isinstance(func, cst.Attribute) and func.attr.value == "start" and isinstance(func.value, cst.Call):
            return func.value, None
    return None


def _keyword(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    if position is not None and position < len(positional):
        return positional[position].value
    return None


def _arguments(args: cst.BaseExpression | None, kwargs: cst.BaseExpression | None) -> str:
    out = ""
    if isinstance(args, (cst.Tuple, cst.List)):
        out += "".join(f", {_code(e.value)}" for e in args.elements)
    elif args is not None:
        out += f", *{_code(args)}"
    if isinstance(kwargs, cst.Dict) and all(
        isinstance(e, cst.DictElement)
        and isinstance(e.key, cst.SimpleString)
        and str(e.key.evaluated_value).isidentifier()
        for e in kwargs.elements
    ):
        out += "".join(f", {e.key.evaluated_value}={_code(e.value)}" for e in kwargs.elements)
    elif kwargs is not None:
        out += f", **{_code(kwargs)}"
    return out


def _accepted(value: cst.BaseExpression, job: str) -> cst.BaseExpression | None:
    """`jsonify({...}), 201` / `jsonify({...})` -> `jsonify({..., "job_id": job.id}), 202`."""
    body = value.elements[0].value if isinstance(value, cst.Tuple) and len(value.elements) == 2 else value
    if not (isinstance(body, cst.Call) and len(body.args) == 1 and isinstance(body.args[0].value, cst.Dict)):
        return None
    payload = body.args[0].value
    if not any(isinstance(e, cst.DictElement) and _code(e.key) in ('"job_id"', "'job_id'") for e in payload.elements):
        element = cst.DictElement(cst.SimpleString('"job_id"'), cst.parse_expression(f"{job}.id"))
        elements = list(payload.elements)
        if elements and elements[-1].comma is cst.MaybeSentinel.DEFAULT:
            elements[-1] = elements[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        payload = payload.with_changes(elements=[*elements, element])
        body = body.with_changes(args=[body.args[0].with_changes(value=payload)])
    return cst.Tuple([cst.Element(body), cst.Element(cst.Integer("202"))], lpar=[], rpar=[])


def thread_to_job(module: cst.Module, spec: dict) -> cst.Module | None:
    function = _function(module, spec["function"])
    if function is None:
        return None
    statements = _statements(function)
    spans = positions_of(module, statements)
    found = None
    for statement in statements:
        span = spans.get(id(statement))
        if isinstance(statement, cst.SimpleStatementLine) and span is not None and span.line == spec["line"]:
            found = (statement, _thread_call(statement))
            break
    if found is None or found[1] is None:
        return None
    statement, (call, variable) = found
    target = _keyword(call, "target", 1)
    if target is None:
        return None
    names = {n.value for n in _names(function)}
    job = "job" if "job" not in names else "background_job"
    model, db, redis = spec["job_model"][1], spec["db"][1], spec["redis"][1]
    enqueue_args = _code(target) + _arguments(_keyword(call, "args", 3), _keyword(call, "kwargs", 4))
    lines = [
        f'{job} = {model}(job_type="{spec["job_type"]}", status="queued")',
        f"{db}.session.add({job})",
        f"{db}.session.commit()",
        f'Queue("{spec["queue"]}", connection={redis}).enqueue({enqueue_args}, job_timeout="{spec["timeout"]}")',
    ]
    replacement = [cst.parse_statement(line) for line in lines]
    replacement[0] = replacement[0].with_changes(leading_lines=statement.leading_lines)
    after_line = spans[id(statement)].line
    returns = {
        id(s)
        for s in statements
        if isinstance(s, cst.Return) and spans.get(id(s), None) and spans[id(s)].line > after_line
    }

    class Rewrite(cst.CSTTransformer):
        def leave_SimpleStatementLine(self, original, updated):
            if original is statement:
                return cst.FlattenSentinel(replacement)
            small = original.body[0]
            if variable and isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                func = small.value.func
                if isinstance(func, cst.Attribute) and func.attr.value == "start" and _code(func.value) == variable:
                    return cst.RemoveFromParent()
            return updated

        def leave_Return(self, original, updated):
            if id(original) in returns and updated.value is not None:
                accepted = _accepted(updated.value, job)
                if accepted is not None:
                    return updated.with_changes(value=accepted)
            return updated

    rewritten = module.visit(Rewrite())
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, "rq", "Queue")
    for module_name, name in (spec["job_model"], spec["db"], spec["redis"]):
        AddImportsVisitor.add_needed_import(context, module_name, name)
    rewritten = AddImportsVisitor(context).transform_module(rewritten)
    # the thread's import, when nothing else uses it any more
    for module_name, name in (
        ("threading", None),
        ("threading", "Thread"),
        ("multiprocessing", None),
        ("multiprocessing", "Process"),
    ):
        RemoveImportsVisitor.remove_unused_import(context, module_name, name)
    rewritten = RemoveImportsVisitor(context).transform_module(rewritten)
    if rewritten.body and rewritten.code.startswith("\n") and not module.code.startswith("\n"):
        # the removed import was the first line: do not leave the blank line after it on top
        first = rewritten.body[0]
        kept = [line for line in first.leading_lines if line.comment is not None]
        rewritten = rewritten.with_changes(body=[first.with_changes(leading_lines=kept), *rewritten.body[1:]])
    return rewritten


def _names(node: cst.CSTNode) -> list[cst.Name]:
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            out.append(current)
        stack.extend(current.children)
    return out


CODEMODS = {"thread-to-job": thread_to_job}
