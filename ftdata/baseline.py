"""Suppressions kept outside the data (JSONL has no comments): a baseline file of accepted
findings, each entry keyed by rule, data file, record fingerprint and JSON pointer, with a count.

The fingerprint is of the record's content, not of its line (of its group's, for a finding about
several records), so that an entry survives lines moving, keys being reordered and a file being
re-indented: see ftdata.record_keys, which reads them back from the data files in one streaming
pass per file, with the record ids ftdata.suppress_ids needs.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from typing import Any, Collection, Sequence

import orjson

from ftdata import redact
from ftdata.checks.base import Check
from ftdata.config import Settings
from ftdata.curate.atomic import atomic_writer
from ftdata.model import Finding
from ftdata.record_keys import key_pointer, record_keys
from ftdata.report.base import FileResult, Report


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """The fingerprint each finding is keyed by, in order (Report.fingerprints, for baselines and
    SARIF): its record's, its group's for one about several records, its rule and file name's for
    one about a file (see ftdata.record_keys)."""
    return record_keys(findings).fingerprints


# -- the baseline file ---------------------------------------------------------------------------
VERSION = 1
Keyed = list[list[tuple[Finding, str, str | None]]]  # per result: (finding, fingerprint, record id)
Covered = list[list[bool]]  # per result: is each finding suppressed?


@dataclass(frozen=True)
class Entry:
    """Accepted findings: `count` of `rule` on records with this fingerprint, at this pointer."""

    rule: str
    file: str  # the data file, relative to the baseline's folder, in POSIX form
    fingerprint: str
    pointer: str
    count: int
    name: str = ""
    message: str = ""  # the first finding's, for humans reading the file
    line: int | None = None  # where the entry is in the baseline file (for SUP001)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.rule, self.file, self.fingerprint, self.pointer


@dataclass(frozen=True)
class Baseline:
    path: str
    entries: tuple[Entry, ...]

    def resolve(self, rel: str) -> str:
        """An entry's data file as a path (entries name it relative to the baseline's folder)."""
        return os.path.join(os.path.dirname(os.path.abspath(self.path)), rel)

    def rel(self, file: str | None) -> str:
        """A data file's name as this baseline records it."""
        return _relative(file, os.path.dirname(os.path.abspath(self.path)))


def write_baseline(report: Report | list[FileResult], path: str, keep: Sequence[Entry] = (),
                   keys: Sequence[str] | None = None) -> int:
    """Write every finding of a report or of lint results (suppression findings aside) as accepted,
    with the entries `keep` (those of a previous baseline that this run could not judge: other
    files, rules not run), atomically, one entry per line in a stable order; returns the number of
    entries. `keys`: the findings' fingerprints when computed over more findings than these (a
    group's key depends on every finding of the group, suppressed ones included, as when linting).
    ValueError when the file cannot be written."""
    if not isinstance(report, Report):
        report = Report(report)
    folder = os.path.dirname(os.path.abspath(path))
    entries: dict[tuple[str, str, str, str], Entry] = {e.key: replace(e, line=None) for e in keep}
    for f, fp in zip(report.findings, report.fingerprints() if keys is None else keys):
        if f.category == "suppression":
            continue
        key = (f.rule, _relative(f.file, folder), fp, key_pointer(f))
        old = entries.get(key)
        entries[key] = replace(old, count=old.count + 1) if old else Entry(*key, 1, f.name, f.message)
    lines = [_dumps({"rule": e.rule, "name": e.name, "file": e.file, "fingerprint": e.fingerprint,
                     "pointer": e.pointer, "count": e.count, "message": e.message})
             for _, e in sorted(entries.items())]
    try:
        with atomic_writer(path) as out:
            out.write(b'{"ftdata_baseline": %d, "entries": [\n' % VERSION + b",\n".join(lines) + b"\n]}\n")
    except OSError as e:
        raise ValueError(f"cannot write baseline {path!r}: {e.strerror or e}") from None
    return len(lines)


