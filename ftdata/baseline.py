"""Suppressions kept outside the data (JSONL has no comments): a baseline file of accepted
findings, each entry keyed by rule, data file, record fingerprint and JSON pointer, with a count.

The fingerprint is of the record's content, not of its line, so that an entry survives lines
moving, keys being reordered and a file being re-indented. Fingerprints are read back from the
data files in one streaming pass per file, which also reads record ids for ftdata.suppress_ids.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from typing import IO, Any, Collection, Iterator, NamedTuple, Sequence, cast

import orjson

from ftdata.config import Settings
from ftdata.curate.atomic import atomic_writer
from ftdata.io import ReadProblem, container_of, iter_json_values, open_binary
from ftdata.model import Finding
from ftdata.records import _INVALID, _parse, jsonl_lines
from ftdata.report.base import FileResult, Report


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A content fingerprint of each finding's record (16 hex digits), in order: the canonical
    JSON of the record; the stripped bytes of a line that is not JSON; the rule and file name
    for a dataset-level finding; the file and line when the file is gone (stdin)."""
    return record_keys(findings).fingerprints


class RecordKeys(NamedTuple):
    fingerprints: list[str]  # per finding, in order
    ids: list[str | None]  # per finding: its record's id by `id_field` (None: no record or no id)
    seen: frozenset[str]  # the wanted ids that some record of the files read holds


def record_keys(findings: Sequence[Finding], id_field: str | None = None, wanted: Collection[str] = (),
                files: Collection[str] = ()) -> RecordKeys:
    """Fingerprints and record ids of the findings, reading each file once and parsing only the
    records with findings (and, to know which `wanted` ids exist, JSON Lines records whose bytes
    mention one). `files` are more files to search for `wanted` ids (those without findings)."""
    fps = [_fallback(f) for f in findings]
    ids: list[str | None] = [None] * len(findings)
    seen: set[str] = set()
    by_file: dict[str, list[int]] = {}
    for pos, f in enumerate(findings):
        if f.file is not None and (f.line is not None or f.record_index is not None):
            by_file.setdefault(f.file, []).append(pos)
    wanted = frozenset(wanted)
    scan = bool(id_field and wanted)
    finder = _finder(wanted) if scan else None
    for file in [*by_file, *(f for f in dict.fromkeys(files) if f not in by_file and scan)]:
        if file == "-" or not os.path.isfile(file):  # stdin, spooled and removed; in-memory records
            continue
        located = [(p, findings[p].line, findings[p].record_index) for p in by_file.get(file, ())]
        for positions, value, raw in _located(file, located, finder):
            rid = id_of(value, id_field) if id_field else None
            if rid is not None and rid in wanted:
                seen.add(rid)
            if positions:
                fp = _digest(b"r", raw.strip()) if value is _INVALID else _digest(b"j", _canonical(value))
                for p in positions:
                    fps[p], ids[p] = fp, rid
    return RecordKeys(fps, ids, frozenset(seen))


def id_of(value: Any, id_field: str) -> str | None:
    """The record's id at a dotted path (`meta.uid`): a string, or an integer as written."""
    for part in id_field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _located(path: str, located: list[tuple[int, int | None, int | None]],
             finder: re.Pattern[bytes] | None) -> Iterator[tuple[list[int], Any, bytes]]:
    """(positions of the findings on it, parsed value or _INVALID, raw bytes) of each wanted record
    of a file, in one pass that stops after the last one unless `finder` asks for every record
    whose bytes it matches (those come with no positions)."""
    with open_binary(path) as stream:
        if container_of(stream, path) == "jsonl":
            by_line: dict[int, list[int]] = {}
            for pos, line, _ in located:
                if line is not None:  # a JSON Lines record always has one
                    by_line.setdefault(line, []).append(pos)
            last = max(by_line, default=0)
            for line, _, raw in jsonl_lines(stream):
                positions = by_line.get(line)
                if positions is None:
                    if finder is None:
                        if line > last:
                            return
                        continue
                    if not finder.search(raw):
                        continue
                yield positions or [], _parse(raw) if raw.strip() else _INVALID, raw
            return
        # a JSON array: records by index; a finding with only a line (the array's syntax error,
        # a byte-order mark) sits on a raw line, kept by a tap on the reads
        by_index: dict[int, list[int]] = {}
        by_raw: dict[int, list[int]] = {}
        for pos, line, index in located:
            (by_index.setdefault(index, []) if index is not None else by_raw.setdefault(cast(int, line), [])).append(pos)
        tap = _LineTap(stream, set(by_raw))
        last = max(by_index, default=-1)
        values = (item for item in iter_json_values(cast(IO[bytes], tap)) if not isinstance(item, ReadProblem))
        for index, (_, value) in enumerate(values):
            positions = by_index.get(index)
            if positions is not None or finder is not None:
                yield positions or [], value, b""
            elif index >= last and not by_raw:
                break
        for line, positions in by_raw.items():
            yield positions, _INVALID, tap.lines.get(line, b"")


