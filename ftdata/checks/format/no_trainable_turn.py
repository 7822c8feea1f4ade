"""FMT028: every assistant turn has weight 0, so nothing is trained."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.model import SFT, Finding, Record, Severity


class NoTrainableTurn(RecordCheck):
    """Every assistant turn carries a training weight of 0.

    What it does: reports records whose assistant turns all have `weight` (or `loss_weight`) 0.
    Why it matters: the example costs tokens and trains nothing; usually weights were set on
    the wrong turns or inverted.
    Example: `[user, {"role": "assistant", "content": "...", "weight": 0}]`.
    Options: none.
    """

    code = "FMT028"
    category = "format"
    name = "no-trainable-turn"
    severity = Severity.ERROR
    turn_data_only = True
    tasks = frozenset({SFT})

    def check(self, record: Record) -> Iterator[Finding]:
        n = 0
        for m in record.messages:
            if m.role == "assistant":
                if m.trained:
                    return
                n += 1
        if n:
            yield self.finding(f"all {n} assistant turn(s) have weight 0; nothing would be trained", record)
