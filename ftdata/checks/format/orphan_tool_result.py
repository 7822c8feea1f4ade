"""FMT030: a tool result that answers no tool call."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import Finding, Record, Severity


class OrphanToolResult(RecordCheck):
    """A tool turn does not answer a preceding tool call.

    What it does: a tool turn must follow an assistant turn that made tool calls (or a ShareGPT
    `function_call` turn), with only other tool results between; when it has a `tool_call_id`,
    that id must be one of those calls' ids.
    Why it matters: OpenAI rejects the record; the model would learn tool output appearing
    from nowhere.
    Example: `[user, {"role": "tool", "tool_call_id": "call_9", ...}]`.
    Options: none.
    """

    code = "FMT030"
    category = "format"
    name = "orphan-tool-result"
    severity = Severity.ERROR

    def check(self, record: Record) -> Iterator[Finding]:
        if "tool" not in record.roles:
            return
        ids: set[str] | None = None  # ids of the open tool calls; None when none are open
        for i, m in enumerate(record.messages):
            if m.role == "assistant":
                called = [c.get("id") for c in m.tool_calls if isinstance(c, dict)]
                if called:
                    ids = {x for x in called if isinstance(x, str)}
                else:
                    ids = None
            elif m.role == "tool":
                if ids is None:
                    yield self.finding(f"tool turn {i + 1} follows no tool call", record, m.pointer, m.content)
                elif m.tool_call_id is not None and ids and m.tool_call_id not in ids:
                    yield self.finding(f"tool_call_id {m.tool_call_id!r} matches no preceding tool call "
                                       f"(open: {', '.join(sorted(ids))})", record, f"{m.pointer}/tool_call_id")
            else:
                ids = None
