"""OpenAI DPO `{"input": {"messages"}, "preferred_output", "non_preferred_output"}`; preference."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import chat
from ftdata.formats.base import Format, Normalised
from ftdata.model import PREFERENCE


def detect(raw: dict[str, Any]) -> bool:
    return "preferred_output" in raw or "non_preferred_output" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    inp = raw.get("input")
    if type(inp) is dict:
        prompt, tools = chat(inp.get("messages"), "/input/messages"), inp.get("tools")
    else:
        prompt, tools = (), None
    return Normalised(
        PREFERENCE,
        prompt + chat(raw.get("preferred_output"), "/preferred_output"),
        prompt + chat(raw.get("non_preferred_output"), "/non_preferred_output"),
        tools=tools,
    )


FORMAT = Format("openai-dpo", "OpenAI DPO (preferred/non-preferred output)", "openai-dpo.schema.json",
                detect, normalise,
                frozenset({"preferred_output", "non_preferred_output"}))
