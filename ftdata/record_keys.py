"""What suppressions key a finding by, read back from the data files in one streaming pass per
file: a content fingerprint (16 hex digits) and the id of the finding's record.

A record's fingerprint is of its content, not of its line, so that it survives lines moving,
keys being reordered and a file being re-indented: the canonical JSON of the record, or the
stripped bytes of a line that is not JSON. The fingerprint a finding is keyed by:

- a finding about one record: its record's;
- a finding about several records (it has related locations: duplicates, conflicts, an
  evaluation record leaking a training one): its group's. A rule reports such a finding on
  whichever member comes later, so the member depends on the order of the file; the group does
  not. The group is every record the rule's findings name, own or related, joined across
  findings (a record named by two findings of the rule joins their groups), and its
  fingerprint the smallest of its records'. It is the same whichever member carries a finding,
  and stays when the group gains or loses a record, unless one with a smaller fingerprint joins
  or the one with the smallest leaves (an exact duplicate's group holds one fingerprint: its
  record's). Its pointer is no part of the key, since it points into whichever member carries
  it (see key_pointer);
- a finding about a file (dataset-level, or a byte-order mark, which is on line 1 but about no
  record): the rule and the file name;
- a finding whose file cannot be read again (stdin, spooled and removed; in-memory records):
  its file, line and record index.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from typing import IO, Any, Collection, Iterator, NamedTuple, Sequence, cast

import orjson

from ftdata.checks.format.byte_order_mark import ByteOrderMark
from ftdata.io import ReadProblem, container_of, iter_json_values, open_binary
from ftdata.io.readers import STREAM_ERRORS
from ftdata.model import Finding
from ftdata.records import _INVALID, _parse, jsonl_lines

# read rules located on a line that are about the whole file (not the line's bytes, unlike
# invalid-json or blank-line)
ABOUT_THE_FILE = frozenset({ByteOrderMark.code})
Place = tuple[str | None, int | None, int | None]  # a record's file, line and index (a Location)


class RecordKeys(NamedTuple):
    fingerprints: list[str]  # per finding, in order
    ids: list[str | None]  # per finding: its record's id by `id_field` (None: no record or no id)
    seen: frozenset[str]  # the wanted ids that some record of the files read holds


def record_keys(findings: Sequence[Finding], id_field: str | None = None, wanted: Collection[str] = (),
                files: Collection[str] = ()) -> RecordKeys:
    """Fingerprints and record ids of the findings, reading each file once and parsing only the
    records findings name (and, to know which `wanted` ids exist, JSON Lines records whose bytes
    mention one). `files` are more files to search for `wanted` ids (those without findings)."""
    places: dict[Place, int] = {}  # every record to read, numbered
    own = [places.setdefault((f.file, f.line, f.record_index), len(places)) if on_record(f) else None
           for f in findings]
    named = [[places.setdefault(r, len(places)) for r in f.related if r.line is not None or r.record_index is not None]
             if n is not None else [] for f, n in zip(findings, own)]
    fps, ids, seen = _read(list(places), id_field, frozenset(wanted), files)
    keys = [fps[n] if n is not None
            else _digest(b"d", f"{f.rule}\0{os.path.basename(f.file or '')}".encode("utf-8", "surrogatepass"))
            for f, n in zip(findings, own)]
    by_rule: dict[str, list[int]] = {}
    for p, others in enumerate(named):
        if others:
            by_rule.setdefault(findings[p].rule, []).append(p)
    for positions in by_rule.values():
        smallest = _smallest_of_groups([[cast(int, own[p]), *named[p]] for p in positions], fps)
        for p, key in zip(positions, smallest):
            keys[p] = key
    return RecordKeys(keys, [ids[n] if n is not None else None for n in own], seen)


def on_record(f: Finding) -> bool:
    """Is the finding about a record (or a line), not about its file?"""
    return (f.line is not None or f.record_index is not None) and f.rule not in ABOUT_THE_FILE


def key_pointer(f: Finding) -> str:
    """The JSON pointer a finding is keyed by: none for one about several records, whose pointer
    points into whichever member carries it."""
    grouped = on_record(f) and any(r.line is not None or r.record_index is not None for r in f.related)
    return "" if grouped else f.pointer


def id_of(value: Any, id_field: str) -> str | None:
    """The record's id at a dotted path (`meta.uid`): a string, or an integer as written."""
    for part in id_field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _smallest_of_groups(rows: list[list[int]], fps: list[str]) -> list[str]:
    """For each row of places (a finding's own record first), the smallest fingerprint of its
    group: rows naming a common place are one group (union-find, halving paths)."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while (up := parent.get(x, x)) != x:
            parent[x] = x = parent.get(up, up)
        return x

    for row in rows:
        a = root(row[0])
        for m in row[1:]:
            b = root(m)
            if a != b:
                a, b = min(a, b), max(a, b)
                parent[b] = a
    smallest: dict[int, str] = {}
    for row in rows:
        for m in row:
            r = root(m)
            smallest[r] = min(smallest.get(r, fps[m]), fps[m])
    return [smallest[root(row[0])] for row in rows]


def _read(places: list[Place], id_field: str | None, wanted: frozenset[str], files: Collection[str]
          ) -> tuple[list[str], list[str | None], frozenset[str]]:
    """(fingerprint, id) of each place, from one pass over each file; and the `wanted` ids seen."""
    # a file name that is not UTF-8 holds its bytes as surrogates: surrogatepass, never a crash
    fps = [_digest(b"p", f"{file}\0{line}\0{index}".encode("utf-8", "surrogatepass"))
           for file, line, index in places]
    ids: list[str | None] = [None] * len(places)
    seen: set[str] = set()
    by_file: dict[str, list[tuple[int, int | None, int | None]]] = {}
    for n, (file, line, index) in enumerate(places):
        if file is not None:
            by_file.setdefault(file, []).append((n, line, index))
    scan = bool(id_field and wanted)
    finder = _finder(wanted) if scan else None
    for file in [*by_file, *(f for f in dict.fromkeys(files) if f not in by_file and scan)]:
        if file == "-" or not os.path.isfile(file):  # stdin, spooled and removed; in-memory records
            continue
        for numbers, value, raw in _located(file, by_file.get(file, []), finder):
            rid = id_of(value, id_field) if id_field else None
            if rid is not None and rid in wanted:
                seen.add(rid)
            if numbers:
                fp = _digest(b"r", raw.strip()) if value is _INVALID else _digest(b"j", _canonical(value))
                for n in numbers:
                    fps[n], ids[n] = fp, rid
    return fps, ids, frozenset(seen)


def _located(path: str, located: list[tuple[int, int | None, int | None]],
             finder: re.Pattern[bytes] | None) -> Iterator[tuple[list[int], Any, bytes]]:
    """(numbers of the places on it, parsed value or _INVALID, raw bytes) of each wanted record
    of a file, in one pass that stops after the last one unless `finder` asks for every record
    whose bytes it matches (those come with no numbers). A gzip stream that breaks off ends them
    where lint's reading ended (and reported it: FMT009); the places after keep a fingerprint of
    where they are."""
    try:
        yield from _located_in(path, located, finder)
    except STREAM_ERRORS:
        return


def _located_in(path: str, located: list[tuple[int, int | None, int | None]],
                finder: re.Pattern[bytes] | None) -> Iterator[tuple[list[int], Any, bytes]]:
    with open_binary(path) as stream:
        if container_of(stream, path) == "jsonl":
            by_line: dict[int, list[int]] = {}
            for n, line, _ in located:
                if line is not None:  # a JSON Lines record always has one
                    by_line.setdefault(line, []).append(n)
            last = max(by_line, default=0)
            for line, _, raw in jsonl_lines(stream):
                numbers = by_line.get(line)
                if numbers is None:
                    if finder is None:
                        if line > last:
                            return
                        continue
                    if not finder.search(raw):
                        continue
                yield numbers or [], _parse(raw) if raw.strip() else _INVALID, raw
            return
        # a JSON array: records by index; a finding with only a line (the array's syntax error)
        # sits on a raw line, kept by a tap on the reads
        by_index: dict[int, list[int]] = {}
        by_raw: dict[int, list[int]] = {}
        for n, line, index in located:
            (by_index.setdefault(index, []) if index is not None else by_raw.setdefault(cast(int, line), [])).append(n)
        tap = _LineTap(stream, set(by_raw))
        last = max(by_index, default=-1)
        values = (item for item in iter_json_values(cast(IO[bytes], tap)) if not isinstance(item, ReadProblem))
        for index, (_, value) in enumerate(values):
            numbers = by_index.get(index)
            if numbers is not None or finder is not None:
                yield numbers or [], value, b""
            elif index >= last and not by_raw:
                break
        for line, numbers in by_raw.items():
            yield numbers, _INVALID, tap.lines.get(line, b"")


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


def _digest(tag: bytes, data: bytes) -> str:
    return hashlib.blake2b(tag + b"\0" + data, digest_size=8).hexdigest()
