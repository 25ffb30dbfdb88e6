"""Applying fixes: edits to files, checked, written atomically, to a fixpoint.

A file's text is read as Python reads it (PEP 263, BOM) or as UTF-8, edited by
character positions, and written back with the same encoding, BOM and line
endings. Overlapping edits in one file are skipped. A Python file whose fixed
text no longer compiles keeps its old text, and the fix is reported as
dropped. Writes go to a temporary file in the same folder, then replace the
original in one `os.replace`: a file is either old or new, never half-written.
"""

from __future__ import annotations

import ast
import difflib
import io
import os
import shutil
import tempfile
import tokenize
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from worker_audit.finding import Edit, FileChange, Finding, Fix
from worker_audit.source import SourceProblem, decode_python

_QUOTES = ("'''", '"""', "'", '"')


@dataclass
class FileText:
    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False

    def encoded(self) -> bytes:
        data = self.text.encode(self.encoding.removesuffix("-sig"))
        return (b"\xef\xbb\xbf" + data) if self.bom else data


def read_text(path: str, data: bytes) -> FileText:
    if path.endswith(".py"):
        decoded = decode_python(data)
        bom = data.startswith(b"\xef\xbb\xbf")
        return FileText(path, decoded.text, decoded.encoding, bom)
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig" if bom else "utf-8")
    return FileText(path, text, "utf-8", bom)


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[min(line, len(starts)) - 1] + column - 1


def _line_starts(text: str) -> list[int]:
    """Where each line starts; a lone CR ends a line too, as for Python and the positions of findings."""
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n" or (char == "\r" and text[index + 1 : index + 2] != "\n"):
            starts.append(index + 1)
    return starts


def _last_code_character(text: str, start: int, close: int) -> int:
    """The offset of the last character of code before the call's closing parenthesis at
    `close`: blanks and comments (`ids,  # the ids`) are passed over."""
    segment = text[start:close]
    starts = _line_starts(segment)
    last = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(segment).readline):
            if token.type not in _NOT_CODE and token.string:
                last = token
    except (tokenize.TokenError, SyntaxError):  # the call is cut before its `)`: what came is enough
        pass
    if last is None:
        before = close - 1
        while before > start and text[before] in " \t\r\n":
            before -= 1
        return before
    row, column = last.end
    return start + starts[row - 1] + column - 1


_NOT_CODE = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


