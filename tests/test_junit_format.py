"""`--format junit`: JUnit XML that parses, with the audited code's text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from worker_audit.finding import Finding, Severity, Span
from worker_audit.reporters.junit import render_junit


def test_a_suite_per_file_a_failed_case_per_finding_and_hostile_text_round_trips():
    hostile = 'queue `<x a="1">&amp;]]></x>`'
    control = "queue `a\x1bb`"  # XML cannot hold it, even escaped
    findings = [
        Finding("WA201", "queue-not-consumed", Severity.ERROR, hostile, "a&b<c>.py", Span(3, 2, 3, 9)),
        Finding("WA102", "thread-in-handler", Severity.ERROR, "thread", "a&b<c>.py", Span(1, 5, 1, 9)),
        Finding("WA103", "in-memory-work-queue", Severity.INFO, "queue", "z.py", Span(7, 1, 7, 2)),
    ]
    root = ET.fromstring(render_junit(findings))
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "3", "3")
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests")) for s in suites] == [("a&b<c>.py", "2"), ("z.py", "1")]
    cases = suites[0].findall("testcase")
    assert [(c.get("name"), c.get("line"), c.get("column")) for c in cases] == [
        ("org.worker-audit.WA102", "1", "5"),
        ("org.worker-audit.WA201", "3", "2"),
    ]
    failure = cases[1].find("failure")
    assert failure.get("message") == hostile and failure.text == f"line 3, col 2, {hostile}"
    assert ET.fromstring(render_junit([])).get("tests") == "0"
    only = Finding("WA201", "queue-not-consumed", Severity.ERROR, control, "q.py", Span(1, 1, 1, 2))
    assert ET.fromstring(render_junit([only])).find("testsuite/testcase/failure").get("message") == "queue `a\ufffdb`"
