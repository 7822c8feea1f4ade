"""Mistral `{"interactions": [{"role", "text" | "content"}], "system_prompt"?}`; SFT."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import OPENAI_ROLES as ROLES
from ftdata.formats.base import Format, Normalised, text_of
from ftdata.model import SFT, Message


def detect(raw: dict[str, Any]) -> bool:
    return "interactions" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    msgs: list[Message] = []
    if "system_prompt" in raw:
        msgs.append(Message("system", text_of(raw["system_prompt"]), "/system_prompt"))
    items = raw.get("interactions")
    if type(items) is list:
        for i, m in enumerate(items):
            if type(m) is not dict:
                msgs.append(Message("", "", f"/interactions/{i}", "text"))
                continue
            key = "text" if "text" in m or "content" not in m else "content"
            r, c = m.get("role"), m.get(key)
            tc = m.get("tool_calls")
            msgs.append(Message(ROLES.get(r, r) if type(r) is str else ("" if r is None else str(r)),
                                c if type(c) is str else text_of(c), f"/interactions/{i}", key, m.get("weight"),
                                tuple(tc) if type(tc) is list else (), m.get("tool_call_id"), m.get("name")))
    return Normalised(SFT, tuple(msgs), tools=raw.get("tools"))


FORMAT = Format("mistral-interactions", "Mistral interactions", "mistral-interactions.schema.json",
                detect, normalise,
                frozenset({"interactions"}))
