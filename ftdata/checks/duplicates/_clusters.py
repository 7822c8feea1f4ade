"""What the duplicate rules share: the clusters the engine computed, how to name members, and a
record's final answer."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ftdata.answers import answer_text
from ftdata.arrays import distinct
from ftdata.checks.base import Dataset
from ftdata.model import Record

if TYPE_CHECKING:
    from ftdata.similarity import Clusters


def of(data: Dataset) -> Clusters:
    clusters: Clusters | None = data.cache.get("clusters")
    assert clusters is not None, "the engine computes clusters for checks that declare fingerprints"
    return clusters


def where(data: Dataset, row: int) -> str:
    """"line N" where lines identify records, else "record N" (one-line JSON arrays, memory)."""
    if "lines_unique" not in data.cache:
        data.cache["lines_unique"] = len(distinct(data.lines)) == data.n and bool((data.lines > 0).all())
    _, line, index = data.location(row)
    return f"line {line}" if line is not None and data.cache["lines_unique"] else f"record {index}"


def output_of(record: Record | None) -> str | None:
    """The final assistant turn's text ("" without one; None for a record not fetched)."""
    return None if record is None else answer_text(record)
