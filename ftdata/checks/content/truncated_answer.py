"""CNT004: an answer that stops before it is finished: mid-sentence, inside a code fence, a bracket or a list."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NamedTuple

import numpy as np
from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.content import _ending
from ftdata.checks.content._text import CODE_LINE, LIST_ITEM, answers, looks_like_code, prompts, turn_of
from ftdata.checks.content._words import CONTRACTION, DANGLING, QUESTION_START, STARTERS, WEAK, weak_ending
from ftdata.checks.content.special_token import TOKEN
from ftdata.model import PREFERENCE, SFT, UNPAIRED, Finding, Message, Record, Severity

if TYPE_CHECKING:
    from ftdata.config import Settings

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
# a sentence's end: after a letter or a closing quote (not "3." of a list), or CJK punctuation
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]|[\"'”’)])[.!?](?:[\"'”’)\]]*)(?:\s|$)|[。！？]")
_BLOCK_OPENER = re.compile(r"[ \t]*(?:def|class|if|elif|else|for|while|try|except|finally|with|switch|case)\b")
_SIGN_OFF = re.compile(r"(?:regards|sincerely|thanks|thank you|cheers|yours|wishes|love|respectfully|cordially"
                       r"|best|warmly),\Z", re.IGNORECASE)
# an empty form field ("Email:", "Phone number: ___") and a line asking the reader to pick or type
_FIELD = re.compile(r"[^\W\d][\w'’/()-]*(?: [\w'’/()-]+){0,2}[:：][ _.]*")
# a last sentence asking the reader to choose or type ("Please choose a gun type:"); "Choose one of
# the following:" with nothing after it has lost its options
_ASK_READER = re.compile(r"(?i)(?:please |now )?(?:choose|select|pick|enter|type|input|specify|tell me)\b(?!.*\b(?:following|below)\b)"
                         r"|请(?:选择|输入)(?!.*(?:以下|如下))")
# a prompt asking for a function's signature or header only: "def gcd(x, y):" is the whole answer
_HEADER_ONLY = re.compile(r"(?i)\bsignature|\bfunction header|\bheader (?:of|for) (?:a|the) function|\bdeclaration|\bstub\b")
_CHOOSE = re.compile(r"(?i)\b(?:choose|choice|select|pick|enter|type|input|option|command|move|action)\b|选择|输入")
BATCH = 5000  # answers re-read at once for the dataset-relative view
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
    item = bool(LIST_ITEM.match(last))
    same = [s for s in _prose_lines(t)[:-1] if bool(LIST_ITEM.match(s)) == item and s[-1] not in ":："]
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
        if LIST_ITEM.match(previous) and last[0].isdigit() == previous.lstrip()[0].isdigit():
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
    if looks_like_code(t) or newline >= 0 and CODE_LINE.search(t):
        return cut if cut.kind == "colon" and _BLOCK_OPENER.match(last) else None
    return cut


def _awaits_input(t: str, last: str) -> bool:
    """Does `t` end in a form or a menu left for the reader to fill in: a short label after
    another empty field ("Name:\nEmail:"), or a prompt to choose after a list of options
    ("1. Start\n2. Quit\nChoose an option:")?"""
    if last.count(" ") > 5:
        return False
    before = t[:t.rfind("\n") + 1].rstrip()
    previous = before[before.rfind("\n") + 1:].strip()
    if _FIELD.fullmatch(previous):
        return True
    return bool(LIST_ITEM.match(previous)) and previous.count(" ") <= 6 and _CHOOSE.search(last) is not None


def _prose_end(t: str, last: str, end: str) -> Cut | None:
    """What is wrong with the end of `t`, read as prose (the caller rules out code)."""
    if end in _COLONS:
        if _awaits_input(t, last) or _ASK_READER.match(_last_sentence(last)):
            return None
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


class TruncatedAnswerOptions(CheckOptions):
    min_share: float = Field(0.95, gt=0.5, lt=1, description="share of the answers that must end in a finished "
                                                             "sentence or a final-answer line for an answer that "
                                                             "stops on a sign, a number or a word to be called cut")
    min_answers: int = Field(20, ge=2, description="sets with fewer judged answers get no dataset-relative view")


class TruncatedAnswer(DatasetCheck):
    """A trained answer stops before it is finished.

    What it does: looks at the end of every trained assistant turn (for preference data the
    chosen answer; for KTO the desirable ones), after trailing whitespace and special tokens
    such as `<|endoftext|>`: a code fence left open; an opening bracket, or a bracket or quote
    opened in the last line and never closed; an empty last list item; and, in prose, a last
    sentence that stops on a comma, a colon, or a word no sentence ends with ("the", "and");
    and, where the answer's other sentences end in punctuation, one that stops on a word that
    rarely ends a sentence ("to", "of", "is", but not "what are you looking for", "if you want
    to"), or, in a long answer, just after it began ("... to invest in. While Bitcoin").
    Then, relative to the dataset: where at least `min_share` (95%) of the final answers end
    in a finished sentence or a final-answer line ("#### 42", "The answer is 7."), an answer
    that instead stops on an operator, "=" or a currency sign ("... costs $") is reported with
    that share; where most end on a final-answer line, so is one without it that stops on a
    number or a word in prose ("... born in 19", "... the remai"), which in a set of plain
    sentences could merely lack its full stop.
    Short answers (labels, numbers, "Yes."), code without fences, headings, poems, Chinese or
    Japanese text without a final 。, sign-offs ("Best regards,"), and forms or menus that end
    on empty fields by design ("Name:\nEmail:", "3. Quit\nChoose an option:") or ask the user
    to choose ("Please choose a gun type:", not "… one of the following:"), and a block opener
    alone ("def gcd(x, y):") where the prompt asks for a signature or header, are left alone;
    so is a sentence that merely lacks its full stop, unless the dataset's convention says so.
    Word rules cover English; brackets, fences, lists, commas, colons and the dataset-relative
    view cover any language (CJK punctuation included).
    Rejected and undesirable (KTO) answers are not judged: a cut-off rejected answer is a fine
    negative example, and the model is not trained to write it.
    Why it matters: the model learns to stop mid-thought; answers cut at a generation limit
    are a common defect of distilled data.
    Example: `{"role": "assistant", "content": "The main causes are poverty, poor soil and the"}`.
    Options: `min_share` (0.95), `min_answers` (20).
    """

    code = "CNT004"
    name = "truncated-answer"
    category = "content"
    severity = Severity.WARNING
    tasks = frozenset({SFT, PREFERENCE, UNPAIRED})
    Options = TruncatedAnswerOptions
    options: TruncatedAnswerOptions

    def check(self, record: Record, trained: list[Message] | None = None) -> Iterator[Finding]:
        """The findings of one record on its own (what the answer's end alone shows)."""
        for m in answers(record) if trained is None else trained:
            cut = truncation(m.content)
            if cut is not None and cut.kind == "colon" and "\n" not in m.content.strip() \
                    and any(_HEADER_ONLY.search(t) for t in prompts(record)):
                continue  # the signature asked for: a block opener with no body is the whole answer
            if cut is not None:
                yield self.finding(f"{turn_of(record, m).label} {cut.detail}", record, m.content_pointer,
                                   ending(m.content))

    def run(self, records: Iterable[Record]) -> list[Finding]:
        """Run on its own, record by record (no dataset-relative view), e.g. in a notebook."""
        return [f for r in records if r.task in self.tasks for f in self.check(r)]

    def collect(self, record: Record, settings: Settings) -> Any:
        """The class of the final answer's end (`_ending`), with the record's own findings if any."""
        if record.task not in self.tasks:
            return _ending.NONE
        final = answers(record)
        found = tuple(self.check(record, final))
        kind = _ending.ending(strip_end(final[-1].content)) if final else _ending.NONE
        return (kind, found) if found else kind

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        kinds = np.zeros(len(values), np.int8)
        for i, v in enumerate(values):
            if type(v) is tuple:
                kinds[i] = _ending.NONE  # reported already: neither convention nor candidate
                yield from v[1]
            else:
                kinds[i] = v
        judged = int((kinds != _ending.NONE).sum())
        if judged < self.options.min_answers or data.labels():
            return
        sentence, final = int((kinds == _ending.SENTENCE).sum()), int((kinds == _ending.FINAL).sum())
        share = (sentence + final) / judged
        if share < self.options.min_share:
            return
        # where answers end on a final-answer line, one without it that stops on a word or a number
        # was cut; where they end on a sentence, such an answer may only lack its full stop, so
        # only one that stops on an operator or a sign is
        lined = final >= 0.5 * judged
        usual, shown = ("a final-answer line", final) if lined else ("a finished sentence", sentence)
        if min(final, sentence) >= 0.05 * judged:
            usual, shown = "a finished sentence or a final-answer line", final + sentence
        said = f"ends {{}}, where {_pct(shown / judged)} of {judged:,} answers end with {usual}"
        rows = np.flatnonzero((kinds == _ending.SIGN) | (kinds == _ending.OPEN) if lined else kinds == _ending.SIGN)
        for first in range(0, len(rows), BATCH):  # records re-read a batch at a time: bounded memory
            batch = rows[first:first + BATCH]
            records = data.fetch(batch)
            for row in batch.tolist():
                record = records.get(row)
                final_turns = answers(record) if record is not None else []
                if record is None or not final_turns:
                    yield self.at(data, row, "final answer " + said.format("unfinished"))
                    continue
                m = final_turns[-1]
                text = strip_end(m.content)
                yield self.at(data, row, f"{turn_of(record, m).label} " + said.format(
                    f"{_ending.describe(text)} after {_tail(text)!r}"), m.content_pointer, ending(m.content))


def _pct(share: float) -> str:
    """A share as a percentage that never rounds up to 100%."""
    return f"{share:.0%}" if share < 0.995 else f"{int(share * 1000) / 10:.1f}%"
