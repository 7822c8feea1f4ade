"""The hostile-input property suite's helpers (tests/test_hostile_props.py): strategies that
generate records, files and byte mutations of ../shared/datasets (strategies.py), the properties
every run of ftdata must keep (checks.py) and the on-demand campaign (campaign.py).

Budget: each property runs a few examples in CI (deterministic: the profile in tests/conftest.py);
FTDATA_FUZZ_EXAMPLES=N (or FTDATA_FUZZ=long, 5,000) runs N per property, at random, as a campaign."""
from __future__ import annotations

import os

from hypothesis import Phase

LONG_EXAMPLES = 5000
# no shrinking unless FTDATA_FUZZ_SHRINK=1: shrinking a failing lint can take minutes and the CI budget
# is one; the campaign keeps the smallest input of each distinct failure instead
PHASES = [p for p in Phase if p is not Phase.shrink or os.environ.get("FTDATA_FUZZ_SHRINK")]


def budget(ci: int, share: float = 1.0) -> int:
    """Examples per property: `ci` by default; on demand FTDATA_FUZZ_EXAMPLES (or 5,000 with
    FTDATA_FUZZ=long) times `share` (a slow property, or one of many parametrised ones, takes less)."""
    given = os.environ.get("FTDATA_FUZZ_EXAMPLES", "").strip()
    if not given and os.environ.get("FTDATA_FUZZ", "").strip().lower() == "long":
        given = str(LONG_EXAMPLES)
    return max(ci if not given else 1, round(int(given) * share)) if given else ci


# Defects of other areas, open while this suite was written. A generic property does not generate
# (or assert) what only reproduces one of these; the test named after it is xfail(strict=False).
# Remove an entry (and its xfail) once fixed: the generic properties then cover it too.
OPEN_DEFECTS: dict[str, str] = {
    # e.g. "gzip-fingerprints": "record_keys: sarif output on a truncated gzip exits 2 without a word",
}

# the campaign (FTDATA_FUZZ_RECORD) generates and asserts everything: it records failures, known or not
KNOWN: dict[str, str] = {} if os.environ.get("FTDATA_FUZZ_RECORD", "").strip() else OPEN_DEFECTS
# how the failure of a generic property looks when it is one of the open defects: such an example is
# passed over there (its own xfail test tracks it), so that the property keeps checking everything else
SYMPTOMS: dict[str, str] = {
    # e.g. "dedupe-recursion": r"RecursionError",
}
