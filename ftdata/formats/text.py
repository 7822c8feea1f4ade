"""Plain text `{"text": str}` (Together general, TRL language modelling, LLaMA-Factory pre-training)."""
from __future__ import annotations

from typing import Any

from ftdata.formats.base import Format, Normalised
from ftdata.model import TEXT, Message


def detect(raw: dict[str, Any]) -> bool:
    return "text" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    t = raw.get("text")
    return Normalised(TEXT, (Message("assistant", t if type(t) is str else "", "/text"),))


FORMAT = Format("text", "Plain text", "text.schema.json", detect, normalise,
                frozenset({"text"}))
