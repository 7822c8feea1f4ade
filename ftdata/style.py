"""The style profile of an answer: a small integer per feature, packed into one int64.

Computed for every trained assistant turn during the scan (so it must be cheap: substring
tests and one line-start regex, no per-character Python loops), then decoded for a whole
dataset at once with numpy shifts. Features whose value is 0 ("n/a") apply only to some
answers: the bullet marker to bulleted answers, quote style to quoted ones, and so on.
Language is detected with CLD2 (pycld2: compiled, offline, microseconds a call), and only
for answers with non-ASCII letters; answers in plain ASCII letters are "unaccented Latin",
which the style rules resolve on a sample (see `resolve_plain`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import orjson
import regex

from ftdata.model import Message


class Feature(NamedTuple):
    name: str
    values: tuple[str, ...]  # labels by value; for a conditional feature value 0 is "n/a"
    domain: str  # which answers the feature describes: "answers", "bulleted answers", ...
    conditional: bool = False

    @property
    def bits(self) -> int:
        return max(1, (len(self.values) - 1).bit_length())


OPENERS = (  # a chatty opening phrase, by the prefixes (lower case) that start it; a single word
    # counts only when punctuation follows it ("Sure!", not "Surely" or "Certainly there is")
    ("'Sure'", ("sure",)), ("'Certainly'", ("certainly",)), ("'Of course'", ("of course",)),
    ("'Absolutely'", ("absolutely",)), ("'Great question'", ("great question", "good question", "what a great")),
    ("'I'd be happy to'", ("i'd be happy", "i would be happy", "i'd be glad", "i'm happy to", "i am happy to")),
    ("a greeting", ("hello", "hi", "hey", "greetings")), ("'As an AI'", ("as an ai", "as a language model")),
    ("'Okay'", ("okay", "ok")), ("thanks", ("thank you for", "thanks for")),
)
CLOSERS = (  # a chatty closing phrase, by what the last CLOSING_WINDOW characters (lower case) contain
    ("'I hope this helps'", ("hope this helps", "hope that helps", "hope this answers", "hope it helps")),
    ("'Let me know'", ("let me know",)), ("'Feel free to'", ("feel free to",)),
    ("'Happy to help'", ("happy to help", "glad i could help", "glad to help")), ("'Good luck'", ("good luck",)),
    ("'Any other questions'", ("other questions", "any questions", "further questions", "questions?")),
    ("'Have a nice day'", ("have a nice day", "have a great day", "have a good day")),
)
# CLD2 language codes, and the names the report shows
_CLD2 = (("en", "English"), ("zh", "Chinese"), ("zh-Hant", "Chinese (traditional)"), ("es", "Spanish"),
         ("fr", "French"), ("de", "German"), ("pt", "Portuguese"), ("it", "Italian"), ("nl", "Dutch"),
         ("ru", "Russian"), ("ja", "Japanese"), ("ko", "Korean"), ("ar", "Arabic"), ("hi", "Hindi"),
         ("tr", "Turkish"), ("pl", "Polish"), ("vi", "Vietnamese"), ("id", "Indonesian"), ("uk", "Ukrainian"),
         ("fa", "Persian"), ("iw", "Hebrew"), ("el", "Greek"), ("th", "Thai"), ("cs", "Czech"), ("sv", "Swedish"))
PLAIN, UNKNOWN = 0, 1  # language values: ASCII letters only (resolved per dataset), not detected
LANGUAGES = ("unaccented Latin", "unknown", *(name for _, name in _CLD2), "another language")
FEATURES = (
    Feature("layout", ("one line", "several lines", "paragraphs"), "answers"),
    Feature("headings", ("none", "markdown headings"), "answers"),
    Feature("bullets", ("none", "'- '", "'* '", "'• '", "'+ '"), "answers"),
    Feature("numbered lists", ("none", "numbered list"), "answers"),
    Feature("bold", ("none", "**bold**"), "answers"),
    Feature("tables", ("none", "markdown table"), "answers"),
    Feature("code fences", ("none", "fenced code"), "answers"),
    Feature("code language", ("n/a", "named", "not named"), "fenced answers", True),
    Feature("opening", ("none", *(label for label, _ in OPENERS)), "answers"),
    Feature("closing", ("none", *(label for label, _ in CLOSERS)), "answers"),
    Feature("first person", ("none", "I/me/my"), "answers"),
    Feature("case", ("n/a", "sentence case", "all caps", "all lower case", "starts lower case"), "cased answers", True),
    Feature("ending", ("'.'", "'!'", "'?'", "':'", "no punctuation", "other"), "answers"),
    Feature("quotes", ("n/a", "straight", "curly", "mixed"), "quoting answers", True),
    Feature("emoji", ("none", "emoji"), "answers"),
    Feature("language", LANGUAGES, "answers"),
    Feature("structure", ("prose", "JSON object", "JSON array", "broken JSON"), "answers"),
    Feature("reasoning", ("none", "leading <think> block", "<think> block only", "empty <think> block",
                          "unclosed <think>", "<think> not at start"), "answers"),
)
NAMES = tuple(f.name for f in FEATURES)
SHIFTS = tuple(int(s) for s in np.cumsum([0] + [f.bits for f in FEATURES])[:-1])
assert SHIFTS[-1] + FEATURES[-1].bits <= 63
(_LAYOUT, _HEADINGS, _BULLET, _NUMBERED, _STRONG, _TABLES, _FENCES, _FENCE_LANGUAGE, _OPENING, _CLOSING_, _FIRST,
 _CASE, _ENDING, _QUOTES, _EMOJIS, _LANG, _STRUCTURE, _REASONING) = SHIFTS

_LINE_MARK = re.compile(r"\n[ \t]{0,3}(#{1,6}[ \t]|[-*+•][ \t]|1[.)][ \t]|\|)")
# a fenced code block (CommonMark): an opening line of ``` and an info string without backticks,
# up to a closing line of ``` alone, or the end ("```x``` inline" is a code span, not a fence)
_FENCE_BLOCK = re.compile(r"^[ \t]{0,3}```([^`\n]*)\n.*?(?:^[ \t]{0,3}```[ \t]*$|\Z)", re.M | re.S)
_TABLE_RULE = re.compile(r"\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|")
_BOLD = re.compile(r"(?<![\w)\]])\*\*(?=\S)[^*\n]+?(?<=\S)\*\*(?![\w(\[])")  # not x**2 or f(a)**2
_FIRST_PERSON = regex.compile(r"\b(?:I|I'[a-z]+|[Mm]y|me|myself)\b")  # regex: twice re's speed here
# Outside ASCII, letters and emoji are found in the UTF-8 bytes, where a table-driven
# bytes.translate and memchr-speed substring tests beat any character class by 10x: a letter
# is a byte that starts a letter's sequence (U+00C0-U+1FFF, kana and CJK, Hangul, the
# supplementary scripts); U+0080-U+00BF and U+2000-U+2BFF (punctuation, symbols) are not.
_NOT_LETTER_LEAD = bytes(b for b in range(256) if not (0xC3 <= b <= 0xE1 or 0xE3 <= b <= 0xED or b == 0xF0))
_EMOJI = (b"\xf0\x9f", b"\xef\xb8\x8f", b"\xe2\x9c\x85", b"\xe2\x9d\x8c", b"\xe2\x9c\xa8", b"\xe2\xad\x90")
_BULLETS = {"- ": 1, "* ": 2, "• ": 3, "+ ": 4, "-\t": 1, "*\t": 2, "•\t": 3, "+\t": 4}
_ENDINGS = {".": 0, "!": 1, "?": 2, ":": 3, "。": 0, "！": 1, "？": 2, "：": 3, "…": 0, "।": 0}
_TRAILING = " \t\r\n\"'”’)]*_»」』）"
_LANGUAGE = {code: i for i, (code, _) in enumerate(_CLD2, 2)}
_OPENER_ENDS = frozenset(",!.:;—–-")
_OPENING_PREFIXES = tuple(p for _, prefixes in OPENERS for p in prefixes)
_CLOSING = re.compile("|".join(re.escape(p) for _, parts in CLOSERS for p in parts))
_CLOSER_OF = {p: n for n, (_, parts) in enumerate(CLOSERS, 1) for p in parts}
FIRST_PERSON_WINDOW = 600  # characters: first person is looked for at the start of an answer
CLOSING_WINDOW = 64  # characters: a closing phrase is looked for at the end
LANGUAGE_BYTES = 320  # of UTF-8 from the start of an answer decide its language


class Profiles(NamedTuple):
    """The profiled answers of a dataset, one entry per assistant turn, in row order."""

    rows: np.ndarray  # the turn's record row
    turns: np.ndarray  # its index in the record's messages
    codes: np.ndarray  # packed feature values (int64)
    chars: np.ndarray  # its length in characters (after stripping)
    keys: np.ndarray  # hash of a JSON object answer's top-level keys in order (0 otherwise)
    systems: np.ndarray  # per record row: hash of its system turns as written (0 without one)

    @classmethod
    def of(cls, table: np.ndarray, systems: np.ndarray) -> Profiles:
        """From the scan's (turns x 5) table of profile_record rows prefixed by the record's row."""
        return cls(table[:, 0], table[:, 1], table[:, 2], table[:, 3], table[:, 4], systems)

    def values(self) -> np.ndarray:
        """(answers x features) feature values, uint8."""
        out = np.empty((len(self.codes), len(FEATURES)), np.uint8)
        for j, (f, shift) in enumerate(zip(FEATURES, SHIFTS)):
            out[:, j] = (self.codes >> shift) & ((1 << f.bits) - 1)
        return out


def profile_chunk(conversations: list[tuple[Message, ...]]) -> Profiles:
    """The profiles of every trained, non-empty assistant turn of these conversations (one per
    record row), with a hash of each conversation's system turns as written (0 without one)."""
    table: list[tuple[int, int, int, int, int]] = []
    systems = []
    for row, messages in enumerate(conversations):
        system = 0
        for i, m in enumerate(messages):
            role = m.role
            if role == "assistant":
                if m.weight != 0 and m.content:
                    text = m.content.strip()
                    if text:
                        code, keys = profile(text)
                        table.append((row, i, code, len(text), keys))
            elif role == "system" and not system:
                system = _hash(system_text(messages))
        systems.append(system)
    return Profiles.of(np.array(table, np.int64).reshape(len(table), 5), np.array(systems, np.int64))


