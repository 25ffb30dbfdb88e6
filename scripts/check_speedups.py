"""Prove on real code that worker-audit's shortcuts never change a finding.

For each tree given: the findings of a default run (no cache) equal those of
runs without the prefilter, without the `ast` outlines (and so without
functions read alone), with one process and with a warm cache; every module's
outline agrees with its full facts; and every function read alone
(module_loading.PartialModule) has the facts the whole module gives it.

    python scripts/check_speedups.py ../corpora/netbox ../corpora/redash ...

Prints one line per tree and per comparison; exits 1 on any difference."""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from worker_audit.engine import run_check
from worker_audit.facts import MODULE_SCOPE
from worker_audit.knowledge import load_knowledge
from worker_audit.module_loading import PartialModule, load_module
from worker_audit.outline import disagreements, outline_module
from worker_audit.settings import load_settings
from worker_audit.source import SourceProblem, decode_python


def _findings(tree: Path, settings) -> tuple[list[tuple], float]:
    started = time.perf_counter()
    result = run_check([tree], settings)
    return [(f.code, f.path, f.line, f.message) for f in result.findings], time.perf_counter() - started


def _outline_problems(tree: Path) -> tuple[int, int, list[str]]:
    knowledge, checked, functions, problems = load_knowledge(), 0, 0, []
    for path in sorted(tree.rglob("*.py")):
        try:
            data = path.read_bytes()
            text = decode_python(data).text
        except (OSError, SourceProblem):
            continue
        facts = load_module(str(path), data, knowledge).facts
        outline = outline_module(str(path), text)
        if facts is None or outline is None:
            continue
        checked += 1
        problems += [f"{path}: {line}" for line in disagreements(outline, facts)]
        partial = PartialModule(str(path), data)
        for qualname, function in facts.functions.items():
            alone = partial.function(qualname, knowledge) if qualname != MODULE_SCOPE else None
            if alone is None or alone.facts is None:
                continue  # read whole instead: nothing to compare
            functions += 1
            if alone.facts.functions.get(qualname) != function:
                problems.append(f"{path}: {qualname} read alone has other facts")
    return checked, functions, problems


def main(trees: list[str]) -> int:
    failed = False
    for name in trees:
        tree = Path(name)
        base = replace(load_settings([tree]), cache_dir="")
        expected, seconds = _findings(tree, base)
        print(f"{tree.name}: {len(expected)} findings in {seconds:.1f} s (default, no cache)")
        with tempfile.TemporaryDirectory() as cache:
            cached = replace(base, cache_dir=str(Path(cache) / "c"))
            variants = {
                "no prefilter": replace(base, prefilter=False),
                "no outlines": replace(base, outlines=False),
                "one process": replace(base, jobs=1),
                "cache, cold": cached,
                "cache, warm": cached,
            }
            for label, settings in variants.items():
                found, seconds = _findings(tree, settings)
                same = found == expected
                failed |= not same
                print(f"  {label:<13} {'same' if same else 'DIFFERENT'} ({len(found)} findings, {seconds:.1f} s)")
        checked, functions, problems = _outline_problems(tree)
        failed |= bool(problems)
        print(f"  outlines      {checked} modules and {functions} functions read alone, {len(problems)} disagreements")
        for line in problems[:10]:
            print(f"    {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
