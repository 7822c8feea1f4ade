"""LEAK002: an evaluation record nearly identical to a training record."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import Dataset, LeakageCheck
from ftdata.checks.duplicates._clusters import where
from ftdata.checks.duplicates.near_duplicate import measured
from ftdata.model import Finding, Severity
from ftdata.similarity import leaks


class EvalNearDuplicate(LeakageCheck):
    """An evaluation record is a near duplicate of a training record (a few edits apart).

    What it does: with `--eval FILE`, matches evaluation records against the training set as
    near-duplicate does: by MinHash/LSH over character 5-grams, judged by Jaccard similarity,
    and by edits for records with the same answer after a short prompt, both sides without the
    training set's shared preambles (a task instruction pasted into every prompt would make
    every short evaluation question "leak"); exact and normalised matches are eval-duplicate's.
    Why it matters: a paraphrase-free copy with a typo fixed is still the same example; the
    evaluation then rewards memorisation.
    Example: valid.jsonl line 3 differs from train.jsonl line 90 by one word (similarity 0.96).
    Options: `near-threshold` in the configuration or `--near-threshold` (default 0.8).
    """

    code = "LEAK002"
    name = "eval-near-duplicate"
    category = "leakage"
    severity = Severity.ERROR
    fingerprints = "near"

    def finish(self, train: Dataset, evaluation: Dataset) -> Iterator[Finding]:
        for leak in leaks(train, evaluation, train.settings.near_threshold, near=True):
            if leak.kind != "near":
                continue
            yield self.at(evaluation, leak.row, f"near duplicate of training record {train.file} "
                                                f"{where(train, leak.train_row)} "
                                                f"({measured(leak.similarity, leak.measure, leak.estimated)})",
                          related=train.locations([leak.train_row]))
