"""Fixes that rewrite code rather than splice text: libcst transformations run
by `fixes.py` on a file's current text, described by a rule as a small spec.

thread-to-job (WA102, unsafe): a handler's `threading.Thread(target=f, args=...,
kwargs=...)` and its `.start()` become a tracking record, an enqueue of `f`
with the same arguments and a job timeout, and the handler's JSON responses
after it answer 202 with the job id.
"""

from __future__ import annotations

import builtins

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from worker_audit.extract import own_nodes
from worker_audit.positions import positions_of

_EMPTY = cst.Module(body=[])
_BUILTINS = frozenset(dir(builtins))


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


def _later_siblings(function: cst.FunctionDef, statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements after `statement` in the block that holds it."""
    for node in _walk(function):
        body = getattr(node, "body", None)
        if isinstance(body, (list, tuple)) and any(s is statement for s in body):
            index = next(i for i, s in enumerate(body) if s is statement)
            return list(body[index + 1 :])
    return []


def _remove_if_unused(context: CodemodContext, line: str) -> None:
    """Schedule the import a `_module_imports` line describes for removal, if nothing uses it."""
    if line.startswith("from "):
        source, _, imported = line.partition(" import ")
        obj, _, alias = imported.partition(" as ")
        RemoveImportsVisitor.remove_unused_import(context, source[len("from ") :], obj, alias or None)
    else:
        obj, _, alias = line[len("import ") :].partition(" as ")
        RemoveImportsVisitor.remove_unused_import(context, obj, None, alias or None)


def _importing(spec: dict, *imports) -> CodemodContext:
    """A context that adds these `(module, name)` imports, but none from the module being
    rewritten (`spec["module"]`): its own names need no import, and `from app import db`
    in app.py would be a circular import."""
    context = CodemodContext()
    for module_name, name in imports:
        if module_name != spec.get("module"):
            AddImportsVisitor.add_needed_import(context, module_name, name)
    return context


def _tuple_of_strings(values) -> str:
    """`("a", "b")`, and `("a",)` for one value (not the string `("a")`)."""
    return repr(tuple(str(v) for v in values)).replace("'", '"')


def _thread_call(statement: cst.SimpleStatementLine) -> tuple[cst.Call, str | None] | None:
    """The Thread call of `t = Thread(...)` (and the variable), or of `Thread(...).start()`;
    a bare `spawn(...)` / `executor.submit(...)` statement is its own call."""
    small = statement.body[0]
    if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) and len(small.targets) == 1:
        target = small.targets[0].target
        return (small.value, target.value) if isinstance(target, cst.Name) else None
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if isinstance(func, cst.Attribute) and func.attr.value == "start" and isinstance(func.value, cst.Call):
            return func.value, None
        return small.value, None
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
    """The thread (or spawn) statement at `spec["line"]` becomes a job record and an
    enqueue; with style "track", the enqueue statement there is kept and the record
    is created before it. The jsonify responses after it answer 202 with the job id."""
    function = _function(module, spec["function"])
    if function is None:
        return None
    statements = _statements(function)
    spans = positions_of(module, statements)
    found = None
    for statement in statements:
        span = spans.get(id(statement))
        if isinstance(statement, cst.SimpleStatementLine) and span is not None and span.line == spec["line"]:
            found = (statement, (None, None) if spec.get("style") == "track" else _thread_call(statement))
            break
    if found is None or found[1] is None:
        return None
    statement, (call, variable) = found
    if len(statement.body) > 1:
        return None  # `t = Thread(...); t.start(); log(...)`: the line holds more than the thread
    if variable is not None and not _only_started(function, variable):
        return None  # `t.daemon = True`, `t.name`, `t.join()`: the thread is used, not only started
    if call is None:
        enqueue_args = ""  # the enqueue stays as it is
    elif spec.get("style") == "spawn":  # spawn(f, *args, **kwargs): the arguments pass through as they are
        if variable is not None or not call.args or call.args[0].keyword or call.args[0].star:
            return None  # the greenlet or future is kept (joined, awaited): the shape is not understood
        arguments = [_code(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for arg in call.args]
        enqueue_args = ", ".join(arguments)
    else:
        small = statement.body[0]
        if variable is None and isinstance(small, cst.Expr) and small.value is call:
            return None  # `Thread(...)` never started
        target = _keyword(call, "target", 1)
        if target is None:
            return None
        enqueue_args = _code(target) + _arguments(_keyword(call, "args", 3), _keyword(call, "kwargs", 4))
    wanted = [spec["job_model"], spec["db"]] + ([("rq", "Queue"), spec["redis"]] if call is not None else [])
    if _clashes(module, function, spec, wanted):
        return None
    names = {n.value for n in _names(function)}
    job = "job" if "job" not in names else "background_job"
    model, db = spec["job_model"][1], spec["db"][1]
    lines = [
        f'{job} = {model}(job_type="{spec["job_type"]}", status="queued")',
        f"{db}.session.add({job})",
        f"{db}.session.commit()",
    ]
    if call is not None:
        redis, timeout = spec["redis"][1], spec["timeout"]
        lines.append(f'Queue("{spec["queue"]}", connection={redis}).enqueue({enqueue_args}, job_timeout="{timeout}")')
    replacement = [cst.parse_statement(line) for line in lines]
    if call is None:
        replacement.append(statement.with_changes(leading_lines=[]))
    replacement[0] = replacement[0].with_changes(leading_lines=statement.leading_lines)
    # only the responses that run after it: later in its own block (a return in another
    # branch would answer with a job that was never created)
    returns = {
        id(n) for later in _later_siblings(function, statement) for n in _walk(later) if isinstance(n, cst.Return)
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
    if call is None:
        context = _importing(spec, spec["job_model"], spec["db"])
        return AddImportsVisitor(context).transform_module(rewritten)
    context = _importing(spec, spec["job_model"], spec["db"], ("rq", "Queue"), spec["redis"])
    rewritten = AddImportsVisitor(context).transform_module(rewritten)
    # the import the thread or spawn came from, when nothing else uses it any more
    root = call.func
    while isinstance(root, cst.Attribute):
        root = root.value
    line = _module_imports(module, "").get(root.value) if isinstance(root, cst.Name) else None
    if line is not None:
        _remove_if_unused(context, line)
    rewritten = RemoveImportsVisitor(context).transform_module(rewritten)
    if rewritten.body and rewritten.code.startswith("\n") and not module.code.startswith("\n"):
        # the removed import was the first line: do not leave the blank line after it on top
        first = rewritten.body[0]
        kept = [line for line in first.leading_lines if line.comment is not None]
        rewritten = rewritten.with_changes(body=[first.with_changes(leading_lines=kept), *rewritten.body[1:]])
    return rewritten


def _only_started(function: cst.FunctionDef, variable: str) -> bool:
    """Whether the function names the thread's variable only where it is built and in one
    `variable.start()` line of its own (the line the rewrite removes)."""
    uses = [name for name in _names(function) if name.value == variable]
    starts = [
        statement
        for statement in _statements(function)
        if isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and _code(statement.body[0].value) == f"{variable}.start()"
    ]
    return len(uses) == 2 and len(starts) == 1


def _names(node: cst.CSTNode) -> list[cst.Name]:
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            out.append(current)
        stack.extend(current.children)
    return out


def _thread_to_job(module: cst.Module, spec: dict):
    rewritten = thread_to_job(module, spec)
    return (rewritten, {}) if rewritten is not None else None


CODEMODS = {"thread-to-job": _thread_to_job, "track-enqueue": _thread_to_job}


# ---------------------------------------------------------------- bulk-to-job


def _in_filters(node: cst.CSTNode) -> set[str]:
    """Names passed to `.in_(...)` under a node: the id lists the statements filter by."""
    found = set()
    for current in _walk(node):
        if isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
            if (
                current.func.attr.value == "in_"
                and len(current.args) == 1
                and isinstance(current.args[0].value, cst.Name)
            ):
                found.add(current.args[0].value.value)
    return found


def _walk(node: cst.CSTNode):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def _is_commit(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and isinstance(small.value.func, cst.Attribute)
        and small.value.func.attr.value == "commit"
    )


class _Rename(cst.CSTTransformer):
    """Renames the given Name nodes (by identity), and no other node of that name."""

    def __init__(self, names: set[int], new: str) -> None:
        self.names, self.new = names, new

    def leave_Name(self, original, updated):
        return updated.with_changes(value=self.new) if id(original) in self.names else updated


def _module_imports(module: cst.Module, module_name: str) -> dict[str, str]:
    """Top-level names bound by imports -> an absolute import line that binds them."""
    lines: dict[str, str] = {}
    package = module_name.rsplit(".", 1)[0] if "." in module_name else ""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                source = _EMPTY.code_for_node(small.module) if small.module is not None else ""
                if small.relative:
                    base = package.split(".") if package else []
                    base = base[: len(base) - (len(small.relative) - 1)] if len(small.relative) > 1 else base
                    source = ".".join([*base, source] if source else base)
                for alias in small.names:
                    name = _code(alias.name)
                    local = _code(alias.asname.name) if alias.asname else name
                    suffix = f" as {local}" if alias.asname else ""
                    lines[local] = f"from {source} import {name}{suffix}"
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    name = _code(alias.name)
                    local = _code(alias.asname.name) if alias.asname else name.split(".")[0]
                    lines[local] = f"import {name}" + (f" as {local}" if alias.asname else "")
    return lines


def _merged_imports(lines: list[str]) -> list[str]:
    """`from m import a` and `from m import b` become `from m import a, b`."""
    merged: dict[str, list[str]] = {}
    for line in lines:
        source, _, names = line.partition(" import ")
        key = source if source.startswith("from ") else line
        merged.setdefault(key, []).append(names)
    return [
        key if not key.startswith("from ") else f"{key} import {', '.join(sorted(names))}"
        for key, names in merged.items()
    ]


# names the generated job binds itself: a block that uses one of them is not moved
_JOB_NAMES = frozenset({"job", "job_id", "batch", "start", "BATCH_SIZE", "logger", "logging", "datetime"})


# imports whose values exist only while a request is served: a job cannot read them
_REQUEST_ONLY = frozenset(f"from flask import {name}" for name in ("request", "g", "session", "current_app"))


def _block_reads(
    module: cst.Module, block: list[cst.CSTNode], ids: str, imports: dict[str, str]
) -> tuple[list[str], set[str], set[int]] | None:
    """What the moved block reads, from libcst's scope analysis: the handler's
    variables bound before it (they become the job's parameters), the module's
    imports it uses, and the Name nodes that read the id list. None when the
    block reads something the job module could not have (a module-level variable,
    an undefined name), rebinds the id list, or uses a name the job binds."""
    from libcst.metadata import BuiltinScope, GlobalScope, ImportAssignment, MetadataWrapper, ScopeProvider

    scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    inside = {id(node) for statement in block for node in _walk(statement)}
    block_scopes = {scopes[node] for statement in block for node in _walk(statement) if node in scopes}
    parameters: set[str] = set()
    imported: set[str] = set()
    id_reads: set[int] = set()
    for scope in block_scopes:
        for assignment in scope.assignments:
            if getattr(assignment, "node", None) is not None and id(assignment.node) in inside:
                if assignment.name == ids or assignment.name in _JOB_NAMES:
                    return None
        for access in scope.accesses:
            if id(access.node) not in inside:
                continue
            name = _code(access.node)
            if not access.referents or name in _JOB_NAMES:
                return None
            for referent in access.referents:
                if isinstance(referent.scope, BuiltinScope):
                    continue
                if isinstance(referent.scope, GlobalScope):
                    if referent.name not in imports or imports[referent.name] in _REQUEST_ONLY:
                        return None
                    imported.add(referent.name)
                elif isinstance(referent, ImportAssignment):
                    return None  # an import inside the handler: not a value to pass to a job
                elif id(getattr(referent, "node", None)) not in inside:
                    parameters.add(referent.name)
            if name == ids:
                id_reads.add(id(access.node))
    return sorted(parameters - {ids}), imported, id_reads


def bulk_to_job(module: cst.Module, spec: dict) -> tuple[cst.Module, dict[str, str]] | None:
    """The handler's bulk statements (from the first bulk call to the commit after the
    last) move into a new job that processes the id list they filter by in batches,
    with a heartbeat, a cancel check and JOB_* logs; the handler records the job,
    enqueues it and answers 202 with its id. Returns the rewritten handler module and
    the new job module's text by path; None when the block does not have that shape."""
    function = _function(module, spec["function"])
    if function is None or not isinstance(function.body, cst.IndentedBlock):
        return None
    body = list(function.body.body)
    spans = positions_of(module, body)
    first, last = spec["first_line"], spec["last_line"]
    inside = [
        i for i, s in enumerate(body) if spans.get(id(s)) and spans[id(s)].line <= last and _last(spans[id(s)]) >= first
    ]
    if not inside:
        return None
    start, end = inside[0], inside[-1]
    if end + 1 < len(body) and _is_commit(body[end + 1]):
        end += 1
    block = body[start : end + 1]
    if any(
        isinstance(n, (cst.SimpleString, cst.FormattedString)) and "\n" in _code(n) for s in block for n in _walk(s)
    ):
        return None  # re-indented into the job, a string spanning lines would change its value
    id_lists = set().union(*(_in_filters(s) for s in block))
    if len(id_lists) != 1:
        return None  # not one id list: the shape is not understood
    ids = id_lists.pop()
    imports = _module_imports(module, spec["module"])
    reads = _block_reads(module, block, ids, imports)
    if reads is None:
        return None
    extras, imported, id_reads = reads
    job_fn, db, model = spec["job_function"], spec["db"][1], spec["job_model"][1]
    wanted = [("rq", "Queue"), (spec["jobs_module"], job_fn), spec["job_model"], spec["db"], spec["redis"]]
    if _clashes(module, function, spec, wanted):
        return None
    moved = [s.visit(_Rename(id_reads, "batch")) for s in block if not _is_commit(s)]
    moved_code = "".join(_EMPTY.code_for_node(s.with_changes(leading_lines=[])) for s in moved)
    moved_code = "".join(f"        {line}\n" if line.strip() else "\n" for line in moved_code.splitlines())
    needed = sorted(
        {imports[n] for n in imported}
        | {f"from {spec['db'][0]} import {db}", f"from {spec['job_model'][0]} import {model}"}
    )
    params = ", ".join(["job_id", ids, *extras])
    heartbeat, low = spec["heartbeat_field"], spec["batch_size"]
    states = _tuple_of_strings(spec["cancel_states"])
    job_module = (
        f'"""{job_fn}: written by worker-audit from `{spec["function"]}` (WA101)."""\n\n'
        "import logging\nfrom datetime import datetime\n\n"
        + "\n".join(_merged_imports(needed))
        + "\n\nlogger = logging.getLogger(__name__)\n\n"
        + f"BATCH_SIZE = {low}\n\n\n"
        + f"def {job_fn}({params}):\n"
        + f"    job = {model}.query.get(job_id)\n"
        + f'    logger.info("{spec["log_start"]} {job_fn} job_id=%s total=%s", job_id, len({ids}))\n'
        + '    job.status = "running"\n'
        + f"    {db}.session.commit()\n"
        + f"    for start in range(0, len({ids}), BATCH_SIZE):\n"
        + f"        {db}.session.refresh(job)\n"
        + f"        if job.status in {states}:\n"
        + f'            logger.info("JOB_STOPPED {job_fn} job_id=%s status=%s", job_id, job.status)\n'
        + "            return\n"
        + f"        batch = {ids}[start : start + BATCH_SIZE]\n"
        + moved_code
        + "        job.processed = (job.processed or 0) + len(batch)\n"
        + f"        job.{heartbeat} = datetime.utcnow()\n"
        + f"        {db}.session.commit()\n"
        + f'        logger.info("{spec["log_progress"]} {job_fn} job_id=%s processed=%s", job_id, job.processed)\n'
        + '    job.status = "completed"\n'
        + f"    {db}.session.commit()\n"
        + f'    logger.info("{spec["log_done"]} {job_fn} job_id=%s", job_id)\n'
    )
    job = "job" if "job" not in {n.value for n in _walk(function) if isinstance(n, cst.Name)} else "background_job"
    arguments = ", ".join([f"{job}.id", ids, *extras])
    lines = [
        f'{job} = {model}(job_type="{job_fn}", status="queued")',
        f"{db}.session.add({job})",
        f"{db}.session.commit()",
        f'Queue("{spec["queue"]}", connection={spec["redis"][1]}).enqueue('
        f'{job_fn}, {arguments}, job_timeout="{spec["timeout"]}")',
    ]
    replacement = [cst.parse_statement(line) for line in lines]
    replacement[0] = replacement[0].with_changes(leading_lines=block[0].leading_lines)
    new_body = [*body[:start], *replacement, *body[end + 1 :]]
    after_line = spans[id(block[-1])].line

    class Accept(cst.CSTTransformer):
        def leave_Return(self, original, updated):
            span = return_spans.get(id(original))
            if span is not None and span.line > after_line and updated.value is not None:
                accepted = _accepted(updated.value, job)
                if accepted is not None:
                    return updated.with_changes(value=accepted)
            return updated

    returns = [n for s in body[end + 1 :] for n in _walk(s) if isinstance(n, cst.Return)]
    return_spans = positions_of(module, returns)
    rewritten_function = function.with_changes(body=function.body.with_changes(body=new_body)).visit(Accept())
    rewritten = module.visit(_Replace(function, rewritten_function))
    context = _importing(
        spec, ("rq", "Queue"), (spec["jobs_module"], job_fn), spec["job_model"], spec["db"], spec["redis"]
    )
    rewritten = AddImportsVisitor(context).transform_module(rewritten)
    for name in sorted(imported):  # the moved block's imports, when nothing else uses them
        _remove_if_unused(context, imports[name])
    rewritten = RemoveImportsVisitor(context).transform_module(rewritten)
    created = {spec["job_path"]: job_module}
    if spec.get("package_init"):  # the project has no jobs package yet
        created[spec["package_init"]] = '"""Background jobs, run by the worker (created by worker-audit)."""\n'
    return rewritten, created


def _last(span) -> int:
    return span.end_line - 1 if span.end_column == 1 and span.end_line > span.line else span.end_line


class _Replace(cst.CSTTransformer):
    def __init__(self, old: cst.CSTNode, new: cst.CSTNode) -> None:
        self.old, self.new = old, new

    def leave_FunctionDef(self, original, updated):
        return self.new if original is self.old else updated


CODEMODS["bulk-to-job"] = bulk_to_job  # returns (module, {new file path: text})


# ------------------------------------------------------------ track-job / pass-record-id


def pass_record_id(module: cst.Module, spec: dict) -> tuple[cst.Module, dict[str, str]] | None:
    """The enqueue of `spec["job"]` at `spec["line"]` passes the record created before it
    (`X = Model(...)` earlier in the same block or an enclosing one) as its first argument."""
    function = _function(module, spec["function"])
    if function is None:
        return None
    statements = _statements(function)
    spans = positions_of(module, statements)
    model = spec["job_model"][1]
    record = None
    target = None
    for statement in sorted(
        statements, key=lambda s: (spans[id(s)].line, spans[id(s)].column) if id(s) in spans else (0, 0)
    ):
        span = spans.get(id(statement))
        if span is None or not isinstance(statement, cst.SimpleStatementLine):
            continue
        small = statement.body[0]
        if span.line < spec["line"] and isinstance(small, cst.Assign) and len(small.targets) == 1:
            value, name = small.value, small.targets[0].target
            if isinstance(value, cst.Call) and _code(value.func) == model and isinstance(name, cst.Name):
                record = name.value
        if span.line <= spec["line"] <= span.end_line:
            target = statement
            break
    if record is None or target is None:
        return None
    calls = [
        n
        for n in _walk(target)
        if isinstance(n, cst.Call)
        and isinstance(n.func, cst.Attribute)
        and n.func.attr.value in ("enqueue", "enqueue_call", "delay")
        and n.args
        and n.args[0].keyword is None
        and _code(n.args[0].value).rsplit(".", 1)[-1] == spec["job"]
    ]
    if len(calls) != 1:
        return None
    call = calls[0]
    first = call.args[0]
    comma = (
        first.comma
        if first.comma is not cst.MaybeSentinel.DEFAULT
        else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )
    record_arg = cst.Arg(cst.parse_expression(f"{record}.id"), comma=comma)
    new_call = call.with_changes(args=[first.with_changes(comma=comma), record_arg, *call.args[1:]])
    if len(call.args) == 1:
        record_arg = record_arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        new_call = call.with_changes(args=[first.with_changes(comma=comma), record_arg])

    class Replace(cst.CSTTransformer):
        def leave_Call(self, original, updated):
            return new_call if original is call else updated

    return module.visit(Replace()), {}


def _datetime_now(module: cst.Module) -> str | None:
    imports = _module_imports(module, "")
    line = imports.get("datetime")
    if line == "from datetime import datetime":
        return "datetime.utcnow()"
    if line == "import datetime":
        return "datetime.datetime.utcnow()"
    return None


def track_job(module: cst.Module, spec: dict) -> tuple[cst.Module, dict[str, str]] | None:
    """The job gets the record's id as its first parameter, loads the record, and works
    through its one `for` loop in batches: before each batch it refreshes the record
    and stops on a cancel state; after it, it counts, beats and commits. None when the
    job has not exactly one `for` loop, the loop has `else` or a `break` of its own,
    or a name the change needs is taken."""
    function = _function(module, spec["function"])
    if function is None or "." in spec["function"] or not isinstance(function.body, cst.IndentedBlock):
        return None
    loops = [n for n in own_nodes(function) if isinstance(n, cst.For)]
    if len(loops) != 1:
        return None
    loop = loops[0]
    if loop.orelse is not None or loop.asynchronous is not None or not isinstance(loop.body, cst.IndentedBlock):
        return None
    if any(isinstance(n, cst.Break) for n in _loop_own_nodes(loop.body)):
        return None
    taken = {n.value for n in _names(module)}
    if taken & {"job", "job_id", "pending", "start", "BATCH_SIZE"}:
        return None
    now = _datetime_now(module)
    db, model = spec["db"][1], spec["job_model"][1]
    if now is None or db not in _module_imports(module, "") or "logger" not in _module_level_names(module):
        return None
    states = _tuple_of_strings(spec["cancel_states"])
    # the record is loaded next to the loop: inside whatever context (an app context) the job opens
    before = [
        cst.parse_statement(f"job = {model}.query.get(job_id)"),
        cst.parse_statement(f"pending = list({_code(loop.iter)})"),
    ]
    head = [
        f"{db}.session.refresh(job)",
        f"if job.status in {states}:\n"
        f'    logger.info("JOB_STOPPED {spec["function"]} job_id=%s status=%s", job_id, job.status)\n'
        "    return",
    ]
    tail = [
        "job.processed = (job.processed or 0) + len(pending[start : start + BATCH_SIZE])",
        f"job.{spec['heartbeat_field']} = {now}",
        f"{db}.session.commit()",
    ]
    inner = loop.with_changes(iter=cst.parse_expression("pending[start : start + BATCH_SIZE]"), leading_lines=[])
    outer = cst.parse_statement("for start in range(0, len(pending), BATCH_SIZE):\n    pass\n")
    outer = outer.with_changes(
        body=outer.body.with_changes(
            body=[*(cst.parse_statement(s) for s in head), inner, *(cst.parse_statement(s) for s in tail)]
        )
    )
    before[0] = before[0].with_changes(leading_lines=loop.leading_lines)

    class Batch(cst.CSTTransformer):
        def leave_For(self, original, updated):
            return cst.FlattenSentinel([*before, outer]) if original is loop else updated

    params = function.params
    new_param = cst.Param(cst.Name("job_id"), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    if not params.params:
        new_param = new_param.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    rewritten_function = function.with_changes(
        params=params.with_changes(params=[new_param, *params.params]),
    ).visit(Batch())
    rewritten = module.visit(_Replace(function, rewritten_function))
    constant = cst.parse_statement(f"BATCH_SIZE = {spec['batch_size']}").with_changes(leading_lines=[cst.EmptyLine()])
    position = _after_imports(rewritten)
    rewritten = rewritten.with_changes(body=[*rewritten.body[:position], constant, *rewritten.body[position:]])
    return AddImportsVisitor(_importing(spec, spec["job_model"])).transform_module(rewritten), {}


def _loop_own_nodes(body: cst.CSTNode):
    """The nodes of a loop body that belong to this loop: not to loops or functions inside it."""
    stack = list(body.children)
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        yield current
        stack.extend(current.children)


def _clashes(module: cst.Module, function: cst.FunctionDef, spec: dict, wanted) -> bool:
    """Whether a name the fix writes would mean something else where it is written: the
    function binds it itself (a parameter `db="primary"`, a local `redis_conn = None`), or
    the module binds it otherwise than the fix's import (`from queue import Queue`, another
    `BackgroundJob`, a `def purge_leads_job` of its own)."""
    own = spec.get("module", "")
    imports = _module_imports(module, own)
    defined = _module_level_names(module) | {
        statement.name.value for statement in module.body if isinstance(statement, (cst.FunctionDef, cst.ClassDef))
    }
    local = _bound_in(function)
    for source, name in wanted:
        line = imports.get(name)
        if name in local or (line is not None and line != f"from {source} import {name}"):
            return True
        if name in defined and source != own:
            return True
    return False


def _bound_in(function: cst.FunctionDef) -> set[str]:
    """The names a function binds: its parameters and what it assigns, loops over or catches."""
    bound: set[str] = set()
    for node in _walk(function):
        if isinstance(node, cst.Param):
            bound.add(node.name.value)
        elif isinstance(node, (cst.AssignTarget, cst.For, cst.AnnAssign, cst.AugAssign)):
            bound |= {n.value for n in _names(node.target)}
        elif isinstance(node, cst.AsName) and isinstance(node.name, cst.Name):
            bound.add(node.name.value)
    return bound


def _module_level_names(module: cst.Module) -> set[str]:
    return {
        target.target.value
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Assign)
        for target in statement.body[0].targets
        if isinstance(target.target, cst.Name)
    }


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _after_imports(module: cst.Module) -> int:
    position = 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine) and isinstance(
            statement.body[0], (cst.Import, cst.ImportFrom)
        ):
            position = index + 1
        elif index == 0 and _is_docstring(statement):
            position = 1
    return position


CODEMODS["track-job"] = track_job
CODEMODS["pass-record-id"] = pass_record_id
