"""CNT009: an answer caught in a generation loop, repeating the same sentence, line or phrase."""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from pydantic import Field

from ftdata.checks.base import CheckOptions, RecordCheck
from ftdata.checks.content._text import answers, prompts, turn_of
from ftdata.model import PREFERENCE, SFT, UNPAIRED, Finding, Record, Severity

PROBE = 10  # characters of each probe: short enough to sit inside a repeated sentence
SHORTEST = 100  # characters: a shorter answer is not judged
# the prompt asked for repetition ("say it 10 times", "repeat after me"), or for a song or a poem
_ASKED = re.compile(r"\brepeat|\btimes\b|\bagain and again\b|\bover and over\b|\bchant|\bmantra|\blyric|\bsong"
                    r"|\bpoem|\brefrain|\bchorus", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_ENDS = "\n.!?。！？"
_SENTENCE_START = re.compile(r"(?:[.!?。！？]\s*|\n)")  # the end of what comes before a sentence
_CODE = re.compile(r"[<>{}=;_\\]|\w\(")  # markup or code: repeated by design (rows, cells, calls)


class Loop(NamedTuple):
    unit: str  # the text that repeats, as found
    repeats: int  # non-overlapping occurrences in the answer
    share: float  # share of the answer's characters they cover

    def shown(self, limit: int = 50) -> str:
        flat = " ".join(self.unit.split())
        return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _common(text: str, i: int, j: int, step: int) -> int:
    """How far text[i:] and text[j:] agree (step 1), or text[:i] and text[:j] backwards (step -1):
    compared a slice at a time, since a loop can run to thousands of characters."""
    k = 0
    while True:
        width = 64 if k < 256 else 1024
        if step > 0:
            a, b = text[i + k:i + k + width], text[j + k:j + k + width]
        else:
            a, b = text[max(0, i - k - width):i - k][::-1], text[max(0, j - k - width):j - k][::-1]
        if a == b and len(a) == width:
            k += width
            continue
        for x, y in zip(a, b):
            if x != y:
                break
            k += 1
        return k


def _unit_at(text: str, pos: int) -> tuple[str, bool]:
    """The repeated text around the probe at `pos`: the period of a loop running through it, or
    else the longest whole sentences or lines that the probe's first two occurrences share ("" when
    they share only part of one: "Your teacher is a" in a list of insults is structure, not a loop);
    and whether it is a loop (its copies follow one another)."""
    probe = text[pos:pos + PROBE]
    first = text.find(probe)
    second = text.find(probe, first + 1)
    right = _common(text, first, second, 1)
    left = _common(text, first, second, -1)
    start, period = first - left, second - first
    if left + right >= period:  # the match runs into itself: a loop with this period
        # begin the unit where a sentence or line begins, else a word ("am sorry. I " -> "I am sorry. ")
        word = -1
        for at in range(start, start + period):
            before = text[at - 1] if at else "\n"
            if before in _ENDS or before == " " and at > 1 and text[at - 2] in _ENDS:
                return text[at:at + period], True
            if word < 0 and before in " \t":
                word = at
        at = word if word >= 0 else start
        return text[at:at + period], True
    stretch = text[start:first + right]
    # whole sentences or lines only: from a sentence's start to a sentence's end
    a = 0 if start == 0 or text[start - 1] in _ENDS else -1
    if a < 0:
        m = _SENTENCE_START.search(stretch)
        a = m.end() if m else len(stretch)
    end = first + right
    if end < len(text) and text[end] != "\n" and not stretch.endswith(tuple(_ENDS)):
        cut = max(stretch.rfind(c) for c in _ENDS)
        stretch = stretch[:cut + 1] if cut >= 0 else ""
    return stretch[a:] if a < len(stretch) else "", False


def repetition(text: str, min_repeats: int = 5, min_share: float = 0.3) -> Loop | None:
    """A loop in `text`: a unit of at least two words (six letters) whose copies follow one another
    `min_repeats` times or more, covering at least `min_share` of it; a whole sentence or line
    recurring between others, or a single word, needs twice the repeats. Four probes of ten
    characters, at the quarters and the end, are counted first (at C speed): a repeated stretch
    covering more than a quarter of the text holds one, which then occurs several times."""
    n = len(text)
    if n < SHORTEST:
        return None
    step = (n - PROBE) // 4
    tried: list[str] = []
    for pos in (step, 2 * step, 3 * step, n - PROBE):
        probe = text[pos:pos + PROBE]
        if text.count(probe) < 4 or probe.isspace() or any(probe in t for t in tried):
            continue
        unit, consecutive = _unit_at(text, pos)
        unit = unit.strip()
        if len(unit) < 2:
            continue
        tried.append(unit)
        count = text.count(unit)
        loop = Loop(unit, count, count * len(unit) / n)
        if loop.share < min_share or _CODE.search(unit) or unit.startswith("|"):
            continue
        words, letters = len(unit.split()), len(_LETTER.findall(unit))
        dense = ord(max(unit)) >= 0x2E80  # Chinese and Japanese: words without spaces, a few characters each
        if dense:
            words = max(words, letters // 2)
        # a sentence recurring between others is a refrain or a list's pattern more often than a
        # loop, and one word is a loop only when long: both need twice the repeats
        needed = min_repeats if consecutive and words >= 2 else 2 * min_repeats
        if letters >= (6 if words >= 2 and not dense else 3) and count >= needed:
            return loop
    return None


class RepetitionOptions(CheckOptions):
    min_repeats: int = Field(5, ge=2, description="times a sentence or phrase must occur (twice this for one word)")
    min_share: float = Field(0.3, gt=0, le=1, description="share of the answer's characters the repeats must cover")


class Repetition(RecordCheck):
    """A trained answer repeats the same sentence, line or phrase over and over, the mark of a
    generation loop.

    What it does: finds the stretch of each trained assistant turn that repeats most: a loop's
    period (copies one after another), or a whole sentence or line that recurs between others.
    It reports a loop of at least two words that runs `min_repeats` times (5), or a recurring
    sentence, line or single word that occurs twice that often, when the copies cover at least
    `min_share` (30%) of the answer. Units without letters (rules of dashes, zeros), markup and
    code (rows, cells, calls) and table rows are ignored, and so are answers to prompts that ask
    for repetition ("say it 10 times", "repeat after me"), songs or poems. The thresholds are far
    looser than the Gopher web-text filters (a fifth of a document's characters in duplicate
    lines) because chat answers are short and repeat structure legitimately: a list's shared
    prefix, a table, code, a refrain. Rejected and undesirable answers are not judged.
    Sentences and lines are found in any language (CJK sentence marks included); the prompts
    that ask for repetition, songs or poems are recognised in English.
    Why it matters: degenerate loops come from sampling a model with too little repetition
    penalty or too many tokens; trained on, they teach the model to loop.
    Example: "I am sorry. I am sorry. I am sorry. ..." fourteen times in one answer.
    Options: `min_repeats` (5), `min_share` (0.3).
    """

    code = "CNT009"
    name = "repetition"
    category = "content"
    severity = Severity.WARNING
    tasks = frozenset({SFT, PREFERENCE, UNPAIRED})
    Options = RepetitionOptions
    options: RepetitionOptions

    def check(self, record: Record) -> Iterator[Finding]:
        o = self.options
        for m in answers(record):
            text = m.content
            if len(text) < SHORTEST:  # as repetition() does, without the call: most answers are short
                continue
            loop = repetition(text, o.min_repeats, o.min_share)
            if loop is None or any(_ASKED.search(p) or loop.unit in p for p in prompts(record)):
                continue
            start = text.find(loop.unit)
            yield self.finding(f"{turn_of(record, m).label} repeats {loop.shown()!r} {loop.repeats} times "
                               f"({loop.share:.0%} of its text)", record, m.content_pointer,
                               text[start:start + 200])
