"""STY002: an answer that breaks a style convention the rest of the dataset keeps."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from pydantic import Field, field_validator

from ftdata.answers import prompt_before
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.style import _requests
from ftdata.checks.style._profile import ALL, STRUCTURAL, Summary, summary
from ftdata.config import comma_list, did_you_mean
from ftdata.model import Finding, Record, Severity
from ftdata.style import CODES, LANGUAGES, NAMES, PLAIN, keys_of, language_index

_STRUCTURE = NAMES.index("structure")
_LANGUAGE = NAMES.index("language")
BATCH = 5000  # deviating answers whose records are re-read at once
KEY_ORDER = -1  # stands for the JSON keys feature in a deviation
KEYS = "\x00keys\x00"  # stands for an answer's JSON keys in a message until its record is read
FEATURE_NAMES = (*(f.name for f in ALL), "JSON keys")


class StyleDeviationOptions(CheckOptions):
    min_share: float = Field(0.95, gt=0.5, lt=1, description="share of the answers a feature applies to that "
                                                             "must agree for it to be a convention")
    min_strict_share: float = Field(0.995, gt=0.5, le=1, description="the same for the features whose departures "
                                    "are mostly harmless variation: all but language, JSON structure and keys, "
                                    "<think> layout and an 'As an AI' opening")
    minor: bool = Field(False, description="also report the departures that are mostly harmless variation (a 'Sure' "
                        "opener, a closing line, lower case, emoji, quotes, bullet markers, layout, length), "
                        "against a near-unanimous habit or as strays")
    min_answers: int = Field(20, ge=2, description="features that apply to fewer answers are not judged")
    ignore_features: tuple[str, ...] = Field((), description="features not judged, by name (e.g. 'first person'); "
                                                             "a comma-separated string is split")

    @field_validator("ignore_features", mode="before")
    @classmethod
    def _known_features(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = comma_list(value)
        for name in value if isinstance(value, (list, tuple)) else ():
            if isinstance(name, str) and name not in FEATURE_NAMES:
                raise ValueError(f"unknown feature {name!r}{did_you_mean(name, FEATURE_NAMES, ';')} "
                                 f"(features: {', '.join(FEATURE_NAMES)})")
        return value


class StyleDeviation(DatasetCheck):
    """An answer departs from a style the dataset's other answers clearly agree on, unprompted.

    What it does: profiles every trained assistant turn (layout, headings, bullets and their
    marker, numbered lists, bold, tables, code fences and whether they name a language, chatty
    opening and closing phrases, first person, letter case, final punctuation, straight or
    curly quotes, emoji, language, JSON structure and key order, `<think>` layout, and length
    relative to the median). Where at least `min_share` (default 95%) of the answers a feature
    applies to share one value, each answer with another value is reported, with the share
    that made the convention; unless its prompt (the user turn before it) accounts for it:
    an all-caps answer to "uppercase this", French to "translate into French" or to a French
    question, a JSON array to a prompt holding or asking for one, a list to "give me some
    ideas", a greeting back to "hi", the sign-off, voice and emoji of a drafted email, post or
    letter. A departure that is a defect wherever most answers agree (another language, prose
    or broken JSON among JSON answers, a broken `<think>` layout, an "As an AI" disclaimer, an
    all-caps answer) needs `min_share`. The others (a 'Sure' opener, a closing line, lower
    case, emoji, quotes, bullet markers, layout, length, ...) are harmless variation a reviewer
    rarely wants fixed, so they are reported only with `minor = true`, and then against a
    near-unanimous habit (`min_strict_share`, 99.5%) or as strays (at most 2 answers): emoji
    only the latter, quote style and bullet markers both. English opening and closing
    phrases are judged in English data only; a record with no prompt (pre-training text)
    only for language, JSON structure and `<think>`; and the features content decides in
    open-ended data (layout, headings, lists, bold, tables, code fences, length) also need
    answers that share one layout, and length lengths that vary little. Code and JSON answers
    are judged by their own conventions, not prose ones (case, final punctuation, quotes,
    first person, language).
    Languages: the language feature covers CLD2's languages, on answers with enough letters
    (about 7 words, or 12 CJK characters; Japanese needs kana, Traditional Chinese 50
    characters); first person is English (I/I'm/my/me as pronouns, not the I of "stage I",
    "World War I" or "IGF-I"); requests are recognised in English and Chinese. Answers in plain
    ASCII letters take the language a sample of them agrees on, so an unaccented French answer
    in an English set goes unseen. Classification data, whose answers are labels, is not
    judged (see the balance rules).
    Why it matters: a fine-tune learns the mixture it is shown; a few answers in another style
    are a style the model will sometimes produce.
    Example: "language: English, where 96% of answers have Chinese" (an English answer to a
    Chinese prompt) or "case: all caps, where 99.5% of cased answers have sentence case".
    Options: `minor` (false), `min_share` (0.95), `min_strict_share` (0.995), `min_answers` (20),
    `ignore_features` (names as in the report, e.g. "first person,language").
    """

    code = "STY002"
    name = "style-deviation"
    category = "style"
    severity = Severity.WARNING
    Options = StyleDeviationOptions
    options: StyleDeviationOptions
    profiles = True

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        s = summary(data)
        if s is None:
            return
        o = self.options
        deviations: list[tuple[int, int, int]] = []  # (answer, feature, value)
        layout = s.conventions[0]
        shaped = layout is not None and (layout.share >= o.min_strict_share or  # the answers share one layout
                                         round((1 - layout.share) * layout.answers) <= STRAY)
        for j, (f, c) in enumerate(zip(ALL, s.conventions)):
            if c is None or c.answers < o.min_answers or f.name in o.ignore_features or c.share < o.min_share:
                continue
            if f.name in STRUCTURAL and not shaped or j == _LANGUAGE and c.value not in CODES:
                continue  # no layout convention; a language convention of unresolved plain ASCII
            off = np.flatnonzero(s.domain(j) & (s.values[:, j] != c.value))
            if not o.minor or not _habit_judged(f.name, c.share >= o.min_strict_share, len(off) <= STRAY):
                off = off[np.isin(s.values[off, j], [v for v in range(len(f.values)) if _substantive(f.name, f.values[v])])]
            if f.name in _PHRASES and not _english(s):
                continue  # English phrases in a dataset in another language: its language feature speaks
            deviations.extend((int(a), j, int(s.values[a, j])) for a in off)
        said: dict[int, str] = {}
        if "JSON keys" not in o.ignore_features:
            said = self._key_order(s, data)
            deviations.extend((a, KEY_ORDER, 0) for a in said)
        p = s.profiles
        turns_of = np.bincount(p.rows, minlength=data.n)  # profiled turns per record
        deviations.sort()
        for start in range(0, len(deviations), BATCH):  # records re-read a batch at a time: bounded memory
            batch = deviations[start:start + BATCH]
            records = data.fetch(np.unique(p.rows[[a for a, _, _ in batch]]))
            for a, j, value in batch:
                row, turn = int(p.rows[a]), int(p.turns[a])
                record = records.get(row)
                prefix = f"assistant turn {turn + 1}: " if turns_of[row] > 1 else ""
                what = said[a].replace(KEYS, _keys(record, turn), 1) if j == KEY_ORDER else \
                    self._judged(s, j, value, record, turn)
                if what is None:
                    continue
                if record is None:
                    yield self.at(data, row, prefix + what)
                    continue
                m = record.messages[turn]
                yield self.at(data, row, prefix + what, m.content_pointer, m.content)

    def _judged(self, s: Summary, j: int, value: int, record: Record | None, turn: int) -> str | None:
        """The deviation's message, or None where its prompt accounts for it (or, for language,
        a closer reading finds the convention's language, or too little text to tell)."""
        f, c = ALL[j], s.conventions[j]
        assert c is not None
        label = s.label(j, value)
        if record is not None:
            answer = record.messages[turn].content
            prompt = prompt_before(record.messages, turn)
            if not prompt.strip() and f.name not in SUBSTANTIVE:
                return None  # a document with no prompt (pre-training text): its voice and case are its own
            if j == _LANGUAGE:
                found = _requests.language(answer, prompt, CODES[c.value])
                if found is None:
                    return None
                label = LANGUAGES[language_index(found)]
            elif _requests.explained(f.name, label, answer, prompt, s.label(j, c.value)):
                return None
        elif j == _LANGUAGE and value == PLAIN:
            return None
        return f"{f.name}: {label}, where {_pct(c.share)} of {f.domain} have {s.label(j, c.value)}"

    def _key_order(self, s: Summary, data: Dataset) -> dict[int, str]:
        """JSON object answers whose top-level keys (names and order) differ from a convention;
        each answer's own keys are filled in for KEYS when its record is read."""
        objects = np.flatnonzero(s.values[:, _STRUCTURE] == 1)
        if len(objects) < self.options.min_answers:
            return {}
        keys, counts = np.unique(s.profiles.keys[objects], return_counts=True)
        top = int(np.argmax(counts))
        share = counts[top] / len(objects)
        if share < self.options.min_share or len(keys) < 2:
            return {}
        example = int(objects[s.profiles.keys[objects] == keys[top]][0])
        row = int(s.profiles.rows[example])
        convention = _keys(data.fetch(np.array([row])).get(row), int(s.profiles.turns[example]))
        said = f"JSON keys: {KEYS}, where {_pct(share)} of JSON object answers have {convention}"
        return {int(a): said for a in objects[s.profiles.keys[objects] != keys[top]]}


