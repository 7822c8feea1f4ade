"""How an answer ends, for the dataset-relative view of truncated-answer (CNT004): where nearly
every answer of a set ends in its usual way (a finished sentence, a final-answer line such as
"#### 42" or "The answer is 7."), an answer that stops on an operator, a currency sign, half a
number or half a word was cut, although on its own ("... costs $", "... in 19") it could be
anything."""
from __future__ import annotations

import re

from ftdata.checks.content._text import CODE_LINE, LIST_ITEM, looks_like_code

NONE, SENTENCE, FINAL, OPEN, OTHER, SIGN = 0, 1, 2, 3, 4, 5  # classes of an answer's end
# a final-answer line: "#### 42", "The answer is 42", "Answer: B", "\boxed{7}", "答案是 5"
FINAL_LINE = re.compile(r"^\s*#{4}\s*\S|\banswer\b[^\n]{0,20}?(?:\bis\b|[:：=])|\\boxed\{|答案|结果是", re.IGNORECASE)
_SENTENCE_ENDS = frozenset(".!?。！？…")
_MARKUP = "*_\"'”’)]}»」』】）`"
# what a line stops on when it was cut mid-expression: an operator, a sign, a separator
_DANGLING_SIGNS = frozenset("=+-*/^<×÷,:$€£¥₹(（[{，、：")


def ending(text: str) -> int:
    """The class of an answer's end (trailing whitespace and special tokens already removed):
    SENTENCE, FINAL (a final-answer line), SIGN (it stops where nothing ends: on an operator, a
    sign or a separator), OPEN (on a word or a number in a prose line of several words, not CJK:
    cut, or only missing its full stop), or OTHER (labels, lists, headings, code, URLs, closing
    markup, which can end an answer as they are)."""
    t = text.rstrip()
    if not t:
        return NONE
    last = t[t.rfind("\n") + 1:].strip()
    if ("#" in last or "nswer" in last or "NSWER" in last or "boxed" in last or "答案" in last or "结果是" in last) \
            and FINAL_LINE.search(last):  # substring tests first: most last lines have none
        return FINAL
    end = t[-1]
    if end in _SENTENCE_ENDS:
        return SENTENCE
    bare = t.rstrip(_MARKUP)
    if bare != t:  # closing markup or quotes: finished if a sentence ends inside them
        return SENTENCE if bare and bare[-1] in _SENTENCE_ENDS else OTHER
    if not (end.isalnum() or end in _DANGLING_SIGNS):
        return OTHER
    if last.startswith(("#", "|", ">")) or LIST_ITEM.match(last) or "://" in last or "@" in last.rsplit(" ", 1)[-1]:
        return OTHER
    # a word or a number: only in prose, a line of several words; not in Chinese or Japanese,
    # whose writers often leave the last 。 out of a finished answer
    if end.isalnum() and (ord(end) >= 0x2E80 or last.count(" ") < 3):
        return OTHER
    if looks_like_code(t) or "\n" in t and CODE_LINE.search(t):
        return OTHER
    if end.isalnum():
        return OPEN
    token = last.rsplit(" ", 1)[-1]
    # a rule line ("---"), C++, a price written 25$, a path /usr/bin/: complete as they are
    if not any(c.isalnum() for c in last) or token.endswith("++") or end in "$€£¥₹" and token[:-1].isdigit() \
            or token.count("/") >= 2:
        return OTHER
    return SIGN


def describe(text: str) -> str:
    """What an OPEN end stops on, for a message."""
    end = text.rstrip()[-1:]
    if end.isdigit():
        return "mid-number"
    if end.isalpha():
        return "mid-sentence"
    return f"on {end!r}"
