"""`{"prompt", "completion"}` as strings (OpenAI legacy, Together, TRL standard) or message lists; SFT."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import side
from ftdata.formats.base import Format, Normalised
from ftdata.model import SFT


def detect(raw: dict[str, Any]) -> bool:
    return "completion" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    return Normalised(SFT, side(raw.get("prompt"), "/prompt", "user")
                      + side(raw.get("completion"), "/completion", "assistant"), tools=raw.get("tools"))


FORMAT = Format("prompt-completion", "Prompt/completion", "prompt-completion.schema.json", detect, normalise,
                frozenset({"completion"}))
