"""FMT027: a training weight that is not 0/1, or on a turn that is not the assistant's."""
from __future__ import annotations

from typing import Iterator, Literal

from pydantic import Field

from ftdata.checks.base import CheckOptions, RecordCheck
from ftdata.checks.format._util import resolve
from ftdata.model import Finding, Message, Record, Severity

OPENAI_STYLE = frozenset({"openai-chat", "openai-dpo", "preference", "kto", "prompt-completion"})


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class InvalidWeightOptions(CheckOptions):
    mode: Literal["format", "binary", "binary-assistant", "none"] = "format"
    provider: str = Field("", description="the provider's name, for the messages")


class InvalidWeight(RecordCheck):
    """A turn's training weight is not allowed.

    What it does: in OpenAI-style messages, `weight` must be the integer 0 or 1 and may only be
    set on assistant turns; in LLaMA-Factory v1, `loss_weight` must be a number from 0 to 1.
    A provider profile can impose one rule on every format instead (see `mode`).
    Why it matters: OpenAI rejects the file; other trainers multiply the loss by whatever is
    there, so a 5 or a "1" changes what the model learns; a provider without per-turn weights
    trains on a turn its author meant to mask.
    Example: `{"role": "user", "content": "hi", "weight": 1}`, or `"weight": 0.5`.
    Options: `mode`: "format" (default: the rule of each record's format, as above), "binary"
    (0 or 1, on any turn: Together), "binary-assistant" (the integer 0 or 1, on assistant turns
    only: OpenAI, Mistral), "none" (the provider has no per-turn weights: every
    weight is reported); `provider`: the provider's name, for the messages.
    """

    code = "FMT027"
    category = "format"
    name = "invalid-weight"
    severity = Severity.ERROR
    turn_data_only = True

    Options = InvalidWeightOptions
    options: InvalidWeightOptions

    def check(self, record: Record) -> Iterator[Finding]:
        opts = self.options
        mode: str = opts.mode
        if mode == "format":
            mode = "binary-assistant" if record.format in OPENAI_STYLE else "range"
        who = opts.provider or ("OpenAI" if opts.mode == "format" else "the provider")
        seen: set[str] = set()
        for turns in (record.messages, record.rejected or ()):
            for m in turns:
                w = m.weight
                if w is None or m.pointer in seen:
                    continue
                seen.add(m.pointer)
                turn = resolve(record.raw, m.pointer)
                key = "loss_weight" if isinstance(turn, dict) and "loss_weight" in turn else "weight"
                problem = _problem(mode, m, key, who)
                if problem:
                    yield self.finding(problem, record, f"{m.pointer}/{key}")


def _problem(mode: str, m: Message, key: str, who: str) -> str:
    """What is wrong with the turn's weight under `mode` ("" when nothing is)."""
    w = m.weight
    if mode == "none":
        return f"{key} is {w!r}, but {who} has no per-turn training weights"
    if mode == "range":  # LLaMA-Factory's loss_weight and other formats' own weights
        return "" if _is_number(w) and 0 <= w <= 1 else f"{key} is {w!r}; expected a number from 0 to 1"
    if mode == "binary":  # Together tests `weight in {0, 1}`, which 1.0 passes (but not "1")
        return "" if _is_number(w) and w in (0, 1) else f"{key} is {w!r}; {who} allows only 0 and 1"
    if type(w) is not int or w not in (0, 1):  # not true or 1.0 either: OpenAI's rule is the JSON integer
        return f"{key} is {w!r}; {who} allows only the integers 0 and 1"
    if mode == "binary-assistant" and m.role != "assistant":
        return f"{key} set on a {m.role} turn; only assistant turns take a weight"
    return ""