def load_baseline(path: str) -> Baseline:
    """Read a baseline; ValueError with one sentence saying what is wrong when it is not one."""
    try:
        with open(path, "rb") as f:
            text = f.read()
    except FileNotFoundError:
        raise ValueError(f"baseline {path!r} does not exist: create it with --write-baseline") from None
    except OSError as e:  # a folder, no permission
        raise ValueError(f"cannot read baseline {path!r}: {e.strerror or e}") from None
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as e:
        try:  # orjson refuses the lone surrogate escapes _dumps writes; the standard library reads them
            doc = json.loads(text)
        except (ValueError, RecursionError):
            raise ValueError(f"baseline {path!r} is not valid JSON: {e}") from None
    if not isinstance(doc, dict) or "ftdata_baseline" not in doc or not isinstance(doc.get("entries"), list):
        raise ValueError(f'baseline {path!r} is not an ftdata baseline (an object with "ftdata_baseline" and '
                         f'"entries")')
    if doc["ftdata_baseline"] != VERSION:
        raise ValueError(f"baseline {path!r} has version {doc['ftdata_baseline']!r}; this ftdata reads "
                         f"version {VERSION}")
    lines = _entry_lines(text, len(doc["entries"]))
    merged: dict[tuple[str, str, str, str], Entry] = {}
    for i, (raw, line) in enumerate(zip(doc["entries"], lines), 1):
        entry = _entry(raw, line, f"baseline {path!r} entry {i}" + (f" (line {line})" if line else ""))
        old = merged.get(entry.key)
        merged[entry.key] = replace(old, count=old.count + entry.count) if old else entry
    return Baseline(path, tuple(merged.values()))


def _dumps(entry: dict[str, Any]) -> bytes:
    """One entry as JSON. A file name that is not UTF-8 (os gives it with lone surrogates) or a
    message quoting a lone surrogate is written as a JSON escape (`\\udce9`) and read back the same,
    so the entry still matches its file."""
    try:
        return orjson.dumps(entry)
    except TypeError:
        return json.dumps(entry, ensure_ascii=True).encode()


def _entry(raw: Any, line: int | None, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} is not an object")
    for key in ("rule", "file", "fingerprint", "pointer", "count"):
        if key not in raw:
            raise ValueError(f"{where} has no {key!r}")
    count = raw["count"]
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError(f"{where} has count {count!r}; it must be a positive integer")
    bad = [k for k in ("rule", "file", "fingerprint", "pointer", "name", "message")
           if not isinstance(raw.get(k, ""), str)]
    if bad:
        raise ValueError(f"{where} has a {bad[0]!r} that is not a string")
    # masked as findings are (ftdata.redact): a baseline written before masking still matches, and
    # its messages are not shown or rewritten raw
    return Entry(raw["rule"], raw["file"], raw["fingerprint"], redact.text(raw["pointer"]), count,
                 raw.get("name", ""), redact.text(raw.get("message", "")), line)


def _entry_lines(text: bytes, n: int) -> list[int | None]:
    """The line of each entry when the file has one entry per line (as written), else Nones."""
    found: list[int | None] = []
    for line, raw in enumerate(text.splitlines(), 1):
        s = raw.strip().rstrip(b",")
        if s.startswith(b"{") and b'"fingerprint"' in s and not s.startswith(b'{"ftdata_baseline"'):
            found.append(line)
    return found if len(found) == n else [None] * n


def apply_baseline(results: list[FileResult], baseline: Baseline, settings: Settings | None = None
                   ) -> list[FileResult]:
    """The results without the findings the baseline accepts, plus an unused-suppression finding
    (SUP001) for each entry that matched fewer findings than its count. `settings` are the run's:
    only entries for files linted in it and rules it selects for them can be stale."""
    rows, _ = keyed(results)
    covered, stale = baselined(results, rows, baseline, settings or Settings())
    return rebuild(results, rows, [covered], stale)


