"""What the balance rules share: each record's label, and the dataset's label table.

A label is the final answer of classification-like data (short answers from a small set,
Dataset.labels), or, when asked, a record field (`label_field`, a dotted path such as
`meta.category`) or a key of the JSON object the final answer holds (`label_key`). Counts are
of distinct examples: duplicates collapsed where the duplicate rules ran.
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import orjson

from ftdata.checks.base import Dataset
from ftdata.config import Settings
from ftdata.model import Record
from ftdata.similarity import first_of_equal

_SCALARS = (str, int, float, bool)
SHOWN = 50  # labels listed in the stats of a per-record field


class Labels(NamedTuple):
    source: str  # where labels come from, for messages: "final answer", "field 'category'"
    names: list[str]  # by code
    codes: np.ndarray  # per row: index into names, -1 without a label
    counted: np.ndarray  # per row: a label, and not a copy of an earlier row with that label
    per_record: bool = False  # over 200 distinct values, more than half the rows: an id, not a label

    def first_rows(self) -> np.ndarray:
        """Per label code, its first row (-1 for a label no row has)."""
        labelled = np.flatnonzero(self.codes >= 0)
        codes, first = np.unique(self.codes[labelled], return_index=True)
        out = np.full(len(self.names), -1, np.int64)
        out[codes] = labelled[first]
        return out

    def counts(self) -> np.ndarray:
        return np.bincount(self.codes[self.counted], minlength=len(self.names))

    def table(self) -> dict[str, Any]:
        """The label distribution as the report's stats give it."""
        counts = self.counts()
        n = int(counts.sum())
        order = sorted(range(len(self.names)), key=lambda i: (-counts[i], self.names[i]))
        present = counts[counts > 0]
        k = len(present)
        p = present / max(n, 1)
        entropy = float(-(p * np.log(p)).sum() / math.log(k)) if k > 1 else 1.0 if k else 0.0
        shown = order[:SHOWN] if self.per_record else order
        return {"source": self.source, "labels": k, "examples": n,
                "counts": {self.names[i]: int(counts[i]) for i in shown if counts[i]},
                "imbalance_ratio": round(float(present.max() / present.min()), 2) if k else None,
                "normalized_entropy": round(entropy, 3),
                **({"per_record": True} if self.per_record else {})}


def label_of(record: Record, settings: Settings) -> str | None:
    """The record's label by `label_field` or `label_key`; None when neither is set or it has none."""
    if settings.label_field:
        value: Any = record.raw
        for part in settings.label_field.split("."):
            value = value.get(part) if isinstance(value, dict) else None
    elif settings.label_key:
        final = record.final_answer()
        try:
            value = orjson.loads(record.messages[final].content) if final >= 0 else None
        except orjson.JSONDecodeError:
            value = None
        value = value.get(settings.label_key) if isinstance(value, dict) else None
    else:
        return None
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode() if isinstance(value, _SCALARS) else None  # true, 1, 1.5 as JSON writes them


def source(settings: Settings) -> str:
    if settings.label_field:
        return f"field {settings.label_field!r}"
    return f"key {settings.label_key!r} of the JSON answer" if settings.label_key else "final answer"


def labels(data: Dataset, values: list[Any] | None = None, answers: bool = False) -> Labels | None:
    """The dataset's labels (computed once, in data.cache["labels"]), or None when it has none:
    no label option set and the data does not look like classification (`answers`: take final
    answers as labels anyway, as for an evaluation set of a classification training set).
    `values` are the per-record labels collected by the scan; without them they are read again."""
    if "labels" in data.cache:
        return data.cache["labels"]  # type: ignore[no-any-return]
    settings = data.settings
    if settings.label_field or settings.label_key:
        found = _from_values(values if values is not None else _read(data), data.n)
    elif answers or data.labels():
        found = _from_answers(data)
    else:
        found = None
    result = None
    if found is not None and (len(found[0]) or settings.label_field or settings.label_key):
        names, codes = found  # asked for by an option, the table is shown even when empty
        clusters = data.cache.get("clusters")
        counted = codes >= 0
        if clusters is not None:  # one row per duplicate cluster and label: copies relabelled still count
            key = clusters.root.astype(np.int64) * (len(names) + 1) + codes + 1
            counted &= first_of_equal(key) == np.arange(data.n)
        per_record = len(names) > max(200, int(counted.sum()) // 2)
        result = Labels(source(settings), names, codes, counted, per_record)
    data.cache["labels"] = result
    return result


def judged(data: Dataset, values: list[Any] | None = None) -> Labels | None:
    """The training set's labels as the balance rules judge them: None without labels, for an id
    field (per-record values: no label to balance), or with fewer than two labels present."""
    found = labels(data, values)
    if found is None or found.per_record or np.count_nonzero(found.counts()) < 2:
        return None
    return found


def _from_values(values: list[Any], n: int) -> tuple[list[str], np.ndarray]:
    names: dict[str, int] = {}
    codes = np.fromiter((-1 if v is None else names.setdefault(v, len(names)) for v in values), np.int64, n)
    return list(names), codes


def _from_answers(data: Dataset) -> tuple[list[str], np.ndarray]:
    """Labels from the short final answers' checksums; each name read from one record."""
    answers = data.columns["answer"]
    short = np.flatnonzero(answers >= 0)
    keys, first, inverse = np.unique(answers[short], return_index=True, return_inverse=True)
    codes = np.full(data.n, -1, np.int64)
    codes[short] = inverse
    first = short[first]
    records = data.fetch(first)
    names = [_answer(records.get(int(r)), int(k)) for k, r in zip(keys.tolist(), first.tolist())]
    return names, codes


def _answer(record: Record | None, key: int) -> str:
    final = record.final_answer() if record is not None else -1
    if record is None or final < 0:
        return f"answer #{key & 0xFFFFFFFF:08x}"  # not readable again (a stream gone): its checksum
    return str(record.messages[final].content)


def _read(data: Dataset) -> list[Any]:
    """Labels of every row read again from the source (evaluation sets: no scan-time values)."""
    out: list[Any] = [None] * data.n
    for start in range(0, data.n, 5000):
        for row, record in data.fetch(np.arange(start, min(start + 5000, data.n))).items():
            out[row] = label_of(record, data.settings)
    return out
