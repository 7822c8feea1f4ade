"""FMT032: a preference pair whose chosen and rejected answers are the same."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import PREFERENCE, Finding, Record, Severity


class IdenticalPreference(RecordCheck):
    """A preference record's chosen and rejected conversations are identical.

    What it does: compares chosen and rejected turn by turn (role, text ignoring leading and
    trailing whitespace, and tool calls) and reports pairs with no difference.
    Why it matters: DPO learns from the difference between the two; an identical pair gives a
    zero gradient at best and, with some losses, noise. Usually a generation or join bug.
    Example: `{"prompt": "Hi", "chosen": "Hello!", "rejected": "Hello!"}`.
    Options: none.
    """

    code = "FMT032"
    category = "format"
    name = "identical-preference"
    severity = Severity.ERROR
    tasks = frozenset({PREFERENCE})

    def check(self, record: Record) -> Iterator[Finding]:
        rejected = record.rejected
        if rejected is None:
            return
        a = [(m.role, m.content.strip(), m.tool_calls) for m in record.messages]
        b = [(m.role, m.content.strip(), m.tool_calls) for m in rejected]
        if a == b:
            last = record.messages[-1] if record.messages else None
            yield self.finding("chosen and rejected are identical", record,
                               last.pointer if last else "", last.content if last else None)
