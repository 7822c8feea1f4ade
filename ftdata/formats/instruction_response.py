"""Instruction/response: Dolly `{"instruction", "context", "response", "category"}`, GPTeacher
`{"instruction", "input", "response"}`, and prompt/response pairs (`prompt`, `question` or `query`
with `response`, and `history` pairs before them). The answer is under `response`, where Alpaca has
`output`."""
from __future__ import annotations

from typing import Any

from ftdata.formats.alpaca import head
from ftdata.formats.base import Format, Normalised
from ftdata.model import SFT, Message

PROMPTS = ("instruction", "prompt", "question", "query", "input")  # the first present is the request
CONTEXTS = ("context", "input")  # text the request is about, appended to it


def detect(raw: dict[str, Any]) -> bool:
    # with `output`, `completion` or `chosen` beside it, `response` is a stray key of another format
    return "response" in raw and "output" not in raw and "completion" not in raw and "chosen" not in raw \
        and "rejected" not in raw and "messages" not in raw and any(k in raw for k in PROMPTS)


def keys(raw: dict[str, Any], prompts: tuple[str, ...] = PROMPTS,
         contexts: tuple[str, ...] = CONTEXTS) -> tuple[str, str | None]:
    """The keys read as the request and as its context (None without one): the first of `prompts`
    present, and the first other of `contexts` present."""
    prompt = next((k for k in prompts if k in raw), "instruction")
    context = next((k for k in contexts if k in raw and k != prompt), None)
    return prompt, context


def request(raw: dict[str, Any], prompt: str, context: str | None) -> list[Message]:
    """The turns before the answer: system and `history` pairs as Alpaca has them, then the request
    with its context appended (instruction-preference too)."""
    msgs = head(raw)
    ask = raw.get(prompt)
    ask = ask if type(ask) is str else ""
    extra = raw.get(context) if context else None
    msgs.append(Message("user", f"{ask}\n\n{extra}" if type(extra) is str and extra else ask, f"/{prompt}"))
    return msgs


def normalise(raw: dict[str, Any]) -> Normalised:
    msgs = request(raw, *keys(raw))
    answer = raw.get("response")
    msgs.append(Message("assistant", answer if type(answer) is str else "", "/response"))
    return Normalised(SFT, tuple(msgs))


FORMAT = Format("instruction-response", "Instruction/response (Dolly, GPTeacher, prompt/response)",
                "instruction-response.schema.json", detect, normalise, frozenset({"response"}))
