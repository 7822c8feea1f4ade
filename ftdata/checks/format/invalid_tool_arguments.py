"""FMT029: tool-call arguments that are not a JSON string encoding an object."""
from __future__ import annotations

from typing import Any, Iterator

import orjson

from ftdata.checks.base import RecordCheck
from ftdata.checks.format._util import resolve
from ftdata.model import Finding, Record, Severity


def _problem(args: Any) -> str | None:
    if not isinstance(args, str):
        return f"is a JSON {type(args).__name__}, not a string holding JSON"
    try:
        value = orjson.loads(args)
    except orjson.JSONDecodeError as e:
        return f"is not valid JSON ({e})"
    return None if isinstance(value, dict) else "does not encode a JSON object"


class InvalidToolArguments(RecordCheck):
    """A tool call's `arguments` is not a string of valid JSON encoding an object.

    What it does: checks every `tool_calls[].function.arguments` (and legacy `function_call`)
    on every turn, and the value of ShareGPT `function_call` turns and LLaMA-Factory v1
    `tool_call` parts, which must be JSON objects with a `name`.
    Why it matters: OpenAI requires arguments as a JSON *string*; an object, or truncated JSON,
    is rejected or teaches the model to emit calls that cannot be parsed.
    Example: `"arguments": {"city": "Paris"}` (an object, not a string).
    Options: none.
    """

    code = "FMT029"
    category = "format"
    name = "invalid-tool-arguments"
    severity = Severity.ERROR
    turn_data_only = True

    def check(self, record: Record) -> Iterator[Finding]:
        for m in record.messages:
            for j, call in enumerate(m.tool_calls):
                if not isinstance(call, dict):
                    continue
                if isinstance(call.get("value"), str):  # a call written as JSON text
                    if "from" in call:  # a ShareGPT function_call turn
                        at = f"{m.pointer}/value"
                    else:  # a LLaMA-Factory v1 tool_call part
                        parts = resolve(record.raw, f"{m.pointer}/content")
                        k = next((k for k, p in enumerate(parts) if p is call), 0) if isinstance(parts, list) else 0
                        at = f"{m.pointer}/content/{k}/value"
                    yield from self._named_call(record, call["value"], at)
                    continue
                # normalisers put a legacy `function_call` object in tool_calls as is
                fn, at = (call.get("function"), f"tool_calls/{j}/function") if "function" in call \
                    else (call, "function_call")
                if isinstance(fn, dict) and "arguments" in fn:
                    why = _problem(fn["arguments"])
                    if why:
                        yield self.finding(f"tool call arguments {why}", record, f"{m.pointer}/{at}/arguments",
                                           str(fn["arguments"]))

    def _named_call(self, record: Record, text: str, pointer: str) -> Iterator[Finding]:
        """A call written as JSON text, `{"name": ..., "arguments": {...}}` (ShareGPT, LLaMA-Factory v1)."""
        try:
            call = orjson.loads(text)
        except orjson.JSONDecodeError as e:
            yield self.finding(f"tool call is not valid JSON ({e})", record, pointer, text)
            return
        calls = call if isinstance(call, list) else [call]  # a list: parallel calls (LLaMA-Factory)
        if not calls or not all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in calls):
            yield self.finding("tool call is not a JSON object (or list of objects) with a \"name\"",
                               record, pointer, text)
