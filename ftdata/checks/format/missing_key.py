"""FMT010: a key the format requires is missing."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.checks.format._schema import where
from ftdata.model import Finding, Record, Severity

if TYPE_CHECKING:
    from ftdata.schemas import SchemaError

class MissingKey(SchemaRule):
    """A key the detected format requires is missing (per the format's JSON Schema in schemas/).

    What it does: reports every missing required key with a JSON Pointer to where it belongs,
    e.g. a message without `role` or `content`, an Alpaca record without `output`.
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
        yield self.finding(f"{where(pointer)} has no {key!r} key, which {record.format} requires",
                           record, f"{pointer}/{key}")
