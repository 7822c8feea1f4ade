"""OpenAI chat `{"messages": [...], "tools"?}` (also TRL conversational, LLaMA-Factory OpenAI-style); SFT."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import chat
from ftdata.formats.base import Format, Normalised
from ftdata.model import SFT


def detect(raw: dict[str, Any]) -> bool:
    return "messages" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    tools = raw.get("tools")
    return Normalised(SFT, chat(raw.get("messages"), "/messages"),
                      tools=raw.get("functions") if tools is None else tools)


FORMAT = Format("openai-chat", "OpenAI chat (messages)", "openai-chat.schema.json", detect, normalise,
                frozenset({"messages"}))
