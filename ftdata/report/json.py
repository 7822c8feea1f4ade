"""`--format json`: one JSON object, the public schema in schemas/report.schema.json."""
from __future__ import annotations

from typing import IO, TYPE_CHECKING, Iterator

import orjson

from ftdata.model import Location
from ftdata.report._common import dumps
from ftdata.report.base import Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions

BATCH = 10_000  # findings serialised at once: a large report is never held whole in memory
_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY


def _location(value: object) -> dict[str, object]:
    """Findings serialise natively (dataclasses, in field order = Finding.to_dict's order); their
    related locations are named tuples, which orjson hands here."""
    if isinstance(value, Location):
        return {"file": value.file, "line": value.line, "record_index": value.record_index}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def render(report: Report, color: bool = False) -> str:
    return b"".join(chunks(report)).decode()


def write(report: Report, out: IO[bytes], options: RenderOptions | None = None) -> None:
    """Streamed: a large report is never held whole."""
    for chunk in chunks(report):
        out.write(chunk)


def chunks(report: Report) -> Iterator[bytes]:
    """The report in pieces: all but the findings, then the findings BATCH at a time, each
    piece indented as if the whole object had been serialised at once."""
    head = dumps(report.to_dict(findings=False), _OPTIONS)  # a lone surrogate escaped: see dumps
    if not report.findings:
        yield head + b"\n"
        return
    assert head.endswith(b"[]\n}")  # "findings" is the last key
    yield head[:-3] + b"\n"
    for start in range(0, len(report.findings), BATCH):
        batch = dumps(report.findings[start:start + BATCH], _OPTIONS, _location)
        body = b"    " + batch[4:-2].replace(b"\n", b"\n  ")  # strip "[\n  " and "\n]"; indent by one level
        yield body + (b",\n" if start + BATCH < len(report.findings) else b"\n")
    yield b"  ]\n}\n"
