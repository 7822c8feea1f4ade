"""LEAK001: an evaluation record that also is in the training set."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import Dataset, LeakageCheck
from ftdata.checks.duplicates._clusters import where
from ftdata.model import Finding, Severity
from ftdata.similarity import leaks


class EvalDuplicate(LeakageCheck):
    """An evaluation record is identical to a training record, exactly or once both are
    normalised (case, spacing, punctuation, Unicode).

    What it does: with `--eval FILE`, hashes every evaluation record as the duplicate checks do
    and reports each one found in a training file; the finding sits on the evaluation record
    and names the training record in `related`.
    Why it matters: a held-out set that leaked into training measures memory, not skill; every
    score computed on it is inflated.
    Example: `ftdata lint train.jsonl --eval valid.jsonl`: valid.jsonl line 7 is train.jsonl line 412.
    Options: none.
    """

    code = "LEAK001"
    name = "eval-duplicate"
    category = "leakage"
    severity = Severity.ERROR

    def finish(self, train: Dataset, evaluation: Dataset) -> Iterator[Finding]:
        for leak in leaks(train, evaluation, train.settings.near_threshold, near=False):
            how = "identical to" if leak.kind == "exact" else "the same text, once normalised, as"
            yield self.at(evaluation, leak.row, f"{how} training record {train.file} {where(train, leak.train_row)}",
                          related=train.locations([leak.train_row]))
