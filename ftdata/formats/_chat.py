"""Shared loop turning a list of role/content message objects (OpenAI, TRL, Bedrock) into Messages."""
from __future__ import annotations

from typing import Any, Mapping

from ftdata.formats.base import text_of
from ftdata.model import Message

OPENAI_ROLES: Mapping[str, str] = {
    "system": "system", "user": "user", "assistant": "assistant", "tool": "tool", "function": "tool",
}


def chat(msgs: Any, base: str, roles: Mapping[str, str] = OPENAI_ROLES) -> tuple[Message, ...]:
    """Messages of a `[{role, content, ...}]` list found at JSON Pointer `base`; () if not a list."""
    if type(msgs) is not list:
        return ()
    out: list[Message] = []
    for i, m in enumerate(msgs):
        if type(m) is not dict:
            out.append(Message("", "", f"{base}/{i}", "content"))
            continue
        r = m.get("role")
        c = m.get("content")
        if len(m) == 2 and type(c) is str and type(r) is str:  # the common {role, content} turn
            out.append(Message(roles.get(r, r), c, f"{base}/{i}", "content"))
            continue
        tc = m.get("tool_calls")
        if tc is None:
            fc = m.get("function_call")  # legacy single call: kept so checks see the call
            tc = () if fc is None else (fc,)
        else:
            tc = tuple(tc) if type(tc) is list else (tc,)
        out.append(Message(
            roles.get(r, r) if type(r) is str else ("" if r is None else str(r)),
            c if type(c) is str else text_of(c),
            f"{base}/{i}", "content", m.get("weight"), tc, m.get("tool_call_id"), m.get("name"),
        ))
    return tuple(out)


def side(value: Any, pointer: str, role: str) -> tuple[Message, ...]:
    """A TRL-style field that is either a string (one turn of `role`) or a message list."""
    if type(value) is str:
        return (Message(role, value, pointer),)
    if type(value) is list:
        return chat(value, pointer)
    return () if value is None else (Message(role, "", pointer),)
