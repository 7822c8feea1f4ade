"""LLaMA-Factory v1 DPO `{"chosen_messages": [...], "rejected_messages": [...]}` (typed messages)."""
from __future__ import annotations

from typing import Any

from ftdata.formats.base import Format, Normalised
from ftdata.formats.llamafactory_v1 import typed
from ftdata.model import PREFERENCE


def detect(raw: dict[str, Any]) -> bool:
    return "chosen_messages" in raw or "rejected_messages" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    return Normalised(PREFERENCE, typed(raw.get("chosen_messages"), "/chosen_messages"),
                      typed(raw.get("rejected_messages"), "/rejected_messages"), tools=raw.get("tools"))


FORMAT = Format("llamafactory-v1-dpo", "LLaMA-Factory v1 DPO (chosen/rejected messages)",
                "llamafactory-v1-dpo.schema.json", detect, normalise,
                frozenset({"chosen_messages", "rejected_messages"}))
