"""VOL003: fewer examples than recommended."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.volume._size import describe, judged
from ftdata.model import Finding, Severity


class FewExamples(DatasetCheck):
    """The dataset meets the minimum but is below the recommended size.

    What it does: reports when the number of distinct examples (duplicates collapsed) is at
    least `volume.minimum` and below `volume.recommended` (default 100). The report's stats give the size recommended for the
    kind of task detected.
    Not judged when under half of the file's records are in a format ftdata recognises (a CSV,
    unknown keys): the size is then unknown, and the format rules report each record.
    Why it matters: results at this size are often disappointing; quality improves steadily
    with more consistent examples.
    Example: 70 examples.
    Options: `recommended` in the configuration's `[volume]` table (`--recommended-examples`).
    """

    code = "VOL003"
    name = "few-examples"
    category = "volume"
    severity = Severity.WARNING

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        v = data.settings.volume
        if judged(data) and data.n >= v.provider_minimum and v.minimum <= data.distinct < v.recommended:
            yield self.finding(f"{describe(data)}; {v.recommended} or more are recommended", file=data.file)
