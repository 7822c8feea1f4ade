"""`--format sarif`: a SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.

One run; a rule descriptor for each rule that has results (with the check's docstring as its
help when the caller passes RenderOptions.rule_doc); a result per finding, located by file, line
and column of the record's first character (in Unicode code points: `columnKind`), or by file
only for dataset-level findings, with the JSON pointer in its properties and the record's
content fingerprint as a partial fingerprint, so an alert survives lines moving.

GitHub rejects a run of more than 25,000 results and stores at most 100 locations of one. Past
MAX_RESULTS findings the most severe are kept (errors, then warnings, then infos; in report
order within a severity), and the run says how many were left out, in its invocation's
notifications and in `run.properties.omittedResults`. Related locations are capped likewise.
"""
from __future__ import annotations

import posixpath
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any, Callable
from urllib.parse import quote

import orjson

from ftdata._version import __version__
from ftdata.model import Finding, Severity
from ftdata.report._common import detail, dumps
from ftdata.report.base import Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ftdata/ftdata"
MAX_RESULTS = 25_000  # GitHub's hard limit of results per run
MAX_RELATED = 100  # GitHub keeps at most 100 locations of a result
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT = "recordFingerprint/v1"


def write(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    sarif_log = log(report, options.rule_doc)
    out.write(dumps(sarif_log, orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY) + b"\n")  # surrogates escaped


def log(report: Report, rule_doc: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """The SARIF log as a dict; `rule_doc(code)` gives a rule's docstring (see RenderOptions)."""
    findings, kept = report.findings, _kept(report.findings)
    fingerprints = report.fingerprints()
    files = [f.file or r.file for r in report.results for f in r.findings]  # GitHub needs a location
    first: dict[str, Finding] = {}
    for i in kept:
        first.setdefault(findings[i].rule, findings[i])
    rules = [first[code] for code in sorted(first)]
    index = {f.rule: n for n, f in enumerate(rules)}
    results = [_result(findings[i], files[i], index[findings[i].rule], fingerprints[i]) for i in kept]
    omitted = len(findings) - len(kept)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "ftdata", "version": __version__, "informationUri": INFORMATION_URI,
                            "rules": [_rule(f, rule_doc(f.rule) if rule_doc else None) for f in rules]}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if omitted:
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": (
            f"{omitted:,} of {len(findings):,} findings left out: GitHub code scanning accepts at most "
            f"{MAX_RESULTS:,} results per run (the most severe are kept; all are in --format json)")}}]
        run["properties"] = {"omittedResults": omitted}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _kept(findings: list[Finding]) -> list[int]:
    """Indices of the findings reported: all of them, or the MAX_RESULTS most severe."""
    if len(findings) <= MAX_RESULTS:
        return list(range(len(findings)))
    by_severity = sorted(range(len(findings)), key=lambda i: findings[i].severity.rank)  # stable
    return sorted(by_severity[:MAX_RESULTS])


def _rule(f: Finding, doc: str | None) -> dict[str, Any]:
    """A rule descriptor: its summary (the docstring's first paragraph) and docstring, the name
    when there is none; its level as configured for this run (that of its first finding)."""
    doc = doc or ""
    short = " ".join(doc.split("\n\n")[0].split()) or f.name
    rule: dict[str, Any] = {"id": f.rule, "name": f.name, "shortDescription": {"text": short},
                            "fullDescription": {"text": doc or f.name}}
    if doc:
        rule["help"] = {"text": doc, "markdown": doc}
    rule["defaultConfiguration"] = {"level": LEVELS[f.severity]}
    rule["properties"] = {"category": f.category, "tags": [f.category]}
    return rule


def _result(f: Finding, file: str, rule_index: int, fingerprint: str) -> dict[str, Any]:
    text = detail(f) + (f': "{f.excerpt}"' if f.excerpt else "")
    result: dict[str, Any] = {"ruleId": f.rule, "ruleIndex": rule_index, "level": LEVELS[f.severity],
                              "message": {"text": text}}
    result["locations"] = [_location(file, f.line, f.column)]
    if f.related:
        result["relatedLocations"] = [{"id": n, **_location(r.file, r.line), "message": {"text": "related record"}}
                                      for n, r in enumerate(f.related[:MAX_RELATED])]
    result["partialFingerprints"] = {FINGERPRINT: fingerprint}
    props: dict[str, Any] = {"name": f.name, "category": f.category, "pointer": f.pointer}
    if len(f.related) > MAX_RELATED:
        props["omittedRelatedLocations"] = len(f.related) - MAX_RELATED
    result["properties"] = props
    return result


def _location(file: str | None, line: int | None, column: int | None = None) -> dict[str, Any]:
    """A location in a file (a whole-file one without a line); empty without a file. The column
    counts Unicode code points, as the run's columnKind says."""
    if file is None:
        return {}
    physical: dict[str, Any] = {"artifactLocation": artifact(file)}
    if line is not None:
        physical["region"] = {"startLine": line} if column is None else {"startLine": line, "startColumn": column}
    return {"physicalLocation": physical}


def artifact(file: str) -> dict[str, str]:
    """An artifactLocation: a relative path as a URI against %SRCROOT% (where code scanning
    resolves it against the checkout), an absolute one as a file: URI."""
    if file == "-":
        return {"uri": "stdin"}
    p = PurePath(file)
    if p.is_absolute():
        try:
            return {"uri": p.as_uri()}
        except UnicodeEncodeError:  # a surrogate that names no bytes: see _quote
            return {"uri": "file://" + _quote(p.as_posix())}
    return {"uri": _quote(posixpath.normpath(p.as_posix())), "uriBaseId": "%SRCROOT%"}


def _quote(path: str) -> str:
    """A path percent-encoded as the bytes it names: a name that is not UTF-8 reaches us with
    its bytes as surrogates (`caf\\udce9.jsonl`), which name the file; any other surrogate,
    escaped (see printable), cannot name one but must not crash the report."""
    try:
        return quote(path, errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, errors="backslashreplace")

