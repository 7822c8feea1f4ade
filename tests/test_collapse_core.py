"""Conventions, not floods: findings whose cause (nearly) every record shares are reported once,
with their count, by ftdata.lint and the CLI; `collapse=False` / `--no-collapse` restore them.
Fixtures are short real excerpts (tests/fixtures/collapse/README.md)."""
from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

import ftdata
from ftdata.collapse import MIN_RECORDS, collapse
from ftdata.model import Finding, Severity
from ftdata.report.base import FileResult
from independent import REPORT_SCHEMA, ftdata_command, write_jsonl

HERE = Path(__file__).resolve().parent / "fixtures" / "collapse"
CODEALPACA = HERE / "new_codealpaca_25.json"  # every record: `response`, a copy of `output`
SEED = HERE / "seed_tasks_25.jsonl"  # self-instruct seed tasks: output nested in instances
DBPEDIA = HERE / "dbpedia_25.jsonl"  # {text, category}


def rules(report: ftdata.Report) -> Counter[str]:
    return Counter(f.rule for f in report.findings)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ftdata_command(), "lint", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_a_key_on_every_record_is_one_finding_with_its_count() -> None:
    flood = ftdata.lint(CODEALPACA, jobs=1, collapse=False)
    assert rules(flood)["FMT011"] == 25
    report = ftdata.lint(CODEALPACA, jobs=1)
    (one,) = [f for f in report.findings if f.rule == "FMT011"]
    first = min((f for f in flood.findings if f.rule == "FMT011"), key=lambda f: f.record_index or 0)
    assert one.message.startswith("25 of 25 records: unknown key 'response'")
    assert (one.line, one.record_index, one.pointer, one.severity) == (first.line, 0, "/response", first.severity)
    assert one.to_dict()["count"] == 25
    assert [r.record_index for r in one.related] == [1, 2, 3, 4, 5]
    assert report.verdict == flood.verdict and report.exit_code == flood.exit_code


def test_errors_stay_errors_and_the_verdict_does_not_move() -> None:
    flood = ftdata.lint(SEED, jobs=1, collapse=False)
    report = ftdata.lint(SEED, jobs=1)
    assert rules(flood)["FMT010"] == 25 and rules(report)["FMT010"] == 1
    assert report.summary["errors"] >= 1 and report.verdict == flood.verdict == "not-ready"
    assert report.exit_code == flood.exit_code == 1
    # one finding per cause: each unknown key is its own
    assert {f.pointer for f in report.findings if f.rule == "FMT011"} == {"/id", "/name", "/instances",
                                                                        "/is_classification"}


def _rows(n: int, flawed: int) -> list[dict[str, Any]]:
    """n chat records, `flawed` of them (the first) with a stray key, each asking something else."""
    rows = []
    for i in range(n):
        row: dict[str, Any] = {"messages": [{"role": "user", "content": f"What is {i} times {i + 3}?"},
                                            {"role": "assistant", "content": f"{i} times {i + 3} is {i * (i + 3)}."}]}
        if i < flawed:
            row["source"] = "gsm"
        rows.append(row)
    return rows


def test_small_files_and_per_record_defects_are_not_hidden(tmp_path: Path) -> None:
    small = write_jsonl(tmp_path / "small.jsonl", _rows(MIN_RECORDS - 1, MIN_RECORDS - 1))
    assert rules(ftdata.lint(small, jobs=1, select=["FMT011"]))["FMT011"] == MIN_RECORDS - 1
    most = write_jsonl(tmp_path / "most.jsonl", _rows(40, 35))  # 87.5%: not nearly every record
    assert rules(ftdata.lint(most, jobs=1, select=["FMT011"]))["FMT011"] == 35
    nearly = write_jsonl(tmp_path / "nearly.jsonl", _rows(40, 36))  # 90%
    (one,) = ftdata.lint(nearly, jobs=1, select=["FMT011"]).findings
    assert one.message.startswith("36 of 40 records: ")


def test_different_messages_are_different_causes(tmp_path: Path) -> None:
    rows = _rows(30, 0)
    for i, row in enumerate(rows):
        row[f"note_{'a' if i % 2 else 'b'}"] = "x"  # two keys, each on half the records
    found = ftdata.lint(write_jsonl(tmp_path / "two.jsonl", rows), jobs=1, select=["FMT011"]).findings
    assert len(found) == 30


