"""A run on one file (what the pre-commit hook does) reports nothing there that a run over
the whole tree does not.

For each tree given: the findings of a whole run; then, for every Python file that holds
one of them or is named like a handler module (`views.py`, `routes.py`, ... from the
packs), a run on that file alone, with the queue rules left out as the hook does
(`--ignore WA2`). A finding of the file run that the whole run does not have there (same
code and line, and the same handler or fewer methods of the same view) is an
inconsistency; one the whole run has that the file run misses, or names with fewer
methods, is expected where the work is in a file the run did not read (a receiver in an
unstaged `signals.py`, README "Known limits"), and is counted.

    python scripts/check_file_runs.py ../corpora/netbox ../corpora/redash ...

Prints one line per tree and one per file with extra findings; exits 1 on any."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

from worker_audit.discovery import discover
from worker_audit.engine import run_check
from worker_audit.knowledge import load_knowledge
from worker_audit.rule_selection import selected_codes
from worker_audit.settings import load_settings


def _by_file(findings) -> dict[str, dict[tuple[str, int], str]]:
    """For each file, (code, line) of each finding -> the name its message starts with
    (`SiteViewSet.create/update`)."""
    found: dict[str, dict[tuple[str, int], str]] = {}
    for finding in findings:
        named = finding.message.split("`")[1] if finding.message.count("`") >= 2 else ""
        found.setdefault(str(Path(finding.path).resolve()), {})[(finding.code, finding.line)] = named
    return found


def _within(alone: str, whole: str) -> bool:
    """Whether a file run's finding is the whole run's, or the same view's with fewer of its
    methods (`SiteViewSet.destroy` within `SiteViewSet.create/update/destroy`): a file run
    does not see the receivers of files it did not read."""
    if alone == whole:
        return True
    view, _, methods = alone.rpartition(".")
    whole_view, _, whole_methods = whole.rpartition(".")
    return view == whole_view != "" and set(methods.split("/")) <= set(whole_methods.split("/"))


def check_tree(tree: Path) -> int:
    settings = load_settings([tree])
    active = selected_codes(settings.select, settings.ignore + ("WA2",))
    whole = _by_file(run_check([tree], settings, active).findings)
    knowledge = load_knowledge()
    files = discover([tree], settings.root, settings.exclude, settings.respect_gitignore).python
    named = {
        str(path.resolve())
        for path in files
        if any(fnmatch.fnmatch(path.as_posix(), "*/" + glob) for glob in knowledge.handler_modules)
    }
    extra_files, extra, missing, checked = 0, 0, 0, 0
    for path in sorted(set(whole) | named):
        alone = _by_file(run_check([Path(path)], settings, active).findings).get(path, {})
        expected = whole.get(path, {})
        checked += 1
        missing += sum(1 for key, name in expected.items() if key not in alone or alone[key] != name)
        wrong = [key for key, name in alone.items() if key not in expected or not _within(name, expected[key])]
        if wrong:
            extra_files += 1
            extra += len(wrong)
            print(f"  {path}: {len(wrong)} findings the whole run does not have there")
    print(
        f"{tree}: {checked} files run alone; {extra} findings not in the whole run "
        f"(in {extra_files} files); {missing} of the whole run's findings in those files not found alone"
    )
    return extra


if __name__ == "__main__":
    total = sum(check_tree(Path(arg)) for arg in sys.argv[1:])
    sys.exit(1 if total else 0)
