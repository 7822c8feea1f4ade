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
    Feature("first person", ("n/a", "none", "I/me/my"), "English prose answers", True),
    Feature("case", ("n/a", "sentence case", "all caps", "all lower case", "starts lower case"), "cased answers", True),
    Feature("ending", ("n/a", "'.'", "'!'", "'?'", "':'", "no punctuation", "other"), "prose answers", True),
    Feature("quotes", ("n/a", "straight", "curly", "mixed"), "quoting prose answers", True),
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
# English first person, as a pronoun: I before a verb (not the I of "stage I", "World War I",
# "IGF-I", "xargs -I{}" or a title's "Mark I was"), I'm/I've/I'd/I'll, "My" opening a sentence
# (not a title's "Visit My Website"), my/me/myself (not "my-class").
_I_VERBS = ("am|was|have|had|do|did|don't|didn't|can|can't|cannot|could|couldn't|will|won't|would|wouldn't|"
            "should|shall|may|might|must|think|believe|know|hope|want|need|feel|guess|mean|see|saw|understand|"
            "like|love|agree|recommend|suggest|found|find|use|used|tried|try|got|get|went|made|make|said|"
            "wrote|just|also|really|personally|never|always|often|usually|still|only|recently|already|even|"
            "apologize|apologise|appreciate|wish|wonder|remember|learned|started|prefer|heard|came|took|"
            "decided|hate|enjoy|consider|suppose|doubt|assume|bet|promise|totally|definitely|help|go|look|work|"
            "read|tell|give|provide|create|write|study|live|grew|play|thought|knew|felt|wanted|needed|'m")
_FIRST_PERSON = regex.compile(
    r"\bI['’](?:m|ve|d|ll)\b|(?<=\b(?:can|could|may|might|should|shall|would|will|do|did|am|and|but|so|then|"
    r"that|if|when|because|as|what|how|why|where)\s)I\b(?![-.'’]\w)"
    rf"|(?<![a-z,;:]\s[A-Z][\w-]*\s)(?<![-.\w])I (?:{_I_VERBS})\b"
    r"|(?:^|(?<=[.!?:\n]\s{0,3}))My\b(?![-_])|\b(?:my|me|myself)\b(?![-_'’])")  # regex: lookbehinds of any width
# code or markup by its first line: a tag (not <think>, which opens reasoning), a shebang or
# #include, a definition or declaration, an SQL statement, an assignment, a call alone on its
# line, a CSS rule, a comment
_CODE_START = re.compile(
    r"(?:<(?:!--|!DOCTYPE|\?php|/?(?!think\b)[a-zA-Z][\w-]*(?:\s[^>\n]*)?/?>)|#include\b|#!/|import [\w.]+|from [\w.]+ import"
    r"|def \w+\(|class \w+\s*[:({]|function\s*\w*\s*\(|(?:const|let|var|int|void|public|private|package|using)\s+\w|use [\w:]+;"
    r"|(?:SELECT|INSERT|UPDATE|CREATE|DELETE|ALTER|DROP|WITH)\s"
    r"|(?:[\w\[\]<>,]+[ \t]+)?[A-Za-z_$][\w.\[\]]*[ \t]*[-+*/]?=[^=\n]*(?:[;\n]|$)"
    r"|[\w.$]+\([^\n]*\)[ \t]*;?[ \t]*(?:\n|$)|(?:\w+[ \t]+)?[.#]?[a-zA-Z][\w-]*[ \t]*\{[ \t]*\n|//|/\*)")

