"""What a rule is: a stable code, a name, a severity, its documentation, bad and
good examples that the tests run, and a check over the analysis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from worker_audit.finding import Finding, Fix, Related, Severity, Span

if TYPE_CHECKING:
    from worker_audit.analysis import Analysis

EXPECT_MARK = re.compile(r"#\s*expect:\s*(WA\d{3})")


def expectations(text: str) -> list[tuple[int, str]]:
    """`(line, code)` for each `# expect: CODE` mark: the finding is on the next line."""
    return [
        (number + 1, code)
        for number, line in enumerate(text.splitlines(), start=1)
        for code in EXPECT_MARK.findall(line)
    ]


@dataclass(frozen=True)
class Example:
    """A small project: file name -> text. `# expect: WA101` on the line before a finding."""

    files: dict[str, str]

    def expected(self) -> set[tuple[str, int, str]]:
        return {(name, line, code) for name, text in self.files.items() for line, code in expectations(text)}

    def changed(self, name: str, old: str, new: str) -> Example:
        """This example with one change in one file, and without its `# expect:` marks:
        a good example written as the fix of a bad one."""
        files = {
            file: "\n".join(line for line in text.split("\n") if not EXPECT_MARK.search(line))
            for file, text in self.files.items()
        }
        assert old in files[name], old
        files[name] = files[name].replace(old, new)
        return Example(files)

    def shown(self) -> str:
        """The example as the docs show it: without the test marks."""
        blocks = []
        for name, text in self.files.items():
            lines = [line for line in text.splitlines() if not EXPECT_MARK.search(line)]
            language = "yaml" if name.endswith((".yml", ".yaml")) else "python"
            body = "\n".join(lines).strip("\n")
            blocks.append(
                f"`{name}`:\n```{language}\n{body}\n```" if len(self.files) > 1 else f"```{language}\n{body}\n```"
            )
        return "\n\n".join(blocks)


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    what: ClassVar[str]
    why: ClassVar[str]
    instead: ClassVar[str]
    fix_safety: ClassVar[str]
    bad: ClassVar[Example]
    good: ClassVar[Example]
    # what the rule needs read: "python" (parsed modules), "deployment" (compose files, Procfiles)
    reads: ClassVar[frozenset[str]] = frozenset({"python"})
    # one finding per handler, naming statements that may sit in helpers: a suppression on a
    # helper's line counts for it (analysis.handler_hits), and its identity is the handler's
    follows_helpers: ClassVar[bool] = False

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        analysis: Analysis,
        path: str,
        span: Span,
        message: str,
        related: list[Related] | tuple[Related, ...] = (),
        scope: str = "",
        fix: Fix | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            path=analysis.display(path),
            span=span,
            related=tuple(related),
            fix=fix,
            scope=scope,
        )

    @classmethod
    def documentation(cls) -> str:
        def section(title: str, body: str) -> str:
            return f"## {title}\n{body.strip()}\n"

        return "\n".join(
            [
                f"# {cls.code} {cls.name} ({cls.severity.value})\n",
                f"{cls.summary}\n",
                section("What it does", cls.what),
                section("Why is this bad?", cls.why),
                section("Example", cls.bad.shown()),
                section("Use instead", cls.instead.strip() + "\n\n" + cls.good.shown()),
                section("Fix safety", cls.fix_safety),
            ]
        )
