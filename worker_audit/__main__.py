"""`python -m worker_audit`.

The audited tree is often the working directory, and `python -m` puts the working
directory first on sys.path: a `click.py`, `yaml.py` or `libcst/` of the audited code
would then be imported in place of the library, and run. So it leaves sys.path before
anything else is imported. worker-audit never imports what it audits."""

import os
import sys

_here = os.path.realpath(os.getcwd())
sys.path[:] = [entry for entry in sys.path if entry and os.path.realpath(entry) != _here]

from worker_audit.cli import main  # noqa: E402  (after sys.path is safe)

main()
