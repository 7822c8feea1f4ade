"""FMT022: a conversation that does not end with the assistant."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import PREFERENCE, SFT, UNPAIRED, Finding, Record, Severity


class LastTurnNotAssistant(RecordCheck):
    """A conversation with assistant turns ends with a turn from someone else.

    What it does: reports the last turn's role and pointer.
    Why it matters: turns after the last assistant turn are never learned from, and Mistral and
    Bedrock reject the record; it usually means a generation was lost when the data was joined.
    Example: `[user, assistant, user]`.
    Options: none.
    """

    code = "FMT022"
    category = "format"
    name = "last-turn-not-assistant"
    severity = Severity.ERROR
    roles_only = True
    tasks = frozenset({SFT, PREFERENCE, UNPAIRED})

    def check(self, record: Record) -> Iterator[Finding]:
        msgs = record.messages
        if msgs and msgs[-1].role != "assistant" and "assistant" in record.roles:
            last = msgs[-1]
            yield self.finding(f"conversation ends with a {last.role or 'role-less'} turn, not the assistant",
                               record, last.pointer, last.content)
