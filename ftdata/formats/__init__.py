"""The input formats, in detection order, with cheap per-record detection and lookup by name."""
from __future__ import annotations

from typing import Any

from ftdata.formats import (
    alpaca, bedrock, conversation_pairs, hh_rlhf, instruction_preference, instruction_response, kto,
    llamafactory_v1, llamafactory_v1_dpo, mistral_interactions, openai_chat, openai_dpo, preference,
    prompt_completion, prompt_only, sharegpt, text, vertex,
)
from ftdata.formats.base import Format, Normalised, text_of

# Order matters: the first format whose detect() is true wins. Formats keyed on a distinctive key come
# first; the generic keys ("messages", "chosen", "completion", "prompt", "text") are tried last.
FORMATS: tuple[Format, ...] = (
    openai_dpo.FORMAT,  # preferred_output / non_preferred_output (its "input" holds "messages")
    llamafactory_v1_dpo.FORMAT,  # chosen_messages / rejected_messages
    kto.FORMAT,  # label + (messages | prompt | completion): before openai-chat and prompt-completion
    bedrock.FORMAT,  # messages + system | schemaVersion: before openai-chat
    llamafactory_v1.FORMAT,  # messages whose first turn has loss_weight or typed {type, value} parts
    openai_chat.FORMAT,  # messages
    sharegpt.FORMAT,  # conversations (may carry chosen/rejected turns: before preference)
    conversation_pairs.FORMAT,  # conversation: [{human, assistant}]
    mistral_interactions.FORMAT,  # interactions
    vertex.FORMAT,  # contents
    instruction_preference.FORMAT,  # chosen/rejected with instruction | question (no prompt): before alpaca
    instruction_response.FORMAT,  # response without output (Dolly, GPTeacher): before alpaca and prompt-only
    alpaca.FORMAT,  # instruction | output
    hh_rlhf.FORMAT,  # chosen is a "\n\nHuman:" transcript and there is no prompt: before preference
    preference.FORMAT,  # chosen | rejected
    prompt_completion.FORMAT,  # completion
    prompt_only.FORMAT,  # prompt
    text.FORMAT,  # text
)

NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)
_BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}


_CANDIDATES: dict[tuple[Any, ...], tuple[Format, ...]] = {}


def detect(raw: Any) -> Format | None:
    """The first format whose detect() accepts `raw`, or None (also for a non-object record).

    Only formats that declare one of the record's keys are asked, in order; the candidates are
    cached per key tuple, which repeats from record to record in a file.
    """
    if type(raw) is not dict:
        return None
    keys = tuple(raw)
    candidates = _CANDIDATES.get(keys)
    if candidates is None:
        present = set(keys)
        candidates = tuple(f for f in FORMATS if not f.keys or f.keys & present)
        if len(_CANDIDATES) < 4096:
            _CANDIDATES[keys] = candidates
    for f in candidates:
        if f.detect(raw):
            return f
    return None


def by_name(name: str) -> Format:
    """The format called `name`; KeyError when there is none."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown input format {name!r}; known: {', '.join(NAMES)}") from None


__all__ = ["FORMATS", "NAMES", "Format", "Normalised", "by_name", "detect", "text_of"]
