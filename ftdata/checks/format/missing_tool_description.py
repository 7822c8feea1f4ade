"""FMT034: a tool definition without a description."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

import orjson

from ftdata.answers import definitions
from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.config import Settings
from ftdata.model import Finding, Record, Severity, plural


@lru_cache(maxsize=4096)
def _undescribed(tools: str | bytes) -> tuple[tuple[str, int, bool], ...]:
    """(name, position, defined under "function") of each tool of the list (a JSON string, or the
    list's JSON) with no or an empty description."""
    value = orjson.loads(tools) if isinstance(tools, bytes) else tools
    out = []
    for i, fn in definitions(value):
        description = fn.get("description")
        if not (isinstance(description, str) and description.strip()):
            name = fn.get("name")
            nested = isinstance(value, list) and fn is not value[i]
            out.append((name if isinstance(name, str) else "", i, nested))
    return tuple(out)


class MissingToolDescription(DatasetCheck):
    """A tool definition has no `description`, or an empty one.

    What it does: reads every record's tool definitions (OpenAI `tools[].function` and legacy
    `functions`, ShareGPT/glaive `tools` strings, LLaMA-Factory `tools`) and reports each tool
    name defined without a description once, at the first record defining it so, with how
    many records do. Parameters without descriptions are not reported: a well-named parameter
    (`city`) can do without one.
    Why it matters: the model chooses a tool by its description; trained on tools without one,
    it learns to pick tools by their name alone, and an undescribed tool is sent to the
    provider's model at inference the same way.
    Example: `{"type": "function", "function": {"name": "lookup", "parameters": {...}}}`.
    Options: none.
    """

    code = "FMT034"
    name = "missing-tool-description"
    category = "format"
    severity = Severity.WARNING

    def collect(self, record: Record, settings: Settings) -> Any:
        tools = record.tools
        if not tools:
            return None
        try:
            key = tools if isinstance(tools, str) else orjson.dumps(tools)
            return _undescribed(key) or None
        except (TypeError, ValueError, orjson.JSONDecodeError):  # unencodable or invalid: FMT031's
            return None

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        first: dict[str, tuple[int, int, bool]] = {}
        count: dict[str, int] = {}
        for row, found in enumerate(values):
            for name, i, nested in found or ():
                key = name or f"#{i + 1}"
                first.setdefault(key, (row, i, nested))
                count[key] = count.get(key, 0) + 1
        records = data.fetch(sorted({row for row, _, _ in first.values()}))
        for key, (row, i, nested) in first.items():
            record = records.get(row)
            base = _base(record)
            pointer = base if base.endswith("tools") and record is not None and isinstance(record.tools, str) \
                else f"{base}/{i}/function" if nested else f"{base}/{i}"
            tool = f"tool {key!r}" if not key.startswith("#") else f"tool {key[1:]} (no name)"
            yield self.at(data, row, f"{tool} has no description (so defined in {plural(count[key], 'record')})",
                          pointer=pointer)


def _base(record: Record | None) -> str:
    if record is None:
        return "/tools"
    raw = record.raw
    if record.format == "openai-dpo":
        return "/input/tools"
    return "/functions" if "tools" not in raw and "functions" in raw else "/tools"
