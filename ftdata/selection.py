"""Which rules run on a file and at what severity, resolved like ruff: the most specific selector wins.

A selector is `ALL`, a category (`content`), a code prefix (`FMT`, `CNT01`), a rule code or a
rule name. For each rule the most specific matching `select`/`extend-select` entry is weighed
against the most specific `ignore` entry; on a tie the ignore wins, so
`select = ["CNT"]` with `ignore = ["CNT003"]` runs every content rule but refusal, and
`ignore = ["content"]` with `select = ["CNT010"]` runs personal-data alone of the content rules.
A per-file ignore is absolute: whatever `select` says, the rules it names do not run on its files.
"""
from __future__ import annotations

import os
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Iterable, Mapping

from ftdata.model import Finding, Severity

if TYPE_CHECKING:
    from ftdata.checks.base import Check

EXACT = 1000  # a code or a name: nothing is more specific


def specificity(cls: type[Check], selector: str) -> int | None:
    """How precisely `selector` names the rule (None: it does not)."""
    s = selector.strip()
    up = s.upper()
    if up == cls.code or s == cls.name:
        return EXACT
    if up == "ALL":
        return 0
    if s == cls.category:
        return 1
    if up and cls.code.startswith(up):
        return 1 + len(up)
    return None


def _best(cls: type[Check], selectors: Iterable[str]) -> int | None:
    found = [n for n in (specificity(cls, s) for s in selectors) if n is not None]
    return max(found) if found else None


def enabled(cls: type[Check], select: Iterable[str], ignore: Iterable[str]) -> bool:
    chosen = _best(cls, select)
    dropped = _best(cls, ignore)
    return chosen is not None and (dropped is None or chosen > dropped)


def file_ignores(file: str, per_file: Mapping[str, Iterable[str]], root: str | None) -> list[str]:
    """The selectors of every per-file-ignores glob that matches `file`. A glob is matched against
    the path relative to the project root (the configuration's folder), in POSIX form; one without
    a slash also against the file name, so `"*.eval.jsonl"` works in any folder."""
    if not per_file or file in ("-", "<records>", "<dataframe>"):
        return []
    rel = os.path.relpath(os.path.abspath(file), root or os.getcwd()).replace(os.sep, "/")
    name = os.path.basename(file)
    out: list[str] = []
    for glob, selectors in per_file.items():
        pattern = glob.removeprefix("./")
        if not any(c in pattern for c in "*?["):  # a plain name: no regular expression to compile
            if pattern in (rel, name if "/" not in pattern else rel):
                out.extend(selectors)
        elif fnmatchcase(rel, pattern) or ("/" not in pattern and fnmatchcase(name, pattern)):
            out.extend(selectors)
    return out


def severity_of(cls: type[Check], overrides: Mapping[str, Severity]) -> Severity:
    """The rule's severity after the most specific matching override (its default without one)."""
    best: tuple[int, Severity] | None = None
    for selector, level in overrides.items():
        n = specificity(cls, selector)
        if n is not None and (best is None or n >= best[0]):  # on a tie the later (higher layer) wins
            best = (n, level)
    return best[1] if best else cls.severity


def reseverity(findings: list[Finding], levels: Mapping[str, Severity]) -> list[Finding]:
    """The findings with each rule's overridden severity (`levels`: code -> severity, only the
    rules whose severity changed)."""
    if not levels:
        return findings
    return [replace(f, severity=levels[f.rule]) if f.rule in levels else f for f in findings]
