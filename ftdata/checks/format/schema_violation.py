"""FMT015: any other departure from the format's JSON Schema."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.checks.format._schema import where
from ftdata.model import Finding, Record, Severity

if TYPE_CHECKING:
    from ftdata.schemas import SchemaError


class SchemaViolation(SchemaRule):
    """The record breaks its format's JSON Schema in a way no more specific rule covers.

    What it does: reports the schema's own message (an enum value not allowed, a constraint
    broken), with a pointer. It runs last, so nothing the schema finds is lost.
    Why it matters: the schema in schemas/ encodes what the format's consumers accept.
    Example: a content part with `"type": "video"` where only text and image parts are allowed.
    Options: none.
    """

    code = "FMT015"
    name = "schema-violation"
    severity = Severity.ERROR
    keywords = frozenset()

    def claims(self, error: SchemaError) -> bool:
        return True

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        yield self.finding(f"{where(pointer)}: {error.message}", record, pointer)
