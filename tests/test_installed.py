"""The wheel carries its knowledge packs, and the console script works from
anywhere. `.ci/run` installs the package non-editable, so this runs there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

import worker_audit
from worker_audit.knowledge import packs_directory

PACKAGE = Path(worker_audit.__file__).resolve().parent
FROM_SOURCE = REPO in PACKAGE.parents


@pytest.mark.skipif(FROM_SOURCE, reason="imported from the source checkout; .ci/run tests the installed wheel")
def test_installed_package_ships_the_rules_packs():
    assert packs_directory() == PACKAGE / "packs"
    shipped = sorted(p.name for p in (PACKAGE / "packs").glob("*.yaml"))
    assert shipped == sorted(p.name for p in (REPO / "rules").glob("*.yaml"))


def test_console_script_works_outside_the_repository(tmp_path):
    script = Path(sys.executable).parent / "worker-audit"
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "seed_app")
    result = subprocess.run(
        [str(script), "check", "seed_app", "--select", "WA0,WA1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    findings = [line for line in result.stdout.splitlines() if ": WA" in line]
    assert [line.split(": ")[0] + " " + line.split()[1] for line in findings] == [
        "seed_app/server/routes_leads.py:93:5 WA101",
        "seed_app/server/routes_whatsapp.py:42:14 WA102",
        "seed_app/server/services/recording_service.py:16:1 WA103",
    ]
