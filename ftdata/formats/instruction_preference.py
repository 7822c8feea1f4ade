"""Preference pairs whose prompt is not under `prompt`: LLaMA-Factory's Alpaca layout
`{"instruction", "input"?, "chosen", "rejected", "system"?, "history"?}`, Orca pairs
`{"system", "question", "chosen", "rejected"}`. Answers are strings or message lists."""
from __future__ import annotations

from typing import Any

from ftdata.formats import instruction_response
from ftdata.formats._chat import side
from ftdata.formats.base import Format, Normalised
from ftdata.model import PREFERENCE

PROMPTS = ("instruction", "question", "query", "input")  # the first present is the request


def detect(raw: dict[str, Any]) -> bool:
    return ("chosen" in raw or "rejected" in raw) and "prompt" not in raw and "conversations" not in raw \
        and "messages" not in raw and any(k in raw for k in PROMPTS)


def keys(raw: dict[str, Any]) -> tuple[str, str | None]:
    """The keys read as the request and as its input (None without one)."""
    return instruction_response.keys(raw, PROMPTS, ("input",))


def normalise(raw: dict[str, Any]) -> Normalised:
    head = tuple(instruction_response.request(raw, *keys(raw)))
    return Normalised(PREFERENCE, head + side(raw.get("chosen"), "/chosen", "assistant"),
                      head + side(raw.get("rejected"), "/rejected", "assistant"))


FORMAT = Format("instruction-preference",
                "Preference with the prompt under instruction/question (Alpaca DPO, Orca pairs)",
                "instruction-preference.schema.json", detect, normalise,
                frozenset({"chosen", "rejected"}))
