"""DUP003: a record nearly identical to an earlier one."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import of, where
from ftdata.model import Finding, Severity
from ftdata.similarity import ANSWER_EDITS, PROMPT_EDITS, groups

MEASURES = {PROMPT_EDITS: "the same answer; prompt edit similarity ", ANSWER_EDITS: "the same prompt; answer edit similarity "}


def measured(similarity: float, measure: int, estimated: bool) -> str:
    """A near duplicate's similarity and how it was measured ("similarity ≈0.85" for an estimate)."""
    how = MEASURES.get(measure) or ("similarity ≈" if estimated else "similarity ")
    return f"{how}{similarity:.2f}"


class NearDuplicate(DatasetCheck):
    """A record is nearly identical to another: a few edits, casing, punctuation or a dropped word.

    What it does: finds candidates with MinHash over character 5-grams of the normalised
    conversation without its context (system turns and tool definitions, which many records
    share: a long system prompt would make short, different exchanges look alike), and without
    any preamble that opens or closes at least 20% of the first user turns (at least 40 bytes
    normalised, found on an even sample of 1,000 records: a fixed task instruction, tool
    descriptions pasted into the prompt, a question template around a title), and LSH
    banding (sub-quadratic), then judges each pair by the Jaccard similarity of the two 5-gram
    sets: exactly, from the texts, wherever the MinHash estimate is not clear-cut (estimates are
    marked ≈). Such a pair must also teach the same answer: final answers (the chosen one of a
    preference pair) `near-threshold` alike by edits. A conversation continued differently from
    another's opening (the earlier answer now a turn of its history, then a new question and
    answer), or a follow-up question on one long document, shares most 5-grams but is a branch,
    not a copy. Records without an answer, or whose answer is end-of-text tokens only
    ("<|endoftext|>", left out of the 5-grams), must be near-identical by their prompts alone:
    halfway from the threshold to 1 (0.9 for 0.8). One typo changes most of a one-line
    message's few 5-grams, so two more searches compare by edits (1 - Indel distance / total
    length): records with the same answer (not such an empty one, which says nothing of the
    prompts), by their short prompts (the turns before the answer, up to 256 bytes normalised;
    each with its nearest neighbours in the order of answer and prompt, forwards and
    backwards), and records with the same prompt, by their free-text answers. By edits, records
    are near duplicates from halfway between the threshold and 1 (0.9 for 0.8): an edit changes
    one character but up to five 5-grams. Answers less than `near_threshold` alike are
    conflicting-output's. Reports every record of a cluster after the first, with the
    similarity, how it was measured, and the record it matched.
    Why it matters: near copies reweight the fine-tune like exact ones, and are what generated
    data is full of (the same answer regenerated with small variations).
    Example: "Paris is the capital of France." and "Paris is the capital of France!"
    plus one dropped letter.
    Options: `near-threshold` in the configuration or `--near-threshold` (default 0.8: the similarity from
    which records are near duplicates).
    """

    code = "DUP003"
    name = "near-duplicate"
    category = "duplicates"
    severity = Severity.WARNING
    fingerprints = "near"

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        c = of(data)
        idx = np.arange(data.n)
        near = ((c.root != idx) & (c.normal_root == idx) & (c.exact_root == idx)).tolist()
        matched, similarity, estimated = c.matched.tolist(), c.similarity.tolist(), c.estimated.tolist()
        measure = c.measure.tolist()  # a near row matched its cluster's root (leader clustering)
        for root, members in groups(c.root).items():
            size = f"; cluster of {len(members)}" if len(members) > 2 else ""
            for r in members:
                if not near[r]:
                    continue
                other = matched[r]
                yield self.at(data, r, f"near duplicate of {where(data, other)} "
                                       f"({measured(similarity[r], measure[r], estimated[r])}{size})",
                              related=data.locations([other] + [m for m in members[:6] if m not in (r, other)][:4]))
