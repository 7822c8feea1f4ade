"""STY003: the answers fall into two or more distinct styles."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.style._profile import ALL, Summary, na, summary
from ftdata.style import NAMES, UNKNOWN
from ftdata.model import Finding, Severity

SAMPLE = 3000  # answers the separation (silhouette) is measured on
_LANGUAGE = NAMES.index("language")


class StyleMixtureOptions(CheckOptions):
    max_modes: int = Field(4, ge=2, le=8, description="largest number of style modes tried")
    min_mode_share: float = Field(0.15, gt=0, lt=0.5, description="share of the answers each mode must hold")
    min_separation: float = Field(0.5, gt=0, lt=1, description="silhouette score (-1..1) from which modes are "
                                                               "well separated")
    min_answers: int = Field(50, ge=10, description="datasets with fewer answers are not judged")


class StyleMixture(DatasetCheck):
    """The answers are written in two or more distinct styles, each a substantial share.

    What it does: clusters the answers' style profiles (one-hot feature values, see
    style-deviation, but for language, which follows each prompt's and style-deviation judges
    against it) with k-means (scikit-learn) for 2 to `max_modes` clusters, keeps the
    count with the best silhouette score, and reports the modes when they are well separated
    (silhouette at least `min_separation`) and each holds at least `min_mode_share` of the
    answers: each mode's share, the features that set it apart (a value at least 80% of its
    answers share and the other modes' majority does not), and its first records.
    Why it matters: a model trained on a mixture produces the mixture, picking a style for
    reasons that have nothing to do with the request. Mixed sources (two generators, two
    annotation teams) leave this trace.
    Example: "answers fall into 2 style modes: 62% with paragraphs, '- ' bullets and **bold**;
    38% with one line and no bullets".
    Options: `max_modes` (4), `min_mode_share` (0.15), `min_separation` (0.5), `min_answers` (50).
    """

    code = "STY003"
    name = "style-mixture"
    category = "style"
    severity = Severity.INFO
    Options = StyleMixtureOptions
    options: StyleMixtureOptions
    profiles = True

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        s = summary(data)
        o = self.options
        if s is None or s.answers < o.min_answers:
            return
        distinct, inverse, counts = _distinct(s)
        modes = _modes(distinct, inverse, counts, o)
        if modes is None:
            return
        labels, separation = modes  # per distinct profile
        shares = np.bincount(labels, weights=counts) / counts.sum()
        order = np.argsort(-shares, kind="stable")
        traits = [_traits(s, distinct, counts, labels, m) for m in range(len(shares))]
        if any(not t for t in traits):  # a mode nothing sets apart: not a style of its own
            return
        per_answer = labels[inverse]
        firsts = {m: _first_rows(s, per_answer, m, 3) for m in order.tolist()}
        described = "; ".join(f"{shares[m]:.0%} with {', '.join(traits[m])}" for m in order)
        data.cache["style_modes"] = [{"share": round(float(shares[m]), 4), "traits": traits[m],
                                      "examples": [int(data.indices[r]) for r in firsts[m]]} for m in order]
        related = [r for m in order for r in firsts[m][:2]]
        yield self.finding(f"answers fall into {len(shares)} style modes (silhouette {separation:.2f}): {described}",
                           file=data.file, related=data.locations(related))


def _distinct(s: Summary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct profiles (feature values), each answer's, and how many answers have each:
    the clustering and its description then cost what the distinct profiles do."""
    shifts = np.cumsum([0] + [f.bits for f in ALL])[:-1]
    values = s.values.copy()
    values[:, _LANGUAGE] = UNKNOWN  # "n/a": answers follow their prompts' languages (style-deviation judges)
    packed = (values.astype(np.int64) << shifts).sum(axis=1)  # one integer per profile: a fast 1-D unique
    _, first, inverse, counts = np.unique(packed, return_index=True, return_inverse=True, return_counts=True)
    return values[first], inverse.reshape(-1), counts


def _modes(distinct: np.ndarray, inverse: np.ndarray, counts: np.ndarray,
           o: StyleMixtureOptions) -> tuple[np.ndarray, float] | None:
    """Per distinct profile its mode, and the separation, for the best clustering that qualifies."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import OneHotEncoder

    if len(distinct) < 2:
        return None
    x = OneHotEncoder(sparse_output=False).fit_transform(distinct)
    sample = inverse[np.linspace(0, len(inverse) - 1, min(SAMPLE, len(inverse))).astype(np.int64)]
    best: tuple[np.ndarray, float] | None = None
    for k in range(2, min(o.max_modes, len(distinct)) + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit(x, sample_weight=counts).labels_
        shares = np.bincount(labels, weights=counts, minlength=k) / counts.sum()
        if len(np.unique(labels[sample])) < 2 or shares.min() < o.min_mode_share:
            continue
        score = float(silhouette_score(x[sample], labels[sample]))
        if score >= o.min_separation and (best is None or score > best[1]):
            best = (labels, score)
    return best


def _traits(s: Summary, distinct: np.ndarray, counts: np.ndarray, labels: np.ndarray, m: int,
            within: float = 0.8) -> list[str]:
    """The feature values at least `within` of mode m's answers share, where the other answers'
    majority differs (values that mean "n/a" are no trait)."""
    inside = labels == m
    out = []
    for j in range(len(ALL)):
        size = len(ALL[j].values)
        counts_in = np.bincount(distinct[inside, j], weights=counts[inside], minlength=size)
        other = np.bincount(distinct[~inside, j], weights=counts[~inside], minlength=size)
        top = int(np.argmax(counts_in))
        if counts_in[top] >= within * counts_in.sum() and int(np.argmax(other)) != top and top != na(j):
            out.append(f"{ALL[j].name}={s.label(j, top)}")
    return out


def _first_rows(s: Summary, labels: np.ndarray, m: int, n: int) -> list[int]:
    rows = s.profiles.rows[labels == m]
    return [int(r) for r in np.unique(rows)[:n]]