def test_a_file_that_is_not_json_lines_is_one_finding(tmp_path: Path) -> None:
    csv = tmp_path / "train.jsonl"  # a CSV saved under a JSON Lines name: the parser's reasons differ by line
    csv.write_text("text,label\n" + "".join(f"\"I need help with card {i}\",card_{i % 3}\n" for i in range(30)),
                   encoding="utf-8")
    flood = ftdata.lint(csv, jobs=1, select=["FMT001"], collapse=False)
    assert len(flood.findings) == 31 and len({f.message for f in flood.findings}) > 1
    (one,) = ftdata.lint(csv, jobs=1, select=["FMT001"]).findings
    assert one.message.startswith("31 of 31 records: not valid JSON") and one.line == 1


def _result(findings: list[Finding], records: int = 30) -> FileResult:
    return FileResult("train.jsonl", records, records, findings, {})


def test_dataset_level_findings_are_never_collapsed() -> None:
    """A lint has at most a few findings about the file, so the rule is held here directly: thirty
    dataset-level findings of one rule and message in a 30-record file stay thirty, though the
    same findings on the records are one."""
    def finding(index: int | None) -> Finding:
        return Finding(rule="VOL002", name="too-few-examples", category="volume", severity=Severity.ERROR,
                       file="train.jsonl", line=None if index is None else index + 1, record_index=index,
                       message="30 examples; too few to learn a behaviour (at least 50)")

    about_the_file = [finding(None) for _ in range(30)]
    assert collapse([_result(about_the_file)])[0].findings == about_the_file
    (one,) = collapse([_result([finding(i) for i in range(30)])])[0].findings
    assert one.to_dict()["count"] == 30
    report = ftdata.lint(CODEALPACA, jobs=1, select=["VOL", "FMT011"])
    assert [f.rule for f in report.findings if f.line is None] == ["VOL002"]  # too few examples: about the file


def test_cli_json_is_schema_valid_and_no_collapse_restores(tmp_path: Path) -> None:
    out = cli(str(CODEALPACA), "--isolated", "--format", "json", "--select", "FMT")
    report = json.loads(out.stdout)
    Draft202012Validator(REPORT_SCHEMA).validate(report)
    (one,) = [f for f in report["findings"] if f["rule"] == "FMT011"]
    assert one["count"] == 25 and len(one["related"]) == 5
    assert all("count" not in f for f in report["findings"] if f is not one)
    full = cli(str(CODEALPACA), "--isolated", "--format", "json", "--select", "FMT", "--no-collapse")
    assert sum(f["rule"] == "FMT011" for f in json.loads(full.stdout)["findings"]) == 25
    assert out.returncode == full.returncode
    text = cli(str(SEED), "--isolated", "--select", "FMT")
    assert "25 of 25 records: the record has no 'output' key" in text.stdout and text.returncode == 1


def test_statistics_count_every_finding() -> None:
    out = cli(str(CODEALPACA), "--isolated", "--select", "FMT011", "--statistics")
    assert [line.split()[:2] for line in out.stdout.splitlines()] == [["25", "FMT011"]]  # not the 1 shown


def test_baseline_is_written_per_record_and_applied_before_collapsing(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", _rows(30, 30))
    base = tmp_path / "ftdata-baseline.json"
    wrote = cli(str(data), "--isolated", "--select", "FMT011", "--baseline", str(base), "--write-baseline")
    assert wrote.returncode == 0
    entries = json.loads(base.read_text(encoding="utf-8"))["entries"]
    assert sum(e["count"] for e in entries if e["rule"] == "FMT011") == 30 and len(entries) == 30
    # three new records with the same stray key: 3 of 33 is no convention, each is shown
    write_jsonl(data, _rows(30, 30) + [dict(r, source="gsm") for r in _rows(33, 0)[30:]])
    again = json.loads(cli(str(data), "--isolated", "--select", "FMT011", "--baseline", str(base),
                           "--format", "json").stdout)
    assert [f["line"] for f in again["findings"] if f["rule"] == "FMT011"] == [31, 32, 33]


def test_in_memory_records_are_collapsed_too() -> None:
    rows = _rows(30, 30)
    (one,) = ftdata.lint(rows, select=["FMT011"]).findings
    assert one.file == "<records>" and one.message.startswith("30 of 30 records: unknown key 'source'")
    assert len(ftdata.lint(rows, select=["FMT011"], collapse=False).findings) == 30