def baselined(results: list[FileResult], rows: Keyed, baseline: Baseline, settings: Settings
              ) -> tuple[Covered, list[Finding]]:
    """(which findings the baseline accepts, the SUP001 findings of its unused entries)."""
    left = {e.key: e.count for e in baseline.entries}
    rels: dict[str | None, str] = {}
    covered: Covered = []
    for row in rows:
        covered.append([])
        for f, fp, _ in row:
            rel = rels[f.file] if f.file in rels else rels.setdefault(f.file, baseline.rel(f.file))
            key = (f.rule, rel, fp, key_pointer(f))
            hit = left.get(key, 0) > 0
            if hit:
                left[key] -= 1
            covered[-1].append(hit)
    from ftdata.checks.suppression.unused_suppression import UnusedSuppression
    from ftdata.registry import Plan
    from ftdata.selection import reseverity

    plan = Plan(settings, baseline.path)
    if UnusedSuppression.code not in plan.codes:
        return covered, []
    check = UnusedSuppression()
    judged = set(judged_entries(baseline, results, settings))
    stale = [check.finding(f"baseline entry for {e.rule} in {e.file} no longer matches ({left[e.key]} of {e.count} "
                           f"unused): the finding was fixed or its record changed; refresh with --write-baseline",
                           text=e.message or None, file=baseline.path, line=e.line)
             for e in baseline.entries if left[e.key] and e.key in judged]
    stale += _gone(baseline, check)
    return covered, reseverity(sorted(stale, key=Finding.sort_key), plan.severity)


def _gone(baseline: Baseline, check: Check) -> list[Finding]:
    """One finding per data file the baseline names that no longer exists (renamed, compressed,
    deleted): its entries can match nothing, and a rename would otherwise silently bring every
    accepted finding back under the new name."""
    by_file: dict[str, list[Entry]] = {}
    for e in baseline.entries:
        if e.file not in ("", "-", "<records>", "<dataframe>") and not os.path.exists(baseline.resolve(e.file)):
            by_file.setdefault(e.file, []).append(e)
    return [check.finding(f"baseline has {len(entries):,} entr{'y' if len(entries) == 1 else 'ies'} for {file}, "
                          "which no longer exists (renamed, compressed or deleted?); refresh with --write-baseline",
                          file=baseline.path, line=entries[0].line) for file, entries in sorted(by_file.items())]


def judged_entries(baseline: Baseline, results: list[FileResult], settings: Settings) -> list[tuple[str, str, str, str]]:
    """The keys of the entries this run could judge: of a file it linted and a rule it ran there.
    Only those can be stale; the others are kept as they are when the baseline is rewritten."""
    from ftdata.registry import Plan

    linted = {baseline.rel(r.file): r.file for r in results}
    codes = {rel: Plan(settings, file).codes for rel, file in linted.items()}
    return [e.key for e in baseline.entries if e.file in linted and e.rule in codes[e.file]]


def keyed(results: list[FileResult], id_field: str | None = None, wanted: Collection[str] = ()
          ) -> tuple[Keyed, frozenset[str]]:
    """Each result's findings with their record's fingerprint and id, in one pass per file; and
    which `wanted` ids some record of the results' files holds."""
    flat = [f for r in results for f in r.findings]
    keys = record_keys(flat, id_field, wanted, [r.file for r in results])
    items = iter(zip(flat, keys.fingerprints, keys.ids))
    return [[next(items) for _ in r.findings] for r in results], keys.seen


def rebuild(results: list[FileResult], rows: Keyed, covers: list[Covered], extra: list[Finding]
            ) -> list[FileResult]:
    """The results without the findings some suppression covers; `extra` (suppression findings,
    located in a baseline or configuration file, not a data file) after the last result's."""
    out = [FileResult(r.file, r.records, r.examples,
                      [f for j, (f, _, _) in enumerate(row) if not any(c[i][j] for c in covers)], r.stats, r.data)
           for i, (r, row) in enumerate(zip(results, rows))]
    if extra and out:
        out[-1] = replace(out[-1], findings=out[-1].findings + extra)
    return out


def _relative(file: str | None, folder: str) -> str:
    if file is None or file in ("-", "<records>", "<dataframe>"):
        return file or ""
    try:
        return os.path.relpath(os.path.abspath(file), folder).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        return os.path.abspath(file).replace(os.sep, "/")
