"""Output formats: each turns findings into text, nothing else."""

from __future__ import annotations

from collections.abc import Callable

from worker_audit.finding import Finding

Reporter = Callable[[list[Finding]], str]


def reporter_for(name: str) -> Reporter:
    if name == "sarif":
        from worker_audit.reporters.sarif import render_sarif

        return render_sarif
    if name == "full":
        from worker_audit.reporters.full import render_full

        return render_full
    if name == "junit":
        from worker_audit.reporters.junit import render_junit

        return render_junit
    if name == "gitlab":
        from worker_audit.reporters.gitlab import render_gitlab

        return render_gitlab
    if name == "github":
        from worker_audit.reporters.github import render_github

        return render_github
    if name == "json-lines":
        from worker_audit.reporters.json_report import render_json_lines

        return render_json_lines
    if name == "json":
        from worker_audit.reporters.json_report import render_json

        return render_json
    from worker_audit.reporters.text import render_text

    return render_text


FORMATS = ("text", "full", "json", "json-lines", "github", "gitlab", "sarif", "junit")
