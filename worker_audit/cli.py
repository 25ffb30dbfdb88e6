"""The command line: arguments -> settings -> engine -> reporter. Nothing else."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from worker_audit import __version__
from worker_audit.reporters import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def _fail(message: str) -> None:
    click.echo(f"worker-audit: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


_config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A pyproject.toml to read [tool.worker-audit] from (default: the nearest one above the first path).",
)
_select_option = click.option(
    "--select", help="Comma-separated codes or prefixes to enable (WA1, WA101). Replaces the configured select."
)
_ignore_option = click.option(
    "--ignore", help="Comma-separated codes or prefixes to disable, on top of the configured ignore."
)
_jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes that parse modules in parallel [default: one per core].",
)
_no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Do not read or write the cache of module facts (.worker_audit_cache/)."
)
_preview_option = click.option(
    "--preview",
    is_flag=True,
    help="Also use behaviours not yet on by default (configured: preview = true): what a library's generic "
    "view (DRF's ModelViewSet, Django's DeleteView) saves or deletes by itself.",
)
_quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Print the findings and nothing else: no summary, notes or progress."
)
_verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also print the configuration used, the files checked and parsed, and the time.",
)


def _configured(paths, config_file, select=None, ignore=None):
    """(targets, settings, active codes, fixable codes), or exit 2 with one line."""
    from worker_audit.rule_selection import SelectorError, selected_codes
    from worker_audit.settings import ConfigError, load_settings

    targets = list(paths) or [Path(".")]
    try:
        settings = load_settings(targets, config_file)
        active = selected_codes(_codes(select) or settings.select, settings.ignore + (_codes(ignore) or ()))
        fixable = selected_codes(settings.fixable, settings.unfixable)
    except (ConfigError, SelectorError) as exc:
        _fail(str(exc))
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        _fail(f"no such file or directory: {', '.join(missing)}")
    return targets, settings, active, fixable


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="worker-audit")
def main() -> None:
    """Find request handlers that do slow work inline instead of through a worker.

    \b
    worker-audit check [PATH]...   audit Python files and deployment files (compose, Procfile, ...)
    worker-audit fix [PATH]...     apply the fixes (check --fix)
    worker-audit queues [PATH]...  print the queue topology: producers, workers, status
    worker-audit baseline [PATH]... record today's findings; check --baseline shows only new ones
    worker-audit report [PATH]...  write an audit document for a person (-o audit.html or audit.md)
    worker-audit rules             list the rule catalogue
    worker-audit explain WA101     document one rule
    """
    from worker_audit.module_loading import collect_less

    collect_less()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format: ruff-like text lines (full: with the source line), the JSON contract (an array, "
    "or one object per line), GitHub Actions annotations, GitLab Code Quality JSON, SARIF 2.1.0, or JUnit XML.",
)
@_select_option
@_ignore_option
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Lowest severity that makes the exit code 1 [default: warning, or the configured fail-on].",
)
@_config_option
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply safe fixes, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also apply fixes that change behaviour.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 if any).")
@click.option("--statistics", is_flag=True, help="Print one line per rule with its count instead of the findings.")
@click.option(
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report only findings that are not in this baseline file (written by `worker-audit baseline`).",
)
@click.option(
    "--since",
    metavar="REF",
    help="Report only findings in files changed since the git ref REF (committed, staged, unstaged or "
    "untracked), or whose handler reaches into one.",
)
@_jobs_option
@_no_cache_option
@_preview_option
@_quiet_option
@_verbose_option
def check(paths, **options) -> None:
    """Audit PATHS (default: the current directory).

    Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or
    configuration error. With --diff: 1 when there is something to fix.
    """
    _check(paths, **options)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply fixes that change behaviour (WA101, WA102, WA301, WA303: work moves into tracked jobs).",
)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing.")
@_select_option
@_ignore_option
@_config_option
@_jobs_option
@_no_cache_option
@_preview_option
@_quiet_option
@_verbose_option
def fix(paths, **options) -> None:
    """Apply fixes to PATHS (the same as `check --fix`), to a fixpoint, and report
    what is left. Files are written atomically, only below PATHS; a second run
    changes nothing.

    Exit status: 0 nothing left at or above `fail-on`, 1 findings left (with
    --diff: something to fix), 2 a usage or configuration error.
    """
    _check(paths, apply_fixes=True, **options)


def _check(
    paths,
    *,
    output_format="text",
    select=None,
    ignore=None,
    exit_zero=False,
    fail_on=None,
    config_file=None,
    apply_fixes=False,
    unsafe_fixes=False,
    diff=False,
    statistics=False,
    output_file=None,
    baseline=None,
    quiet=False,
    verbose=False,
    since=None,
    jobs=None,
    no_cache=False,
    preview=False,
) -> None:
    import time

    from worker_audit.reporters import reporter_for
    from worker_audit.run_cache import run_check_remembered
    from worker_audit.terminal import Progress

    started = time.monotonic()

    def note(line: str) -> None:  # what --quiet leaves out
        if not quiet:
            click.echo(line, err=True)

    targets, settings, active, fixable = _configured(paths, config_file, select, ignore)
    if jobs is not None:
        settings = replace(settings, jobs=jobs)
    if preview:
        settings = replace(settings, preview=True)
    if no_cache or diff:  # --diff writes nothing, not even the cache
        settings = replace(settings, cache_dir="")
    recorded = _load_baseline(baseline) if baseline is not None else None
    changed = _changed_files(since, targets[0]) if since is not None else None
    if apply_fixes or diff:
        from worker_audit.analysis import display_path
        from worker_audit.fixes import FixWriteError, diff_bytes, fix_to_fixpoint, write_outcome

        outcome = fix_to_fixpoint(targets, settings, active, unsafe_fixes, fixable)
        for line in outcome.dropped:
            click.echo(f"worker-audit: {line}", err=True)
        if diff:
            for path, text in sorted(outcome.after.items()):
                click.echo(diff_bytes(path, display_path(path), outcome.before[path], text), nl=False)
            files = len(outcome.after)
            note(f"Would apply {_edits(outcome.applied, files)}.")
            sys.exit(EXIT_FINDINGS if outcome.after else EXIT_CLEAN)
        try:
            write_outcome(outcome)
        except FixWriteError as exc:
            _fail(str(exc))
        files = len(outcome.after)
        note(f"Applied {_edits(outcome.applied, files)}.")
    progress = Progress(sys.stderr) if not quiet else None
    try:
        result = run_check_remembered(targets, settings, active, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    for message in result.messages:
        click.echo(f"worker-audit: {message}", err=True)
    if not result.files_discovered:  # a compose file or a manifest alone is something to check
        note("worker-audit: warning: no Python files found under the given paths")
    if changed is not None:
        result.findings = [f for f in result.findings if _touches(f, changed)]
    if recorded is not None:
        from worker_audit.baseline import new_findings

        shown = new_findings(result.findings, recorded, baseline.parent)
        hidden = len(result.findings) - len(shown)
        if hidden:
            note(f"worker-audit: {hidden} {_plural(hidden, 'finding')} in the baseline not shown.")
        result.findings = shown
    if verbose:
        config = settings.config_file or "none, defaults"
        seconds = time.monotonic() - started
        cache = result.cache
        cached = f" ({cache.hits} from the cache)" if cache is not None else " (no cache)"
        if result.remembered:
            cached = " (the whole run from the cache)"
        in_part = ""
        if result.files_in_part:
            in_cache = f" ({result.files_in_part_cached} from the cache)" if cache is not None else ""
            in_part = f"{result.files_in_part} read in part{in_cache}, "
        click.echo(
            f"worker-audit: config {config}; {result.files_checked} files checked, "
            f"{result.files_parsed} parsed{cached}, {in_part}{result.files_outlined} outlined, {len(active)} rules, "
            f"{seconds:.2f} s",
            err=True,
        )
    if statistics:
        from worker_audit.reporters.statistics import render_statistics

        report = render_statistics(result.findings)
    elif output_format == "sarif":  # SARIF shows each fix's changes: the fix layer computes them
        from worker_audit.fixes import with_changes

        report = reporter_for(output_format)(with_changes(result.findings))
    elif output_format in ("text", "full") and unsafe_fixes:
        # the unsafe fixes were asked for: those left declined, and no hint says to enable them
        shown = [
            replace(f, fix=None) if f.fix is not None and f.fix.applicability == "unsafe" else f
            for f in result.findings
        ]
        report = reporter_for(output_format)(shown)
    else:
        report = reporter_for(output_format)(result.findings)
    human = output_format in ("text", "full") and not statistics
    if human and quiet:
        from worker_audit.reporters.text import without_summary

        report = without_summary(report, result.findings)
    if output_file is not None:
        try:
            output_file.write_text(report, encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write {output_file}: {exc.strerror or exc}")
    else:
        _print_report(report, result.findings if human else None)
    threshold = {"error": 3, "warning": 2, "info": 1}[fail_on or settings.fail_on]
    if result.internal_errors:
        sys.exit(EXIT_ERROR)
    failing = [f for f in result.findings if f.severity.rank >= threshold]
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


def _changed_files(ref: str, start: Path) -> set[Path]:
    from worker_audit.changed_files import ChangedFilesError, changed_since

    try:
        return changed_since(ref, start)
    except ChangedFilesError as exc:
        _fail(str(exc))


def _touches(finding, changed: set[Path]) -> bool:
    """The finding is in a changed file, or one of its places is (a helper its handler reaches)."""
    paths = {finding.path, *(related.path for related in finding.related)}
    return any(Path(path).resolve() in changed for path in paths)


def _print_report(report: str, findings) -> None:
    """Standard output; the text formats in colour when it is a terminal (see `terminal.py`)."""
    from worker_audit.terminal import colour_wanted, paint

    if findings is not None and colour_wanted(sys.stdout):
        click.echo(paint(report, {f.code: f.severity.value for f in findings}), nl=False, color=True)
    else:
        click.echo(report, nl=False, color=False)


def _edits(edits: int, files: int) -> str:
    return f"{edits} {_plural(edits, 'edit')} ({files} {_plural(files, 'file')} changed)"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _load_baseline(file: Path):
    from worker_audit.baseline import BaselineError, load_baseline

    try:
        return load_baseline(file)
    except BaselineError as exc:
        _fail(str(exc))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=".worker-audit-baseline.json",
    show_default=True,
    help="The baseline file to write.",
)
@_select_option
@_ignore_option
@_config_option
@_no_cache_option
def baseline(paths, output, select, ignore, config_file, no_cache) -> None:
    """Record every current finding of PATHS in a baseline file, so that
    `check --baseline FILE` reports only new ones. A finding's identity is its
    rule, path, enclosing handler or function and message, without line
    numbers: moving code does not bring a finding back.
    """
    from worker_audit.baseline import BaselineError, write_baseline
    from worker_audit.engine import run_check

    targets, settings, active, _ = _configured(paths, config_file, select, ignore)
    if no_cache:
        settings = replace(settings, cache_dir="")
    result = run_check(targets, settings, active)
    for message in result.messages:
        click.echo(f"worker-audit: {message}", err=True)
    try:
        write_baseline(result.findings, output)
    except BaselineError as exc:
        _fail(str(exc))
    count = len(result.findings)
    click.echo(f"Wrote {count} {_plural(count, 'finding')} to {output}.", err=True)
    sys.exit(EXIT_ERROR if result.internal_errors else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_config_option
@_no_cache_option
def queues(paths, output_format, config_file, no_cache) -> None:
    """Print the queue topology of PATHS: each queue, its producers, its workers, its status."""
    from worker_audit.engine import run_topology
    from worker_audit.reporters.topology_table import render_topology_json, render_topology_table

    targets, settings, _, _ = _configured(paths, config_file)
    if no_cache:
        settings = replace(settings, cache_dir="")
    topology, result = run_topology(targets, settings)
    for message in result.messages:
        click.echo(f"worker-audit: {message}", err=True)
    render = render_topology_json if output_format == "json" else render_topology_table
    click.echo(render(topology), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write; its suffix picks the format: .html or .htm, .md or .markdown.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "markdown"]),
    default=None,
    help="The format, when the suffix of --output does not say it (one that says another is an error).",
)
@_config_option
@_no_cache_option
def report(paths, output, output_format, config_file, no_cache) -> None:
    """Write an audit of PATHS for a person to read, shaped like the seed audit:
    a summary with a verdict, the handlers that do slow work inside the request
    (with the lines, why it matters and the fix offered), every enqueue site,
    the queue topology, a checklist of fixes and the other findings. HTML is one
    self-contained file (inline CSS and SVG charts, no script, nothing loaded);
    Markdown renders on GitHub and GitLab.

    Exit status: 0 when the report is written (it is a document, not a gate),
    2 on a usage, configuration or write error.
    """
    from worker_audit.audit_report import build_document, format_for, render_document
    from worker_audit.engine import run_audit

    suffix_says = format_for(output)
    if output_format is not None and suffix_says is not None and output_format != suffix_says:
        _fail(f"--format {output_format} does not match the suffix of {output} ({suffix_says}): drop one or the other")
    chosen = output_format or suffix_says
    if chosen is None:
        _fail(f"cannot tell the format of {output} from its suffix: use --format html or --format markdown")
    targets, settings, _, _ = _configured(paths, config_file)
    if no_cache:
        settings = replace(settings, cache_dir="")
    audit = run_audit(targets, settings)
    for message in audit.check.messages:
        click.echo(f"worker-audit: {message}", err=True)
    document = build_document(audit, targets)
    try:
        output.write_text(render_document(document, chosen), encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    click.echo(f"Wrote {output}: {document.headline}.", err=True)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(output_format) -> None:
    """List every rule: code, name, severity and summary."""
    import json

    from worker_audit.checks import RULES

    if output_format == "json":
        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary} for r in RULES.values()
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for rule in RULES.values():
        click.echo(f"{rule.code}  {rule.name:<24} {rule.severity.value:<8} {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print the documentation of one rule (by code, such as WA101, or by name)."""
    from worker_audit.checks import RULES

    wanted = code.strip()
    for rule in RULES.values():
        if wanted.upper() == rule.code or wanted == rule.name:
            click.echo(rule.documentation())
            return
    _fail(f"unknown rule '{code}' (see `worker-audit rules`)")
