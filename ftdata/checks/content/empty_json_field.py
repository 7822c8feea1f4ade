"""CNT021: a JSON answer leaves empty a field that the dataset's other answers always fill."""
from __future__ import annotations

import re
from typing import Any, Iterator

from pydantic import Field

from ftdata.answers import json_value
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.content._text import answers, prompts
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


def quoted(value: Any, prompt: str, path: str = "", depth: int = 0, out: dict[str, str] | None = None) -> dict[str, str]:
    """The field paths whose text value (3+ characters) the prompt holds verbatim -> the value's
    shape: fields extracted from the input rather than written by the answer."""
    out = {} if out is None else out
    if isinstance(value, dict) and depth < MAX_DEPTH:
        for k, v in list(value.items())[:MAX_FIELDS]:
            p = f"{path}.{k}" if path else str(k)
            if isinstance(v, (str, int, float)) and not isinstance(v, bool) and len(str(v).strip()) >= 3 \
                    and str(v).strip().lower() in prompt:
                out[p] = shape(str(v).strip())
            elif isinstance(v, (dict, list)):
                quoted(v, prompt, p, depth + 1, out)
    elif isinstance(value, list) and depth < MAX_DEPTH:
        for item in value[:20]:
            if isinstance(item, dict):
                quoted(item, prompt, f"{path}[]", depth + 1, out)
    return out


_RUNS = ((re.compile(r"\d"), "9"), (re.compile(r"[^\W\d_]+"), "a"))  # digits counted, words not
_TOKEN = re.compile(r"[^\s,;!?()\[\]{}\"'<>]+")


def shape(text: str) -> str:
    """'ORD-70006' -> 'a-99999', '2024-01-05' -> '9999-99-99', 'ana@x.org' -> 'a@a.a' ('' for plain
    words): digits are counted, so "ticket 20" is no order number like "70006"."""
    if not any(c.isdigit() or c == "@" for c in text):
        return ""
    for pattern, mark in _RUNS:
        text = pattern.sub(mark, text)
    return text.rstrip(".:")


def _shapes(prompt: str) -> frozenset[str]:
    """The shapes of the prompt's tokens holding a digit or '@' (numbers, ids, dates, addresses)."""
    return frozenset(filter(None, (shape(t) for t in _TOKEN.findall(prompt)[:2000])))


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
    judged (answers of several tasks have several shapes). A field most answers copy from
    their prompt (a customer's name, an order number) is empty when the input lacks it, so it
    is reported only where the prompt holds a value of that field's shape (digits and
    separators, an address: "order 70006" for an `order_id` like "70001"); names and other
    plain words extracted from the input are not judged. Language-independent.
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
        """[(pointer, {path: filled}, {path: shape of a value the prompt holds}, prompt shapes
        when a field is empty)] per JSON answer, or None."""
        found = []
        prompt: str | None = None
        for m in answers(record):
            if m.content and m.content.lstrip()[:1] in "{`":
                value = json_value(m.content)
                if isinstance(value, dict):
                    prompt = "\n".join(prompts(record)).lower() if prompt is None else prompt
                    paths = fields(value)
                    held = _shapes(prompt) if not all(paths.values()) else frozenset()
                    found.append((m.content_pointer, paths, quoted(value, prompt), held))
        return found or None

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        filled: dict[str, int] = {}
        empty: dict[str, int] = {}
        extracted: dict[str, list[str]] = {}  # field -> shapes of its values found in their prompts
        for found in values:
            for _, paths, held, _ in found or ():
                for p, ok in paths.items():
                    counts = filled if ok else empty
                    counts[p] = counts.get(p, 0) + 1
                for p, value_shape in held.items():
                    extracted.setdefault(p, []).append(value_shape)
        required = {p for p, n in filled.items() if n >= self.options.min_filled
                    and empty.get(p, 0) <= self.options.max_empty_share * (n + empty.get(p, 0))}
        if not required:
            return
        # a field most answers copy from their input is empty when the input lacks it: reported only
        # where the prompt holds a value of the shapes that field takes (an order number, a date)
        shapes = {p: frozenset(v for v in extracted[p] if v) for p in required
                  if len(extracted.get(p, ())) * 2 >= filled[p]}
        for row, found in enumerate(values):
            for pointer, paths, _, held in found or ():
                missing = sorted(p for p, ok in paths.items() if not ok and p in required
                                 and (p not in shapes or shapes[p] & held))
                if missing:
                    shown = ", ".join(f"{p!r} (filled in {filled[p]:,} answers)" for p in missing[:3])
                    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
                    yield self.at(data, row, f"JSON answer leaves {shown}{more} empty", pointer=pointer)
