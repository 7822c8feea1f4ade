"""BAL001: a classification set whose labels are far from evenly represented."""
from __future__ import annotations

from typing import Any, Iterator

from pydantic import Field

from ftdata.checks.balance._labels import judged, label_of
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.config import Settings
from ftdata.model import Finding, Record, Severity


class LabelImbalanceOptions(CheckOptions):
    max_ratio: float = Field(4.0, gt=1, description="most frequent / least frequent label count from which "
                                                     "the set is reported")


class LabelImbalance(DatasetCheck):
    """The most frequent label has many times the examples of the least frequent one.

    What it does: finds the labels (the final answers of classification-like data, or the
    `--label-field` / `--label-key` the user names), counts examples per label (distinct
    examples when the duplicate rules run) and reports the dataset when the largest count is at least
    `max_ratio` times the smallest, naming both labels, with the normalised entropy of the
    distribution (1.0: perfectly even). The label table is in the report's stats either way.
    Why it matters: a classifier fine-tuned on a skewed set learns the skew: it over-predicts
    the common labels and rarely produces the rare ones.
    Example: `card_arrival` 900 examples, `lost_card` 40 (ratio 22.5).
    Options: `max_ratio` (default 4).
    """

    code = "BAL001"
    name = "label-imbalance"
    category = "balance"
    severity = Severity.WARNING
    Options = LabelImbalanceOptions
    options: LabelImbalanceOptions

    def collects(self, settings: Settings) -> bool:
        return bool(settings.label_field or settings.label_key)  # else labels are final answers

    def collect(self, record: Record, settings: Settings) -> Any:
        return label_of(record, settings)

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        found = judged(data, values)
        if found is None:
            return
        table = found.table()
        counts = table["counts"]
        (top, most), (bottom, least) = next(iter(counts.items())), list(counts.items())[-1]
        if most >= self.options.max_ratio * least:
            yield self.finding(f"labels ({table['source']}) are imbalanced: {top!r} has {most:,} examples, "
                               f"{bottom!r} {least:,} (ratio {most / least:.1f}; normalised entropy "
                               f"{table['normalized_entropy']:.2f} over {len(counts)} labels)", file=data.file)
