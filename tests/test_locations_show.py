"""`ftdata show FILE LOCATION`: each location form (LINE, LINE:COLUMN, '#INDEX', --index N,
FILE:LINE:COLUMN) on a one-line array, a pretty-printed array, JSON Lines and gzipped JSON Lines;
personal data and secrets masked as the rules mask them in findings; an unknown location exits 2
with one sentence."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import ftdata
from ftdata.cli import _run, cli
from independent import DATASETS, ROOT, ftdata_command

SAMPLE = ROOT / "sample_datasets" / "identity_alpaca.json"  # pretty-printed, records at column 3
EMAIL, TOKEN = "maria.rossi@gmail.com", "ghp_8fKq2LmZx9VbN4TcWd7YhJ3sPa6RuE1oGi5B"


def real_records() -> list[dict[str, Any]]:
    """30 LLaMA-Factory Alpaca records; the fourth also names an email address and a GitHub token."""
    source = DATASETS / "llama_factory" / "alpaca_en_demo.json"
    records: list[dict[str, Any]] = json.loads((source if source.is_file() else SAMPLE).read_text(encoding="utf-8"))[:30]
    records[3] = {**records[3], "output": records[3]["output"] + f" Questions? Write to {EMAIL}; deploy key {TOKEN}."}
    return records


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    records = real_records()
    d = tmp_path_factory.mktemp("show")
    minified = d / "alpaca_min.json"
    minified.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    pretty = d / "alpaca_pretty.json"
    pretty.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    jsonl = d / "alpaca.jsonl.gz"
    with gzip.open(jsonl, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r, ensure_ascii=False) for r in records[:3]) + "\n\n")  # a blank line 4
        f.write("\n".join(json.dumps(r, ensure_ascii=False) for r in records[3:]) + "\n")
    return {"minified": minified, "pretty": pretty, "jsonl.gz": jsonl}


def show(*args: str | Path) -> Any:
    return CliRunner().invoke(cli, ["show", *map(str, args)], catch_exceptions=False)


def shown(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def masked(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "output": record["output"].replace(EMAIL, "m***@g***.com")
            .replace(TOKEN, "ghp_*** (40 characters)")}


def test_every_location_form_on_a_one_line_array(files: dict[str, Path]) -> None:
    path, records = files["minified"], real_records()
    report = ftdata.lint(str(path), jobs=1, select=["CNT010", "CNT011"])
    (email, token) = sorted(report.findings, key=lambda f: f.rule)
    assert email.line == token.line == 1 and email.column == token.column and email.record_index == 3
    column = email.column
    expected = masked(records[3])
    assert shown(show(path, f"1:{column}")) == expected
    assert shown(show(path, "#3")) == expected
    assert shown(show(path, "--index", "3")) == expected
    assert shown(show(f"{path}:1:{column}")) == expected  # as concise and text output print it
    assert shown(show(path, "1:2")) == records[0]  # `[{`: the first record at column 2


def test_the_masks_are_the_findings_masks(files: dict[str, Path]) -> None:
    report = ftdata.lint(str(files["minified"]), jobs=1, select=["CNT010", "CNT011"])
    out = show(files["minified"], "#3")
    for f in report.findings:
        mask = f.message.split("'")[1]  # the masked value the finding shows
        assert mask in out.stdout
    assert EMAIL not in out.stdout and TOKEN not in out.stdout
    assert "2 values masked" in out.stderr
    raw = shown(show(files["minified"], "#3", "--no-mask"))
    assert EMAIL in raw["output"] and TOKEN in raw["output"]


def test_pretty_array_and_gzipped_json_lines(files: dict[str, Path]) -> None:
    records = real_records()
    pretty = ftdata.lint(str(files["pretty"]), jobs=1, select=["CNT010"]).findings[0]
    assert (pretty.line, pretty.column) != (1, None)
    assert shown(show(files["pretty"], str(pretty.line))) == masked(records[3])
    assert shown(show(files["pretty"], f"{pretty.line}:{pretty.column}")) == masked(records[3])
    gz = ftdata.lint(str(files["jsonl.gz"]), jobs=1, select=["CNT010"]).findings[0]
    assert (gz.line, gz.column, gz.record_index) == (5, 1, 3)  # line 4 is blank: not a record
    assert shown(show(files["jsonl.gz"], "5")) == masked(records[3])
    assert shown(show(files["jsonl.gz"], "#3")) == masked(records[3])
    assert shown(show(files["jsonl.gz"], "5:1")) == masked(records[3])


@pytest.mark.parametrize("location, says", [
    ("1", "several records start on line 1"),
    ("1:3", "no record starts at 1:3"),
    ("#30", "has 30 records, #0 to #29; there is no record #30"),
    ("2", "no record starts at line 2"),
    ("x1", "is not LINE, LINE:COLUMN or #INDEX"),
    ("0", "count from 1"),
])
def test_unknown_locations_exit_2_with_one_sentence(files: dict[str, Path], location: str, says: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FTDATA_DEBUG"}
    p = subprocess.run([*ftdata_command(), "show", str(files["minified"]), location], capture_output=True,
                       text=True, timeout=120, env=env)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("ftdata: error: ") and says in p.stderr and p.stderr.count("\n") == 1, p.stderr


@pytest.mark.parametrize("args, says", [
    (("jsonl.gz", "4"), "no record starts at line 4"),  # a blank line
    (("minified",), "give a LOCATION"),
    (("minified", "#1", "--index", "1"), "not both"),
])
def test_blank_line_and_missing_location(files: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                         args: tuple[str, ...], says: str) -> None:
    assert _run(["show", str(files[args[0]]), *args[1:]]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1


def test_a_line_that_is_not_json_is_shown_as_text_masked(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    good = json.dumps(real_records()[0])
    path.write_text(f'{good}\n{{"instruction": "Mail {EMAIL}", "output": \n{good}\n', encoding="utf-8")
    result = show(path, "2")
    assert result.exit_code == 0 and "not valid JSON" in result.stderr
    assert result.stdout == '{"instruction": "Mail m***@g***.com", "output": \n'
    lint = ftdata.lint(str(path), jobs=1, select=["FMT001"]).findings
    assert [(f.line, f.column, f.record_index) for f in lint] == [(2, 1, 1)]
