"""Where text sits in a record, for the content rules: the turns to scan, the raw field a match
lies in (Alpaca joins `instruction` and `input` into one user turn), and excerpts around a match."""
from __future__ import annotations

import re
from typing import Any, Iterator, NamedTuple

from ftdata.answers import prompt_before
from ftdata.model import PREFERENCE, UNPAIRED, Message, Record


class Turn(NamedTuple):
    position: int  # 0-based, in its conversation
    message: Message
    rejected: bool  # a turn of the rejected alternative that the chosen conversation lacks

    @property
    def label(self) -> str:
        """How a message names it: "assistant turn 2", "rejected assistant turn 2"."""
        return f"{'rejected ' if self.rejected else ''}{self.message.role or 'unknown'} turn {self.position + 1}"


def texts(record: Record) -> tuple[Message, ...]:
    """Every turn to scan, once: the conversation, then the rejected alternative's own turns (a
    prompt shared by chosen and rejected is scanned once). A plain tuple, since it is walked for
    every record by every content rule; `turn_of` names a turn when there is something to report."""
    rejected = record.rejected
    if not rejected:
        return record.messages
    messages = record.messages
    return messages + tuple([m for i, m in enumerate(rejected) if i >= len(messages) or messages[i] != m])


def joined(record: Record) -> str:
    """All of `texts(record)` in one string, for the rules' first substring tests: one test on one
    string is far cheaper than a loop over turns, and most records have nothing to find. The
    engine runs every record check on a record before the next, so one cached record serves all."""
    if _last[0] is record:
        cached: str = _last[1]
        return cached
    text = "\n".join([m.content for m in texts(record)])
    _last[:] = record, text
    return text


_last: list[Any] = [None, ""]  # (record, its joined text)


def turn_of(record: Record, m: Message) -> Turn:
    """Where a turn returned by `texts` (or `answers`) sits: its conversation and position."""
    for i, other in enumerate(record.messages):
        if other is m:
            return Turn(i, m, False)
    return Turn(next((i for i, other in enumerate(record.rejected or ()) if other is m), 0), m, True)


def answers(record: Record) -> list[Message]:
    """The assistant turns a fine-tune learns to write: of preference data the chosen answer only
    (earlier turns are prompt); of KTO data the answers not labelled undesirable; otherwise every
    assistant turn the data trains on (`Message.trained`, the test of FMT028 no-trainable-turn).
    Rejected answers are negatives, not judged. Plain messages, as `texts`: `turn_of` names one
    when there is something to report."""
    task = record.task
    if task == PREFERENCE:
        i = record.final_answer()
        return [record.messages[i]] if i >= 0 else []
    if task == UNPAIRED and record.label is False:
        return []
    # `is None` first: most turns carry no weight, and it is cheaper than the property
    return [m for m in record.messages if m.role == "assistant" and (m.weight is None or m.trained)]


def trained(record: Record, m: Message) -> bool:
    """Is `m` one of `answers(record)`, a turn the fine-tune learns to write?"""
    return any(a is m for a in answers(record))


def asked(record: Record, m: Message) -> str:
    """The text of the last user turn before `m` ("" if none; of the whole conversation when `m`
    is not one of its turns)."""
    turn = next((i for i, other in enumerate(record.messages) if other is m), len(record.messages))
    return prompt_before(record.messages, turn)


def fields(record: Record, m: Message) -> tuple[tuple[str, str], ...]:
    """The raw string fields behind a turn, as (JSON pointer, text): one, except Alpaca's user
    turn, which joins `instruction` and `input`."""
    if m.pointer == "/instruction" and record.format == "alpaca":
        ins, inp = record.raw.get("instruction"), record.raw.get("input")
        if type(ins) is str and type(inp) is str and inp and m.content == f"{ins}\n\n{inp}":
            return ("/instruction", ins), ("/input", inp)
    return ((m.content_pointer, m.content),)


def field_at(record: Record, m: Message, pos: int) -> tuple[str, int]:
    """The JSON pointer of the raw string (of `fields`) holding character `pos` of `m.content`,
    and the position within it."""
    parts = fields(record, m)
    head = len(parts[0][1]) + 2  # "instruction\n\ninput"
    return (parts[1][0], pos - head) if len(parts) > 1 and pos >= head else (parts[0][0], pos)


def around(text: str, start: int, end: int, width: int = 60, shown: str | None = None) -> str:
    """The match with some context either side, `shown` standing in for the matched text."""
    a, b = max(0, start - width // 2), min(len(text), end + width // 2)
    middle = text[start:end] if shown is None else shown
    return ("…" if a else "") + text[a:start] + middle + text[end:b] + ("…" if b < len(text) else "")


def in_code(text: str, pos: int) -> bool:
    """Is `pos` inside a fenced code block or an inline code span (backticks on its line)?"""
    if text.count("```", 0, pos) % 2 or text.count("~~~", 0, pos) % 2:
        return True
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("`", line_start, pos) % 2 == 1


# a list item: "1. x", "2) x", "- x", "• x"
LIST_ITEM = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[-*+•])[ \t]+\S")
# a line only code has: a block header ("for i in x:"), or a statement ending in ";" or a brace
CODE_LINE = re.compile(r"^[ \t]*(?:(?:def|class|for|while|if|elif|else|with|try|except)\b[^\n]*:|[^\n]*[;{}])[ \t]*$",
                       re.M)


def looks_like_code(text: str) -> bool:
    """Is the whole text source code rather than prose (a code answer without fences)?"""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 3 and not (lines and lines[0].lstrip().startswith(CODE_STARTS) and "(" in text):
        return False
    code = sum(1 for ln in lines if ln.rstrip().endswith(CODE_ENDINGS) or ln.lstrip().startswith(CODE_STARTS))
    return code >= max(2, len(lines) // 3)


def prompts(record: Record) -> Iterator[str]:
    """The texts of the user and system turns: what a record is about, for rules that leave
    records about their subject alone (an answer must not excuse itself)."""
    return (m.content for m in record.messages if m.role == "user" or m.role == "system")


# prompts whose answer speaks in the user's or a character's voice: a letter, a post, a poem, a story
OWN_VOICE = re.compile(r"\b(?:letter|e-?mail|message|excuse|invitation|speech|toast|post|tweet|reply|poem|story|"
                       r"stories|song|lyrics|rap|limerick|haiku|sonnet|verse|diary|journal|monologue|dialogue|script|"
                       r"role-?play|pretend|in the voice of|first person)s?\b"
                       r"|封信|信件|邮件|短信|请假条|留言|帖子|朋友圈|微博|一首诗|写诗|歌词|故事|小说|剧本|台词|日记|演讲稿|发言稿|致辞"
                       r"|扮演|口吻|第一人称", re.IGNORECASE)
CODE_ENDINGS = ("{", "}", ";", ")", "(", "[", "*/", "->", "=>")
CODE_STARTS = ("def ", "class ", "import ", "from ", "#include", "return ", "if ", "for ", "while ", "//", "/*",
               "<", "}", "function ", "const ", "let ", "var ", "public ", "private ", "SELECT ", "print(")