def _newline(text: str) -> str:
    """The line ending the text uses: CRLF, a lone CR (old Mac files), else LF."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def _resolve(edit: Edit, text: str, starts: list[int]) -> tuple[int, int, str] | None:
    """The (start, end, replacement) in character offsets an edit stands for."""
    if edit.kind in ("insert-line", "insert-line-after"):
        if not 1 <= edit.line <= edit.end_line <= len(starts):
            return None
        # a new line indented like the statement that starts on `line`: before that line,
        # or after the line `end_line` ends on
        line_start = starts[edit.line - 1]
        line_text = text[line_start : starts[edit.line] if edit.line < len(starts) else len(text)]
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        newline = _newline(text)
        if edit.kind == "insert-line":
            return line_start, line_start, f"{indent}{edit.text}{newline}"
        after = starts[edit.end_line] if edit.end_line < len(starts) else len(text)
        prefix = "" if text[:after].endswith(("\n", "\r")) else newline
        return after, after, f"{prefix}{indent}{edit.text}{newline}"
    start = _offset(starts, edit.line, edit.column)
    end = _offset(starts, edit.end_line, edit.end_column)
    if not 0 <= start <= end <= len(text):
        return None
    if edit.kind == "insert":
        return start, start, edit.text
    if edit.kind == "append-argument":
        close = end - 1
        if text[close : close + 1] != ")":
            return None
        before = _last_code_character(text, start, close)
        if text[before] == ",":
            if "\n" in text[before:close] or "\r" in text[before:close]:
                # one argument per line: a new line for the new one, indented like the last,
                # after the comment that may end the last one's line
                line_start = max(text.rfind("\n", 0, before), text.rfind("\r", 0, before)) + 1
                indent = text[line_start : len(text[line_start:]) - len(text[line_start:].lstrip(" \t")) + line_start]
                line_end = min(i for i in (text.find("\n", before), text.find("\r", before), close) if i != -1)
                newline = _newline(text[line_end : line_end + 2])
                return line_end, line_end, f"{newline}{indent}{edit.text},"
            return before + 1, before + 1, f" {edit.text},"
        if text[before] == "(":
            return close, close, edit.text
        return before + 1, before + 1, f", {edit.text}"  # before a comment that ends the line
    if edit.kind in ("append-to-string", "replace-string"):
        literal = text[start:end]
        quote = next((q for q in _QUOTES if literal.endswith(q) and len(literal) >= 2 * len(q)), "")
        if edit.kind == "append-to-string":
            return end - len(quote), end - len(quote), edit.text
        opening = literal.find(quote) if quote else 0
        if not quote or opening < 0:
            return start, end, edit.text
        return start + opening + len(quote), end - len(quote), edit.text
    return None


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, int, int]:
    """The edited text, the number of edits applied, and of those skipped (overlaps)."""
    text, kept, skipped = _apply(text, edits)
    return text, len(kept), skipped


def _apply(text: str, edits: list[Edit]) -> tuple[str, list[list[Edit]], int]:
    """The edited text, the edits applied (the same change asked twice: one change, both
    edits), and how many were skipped (unresolved or overlapping)."""
    starts = _line_starts(text)
    asked: dict[tuple[int, int, str], list[Edit]] = {}
    skipped = 0
    for edit in edits:
        change = _resolve(edit, text, starts)
        if change is None:
            skipped += 1
        else:
            asked.setdefault(change, []).append(edit)
    kept: list[tuple[int, int, str]] = []
    last_end = -1
    for change in sorted(asked):  # the same edit twice is one edit
        start, end, _ = change
        if start < last_end:
            skipped += 1  # overlaps the previous edit
            continue
        kept.append(change)
        last_end = end
    for start, end, replacement in reversed(kept):
        text = text[:start] + replacement + text[end:]
    return text, [asked[change] for change in kept], skipped


def _run_codemod(text: str, edit: Edit) -> tuple[str, dict[str, str]] | None:
    import json

    import libcst as cst

    from worker_audit.codemods import CODEMODS
    from worker_audit.queue_topology import python_module_name

    spec = json.loads(edit.text)
    spec["module"] = python_module_name(edit.path)  # the module rewritten imports nothing from itself
    try:
        module = cst.parse_module(text)
        rewritten = CODEMODS[spec["codemod"]](module, spec)
    except (cst.ParserSyntaxError, KeyError, RecursionError):
        return None
    if rewritten is None:
        return None
    new_module, created = rewritten
    return new_module.code, created


def compiles(path: str, text: str, before: str | None = None) -> bool:
    """Whether CPython compiles the fixed text (not only parses it: `f(a=1, a=1)` parses).
    When the text `before` the fix did not compile either, parsing is asked. A YAML file
    (a compose file) must still load, when it did before."""
    if path.endswith((".yml", ".yaml")):
        return _loads_yaml(text) or (before is not None and not _loads_yaml(before))
    if not path.endswith(".py"):
        return True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the project's own code are not ours to print
            compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        if before is None or compiles(path, before):
            return False
        try:
            ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def _staged(path: str, data: bytes) -> str:
    """The new bytes in a temporary file beside the file, with its mode and owner: ready to
    be moved over it in one step."""
    target = Path(path)
    status = target.stat() if target.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".worker-audit", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, status.st_mode & 0o7777 if status is not None else 0o644)
        if status is not None and hasattr(os, "chown"):
            try:  # a root run keeps a user's file theirs; anyone else may only keep their own
                os.chown(temporary, status.st_uid, status.st_gid)
            except OSError:
                pass
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return temporary


class FixWriteError(Exception):
    """A fixed file could not be written; no file was changed."""


@dataclass
class FixRound:
    changed: dict[str, FileText] = field(default_factory=dict)  # path -> new text
    created: dict[str, FileText] = field(default_factory=dict)  # new files (a job module)
    applied: int = 0
    dropped: list[str] = field(default_factory=list)  # one line each: why a file's fixes were not applied
    tried: set[tuple] = field(default_factory=set)  # `finding_key`s of the findings whose fixes were applied
    declined: set[tuple] = field(default_factory=set)  # `finding_key`s whose codemod declined the code's shape


def _linked_fixes(findings: list[Finding], unsafe: bool, fixable: set[str]) -> list[Fix]:
    """Fixes whose codemods rewrite more than one file: applied together or not at all."""
    return [
        f.fix
        for f in findings
        if f.fix is not None
        and f.code in fixable
        and (unsafe or f.fix.applicability == "safe")
        and len({e.path for e in f.fix.edits}) > 1
        and all(e.kind == "codemod" for e in f.fix.edits)
    ]


def plan_round(findings: list[Finding], contents: dict[str, FileText], unsafe: bool, fixable: set[str]) -> FixRound:
    """Apply the fixes of one check run to the current texts (in memory)."""
    by_file: dict[str, list[Edit]] = {}
    finding_of: dict[int, Finding] = {}  # id(edit) -> the finding it fixes
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.edits or finding.code not in fixable:
            continue
        if fix.applicability == "unsafe" and not unsafe:
            continue
        for edit in fix.edits:
            by_file.setdefault(edit.path, []).append(edit)
            finding_of[id(edit)] = finding
    result = FixRound()
    linked = _linked_fixes(findings, unsafe, fixable)
    linked_edits = {id(edit) for fix in linked for edit in fix.edits}
    by_file = {p: [e for e in edits if id(e) not in linked_edits] for p, edits in by_file.items()}  # never alone
    for fix in linked:
        paths = sorted({edit.path for edit in fix.edits})
        if any(by_file.get(path) or path in result.changed or path not in contents for path in paths):
            continue  # other fixes touch these files this round: next round
        rewritten = {edit.path: _run_codemod(contents[edit.path].text, edit) for edit in fix.edits}
        if any(
            r is None or r[1] or not compiles(p, r[0], contents[p].text) or not _encodable(r[0], contents[p].encoding)
            for p, r in rewritten.items()
        ):
            result.dropped.append(f"{paths[0]}: fix not applied: the code does not have the shape it needs")
            continue  # all of them or none: a job and its callers change together
        for path, (text, _) in rewritten.items():
            current = contents[path]
            result.changed[path] = FileText(path, text, current.encoding, current.bom)
        result.applied += 1
        result.tried.add(finding_key(finding_of[id(fix.edits[0])]))
    for path, edits in sorted(by_file.items()):
        current = contents.get(path)
        if current is None:
            continue
        codemods = [e for e in edits if e.kind == "codemod"]
        tried = codemods[:1]
        rewritten = _run_codemod(current.text, codemods[0]) if codemods else None
        if codemods and rewritten is None:
            # declined: said once, not tried again; the file's text edits (safe ones) still apply
            result.dropped.append(f"{path}: fix not applied: the code does not have the shape it needs")
            result.declined.add(finding_key(finding_of[id(codemods[0])]))
            edits = [e for e in edits if e.kind != "codemod"]
        if rewritten is not None:  # a rewrite of the file: alone this round, the text edits come next round
            text, created = rewritten
            applied = 1
            existing = [p for p in created if p in contents or Path(p).exists()]
            if existing:
                result.dropped.append(f"{path}: fix not applied: it would overwrite {existing[0]}")
                continue
            if not all(compiles(p, t) for p, t in created.items()):
                result.dropped.append(f"{path}: fixes dropped: the new module would not compile")
                continue
            for new_path, new_text in created.items():
                result.created[new_path] = FileText(new_path, new_text)
        else:
            text, kept, _ = _apply(current.text, edits)
            applied = len(kept)
            tried = [edit for same in kept for edit in same]  # not the edits an overlap pushed out
        if not applied or text == current.text:
            continue
        if not compiles(path, text, current.text):
            what = "YAML would not load" if path.endswith((".yml", ".yaml")) else "code would not compile"
            result.dropped.append(f"{path}: fixes dropped: the fixed {what}")
            continue
        if not _encodable(text, current.encoding):
            result.dropped.append(f"{path}: fixes dropped: the fixed text cannot be written in {current.encoding}")
            continue
        result.changed[path] = FileText(path, text, current.encoding, current.bom)
        result.applied += applied
        result.tried.update(finding_key(finding_of[id(edit)]) for edit in tried)
    return result


def _encodable(text: str, encoding: str) -> bool:
    """Whether the file's own encoding can hold the text (a queue name `café` in an ASCII or
    latin-1 module could not be written back)."""
    try:
        text.encode(encoding.removesuffix("-sig"))
    except (UnicodeError, LookupError):
        return False
    return True


def _loads_yaml(text: str) -> bool:
    import yaml

    try:
        for _ in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            pass
    except (yaml.YAMLError, RecursionError, ValueError):
        return False
    return True


def finding_key(finding: Finding) -> tuple:
    return (finding.code, finding.path, finding.line, finding.column, finding.message)


def with_changes(findings: list[Finding]) -> list[Finding]:
    """The findings, each fix carrying the files it changes when applied alone, in memory
    (codemods included): what SARIF's `artifactChanges` show. Nothing is written."""
    out = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.edits:
            out.append(finding)
            continue
        contents = load_texts(sorted({edit.path for edit in fix.edits}), {})
        planned = plan_round([finding], contents, unsafe=True, fixable={finding.code})
        changes = [FileChange(path, contents[path].text, new.text) for path, new in sorted(planned.changed.items())]
        changes += [FileChange(path, "", new.text) for path, new in sorted(planned.created.items())]
        out.append(replace(finding, fix=replace(fix, changes=tuple(changes))))
    return out