# Outside ASCII, letters and emoji are found in the UTF-8 bytes, where a table-driven
# bytes.translate and memchr-speed substring tests beat any character class by 10x: a letter
# is a byte that starts a letter's sequence (U+00C0-U+1FFF, kana and CJK, Hangul, the
# supplementary scripts); U+0080-U+00BF and U+2000-U+2BFF (punctuation, symbols) are not.
_NOT_LETTER_LEAD = bytes(b for b in range(256) if not (0xC3 <= b <= 0xE1 or 0xE3 <= b <= 0xED or b == 0xF0))
_EMOJI = (b"\xf0\x9f", b"\xef\xb8\x8f", b"\xe2\x9c\x85", b"\xe2\x9d\x8c", b"\xe2\x9c\xa8", b"\xe2\xad\x90")
_BULLETS = {"- ": 1, "* ": 2, "• ": 3, "+ ": 4, "-\t": 1, "*\t": 2, "•\t": 3, "+\t": 4}
_ENDINGS = {".": 1, "!": 2, "?": 3, ":": 4, "。": 1, "！": 2, "？": 3, "：": 4, "…": 1, "।": 1}
_TRAILING = " \t\r\n\"'”’)]*_»」』）"
_LANGUAGE = {code: i for i, (code, _) in enumerate(_CLD2, 2)}
LANGUAGE_NAMES = dict(_CLD2)
CODES = {i: code for code, i in _LANGUAGE.items()}  # LANGUAGES index -> CLD2 code
_ENGLISH_LIKE = frozenset({PLAIN, _LANGUAGE["en"]})  # unaccented Latin (resolved per dataset) and English
_OPENER_ENDS = frozenset(",!.:;—–-")
_OPENING_PREFIXES = tuple(p for _, prefixes in OPENERS for p in prefixes)
_CLOSING = re.compile("|".join(re.escape(p) for _, parts in CLOSERS for p in parts))
_CLOSER_OF = {p: n for n, (_, parts) in enumerate(CLOSERS, 1) for p in parts}
CODE_LINE = 160  # characters: a first line longer than this is not read as code
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
    bare, infos = _fences(s) if "```" in s else (s, [])
    if multiline:
        code = (2 if "\n\n" in s or "\n\r\n" in s or "\n \n" in s else 1) << _LAYOUT
    if multiline or s[0] in "#-*+•1|" or "```" in s:
        code |= _marks(bare, infos)
    if "*" in s and "**" in s and _BOLD.search(s):  # one character: memchr; two: a slower search
        code |= 1 << _STRONG
    head = s[:24].lower()
    if head.startswith(_OPENING_PREFIXES):
        code |= _opener(head) << _OPENING
    found = _CLOSING.search(s[-CLOSING_WINDOW:].lower())
    if found:
        code |= _CLOSER_OF[found.group()] << _CLOSING_
    if "<" in s and "think>" in s:
        code |= _reasoning(s) << _REASONING
    keys = 0
    if s[0] in "{[" and _JSON_START.match(s):
        structure, keys = _structure(s)
        code |= structure << _STRUCTURE
    ascii = s.isascii()
    utf8 = b"" if ascii else s.encode("utf-8", "surrogatepass")
    if not ascii:
        e1, e2, e3, e4, e5, e6 = _EMOJI
        if e1 in utf8 or e2 in utf8 or e3 in utf8 or e4 in utf8 or e5 in utf8 or e6 in utf8:
            code |= 1 << _EMOJIS
    if 1 <= code >> _STRUCTURE & 3 <= 2 or is_code(s, bare):
        # code and JSON keep their own conventions: no prose case, ending, quotes, voice or language
        return code | UNKNOWN << _LANG, keys
    language = PLAIN
    if not ascii and utf8.translate(None, _NOT_LETTER_LEAD):
        language = language_of(bare.encode("utf-8", "surrogatepass") if infos else utf8)
    code |= language << _LANG
    if language in _ENGLISH_LIKE:  # the pronoun test is English; in other languages it is n/a
        code |= (2 if _FIRST_PERSON.search(s, 0, FIRST_PERSON_WINDOW) else 1) << _FIRST
    code |= _case(s) << _CASE
    end = s.rstrip(_TRAILING)[-1:] if s[-1] in _TRAILING else s[-1]
    code |= _ENDINGS.get(end, 5 if end.isalnum() else 6) << _ENDING
    straight = '"' in s or "'" in s
    curly = not ascii and ("’" in s or "“" in s or "”" in s or "‘" in s)
    code |= (3 if straight and curly else 2 if curly else 1 if straight else 0) << _QUOTES
    return code, keys


def first_person(s: str) -> tuple[int, int] | None:
    """Where the first English first-person pronoun of an answer's opening is, if any."""
    found = _FIRST_PERSON.search(s, 0, FIRST_PERSON_WINDOW)
    return found.span() if found else None


def without_fences(s: str) -> str:
    return _fences(s)[0] if "```" in s else s


def _fences(s: str) -> tuple[str, list[str]]:
    """The text outside fenced code blocks, and the blocks' info strings (one pass: split)."""
    parts = _FENCE_BLOCK.split(s)
    return "".join(parts[::2]), parts[1::2]


def is_code(s: str, bare: str | None = None) -> bool:
    """Is this answer code or markup rather than prose: its first line reads as code, or fenced
    blocks hold nearly all of it? (Cheap: one anchored regex; a substitution only with fences.)"""
    end = s.find("\n")
    end = len(s) if end < 0 else end + 1
    if end <= CODE_LINE and _CODE_START.match(s, 0, end):  # a longer first line is prose
        return True
    if "```" in s:
        return len((_fences(s)[0] if bare is None else bare).strip()) < 0.2 * len(s)
    return False


def _marks(s: str, infos: list[str]) -> int:
    """Headings, bullets, numbered lists, tables and code fences: the markers starting lines of
    `s`, the text outside fenced code (where "# " is a comment and "- " an operator), and the
    fences' info strings."""
    code = 0
    if infos:
        code |= 1 << _FENCES | (1 if any(i.strip() for i in infos) else 2) << _FENCE_LANGUAGE
    bullet = 0
    for mark in dict.fromkeys(_LINE_MARK.findall("\n" + s)):  # in text order: the first bullet names the marker
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


