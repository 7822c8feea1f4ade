"""SUP002: an ignore by record id that suppresses nothing."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.model import Finding, Severity


class UnusedRecordIgnore(DatasetCheck):
    """An ignore by record id in the configuration matched no record, or no finding.

    What it does: with `id-field` set and ignores listed by id in the configuration, reports each
    ignore whose id no linted record holds, or whose record has no finding of the rules it names,
    at the configuration file.
    Why it matters: an id that is misspelt, or a record that was fixed or removed, leaves an
    ignore that does nothing today but would hide a new problem on a record reusing the id.
    Example: `{id = "conv-0042", reason = "template is intended", rules = ["CNT003"]}` after
    the placeholder in conv-0042 was filled in.
    Options: none. The finding is made from the configuration, not by reading records.
    """

    code = "SUP002"
    name = "unused-record-ignore"
    category = "suppression"
    severity = Severity.WARNING

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        return iter(())
