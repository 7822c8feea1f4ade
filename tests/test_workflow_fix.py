"""`--fix` with `-o`: the fixed data never goes where the user asked for a report. `--fix -o OUT`
(the first release's spelling) still writes the data to OUT when nothing asks for a report; with
`--format`, `--statistics`, a configured output format or a report-like name, -o is ambiguous and
the run stops (exit 2, one sentence) until `--fix-output` names the data's file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from independent import chat_record, cli, write_jsonl


def dataset(tmp_path: Path) -> Path:
    """Twelve chat records whose answers end in a space: a safe fix for each."""
    return write_jsonl(tmp_path / "in.jsonl", [chat_record(f"Which platform does train {i} leave from?",
                                                           f"Train {i} leaves from platform {i % 4 + 1}. ")
                                               for i in range(12)])


@pytest.mark.parametrize("args, why", [
    (["--format", "json", "-o", "{tmp}/r.json"], "--format json asks for a report"),
    (["--format", "text", "-o", "{tmp}/r.jsonl"], "--format text asks for a report"),
    (["--statistics", "-o", "{tmp}/counts.jsonl"], "--statistics asks for a report"),
    (["-o", "{tmp}/report.sarif"], "is named like a report"),
    (["-o", "{tmp}/REPORT.md"], "is named like a report"),
])
def test_ambiguous_output_is_refused(tmp_path: Path, args: list[str], why: str) -> None:
    src = dataset(tmp_path)
    code, out, err = cli("lint", src, "--fix", *[a.replace("{tmp}", str(tmp_path)) for a in args], "--isolated")
    assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    assert why in err and "--fix-output" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # neither data nor report written


def test_configured_report_format_makes_o_ambiguous(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = dataset(tmp_path)
    (tmp_path / "ftdata.toml").write_text('output-format = "json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("lint", src, "--fix", "-o", tmp_path / "out.jsonl")
    assert code == 2 and out == "" and "output-format 'json'" in err and "--fix-output" in err
    assert not (tmp_path / "out.jsonl").exists()


def test_report_to_o_and_data_to_fix_output(tmp_path: Path) -> None:
    src = dataset(tmp_path)
    code, out, err = cli("lint", src, "--fix", "--format", "json", "-o", tmp_path / "r.json",
                         "--fix-output", tmp_path / "fixed.jsonl", "--isolated", "--jobs", "1")
    assert out == "" and "wrote" in err
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["examples"] == 12 and code == report["exit_code"]
    fixed = [json.loads(line) for line in (tmp_path / "fixed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(fixed) == 12 and all(not r["messages"][-1]["content"].endswith(" ") for r in fixed)


def test_legacy_fix_o_still_writes_the_data(tmp_path: Path) -> None:
    """README: `--fix -o OUT`, as first released: OUT is the fixed data, the report on stdout."""
    src = dataset(tmp_path)
    code, out, err = cli("lint", src, "--fix", "-o", tmp_path / "out.jsonl", "--isolated", "--jobs", "1")
    assert "Verdict:" in out and f"wrote {tmp_path / 'out.jsonl'}" in err
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 12 and rows[0]["messages"][-1]["content"] == "Train 0 leaves from platform 1."