# a word of letters only, then a space or punctuation (not "https:/", "e.g.", an enumerator "i." or "a)")
_LOWER_WORD = re.compile(r"[^\W\d_]{2,}(?=[\s,;!?)]|[.:](?!\S)|$)|[^\W\d_](?=\s)")


def _case(s: str) -> int:
    """1 sentence case, 2 all caps (8+ letters), 3 all lower case (20+ characters, from a
    plain word), 4 starts with a lower-case word, 0 uncased (no cased letter at the start, too
    short to tell, or a first word such as "iPhone", "e-Spirit" or "x86" that keeps its case)."""
    if s.isupper():
        return 2 if sum(c.isalpha() for c in s[:64]) >= 8 else 0
    first = s[0]
    if s.islower():
        return 3 if len(s) >= 20 and _LOWER_WORD.match(s) else 0
    if first.islower():
        word = _LOWER_WORD.match(s)
        return 4 if word and word.group().islower() else 0
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
    """The language of the first LANGUAGE_BYTES bytes, as an index into LANGUAGES (see `detect`)."""
    found = detect(utf8)
    return UNKNOWN if not found else language_index(found[0][0])


def language_index(code: str) -> int:
    """The index into LANGUAGES of a CLD2 language code (the last, "another language", for one not listed)."""
    return _LANGUAGE.get(code, len(LANGUAGES) - 1)


def detect(utf8: bytes, strict: bool = True, hint: str = "") -> tuple[tuple[str, int], ...]:
    """CLD2's languages of the first LANGUAGE_BYTES bytes (code, percent; the first the main one),
    or () when the text is too short for a confident guess. CLD2 calls nearly any text reliable,
    so the letters are counted here: MIN_TEXT_BYTES of letters (a CJK character counts 3); a
    Traditional Chinese guess needs TRADITIONAL_BYTES (short Chinese reads as either variant),
    Japanese needs kana and Korean Hangul (kanji alone is Chinese to CLD2's short-text eye).
    Not `strict`: a guess from fewer letters and a lower score (a short prompt's language),
    leaning to the language `hint` names where the text allows it."""
    import pycld2  # type: ignore[import-untyped]

    try:
        head = utf8[:LANGUAGE_BYTES].decode("utf-8", "ignore").encode() if len(utf8) > LANGUAGE_BYTES else utf8
        _, letters, found = pycld2.detect(head, bestEffort=True, hintLanguage=hint) if hint else \
            pycld2.detect(head, bestEffort=True)
    except pycld2.error:
        return ()
    code = found[0][1]
    if code == "un" or letters < (MIN_TEXT_BYTES if strict else MIN_TEXT_BYTES // 2):
        return ()
    if code == "ja" and not _KANA.search(head):
        code = "zh"
    elif code == "ko" and not _HANGUL.search(head):
        return ()
    elif code == "zh-Hant":  # CLD2 often calls Simplified text Traditional: the characters decide
        code = "zh-Hant" if letters >= TRADITIONAL_BYTES and _traditional(head) else "zh"
    elif found[0][3] < (MIN_SCORE if strict else MIN_SCORE // 5):  # a list of names, a few foreign words: no language to speak of
        return ()
    return ((code, found[0][2]), *((f[1], f[2]) for f in found[1:] if f[1] != "un"))


MIN_TEXT_BYTES = 36  # of letters CLD2 counted: about 7 words, or 12 CJK characters
MIN_SCORE = 500  # CLD2's normalised score under which an alphabetic guess is noise ("Brasília" -> Danish)
# characters only one Chinese script writes (common ones, in pairs: Simplified, Traditional)
_SIMPLIFIED = re.compile("[这个们来说为对时会过还没发经动国与门问间关开见长东车马书学习实现样点电话应该让么亲业员种认识听语读写请谁买卖热钱觉头"
                         "统组织项选择历网络简单图传设计结构进运输划务质]")
_TRADITIONAL_ONLY = re.compile("[這個們來說為對時會過還沒發經動國與門問間關開見長東車馬書學習實現樣點電話應該讓麼親業員種認識聽語讀寫請誰買賣熱錢覺頭"
                               "統組織項選擇歷網絡簡單圖傳設計結構進運輸劃務質]")


def _traditional(utf8: bytes) -> bool:
    """Does the text use Traditional characters, and (nearly) no Simplified ones?"""
    text = utf8.decode("utf-8", "ignore")
    trad = len(_TRADITIONAL_ONLY.findall(text))
    return trad >= 3 and trad > 4 * len(_SIMPLIFIED.findall(text))


TRADITIONAL_BYTES = 150  # about 50 CJK characters
_KANA = re.compile(rb"\xe3[\x81-\x83]")  # U+3040-U+30FF in UTF-8
_HANGUL = re.compile(rb"[\xea-\xed][\x80-\xbf]")
