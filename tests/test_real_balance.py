"""Label balance (BAL001-BAL003) on real intent datasets: banking77 (77 intents, 35-187 examples
each) and clinc150's imbalanced split (150 intents). Every count is checked against the source
files read independently (csv, json), not against ftdata.

Skipped cleanly when ../shared/datasets is absent (a user's clone has no ../shared).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import ftdata
from independent import DATASETS, REPORT_SCHEMA, banking, chat, normalise

if not DATASETS.is_dir():
    pytest.skip("../shared/datasets is absent", allow_module_level=True)


def test_banking77_label_table_is_the_csv_counts(tmp_path: Path) -> None:
    rows = banking("train")
    report = ftdata.lint(str(chat(rows, tmp_path / "train.jsonl")), ignore=("duplicates",), jobs=1)
    table = report.stats["files"][0]["labels"]
    counts = Counter(label for _, label in rows)
    assert table["counts"] == dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    assert table["labels"] == 77 and min(counts.values()) == 35 and max(counts.values()) == 187
    assert table["imbalance_ratio"] == round(187 / 35, 2)
    schema = REPORT_SCHEMA
    Draft202012Validator(schema).validate(json.loads(json.dumps(report.to_dict())))
    # 187 / 35 > 4: reported, naming both ends
    (finding,) = [f for f in report.findings if f.rule == "BAL001"]
    assert f"{max(counts, key=counts.get)!r} has 187" in finding.message and "35 (ratio 5.3" in finding.message
    # rare: under half the fair share (10,003 / 77 = 130), counted independently
    rare = {label for label, n in counts.items() if n < 0.5 * len(rows) / 77}
    assert {f.message.split("'")[1] for f in report.findings if f.rule == "BAL002"} == rare


def test_clinc150_imbalanced_split(tmp_path: Path) -> None:
    data = json.loads((DATASETS / "clinc150" / "data_imbalanced.json").read_text(encoding="utf-8"))
    rows = [(text, label) for text, label in data["train"]]
    counts = Counter(label for _, label in rows)
    report = ftdata.lint(str(chat(rows, tmp_path / "train.jsonl")), ignore=("duplicates",), jobs=1)
    assert report.stats["files"][0]["labels"]["counts"] == dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    fair = len(rows) / len(counts)
    rare = {label for label, n in counts.items() if n < 10 or n < 0.5 * fair}
    assert rare and {f.message.split("'")[1] for f in report.findings if f.rule == "BAL002"} == rare
    assert [f.rule for f in report.findings if f.rule == "BAL001"] == ["BAL001"]


def test_banking77_duplicates_are_collapsed_before_counting(tmp_path: Path) -> None:
    rows = banking("train")
    report = ftdata.lint(str(chat(rows, tmp_path / "train.jsonl")), jobs=1)
    table = report.stats["files"][0]["labels"]
    assert table["examples"] == report.stats["files"][0]["volume"]["distinct_examples"] < len(rows)


def test_labels_missing_from_training_are_reported_on_the_eval_set(tmp_path: Path) -> None:
    dropped = {"card_swallowed", "lost_or_stolen_phone"}
    train = chat([r for r in banking("train") if r[1] not in dropped], tmp_path / "train.jsonl")
    test_rows = banking("test")
    evaluation = chat(test_rows, tmp_path / "test.jsonl")
    report = ftdata.lint(str(train), eval=[str(evaluation)], jobs=1)
    unseen = [f for f in report.findings if f.rule == "BAL003"]
    assert {f.message.split("'")[1] for f in unseen} == dropped
    for f in unseen:  # on the label's first evaluation record, with its count
        label = f.message.split("'")[1]
        assert f.file == str(evaluation) and f.line == 1 + [lab for _, lab in test_rows].index(label)
        assert f"({sum(lab == label for _, lab in test_rows)} evaluation examples)" in f.message


def test_banking77_label_conflicts_are_exactly_the_relabelled_questions(tmp_path: Path) -> None:
    """conflicting-label on real data: every question whose normalised text an earlier row has
    with another intent, and nothing else (the real-data duplicate tests have no such dataset)."""
    rows = banking("train")
    report = ftdata.lint(str(chat(rows, tmp_path / "train.jsonl")), jobs=1)
    first: dict[str, int] = {}
    expected = set()
    for i, (text, label) in enumerate(rows):
        j = first.setdefault(normalise(f"user {text}"), i)
        if rows[j][1] != label:
            expected.add((i, j))
    found = {(f.record_index, f.related[0].record_index) for f in report.findings if f.rule == "DUP004"}
    assert expected and found == expected
