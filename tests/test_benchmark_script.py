"""The synthetic backend of benchmarks/ at a tiny scale: its shape, and what worker-audit finds in it."""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from worker_audit.cli import main

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic_backend.py"
SCALE = 0.4  # 8 entities, 160 Python files


@pytest.fixture(scope="module")
def synthetic_backend():
    spec = importlib.util.spec_from_file_location("synthetic_backend", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_tree_has_the_planned_files_and_five_percent_handlers(synthetic_backend, tmp_path):
    backend = synthetic_backend.generate(tmp_path, scale=SCALE)
    on_disk = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.py"))
    assert on_disk == list(backend.python_files)
    assert len(on_disk) == 160
    assert len(backend.handler_modules) == 8  # 5%
    assert all(path.startswith("storefront/api/") for path in backend.handler_modules)
    assert (tmp_path / "docker-compose.yml").read_text().count("command: rq worker default") == 1
    for relative in on_disk:
        ast.parse((tmp_path / relative).read_bytes(), filename=relative)


def test_same_scale_and_seed_give_byte_identical_trees(synthetic_backend, tmp_path):
    synthetic_backend.generate(tmp_path / "a", scale=SCALE)
    synthetic_backend.generate(tmp_path / "b", scale=SCALE)
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert first == second


def test_worker_audit_finds_the_planted_handlers(synthetic_backend, tmp_path, monkeypatch):
    backend = synthetic_backend.generate(tmp_path, scale=SCALE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", ".", "--select", "WA101,WA102", "--format", "json", "--exit-zero"])
    assert result.exit_code == 0, result.output
    found = {(finding["code"], finding["path"]) for finding in json.loads(result.stdout)}
    assert found == {
        ("WA101", "storefront/api/orders.py"),  # inline Order.query.filter(Order.id.in_(ids)).delete()
        ("WA102", "storefront/api/products.py"),  # threading.Thread(...).start()
        ("WA101", "storefront/api/shipments.py"),  # the bulk delete is in shipment_service, one module away
    }
    assert found == set(backend.expected_findings)


def test_the_benchmark_measures_worker_audit_compiled_to_bytecode():
    # as a wheel's install leaves it: an editable install under PYTHONDONTWRITEBYTECODE
    # would compile every module in every measured run
    spec = importlib.util.spec_from_file_location("benchmark_script", GENERATOR.parent / "benchmark.py")
    benchmark = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = benchmark
    try:
        spec.loader.exec_module(benchmark)
        assert benchmark.compile_bytecode(sys.executable) == "compiled before measuring, as an install does"
    finally:
        del sys.modules[spec.name]
    import worker_audit.extract

    assert Path(importlib.util.cache_from_source(worker_audit.extract.__file__)).is_file()
