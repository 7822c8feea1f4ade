"""CNT005: a chat-template or tokenizer special token pasted into a turn's text."""
from __future__ import annotations

import re
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import around, field_at, in_code, joined, prompts, texts, turn_of
from ftdata.model import Finding, Record, Severity

# ChatML and Llama 3 style `<|...|>` (and DeepSeek's full-width `<｜...｜>`), Llama 2 `[INST]` and
# `<<SYS>>`, Gemma turn markers, and sentencepiece control tokens. `</s>` only where it ends a
# turn or precedes another token: elsewhere it may close HTML strikethrough (`<s>...</s>`).
# `TOKEN`: the tokens that are one wherever they stand (truncated-answer strips them from an answer's end)
TOKEN = r"<\|[A-Za-z_][\w.-]{0,30}\|>|<｜[^｜<>\n]{1,30}｜>|\[/?INST\]|<(?:start|end)_of_turn>|<(?:bos|eos|pad|unk)>"
PATTERN = re.compile(TOKEN + r"|<</?SYS>>|</s>(?=\s*(?:$|<s>|\[INST\]|<\|))|^<s>(?=\s*\[INST\]|\s*<<SYS>>)")
# words that make tokens the subject of a record (a question about chat templates or tokenizers)
_ABOUT_TOKENS = re.compile(r"\b(?:special|end[- ]of[- ](?:text|sequence|turn)|eos|bos|stop|control)\s+tokens?\b|"
                           r"\b(?:which|what|this) token\b|chat template|tokeni[sz]er|prompt format|\bChatML\b|end[- ]of[- ]text token",
                           re.IGNORECASE)


def _gated(text: str) -> bool:
    """Could the text hold a token? Substring tests, far cheaper than the pattern; a one-character
    test first, since it runs at memchr speed and most texts have no "<" at all."""
    if "<" in text:
        if ("<|" in text or "</s>" in text or "<｜" in text or "SYS>>" in text or "_of_turn>" in text
                or "<bos>" in text or "<eos>" in text or "<pad>" in text or "<unk>" in text):
            return True
    return "[" in text and "INST]" in text


class SpecialToken(RecordCheck):
    """A turn's text holds a special token of a chat template or tokenizer, such as
    `<|endoftext|>`, `<|im_end|>`, `<|eot_id|>`, `[INST]`, `<<SYS>>`, `<end_of_turn>` or a
    final `</s>`.

    What it does: finds them in every turn, outside code, in records that are not about
    tokens or templates. A turn holding nothing but an end token is empty-turn's (FMT020).
    Tokens are the same in every language; the "about tokens" test reads English.
    Why it matters: the trainer's chat template adds the real special tokens. A literal one in
    the text is either tokenised as ordinary characters, so the model learns to write
    "<|endoftext|>" and carries on past it, or as the real token, which ends or splits the
    turn where the data did not mean it to. Usually a completion exported with its
    end-of-text marker, or text already rendered through a template.
    Example: `{"prompt": "...", "completion": " positive<|endoftext|>"}`.
    Options: none.
    """

    code = "CNT005"
    name = "special-token"
    category = "content"
    severity = Severity.ERROR

    def check(self, record: Record) -> Iterator[Finding]:
        if not _gated(joined(record)):
            return
        about: bool | None = None
        for message in texts(record):
            text = message.content
            if not _gated(text):
                continue
            found = [m for m in PATTERN.finditer(text) if not in_code(text, m.start())]
            if not found or not PATTERN.sub("", text).strip():
                continue
            if about is None:
                about = any(_ABOUT_TOKENS.search(t) for t in prompts(record))
            if about:
                return
            turn, first = turn_of(record, message), found[0]
            tokens = list(dict.fromkeys(m.group() for m in found))
            names = ", ".join(repr(t) for t in tokens[:4]) + (f" and {len(tokens) - 4} more" if len(tokens) > 4 else "")
            where = "ends with" if len(found) == 1 and not text[first.end():].strip() else "contains"
            pointer, _ = field_at(record, turn.message, first.start())
            yield self.finding(f"{turn.label} {where} the special token{'s' if len(tokens) > 1 else ''} {names}",
                               record, pointer, around(text, first.start(), first.end()))
