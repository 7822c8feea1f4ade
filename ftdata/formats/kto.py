"""Unpaired/KTO: TRL `{"prompt", "completion", "label"}` or LLaMA-Factory `{"messages", "label"}`."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import chat, side
from ftdata.formats.base import Format, Normalised
from ftdata.model import UNPAIRED


def detect(raw: dict[str, Any]) -> bool:
    return "label" in raw and ("completion" in raw or "messages" in raw or "prompt" in raw)


def normalise(raw: dict[str, Any]) -> Normalised:
    if "messages" in raw:
        msgs = chat(raw["messages"], "/messages")
    else:
        msgs = side(raw.get("prompt"), "/prompt", "user") + side(raw.get("completion"), "/completion", "assistant")
    return Normalised(UNPAIRED, msgs, label=raw.get("label"), tools=raw.get("tools"))


FORMAT = Format("kto", "Unpaired preference / KTO (label)", "kto.schema.json", detect, normalise,
                frozenset({"label"}))
