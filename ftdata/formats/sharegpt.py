"""ShareGPT `{"conversations": [{"from", "value"}], "system"?, "tools"?}` (FastChat, LLaMA-Factory, + DPO)."""
from __future__ import annotations

from typing import Any

from ftdata.formats.base import Format, Normalised
from ftdata.model import PREFERENCE, SFT, Message

ROLES = {
    "human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "chatgpt": "assistant",
    "bing": "assistant", "bard": "assistant", "function_call": "assistant", "system": "system",
    "observation": "tool", "tool": "tool",
}


def detect(raw: dict[str, Any]) -> bool:
    return "conversations" in raw


def _turn(t: Any, pointer: str) -> Message:
    """A turn object; a `function_call` turn's value is its tool call (kept as found), not text."""
    if type(t) is not dict:
        return Message("assistant", t if type(t) is str else "", pointer)
    r, v = t.get("from"), t.get("value")
    if r == "function_call":
        return Message("assistant", "", pointer, "value", t.get("weight"), (t,))
    return Message(ROLES.get(r, r) if type(r) is str else ("" if r is None else str(r)),
                   v if type(v) is str else "", pointer, "value", t.get("weight"))


def normalise(raw: dict[str, Any]) -> Normalised:
    msgs: list[Message] = []
    system = raw.get("system")
    if type(system) is str and system:
        msgs.append(Message("system", system, "/system"))
    conv = raw.get("conversations")
    if type(conv) is list:
        for i, t in enumerate(conv):
            msgs.append(_turn(t, f"/conversations/{i}") if type(t) is dict else
                        Message("", "", f"/conversations/{i}", "value"))
    tools = raw.get("tools")
    if "chosen" in raw or "rejected" in raw:
        prompt = tuple(msgs)
        return Normalised(PREFERENCE, prompt + (_turn(raw.get("chosen"), "/chosen"),),
                          prompt + (_turn(raw.get("rejected"), "/rejected"),), tools=tools)
    return Normalised(SFT, tuple(msgs), tools=tools)


FORMAT = Format("sharegpt", "ShareGPT (conversations/from/value)", "sharegpt.schema.json", detect, normalise,
                frozenset({"conversations"}))
