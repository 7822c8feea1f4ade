"""FMT020: a turn with no text."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from ftdata.checks.base import RecordCheck
from ftdata import formats, schemas
from ftdata.checks.content._text import asked, trained
from ftdata.checks.content.empty_input_marker import MAYBE_ANSWERS, empty_answer
from ftdata.checks.format._util import MISSING, resolve
from ftdata.model import Finding, Message, Record, Severity


TEXT_KEYS = {"text", "value"}
_MARKER_OPENERS = " \t\r\n<[({\"'`"
SHORT = 40  # characters: longer turns are never only end-of-text tokens
# End-of-sequence markers of common tokenizers and templates: a turn holding only these is empty.
_END_TOKENS = re.compile(r"<\|endoftext\|>|<\|im_end\|>|<\|eot_id\|>|<\|end\|>|</s>|<eos>|\[/INST\]")


class EmptyTurn(RecordCheck):
    """A turn's content is empty, whitespace only, null, or a part list with no text.

    What it does: reports each such turn, chosen and rejected alike, and turns holding nothing
    but an end-of-text token such as `<|endoftext|>` or `</s>` (the answer is missing; the
    trainer adds its own end token). A trained answer is empty too when it holds only
    invisible characters (zero-width or non-breaking spaces, U+3000) or a no-output marker:
    `<nooutput>`, `No Output`, `<No Output>`, `<无输出>` (English and Chinese markers, as
    generated sets write them), and "N/A", "None" or "无" unless the prompt gives a reason for
    that answer (it names the word, asks what code returns or a value is, or says what to
    answer when nothing fits); such answers are reported here, as errors, not by
    empty-input-marker. An assistant turn that
    makes tool calls may have no content, and a turn of image or audio parts has no text by
    design. A value of the wrong type is left to wrong-type.
    Why it matters: an empty assistant turn teaches the model to answer with nothing; an empty
    user turn teaches it to answer questions nobody asked. Usually a failed generation or join.
    Example: `{"role": "assistant", "content": "  "}`.
    Options: none.
    """

    code = "FMT020"
    category = "format"
    name = "empty-turn"
    severity = Severity.ERROR

    def check(self, record: Record) -> Iterator[Finding]:
        seen: set[tuple[str, int]] = set()  # a prompt shared by chosen and rejected is reported once
        for turns in (record.messages,) if record.rejected is None else (record.messages, record.rejected):
            for i, m in enumerate(turns):
                c = m.content
                # an empty answer in disguise: a no-output marker ("<nooutput>", "No Output", "N/A",
                # "None": all start with "no" or "n/") or invisible characters (not ASCII)
                if m.role == "assistant" and turns is record.messages and c and not m.tool_calls \
                        and (len(c) <= SHORT and c.lstrip(_MARKER_OPENERS)[:2].lower() in ("no", "n/")
                             or len(c) <= 1000 and not c.isascii()):
                    empty = self._empty_answer(record, i)
                    if empty is not None:
                        yield self.finding(f"assistant turn {i + 1} {empty}", record, m.content_pointer, c)
                        continue
                if len(c) > SHORT and not c.isspace() or m.tool_calls:  # the common case, decided at once
                    continue
                if c and not c.isspace() and "<" not in c and "[" not in c or (m.pointer, i) in seen:
                    continue
                seen.add((m.pointer, i))
                reason = self._reason(record, m)
                if reason:
                    yield self.finding(f"{m.role or 'unknown'} turn {i + 1} {reason}", record,
                                       m.content_pointer)

    @staticmethod
    def _empty_answer(record: Record, i: int) -> str | None:
        """Why trained answer i, which has characters, is empty all the same, or None."""
        m = record.messages[i]
        what = empty_answer(m.content, "")  # most short answers settle here, without their prompt
        if what in MAYBE_ANSWERS:  # unless the prompt (its user turn or a system prompt) makes it an answer
            system = (p.content for p in record.messages[:i] if p.role == "system")
            what = empty_answer(m.content, "\n".join([asked(record, m), *system]))
        if what is None or not trained(record, m):
            return None
        if what == "invisible characters":
            codes = sorted({f"U+{ord(ch):04X}" for ch in m.content if not ch.isspace() or ord(ch) > 127})
            return f"holds only invisible characters ({', '.join(codes[:4])})"
        return f"holds only the no-output marker {m.content.strip()!r}: the answer is missing"

    @staticmethod
    def _reason(record: Record, m: Message) -> str | None:
        if m.content and not m.content.isspace():  # short, with a "<" or "[": only end tokens?
            rest = _END_TOKENS.sub("", m.content)
            return None if rest.strip() else f"holds only the end-of-text token {m.content.strip()!r}"
        value = resolve(record.raw, m.content_pointer)
        if value is None:
            return "has null content"
        if value is MISSING:  # a key the schema requires is missing-key's to report
            if m.content_key and not isinstance(resolve(record.raw, m.pointer), dict):
                return None  # the turn is not an object at all: wrong-type's to report
            return None if _schema_requires(record.format, m.content_key) else "has no content"
        if isinstance(value, str):  # m.content, not value: a transcript (HH-RLHF) holds many turns
            return "is empty" if not m.content else "is whitespace only"
        if isinstance(value, list):  # an image-only question is legitimate vision data
            # any part that is not text: an image, audio, file, or a Vertex/Bedrock data part
            media = any(isinstance(p, dict) and (p.get("type") not in (None, "text") or not TEXT_KEYS & p.keys())
                        for p in value)
            return None if media or m.tool_calls else ("has no parts" if not value else "has no text")
        return None


@lru_cache(maxsize=None)
def _schema_requires(format_name: str, key: str) -> bool:
    """Does any object in the format's schema require `key` (so missing-key reports it)?"""
    if not key:
        return True
    found = False

    def walk(node: Any) -> None:
        nonlocal found
        if isinstance(node, dict):
            if key in node.get("required", ()):
                found = True
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schemas.load(formats.by_name(format_name).schema))
    return found
