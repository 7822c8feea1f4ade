"""DUP005: the same input answered with different free text."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import of, output_of, where
from ftdata.model import Finding, Severity


class ConflictingOutput(DatasetCheck):
    """Records with the same input (after normalisation) have clearly different answers.

    What it does: groups records by their normalised input (tool definitions and every turn
    before the final answer) and reports each record whose answer is less similar to the first
    record's than the near-duplicate threshold (rapidfuzz on the normalised answers), or has
    other numbers ("30 days" / "14 days"); the message gives that similarity. Answers at least
    0.9 alike with the same numbers are near duplicates instead. Classification-like data is
    left to conflicting-label.
    Why it matters: the model learns to be inconsistent: sometimes one answer, sometimes the
    other. Intentional variety (several samples per prompt) is better expressed otherwise.
    Example: "What is the refund window?" -> "30 days." (line 4) and -> "14 days." (line 90).
    Options: none.
    """

    code = "DUP005"
    name = "conflicting-output"
    category = "duplicates"
    severity = Severity.WARNING
    fingerprints = "exact"

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        if data.labels():
            return
        found = of(data).conflicts
        records = data.fetch(sorted({c.row for c in found}))
        for first, r, similarity in found:
            numbers = ", with different numbers" if similarity is not None and similarity >= data.settings.near_threshold \
                else ""
            sim = f" (answers {similarity:.2f} similar{numbers})" if similarity is not None else ""
            yield self.at(data, r, f"same input as {where(data, first)}, different answer{sim}",
                          text=output_of(records.get(r)), related=data.locations([first]))
