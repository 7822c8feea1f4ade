"""Ignores by record id, from the configuration: `id-field` names a dotted path into each raw
record (`meta.uid`), and each ignore names an id, a reason and optionally the rules it covers.

Ids are read in the same pass as the baseline's fingerprints (ftdata.record_keys.record_keys), so
`apply_suppressions` applies both with one read of each file.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol, Sequence

from ftdata.baseline import Baseline, Covered, Keyed, baselined, keyed, rebuild
from ftdata.checks.base import Check
from ftdata.checks.suppression.unused_record_ignore import UnusedRecordIgnore
from ftdata.config import Settings
from ftdata.model import Finding
from ftdata.registry import Plan, all_checks
from ftdata.report.base import FileResult
from ftdata.selection import reseverity, specificity


class IgnoreLike(Protocol):
    """What an ignore must offer (ftdata.configfile.RecordIgnore, or IdIgnore)."""

    @property
    def id(self) -> str | int: ...

    @property
    def reason(self) -> str: ...

    @property
    def rules(self) -> Sequence[str] | None: ...


@dataclass(frozen=True)
class IdIgnore:
    id: str
    reason: str
    rules: tuple[str, ...] = ()  # codes, names, prefixes or categories; empty: every rule


Ignores = Iterable[IgnoreLike | Mapping[str, Any]]


def apply_suppressions(results: list[FileResult], settings: Settings | None = None, *,
                       baseline: Baseline | None = None, id_field: str | None = None, ignores: Ignores = (),
                       config_file: str | None = None) -> list[FileResult]:
    """Ignores by id and the baseline together, reading each file once (see apply_id_ignores and
    ftdata.baseline.apply_baseline). Both judge every finding, so one that both cover leaves
    neither reported as unused."""
    return suppress(results, settings, baseline=baseline, id_field=id_field, ignores=ignores,
                    config_file=config_file)[0]


def suppress(results: list[FileResult], settings: Settings | None = None, *,
             baseline: Baseline | None = None, id_field: str | None = None, ignores: Ignores = (),
             config_file: str | None = None) -> tuple[list[FileResult], Keyed | None]:
    """apply_suppressions, with every finding keyed as it keyed them (None when there was nothing
    to apply, and so nothing was read): writing a baseline needs both, from one read."""
    settings = settings or Settings()
    chosen = _normalised(ignores) if id_field else []
    if not chosen and baseline is None:
        return results, None
    rows, seen = keyed(results, id_field, {i.id for i in chosen})
    covers: list[Covered] = []
    extra: list[Finding] = []
    if chosen:  # each kind of suppression sees every finding, so neither is unused for the other's sake
        covered, stale = ignored(results, rows, chosen, seen, id_field or "", config_file, settings)
        covers.append(covered)
        extra += stale
    if baseline is not None:
        covered, stale = baselined(results, rows, baseline, settings)
        covers.append(covered)
        extra += stale
    return rebuild(results, rows, covers, extra), rows


def apply_id_ignores(results: list[FileResult], id_field: str, ignores: Ignores, config_file: str | None = None,
                     settings: Settings | None = None) -> list[FileResult]:
    """The results without the findings on records whose id an ignore names (for its rules, or
    every rule), plus an unused-record-ignore finding (SUP002), at `config_file`, for each ignore
    whose id no linted record holds or that suppressed nothing."""
    return apply_suppressions(results, settings, id_field=id_field, ignores=ignores, config_file=config_file)


def ignored(results: list[FileResult], rows: Keyed, ignores: list[IdIgnore], seen: frozenset[str],
            id_field: str, config_file: str | None, settings: Settings) -> tuple[Covered, list[Finding]]:
    """(which findings an ignore covers, the SUP002 findings of the ignores that did nothing)."""
    by_id: dict[str, list[int]] = {}
    for n, ignore in enumerate(ignores):
        by_id.setdefault(ignore.id, []).append(n)
    used = [False] * len(ignores)
    checks = {c.code: c for c in all_checks()}
    covered: Covered = []
    for row in rows:
        covered.append([])
        for f, _, rid in row:
            hits = [n for n in by_id.get(rid, ()) if _covers(ignores[n].rules, checks.get(f.rule))] \
                if rid is not None else []
            for n in hits:
                used[n] = True
            covered[-1].append(bool(hits))
    plan = Plan(settings, config_file or "")
    if UnusedRecordIgnore.code not in plan.codes:
        return covered, []
    run: set[str] = set().union(*(Plan(settings, r.file).codes for r in results))
    classes = [c for code, c in checks.items() if code in run]
    # ids of stdin (spooled and removed) or in-memory records cannot be read again: an id not
    # seen may be there
    blind = any(r.file == "-" or not os.path.isfile(r.file) for r in results)
    check, stale = UnusedRecordIgnore(), []
    for n, ignore in enumerate(ignores):
        rules = " or ".join(ignore.rules) + " " if ignore.rules else ""
        if ignore.id not in seen and not blind:
            message = (f"record-ignore for id {ignore.id!r} matches no linted record (id-field {id_field!r}): "
                       f"the record was removed or the id is misspelt")
        elif ignore.id in seen and not used[n] and any(_covers(ignore.rules, c) for c in classes):
            message = (f"record-ignore for id {ignore.id!r} suppresses nothing: the record has no {rules}"
                       f"finding (fixed?); remove the ignore")
        else:
            continue
        stale.append(check.finding(message, text=ignore.reason, file=_relative(config_file),
                                   line=_line_of(config_file, ignore.id)))
    return covered, reseverity(stale, plan.severity)


def _covers(selectors: Sequence[str], check: type[Check] | None) -> bool:
    """Do an ignore's rules (selectors as `select` takes them; none: every rule) cover a rule?"""
    return not selectors or (check is not None and any(specificity(check, s) is not None for s in selectors))


def _relative(path: str | None) -> str | None:
    """A path relative to the working directory, as the baseline's is, so that annotations map to
    the checkout (unchanged on another drive)."""
    try:
        return os.path.relpath(path) if path else path
    except ValueError:  # another drive (Windows)
        return path


def _normalised(ignores: Ignores) -> list[IdIgnore]:
    out = []
    for i in ignores:
        if isinstance(i, Mapping):
            out.append(IdIgnore(str(i["id"]), str(i.get("reason", "")), tuple(i.get("rules") or ())))
        else:
            out.append(IdIgnore(str(i.id), i.reason, tuple(i.rules or ())))
    return out


def _line_of(config_file: str | None, rid: str) -> int | None:
    """The first line of the configuration giving the id (quoted as TOML or JSON quote it, or a
    bare integer), if readable."""
    if not config_file or not os.path.isfile(config_file):
        return None
    quoted = [re.escape(json.dumps(rid, ensure_ascii=False)), re.escape(f"'{rid}'")]
    if rid.isdigit():
        quoted.append(rf"\bid\W*[=:]\s*{rid}\b")
    pattern = re.compile("|".join(quoted))
    try:
        with open(config_file, encoding="utf-8") as f:
            for line, text in enumerate(f, 1):
                if pattern.search(text):
                    return line
    except (OSError, UnicodeDecodeError):
        pass
    return None
