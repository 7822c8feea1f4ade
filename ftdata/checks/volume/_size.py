"""How the volume rules describe a dataset's size: rows, and distinct examples when fewer."""
from __future__ import annotations

from ftdata.checks.base import Dataset


def describe(data: Dataset) -> str:
    rows = f"{data.n:,} example{'s' if data.n != 1 else ''}"
    return rows if data.distinct == data.n else f"{rows}, {data.distinct:,} distinct once duplicates are collapsed"
