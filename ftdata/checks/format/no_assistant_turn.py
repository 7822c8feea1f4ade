"""FMT021: a conversation without any assistant turn."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import PREFERENCE, SFT, UNPAIRED, Finding, Record, Severity


class NoAssistantTurn(RecordCheck):
    """A conversation has no assistant turn.

    What it does: reports supervised, preference and KTO records with nothing from the assistant.
    Why it matters: fine-tuning learns from assistant turns only; this record trains nothing
    (OpenAI rejects it).
    Example: `{"messages": [{"role": "system", ...}, {"role": "user", ...}]}`.
    Options: none.
    """

    code = "FMT021"
    category = "format"
    name = "no-assistant-turn"
    severity = Severity.ERROR
    roles_only = True
    tasks = frozenset({SFT, PREFERENCE, UNPAIRED})

    def check(self, record: Record) -> Iterator[Finding]:
        if record.messages and "assistant" not in record.roles:
            yield self.finding("conversation has no assistant turn", record,
                               record.messages[0].pointer.rsplit("/", 1)[0])
