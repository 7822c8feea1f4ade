"""FMT025: two turns in a row from the same role."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import Finding, Record, Severity


class ConsecutiveSameRole(RecordCheck):
    """Two consecutive turns come from the same role (tool results and system excepted).

    What it does: reports the second turn of each pair, e.g. two user turns in a row, in the
    chosen and the rejected conversation alike.
    Why it matters: Bedrock and several chat templates require strict user/assistant
    alternation and reject the record; elsewhere it is usually a merge or export bug.
    Example: `[user, user, assistant]`.
    Options: none.
    """

    code = "FMT025"
    category = "format"
    name = "consecutive-same-role"
    severity = Severity.WARNING
    roles_only = True

    def check(self, record: Record) -> Iterator[Finding]:
        seen: set[tuple[str, int]] = set()  # a prompt shared by chosen and rejected is reported once
        for turns in (record.messages, record.rejected or ()):
            prev = None
            for i, m in enumerate(turns):
                if m.role == prev and m.role in ("user", "assistant") and (m.pointer, i) not in seen:
                    seen.add((m.pointer, i))
                    yield self.finding(f"turns {i} and {i + 1} are both from the {m.role}", record,
                                       m.pointer, m.content)
                prev = m.role
