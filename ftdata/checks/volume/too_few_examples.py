"""VOL002: too few examples to learn a behaviour."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.volume._size import describe, judged
from ftdata.model import Finding, Severity


class TooFewExamples(DatasetCheck):
    """The dataset is above the provider minimum but below the minimum to learn a behaviour.

    What it does: reports when the number of distinct examples (duplicates collapsed, when the
    duplicate checks run) is below `volume.minimum` (default 50), and the file is not already
    below the provider minimum.
    Not judged when under half of the file's records are in a format ftdata recognises (a CSV,
    unknown keys): the size is then unknown, and the format rules report each record.
    Why it matters: below about 50 examples fine-tunes rarely change behaviour reliably
    (OpenAI's guidance: start with 50-100 well-crafted examples).
    Example: 30 examples.
    Options: `minimum` in the configuration's `[volume]` table (`--min-examples`).
    """

    code = "VOL002"
    name = "too-few-examples"
    category = "volume"
    severity = Severity.ERROR

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        v = data.settings.volume
        if judged(data) and data.n >= v.provider_minimum and data.distinct < v.minimum:
            yield self.finding(f"{describe(data)}; too few to learn a behaviour (at least {v.minimum})",
                               file=data.file)
