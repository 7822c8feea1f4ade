"""FMT014: an empty conversation (or other list that must not be empty)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.checks.format._schema import where
from ftdata.model import Finding, Record, Severity

if TYPE_CHECKING:
    from ftdata.schemas import SchemaError


class EmptyConversation(SchemaRule):
    """A list the format requires to be non-empty is empty: `messages: []`, `conversations: []`.

    What it does: reports the empty list with its pointer.
    Why it matters: the record holds nothing to train on; providers reject it.
    Example: `{"messages": []}`.
    Options: none.
    """

    code = "FMT014"
    name = "empty-conversation"
    severity = Severity.ERROR
    keywords = frozenset({"minItems"})

    def claims(self, error: SchemaError) -> bool:
        return error.keyword == "minItems" and error.instance == []  # "too few items" is schema-violation's

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        yield self.finding(f"{where(pointer)} is empty", record, pointer)
