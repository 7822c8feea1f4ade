"""`--format junit`: JUnit XML, which CI servers (GitLab, Jenkins, Azure) show as test results.

Shaped like ruff's: a <testsuite> per file linted, a <testcase> per finding, and one passing
<testcase> for a file without findings. Only errors are <failure>s: they are what fails the run
(exit code 1). A warning is a passing testcase with its message in <system-out> (what the
Jenkins and GitLab schemas allow there), an info a testcase marked <skipped>: visible, but a run
that exits 0 must not show a red test report. Each testcase carries the record's `line` and
`column` (1-based, in characters), so that a record of a one-line JSON array can be found.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO, TYPE_CHECKING

from ftdata.model import Finding, Severity
from ftdata.report._common import encode, printable, shown, where
from ftdata.report.base import Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions


def clean(value: str) -> str:
    """What XML 1.0 cannot hold at all, escaped or not (most control characters, lone surrogates,
    U+FFFE/F), escaped as every human format escapes record text: see printable."""
    return printable(value)


def write(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    root = ET.Element("testsuites", name="ftdata")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    # a suite per file a finding is in: the linted files, then any other (a baseline's stale entry)
    by_file: dict[str, list[Finding]] = {r.file: [] for r in report.results}
    for f in report.findings:
        by_file.setdefault(f.file or "", []).append(f)
    for file, findings in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=clean(file))
        tally = {"tests": 0, "failures": 0, "skipped": 0}
        for f in findings:
            _testcase(suite, file, f)
            tally["tests"] += 1
            if f.severity is Severity.ERROR:
                tally["failures"] += 1
            elif f.severity is Severity.INFO:
                tally["skipped"] += 1
        if not findings:
            ET.SubElement(suite, "testcase", name="ftdata", classname=clean(file))
            tally["tests"] += 1
        _count(suite, tally)
        for k in totals:
            totals[k] += tally[k]
    _count(root, totals)
    ET.indent(root)
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(encode(ET.tostring(root, encoding="unicode") + "\n"))


def _testcase(suite: ET.Element, file: str, f: Finding) -> None:
    f = shown(f)
    case = ET.SubElement(suite, "testcase", name=clean(f"{f.rule} {f.name}"), classname=clean(file))
    if f.line is not None:
        case.set("line", str(f.line))
        if f.column is not None:
            case.set("column", str(f.column))
    body = " ".join(part for part in (where(f), f.pointer, f.message) if part)
    if f.severity is Severity.INFO:
        ET.SubElement(case, "skipped", message=clean(f"info: {f.message}"))
        return
    if f.severity is Severity.WARNING:  # passes: reported, but does not fail the run
        ET.SubElement(case, "system-out").text = clean(f"warning: {body}")
        return
    failure = ET.SubElement(case, "failure", message=clean(f.message), type=f.severity.value)
    failure.text = clean(body)


def _count(element: ET.Element, tally: dict[str, int]) -> None:
    element.set("tests", str(tally["tests"]))
    element.set("failures", str(tally["failures"]))
    element.set("errors", "0")  # JUnit's errors are crashes of a test; a finding is a failure
    element.set("skipped", str(tally["skipped"]))
