"""BAL003: an evaluation set with labels the training set never shows."""
from __future__ import annotations

from typing import Iterator

import numpy as np

from ftdata.checks.balance._labels import labels
from ftdata.checks.base import Dataset, LeakageCheck
from ftdata.model import Finding, Severity


class UnseenEvalLabel(LeakageCheck):
    """A label of the evaluation set does not occur in the training set.

    What it does: with `--eval FILE`, finds the evaluation set's labels the same way as for the
    training set (final answers of a classification set, or `--label-field` / `--label-key`)
    and reports each label that no training example carries, on its first evaluation record.
    Why it matters: the fine-tuned model cannot produce a label it never saw; every evaluation
    example of it counts as an error that more training on the other labels cannot fix.
    Example: valid.jsonl has 12 examples of `card_swallowed`, train.jsonl none.
    Options: none.
    """

    code = "BAL003"
    name = "unseen-eval-label"
    category = "balance"
    severity = Severity.WARNING
    fingerprints = ""  # labels, not duplicates

    def finish(self, train: Dataset, evaluation: Dataset) -> Iterator[Finding]:
        known = labels(train)
        if known is None:
            return
        found = labels(evaluation, answers=True)
        if found is None:
            return
        seen = set(known.names[c] for c in np.unique(known.codes[known.codes >= 0]).tolist())
        counts = np.bincount(found.codes[found.codes >= 0], minlength=len(found.names))
        first = found.first_rows()
        for code, name in enumerate(found.names):
            if counts[code] and name not in seen:
                n = int(counts[code])
                yield self.at(evaluation, int(first[code]), f"label {name!r} ({n:,} evaluation example"
                                                            f"{'s' if n != 1 else ''}) never occurs in training set "
                                                            f"{train.file}")
