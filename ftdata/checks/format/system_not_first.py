"""FMT023: a system message that is not the first turn."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import Finding, Record, Severity


class SystemNotFirst(RecordCheck):
    """The first system message comes after other turns.

    What it does: reports the system message's position. (A second system message is
    multiple-system's.)
    Why it matters: chat templates place the system prompt first; most render a late one as a
    user-visible turn or reject it (Mistral allows one system message, first).
    Example: `[user, system, assistant]`.
    Options: none.
    """

    code = "FMT023"
    category = "format"
    name = "system-not-first"
    severity = Severity.ERROR
    roles_only = True

    def check(self, record: Record) -> Iterator[Finding]:
        for i, m in enumerate(record.messages):
            if m.role == "system":
                if i:
                    yield self.finding(f"system message is turn {i + 1}, not the first", record,
                                       m.pointer, m.content)
                return
