"""How many helper-line suppressions would silence the false positives of a triaged corpus.

    python scripts/suppression_cover.py <checkout> <prefix>

Reads the verdicts of docs/evaluation.md's triage table for the rows whose finding starts
with `<prefix>` (`netbox`), runs WA101 over the checkout, and chooses lines greedily: the
line on the way to the most statements of false positive findings that still leaves every
true positive finding at least one statement. Prints how many lines, which false positives
stay, and how many statements of true positives the lines leave out.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from worker_audit.analysis import display_path, lines_on_the_way
from worker_audit.check_result import CheckResult
from worker_audit.engine import _prepare
from worker_audit.settings import load_settings

REPO = Path(__file__).resolve().parent.parent


def verdicts(prefix: str) -> dict[str, bool]:
    """`path:line` -> whether the majority called it a true positive."""
    found = {}
    for row in (REPO / "docs" / "evaluation.md").read_text().splitlines():
        match = re.match(rf"\| \d+ \| {prefix} `([^`]+)` ", row)
        if match:
            found[match.group(1)] = "FP" not in row.split("|")[-3]
    return found


def statements(checkout: Path) -> dict[str, list[frozenset]]:
    """`path:line` of each WA101 finding -> for each of its statements, the lines on its way."""
    settings = load_settings([checkout])
    analysis = _prepare([checkout], settings, CheckResult()).analysis

    def bulk(r) -> bool:
        return r.effect.kind == "bulk-db" or (r.effect.kind == "row-write" and r.looped and not r.hands_off)

    found = {}
    for hits in analysis.handler_hits(bulk, "WA101"):
        handler = hits.handler
        ways = [frozenset(lines_on_the_way(handler, hit)) for hit in hits.hits]
        relative = Path(display_path(handler.path, checkout)).as_posix()
        found[f"{relative}:{hits.anchor.line}"] = ways
    return found


def main(checkout: Path, prefix: str) -> None:
    labels = verdicts(prefix)
    found = statements(checkout)
    # the table's paths may start below the checkout (netbox's `dcim/views.py` is netbox/dcim/views.py)
    relative = {}
    for label in labels:
        matches = [key for key in found if key == label or key.endswith("/" + label)]
        if len(matches) == 1:
            relative[label] = found[matches[0]]
    false = [loc for loc, true in labels.items() if not true and loc in relative]
    true = [loc for loc, true in labels.items() if true and loc in relative]
    chosen: set = set()

    def silenced(lines: set) -> list[str]:
        return [loc for loc in true if all(way & lines for way in relative[loc])]

    while True:
        open_ways = [way for loc in false for way in relative[loc] if not way & chosen]
        counts = Counter(line for way in open_ways for line in way)
        best = next((line for line, _ in counts.most_common() if not silenced(chosen | {line})), None)
        if best is None:
            break
        chosen.add(best)
    staying = [loc for loc in false if not all(way & chosen for way in relative[loc])]
    dropped = sum(1 for loc in true for way in relative[loc] if way & chosen)
    total = sum(len(relative[loc]) for loc in true)
    print(f"{len(found)} findings; {len(false)} false and {len(true)} true positives triaged")
    print(f"{len(chosen)} suppression lines silence {len(false) - len(staying)} of {len(false)} false positives")
    for path, line in sorted(chosen):
        print(f"  {display_path(path, checkout)}:{line}")
    print(f"false positives still reported: {', '.join(sorted(staying)) or 'none'}")
    print(
        f"true positives silenced: {', '.join(silenced(chosen)) or 'none'}; statements left out: {dropped} of {total}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
