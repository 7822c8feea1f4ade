"""FMT012: a value of the wrong JSON type."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.checks.format._schema import json_type, where
from ftdata.checks.format._util import MISSING, resolve
from ftdata.model import Finding, Record, Severity, excerpt

if TYPE_CHECKING:
    from ftdata.schemas import SchemaError


class WrongType(SchemaRule):
    """A value has the wrong JSON type for its place in the format.

    What it does: reports the value's type and the type(s) expected, e.g. content that is a
    number or an object instead of a string, `messages` that is a string instead of a list.
    Why it matters: trainers either crash on the record or stringify it, training on text like
    "{'text': ...}" or "None".
    Example: `{"role": "assistant", "content": 42}` -> `/messages/1/content` is integer.
    Options: none.
    """

    code = "FMT012"
    name = "wrong-type"
    severity = Severity.ERROR
    keywords = frozenset({"type"})

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        expected = " or ".join(str(t) for t in error.detail.get("types", ())) or "another type"
        value = resolve(record.raw, pointer)  # the validator hands NaN back as None; the record has it
        value = error.instance if value is MISSING else value
        yield self.finding(f"{where(pointer)} is {json_type(value)}, expected {expected}",
                           record, pointer, excerpt(repr(value), 60))
