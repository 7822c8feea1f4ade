"""LLaMA-Factory v1 typed messages `{"messages": [{"role", "content": [{"type", "value"}], "loss_weight"}]}`."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import OPENAI_ROLES as ROLES
from ftdata.formats.base import Format, Normalised
from ftdata.model import SFT, Message

# tuples, not sets: a part's "type" may be any JSON value, lists included (unhashable)
MEDIA = ("image_url", "video_url", "audio_url", "image", "video", "audio")
TOOL_CALL = ("tool_call", "tool_calls")


def detect(raw: dict[str, Any]) -> bool:
    msgs = raw.get("messages")
    if type(msgs) is not list or not msgs or type(msgs[0]) is not dict:
        return False
    m = msgs[0]
    if "loss_weight" in m:
        return True
    c = m.get("content")
    return type(c) is list and len(c) > 0 and type(c[0]) is dict and "value" in c[0]


def typed(msgs: Any, base: str) -> tuple[Message, ...]:
    """Messages of a typed-message list: text is every text-like part (text, reasoning); tool_call parts
    are the turn's tool calls."""
    if type(msgs) is not list:
        return ()
    out: list[Message] = []
    for i, m in enumerate(msgs):
        if type(m) is not dict:
            out.append(Message("", "", f"{base}/{i}", "content"))
            continue
        r, c = m.get("role"), m.get("content")
        calls: tuple[Any, ...] = ()
        if type(c) is list:
            # tool_call parts are the turn's tool calls (kept as found), not its text
            calls = tuple(p for p in c if type(p) is dict and p.get("type") in TOOL_CALL)
            vals = [p["value"] for p in c if type(p) is dict and type(p.get("value")) is str
                    and p.get("type") not in MEDIA and p.get("type") not in TOOL_CALL]
            text = vals[0] if len(vals) == 1 else "\n".join(vals)
        else:
            text = c if type(c) is str else ""
        out.append(Message(ROLES.get(r, r) if type(r) is str else ("" if r is None else str(r)),
                           text, f"{base}/{i}", "content", m.get("loss_weight"), calls))
    return tuple(out)


def normalise(raw: dict[str, Any]) -> Normalised:
    return Normalised(SFT, typed(raw.get("messages"), "/messages"), tools=raw.get("tools"))


FORMAT = Format("llamafactory-v1", "LLaMA-Factory v1 typed messages", "llamafactory-v1.schema.json",
                detect, normalise,
                frozenset({"messages"}))