def system_text(messages: tuple[Message, ...]) -> str:
    return "\n".join([m.content for m in messages if m.role == "system"])


@lru_cache(maxsize=4096)  # a dataset repeats a few system prompts endlessly
def _hash(text: str) -> int:
    from ftdata.fingerprint import h64

    return h64(text.encode("utf-8", "surrogatepass")) or 1  # never 0, which stands for none


def profile(s: str) -> tuple[int, int]:
    """The packed profile of a stripped, non-empty answer, and the hash of its JSON keys.
    (Written for speed: it runs on every answer of the dataset.)"""
    code = 0
    multiline = "\n" in s
    if multiline:
        code = (2 if "\n\n" in s or "\n\r\n" in s or "\n \n" in s else 1) << _LAYOUT
    if multiline or s[0] in "#-*+•1|" or "```" in s:
        code |= _marks(s)
    if "*" in s and "**" in s and _BOLD.search(s):  # one character: memchr; two: a slower search
        code |= 1 << _STRONG
    head = s[:24].lower()
    if head.startswith(_OPENING_PREFIXES):
        code |= _opener(head) << _OPENING
    found = _CLOSING.search(s[-CLOSING_WINDOW:].lower())
    if found:
        code |= _CLOSER_OF[found.group()] << _CLOSING_
    if _FIRST_PERSON.search(s, 0, FIRST_PERSON_WINDOW):
        code |= 1 << _FIRST
    code |= _case(s) << _CASE
    end = s.rstrip(_TRAILING)[-1:] if s[-1] in _TRAILING else s[-1]
    code |= _ENDINGS.get(end, 4 if end.isalnum() else 5) << _ENDING
    ascii = s.isascii()
    straight = '"' in s or "'" in s
    curly = not ascii and ("’" in s or "“" in s or "”" in s or "‘" in s)
    code |= (3 if straight and curly else 2 if curly else 1 if straight else 0) << _QUOTES
    if not ascii:
        utf8 = s.encode("utf-8", "surrogatepass")
        e1, e2, e3, e4, e5, e6 = _EMOJI
        if e1 in utf8 or e2 in utf8 or e3 in utf8 or e4 in utf8 or e5 in utf8 or e6 in utf8:
            code |= 1 << _EMOJIS
        if utf8.translate(None, _NOT_LETTER_LEAD):
            code |= language_of(utf8) << _LANG
    keys = 0
    if s[0] in "{[" and _JSON_START.match(s):
        structure, keys = _structure(s)
        code |= structure << _STRUCTURE
    if "<" in s and "think>" in s:
        code |= _reasoning(s) << _REASONING
    return code, keys


