"""The labelled precision review's shared code: the runs (which files are linted, with which
options), the labels, one lint per run and the records themselves, used by
tests/test_review_precision.py and tests/review/sample.py."""
from __future__ import annotations

import gzip
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
DATASETS = HERE.parents[2] / "shared" / "datasets"  # ../shared/datasets next to the repository
RUNS = HERE / "runs.json"
LABELS = HERE / "labels.jsonl"


class Flag(NamedTuple):
    """One finding as the review keys it: file relative to DATASETS, 0-based record index
    (None for a dataset-level finding) and rule code."""
    file: str
    record_index: int | None
    rule: str


def runs() -> dict[str, dict[str, Any]]:
    """file -> lint options (eval files, label field), in the order of runs.json."""
    return {k: v for k, v in json.loads(RUNS.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def labels() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def family(rule: str) -> str:
    """The rule's category (format, volume, length, duplicates, leakage, balance, style, content)."""
    from ftdata.registry import find
    check = find(rule)
    return check.category if check is not None else "unknown"


def lint(file: str, options: dict[str, Any]) -> dict[Flag, dict[str, Any]]:
    """Every finding of one run, keyed per record: default settings (no configuration file), one
    worker, per-record findings (collapse off when such an option exists). Findings on the eval
    files of the run are keyed to those files."""
    import inspect

    import ftdata
    from ftdata.config import Settings

    opts = dict(options)
    if "eval" in opts:
        opts["eval"] = tuple(str(DATASETS / e) for e in opts["eval"])
    per_record = "collapse" in inspect.signature(ftdata.lint).parameters
    if per_record:
        opts["collapse"] = False
    elif "collapse" in Settings.model_fields:
        opts["collapse"] = False
        per_record = True
    report = ftdata.lint(str(DATASETS / file), jobs=1, **opts)
    out: dict[Flag, dict[str, Any]] = {}
    for f in report.findings:
        rel = os.path.relpath(f.file, DATASETS).replace(os.sep, "/") if f.file else file
        d = f.to_dict()
        if not per_record and (getattr(f, "count", None) or 1) > 1:  # grouped: its records are in `related`
            for loc_file, *_, i in f.related:
                loc = os.path.relpath(loc_file, DATASETS).replace(os.sep, "/") if loc_file else rel
                out.setdefault(Flag(loc, i, f.rule), d)
        out.setdefault(Flag(rel, f.record_index, f.rule), d)
    return out


def lint_all(only: set[str] | None = None) -> dict[Flag, dict[str, Any]]:
    found: dict[Flag, dict[str, Any]] = {}
    for file, options in runs().items():
        if only is None or file in only or any(e in only for e in options.get("eval", ())):
            found.update(lint(file, options))
    return found


def records(file: str) -> list[Any]:
    """The file's records in order, as record_index counts them (a .json array's elements, a
    JSON Lines file's non-blank lines)."""
    path = DATASETS / file
    opener = gzip.open if file.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    if file.endswith(".json"):
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    out = []
    for line in text.splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line)
    return out


def tally(found: dict[Flag, Any], judged: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per family: tp (flagged, labelled defect), fp (flagged, labelled clean), miss (labelled
    defect, not flagged), tn (labelled clean, not flagged)."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "miss": 0, "tn": 0})
    for lab in judged:
        flagged = Flag(lab["file"], lab["index"], lab["rule"]) in found
        key = ("tp" if lab["defect"] else "fp") if flagged else ("miss" if lab["defect"] else "tn")
        table[family(lab["rule"])][key] += 1
    return dict(sorted(table.items()))
