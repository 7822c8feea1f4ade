"""TRL preference `{"prompt"?, "chosen", "rejected"}` (strings or message lists, implicit prompt too)."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import side
from ftdata.formats.base import Format, Normalised
from ftdata.model import PREFERENCE


def detect(raw: dict[str, Any]) -> bool:
    return "chosen" in raw or "rejected" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    prompt = side(raw.get("prompt"), "/prompt", "user")
    return Normalised(PREFERENCE, prompt + side(raw.get("chosen"), "/chosen", "assistant"),
                      prompt + side(raw.get("rejected"), "/rejected", "assistant"), tools=raw.get("tools"))


FORMAT = Format("preference", "Preference (prompt/chosen/rejected)", "preference.schema.json", detect, normalise,
                frozenset({"chosen", "rejected"}))
