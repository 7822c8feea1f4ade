"""CNT021: a JSON answer leaves empty a field that the dataset's other answers always fill."""
from __future__ import annotations

from typing import Any, Iterator

from pydantic import Field

from ftdata.answers import json_value
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.content._text import answers
from ftdata.config import Settings
from ftdata.model import Finding, Record, Severity

MAX_FIELDS = 64  # field paths kept per answer
MAX_DEPTH = 4  # levels of nesting followed ("items[].price" is two)


def fields(value: Any, path: str = "", depth: int = 0, out: dict[str, bool] | None = None) -> dict[str, bool]:
    """Each field path of a JSON answer ("customer.name", "items[].sku") -> is it filled? Empty
    is "" (or whitespace), null, [] or {}; in an array of objects a path is filled if any item fills it."""
    out = {} if out is None else out
    if isinstance(value, dict) and depth < MAX_DEPTH:
        for k, v in value.items():
            if len(out) >= MAX_FIELDS:
                break
            p = f"{path}.{k}" if path else str(k)
            out[p] = out.get(p, False) or not _empty(v)
            if isinstance(v, (dict, list)):
                fields(v, p, depth + 1, out)
    elif isinstance(value, list) and depth < MAX_DEPTH:
        for item in value[:20]:
            if isinstance(item, dict):
                fields(item, f"{path}[]", depth + 1, out)
    return out


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, dict)) and not v)


class EmptyJsonFieldOptions(CheckOptions):
    min_filled: int = Field(20, ge=2, description="answers that must fill a field before an empty one is reported")
    max_empty_share: float = Field(0.05, ge=0, lt=0.5, description="a field left empty by more of the answers "
                                                                  "that have it is optional, not required")


class EmptyJsonField(DatasetCheck):
    """A JSON answer leaves empty a field the dataset's other JSON answers fill.

    What it does: collects the field paths of every trained assistant answer that is a JSON
    object (a ```json fence allowed; nested objects and arrays of objects followed four levels
    deep) and whether each is filled. A field is required when at least `min_filled` answers
    fill it and at most `max_empty_share` of the answers that have it leave it empty (`""`,
    whitespace, `null`, `[]` or `{}`); each answer leaving a required field empty is reported.
    Fields the data often leaves empty are optional and not reported; a missing key is not
    judged (answers of several tasks have several shapes). Language-independent.
    Why it matters: an extraction answer with an empty required field teaches the model that
    the field may be dropped when the input plainly holds it: usually a labelling slip.
    Example: 300 answers fill `"order_id"`; line 42 has `"order_id": ""`.
    Options: `min_filled` (default 20), `max_empty_share` (default 0.05).
    """

    code = "CNT021"
    name = "empty-json-field"
    category = "content"
    severity = Severity.WARNING
    Options = EmptyJsonFieldOptions
    options: EmptyJsonFieldOptions

    def collect(self, record: Record, settings: Settings) -> Any:
        found = []
        for m in answers(record):
            if m.content and m.content.lstrip()[:1] in "{`":
                value = json_value(m.content)
                if isinstance(value, dict):
                    found.append((m.content_pointer, fields(value)))
        return found or None

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        filled: dict[str, int] = {}
        empty: dict[str, int] = {}
        for found in values:
            for _, paths in found or ():
                for p, ok in paths.items():
                    (filled if ok else empty)[p] = (filled if ok else empty).get(p, 0) + 1
        required = {p for p, n in filled.items() if n >= self.options.min_filled
                    and empty.get(p, 0) <= self.options.max_empty_share * (n + empty.get(p, 0))}
        if not required:
            return
        for row, found in enumerate(values):
            for pointer, paths in found or ():
                missing = sorted(p for p, ok in paths.items() if not ok and p in required)
                if missing:
                    shown = ", ".join(f"{p!r} (filled in {filled[p]:,} answers)" for p in missing[:3])
                    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
                    yield self.at(data, row, f"JSON answer leaves {shown}{more} empty", pointer=pointer)
