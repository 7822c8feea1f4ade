"""Anthropic HH-RLHF `{"chosen": transcript, "rejected": transcript}` ("\\n\\nHuman:" / "\\n\\nAssistant:")."""
from __future__ import annotations

from typing import Any

from ftdata.formats.base import Format, Normalised
from ftdata.model import PREFERENCE, Message

HUMAN, ASSISTANT = "\n\nHuman:", "\n\nAssistant:"


def detect(raw: dict[str, Any]) -> bool:
    c = raw.get("chosen")
    return type(c) is str and "prompt" not in raw and HUMAN in c


def parse(text: Any, pointer: str) -> tuple[Message, ...]:
    """Turns of a transcript; every turn points at the field holding the transcript."""
    if type(text) is not str:
        return ()
    out: list[Message] = []
    for n, chunk in enumerate(text.split(HUMAN)):
        parts = chunk.split(ASSISTANT)
        head = parts[0].strip()
        if n or head:  # text before the first "Human:" marker is kept only when non-empty
            out.append(Message("user", head, pointer))
        for p in parts[1:]:
            out.append(Message("assistant", p.strip(), pointer))
    return tuple(out)


def normalise(raw: dict[str, Any]) -> Normalised:
    return Normalised(PREFERENCE, parse(raw.get("chosen"), "/chosen"), parse(raw.get("rejected"), "/rejected"))


FORMAT = Format("hh-rlhf", "Anthropic HH-RLHF transcripts", "hh-rlhf.schema.json", detect, normalise,
                frozenset({"chosen"}))
