"""FMT040: a file that mixes record formats."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.formats import NAMES
from ftdata.model import Finding, Severity


class MixedFormats(DatasetCheck):
    """A file mixes record formats (e.g. mostly OpenAI chat with some Alpaca records).

    What it does: finds the file's majority format and reports every record of another format,
    with the share that decided the majority.
    Why it matters: a trainer reads a file with one format and schema; minority records are
    rejected, or mis-read and trained on as garbage.
    Example: 980 `messages` records and 20 `instruction`/`output` records.
    Options: none.
    """

    code = "FMT040"
    name = "mixed-formats"
    category = "format"
    severity = Severity.ERROR

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        counts = data.format_counts()
        if len(counts) < 2:
            return
        major, n_major = next(iter(counts.items()))
        share = n_major / data.n
        major_code = NAMES.index(major)
        for i in (data.format_codes != major_code).nonzero()[0]:
            yield self.at(data, int(i), f"record is {data.format_of(int(i))}, but {share:.0%} of the file "
                                        f"({n_major:,} records) is {major}")
