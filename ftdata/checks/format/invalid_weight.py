"""FMT027: a training weight that is not 0/1, or on a turn that is not the assistant's."""
from __future__ import annotations

from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.format._util import resolve
from ftdata.model import Finding, Record, Severity

OPENAI_STYLE = frozenset({"openai-chat", "openai-dpo", "preference", "kto", "prompt-completion"})


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class InvalidWeight(RecordCheck):
    """A turn's training weight is not allowed.

    What it does: in OpenAI-style messages, `weight` must be the integer 0 or 1 and may only be
    set on assistant turns; in LLaMA-Factory v1, `loss_weight` must be a number from 0 to 1.
    Why it matters: OpenAI rejects the file; other trainers multiply the loss by whatever is
    there, so a 5 or a "1" changes what the model learns.
    Example: `{"role": "user", "content": "hi", "weight": 1}`, or `"weight": 0.5`.
    Options: none.
    """

    code = "FMT027"
    category = "format"
    name = "invalid-weight"
    severity = Severity.ERROR
    turn_data_only = True

    def check(self, record: Record) -> Iterator[Finding]:
        openai = record.format in OPENAI_STYLE
        seen: set[str] = set()
        for turns in (record.messages, record.rejected or ()):
            for m in turns:
                w = m.weight
                if w is None or m.pointer in seen:
                    continue
                seen.add(m.pointer)
                turn = resolve(record.raw, m.pointer)
                key = "loss_weight" if isinstance(turn, dict) and "loss_weight" in turn else "weight"
                pointer = f"{m.pointer}/{key}"
                if openai:
                    if type(w) is not int or w not in (0, 1):
                        yield self.finding(f"weight is {w!r}; OpenAI allows only the integers 0 and 1",
                                           record, pointer)
                    elif m.role != "assistant":
                        yield self.finding(f"weight set on a {m.role} turn; only assistant turns take a weight",
                                           record, pointer)
                elif not (_is_number(w) and 0 <= w <= 1):
                    yield self.finding(f"{key} is {w!r}; expected a number from 0 to 1", record, pointer)
