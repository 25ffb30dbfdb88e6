"""Each fixture case says inline what it expects (`# expect: WA101` on the line before)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, audit, expected_in_tree

CASES = sorted(p.name for p in (FIXTURES / "cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_case_findings_match_inline_expectations(case, in_repo):
    root = FIXTURES / "cases" / case
    expected = expected_in_tree(root)
    assert audit(root) == expected


@pytest.mark.parametrize("module", ["views.py", "create_views.py"])
def test_a_run_on_the_views_module_reports_what_the_whole_run_reports_there(module, in_repo):
    """A run on views.py alone (pre-commit) reads the receivers of signals.py, which it does
    not check, and does not report a view whose inherited handler is reported by itself in
    generic.py, which it does not check either; a run on create_views.py reads the receiver
    that apps.py connects in `InventoryConfig.ready()`."""
    inventory = FIXTURES / "cases" / "signal_receivers" / "inventory"
    expected = {found for found in expected_in_tree(inventory) if found[0].endswith(f"/inventory/{module}")}
    assert expected and audit(inventory / module, select="WA101") == expected


@pytest.mark.parametrize("module", ["api.py", "views.py"])
def test_a_run_on_a_module_of_library_generic_views_reports_what_the_whole_run_reports_there(module, in_repo):
    """DRF's ModelViewSet and Django's DeleteView write the view's model by themselves: a run
    on the module alone finds the model's methods and receivers in modules it does not check."""
    shop = FIXTURES / "cases" / "library_generic_views" / "shop"
    expected = {found for found in expected_in_tree(shop) if found[0].endswith(f"/shop/{module}")}
    assert len(expected) >= 2 and audit(shop / module, select="WA101") == expected


@pytest.mark.parametrize("module", ["subscribers.py", "admin.py"])
def test_a_run_on_a_connexion_controller_reads_the_project_specs(module, in_repo):
    """A run on one controller module (pre-commit) reads the project's API specs, which it
    does not check, and knows its functions that answer operations, as a whole run does."""
    shop = FIXTURES / "cases" / "connexion_specs" / "shop"
    expected = {found for found in expected_in_tree(shop) if found[0].endswith(f"/routes/{module}")}
    assert len(expected) >= 2 and audit(shop / "routes" / module) == expected


def test_a_run_on_a_falcon_resources_module_reads_the_routes_added_elsewhere(in_repo):
    """Falcon resources have no base class: a run on resources.py alone (pre-commit) reads the
    project module that adds them to routes, as a whole run does."""
    depot = FIXTURES / "cases" / "falcon_app" / "depot"
    expected = {found for found in expected_in_tree(depot) if found[0].endswith("/depot/resources.py")}
    assert len(expected) >= 4 and audit(depot / "resources.py") == expected


def test_a_run_on_a_pyramid_views_module_reads_the_views_added_elsewhere(in_repo):
    """`config.add_view(purge_shelf, ...)` in the package's `__init__.py` makes a view of a
    function that nothing in views.py decorates: a run on views.py alone (pre-commit) reads it."""
    shop = FIXTURES / "cases" / "pyramid_app" / "shop"
    expected = {found for found in expected_in_tree(shop) if found[0].endswith("/shop/views.py")}
    assert ("fixtures/cases/pyramid_app/shop/views.py", 31, "WA101") in expected
    assert audit(shop / "views.py") == expected


def test_library_generic_views_are_read_only_in_preview(in_repo):
    """Without `preview`, a view that writes nothing itself reaches nothing: the case's
    findings all come from the actions of library generic views."""
    from dataclasses import replace

    from worker_audit.engine import run_check
    from worker_audit.settings import load_settings

    case = FIXTURES / "cases" / "library_generic_views"
    settings = load_settings([case])
    assert settings.preview
    assert run_check([case], replace(settings, preview=False), {"WA101"}).findings == []


def test_every_case_expects_something_or_is_a_negative_case():
    # cases whose point is that nothing is reported (each was a false WA201 or WA202 once)
    negative = {
        "not_handlers",
        "topology_unknown_worker",
        "topology_rq_config_file",
        "celery_task_queues",
        "topology_compose_by_content",
        "topology_celery_flags",
        "topology_shared_image",
        "topology_celery_default_unsent",
    }
    for case in CASES:
        has_marks = bool(expected_in_tree(FIXTURES / "cases" / case))
        assert has_marks != (case in negative), case


def test_a_run_on_a_django_views_module_finds_the_function_views_its_urls_register(in_repo):
    """`path("x/", views.f)` in urls.py makes `f` a handler; a run on views.py alone (pre-commit)
    reads the project's modules that register views of it, as a whole run does."""
    app = FIXTURES / "cases" / "django_app"
    expected = {found for found in expected_in_tree(app) if found[0].endswith("/crm/views.py")}
    assert expected and audit(app / "crm" / "views.py", select="WA1") == expected
