"""FMT010: a key the format requires is missing."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.checks.format._schema import where
from ftdata.model import Finding, Record, Severity
from ftdata.schemas import SchemaError, json_pointer


class MissingKey(SchemaRule):
    """A key the detected format requires is missing (per the format's JSON Schema in schemas/).

    What it does: reports every missing required key with a JSON Pointer to where it belongs,
    e.g. a message without `role` or `content`, an Alpaca record without `output`. When a
    record lacks the key but holds it one or two levels down (self-instruct's
    `instances[{input, output}]`), the message says where.
    Why it matters: the record cannot be trained on as written; providers reject the upload.
    Example: `{"instruction": "Say hi"}` (Alpaca) -> `/output` is missing; `{"prompt": "Q",
    "label": true}` (KTO) -> `/completion` is missing.
    Options: none.
    """

    code = "FMT010"
    name = "missing-key"
    severity = Severity.ERROR
    keywords = frozenset({"required", "dependentRequired"})

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        key = str(error.detail.get("property", "?"))
        nested = _nested(record.raw, key) if not pointer else None
        found = f"; it is nested, at {nested}: flatten the records (one per item) to train on it" if nested else ""
        yield self.finding(f"{where(pointer)} has no {key!r} key, which {record.format} requires{found}",
                           record, f"{pointer}/{key}")


def _nested(raw: Any, key: str) -> str | None:
    """The pointer of the first `key` inside a value of the record (an object, or an object in
    a list), or None."""
    if type(raw) is not dict:
        return None
    for name, value in raw.items():
        inner = value[0] if type(value) is list and value else value
        if type(inner) is dict and key in inner:
            return json_pointer((name, 0, key) if inner is not value else (name, key))
    return None
