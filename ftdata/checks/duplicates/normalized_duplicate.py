"""DUP002: a record that differs from an earlier one only in case, spacing, punctuation or Unicode form."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import of, where
from ftdata.model import Finding, Severity


class NormalizedDuplicate(DatasetCheck):
    """A record's text equals an earlier record's once both are normalised (apostrophes dropped,
    other punctuation and symbols turned into spaces, Unicode NFKC, case folded, whitespace collapsed),
    though the records are not identical. Tool calls and tool definitions are part of the text.

    What it does: hashes every record's normalised conversation and reports each record whose
    text matches an earlier one's, unless it is an exact copy (exact-duplicate reports those).
    Why it matters: "Hello!" and "hello" are the same example to the model; the copies reweight
    the fine-tune as exact duplicates do.
    Example: `"What is 2+2?"` -> `"4."` and `"what is 2 + 2"` -> `"4"`.
    Options: none.
    """

    code = "DUP002"
    name = "normalized-duplicate"
    category = "duplicates"
    severity = Severity.WARNING
    fingerprints = "exact"

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        c = of(data)
        idx = np.arange(data.n)
        rows = np.flatnonzero((c.normal_root != idx) & (c.exact_root == idx))
        for r in rows.tolist():
            first = int(c.normal_root[r])
            yield self.at(data, r, f"same text as {where(data, first)} after normalising case, spacing, "
                                   f"punctuation and Unicode", related=data.locations([first]))
