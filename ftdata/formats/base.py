"""What a format module provides: cheap detection and a never-raising normaliser."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from ftdata.model import Message


class Normalised(NamedTuple):
    task: str  # one of ftdata.model.TASKS
    messages: tuple[Message, ...]
    rejected: tuple[Message, ...] | None = None
    label: Any = None
    tools: Any = None


class Format(NamedTuple):
    name: str  # stable id used in reports and --input-format, e.g. "openai-chat"
    title: str  # human name, e.g. "OpenAI chat (messages)"
    schema: str  # file name in schemas/, e.g. "openai-chat.schema.json"
    detect: Callable[[dict[str, Any]], bool]  # cheap, keys-based; never raises
    normalise: Callable[[dict[str, Any]], Normalised]  # best effort; never raises on bad data
    keys: frozenset[str] = frozenset()  # detect() can be true only if the record has one of these


def text_of(value: Any) -> str:
    """Text of a content value: a string, or the text parts of a content-part list."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for p in value:
            if isinstance(p, str):
                parts.append(p)
            elif isinstance(p, dict):
                t = p.get("text", p.get("value"))
                if isinstance(t, str) and p.get("type", "text") in ("text", "input_text", "output_text"):
                    parts.append(t)
        return "\n".join(parts)
    return ""
