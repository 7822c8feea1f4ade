"""FMT026: a conversation without any user turn."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import PREFERENCE, SFT, UNPAIRED, Finding, Record, Severity


class NoUserTurn(RecordCheck):
    """A conversation has no user turn: the assistant answers nothing.

    What it does: reports supervised, preference and KTO records whose turns come only from
    system and assistant.
    Why it matters: the model learns to produce the answer unprompted; usually the user text
    was lost or put in the system message. OpenAI's data-preparation notebook counts these.
    Example: `[system, assistant]`.
    Options: none.
    """

    code = "FMT026"
    category = "format"
    name = "no-user-turn"
    severity = Severity.WARNING
    roles_only = True
    tasks = frozenset({SFT, PREFERENCE, UNPAIRED})

    def check(self, record: Record) -> Iterator[Finding]:
        msgs = record.messages
        if msgs and "user" not in record.roles:
            yield self.finding("conversation has no user turn", record, msgs[0].pointer.rsplit("/", 1)[0])
