"""BAL003: an evaluation set with labels the training set never shows."""
from __future__ import annotations

from typing import Iterator

import numpy as np

from ftdata.checks.balance._labels import labels
from ftdata.checks.base import Dataset, LeakageCheck
from ftdata.model import Finding, Severity, plural


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
        return self.finish_all([train], evaluation)

    def finish_all(self, trains: list[Dataset], evaluation: Dataset) -> Iterator[Finding]:
        """Against the training sets together: a label any of them has is seen."""
        known = [found for found in (labels(t) for t in trains) if found is not None]
        if not known:
            return
        found = labels(evaluation, answers=True)
        if found is None or found.per_record:
            return
        seen = {k.names[c] for k in known for c in np.unique(k.codes[k.codes >= 0]).tolist()}
        counts = np.bincount(found.codes[found.codes >= 0], minlength=len(found.names))
        first = found.first_rows()
        where = f"training set{'s' if len(trains) > 1 else ''} " + ", ".join(t.file for t in trains)
        for code, name in enumerate(found.names):
            if counts[code] and name not in seen:
                n = int(counts[code])
                yield self.at(evaluation, int(first[code]), f"label {name!r} ({plural(n, 'evaluation example')}) "
                                                            f"never occurs in {where}")
