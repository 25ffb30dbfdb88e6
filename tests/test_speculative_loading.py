"""Modules loaded ahead in a process of their own: what the run takes from there is what it
would have loaded itself, and a run that loads ahead finds what one that does not finds."""

from __future__ import annotations

import time
from pathlib import Path

from worker_audit.engine import _likely_reads
from worker_audit.knowledge import load_knowledge
from worker_audit.module_loading import load_module
from worker_audit.speculative_loading import _HERS, SpeculativeLoader

VIEWS = b"from app.models import Contact\n\n\ndef purge(ids):\n    Contact.objects.filter(id__in=ids).delete()\n"
MODELS = b"from django.db import models\n\n\nclass Contact(models.Model):\n    email = models.EmailField(unique=True)\n"


def _claimed_by_the_process(loader: SpeculativeLoader, index: int) -> None:
    deadline = time.monotonic() + 30
    while loader._claims[index] != _HERS:
        assert time.monotonic() < deadline, "the process never started the item"
        time.sleep(0.01)


def _counting_starts(monkeypatch) -> list[int]:
    """The pool forced on any run; each start of a loading ahead, by its number of items."""
    from worker_audit import parallel_loading, speculative_loading

    monkeypatch.setattr(parallel_loading, "MIN_PARALLEL_BYTES", 0)
    started: list[int] = []
    real = speculative_loading.SpeculativeLoader.__init__

    def counting(self, items, knowledge):
        started.append(len(items))
        real(self, items, knowledge)

    monkeypatch.setattr(speculative_loading.SpeculativeLoader, "__init__", counting)
    return started


def test_a_module_loaded_ahead_is_the_module_loaded_here_and_is_given_once():
    knowledge = load_knowledge()
    items = [("app/models.py", MODELS), ("app/views.py", VIEWS)]
    loader = SpeculativeLoader(items, knowledge)
    try:
        _claimed_by_the_process(loader, 1)
        assert loader.take("app/views.py", VIEWS) == load_module("app/views.py", VIEWS, knowledge)
        assert loader.take("app/views.py", VIEWS) is None  # asked again: the run loads it
        assert loader.take("app/models.py", MODELS + b"\n") is None  # other bytes than it read
        assert loader.take("app/other.py", VIEWS) is None  # never among its items
    finally:
        loader.stop()


def test_a_module_the_run_asks_for_first_is_left_to_the_run():
    knowledge = load_knowledge()
    many = [(f"app/m{n}.py", MODELS) for n in range(200)]
    loader = SpeculativeLoader(many, knowledge)
    try:
        assert loader.take("app/m199.py", MODELS) is None  # claimed by the run before the process got there
        _claimed_by_the_process(loader, 198)
        assert loader._claims[199] != _HERS  # and the process skipped it
    finally:
        loader.stop()


def test_the_likely_reads_alternate_imports_of_the_roots_and_models_modules(tmp_path):
    """By turns: the project modules the roots import, most imported first, and the models
    modules of the packs' conventions (not the tests' own)."""
    from worker_audit.project import ProjectIndex

    for name in ("shop", "shop/tests", "users"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    files = {
        "shop/views.py": "from shop.forms import F\nfrom shop.helpers import h\n",
        "users/views.py": "from shop.helpers import h\n",
        "shop/forms.py": "F = 1\n",
        "shop/helpers.py": "def h(): ...\n",
        "shop/models.py": "",
        "users/models.py": "",
        "shop/tests/models.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    knowledge = load_knowledge()
    index = ProjectIndex(tmp_path, lambda path: load_module(str(path), path.read_bytes(), knowledge).facts)
    roots = [index.module(str(tmp_path / "shop/views.py")), index.module(str(tmp_path / "users/views.py"))]
    python = sorted(tmp_path.rglob("*.py"))
    reads = _likely_reads(index, knowledge, roots, python, tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in reads] == [
        "shop/helpers.py",
        "shop/models.py",
        "shop/forms.py",
        "users/models.py",
    ]


def test_a_big_run_loads_ahead_and_finds_what_a_run_in_one_process_finds(monkeypatch, tmp_path):
    """The fixture cases as one project, with the pool forced: modules are loaded ahead, and
    the findings are those of `-j 1`, which loads nothing ahead."""
    import json
    import shutil

    from click.testing import CliRunner
    from conftest import FIXTURES

    from worker_audit.cli import main

    started = _counting_starts(monkeypatch)
    shutil.copytree(Path(FIXTURES) / "cases", tmp_path / "cases")
    (tmp_path / "cases" / "pyproject.toml").write_text("[tool.worker-audit]\n")
    tree = str(tmp_path / "cases")
    one = CliRunner().invoke(main, ["check", tree, "--format", "json", "-j", "1", "--no-cache"])
    assert started == []
    two = CliRunner().invoke(main, ["check", tree, "--format", "json", "-j", "2", "--no-cache"])
    assert len(started) == 1 and started[0] > 0
    assert json.loads(one.stdout) and json.loads(one.stdout) == json.loads(two.stdout)


def test_a_module_gets_the_same_answer_however_deep_the_caller_is():
    """The process loading ahead calls `load_module` from a shallower stack than the run's
    analysis does: a module nested close to the recursion limit must get the same answer from
    both (it gave facts in one and "nested too deeply" in the other, and which one the run took
    depended on timing)."""
    import sys

    knowledge = load_knowledge()
    chain = " + ".join(["g(1)"] * 300)
    data = f"def g(x):\n    return x\n\n\ndef total():\n    return {chain}\n".encode()
    shallow = load_module("deep.py", data, knowledge)

    def from_depth(levels: int):
        return from_depth(levels - 1) if levels else load_module("deep.py", data, knowledge)

    deep = from_depth(sys.getrecursionlimit() - 150)
    assert shallow.facts is not None and deep == shallow


def test_no_process_is_left_behind_when_the_reading_thread_cannot_start(monkeypatch):
    import multiprocessing
    import threading

    import pytest

    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    with pytest.raises(RuntimeError):
        SpeculativeLoader([("app/models.py", MODELS)], load_knowledge())
    assert multiprocessing.active_children() == []


def test_a_module_whose_thread_cannot_start_is_skipped_with_a_message(monkeypatch):
    """Under a memory limit the large-stack thread may not start: that file is skipped as an
    internal error, and the run goes on (as when the thread was started for the parse alone)."""
    import threading

    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    loaded = load_module("app/models.py", MODELS, load_knowledge())
    assert loaded.facts is None
    assert loaded.internal_error == "internal error, file skipped: RuntimeError: can't start new thread"


def test_no_process_is_left_behind_when_the_preparation_fails_after_it_started(monkeypatch, tmp_path):
    """An exception between the start of the loading ahead and the rules (an interrupt, a bug)
    stops the process there: a caller that goes on (a test run, an editor) keeps no child."""
    import multiprocessing
    import shutil

    import pytest
    from conftest import FIXTURES

    from worker_audit import engine
    from worker_audit.settings import Settings

    started = _counting_starts(monkeypatch)

    def failing(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "DeploymentFiles", failing)
    shutil.copytree(Path(FIXTURES) / "cases", tmp_path / "cases")
    settings = Settings(root=tmp_path / "cases", jobs=2, cache_dir="")
    with pytest.raises(KeyboardInterrupt):
        engine.run_check([tmp_path / "cases"], settings)
    assert started and started[0] > 0
    assert multiprocessing.active_children() == []
