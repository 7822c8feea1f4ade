"""FMT024: more than one system message."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import Finding, Record, Severity


class MultipleSystem(RecordCheck):
    """A conversation has more than one system message.

    What it does: reports every system message after the first.
    Why it matters: Mistral and Bedrock accept a single system prompt; OpenAI templates render
    the extra one mid-conversation, which the model learns as a pattern.
    Example: `[system, user, system, assistant]`.
    Options: none.
    """

    code = "FMT024"
    category = "format"
    name = "multiple-system"
    severity = Severity.ERROR
    roles_only = True

    def check(self, record: Record) -> Iterator[Finding]:
        first = True
        for i, m in enumerate(record.messages):
            if m.role == "system":
                if not first:
                    yield self.finding(f"second system message at turn {i + 1}", record, m.pointer, m.content)
                first = False
