"""JUnit XML, as ruff writes it: a test suite per file, a failed test case per finding.

ElementTree escapes everything that comes from the audited code; characters
XML cannot hold (control characters) become U+FFFD."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from worker_audit.finding import Finding

# characters XML 1.0 cannot hold at all, even escaped: shown as U+FFFD
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render_junit(findings: list[Finding]) -> str:
    count = str(len(findings))
    root = ET.Element("testsuites", name="worker-audit", tests=count, failures=count, errors="0")
    for path, group in groupby(sorted(findings, key=lambda f: f.sort_key()), key=lambda f: f.path):
        found = list(group)
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(found)), failures=str(len(found)), errors="0")
        for f in found:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"org.worker-audit.{f.code}",
                classname=_xml(path),
                line=str(f.line),
                column=str(f.column),
            )
            failure = ET.SubElement(case, "failure", message=_xml(f.message))
            failure.text = _xml(f"line {f.line}, col {f.column}, {f.message}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