class _LineTap:
    """A stream passing reads through while keeping the bytes of wanted lines."""

    def __init__(self, stream: IO[bytes], wanted: set[int]) -> None:
        self.stream, self.wanted = stream, wanted
        self.line = 1  # the line the next byte read belongs to
        self.lines: dict[int, bytes] = {}

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        breaks = data.count(b"\n")
        if any(self.line <= n <= self.line + breaks for n in self.wanted):  # split only when needed
            for k, piece in enumerate(data.split(b"\n")):
                if self.line + k in self.wanted:
                    self.lines[self.line + k] = self.lines.get(self.line + k, b"") + piece
        self.line += breaks
        return data


def _finder(ids: Collection[str]) -> re.Pattern[bytes]:
    """A pattern matching the bytes of a JSON line that may hold one of the ids: as a string,
    raw or ASCII-escaped, or as a bare integer. It may over-match; values are parsed to verify."""
    tokens = {orjson.dumps(i) for i in ids} | {json.dumps(i).encode() for i in ids} \
        | {i.encode() for i in ids if i.isdigit()}
    return re.compile(b"|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))


def _canonical(value: Any) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer past 64 bits, a lone surrogate (lenient JSON)
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) \
            .encode("utf-8", "surrogatepass")


def _fallback(f: Finding) -> str:
    if f.line is None and f.record_index is None:  # dataset-level: the rule on this file
        return _digest(b"d", f"{f.rule}\0{os.path.basename(f.file or '')}".encode())
    return _digest(b"p", f"{f.file}\0{f.line}\0{f.record_index}".encode())


def _digest(tag: bytes, data: bytes) -> str:
    return hashlib.blake2b(tag + b"\0" + data, digest_size=8).hexdigest()


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

    def rel(self, file: str | None) -> str:
        """A data file's name as this baseline records it."""
        return _relative(file, os.path.dirname(os.path.abspath(self.path)))


def write_baseline(report: Report | list[FileResult], path: str) -> int:
    """Write every finding of a report or of lint results (suppression findings aside) as accepted,
    atomically, one entry per line in a stable order; returns the number of entries. ValueError
    when the file cannot be written."""
    if not isinstance(report, Report):
        report = Report(report)
    folder = os.path.dirname(os.path.abspath(path))
    entries: dict[tuple[str, str, str, str], Entry] = {}
    for f, fp in zip(report.findings, report.fingerprints()):
        if f.category == "suppression":
            continue
        key = (f.rule, _relative(f.file, folder), fp, f.pointer)
        old = entries.get(key)
        entries[key] = replace(old, count=old.count + 1) if old else Entry(*key, 1, f.name, f.message)
    lines = [orjson.dumps({"rule": e.rule, "name": e.name, "file": e.file, "fingerprint": e.fingerprint,
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
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as e:
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
    return Entry(raw["rule"], raw["file"], raw["fingerprint"], raw["pointer"], count,
                 raw.get("name", ""), raw.get("message", ""), line)


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
            key = (f.rule, rel, fp, f.pointer)
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
    linted = {baseline.rel(r.file): r.file for r in results}
    codes = {rel: Plan(settings, file).codes for rel, file in linted.items()}
    check = UnusedSuppression()
    stale = [check.finding(f"baseline entry for {e.rule} in {e.file} no longer matches ({left[e.key]} of {e.count} "
                           f"unused): the finding was fixed or its record changed; refresh with --write-baseline",
                           text=e.message or None, file=baseline.path, line=e.line)
             for e in baseline.entries if left[e.key] and e.file in linted and e.rule in codes[e.file]]
    return covered, reseverity(sorted(stale, key=Finding.sort_key), plan.severity)


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
