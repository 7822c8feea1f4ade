"""CNT020: a JSON answer whose array lists the same item twice."""
from __future__ import annotations

import re
from typing import Any, Iterator

import orjson
from pydantic import Field

from ftdata.answers import json_value
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.content._text import answers
from ftdata.config import Settings
from ftdata.model import Finding, Record, Severity, excerpt
from ftdata.schemas import json_pointer

MAX_DEPTH = 32  # nesting walked; deeper is FMT's concern, not a repeated item's
_INDEX = re.compile(r"/\d+(?=/|$)")


def arrays(value: Any, path: str = "", depth: int = 0, out: set[str] | None = None) -> set[str]:
    """The places (paths, array indices as *) of the arrays of two or more items in a JSON value."""
    out = set() if out is None else out
    if depth > MAX_DEPTH:
        return out
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                arrays(v, path + json_pointer((k,)), depth + 1, out)
    elif isinstance(value, list):
        if len(value) > 1:
            out.add(_INDEX.sub("/*", path))
        for i, item in enumerate(value[:50]):
            if isinstance(item, (dict, list)):
                arrays(item, f"{path}/{i}", depth + 1, out)
    return out


class RepeatedJsonItemOptions(CheckOptions):
    max_share: float = Field(0.2, gt=0, lt=1, description="where more of the answers' arrays at one place repeat "
                                                          "an item, repeats are the design (labels per item)")


def repeats(value: Any, path: str = "", depth: int = 0) -> Iterator[tuple[str, int, int, Any]]:
    """(JSON Pointer of the array, first index, repeated index, item) for each array item equal
    to an earlier one: objects and arrays as canonical JSON (key order aside), strings after
    trimming and case folding. Numbers, booleans, null and empty strings may repeat by design
    ([1, 1, 2], a table's blank cells) and are not compared."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from repeats(v, path + json_pointer((k,)), depth + 1)
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


class RepeatedJsonItem(DatasetCheck):
    """A JSON answer lists the same item twice in one array.

    What it does: parses each trained assistant answer that is a JSON object or array (a
    ```json fence allowed) and reports each array item equal to an earlier item of the same
    array: objects and arrays compared as canonical JSON (key order aside), strings after
    trimming and case folding. Numbers, booleans, null and empty strings are not compared: they
    repeat by design. The message gives the item and where the array is inside the answer.
    Language-independent.
    Why it matters: duplicated entries in an extraction answer are an error the model learns
    to repeat: it emits the same entity, tag or line item twice, and downstream code counts it twice.
    Left alone: an array place (its path, indices aside) where more than `max_share` of the
    dataset's answers with an array there repeat an item, at least 3 of them: there repeats are
    the design, such as one label per input item (`["positive", "negative", "positive"]`).
    Example: `{"tags": ["billing", "refund", "billing"]}`.
    Options: `max_share` (0.2).
    """

    code = "CNT020"
    name = "repeated-json-item"
    category = "content"
    severity = Severity.WARNING
    Options = RepeatedJsonItemOptions
    options: RepeatedJsonItemOptions

    def collect(self, record: Record, settings: Settings) -> Any:
        """(array places of the JSON answers, [(pointer, place, message)] of their repeats), or None."""
        places: set[str] = set()
        found: list[tuple[str, str, str]] = []
        for m in answers(record):
            if not m.content or m.content.lstrip()[:1] not in "{[`":
                continue
            value = json_value(m.content)
            if value is None:
                continue
            arrays(value, "", 0, places)
            for path, first, again, item in repeats(value):
                shown = excerpt(item if isinstance(item, str) else orjson.dumps(item).decode(), 60)
                where = f"array {path}" if path else "the top-level array"
                found.append((m.content_pointer, _INDEX.sub("/*", path),
                              f"JSON answer repeats {shown!r} in {where} (items {first} and {again})"))
        return (frozenset(places), found) if places else None

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        having: dict[str, int] = {}  # answers with an array at a place
        repeating: dict[str, int] = {}  # ... of which repeat an item there
        for value in values:
            if value is not None:
                for place in value[0]:
                    having[place] = having.get(place, 0) + 1
                for place in sorted({place for _, place, _ in value[1]}):
                    repeating[place] = repeating.get(place, 0) + 1
        design = {p for p, n in repeating.items() if n >= 3 and n > self.options.max_share * having.get(p, n)}
        for row, value in enumerate(values):
            for pointer, place, message in value[1] if value is not None else ():
                if place not in design:
                    yield self.at(data, row, message, pointer=pointer)