def _marks(s: str) -> int:
    """Headings, bullets, numbered lists, tables and code fences: the markers starting lines
    (outside fenced code, where "# " is a comment and "- " an operator)."""
    code = 0
    if "```" in s:
        infos = _FENCE_BLOCK.findall(s)
        if infos:
            code |= 1 << _FENCES | (1 if any(i.strip() for i in infos) else 2) << _FENCE_LANGUAGE
            s = _FENCE_BLOCK.sub("", s)
    bullet = 0
    for mark in set(_LINE_MARK.findall("\n" + s)):
        c = mark[0]
        if c == "#":
            code |= 1 << _HEADINGS
        elif c in "-*+•":
            bullet = bullet or _BULLETS.get(mark[:2], 1)
        elif c == "1":
            code |= 1 << _NUMBERED
        elif c == "|" and _TABLE_RULE.search(s):
            code |= 1 << _TABLES
    return code | bullet << _BULLET


def _case(s: str) -> int:
    """1 sentence case, 2 all caps (8+ letters), 3 all lower case (20+ characters), 4 starts in
    lower case, 0 uncased (no cased letter at the start, or too short to tell)."""
    if s.isupper():
        return 2 if sum(c.isalpha() for c in s[:64]) >= 8 else 0
    if s.islower():
        return 3 if len(s) >= 20 else 0
    first = s[0]
    if first.islower():
        return 4
    if first.isupper() or (not first.isalpha() and any(c.isupper() for c in s[:64])):
        return 1
    return 0


