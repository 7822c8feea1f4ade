"""STY002: an answer that breaks a style convention the rest of the dataset keeps."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.style._profile import ALL, STRUCTURAL, Summary, summary
from ftdata.model import Finding, Record, Severity
from ftdata.style import keys_of, NAMES

_STRUCTURE = NAMES.index("structure")
BATCH = 5000  # deviating answers whose records are re-read at once
KEYS = "\x00keys\x00"  # stands for an answer's JSON keys in a message until its record is read


class StyleDeviationOptions(CheckOptions):
    min_share: float = Field(0.95, gt=0.5, lt=1, description="share of the answers a feature applies to that "
                                                             "must agree for it to be a convention")
    min_answers: int = Field(20, ge=2, description="features that apply to fewer answers are not judged")
    ignore_features: tuple[str, ...] = Field((), description="features not judged, by name (e.g. 'first person')")


class StyleDeviation(DatasetCheck):
    """An answer departs from a style the dataset's other answers clearly agree on.

    What it does: profiles every trained assistant turn (layout, headings, bullets and their
    marker, numbered lists, bold, tables, code fences and whether they name a language, chatty
    opening and closing phrases, first person, letter case, final punctuation, straight or
    curly quotes, emoji, language, JSON structure and key order, `<think>` layout, and length
    relative to the median). Where at least `min_share` (default 95%) of the answers a feature
    applies to share one value, each answer with another value is reported, with the share
    that made the convention. Features with no such majority are left alone, so deliberately
    varied data (open-ended chat) stays quiet; and structure (layout, headings, lists, bold,
    tables, code fences, length), which content decides in open-ended data, is judged only
    when the answers share one layout (one line, several lines or paragraphs). Classification
    data, whose answers are labels, is not judged (see the balance rules).
    Why it matters: a fine-tune learns the mixture it is shown; a few answers in another style
    are a style the model will sometimes produce.
    Example: "bullets: '* ', where 96% of answers have none" or "case: all caps, where 99% of
    cased answers have sentence case".
    Options: `min_share` (0.95), `min_answers` (20), `ignore_features` (names, as in the report).
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
        deviations: list[tuple[int, str]] = []  # (answer, what)
        layout = s.conventions[0]
        shaped = layout is not None and layout.share >= o.min_share  # the answers share one layout
        for j, (f, c) in enumerate(zip(ALL, s.conventions)):
            if c is None or c.answers < o.min_answers or c.share < o.min_share or f.name in o.ignore_features:
                continue
            if f.name in STRUCTURAL and not shaped:
                continue
            off = np.flatnonzero(s.domain(j) & (s.values[:, j] != c.value))
            said = {v: f"{f.name}: {s.label(j, v)}, where {_pct(c.share)} of {f.domain} have "
                       f"{s.label(j, c.value)}" for v in np.unique(s.values[off, j]).tolist()}
            deviations.extend((int(a), said[int(s.values[a, j])]) for a in off)
        if "JSON keys" not in o.ignore_features:
            deviations.extend(self._key_order(s, data))
        p = s.profiles
        turns_of = np.bincount(p.rows, minlength=data.n)  # profiled turns per record
        deviations.sort()
        for start in range(0, len(deviations), BATCH):  # records re-read a batch at a time: bounded memory
            batch = deviations[start:start + BATCH]
            records = data.fetch(np.unique(p.rows[[a for a, _ in batch]]))
            for a, what in batch:
                row, turn = int(p.rows[a]), int(p.turns[a])
                record = records.get(row)
                prefix = f"assistant turn {turn + 1}: " if turns_of[row] > 1 else ""
                if KEYS in what:
                    what = what.replace(KEYS, _keys(record, turn), 1)
                if record is None:
                    yield self.at(data, row, prefix + what)
                    continue
                m = record.messages[turn]
                yield self.at(data, row, prefix + what, m.content_pointer, m.content)

    def _key_order(self, s: Summary, data: Dataset) -> list[tuple[int, str]]:
        """JSON object answers whose top-level keys (names and order) differ from a convention;
        each answer's own keys are filled in for KEYS when its record is read."""
        objects = np.flatnonzero(s.values[:, _STRUCTURE] == 1)
        if len(objects) < self.options.min_answers:
            return []
        keys, counts = np.unique(s.profiles.keys[objects], return_counts=True)
        top = int(np.argmax(counts))
        share = counts[top] / len(objects)
        if share < self.options.min_share or len(keys) < 2:
            return []
        example = int(objects[s.profiles.keys[objects] == keys[top]][0])
        row = int(s.profiles.rows[example])
        convention = _keys(data.fetch(np.array([row])).get(row), int(s.profiles.turns[example]))
        said = f"JSON keys: {KEYS}, where {_pct(share)} of JSON object answers have {convention}"
        return [(int(a), said) for a in objects[s.profiles.keys[objects] != keys[top]]]


def _keys(record: Record | None, turn: int) -> str:
    if record is None:
        return "other keys"
    return "(" + ", ".join(keys_of(record.messages[turn].content)) + ")"


def _pct(share: float) -> str:
    """A share as a percentage that never rounds up to 100% (there are exceptions to it)."""
    return f"{share:.0%}" if share < 0.995 else f"{np.floor(share * 1000) / 10:.1f}%"
