"""Alpaca `{"instruction", "input"?, "output", "system"?, "history"?}`; `output` [best, worse, ...] is ranking."""
from __future__ import annotations

from typing import Any

from ftdata.formats.base import Format, Normalised
from ftdata.model import PREFERENCE, SFT, Message


def detect(raw: dict[str, Any]) -> bool:
    return "instruction" in raw or "output" in raw


def _s(v: Any) -> str:
    return v if type(v) is str else ""


def head(raw: dict[str, Any]) -> list[Message]:
    """The turns before the request: `system`, then `history` pairs ([[query, answer], ...], as
    ChatGLM and Qwen export them); instruction-response and instruction-preference read them too."""
    msgs: list[Message] = []
    system = raw.get("system")
    if type(system) is str and system:
        msgs.append(Message("system", system, "/system"))
    history = raw.get("history")
    if type(history) is list:
        for i, pair in enumerate(history):
            if type(pair) is list:
                if len(pair) > 0:
                    msgs.append(Message("user", _s(pair[0]), f"/history/{i}/0"))
                if len(pair) > 1:
                    msgs.append(Message("assistant", _s(pair[1]), f"/history/{i}/1"))
    return msgs


def normalise(raw: dict[str, Any]) -> Normalised:
    msgs = head(raw)
    inp = raw.get("input")
    inp = inp if type(inp) is str and inp else ""
    if "instruction" in raw:
        ins = _s(raw["instruction"])
        msgs.append(Message("user", f"{ins}\n\n{inp}" if inp else ins, "/instruction"))
    elif inp:
        msgs.append(Message("user", inp, "/input"))
    out = raw.get("output")
    if type(out) is list:  # ranking: output[0] is preferred over output[1]
        prompt = tuple(msgs)
        chosen = (Message("assistant", _s(out[0]), "/output/0"),) if len(out) > 0 else ()
        rejected = (Message("assistant", _s(out[1]), "/output/1"),) if len(out) > 1 else ()
        return Normalised(PREFERENCE, prompt + chosen, prompt + rejected)
    if "output" in raw:
        msgs.append(Message("assistant", _s(out), "/output"))
    return Normalised(SFT, tuple(msgs))


FORMAT = Format("alpaca", "Alpaca (instruction/input/output)", "alpaca.schema.json", detect, normalise,
                frozenset({"instruction", "output"}))