def _opener(head: str) -> int:
    """Which chatty opening starts `head` (lower case), 0 when the prefix is only a word's start."""
    for n, (_, prefixes) in enumerate(OPENERS, 1):
        for p in prefixes:
            if head.startswith(p):
                after = head[len(p):len(p) + 1]
                if (after in _OPENER_ENDS) if " " not in p else not after.isalpha():
                    return n
    return 0


# How JSON begins (or a near miss: single quotes, bare keys): `{` then a key or `}`, `[` then a
# value or `]`. Prose that opens with a bracket
# (a `{{name}}` placeholder, "[Verse 1]", "[Note] ...") is prose, not broken JSON.
_JSON_START = re.compile(r'\{\s*(?:["\'}]|\w+\s*:)|\[\s*(?:[\[{"\'\]\d-]|true\b|false\b|null\b)')


def _structure(s: str) -> tuple[int, int]:
    """1 for a JSON object (with the hash of its keys in order), 2 a JSON array, 3 broken JSON
    (starts like JSON, does not parse: truncated, single-quoted, ...), 0 prose."""
    try:
        obj = orjson.loads(s)
    except orjson.JSONDecodeError:
        return 3, 0
    if isinstance(obj, dict):
        return 1, _keys_hash(tuple(obj))
    return (2, 0) if isinstance(obj, list) else (0, 0)


@lru_cache(maxsize=4096)
def _keys_hash(keys: tuple[str, ...]) -> int:
    from ftdata.fingerprint import h64

    return h64(orjson.dumps(keys)) or 1


def keys_of(s: str) -> tuple[str, ...]:
    """The top-level keys of a JSON object answer, in order (for messages)."""
    try:
        obj = orjson.loads(s.strip())
    except orjson.JSONDecodeError:
        return ()
    return tuple(obj) if isinstance(obj, dict) else ()


def _reasoning(s: str) -> int:
    opened, closed = "<think>" in s, "</think>" in s
    if not opened:
        return 0 if not closed else 4
    if not closed:
        return 4
    if not s.startswith("<think>"):
        return 5
    inner, _, after = s[len("<think>"):].partition("</think>")
    if not inner.strip():
        return 3
    return 1 if after.strip() else 2


def language_of(utf8: bytes) -> int:
    """CLD2's language of the first LANGUAGE_BYTES bytes, as an index into LANGUAGES."""
    import pycld2  # type: ignore[import-untyped]

    try:
        head = utf8[:LANGUAGE_BYTES].decode("utf-8", "ignore").encode() if len(utf8) > LANGUAGE_BYTES else utf8
        reliable, _, found = pycld2.detect(head, bestEffort=True)
    except pycld2.error:
        return 1
    code = found[0][1]
    if not reliable or code == "un":
        return UNKNOWN
    return _LANGUAGE.get(code, len(LANGUAGES) - 1)
