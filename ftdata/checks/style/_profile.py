"""What the style rules share: the dataset's answers decoded into feature values, and the
convention of each feature (its most common value and that value's share).

Two features are derived here rather than in the scan: the length band, relative to the
dataset's median answer, and the bullet marker among bulleted answers. Answers written in
plain ASCII letters, where the scan does not run language detection, take the language of a
sample of them when the sample agrees (`_resolve_plain`).
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ftdata import style
from ftdata.checks.base import Dataset
from ftdata.style import FEATURES, PLAIN, UNKNOWN, Feature

LENGTH_RATIO = 8.0  # an answer this many times shorter or longer than the median is out of the typical band
LENGTH_Z = 4.0  # ... and this many robust standard deviations (1.4826 MAD) of log length off it
LENGTH = Feature("length", ("typical", "much shorter", "much longer"), "answers")
BULLET_MARKER = Feature("bullet marker", ("n/a", "'- '", "'* '", "'• '", "'+ '"), "bulleted answers", True)
ALL = (*FEATURES, BULLET_MARKER, LENGTH)
# what an answer's content decides in open-ended data (a list for a list question): judged only
# when the answers share one layout
STRUCTURAL = frozenset({"layout", "headings", "bullets", "numbered lists", "bold", "tables", "code fences", "length"})
_BULLETS = style.NAMES.index("bullets")
_LANGUAGE = style.NAMES.index("language")
PLAIN_SAMPLE = 200  # plain-ASCII answers whose language is detected to name theirs
PLAIN_AGREEMENT = 0.9  # share of the sample that must agree


class Convention(NamedTuple):
    value: int  # the most common value
    share: float  # its share of the answers the feature applies to
    answers: int  # how many answers the feature applies to
    counts: np.ndarray  # answers per value (n/a included)


class Summary(NamedTuple):
    profiles: style.Profiles
    values: np.ndarray  # (answers x len(ALL)) feature values
    conventions: tuple[Convention | None, ...]  # per feature of ALL; None when it applies to no answer
    median_chars: float

    @property
    def answers(self) -> int:
        return len(self.values)

    def label(self, j: int, value: int) -> str:
        return ALL[j].values[value]

    def domain(self, j: int) -> np.ndarray:
        """Answers feature j applies to."""
        return np.asarray(self.values[:, j] != na(j))

    def table(self) -> dict[str, Any]:
        """The profile as the report's stats give it: per feature its convention, its share of
        the answers it applies to, and the count of every value."""
        features: dict[str, Any] = {}
        for j, (f, c) in enumerate(zip(ALL, self.conventions)):
            if c is None:
                continue
            order = sorted((v for v in range(len(c.counts)) if c.counts[v] and v != na(j)), key=lambda v: -c.counts[v])
            features[f.name] = {"convention": self.label(j, c.value), "share": round(c.share, 4), "of": f.domain,
                                "answers": c.answers, "values": {self.label(j, v): int(c.counts[v]) for v in order}}
        return {"answers": self.answers, "records": int(len(np.unique(self.profiles.rows))),
                "median_chars": round(self.median_chars, 1), "features": features,
                "system_prompts": _system_prompts(self.profiles.systems)}


def na(j: int) -> int:
    """The value of feature j that means "does not apply" (-1: it applies to every answer)."""
    return UNKNOWN if j == _LANGUAGE else 0 if ALL[j].conditional else -1


def summary(data: Dataset) -> Summary | None:
    """The dataset's style summary (computed once, in data.cache["style"]), or None when there
    is nothing to profile: no answers, or answers that are labels (classification data)."""
    if "style" not in data.cache:
        profiles: style.Profiles | None = data.cache.get("profiles")
        result = None
        if profiles is not None and len(profiles.codes) and not data.labels():
            result = _summarise(data, profiles)
        data.cache["style"] = result
    return data.cache["style"]  # type: ignore[no-any-return]


def _summarise(data: Dataset, profiles: style.Profiles) -> Summary:
    values = np.empty((len(profiles.codes), len(ALL)), np.uint8)
    values[:, :len(FEATURES)] = profiles.values()
    values[:, len(FEATURES)] = values[:, _BULLETS]  # the marker, among bulleted answers (0: n/a)
    median = float(np.median(profiles.chars))
    values[:, -1] = _length_band(profiles.chars, median)
    resolved = _resolve_plain(data, profiles, values[:, _LANGUAGE])
    if resolved is not None:  # plain ASCII answers take the sample's language
        values[values[:, _LANGUAGE] == PLAIN, _LANGUAGE] = resolved
    conventions = []
    for j in range(len(ALL)):
        counts = np.bincount(values[:, j], minlength=len(ALL[j].values))
        if na(j) >= 0:
            counts_in = counts.copy()
            counts_in[na(j)] = 0
        else:
            counts_in = counts
        total = int(counts_in.sum())
        top = int(np.argmax(counts_in))
        conventions.append(Convention(top, counts_in[top] / total, total, counts) if total else None)
    return Summary(profiles, values, tuple(conventions), median)


def _length_band(chars: np.ndarray, median: float) -> np.ndarray:
    """0 typical, 1 much shorter, 2 much longer: LENGTH_RATIO times off the median, and LENGTH_Z
    robust deviations off it on a log scale, so that data whose lengths vary widely by nature
    (open chat: "Yes." and an essay) has no length convention to break."""
    off = np.abs(np.log(np.maximum(chars, 1).astype(np.float64)) - np.log(max(median, 1.0)))
    far = off > LENGTH_Z * (1.4826 * float(np.median(off)))  # 1.4826 MAD: a robust standard deviation
    return np.where(far & (chars * LENGTH_RATIO < median), 1, np.where(far & (chars > median * LENGTH_RATIO), 2, 0))


def _resolve_plain(data: Dataset, profiles: style.Profiles, language: np.ndarray) -> int | None:
    """The language a sample of plain-ASCII answers agrees on (CLD2 on each), or None."""
    plain = np.flatnonzero(language == PLAIN)
    if not len(plain):
        return None
    picked = plain[np.linspace(0, len(plain) - 1, min(PLAIN_SAMPLE, len(plain))).astype(np.int64)]
    records = data.fetch(np.unique(profiles.rows[picked]))
    found = []
    for a in picked:
        record = records.get(int(profiles.rows[a]))
        if record is not None:
            text = record.messages[int(profiles.turns[a])].content
            found.append(style.language_of(text.encode("utf-8", "surrogatepass")))
    found = [f for f in found if f != UNKNOWN]
    if len(found) < 10:
        return None
    counts = np.bincount(found)
    top = int(np.argmax(counts))
    return top if counts[top] >= PLAIN_AGREEMENT * len(found) else None


def _system_prompts(systems: np.ndarray) -> dict[str, Any]:
    """How many records have a system prompt, how many distinct ones, the most used one's share."""
    with_system = systems[systems != 0]
    if not len(with_system):
        return {"records": 0, "variants": 0}
    _, counts = np.unique(with_system, return_counts=True)
    return {"records": int(len(with_system)), "variants": int(len(counts)),
            "most_used_share": round(float(counts.max() / len(with_system)), 4)}
