"""Other conventions' names for the keys a format reads, for "did you mean" hints.

Datasets written for one tool name the same field differently (`response`, `answer`, `output`,
`completion`); a record with a foreign name is read without it. These tables let the format
rules name the key to rename, concretely, instead of reporting an unknown key or format alone.
"""
from __future__ import annotations

from typing import Any, Iterable

# format -> {foreign key: the format's key}
ALIASES: dict[str, dict[str, str]] = {
    "alpaca": {"response": "output", "answer": "output", "completion": "output", "target": "output",
               "context": "input", "question": "instruction", "prompt": "instruction", "query": "instruction"},
    "prompt-only": {"response": "completion", "answer": "completion", "output": "completion",
                    "target": "completion", "question": "prompt", "query": "prompt"},
    "prompt-completion": {"response": "completion", "answer": "completion", "output": "completion",
                          "question": "prompt", "query": "prompt", "instruction": "prompt"},
    "preference": {"question": "prompt", "query": "prompt", "instruction": "prompt"},
    "kto": {"response": "completion", "answer": "completion", "output": "completion"},
    "text": {"content": "text", "document": "text"},
}

# Unrecognised records: keys that hold a prompt, an answer, a preferred and a dispreferred answer.
PROMPTS = ("prompt", "question", "query", "instruction", "input", "user", "human", "source", "problem", "request",
           "message", "body", "description", "utterance")
ANSWERS = ("completion", "answer", "response", "output", "target", "assistant", "gpt", "reply", "solution",
           "resolution")
# formats with `chosen`/`rejected` keys: only there is `good` or `pos_resp` a renamed answer (elsewhere,
# such as `"accepted": true` beside chat messages, it is metadata)
PAIRED = ("preference", "instruction-preference", "sharegpt", "hh-rlhf")
CHOSEN = ("chosen", "preferred", "better", "pos", "accepted", "good")
REJECTED = ("rejected", "dispreferred", "worse", "neg", "bad")


def hint(fmt: str, key: str, raw: dict[str, Any]) -> str:
    """'; rename it to 'output'' when `key` is another convention's name for a key of `fmt` that
    the record lacks ('; 'output' is there too: keep one' when it has it); else ''."""
    paired = fmt in PAIRED and isinstance(raw.get(key), (str, list))  # an answer, not a flag
    target = ALIASES.get(fmt, {}).get(key) or (_side(key) if paired else None)
    if target is None:
        return ""
    if target in raw:
        return f"; it is another convention's name for {target!r}, which the record also has: keep one"
    return f"; rename it to {target!r} to train on it"


def suggest(keys: Iterable[str]) -> str:
    """A concrete mapping of an unrecognised record's keys onto a format ftdata reads, or ''."""
    keys = list(keys)
    chosen = next((k for k in keys if _side(k) == "chosen"), None)
    rejected = next((k for k in keys if _side(k) == "rejected"), None)
    prompt = _find(keys, PROMPTS)
    if chosen and rejected and chosen != rejected:
        renames = [(chosen, "chosen"), (rejected, "rejected")] + ([(prompt, "prompt")] if prompt else [])
        return "; as preference data: " + _renames(renames) + " (prompt/chosen/rejected)"
    answer = _find(keys, ANSWERS)
    if prompt and answer:
        return "; as prompt/completion: " + _renames([(prompt, "prompt"), (answer, "completion")])
    return ""


def _side(key: str) -> str | None:
    """'chosen' or 'rejected' for a key naming a preferred or dispreferred answer (`pos_resp`,
    `response_rejected`), else None (`pos_type` is not an answer)."""
    words = key.lower().replace("-", "_").split("_")
    for side, names in (("chosen", CHOSEN), ("rejected", REJECTED)):
        if any(w in names for w in words) and all(w in names or w in _ANSWER_WORDS for w in words):
            return side
    return None


_ANSWER_WORDS = frozenset({"resp", "response", "answer", "output", "completion", "reply", "text"})


def _find(keys: list[str], names: tuple[str, ...]) -> str | None:
    """The first key (in `names` order) named one of `names`, in any case."""
    lowered = {k.lower(): k for k in keys}
    return next((lowered[name] for name in names if name in lowered), None)


def _renames(pairs: list[tuple[str, str]]) -> str:
    todo = [f"{old!r} to {new!r}" for old, new in pairs if old != new]
    return "rename " + ", ".join(todo) if todo else "the keys are right"
