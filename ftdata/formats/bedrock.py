"""Amazon Bedrock conversation `{"system", "messages": [...], "schemaVersion"?}` (Claude, Nova); SFT."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import chat
from ftdata.formats.base import Format, Normalised, text_of
from ftdata.model import SFT, Message


def detect(raw: dict[str, Any]) -> bool:
    return "messages" in raw and ("system" in raw or "schemaVersion" in raw)


def normalise(raw: dict[str, Any]) -> Normalised:
    msgs = chat(raw.get("messages"), "/messages")
    if "system" in raw:
        return Normalised(SFT, (Message("system", text_of(raw["system"]), "/system"),) + msgs)
    return Normalised(SFT, msgs)


FORMAT = Format("bedrock", "Amazon Bedrock conversation (system + messages)", "bedrock.schema.json",
                detect, normalise,
                frozenset({"system", "schemaVersion"}))
