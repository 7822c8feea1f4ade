"""SUP001: a baseline entry that no longer matches a finding."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.model import Finding, Severity


class UnusedSuppression(DatasetCheck):
    """An entry of the baseline file matches fewer findings than it suppresses.

    What it does: when lint runs with a baseline (`--baseline`), reports each entry (a rule, a
    data file, a record fingerprint, a JSON pointer and a count) that matched fewer findings than
    its count, at the entry's line in the baseline file. Only entries for files linted in this run
    and rules selected in this run are judged.
    Why it matters: a stale entry would silently suppress the same problem if it came back (the
    record restored from an old copy); removing it keeps the baseline an exact list of accepted
    debt, shrinking as the data is fixed.
    Example: the baseline accepts 2 `placeholder` (CNT003) findings in train.jsonl; one record was
    fixed, so 1 of 2 is unused. Refresh the file with `--write-baseline`.
    Options: none. The finding is made by the baseline, not by reading records.
    """

    code = "SUP001"
    name = "unused-suppression"
    category = "suppression"
    severity = Severity.WARNING

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        return iter(())
