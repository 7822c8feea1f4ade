"""DUP007: the same prompt answered with different tool calls."""
from __future__ import annotations

from typing import Any, Iterator

import orjson

from ftdata.answers import Call, calls
from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import where
from ftdata.config import Settings
from ftdata.fingerprint import h64, normalise
from ftdata.model import Finding, Record, Severity
from ftdata.tokens import json_text


def _shown(found: list[Call]) -> str:
    """The calls as a reader compares them: name(arguments as compact JSON)."""
    return "; ".join(f"{c.name or '?'}({json_text(c.arguments) if c.arguments is not None else ''})" for c in found)


def _value(found: list[Call]) -> int:
    """The calls, compared by name and arguments (keys in any order, strings in any case)."""
    try:
        dumped = orjson.dumps([[c.name, c.arguments] for c in found], option=orjson.OPT_SORT_KEYS)
    except (TypeError, ValueError):
        dumped = repr(found).encode("utf-8", "replace")
    return h64(dumped.decode("utf-8", "replace").casefold().encode("utf-8", "surrogatepass"))


class ConflictingToolCall(DatasetCheck):
    """Records with the same prompt (and the same tools) make different tool calls.

    What it does: for every assistant turn with tool calls, hashes what comes before it (the
    tool definitions, system prompt and every earlier turn, normalised as the duplicate rules
    normalise text) and the calls (tool names and arguments parsed from JSON: key order and
    letter case do not matter); reports each turn whose prompt an earlier record has with other
    calls, naming both. Different tool lists make different prompts: calling another tool when
    another is offered is right. Any language.
    Why it matters: the model is taught two actions for one request, so it learns neither which
    tool to call nor which arguments to pass: the tool-calling analogue of conflicting labels.
    Example: "Weather in Paris tomorrow?" -> `get_weather({"city": "Paris"})` on line 3 and ->
    `get_forecast({"city": "Paris", "days": 1})` on line 40.
    Options: none.
    """

    code = "DUP007"
    name = "conflicting-tool-call"
    category = "duplicates"
    severity = Severity.WARNING

    def collect(self, record: Record, settings: Settings) -> Any:
        if "assistant" not in record.roles or not any(m.tool_calls for m in record.messages):
            return None
        out = []
        # what the model sees before each turn: tool definitions, system and every earlier turn
        # (tool calls, shown without their ids, and results included), hashed normalised
        seen = [record.tools if isinstance(record.tools, str) else json_text(record.tools) if record.tools else ""]
        for m in record.messages:
            found = calls(m) if m.tool_calls else []
            shown = _shown(found)
            if found and m.role == "assistant":
                out.append((h64(normalise(" ".join(seen))), _value(found), shown[:200], m.pointer))
            seen.append(f"{m.role} {m.content} {shown}")
        return out or None

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        first: dict[int, tuple[int, int, str]] = {}  # prompt -> (row, calls, shown) of its first record
        for row, turns in enumerate(values):
            for key, value, shown, pointer in turns or ():
                seen = first.setdefault(key, (row, value, shown))
                if seen[1] != value and seen[0] != row:
                    yield self.at(data, row, f"same prompt as {where(data, seen[0])}, another tool call: {shown} "
                                             f"here, {seen[2]} there", pointer=pointer,
                                  related=data.locations([seen[0]]))