def _substantive(feature: str, value: str) -> bool:
    """Is this departure a defect wherever the dataset mostly agrees (an answer in another language,
    prose or broken JSON among JSON, a broken <think> layout, an "As an AI" disclaimer), rather than
    a variation that counts only against a near-unanimous habit (a 'Sure' opener, curly quotes)?
    An all-caps answer nobody asked for is the first kind."""
    return feature in SUBSTANTIVE or (feature, value) in (("opening", "'As an AI'"), ("case", "all caps"))


SUBSTANTIVE = frozenset({"language", "structure", "reasoning"})
STRAY = 2  # departures from a habit short of min_strict_share that are still strays, not a habit of their own
TYPOGRAPHY = frozenset({"quotes", "bullet marker"})  # render alike: only strays from a near-unanimous habit


def _habit_judged(feature: str, near_unanimous: bool, stray: bool) -> bool:
    """Are the harmless departures from a feature's convention reported: where the convention is
    near-unanimous or they are strays (one or two answers); for emoji only strays; for quote
    style and bullet marker (which render alike) only strays from a near-unanimous habit."""
    if feature in TYPOGRAPHY:
        return near_unanimous and stray
    return stray if feature == "emoji" else near_unanimous or stray


_PHRASES = ("opening", "closing")


def _english(s: Summary) -> bool:
    """Is the dataset's language English (or plain ASCII letters)?"""
    c = s.conventions[_LANGUAGE]
    return c is None or c.value == PLAIN or CODES.get(c.value) == "en"


def _keys(record: Record | None, turn: int) -> str:
    if record is None:
        return "other keys"
    return "(" + ", ".join(keys_of(record.messages[turn].content)) + ")"


def _pct(share: float) -> str:
    """A share as a percentage that never rounds up to 100% (there are exceptions to it)."""
    return f"{share:.0%}" if share < 0.995 else f"{np.floor(share * 1000) / 10:.1f}%"
