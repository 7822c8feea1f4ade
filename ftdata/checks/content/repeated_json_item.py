"""CNT020: a JSON answer whose array lists the same item twice."""
from __future__ import annotations

from typing import Any, Iterator

import orjson

from ftdata.answers import json_value
from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import answers
from ftdata.model import Finding, Record, Severity, excerpt

MAX_DEPTH = 32  # nesting walked; deeper is FMT's concern, not a repeated item's


def repeats(value: Any, path: str = "", depth: int = 0) -> Iterator[tuple[str, int, int, Any]]:
    """(JSON Pointer of the array, first index, repeated index, item) for each array item equal
    to an earlier one: objects and arrays as canonical JSON (key order aside), strings after
    trimming and case folding. Numbers, booleans, null and empty strings may repeat by design
    ([1, 1, 2], a table's blank cells) and are not compared."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from repeats(v, f"{path}/{str(k).replace('~', '~0').replace('/', '~1')}", depth + 1)
    elif isinstance(value, list):
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            key: Any = None
            if isinstance(item, str) and item.strip():
                key = ("s", item.strip().casefold())
            elif isinstance(item, (dict, list)) and item:
                try:
                    key = ("j", orjson.dumps(item, option=orjson.OPT_SORT_KEYS))
                except orjson.JSONEncodeError:  # nested past orjson's 255 levels: not compared
                    key = None
            if key is not None:
                if key in seen:
                    yield path, seen[key], i, item
                    continue  # reported once per item; its copies are not walked again
                seen[key] = i
            yield from repeats(item, f"{path}/{i}", depth + 1)


class RepeatedJsonItem(RecordCheck):
    """A JSON answer lists the same item twice in one array.

    What it does: parses each trained assistant answer that is a JSON object or array (a
    ```json fence allowed) and reports each array item equal to an earlier item of the same
    array: objects and arrays compared as canonical JSON (key order aside), strings after
    trimming and case folding. Numbers, booleans, null and empty strings are not compared: they
    repeat by design. The message gives the item and where the array is inside the answer.
    Language-independent.
    Why it matters: duplicated entries in an extraction answer are an error the model learns
    to repeat: it emits the same entity, tag or line item twice, and downstream code counts it twice.
    Example: `{"tags": ["billing", "refund", "billing"]}`.
    Options: none.
    """

    code = "CNT020"
    name = "repeated-json-item"
    category = "content"
    severity = Severity.WARNING

    def check(self, record: Record) -> Iterator[Finding]:
        for m in answers(record):
            if not m.content or m.content.lstrip()[:1] not in "{[`":
                continue
            value = json_value(m.content)
            if value is None:
                continue
            for path, first, again, item in repeats(value):
                shown = excerpt(item if isinstance(item, str) else orjson.dumps(item).decode(), 60)
                where = f"array {path}" if path else "the top-level array"
                yield self.finding(f"JSON answer repeats {shown!r} in {where} (items {first} and {again})",
                                   record, m.content_pointer)
