"""Vertex AI Gemini `{"systemInstruction"?: {"parts"}, "contents": [{"role", "parts"}]}`; SFT."""
from __future__ import annotations

from typing import Any

from ftdata.formats.base import Format, Normalised
from ftdata.model import SFT, Message

ROLES = {"user": "user", "model": "assistant", "function": "tool"}


def detect(raw: dict[str, Any]) -> bool:
    return "contents" in raw


def _parts(parts: Any) -> tuple[str, tuple[Any, ...]]:
    """Text of a `parts` list (text parts joined by newlines) and its functionCall parts."""
    if type(parts) is not list:
        return "", ()
    texts: list[str] = []
    calls: list[Any] = []
    for p in parts:
        if type(p) is dict:
            t = p.get("text")
            if type(t) is str:
                texts.append(t)
            elif "functionCall" in p:
                calls.append(p["functionCall"])
    return "\n".join(texts), tuple(calls)


def normalise(raw: dict[str, Any]) -> Normalised:
    msgs: list[Message] = []
    si = raw.get("systemInstruction")
    if si is not None:
        msgs.append(Message("system", _parts(si.get("parts"))[0] if type(si) is dict else "",
                            "/systemInstruction", "parts"))
    contents = raw.get("contents")
    if type(contents) is list:
        for i, m in enumerate(contents):
            if type(m) is not dict:
                msgs.append(Message("", "", f"/contents/{i}", "parts"))
                continue
            r = m.get("role")
            text, calls = _parts(m.get("parts"))
            msgs.append(Message(ROLES.get(r, r) if type(r) is str else ("" if r is None else str(r)),
                                text, f"/contents/{i}", "parts", None, calls))
    return Normalised(SFT, tuple(msgs), tools=raw.get("tools"))


FORMAT = Format("vertex", "Vertex AI Gemini (contents/parts)", "vertex.schema.json", detect, normalise,
                frozenset({"contents"}))
