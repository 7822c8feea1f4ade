"""CNT004: an answer that stops before it is finished: mid-sentence, inside a code fence, a bracket or a list."""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import answers, looks_like_code, turn_of
from ftdata.checks.content._words import CONTRACTION, DANGLING, QUESTION_START, STARTERS, WEAK, weak_ending
from ftdata.checks.content.special_token import TOKEN
from ftdata.model import PREFERENCE, SFT, UNPAIRED, Finding, Record, Severity

# special tokens at the very end (another rule reports them): <|endoftext|>, </s>, <eos>, ...
_SPECIAL_END = re.compile(rf"(?:\s*(?:{TOKEN}|</s>))+\s*\Z")
# a CommonMark fence line: three or more backticks or tildes, then an info string
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})([^\n]*)$", re.M)
# characters an answer can end with as it is: sentence ends, closers, markup, symbols
_FINE_END = frozenset(".!?;。！？；…)]}>\"'”’»」』】）〕`*_|~/\\%$#+=^&@°℃") | frozenset("0123456789")
_CLOSERS = frozenset(")]}）”」』»")
_EMOTICON_EYES = frozenset(":;=8")
_OPEN_END = frozenset("([{（「『“«")
_BRACKET = re.compile(r'[()\[\]{}（）“”「」『』«»"]')
_COMMAS = frozenset(",，、")
_COLONS = frozenset(":：")
_EMPTY_ITEM = re.compile(r"(?:\d{1,3}[.)]|[-*+•])")
_ITEM = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[-*+•])[ \t]+\S")
# a sentence's end: after a letter or a closing quote (not "3." of a list), or CJK punctuation
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]|[\"'”’)])[.!?](?:[\"'”’)\]]*)(?:\s|$)|[。！？]")
# a line only code has: a block header ("for i in x:"), or a statement ending in ";" or a brace
_CODE_LINE = re.compile(r"^[ \t]*(?:(?:def|class|for|while|if|elif|else|with|try|except)\b[^\n]*:|[^\n]*[;{}])[ \t]*$", re.M)
_BLOCK_OPENER = re.compile(r"[ \t]*(?:def|class|if|elif|else|for|while|try|except|finally|with|switch|case)\b")
_SIGN_OFF = re.compile(r"(?:regards|sincerely|thanks|thank you|cheers|yours|wishes|love|respectfully|cordially"
                       r"|best|warmly),\Z", re.IGNORECASE)
LONG = 500  # characters: a short answer's last words without a full stop are more often a label or a sign-off


class Cut(NamedTuple):
    kind: str  # fence, bracket, list, colon, comma, word
    detail: str  # what a message says after the turn's label


def ending(text: str, width: int = 78) -> str:
    """The end of an answer on one line, for an excerpt (which keeps the start of what it is given)."""
    flat = " ".join(strip_end(text)[-3 * width:].split())
    return flat if len(flat) <= width else "…" + flat[-width + 1:]


def strip_end(text: str) -> str:
    """The text without trailing whitespace and special tokens."""
    t = text.rstrip()
    if t.endswith(">"):
        t = _SPECIAL_END.sub("", t)
    return t


def open_fence(text: str) -> tuple[int, int | None] | None:
    """Where a code fence is left open: its 1-based line, and the line that meant to close it but
    has text after the backticks ("``` More text."), if one did; None when every fence closes.
    As CommonMark, except that a line opening with backticks and holding more backticks
    ("```E1: `x` - y") opens a fence too, as its writer meant, closed by any backtick fence; that
    "```x``` y" is a code span; and that a bare fence last, after other fences, with nothing
    after it, is a stray closing fence rather than a block begun."""
    opened: tuple[str, int, int, bool] | None = None  # (character, length to close, position, bare)
    fences, near = 0, -1
    for m in _FENCE_LINE.finditer(text):
        fence, info = m.group(1), m.group(2)
        if opened is None:
            if fence[0] == "`" and "```" in info:  # "```x``` y" on one line is a code span
                continue
            loose = fence[0] == "`" and "`" in info
            opened, near = (fence[0], 3 if loose else len(fence), m.start(), not info.strip()), -1
            fences += 1
        elif fence[0] == opened[0] and len(fence) >= opened[1]:
            if not info.strip():
                opened = None
            elif near < 0 and info[:1] in " \t":  # "``` text", not "```python" opening another block
                near = m.start()
    if opened is None or opened[3] and fences > 1 and not text[opened[2]:].strip(" \t\n`~"):
        return None
    return text.count("\n", 0, opened[2]) + 1, text.count("\n", 0, near) + 1 if near >= 0 else None


