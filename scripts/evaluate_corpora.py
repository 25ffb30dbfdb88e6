"""Run worker-audit over development corpora and print the counts that
docs/evaluation.md reports: files, parsed modules, time, findings per rule.

    python scripts/evaluate_corpora.py /path/to/microblog /path/to/redash ...

Each path is a checkout of a corpus (never committed here). The triage itself
(true or false positive, one line why) is done by reading the code and kept in
docs/evaluation.md.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from worker_audit.engine import run_check
from worker_audit.settings import load_settings


def main(paths: list[str]) -> None:
    print("| corpus | files | parsed | seconds | errors+warnings | by rule |")
    print("|---|---|---|---|---|---|")
    for raw in paths:
        path = Path(raw)
        started = time.perf_counter()
        result = run_check([path], load_settings([path]))
        elapsed = time.perf_counter() - started
        serious = [f for f in result.findings if f.severity.value in ("error", "warning")]
        by_rule = ", ".join(f"{code} {n}" for code, n in sorted(Counter(f.code for f in serious).items()))
        print(
            f"| {path.name} | {result.files_checked} | {result.files_parsed + result.files_outlined} | {elapsed:.1f} | "
            f"{len(serious)} | {by_rule or '-'} |"
        )
        for message in result.messages:
            print(f"  note: {message}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
