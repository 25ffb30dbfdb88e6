"""Which rule codes a selection enables: `--select` / `--ignore` prefixes.

The codes come from the rule modules' file names (`checks/wa101_....py`), so
selecting rules does not import them: a run answered from the cache never
loads the rules at all. A test keeps this list equal to the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

_RULE_MODULE = re.compile(r"^wa(\d{3})_\w+\.py$")
CODES: tuple[str, ...] = tuple(
    sorted(
        f"WA{match.group(1)}"
        for match in map(_RULE_MODULE.match, (p.name for p in (Path(__file__).parent / "checks").iterdir()))
        if match
    )
)


class SelectorError(ValueError):
    pass


def validate_selectors(selectors: tuple[str, ...] | list[str]) -> None:
    for selector in selectors:
        if selector == "ALL":
            continue
        if not any(code.startswith(selector) for code in CODES):
            raise SelectorError(f"unknown rule selector '{selector}' (see `worker-audit rules`)")


def selected_codes(select: tuple[str, ...], ignore: tuple[str, ...]) -> set[str]:
    """Codes enabled by `select` and not removed by `ignore` (prefixes allowed)."""
    validate_selectors(select)
    validate_selectors(ignore)

    def hit(code: str, selectors: tuple[str, ...]) -> bool:
        return any(s == "ALL" or code.startswith(s) for s in selectors)

    return {code for code in CODES if hit(code, select) and not hit(code, ignore)}