def unclosed(line: str) -> tuple[str, int] | None:
    """The last bracket or quote opened in `line` and never closed, with its position."""
    stack: list[tuple[str, int]] = []
    quote = -1  # position of an open straight double quote
    for m in _BRACKET.finditer(line):
        c, i = m.group(), m.start()
        if c == '"':
            quote = -1 if quote >= 0 else i
        elif c in _CLOSERS:
            if stack:
                stack.pop()  # any closer closes: a half-open interval "[0, 1)" is balanced
        elif not (c == "(" and (i and line[i - 1] in _EMOTICON_EYES or line[i + 1:i + 2] == ":")):  # :( (:
            stack.append((c, i))
    if quote >= 0 and (quote == 0 or not line[quote - 1].isalnum()) and (not stack or stack[-1][1] < quote):
        return '"', quote
    return stack[-1] if stack else None


def _tail(t: str, words: int = 4) -> str:
    """The last few words of `t`'s last line, for a message."""
    line = t[t.rfind("\n") + 1:].strip()
    snippet = " ".join(line.split(" ")[-words:]).strip()
    return snippet if len(snippet) <= 40 else "…" + snippet[-39:]


def _prose_lines(t: str) -> list[str]:
    """The non-empty lines of `t` outside code fences, headings and tables, stripped."""
    out, fenced = [], False
    for line in t.split("\n"):
        s = line.strip()
        if s.startswith(("```", "~~~")):
            fenced = not fenced
        elif s and not fenced and not s.startswith(("#", "|")):
            out.append(s)
    return out


def _punctuated(t: str, last: str) -> bool:
    """Do the answer's other sentences end in punctuation, so that a last one without stands out?
    Yes when the last line has finished sentences before its end, or when there are at least two
    other lines of its kind (list items, or prose) and all end in punctuation."""
    if _SENTENCE_END.search(last):
        return True
    item = bool(_ITEM.match(last))
    same = [s for s in _prose_lines(t)[:-1] if bool(_ITEM.match(s)) == item and s[-1] not in ":："]
    return len(same) >= 2 and all(s[-1] in ".!?。！？" or s.endswith((".)", '."', ".”")) for s in same)


def _last_sentence(last: str) -> str:
    """The last line's text after its last finished sentence."""
    ends = [m.end() for m in _SENTENCE_END.finditer(last)]
    return last[ends[-1]:].strip() if ends else last


def _empty_item(t: str) -> Cut | None:
    """A last line that is a list marker alone ("3.", "-") after a list item: an empty item."""
    last = t[t.rfind("\n") + 1:].strip()
    if _EMPTY_ITEM.fullmatch(last):
        before = t[:len(t) - len(last)].rstrip()
        previous = before[before.rfind("\n") + 1:]
        if _ITEM.match(previous) and last[0].isdigit() == previous.lstrip()[0].isdigit():
            return Cut("list", f"ends with an empty list item {last!r}")
    return None


def truncation(text: str) -> Cut | None:
    """Why an answer looks cut off before its end, or None. Judges the end only: a code fence left
    open; an opening bracket, or an empty list item, last; and in prose, a bracket or quote opened
    in the last line and never closed, or a last sentence that stops on a colon, a comma, a word
    no sentence ends with, or (in a long answer whose other sentences end in punctuation) a
    sentence just begun. Ordered so that most answers are settled by their last character."""
    t = text.rstrip()
    if not t:
        return None
    end = t[-1]
    if end == ">":
        t = _SPECIAL_END.sub("", t)
        if not t:
            return None
        end = t[-1]
    if ("`" in t or "~" in t) and ("```" in t or "~~~" in t):  # one-character tests first: 3x faster
        fence = open_fence(t)
        if fence is not None:
            opened, near = fence
            if near is None:
                return Cut("fence", f"leaves a code fence open (opened at line {opened})")
            return Cut("fence", f"leaves the code fence opened at line {opened} open: line {near} has text "
                                f"after its closing backticks")
    if end in _FINE_END:
        # "3." after items 1 and 2 is an empty item; the answer "42." is not
        return _empty_item(t) if end in ".)*+" and len(t) - t.rfind("\n") <= 16 else None
    if end in _OPEN_END:
        if end == "(" and len(t) > 1 and t[-2] in ":;=8-":  # :( :-(
            return None
        return Cut("bracket", f"ends with {end!r} unclosed")
    newline = t.rfind("\n")
    last = t[newline + 1:].strip()
    if newline >= 0 and last in ("-", "•"):
        return _empty_item(t)
    if " " not in last and newline < 0 and (ord(end) < 0x2E80 or len(t) < 10):
        return None  # one token: a label, a number, a word
    cut = _prose_end(t, last, end)
    if cut is None or last.startswith("#"):
        return None
    # code, by its share of code lines or by one line only code has: only a block with no body counts
    if looks_like_code(t) or newline >= 0 and _CODE_LINE.search(t):
        return cut if cut.kind == "colon" and _BLOCK_OPENER.match(last) else None
    return cut


