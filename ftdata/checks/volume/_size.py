"""How the volume rules describe a dataset's size: rows, and distinct examples when fewer."""
from __future__ import annotations

from ftdata.checks.base import Dataset
from ftdata.model import plural


def describe(data: Dataset) -> str:
    rows = plural(data.n, "example")
    return rows if data.distinct == data.n else f"{rows}, {data.distinct:,} distinct once duplicates are collapsed"
