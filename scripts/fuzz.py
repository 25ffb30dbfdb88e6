"""Fuzz worker-audit for as long as you give it: `python scripts/fuzz.py --minutes 30`.

The same programs and properties as `tests/test_fuzz.py` (both come from
`tests/fuzz_properties.py`), with Hypothesis randomization on. It runs batches
of programs until the time is up and counts every program tried. The first
time a failure of a new kind (property and message) turns up, Hypothesis
shrinks it and the smallest failing input is saved as a regression fixture,
`<out>/<hash>.py`, whose header says which property failed;
`tests/test_fuzz.py::test_saved_regressions` replays every one. Failures of a
kind already saved are counted and the run goes on.

The last line printed is a JSON summary: minutes, programs tried (by
generator), programs with findings and with fixes written, failures by
property, and the fixtures saved.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import fuzz_properties as fp  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402


def kind_of(failure: fp.PropertyFailure) -> str:
    """A failure's kind: its property and its message without numbers, paths or quoted values."""
    detail = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "Q", failure.detail)
    detail = re.sub(r"\S+\.py\b", "P", detail)
    detail = re.sub(r"\d+", "N", detail)
    return f"{failure.prop}: {detail[:120]}"


class Run:
    """What the batches have tried and found so far."""

    def __init__(self, out: Path):
        self.out = out
        self.tried: Counter[str] = Counter()
        self.exercised: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.known: set[str] = set()  # failure kinds saved already
        self.saved: list[str] = []

    def batch(self, batch_seed: int, size: int) -> None:
        """`size` programs; a failure of a new kind is shrunk by Hypothesis and saved."""
        smallest: dict[str, tuple[fp.Program, fp.PropertyFailure]] = {}

        @seed(batch_seed)
        @settings(
            max_examples=size,
            derandomize=False,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=(Phase.generate, Phase.shrink),  # no "explain": it traces every line, minutes per failure
        )
        @given(fp.any_program())
        def one_batch(program: fp.Program) -> None:
            self.tried[program.origin] += 1
            try:
                outcome = fp.check_properties(program)
            except fp.PropertyFailure as failure:
                kind = kind_of(failure)
                self.failures[failure.prop] += 1
                self.kinds[kind] += 1
                if kind in self.known:
                    return  # saved already: keep going
                if kind not in smallest:
                    print(f"fuzz: failure, shrinking: {failure}"[:400], flush=True)
                smallest[kind] = (program, failure)  # Hypothesis replays the smallest example last
                raise
            self.exercised["with findings"] += outcome.findings > 0
            self.exercised["with fixable findings"] += outcome.fixable > 0
            self.exercised["with files fixed"] += outcome.files_fixed > 0

        try:
            one_batch()
        except Exception as exc:  # a new kind of failure, shrunk: save it below and go on
            if not smallest:
                print(f"fuzz: batch seed {batch_seed}: {type(exc).__name__}: {exc}", flush=True)
                self.failures["harness"] += 1
        for kind, (program, failure) in smallest.items():
            self.known.add(kind)
            path = fp.save_regression(program, failure, self.out)
            self.saved.append(str(path))
            print(f"fuzz: NEW FAILURE {kind}\nfuzz:   saved {path}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--seed", type=int, default=None, help="Seed the batches (default: random).")
    parser.add_argument("--out", type=Path, default=fp.REGRESSIONS, help="Where to save failing inputs.")
    parser.add_argument("--batch", type=int, default=25, help="Programs per Hypothesis run.")
    args = parser.parse_args(argv)

    base_seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    started = time.monotonic()
    run = Run(args.out)
    batch = 0
    print(f"fuzz: seed {base_seed}, {args.minutes} minutes, saving to {args.out}", flush=True)
    while time.monotonic() < started + args.minutes * 60:
        batch += 1
        run.batch(base_seed * 1_000_003 + batch, args.batch)
        minutes = (time.monotonic() - started) / 60
        total = sum(run.tried.values())
        print(f"fuzz: batch {batch}, {minutes:.1f} min, {total} programs, failures {dict(run.failures)}", flush=True)

    summary = {
        "seed": base_seed,
        "minutes": round((time.monotonic() - started) / 60, 2),
        "programs": sum(run.tried.values()),
        "by_generator": dict(run.tried),
        "exercised": dict(run.exercised),
        "failures_by_property": {prop: run.failures.get(prop, 0) for prop in fp.PROPERTIES},
        "failure_kinds": dict(run.kinds),
        "saved": run.saved,
    }
    print(json.dumps(summary), flush=True)
    return 1 if run.saved or run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
