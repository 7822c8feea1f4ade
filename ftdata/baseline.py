"""Suppressions kept outside the data (JSONL has no comments): a baseline of accepted findings
keyed by rule and a content fingerprint of the record, and ignores by record id."""
from __future__ import annotations

from typing import Sequence

from ftdata.model import Finding


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A content fingerprint of each finding's record (not its line number)."""
    raise NotImplementedError
