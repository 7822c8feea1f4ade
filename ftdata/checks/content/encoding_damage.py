"""CNT008: text damaged by encoding: mojibake, control, replacement, invisible or bidi characters."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._chars import BIDI, CONTROL, INVISIBLE, REPLACEMENT
from ftdata.checks.content._text import around, field_at, joined, texts, trained, turn_of
from ftdata.checks.content.empty_input_marker import empty_answer
from ftdata.model import Finding, Message, Record, Severity

# UTF-8 read as Latin-1 or Windows-1252 turns every multi-byte character into a lead character
# (Â, Ã, â, ð...) followed by a continuation (U+0080-U+00BF, or its cp1252 form): a cheap
# candidate test; ftfy, which knows the real shapes of mojibake, decides.
MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                      "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


_WORD = re.compile(r"[^\s.,;:!?'\"()]+")
_OPENING, _CLOSING = "“‘«„\"'", "”’»“\"'"
_ALLOWED_ASCII = bytes(range(32, 127)) + b"\t\n\r"
ANY = re.compile(f"[{BIDI.pattern[1:-1]}{INVISIBLE.pattern[1:-1]}{REPLACEMENT}]")


class EncodingDamage(RecordCheck):
    """A turn's text is damaged by encoding: mojibake ("CafÃ©" for "Café"), control
    characters, the replacement character U+FFFD, invisible characters such as a zero-width
    space, or bidirectional overrides.

    What it does: reports each kind once per turn with the first place it occurs and the
    code point; mojibake is confirmed by ftfy (the standard library for it) and shown with the
    text it should have been; only ftfy's encoding repair counts, so correct typography
    (curly quotes around accented letters, “à”) is not called damaged. Pure-ASCII text is only
    checked for control characters. Any language: the damage is in the characters, not the words.
    Why it matters: the model learns the damage as if it were language: it writes "Ã©" for
    "é", emits invisible characters that break string matching downstream, or learns the
    direction tricks of "Trojan Source" text. Usually a file decoded with the wrong codec
    once, or text scraped from PDFs and web pages. `ftdata lint --fix` removes control
    characters; mojibake needs `ftfy.fix_text`, which rewrites text and so is left to you.
    Example: `{"role": "assistant", "content": "Itâ€™s a cafÃ©."}`.
    Options: none.
    """

    code = "CNT008"
    name = "encoding-damage"
    category = "content"
    severity = Severity.WARNING

    def check(self, record: Record) -> Iterator[Finding]:
        whole = joined(record)  # one pass over the record first: most records have no damage
        if whole.isascii():  # deleting every allowed byte leaves the control characters, at C speed
            if not whole.encode("ascii").translate(None, _ALLOWED_ASCII):
                return
        elif CONTROL.search(whole) is None and ANY.search(whole) is None and MOJIBAKE.search(whole) is None:
            return
        for message in texts(record):
            if message.role == "assistant" and _invisible_answer(record, message):
                continue  # an empty answer: empty-turn's (FMT020) error
            for start, end, what in _damage(message.content):
                yield self._found(record, message, start, end, what)

    def _found(self, record: Record, message: Message, start: int, end: int, what: str) -> Finding:
        pointer, _ = field_at(record, message, start)
        shown = "".join(c if c.isprintable() and c not in "\u200b\u2060" else f"<U+{ord(c):04X}>"
                        for c in message.content[start:end])
        return self.finding(f"{turn_of(record, message).label} {what}", record, pointer,
                            around(message.content, start, end, shown=shown))


def _invisible_answer(record: Record, message: Message) -> bool:
    """Is this a trained answer of invisible characters only, which empty-turn reports?"""
    return empty_answer(message.content, "") == "invisible characters" and trained(record, message)


def _control(text: str, char: str) -> str:
    n = len(CONTROL.findall(text))
    what = f"has {n} control character{'s' if n > 1 else ''}, the first U+{ord(char):04X} ({_name(char)})"
    if 0x80 <= ord(char) <= 0x9F:  # a Windows-1252 character (a dash, a quote) decoded as Latin-1
        try:
            what += f": {bytes([ord(char)]).decode('cp1252')!r} in Windows-1252, read as Latin-1"
        except UnicodeDecodeError:
            pass
    return what


def _damage(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, what) of each kind of damage in a text; ASCII text can have only control characters."""
    control = CONTROL.search(text)
    if control is not None:
        yield control.start(), control.end(), _control(text, control.group())
    if text.isascii():
        return
    bad = text.find(REPLACEMENT)
    if bad >= 0:
        yield bad, bad + 1, (f"has {text.count(REPLACEMENT)} replacement character(s) U+FFFD: "
                             "bytes were lost when the text was decoded")
    for pattern, kind in ((INVISIBLE, "invisible character"), (BIDI, "bidirectional control character")):
        m = pattern.search(text)
        if m is not None:
            yield m.start(), m.end(), f"has the {kind} U+{ord(m.group()):04X} ({_name(m.group())})"
    m = MOJIBAKE.search(text)
    if m is not None:
        found = _mojibake(text, m.start())
        if found is not None:
            yield found


def _mojibake(text: str, pos: int) -> tuple[int, int, str] | None:
    """Confirm a mojibake candidate with ftfy: (start, end, message) of a damaged stretch. Only
    ftfy's encoding repair counts (`fix_encoding`, not `fix_text`, whose other fixes, such as
    straightening curly quotes, would call correct text like “à” damaged), and only where it
    changes the candidate itself."""
    import ftfy
    from ftfy.badness import is_bad

    if pos and text[pos - 1] in _OPENING and text[pos + 1:pos + 2] in _CLOSING:
        return None  # a letter in quotes, “Â”, talked about
    a, b = max(0, pos - 20), min(len(text), pos + 20)
    piece = text[a:b]
    if not is_bad(piece):
        return None
    fixed = ftfy.fix_encoding(piece)
    if fixed == piece:
        return None
    # the stretch ftfy changed: what is between the common start and the common end
    head = 0
    while head < min(len(piece), len(fixed)) and piece[head] == fixed[head]:
        head += 1
    tail = 0
    while tail < min(len(piece), len(fixed)) - head and piece[-1 - tail] == fixed[-1 - tail]:
        tail += 1
    start, end = a + head, b - tail
    if not start <= pos < max(end, start + 1):
        return None  # ftfy repairs something else nearby, not this candidate
    # report the first damaged word: from the change to the end of the word, in both texts
    word, fixed_word = _WORD.match(text, start), _WORD.match(fixed, head)
    end = max(word.end() if word else end, start + 1)
    meant = fixed[head:fixed_word.end()] if fixed_word else fixed[head:len(fixed) - tail]
    return start, end, (f"has mojibake {text[start:end]!r} (UTF-8 decoded as Latin-1 or Windows-1252): "
                        f"{meant!r} was meant")


def _name(char: str) -> str:
    return unicodedata.name(char, "control").lower()
