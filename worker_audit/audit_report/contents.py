"""What the audit document says, before it is written as Markdown or HTML.

Every text here is plain text in which `backticks` mark code, as finding
messages do; the writers escape it. Source lines are kept apart (`ShownLine.code`)
because they are code as a whole. Everything is sorted, so the same tree gives
the same document."""

from __future__ import annotations

import shlex
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from worker_audit import __version__
from worker_audit.analysis import display_path
from worker_audit.checks import RULES
from worker_audit.engine import AuditResult
from worker_audit.enqueue_sites import EnqueueSite
from worker_audit.finding import Finding
from worker_audit.reporters.full import source_lines
from worker_audit.reporters.topology_table import DYNAMIC, topology_rows

INLINE_WORK = "WA1"  # the codes of slow work done inside the request
SHOWN_LINES = 8  # source lines shown per finding, or 9 when that is all of them; the rest are counted
MODULE_BARS = 15  # bars in the per-module chart; the rest are summed up in one
LONGEST_CODE = 160  # characters of a source line shown
QUEUE_PROBLEMS = ("NOT CONSUMED", "no worker found", "listened to, never used")  # statuses of topology_rows


@dataclass(frozen=True)
class ShownLine:
    where: str  # path:line
    label: str  # "reported here", or what the related place is
    code: str  # the source line, stripped; "" when it cannot be read


@dataclass(frozen=True)
class Violation:
    code: str
    name: str
    severity: str
    message: str
    lines: tuple[ShownLine, ...]
    more_lines: int  # places not shown
    why: str
    fix: str


@dataclass(frozen=True)
class InlineGroup:
    """The findings of slow work in one handler (or on one process-local queue)."""

    name: str
    where: str
    violations: tuple[Violation, ...]


@dataclass(frozen=True)
class Cell:
    state: str  # "ok" | "missing" | "not-asked"
    text: str
    asked: bool = False  # the standard asks this of the site and it was checked ("missing" is always asked)


# what became of an enqueue site, in the order the summary counts them
SITE_OUTCOMES = ("done right", "with a point missing", "on a queue no worker serves", "not verified")


@dataclass(frozen=True)
class SiteRow:
    where: str
    function: str
    queue: Cell  # the queue's name, and whether a worker serves it
    job: str
    tracking: Cell
    timeout: Cell
    accepted: Cell

    @property
    def cells(self) -> tuple[Cell, Cell, Cell]:
        return (self.tracking, self.timeout, self.accepted)

    @property
    def outcome(self) -> str:
        """One of `SITE_OUTCOMES`. Done right: a worker serves the queue, and the standard asked
        something of the site and found all of it. Not verified: nothing missing, but nothing
        asked (no request handler found that reaches it, a job that does not loop), or the job
        or whether its queue is served is not known."""
        if self.queue.state == "missing":
            return "on a queue no worker serves"
        if any(cell.state == "missing" for cell in self.cells):
            return "with a point missing"
        if self.queue.state == "ok" and any(cell.asked for cell in self.cells):
            return "done right"
        return "not verified"


@dataclass(frozen=True)
class QueueRow:
    queue: str
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    status: str
    state: str  # "ok" | "missing" (no worker, or a worker of a queue nobody uses) | "not-asked" (not known)


@dataclass(frozen=True)
class OtherRow:
    where: str
    code: str
    severity: str
    message: str
    fix: str


@dataclass(frozen=True)
class AuditDocument:
    title: str
    scope_note: str  # what was checked, and what paths are relative to
    verdict: str
    severities: tuple[tuple[str, int], ...]
    rules: tuple[tuple[str, str, str, int], ...]  # code, name, severity, findings
    modules: tuple[tuple[str, int], ...]  # file or folder, findings
    module_kind: str  # "file" | "folder"
    total: int
    inline: tuple[InlineGroup, ...]
    sites: tuple[SiteRow, ...]
    queues: tuple[QueueRow, ...]
    checklist: tuple[str, ...]
    others: tuple[OtherRow, ...]
    notes: tuple[str, ...]
    clean: bool  # no finding, and the audit checked something: its verdict is shown as good news
    handlers: int  # request handlers found
    python_files: int
    unparsed: int  # Python files not parsed
    version: str = __version__

    @property
    def sites_note(self) -> str:
        return (
            f"{_sites_phrase(self.sites)}. Done right: a worker serves the queue and the site has what the "
            "standard asks of it there (a tracking record before the enqueue, a job timeout and a 202 answer "
            "with the job id). Not verified: nothing is missing, but the standard asks nothing of the site (no "
            "request handler found that reaches it, or the job does not loop over work), or the job or whether "
            "a worker serves its queue is not known."
        )

    @property
    def headline(self) -> str:
        """One line for the terminal: "12 findings; 3 places do slow work inside the request; 4 enqueue sites",
        after "nothing audited" or "audit incomplete" when it is so."""
        if not self.python_files:
            return f"nothing audited: no Python file found; {_count(self.total, 'finding')}"
        verb = "does" if len(self.inline) == 1 else "do"
        text = (
            f"{_count(self.total, 'finding')}; {_count(self.handlers, 'request handler')} found; "
            f"{_count(len(self.inline), 'place')} {verb} slow work inside the request; "
            f"{_count(len(self.sites), 'enqueue site')}"
        )
        return f"audit incomplete: {_count(self.unparsed, 'Python file')} not parsed; {text}" if self.unparsed else text