def _prose_end(t: str, last: str, end: str) -> Cut | None:
    """What is wrong with the end of `t`, read as prose (the caller rules out code)."""
    if end in _COLONS:
        return Cut("colon", f"ends on a colon with nothing after it: {_tail(t, 6)!r}")
    letter = end.isalpha()
    if not (letter or end in _COMMAS):
        return None
    if _BRACKET.search(last):
        opener = unclosed(last)
        if opener is not None and not _SENTENCE_END.search(last, opener[1]):
            return Cut("bracket", f"ends with {opener[0]!r} unclosed: {_tail(t)!r}")
    if not letter:
        lines = _prose_lines(t)
        if sum(1 for s in lines[:-1] if s[-1] in _COMMAS) * 3 >= max(1, len(lines) - 1) or _SIGN_OFF.search(t):
            return None  # a poem, data lines, or a letter's sign-off
        return Cut("comma", f"ends mid-sentence on a comma: {_tail(t)!r}")
    if ord(end) >= 0x2E80:  # CJK: no words to judge, and writers often leave the last 。 out
        return None
    words = last.rsplit(" ", 2)
    word = words[-1]
    lower = word.lower()
    if len(words) > 1 and (lower in DANGLING or lower in WEAK or CONTRACTION.search(word)):
        previous = words[-2]
        # a capitalised word after a lowercase one is a name or a title ("Plan A", "... quick The")
        if word[0].islower() or previous[-1:] in ".!?:" or word == "I":
            if lower in DANGLING and word != "A":
                return Cut("word", f"ends mid-sentence after {_tail(t)!r}")
            if weak_ending(previous, word) and _punctuated(t, last) \
                    and _last_sentence(last).split(" ")[0].lower() not in QUESTION_START:
                return Cut("word", f"ends mid-sentence after {_tail(t)!r}")
    if len(t) >= LONG:  # a sentence begun and stopped at once after finished ones ("... in. While Bitcoin")
        fresh = _last_sentence(last)
        if fresh != last and fresh.count(" ") <= 2 and fresh.split(" ")[0].lower() in STARTERS \
                and _punctuated(t, last):
            return Cut("word", f"ends mid-sentence after {_tail(t)!r}")
    return None


class TruncatedAnswer(RecordCheck):
    """A trained answer stops before it is finished.

    What it does: looks at the end of every trained assistant turn (for preference data the
    chosen answer; for KTO the desirable ones), after trailing whitespace and special tokens
    such as `<|endoftext|>`: a code fence left open; an opening bracket, or a bracket or quote
    opened in the last line and never closed; an empty last list item; and, in prose, a last
    sentence that stops on a comma, a colon, or a word no sentence ends with ("the", "and");
    and, where the answer's other sentences end in punctuation, one that stops on a word that
    rarely ends a sentence ("to", "of", "is", but not "what are you looking for", "if you want
    to"), or, in a long answer, just after it began ("... to invest in. While Bitcoin").
    Short answers (labels, numbers, "Yes."), code without fences, headings, poems, Chinese or
    Japanese text without a final 。, and sign-offs ("Best regards,") are left alone; so is a
    sentence that merely lacks its full stop, which is too often complete to call cut.
    Rejected and undesirable (KTO) answers are not judged: a cut-off rejected answer is a fine
    negative example, and the model is not trained to write it.
    Why it matters: the model learns to stop mid-thought; answers cut at a generation limit
    are a common defect of distilled data.
    Example: `{"role": "assistant", "content": "The main causes are poverty, poor soil and the"}`.
    Options: none.
    """

    code = "CNT004"
    name = "truncated-answer"
    category = "content"
    severity = Severity.WARNING
    tasks = frozenset({SFT, PREFERENCE, UNPAIRED})

    def check(self, record: Record) -> Iterator[Finding]:
        for m in answers(record):
            cut = truncation(m.content)
            if cut is not None:
                yield self.finding(f"{turn_of(record, m).label} {cut.detail}", record, m.content_pointer,
                                   ending(m.content))
