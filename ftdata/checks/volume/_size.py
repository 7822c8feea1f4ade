"""How the volume rules judge and describe a dataset's size: rows, and distinct examples when fewer."""
from __future__ import annotations

from ftdata.checks.base import Dataset
from ftdata.model import plural


def describe(data: Dataset) -> str:
    rows = plural(data.n, "example")
    return rows if data.distinct == data.n else f"{rows}, {data.distinct:,} distinct once duplicates are collapsed"


def judged(data: Dataset) -> bool:
    """Whether the number of examples says anything about the dataset's size: not when fewer than
    half of the records were recognised (a CSV, a file of unknown format), whose size is then
    unknown and whose records the format rules already report one by one."""
    records = int(data.cache.get("records", data.n))
    return 2 * data.n >= records
