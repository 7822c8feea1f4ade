"""DUP004: the same input labelled differently."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import of, output_of, where
from ftdata.model import Finding, Severity


class ConflictingLabel(DatasetCheck):
    """Records with the same input (after normalisation) carry different labels.

    What it does: in classification-like data (final answers short and drawn from a small set),
    groups records by their normalised input (every turn before the final answer) and reports
    each record whose label differs from the first record's, naming both labels.
    Why it matters: the model is taught two answers to one question; it learns the conflict,
    and accuracy on such inputs cannot exceed chance between the labels.
    Example: "I lost my card" -> `lost_card` on line 10 and -> `card_arrival` on line 52.
    Options: none.
    """

    code = "DUP004"
    name = "conflicting-label"
    category = "duplicates"
    severity = Severity.ERROR
    fingerprints = "exact"

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        if not data.labels():
            return
        found = of(data).conflicts
        records = data.fetch(sorted({r for c in found for r in (c.first, c.row)}))  # to name the labels
        for first, r, _, _ in found:
            a, b = output_of(records.get(first)), output_of(records.get(r))
            named = f"labelled {b!r} here and {a!r}" if a is not None and b is not None else "labelled differently than"
            yield self.at(data, r, f"same input as {where(data, first)}, {named} there",
                          related=data.locations([first]))
