"""What the conflict rules share: the conflicts the clustering found, and a record's answer."""
from __future__ import annotations

from ftdata.model import Record


def output_of(record: Record | None) -> str | None:
    if record is None:
        return None
    for m in reversed(record.messages):
        if m.role == "assistant":
            return str(m.content)
    return ""
