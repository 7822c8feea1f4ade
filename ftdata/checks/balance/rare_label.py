"""BAL002: a label with too few examples to be learned."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.checks.balance._labels import judged
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.model import Finding, Severity, plural


class RareLabelOptions(CheckOptions):
    min_count: int = Field(10, ge=1, description="fewer examples than this are too few")
    min_share: float = Field(0.5, ge=0, le=1, description="a label with less than this fraction of its fair "
                                                          "share (examples / labels) is far under it")


class RareLabel(DatasetCheck):
    """A label has fewer than `min_count` examples, or far fewer than its fair share.

    What it does: counts examples per label (as label-imbalance does) and reports each
    label under `min_count`, or under `min_share` of the examples an even split would give it;
    the finding sits on the label's first record.
    Why it matters: a handful of examples does not teach a class; the model will seldom or
    never produce it, and its accuracy on that class cannot be measured.
    Example: `refund_not_showing_up` has 3 examples where 77 labels share 10,000 (fair share 130).
    Options: `min_count` (default 10), `min_share` (default 0.5).
    """

    code = "BAL002"
    name = "rare-label"
    category = "balance"
    severity = Severity.WARNING
    Options = RareLabelOptions
    options: RareLabelOptions

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        found = judged(data)  # label-imbalance collects the values; without it, they are read again
        if found is None:
            return
        counts = found.counts()
        present = np.flatnonzero(counts)
        fair = counts.sum() / len(present)
        first = found.first_rows()
        for code in present.tolist():
            n = int(counts[code])
            why = (f"fewer than {self.options.min_count}" if n < self.options.min_count else
                   f"under {self.options.min_share:.0%} of its fair share of {fair:,.0f}"
                   if n < self.options.min_share * fair else "")
            if why:
                yield self.at(data, int(first[code]), f"label {found.names[code]!r} ({found.source}) has "
                                                      f"{plural(n, 'example')}: {why}")
