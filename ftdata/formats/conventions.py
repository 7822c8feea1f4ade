"""Conventions ftdata reads that most trainers do not: what a record's keys mean, and how to map
them for the common tools. Worded from a record's own keys, so the advice names real keys."""
from __future__ import annotations

from typing import Any

from ftdata.formats import instruction_preference, instruction_response

# formats that are conventions of one tool or dataset family, not a trainer's input format
FORMATS = ("instruction-response", "instruction-preference", "conversation-pairs", "sharegpt")


def describe(fmt: str, raw: Any) -> str | None:
    """What the record's convention is and how to map it, or None when it is no convention (a
    ShareGPT record with turn objects as answers, say)."""
    if type(raw) is not dict:
        return None
    if fmt == "instruction-response":
        return _instruction_response(raw)
    if fmt == "instruction-preference":
        return _instruction_preference(raw)
    if fmt == "conversation-pairs":
        return ("{human, assistant} pairs under 'conversation' (as in ShareGPT-Chinese-English-90k), read as "
                "alternating user and assistant turns; trainers read ShareGPT 'conversations' [{from, value}] or "
                "OpenAI 'messages' [{role, content}]: convert them")
    if fmt == "sharegpt" and (type(raw.get("chosen")) is str or type(raw.get("rejected")) is str):
        return ("plain-string 'chosen'/'rejected' beside ShareGPT 'conversations', read as the answers' text; "
                "LLaMA-Factory's ShareGPT ranking format needs turn objects there: "
                "{\"from\": \"gpt\", \"value\": \"...\"}")
    return None


def _instruction_response(raw: dict[str, Any]) -> str:
    prompt, context = instruction_response.keys(raw)
    name = "Dolly/GPTeacher" if prompt == "instruction" else f"{prompt}/response"
    with_context = f" with {context!r} appended" if context else ""
    alpaca = ["'response' to 'output'"] + ([f"{prompt!r} to 'instruction'"] if prompt != "instruction" else []) \
        + ([f"{context!r} to 'input'"] if context and context != "input" else [])
    columns = _columns(prompt, context, "response")
    return (f"{name} keys: the request in {prompt!r}{with_context}, the answer in 'response', read as such; "
            f"for Alpaca readers rename {', '.join(alpaca)}; for TRL or OpenAI convert to prompt/completion or "
            f"messages; LLaMA-Factory reads it with \"columns\": {{{columns}}}")


def _instruction_preference(raw: dict[str, Any]) -> str:
    prompt, context = instruction_preference.keys(raw)
    with_context = f" with {context!r} appended" if context else ""
    system = "; TRL does not read 'system' beside string answers: make the prompt a message list" \
        if "system" in raw else ""
    columns = _columns(prompt, context, "chosen", "rejected", *(k for k in ("system", "history") if k in raw))
    return (f"preference pairs with the prompt in {prompt!r}{with_context}, read as such; for TRL's "
            f"DPOTrainer rename {prompt!r} to 'prompt'" + (f" (appending {context!r})" if context else "")
            + f"{system}; LLaMA-Factory reads it with \"ranking\": true and \"columns\": {{{columns}}}")


def _columns(prompt: str, context: str | None, *same: str) -> str:
    """LLaMA-Factory's `dataset_info.json` columns: the request as "prompt", its context as "query",
    and `same`, each a column of its own name."""
    return ", ".join([f'"prompt": "{prompt}"'] + ([f'"query": "{context}"'] if context else [])
                     + [f'"{k}": "{k}"' for k in same])
