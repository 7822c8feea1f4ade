"""`ftdata show`: one record of a file, found where a report locates it, printed with personal data
and secrets masked as every finding shows them (ftdata.redact).

A location is a line (`12`), a line and column (`1:4841`: a record of a one-line JSON array, where
every record is on line 1) or a 0-based record index (`#12`), numbered as `ftdata lint` numbers
them. The file is read once, up to the record: nothing is kept but the record asked for.
"""
from __future__ import annotations

import re
from collections import deque
from typing import Any, NamedTuple

from ftdata.io import open_binary
from ftdata.redact import counted
from ftdata.records import _INVALID, _parse, located_records

_LOCATION = re.compile(r"(?:(?P<line>\d+)(?::(?P<column>\d+))?|#(?P<index>\d+))")


class Place(NamedTuple):
    """A location asked for: a line (and column), or a record index."""

    line: int | None = None
    column: int | None = None
    record: int | None = None  # 0-based record index

    def __str__(self) -> str:
        if self.record is not None:
            return f"#{self.record}"
        return f"{self.line}:{self.column}" if self.column is not None else f"line {self.line}"


class Shown(NamedTuple):
    """The record found: where it starts, its index, and its value (the raw line's text when the
    line is not JSON: `valid` is then False)."""

    line: int
    column: int
    record: int  # 0-based record index
    value: Any
    valid: bool = True


def parse_location(text: str) -> Place:
    """`12`, `1:4841` or `#12` as a Place; ValueError, in one sentence, for anything else."""
    m = _LOCATION.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"location {text!r} is not LINE, LINE:COLUMN or #INDEX (e.g. 12, 1:4841 or '#12')")
    if m.group("index") is not None:
        return Place(record=int(m.group("index")))
    line, column = int(m.group("line")), m.group("column")
    if line < 1 or column is not None and int(column) < 1:
        raise ValueError(f"location {text!r}: lines and columns count from 1")
    return Place(line, int(column) if column is not None else None)


def split_path(argument: str) -> tuple[str, Place] | None:
    """`data.json:1:4841` (as text and concise reports print it) as a path and a place, or None
    when the argument does not end in `:LINE` or `:LINE:COLUMN`."""
    m = re.fullmatch(r"(?P<path>.+?):(?P<line>\d+)(?::(?P<column>\d+))?", argument)
    if m is None:
        return None
    return m.group("path"), parse_location(m.group("line") + (f":{m.group('column')}" if m.group("column") else ""))


def find(path: str, place: Place) -> Shown:
    """The record of `path` at `place`; LookupError, in one sentence, when no record is there or
    a line alone does not say which (several records of a JSON array start on it)."""
    before: deque[tuple[int, int, int]] = deque(maxlen=1)  # (line, column, index) of the last record before
    after: list[tuple[int, int, int]] = []  # ... and of the first one after
    here: list[tuple[int, int, int, Any]] = []  # the records at the place (several: a line of a JSON array)
    count = 0
    target = (place.line or 0, place.column or 0)
    with open_binary(path) as stream:
        for line, column, index, item in located_records(stream, path):
            count = index + 1
            if place.record is not None:
                if index == place.record:
                    here.append((line, column, index, item))
                    break
                continue
            at = (line, column if place.column is not None else 0)
            if at < target:
                before.append((line, column, index))
            elif at == target:
                here.append((line, column, index, item))
                if place.column is not None or len(here) > 1:
                    break
            else:
                after.append((line, column, index))
                break
    if len(here) == 1:
        line, column, index, item = here[0]
        value = _parse(item) if isinstance(item, bytes) else item
        if value is _INVALID:
            return Shown(line, column, index, item.decode("utf-8", errors="replace").rstrip("\r\n"), False)
        return Shown(line, column, index, value)
    if here:
        first, second = here[0], here[1]
        raise LookupError(f"several records start on line {place.line} of {path} (the first two at columns "
                          f"{first[1]} and {second[1]}): give LINE:COLUMN, e.g. {place.line}:{second[1]}, or '#INDEX'")
    if count == 0:
        raise LookupError(f"{path} holds no record")
    if place.record is not None:
        raise LookupError(f"{path} has {count:,} records, #0 to #{count - 1}; there is no record #{place.record}")
    near = [*before, *after]
    raise LookupError(f"no record starts at {place} of {path}; the nearest records start at "
                      + " and ".join(f"{line}:{column} (#{index})" for line, column, index in near))


def masked(value: Any) -> tuple[Any, int]:
    """`value` with personal data and secrets masked in every string, and how many were masked."""
    count = 0

    def walk(v: Any) -> Any:
        nonlocal count
        if isinstance(v, str):
            text, n = mask_text(v)
            count += n
            return text
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(value), count


def mask_text(text: str) -> tuple[str, int]:
    """`text` with personal data and secrets masked as every finding shows them (`j***@g***.com`,
    `ghp_*** (40 characters)`: ftdata.redact, the step findings pass through), and how many."""
    return counted(text)
