"""Fuzzing, bounded for CI: generated programs and mutated fixtures go through
`check` and `fix --unsafe-fixes` (the properties are in `fuzz_properties.py`).

Derandomized, so every run tries the same 535 programs. `scripts/fuzz.py` runs
the same properties randomized for as long as you give it and saves what fails
in fixtures/fuzz_regressions/, which `test_saved_regressions` replays.
"""

from __future__ import annotations

from pathlib import Path

import fuzz_properties as fp
import pytest
from hypothesis import HealthCheck, given, settings

from worker_audit import fixes

SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _tried(strategy, examples: int) -> list[fp.Outcome]:
    """Run every property on `examples` programs; what each exercised."""
    outcomes = []

    @settings(
        derandomize=True,
        max_examples=examples,
        deadline=None,
        suppress_health_check=SLOW_INPUTS,
        database=None,
    )
    @given(strategy)
    def properties_hold(program):
        outcomes.append(fp.check_properties(program))

    properties_hold()
    assert len(outcomes) >= examples
    return outcomes


def test_snippet_programs_with_handlers_and_bulk_work():
    outcomes = _tried(fp.snippet_programs(), 220)
    # not vacuous: the rules fire and the fixes rewrite files
    assert sum(o.findings > 0 for o in outcomes) > 100
    assert sum(o.files_fixed > 0 for o in outcomes) > 20


def test_hypothesmith_programs():
    _tried(fp.hypothesmith_programs(), 200)


def test_hypothesmith_code_around_handlers():
    outcomes = _tried(fp.mixed_programs(), 50)
    assert sum(o.findings > 0 for o in outcomes) > 10


def test_mutated_fixture_files():
    _tried(fp.mutated_fixtures(), 40)


def test_mutated_fixture_files_with_fixes():
    # the cases whose Python files have fixes: not vacuous, the fixes rewrite mutated files
    outcomes = _tried(fp.mutated_fixtures(only=("seed_app", "cases/job_standard")), 25)
    assert sum(o.files_fixed > 0 for o in outcomes) > 3


def test_saved_regressions():
    assert fp.REGRESSIONS.is_dir()
    assert (fp.REGRESSIONS / "README.md").is_file()
    saved = sorted(fp.REGRESSIONS.glob("*.py"))
    for path in saved:
        program, header = fp.load_regression(path)
        assert header["property"] in fp.PROPERTIES, path
        fp.check_properties(program)


def test_a_regression_fixture_keeps_the_exact_bytes_and_its_case(tmp_path):
    data = b"\xef\xbb\xbf# -*- coding: latin-1 -*-\r\nx = '\xe9'\0\n"
    program = fp.Program({"server/routes_leads.py": data}, base="fixtures/seed_app")
    path = fp.save_regression(program, fp.PropertyFailure("fix-parses", "fix wrote\nx.py"), tmp_path)
    assert path.name == f"{path.stem}.py" and len(path.stem) == 12
    loaded, header = fp.load_regression(path)
    assert loaded == program
    assert header == {
        "property": "fix-parses",
        "detail": "fix wrote x.py",
        "context": "fixtures/seed_app/server/routes_leads.py",
    }
    plain = fp.save_regression(fp.Program({fp.APP: b"pass\n"}), fp.PropertyFailure("no-crash", "boom"), tmp_path)
    assert fp.load_regression(plain)[0] == fp.Program({fp.APP: b"pass\n"})


JOB_ROUTES = fp.Program(
    {"app/routes.py": (fp.FIXTURES / "cases/job_standard/app/routes.py").read_bytes()},
    base="fixtures/cases/job_standard",
)


def test_the_properties_hold_on_a_case_the_fixes_change():
    outcome = fp.check_properties(JOB_ROUTES)
    assert outcome.files_fixed == 2


def _writer(change):
    def write_outcome(outcome):
        for path, text in outcome.after.items():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(text.text)
        change()

    return write_outcome


@pytest.mark.parametrize(
    ("change", "prop"),
    [
        (lambda: Path("app/routes.py").write_text("def broken(:\n"), "fix-parses"),
        (lambda: Path("app/models.py").write_text("# nothing\n"), "fix-keeps-code"),
        (lambda: Path("app/queues.py").unlink(), "fix-keeps-code"),
    ],
)
def test_the_properties_catch_a_fix_that_breaks_or_loses_code(monkeypatch, change, prop):
    monkeypatch.setattr(fixes, "write_outcome", _writer(change))
    with pytest.raises(fp.PropertyFailure) as failure:
        fp.check_properties(JOB_ROUTES)
    assert failure.value.prop == prop


def test_the_properties_catch_a_fix_that_is_not_idempotent(monkeypatch):
    runs = []
    monkeypatch.setattr(fixes, "write_outcome", _writer(lambda: runs.append(1) or Path("new.py").write_text(f"{runs}")))
    with pytest.raises(fp.PropertyFailure, match="not idempotent"):
        fp.check_properties(JOB_ROUTES)


def test_the_properties_catch_a_crash(monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(fixes, "fix_to_fixpoint", crash)
    with pytest.raises(fp.PropertyFailure, match="no-crash: .*RuntimeError: boom"):
        fp.check_properties(JOB_ROUTES)
