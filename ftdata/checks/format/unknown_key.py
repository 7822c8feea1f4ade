"""FMT011: a key the format does not define."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.checks.format._schema import where
from ftdata.model import Finding, Record, Severity

if TYPE_CHECKING:
    from ftdata.schemas import SchemaError


class UnknownKey(SchemaRule):
    """A record or message carries a key its format does not define.

    What it does: reports each unknown key, with a pointer to it. Known keys are the properties
    of the format's JSON Schema in schemas/.
    Why it matters: OpenAI's validator rejects unrecognised message keys; other trainers ignore
    them silently, so data you meant to train on (a misspelt `content`, a stray `response`
    next to `output`) is dropped without a word.
    Example: `{"role": "assistant", "contnet": "Hi"}` -> unknown key `contnet`.
    Options: none.
    """

    code = "FMT011"
    name = "unknown-key"
    severity = Severity.WARNING
    keywords = frozenset({"additionalProperties"})

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        for key in error.detail.get("unexpected", ()):
            k = str(key).replace("~", "~0").replace("/", "~1")
            yield self.finding(f"unknown key {key!r} in {where(pointer)} (not part of {record.format})",
                               record, f"{pointer}/{k}")
