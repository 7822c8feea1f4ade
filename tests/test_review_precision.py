"""The labelled precision review (tests/review/): each rule family must keep precision >= 0.9 on
hand-labelled findings of the real datasets in ../shared/datasets, and every (file, rule) group the
lint reports on a reviewed file must carry at least one label, so a new noisy rule cannot hide.
Run with -s to see the per-family table (TP, FP, misses, precision, recall)."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from independent import needs_datasets

sys.path.insert(0, str(Path(__file__).resolve().parent / "review"))
import harness  # noqa: E402

pytestmark = needs_datasets
MIN_FLAGGED = 5  # a family is held to the bar once it has this many flagged labelled findings
MIN_PRECISION = 0.9


@pytest.fixture(scope="module")
def found() -> dict[harness.Flag, dict[str, Any]]:
    return harness.lint_all()


def table_text(table: dict[str, dict[str, int]]) -> str:
    rows = [f"{'family':<11} {'TP':>4} {'FP':>4} {'miss':>5} {'precision':>9} {'recall':>7}"]
    for fam, c in table.items():
        flagged, defects = c["tp"] + c["fp"], c["tp"] + c["miss"]
        prec = f"{c['tp'] / flagged:.2f}" if flagged else "-"
        rec = f"{c['tp'] / defects:.2f}" if defects else "-"
        rows.append(f"{fam:<11} {c['tp']:>4} {c['fp']:>4} {c['miss']:>5} {prec:>9} {rec:>7}")
    return "\n".join(rows)


def test_labels_are_well_formed() -> None:
    from ftdata.registry import find

    labels = harness.labels()
    runs = harness.runs()
    covered = set(runs) | {e for o in runs.values() for e in o.get("eval", ())}
    keys = Counter((x["file"], x["index"], x["rule"]) for x in labels)
    assert not [k for k, n in keys.items() if n > 1], "a (file, index, rule) is labelled twice"
    sizes: dict[str, int] = {}
    bad = []
    for x in labels:
        if set(x) != {"file", "index", "rule", "defect", "why"} or not isinstance(x["defect"], bool) \
                or not x["why"].strip() or find(x["rule"]) is None or x["file"] not in covered:
            bad.append(x)
            continue
        if x["index"] is not None:
            n = sizes.setdefault(x["file"], len(harness.records(x["file"])))
            if not 0 <= x["index"] < n:
                bad.append(x)
    assert not bad, f"malformed labels (or a file missing from tests/review/runs.json): {bad[:5]}"


def test_precision_per_family(found: dict[harness.Flag, dict[str, Any]]) -> None:
    table = harness.tally(found, harness.labels())
    text = table_text(table)
    print("\n" + text)
    low = [fam for fam, c in table.items()
           if c["tp"] + c["fp"] >= MIN_FLAGGED and c["tp"] / (c["tp"] + c["fp"]) < MIN_PRECISION]
    false_alarms = Counter(x["rule"] for x in harness.labels() if not x["defect"] and harness.family(x["rule"]) in low
                           and harness.Flag(x["file"], x["index"], x["rule"]) in found)
    assert not low, (f"precision under {MIN_PRECISION} for {low}:\n{text}\nfalse alarms per rule: "
                     f"{dict(false_alarms.most_common())} (see the labels' why)")


def test_every_reported_group_is_labelled(found: dict[harness.Flag, dict[str, Any]]) -> None:
    labelled = {(x["file"], x["rule"]) for x in harness.labels()
                if harness.Flag(x["file"], x["index"], x["rule"]) in found}
    groups = Counter((k.file, k.rule) for k in found)
    missing = sorted(f"{file} {rule} ({n} findings)" for (file, rule), n in groups.items()
                     if (file, rule) not in labelled)
    assert not missing, ("findings no label covers; label a sample (python tests/review/sample.py --new-groups):\n  "
                         + "\n  ".join(missing))
