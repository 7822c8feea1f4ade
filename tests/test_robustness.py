"""Hostile and unusual input: never a crash, never a silent drop, exact where it matters."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ftdata
from ftdata import engine
from ftdata.config import Settings

OK = {"messages": [{"role": "user", "content": "What is 2+2?"}, {"role": "assistant", "content": "4."}]}
SAMPLE = Path(__file__).resolve().parents[1] / "sample_datasets" / "toy_chat_fine_tuning.jsonl"


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return p


def _rules(report: ftdata.Report) -> dict[int | None, list[str]]:
    out: dict[int | None, list[str]] = {}
    for f in report.findings:
        out.setdefault(f.line, []).append(f.rule)
    return out


@pytest.mark.parametrize("extra", [
    '"meta": ' + "[" * 300 + "]" * 300,  # deeper than the validators' recursion limit
    '"meta": ' + "[" * 1200 + "]" * 1200,  # deeper than orjson's: Python's json must not crash either
    '"n": ' + "9" * 5000,  # an integer longer than Python's 4,300-digit limit
    '"n": 1' + "0" * 400,  # a number that overflows a double
])
def test_pathological_values_are_findings_not_crashes(tmp_path: Path, extra: str) -> None:
    bad = json.dumps(OK)[:-1] + ", " + extra + "}"
    p = _write(tmp_path, "x.jsonl", [json.dumps(OK), bad, json.dumps(OK)])
    report = ftdata.lint(str(p), jobs=1)
    assert report.stats["records"] == 3
    assert _rules(report).get(2), "the pathological line gets a finding"
    assert not any(f.line in (1, 3) and f.category != "duplicates" for f in report.findings)  # 3 copies 1


def test_jsonl_whose_first_line_is_an_array_is_still_read_line_by_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.jsonl", ['["user", "hello"]'] + [json.dumps(OK)] * 3 + ['{"messages": []}'])
    report = ftdata.lint(str(p), jobs=1)
    rules = _rules(report)
    assert rules[1] == ["FMT005"] and rules[5] == ["FMT014"]
    assert report.stats["files"][0]["examples"] == 4


def test_data_after_a_json_array_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text(json.dumps([OK]) + "\n" + json.dumps(OK) + "\n", encoding="utf-8")
    assert "FMT001" in [f.rule for f in ftdata.lint(str(p), jobs=1).findings]


def test_unclosed_array_does_not_invent_a_record(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text("[" + json.dumps(OK) + ",\n" + json.dumps(OK), encoding="utf-8")
    report = ftdata.lint(str(p), jobs=1)
    assert report.stats["records"] == 2
    assert [(f.rule, f.record_index) for f in report.findings if f.rule == "FMT001"] == [("FMT001", None)]


def test_stdin_is_counted_exactly_like_the_file() -> None:
    text = SAMPLE.read_bytes()
    run = subprocess.run([sys.executable, "-m", "ftdata.cli", "lint", "-", "--format", "json"], input=text,
                         capture_output=True, check=False)
    via_stdin = json.loads(run.stdout)["stats"]["files"][0]["tokens"]
    via_path = ftdata.lint(str(SAMPLE), jobs=1).stats["files"][0]["tokens"]
    assert via_stdin["exact"] and via_stdin["total"] == via_path["total"]


def test_sampled_estimate_is_unbiased_on_label_data(tmp_path: Path) -> None:
    """Label answers make line tails identical: the sample must still cover every label."""
    labels = ["positive", "negative", "neutral"]
    lines = [json.dumps({"messages": [
        {"role": "user", "content": f"Review {i}: " + "the product was fine " * (i % 7 + 1)},
        {"role": "assistant", "content": labels[i % 3]}]}) for i in range(3000)]
    p = _write(tmp_path, "x.jsonl", lines)
    exact = engine.lint_file(str(p), Settings(jobs=1)).stats["tokens"]
    sampled = engine.lint_file(str(p), Settings(jobs=1, exact_tokens_bytes=0)).stats["tokens"]
    assert exact["exact"] and not sampled["exact"]
    assert abs(sampled["total"] - exact["total"]) / exact["total"] < 0.03


def test_recount_works_on_a_minified_json_array(tmp_path: Path) -> None:
    long = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "word " * 3000}]}
    p = tmp_path / "x.json"
    p.write_text(json.dumps([OK] * 40 + [long]), encoding="utf-8")  # one line: every record on line 1
    result = engine.lint_file(str(p), Settings(jobs=1, exact_tokens_bytes=0))
    outliers = [f for f in result.findings if f.rule == "LEN002"]
    assert [f.record_index for f in outliers] == [40]
    assert "≈" not in outliers[0].message  # decided on an exact count


def test_check_options_accept_codes_and_names_in_any_case(tmp_path: Path) -> None:
    lines = [json.dumps(OK)] * 30 + [json.dumps({"messages": [OK["messages"][0], {
        "role": "assistant", "content": "long answer " * 400}]})]
    p = _write(tmp_path, "x.jsonl", lines)
    assert any(f.rule == "LEN002" for f in ftdata.lint(str(p), jobs=1).findings)
    for key in ("len002", "LEN002", "Length-Outlier", "length-outlier"):
        report = ftdata.lint(str(p), jobs=1, checks={key: {"z": 100, "min_ratio": 1000}})
        assert not any(f.rule == "LEN002" for f in report.findings), key


def test_empty_ignore_selector_is_refused() -> None:
    with pytest.raises(ValueError):
        Settings(ignore=("",))


def test_media_parts_without_a_type_are_not_empty_turns() -> None:
    vertex = {"contents": [{"role": "user", "parts": [{"fileData": {"mimeType": "image/png", "fileUri": "gs://b/x"}}]},
                           {"role": "model", "parts": [{"text": "A cat."}]}]}
    bedrock = {"system": "s", "messages": [{"role": "user", "content": [{"image": {"format": "png"}}]},
                                           {"role": "assistant", "content": "A cat."}]}
    for rec in (vertex, bedrock):
        assert not [f for f in ftdata.lint([rec] * 12, jobs=1).findings if f.category == "format"], rec


def test_dataframes_with_numpy_cells_and_tuples_are_linted_as_json() -> None:
    turns = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]
    df = pd.DataFrame([{"messages": np.array(turns, dtype=object), "n": np.int64(3)}] * 2)
    assert [f.rule for f in ftdata.lint(df, jobs=1).findings if f.rule == "FMT020"] == ["FMT020"] * 2
    as_tuple = {"messages": tuple(turns)}
    assert [f.rule for f in ftdata.lint([as_tuple], jobs=1).findings if f.rule == "FMT020"] == ["FMT020"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_read_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat '{SAMPLE}' > '{fifo}'"])
    run = subprocess.run([sys.executable, "-m", "ftdata.cli", "lint", str(fifo), "--format", "json"],
                         capture_output=True, timeout=60, check=False)
    writer.wait(timeout=60)
    assert json.loads(run.stdout)["stats"]["files"][0]["examples"] == 5


def test_an_unreadable_gzip_names_the_file(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00garbage")
    run = subprocess.run([sys.executable, "-m", "ftdata.cli", "lint", str(p)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 2 and "x.jsonl.gz" in run.stderr and "Traceback" not in run.stderr
