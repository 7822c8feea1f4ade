"""FMT011: a key the format does not define."""
from __future__ import annotations

from typing import Iterator

from pydantic import Field

from ftdata.checks.base import CheckOptions, SchemaRule
from ftdata.checks.format._schema import where
from ftdata.formats.aliases import hint
from ftdata.model import Finding, Record, Severity
from ftdata.schemas import SchemaError, json_pointer


class UnknownKeyOptions(CheckOptions):
    id_field: str | None = Field(None, description="the record field (a dotted path) holding each record's id, "
                                                   "the configuration's id-field: declared, so never unknown")


class UnknownKey(SchemaRule):
    """A record or message carries a key its format does not define.

    What it does: reports each unknown key, with a pointer to it. Known keys are the properties
    of the format's JSON Schema in schemas/; the record id field declared in the configuration
    (`id-field`) is never unknown. When the key is another convention's name for one the format
    reads (`response` for Alpaca's `output`, `answer` for `completion`), the message names the key
    to rename it to.
    Why it matters: OpenAI's validator rejects unrecognised message keys; other trainers ignore
    them silently, so data you meant to train on (a misspelt `content`, a stray `response`
    next to `output`) is dropped without a word.
    Example: `{"role": "assistant", "contnet": "Hi"}` -> unknown key `contnet`.
    Options: `id_field` (set from the configuration's `id-field`).
    """

    code = "FMT011"
    name = "unknown-key"
    severity = Severity.WARNING
    keywords = frozenset({"additionalProperties"})

    Options = UnknownKeyOptions
    options: UnknownKeyOptions

    def __init__(self, options: UnknownKeyOptions | None = None) -> None:
        super().__init__(options)
        field = self.options.id_field
        self._id = json_pointer(field.split(".")) if field else ""

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        for key in error.detail.get("unexpected", ()):
            at = pointer + json_pointer((key,))
            if self._id and (self._id == at or self._id.startswith(at + "/")):
                continue  # the declared id field, or the object holding it
            yield self.finding(f"unknown key {key!r} in {where(pointer)} (not part of {record.format})"
                               f"{hint(record.format, str(key), record.raw) if not pointer else ''}",
                               record, at)
