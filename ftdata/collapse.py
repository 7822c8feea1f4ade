"""Conventions, not floods: a finding whose cause every record (nearly) shares is reported once.

A file written in a convention ftdata does not expect (a `response` key, a custom schema) breaks
the same expectation on every record; thousands of identical findings bury the one-line cause.
Findings of one rule about records (never dataset-level or suppression findings) have the same
cause when their pointers agree once array indices are wildcarded and their messages agree once
numbers are (quoted text, such as a key's name, is kept); a rule may declare `one_cause` when its
message varies by record but its cause does not (invalid JSON, an unknown format). When a cause covers at least SHARE of
a file's records, and at least MIN_RECORDS of them, its findings become one: the first finding,
with the rule's severity (so the verdict and exit code do not change), "N of M records: " before
its message, its `count`, and the next locations in `related`.

Applied after suppressions (a baseline keys findings per record: `--write-baseline` writes them
uncollapsed) and before any report, by the CLI (`--no-collapse` turns it off) and ftdata.lint().
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from typing import Any

from ftdata.model import Finding, Location
from ftdata.report.base import FileResult

SHARE = 0.9  # of the file's records (recognised or not) that must share the cause
MIN_RECORDS = 20  # below this, every finding is shown: a small file is read record by record
RELATED = 5  # locations kept beside the first

_INDEX = re.compile(r"/\d+(?=/|$)")
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True, kw_only=True)
class Collapsed(Finding):
    """One finding standing for `count` findings of one cause (the JSON report's `count`)."""

    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {**Finding.to_dict(self), "count": self.count}


def collapse(results: list[FileResult]) -> list[FileResult]:
    """The results with each file's shared-cause findings collapsed into one each."""
    return [_collapse(r) for r in results]


def _collapse(result: FileResult) -> FileResult:
    total, findings = result.records, result.findings
    need = max(MIN_RECORDS, SHARE * total)
    if total < MIN_RECORDS or len(findings) < need:
        return result
    per_rule = Counter([f.rule for f in findings if f.record_index is not None])
    rules = {rule for rule, n in per_rule.items() if n >= need}  # only these can be floods: cheap when none is
    if not rules:
        return result
    exact: dict[tuple[str, str, str], list[int]] = {}  # most floods repeat one pointer and message exactly
    for i, f in enumerate(findings):
        if f.rule in rules and f.record_index is not None and f.category != "suppression":
            exact.setdefault((f.rule, f.pointer, f.message), []).append(i)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for (rule, pointer, message), members in exact.items():
        text = "" if _one_cause(rule) else _VARIABLE.sub(_keep_quoted, message)
        groups.setdefault((rule, _INDEX.sub("/*", pointer), text), []).extend(members)
    merged: dict[int, Finding] = {}  # position of a group's first finding -> the collapsed finding
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) < need:
            continue
        records = len({findings[i].record_index for i in members})
        if records < need:
            continue
        members.sort()
        merged[members[0]] = _one(findings, members, records, total)
        dropped.update(members[1:])
    if not merged:
        return result
    return replace(result, findings=[merged.get(i, f) for i, f in enumerate(findings) if i not in dropped])


def _one(findings: list[Finding], members: list[int], records: int, total: int) -> Collapsed:
    first = findings[members[0]]
    seen = {first.record_index}
    related: list[Location] = []
    for i in members[1:]:
        f = findings[i]
        if f.record_index not in seen:
            seen.add(f.record_index)
            related.append(Location(f.file, f.line, f.record_index))
            if len(related) == RELATED:
                break
    same = {k.name: getattr(first, k.name) for k in fields(Finding)}
    return Collapsed(**{**same, "message": f"{records:,} of {total:,} records: {first.message}",
                        "related": tuple(related)}, count=len(members))


@functools.cache
def _one_cause(code: str) -> bool:
    from ftdata.registry import find

    return bool(getattr(find(code), "one_cause", False))


def _keep_quoted(m: re.Match[str]) -> str:
    text = m.group()
    return text if text[0] in "'\"" else "#"
