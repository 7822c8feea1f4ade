"""LEN002: an example far longer than the rest of the dataset."""
from __future__ import annotations

import math
from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.model import Finding, Severity


class OutlierOptions(CheckOptions):
    z: float = Field(3.5, gt=0, description="modified z-score of log length above which an example is an outlier")
    min_ratio: float = Field(4.0, ge=1, description="and at least this many times the median length")
    min_examples: int = Field(20, ge=3, description="datasets smaller than this are not judged")
    min_tokens: int = Field(512, ge=0, description="and longer than this many tokens: a shorter example "
                                                   "weighs little in the loss and the bill, however short the rest")


class LengthOutlier(DatasetCheck):
    """An example is extremely long compared with the rest of this dataset.

    What it does: computes the modified z-score (median and MAD, Iglewicz-Hoaglin) of log token
    counts and reports examples above `z` (default 3.5) that are also at least `min_ratio`
    (default 4) times the median length and longer than `min_tokens` (default 512). Thresholds
    are relative to the dataset, so varied open-ended data stays quiet; the floor keeps a
    dataset of one-line prompts from flagging a prompt of a paragraph (a 126-token instruction
    among 20-token ones is not a problem). Any language: it measures tokens, against the file's
    own median. On files too large to count every example exactly, lengths are calibrated
    estimates (marked ≈); the examples nearest the boundary, where an estimate could change the
    decision, are re-read and counted exactly (up to 500 of them).
    Why it matters: a few very long examples dominate the loss and the bill, and are often
    scraped pages, concatenated records or runaway generations.
    Example: one 9,000-token example among answers of about 150 tokens.
    Not caught: records concatenated into one of under `min_tokens`, or a long example in a
    dataset of long ones (see over-token-limit for the model's limit).
    Options: `z`, `min_ratio`, `min_examples`, `min_tokens`.
    """

    code = "LEN002"
    name = "length-outlier"
    category = "length"
    severity = Severity.WARNING
    Options = OutlierOptions
    options: OutlierOptions

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        o = self.options
        if data.n < o.min_examples:
            return
        logs = np.log(np.maximum(data.tokens, 1.0))
        med = float(np.median(logs))
        mad = float(np.median(np.abs(logs - med)))
        if mad == 0:  # over half the examples share one length: Iglewicz-Hoaglin's mean-deviation form
            mad = float(np.mean(np.abs(logs - med))) * 1.253314 * 0.6745
            if mad == 0:
                return
        median_tokens = float(np.exp(med))
        # the decision boundary in tokens: the z-score, the ratio and the floor must all be exceeded
        # (a z or ratio so large no length passes it gives an infinite boundary, not an overflow warning)
        with np.errstate(over="ignore"):
            threshold = max(float(np.exp(med + o.z * mad / 0.6745)), o.min_ratio * median_tokens, float(o.min_tokens))
        if math.isinf(threshold):
            return
        data.recount(data.near(threshold))  # decide on exact counts wherever an estimate could flip it
        for i in (data.tokens > threshold).nonzero()[0]:
            n = float(data.tokens[i])
            z = 0.6745 * (np.log(n) - med) / mad
            approx = "" if data.tokens_exact[i] else "≈"
            yield self.at(data, int(i), f"example has {approx}{int(n):,} tokens, {n / median_tokens:.0f}x the median of "
                                        f"{median_tokens:,.0f} (modified z {z:.1f} of log length; outliers are above "
                                        f"{threshold:,.0f} tokens)")
