"""DUP001: a record identical to an earlier one."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import of, where
from ftdata.model import Finding, Severity
from ftdata.similarity import groups


class ExactDuplicate(DatasetCheck):
    """A record is identical to an earlier record (same canonical JSON: key order and spacing
    do not matter).

    What it does: hashes every record's canonical JSON and reports each copy after the first,
    naming the first and the other copies in `related`.
    Why it matters: duplicates silently reweight the fine-tune toward what is repeated, and
    inflate the apparent size of the dataset (the volume verdict counts distinct examples).
    Example: the same `{"messages": [...]}` line three times: lines 2 and 3 are reported.
    Options: none.
    """

    code = "DUP001"
    name = "exact-duplicate"
    category = "duplicates"
    severity = Severity.WARNING
    fingerprints = "exact"

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        for first, rows in groups(of(data).exact_root).items():
            for r in rows[1:]:
                others = [x for x in rows[:6] if x != r][:5]  # not the whole group: it may be huge
                yield self.at(data, r, f"identical to {where(data, first)} ({len(rows)} copies in all)",
                              related=data.locations(others))