class _Paths:
    """Paths as the document shows them: relative to the audited folder when there is one."""

    def __init__(self, targets: list[Path]) -> None:
        shown = [display_path(target) for target in targets] or ["."]
        self.names = shown
        single = len(targets) == 1 and targets[0].is_dir() and shown[0] != "."
        self.base = shown[0].rstrip("/") + "/" if single else ""

    def __call__(self, path: str) -> str:
        return path[len(self.base) :] if self.base and path.startswith(self.base) else path

    @property
    def title(self) -> str:
        names = [Path.cwd().name if name == "." else name for name in self.names]
        return ", ".join(names)


def build_document(audit: AuditResult, targets: list[Path]) -> AuditDocument:
    paths = _Paths(targets)
    findings = audit.check.findings
    matched: set[int] = set()  # findings shown in the enqueue-site table
    rows = topology_rows(audit.topology)
    served = {row["queue"]: row["status"] for row in rows}
    sites = tuple(_site_row(site, findings, audit.codes, paths, matched, served) for site in audit.sites)
    inline = _inline_groups(findings, paths)
    queues = tuple(_queue_row(row, paths) for row in rows)
    others = tuple(
        OtherRow(f"{paths(f.path)}:{f.line}", f.code, f.severity.value, f.message, _fix_text(f, paths))
        for f in findings
        if not f.code.startswith(INLINE_WORK) and id(f) not in matched
    )
    modules, module_kind = _module_counts(findings, paths)
    severities = Counter(f.severity.value for f in findings)
    rules = Counter(f.code for f in findings)
    base = paths.base.rstrip("/")
    parsed = audit.check.files_parsed + audit.check.files_in_part + audit.check.files_outlined
    scope_note = f"{_count(audit.check.files_checked, 'file')} checked ({parsed} Python parsed), "
    scope_note += f"{_count(len(audit.codes), 'rule')} run."
    if base:
        scope_note += f" Paths are relative to `{base}`."
    return AuditDocument(
        title=f"Worker audit: {paths.title}",
        scope_note=scope_note,
        verdict=_verdict(audit, inline, sites, queues, audit.topology),
        clean=_clean(audit, queues),
        handlers=audit.handlers,
        python_files=audit.check.files_python,
        unparsed=audit.unparsed,
        severities=tuple((s, severities[s]) for s in ("error", "warning", "info")),
        rules=tuple(
            (code, RULES[code].name, RULES[code].severity.value, rules[code]) for code in sorted(rules) if code in RULES
        ),
        modules=modules,
        module_kind=module_kind,
        total=len(findings),
        inline=inline,
        sites=sites,
        queues=queues,
        checklist=_checklist(findings, paths, audit.sites),
        others=others,
        notes=tuple(audit.check.messages)
        + (
            (f"{audit.check.internal_errors} internal errors: see the notes above",)
            if audit.check.internal_errors
            else ()
        ),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _sites_phrase(sites) -> str:
    """The sites counted by outcome: "4 enqueue sites: 1 done right, 1 with a point missing, 2 not verified"
    (done right always, the other outcomes when some site has them)."""
    outcomes = Counter(site.outcome for site in sites)
    counted = [f"{outcomes[o]} {o}" for o in SITE_OUTCOMES if outcomes[o] or o == "done right"]
    return f"{_count(len(sites), 'enqueue site')}: {', '.join(counted)}"


def _verdict(audit: AuditResult, inline, sites, queues, topology) -> str:
    """What the audit found, in one paragraph; first, when it is so, that it audited nothing
    (no Python file), that it is incomplete (files not parsed) or that it found no handler."""
    findings = audit.check.findings
    if not audit.check.files_python:
        text = "Nothing audited: no Python file found, so no request handler was checked."
        return text + (f" {_count(len(findings), 'finding')} in the other files." if findings else "")
    lead = []
    if audit.unparsed:
        held = "what it holds was" if audit.unparsed == 1 else "what they hold was"
        lead.append(
            f"Audit incomplete: {_count(audit.unparsed, 'Python file')} not parsed (WA001): {held} not checked."
        )
    parts = []
    if not audit.handlers:
        parts.append(
            "no request handler found: the web framework may not be recognised, so nothing was checked for slow "
            "work inside a request"
        )
    elif inline:
        verb = "does" if len(inline) == 1 else "do"
        parts.append(
            f"{_count(audit.handlers, 'request handler')} found; {_count(len(inline), 'place')} {verb} slow work "
            "inside the request instead of through the worker"
        )
    else:
        parts.append(f"{_count(audit.handlers, 'request handler')} found; none does slow work inline")
    parts.append(_sites_phrase(sites) if sites else "no enqueue site")
    parts.extend(_queues_phrases(queues, topology))
    text = "; ".join(parts) + "."
    lead.append(text[0].upper() + text[1:])
    if _clean(audit, queues):
        lead.insert(0, "No violation found.")
    return " ".join(lead)


def _queues_phrases(queues: tuple[QueueRow, ...], topology) -> list[str]:
    """What the queue topology says, as its table does: the queues no worker serves, those of
    which it is not known, the ones served; and that a queue named at run time is not checked."""
    if not queues:
        return []
    if not topology.active_consumers():
        return ["no worker found in the deployment files"]

    def names(status) -> list[str]:
        return [f"`{row.queue}`" for row in queues if row.producers and status(row.status)]

    unserved = names(lambda status: status == "NOT CONSUMED")
    unknown = names(lambda status: status.startswith("unknown"))
    served = names(lambda status: status == "ok")
    phrases = []
    if unserved:
        phrases.append(f"{_count(len(unserved), 'queue')} no worker serves ({', '.join(unserved)})")
    if unknown:
        phrases.append(
            f"whether a worker serves {', '.join(unknown)} is not known (a worker's queue list is not static)"
        )
    dynamic = sum(len(row.producers) for row in queues if row.queue == DYNAMIC)
    if served and not unserved and not unknown:
        every = "all queues named in the code" if dynamic else "all queues"
        phrases.append(f"{every} served ({', '.join(served)})")
    if dynamic:
        named = "the queue named" if dynamic == 1 else "the queues named"
        phrases.append(
            f"whether a worker serves {named} at run time ({_count(dynamic, 'enqueue site')}) is not checked"
        )
    return phrases


def _clean(audit: AuditResult, queues: tuple[QueueRow, ...]) -> bool:
    """No finding, in an audit that checked something (Python files, all parsed, with request
    handlers), and no queue the topology marks as a problem (no worker found at all is no finding)."""
    checked = bool(audit.check.files_python) and not audit.unparsed and audit.handlers > 0
    return not audit.check.findings and checked and not any(row.state == "missing" for row in queues)


def _inline_groups(findings: list[Finding], paths: _Paths) -> tuple[InlineGroup, ...]:
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.code.startswith(INLINE_WORK):
            groups.setdefault((finding.path, finding.scope), []).append(finding)
    cache: dict[str, list[str]] = {}
    built = []
    for (path, scope), members in groups.items():
        members.sort(key=Finding.sort_key)
        first = members[0]
        violations = tuple(_violation(f, paths, cache) for f in members)
        built.append((first.sort_key(), InlineGroup(scope or paths(path), f"{paths(path)}:{first.line}", violations)))
    return tuple(group for _, group in sorted(built, key=lambda item: item[0]))


def _violation(finding: Finding, paths: _Paths, cache: dict[str, list[str]]) -> Violation:
    places = [(finding.path, finding.line, "reported here")]
    places += [(r.path, r.line, r.message) for r in finding.related]
    seen: set[tuple[str, int]] = set()
    unique = []
    for path, line, label in places:
        if (path, line) not in seen:
            seen.add((path, line))
            unique.append((path, line, label))
    lines = tuple(
        ShownLine(f"{paths(path)}:{line}", label, _code_at(path, line, cache)) for path, line, label in unique
    )
    rule = RULES.get(finding.code)
    why = _unwrap(rule.why.strip().split("\n\n")[0]) if rule is not None else ""
    return Violation(
        finding.code,
        finding.name,
        finding.severity.value,
        finding.message,
        lines if len(lines) <= SHOWN_LINES + 1 else lines[:SHOWN_LINES],  # "1 more place" takes a row too
        len(lines) - SHOWN_LINES if len(lines) > SHOWN_LINES + 1 else 0,
        why,
        _fix_text(finding, paths),
    )


def _code_at(path: str, line: int, cache: dict[str, list[str]]) -> str:
    source = source_lines(path, cache)
    if not 0 < line <= len(source):
        return ""
    code = source[line - 1].strip()
    return code if len(code) <= LONGEST_CODE else code[: LONGEST_CODE - 1] + "…"


def _unwrap(text: str) -> str:
    return " ".join(text.split())


def _fix_text(finding: Finding, paths: _Paths) -> str:
    fix = finding.fix
    if fix is None:
        return "no automatic fix"
    if not fix.edits:
        return f"{fix.description} (a suggestion: not applied automatically)"
    if fix.applicability == "safe":
        return f"{fix.description} (safe fix: `{_fix_command(False, [finding.code], paths)}`)"
    return f"{fix.description} (unsafe fix: `{_fix_command(True, [finding.code], paths)}`; review the diff)"


def _fix_command(unsafe: bool, codes: list[str], paths: _Paths) -> str:
    """The `worker-audit fix` run of only these rules' fixes, on what was audited (a fix may write
    beside the finding's file: a new job module, the compose file)."""
    targets = " ".join(shlex.quote(name) for name in paths.names)
    return f"worker-audit fix{' --unsafe-fixes' if unsafe else ''} --select {','.join(codes)} {targets}"


def _site_row(
    site: EnqueueSite, findings: list[Finding], codes, paths: _Paths, matched: set[int], served: dict[str, str]
) -> SiteRow:
    producer = site.producer

    def at_site(finding: Finding) -> bool:
        places = [(finding.path, finding.line)] + [(r.path, r.line) for r in finding.related]
        return (site.path, site.line) in places

    untracked = [f for f in findings if f.code == "WA301" and at_site(f)]
    no_timeout = [f for f in findings if f.code == "WA307" and (f.path, f.line) == (site.path, site.line)]
    no_202 = [f for f in findings if f.code == "WA302" and (f.path, f.scope) in site.handlers]
    matched.update(id(f) for f in untracked + no_timeout + no_202)

    def asked(code: str) -> Cell | None:
        """Why the standard does not ask this of the site, or None when it does."""
        if code not in codes:
            return Cell("not-asked", f"not checked ({code} is off)")
        if code != "WA307" and not site.handlers:
            return Cell("not-asked", "not asked: no request handler found that reaches it")
        if producer.job is None:
            return Cell("not-asked", "not checked: the job is not known")
        if not site.long_work:
            return Cell("not-asked", "not asked: the job does not loop over work")
        return None

    if untracked:
        tracking = Cell("missing", "missing (WA301)", asked=True)
    else:
        tracking = asked("WA301") or Cell("ok", "created before the enqueue", asked=True)
    if producer.has_timeout:
        timeout = Cell("ok", "set", asked=asked("WA307") is None)
    elif producer.has_timeout is None:
        timeout = Cell("not-asked", "not asked: no RQ default timeout")
    elif no_timeout:
        timeout = Cell("missing", "missing (WA307)", asked=True)
    else:
        timeout = asked("WA307") or Cell("not-asked", "not set")
    if no_202:
        accepted = Cell("missing", f"missing (WA302, line {no_202[0].line})", asked=True)
    else:
        accepted = asked("WA302") or Cell("ok", "202 with the job id", asked=True)
    job = f"`{producer.job[1]}` ({paths(display_path(producer.job[0]))})" if producer.job else "not known"
    return SiteRow(
        f"{paths(site.path)}:{site.line}",
        f"`{producer.function}`",
        _queue_cell(site, served, paths),
        job,
        tracking,
        timeout,
        accepted,
    )


def _queue_cell(site: EnqueueSite, served: dict[str, str], paths: _Paths) -> Cell:
    """The queue of an enqueue site, with what the topology says of it (`served`: queue -> status)."""
    queue = site.producer.queue
    if queue is None:
        return Cell("not-asked", "named at run time: whether a worker serves it is not checked")
    status = served.get(queue, "")
    if status == "ok":
        return Cell("ok", f"`{queue}`: served")
    if status == "NOT CONSUMED":
        return Cell("missing", f"`{queue}`: no worker serves it (WA201{_where_created(site, paths)})")
    if status == "no worker found":
        return Cell("missing", f"`{queue}`: no worker found")
    return Cell("not-asked", f"`{queue}`: whether a worker serves it is not known")


def _queue_row(row: dict, paths: _Paths) -> QueueRow:
    producers = tuple(f"{paths(p['path'])}:{p['line']} `{p['function']}`" for p in row["producers"])
    consumers = tuple(f"{paths(c['path'])}:{c['line']} {c['worker']}" for c in row["consumers"])
    status = row["status"]
    state = "ok" if status == "ok" else "missing" if status in QUEUE_PROBLEMS else "not-asked"
    return QueueRow(row["queue"], producers, consumers, status, state)


def _where_created(site: EnqueueSite, paths: _Paths) -> str:
    """ ", reported at line 58, where the queue is created" when WA201 (which sits where the queue
    is named) is not on the line of the enqueue call; "" when it is."""
    named = display_path(site.producer.path)
    line = site.producer.span.line
    if (named, line) == (site.path, site.line):
        return ""
    where = f"line {line}" if named == site.path else f"{paths(named)}:{line}"
    return f", reported at {where}, where the queue is created"


def _module_counts(findings: list[Finding], paths: _Paths) -> tuple[tuple[tuple[str, int], ...], str]:
    """Findings per file, or per folder when they are spread over many files."""
    by_file = Counter(paths(f.path) for f in findings)
    kind = "file"
    counts = by_file
    if len(by_file) > MODULE_BARS:
        kind = "folder"
        counts = Counter()
        for file, number in by_file.items():
            folder = str(Path(file).parent.as_posix())
            counts["./" if folder == "." else folder + "/"] += number
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if len(ordered) > MODULE_BARS:
        rest = ordered[MODULE_BARS - 1 :]
        ordered = ordered[: MODULE_BARS - 1] + [(f"{len(rest)} more {kind}s", sum(n for _, n in rest))]
    return tuple(ordered), kind


def _checklist(findings: list[Finding], paths: _Paths, sites: tuple[EnqueueSite, ...]) -> tuple[str, ...]:
    """One item per handler, job or queue with findings: by severity (its most severe finding),
    then by place."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.path, finding.scope), []).append(finding)

    def order(item) -> tuple:
        (path, scope), members = item
        first = min(members, key=Finding.sort_key)
        return (-max(f.severity.rank for f in members), first.sort_key(), scope)

    items = []
    for (path, scope), members in sorted(groups.items(), key=order):
        members.sort(key=Finding.sort_key)
        where = f"{paths(path)}:{members[0].line}" + _enqueued_at(members, sites, paths)
        subject = f"`{scope}` ({where})" if scope else where
        codes = sorted({f.code for f in members})
        actions = " ".join(_action(code) for code in codes if code in RULES)
        offered = []
        for unsafe in (False, True):
            fixable = sorted(
                {f.code for f in members if f.fix and f.fix.edits and (f.fix.applicability == "unsafe") == unsafe}
            )
            if fixable:
                offered.append(f"`{_fix_command(unsafe, fixable, paths)}`")
        items.append(f"{subject}: {actions}" + (f" Automatic fix: {'; '.join(offered)}." if offered else ""))
    return tuple(items)


def _enqueued_at(members: list[Finding], sites: tuple[EnqueueSite, ...], paths: _Paths) -> str:
    """For WA201, reported where the queue is named: "; queue created there, enqueued at line 59"
    when the enqueue calls are on other lines (the topology table shows those)."""
    created = {(f.path, f.line) for f in members if f.code == "WA201"}
    calls = sorted(
        {
            (site.path, site.line)
            for site in sites
            if (display_path(site.producer.path), site.producer.span.line) in created
            and (site.path, site.line) not in created
        }
    )
    if not calls:
        return ""
    path = members[0].path
    shown = ", ".join(f"line {line}" if where == path else f"{paths(where)}:{line}" for where, line in calls)
    return f", where the queue is created; enqueued at {shown}"


def _action(code: str) -> str:
    """The first sentence of what a rule says to do instead, with the rule's code: "Return `202` ... (WA302)."."""
    text = _unwrap(RULES[code].instead)
    head, dot, _ = text.partition(". ")
    sentence = head if dot else text.rstrip(".")
    return f"{sentence} ({code})."