def load_texts(paths: list[str], overlay: dict[str, bytes]) -> dict[str, FileText]:
    contents = {}
    for path in paths:
        try:
            data = overlay[path] if path in overlay else Path(path).read_bytes()
            contents[path] = read_text(path, data)
        except (OSError, UnicodeDecodeError, SourceProblem):
            continue
    return contents


def unified_diff(path: str, display: str, old: str, new: str) -> str:
    """A new file (one the fix would create) is diffed from /dev/null, as git does. Lines are
    split where `patch` splits them, at LF only (a form feed or a lone CR stays inside its
    line), and a last line without a newline is marked as `diff` marks it."""
    before = f"a/{display}" if Path(path).exists() else "/dev/null"
    lines = difflib.unified_diff(_patch_lines(old), _patch_lines(new), before, f"b/{display}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def diff_bytes(path: str, display: str, old: FileText, new: FileText) -> bytes:
    """The diff as the bytes `patch` compares with the file's: in the file's encoding, its
    BOM in the first line."""
    bom = "\ufeff" if new.bom else ""
    text = unified_diff(path, display, (bom if old.bom else "") + old.text, bom + new.text)
    return text.encode(new.encoding.removesuffix("-sig"), errors="surrogateescape")


def _patch_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


MAX_ROUNDS = 5


@dataclass
class FixOutcome:
    before: dict[str, FileText] = field(default_factory=dict)  # original texts of changed files
    after: dict[str, FileText] = field(default_factory=dict)  # their fixed texts
    applied: int = 0
    dropped: list[str] = field(default_factory=list)
    rounds: int = 0


def fix_to_fixpoint(paths, settings, active: set[str], unsafe: bool, fixable: set[str]) -> FixOutcome:
    """Check, apply the fixes in memory, check again, until nothing changes (at most
    MAX_ROUNDS rounds). Nothing is written here: see `write_outcome`."""
    from worker_audit.engine import run_check

    outcome = FixOutcome()
    roots = [Path(p).absolute() for p in paths]
    overlay: dict[str, bytes] = {}
    current: dict[str, FileText] = {}
    tried: set[tuple] = set()
    declined: set[tuple] = set()
    for _ in range(MAX_ROUNDS):
        outcome.rounds += 1
        result = run_check(paths, settings, active, overlay)
        findings = [_not_again(_within(f, roots), tried, outcome.dropped) for f in result.findings]
        findings = [replace(f, fix=None) if finding_key(f) in declined else f for f in findings]
        wanted = {e.path for f in findings if f.fix for e in f.fix.edits}
        for path, text in load_texts(sorted(wanted - set(current)), overlay).items():
            current[path] = text
            outcome.before.setdefault(path, text)
        round_ = plan_round(findings, current, unsafe, fixable)
        outcome.dropped.extend(round_.dropped)
        tried |= round_.tried
        declined |= round_.declined
        if not round_.changed and not round_.created:
            break
        outcome.applied += round_.applied
        for path, text in round_.changed.items():
            current[path] = text
            overlay[path] = text.encoded()
            outcome.after[path] = text
        for path, text in round_.created.items():
            if any(r == Path(path) or r in Path(path).parents for r in roots):
                outcome.before[path] = FileText(path, "")
                outcome.after[path] = text
                current[path] = text
    outcome.after = {p: t for p, t in outcome.after.items() if t.text != outcome.before[p].text}
    return outcome


def _not_again(finding: Finding, tried: set[tuple], dropped: list[str]) -> Finding:
    """A finding still there after its fix was applied: its fix is not applied a second time
    (it would repeat the same edit each round)."""
    if finding.fix is None or finding_key(finding) not in tried:
        return finding
    dropped.append(
        f"{finding.path}:{finding.line}: {finding.code} fix not applied again: applying it did not remove the finding"
    )
    return replace(finding, fix=None)


def _within(finding: Finding, roots: list[Path]) -> Finding:
    """The finding, with its fix only when every file the fix writes or creates is a regular
    file below the given paths: nothing else is written, and a fix is applied whole or not
    at all (a handler that imports a job module the fix could not create would not import)."""
    fix = finding.fix
    if fix is None or not fix.edits:
        return finding

    def below(path: str) -> bool:
        return any(Path(path) == r or r in Path(path).parents for r in roots)

    for edit in fix.edits:
        if not below(edit.path) or Path(edit.path).is_symlink():  # a link is never replaced by a file
            return replace(finding, fix=None)
        if edit.kind == "codemod" and not all(below(created) for created in _created_by(edit)):
            return replace(finding, fix=None)
    return finding


def _created_by(edit: Edit) -> list[str]:
    """The files a codemod creates (the WA101 fix's job module and jobs package)."""
    import json

    spec = json.loads(edit.text)
    return [path for path in (spec.get("job_path"), spec.get("package_init")) if path]


def write_outcome(outcome: FixOutcome) -> None:
    """Every fixed file, or none: each new text is first written beside its file, and only
    when all of them are there are they moved into place (a job and its enqueues change
    together). A file that cannot be written leaves every file as it was."""
    staged: list[tuple[str, str]] = []
    made: list[Path] = []  # folders of a created package
    try:
        for path, text in sorted(outcome.after.items()):
            folder = Path(path).parent
            missing = [f for f in (folder, *folder.parents) if not f.exists()]
            folder.mkdir(parents=True, exist_ok=True)
            made.extend(reversed(missing))
            staged.append((path, _staged(path, text.encoded())))
    except OSError as exc:
        for _, temporary in staged:
            os.unlink(temporary)
        for folder in reversed(made):
            shutil.rmtree(folder, ignore_errors=True)
        raise FixWriteError(f"cannot write {path}: {exc.strerror or exc}; no file was changed") from None
    for done, (path, temporary) in enumerate(staged):
        try:
            os.replace(temporary, path)
        except OSError as exc:  # rare once all are staged (a file replaced by a folder meanwhile)
            for _, left in staged[done:]:
                os.unlink(left)
            raise FixWriteError(f"cannot write {path}: {exc.strerror or exc}; {done} files were changed") from None
