"""Output formats: each turns findings into text, nothing else."""

from __future__ import annotations

from collections.abc import Callable

from worker_audit.finding import Finding

Reporter = Callable[[list[Finding]], str]


# format -> (module, function): imported only when used, so `check` stays quick to start
_REPORTERS = {
    "text": ("text", "render_text"),
    "full": ("full", "render_full"),
    "json": ("json_report", "render_json"),
    "json-lines": ("json_report", "render_json_lines"),
    "github": ("github", "render_github"),
    "gitlab": ("gitlab", "render_gitlab"),
    "sarif": ("sarif", "render_sarif"),
    "junit": ("junit", "render_junit"),
}


def reporter_for(name: str) -> Reporter:
    from importlib import import_module

    module, function = _REPORTERS.get(name, _REPORTERS["text"])
    return getattr(import_module(f"worker_audit.reporters.{module}"), function)


FORMATS = tuple(_REPORTERS)
