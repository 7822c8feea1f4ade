"""Iterate a file's records in canonical form, for notebooks and for running a check on its own."""
from __future__ import annotations

import json
from typing import IO, Any, Iterable, Iterator

import orjson

from ftdata import formats
from ftdata.formats.base import Format
from ftdata.io import BOM, ReadProblem, container_of, iter_json_located, open_binary
from ftdata.io.readers import STREAM_ERRORS, Oversized, bounded_lines, mib
from ftdata.model import Record


def jsonl_lines(stream: IO[bytes]) -> Iterator[tuple[int, int | None, bytes]]:
    """Every line of a JSON Lines stream, numbered as lint numbers records: (line, record index,
    bytes without a leading byte-order mark); a blank line is no record and has index None."""
    index = -1
    for line, raw in enumerate(bounded_lines(stream, ENDLESS_LINE, skip=False), 1):
        if isinstance(raw, Oversized):  # never held: see ENDLESS_LINE
            raise RecordTooLong(f"line {line} holds {mib(raw.size)}{'' if raw.ended else ' or more'}, "
                                f"too long for a record")
        if line == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        if raw.strip():
            index += 1
            yield line, index, raw
        else:
            yield line, None, raw


ENDLESS_LINE = 1 << 30  # bytes: a longer line is no record anyone can mean (/dev/zero through a pipe)


class RecordTooLong(OSError):
    """A line that runs on past ENDLESS_LINE: the file cannot be read as records."""


def records_of(stream: IO[bytes], path: str) -> Iterator[tuple[int, int, Any]]:
    """(line, record index, item) of every record, numbered as lint numbers them: the item is the
    raw line of JSON Lines (bytes, not parsed) or the parsed value of a JSON array element."""
    for line, _, index, item in located_records(stream, path):
        yield line, index, item


def located_records(stream: IO[bytes], path: str) -> Iterator[tuple[int, int, int, Any]]:
    """(line, column, record index, item) of every record: records_of with the 1-based column
    (in characters) of the record's first character, 1 for every line of JSON Lines."""
    if container_of(stream, path) == "json":
        index = -1
        for item in iter_json_located(stream):  # no cap: no Oversized
            if not isinstance(item, (ReadProblem, Oversized)):
                index += 1
                yield item[0], item[2], index, item[1]
        return
    for line, record, raw in jsonl_lines(stream):
        if record is not None:
            yield line, 1, record, raw


def raw_values(path: str) -> Iterator[tuple[int, Any]]:
    """(line, value) for every record of a file, numbered as lint numbers them: a line that is
    not JSON yields the value _INVALID (lint reports it) and still takes a record index."""
    stream = open_binary(path)
    try:
        for line, _, item in records_of(stream, path):
            yield line, _parse(item) if isinstance(item, bytes) else item
    finally:
        if path != "-":
            stream.close()


_INVALID: Any = object()


class Rereader:
    """(record index, value) of wanted records, numbered as lint numbers them, for a file without
    byte offsets (gzip, JSON arrays) read again and again in order: a request for records after
    the last one read continues the same pass, so batches taken in file order cost one pass over
    the file, not one each. In JSON Lines only the wanted lines are parsed."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._items: Iterator[tuple[int, Any]] | None = None
        self._next = 0  # the index of the next record the open pass yields

    def values(self, indices: set[int]) -> Iterator[tuple[int, Any]]:
        if not indices:
            return
        if self._items is None or min(indices) < self._next:
            self._items, self._next = _all_records(self.path), 0
        last = max(indices)
        for index, item in self._items:
            self._next = index + 1
            if index in indices:
                yield index, item if not isinstance(item, bytes) else _parse(item)
            if index >= last:
                return


def _all_records(path: str) -> Iterator[tuple[int, Any]]:
    """(record index, item) of every record: see records_of. A gzip stream that breaks off ends
    them where lint's reading ended (and reported it)."""
    with open_binary(path) as stream:
        try:
            for _, index, item in records_of(stream, path):
                yield index, item
        except STREAM_ERRORS:
            return


def values_at_offsets(path: str, places: list[tuple[int, int]]) -> Iterator[tuple[int, Any]]:
    """(record index, value) of JSON Lines records read at known byte offsets of a plain file."""
    with open(path, "rb") as f:
        for index, offset in sorted(places, key=lambda p: p[1]):
            f.seek(offset)
            raw = f.readline()
            yield index, _parse(raw[len(BOM):] if offset == 0 and raw.startswith(BOM) else raw)


def _parse(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # lenient JSON (NaN, lone surrogates) is linted as a record too
            return json.loads(raw.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError):  # not JSON, nested too deeply, integer too long
            return _INVALID


def make_record(fmt: Format, obj: dict[str, Any], file: str, line: int | None, index: int,
                column: int | None = None) -> Record:
    """The canonical record of a raw object in a known format."""
    n = fmt.normalise(obj)
    return Record(file, line, index, fmt.name, n.task, n.messages, obj, n.rejected, n.label, n.tools,
                  tuple([m.role for m in n.messages]), column)


def normalise(values: Iterable[tuple[int | None, Any]], file: str, input_format: str | None = None) -> Iterator[Record]:
    forced = formats.by_name(input_format) if input_format else None
    for index, (line, obj) in enumerate(values):
        fmt = forced or formats.detect(obj)
        if fmt is not None and isinstance(obj, dict):
            yield make_record(fmt, obj, file, line, index)


def records(path: str, input_format: str | None = None) -> Iterator[Record]:
    """Canonical records of a file, e.g. `EmptyTurn().run(ftdata.records("train.jsonl"))`."""
    return normalise(raw_values(path), path, input_format)
