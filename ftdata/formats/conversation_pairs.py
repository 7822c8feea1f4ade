"""Turn pairs `{"conversation": [{"human", "assistant"}, ...], "conversation_id"?, "category"?}`, the
layout of ShareGPT-Chinese-English-90k and similar exports (`system` per pair too)."""
from __future__ import annotations

from typing import Any

from ftdata.formats.base import Format, Normalised
from ftdata.model import SFT, Message


def detect(raw: dict[str, Any]) -> bool:
    conv = raw.get("conversation")
    return type(conv) is list and bool(conv) and type(conv[0]) is dict \
        and ("human" in conv[0] or "assistant" in conv[0])


def normalise(raw: dict[str, Any]) -> Normalised:
    msgs: list[Message] = []
    system = None  # the system prompt in force: a pair repeating it starts no new one
    conv = raw.get("conversation")
    for i, pair in enumerate(conv if type(conv) is list else ()):
        if type(pair) is not dict:
            msgs.append(Message("", "", f"/conversation/{i}"))
            continue
        for key, role in (("system", "system"), ("human", "user"), ("assistant", "assistant")):
            if key in pair:
                v = pair[key]
                if key == "system":
                    if v == system:
                        continue
                    system = v
                msgs.append(Message(role, v if type(v) is str else "", f"/conversation/{i}/{key}"))
    return Normalised(SFT, tuple(msgs))


FORMAT = Format("conversation-pairs", "Turn pairs (conversation: [{human, assistant}])",
                "conversation-pairs.schema.json", detect, normalise, frozenset({"conversation"}))
