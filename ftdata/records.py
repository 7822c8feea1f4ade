"""Iterate a file's records in canonical form, for notebooks and for running a check on its own."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

import json

import orjson

from ftdata import formats
from ftdata.formats.base import Format
from ftdata.io import ReadProblem, container_of, iter_json_values, open_binary
from ftdata.model import Record


def raw_values(path: str) -> Iterator[tuple[int, Any]]:
    """(line, value) for every record of a file, numbered as lint numbers them: a line that is
    not JSON yields the value _INVALID (lint reports it) and still takes a record index."""
    stream = open_binary(path)
    try:
        if container_of(stream, path) == "json":
            for item in iter_json_values(stream):
                if not isinstance(item, ReadProblem):
                    yield item
            return
        for line_no, raw in enumerate(stream, 1):
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue  # blank lines are not records
            yield line_no, _parse(raw)
    finally:
        if path != "-":
            stream.close()


_INVALID: Any = object()


def values_by_index(path: str, indices: set[int]) -> Iterator[tuple[int, Any]]:
    """(record index, value) of the wanted records, numbered as lint numbers them; in JSON Lines
    the other lines are counted, not parsed."""
    stream = open_binary(path)
    try:
        if container_of(stream, path) == "json":
            items: Iterable[tuple[int, Any]] = ((i, v) for i, (_, v) in enumerate(raw_values(path)))
            for index, value in items:
                if index in indices:
                    yield index, value
            return
        last, index = max(indices, default=-1), -1
        for line, raw in enumerate(stream, 1):
            if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            index += 1
            if index in indices:
                yield index, _parse(raw)
            if index >= last:
                return
    finally:
        if path != "-":
            stream.close()


def values_at_offsets(path: str, places: list[tuple[int, int]]) -> Iterator[tuple[int, Any]]:
    """(record index, value) of JSON Lines records read at known byte offsets of a plain file."""
    with open(path, "rb") as f:
        for index, offset in sorted(places, key=lambda p: p[1]):
            f.seek(offset)
            raw = f.readline()
            yield index, _parse(raw[3:] if offset == 0 and raw.startswith(b"\xef\xbb\xbf") else raw)


def _parse(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # lenient JSON (NaN, lone surrogates) is linted as a record too
            return json.loads(raw.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError):  # not JSON, nested too deeply, integer too long
            return _INVALID


def make_record(fmt: Format, obj: dict[str, Any], file: str, line: int | None, index: int) -> Record:
    """The canonical record of a raw object in a known format."""
    n = fmt.normalise(obj)
    return Record(file, line, index, fmt.name, n.task, n.messages, obj, n.rejected, n.label, n.tools,
                  tuple([m.role for m in n.messages]))


def normalise(values: Iterable[tuple[int | None, Any]], file: str, input_format: str | None = None) -> Iterator[Record]:
    forced = formats.by_name(input_format) if input_format else None
    for index, (line, obj) in enumerate(values):
        fmt = forced or formats.detect(obj)
        if fmt is not None and isinstance(obj, dict):
            yield make_record(fmt, obj, file, line, index)


def records(path: str, input_format: str | None = None) -> Iterator[Record]:
    """Canonical records of a file, e.g. `EmptyTurn().run(ftdata.records("train.jsonl"))`."""
    return normalise(raw_values(path), path, input_format)
