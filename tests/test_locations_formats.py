"""Every output format locates a record of a one-line (minified) JSON array, as LLaMA-Factory and
Alpaca ship them: line and column of the record's first character, and the record index in text.

The array is built from real records (LLaMA-Factory's alpaca_en_demo.json, 120 of them, with its
real empty-input markers, refusals and duplicates; the committed identity sample when
../shared/datasets is absent), minified by json.dumps. Every location a format prints must
decode, at that column of line 1, to the record the JSON report names by index."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import ftdata
from ftdata.report import FORMATS, RenderOptions
from ftdata.report.base import Report
from independent import DATASETS, REPORT_SCHEMA, ROOT
from test_report_formats import assert_valid_sarif, rule_doc, sarif_validator  # noqa: F401 (a fixture)

SAMPLE = ROOT / "sample_datasets" / "identity_alpaca.json"


@pytest.fixture(scope="module")
def minified(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[Any]]:
    source = DATASETS / "llama_factory" / "alpaca_en_demo.json"
    records = json.loads((source if source.is_file() else SAMPLE).read_text(encoding="utf-8"))[:120]
    if source.is_file():
        records.append(dict(records[7]))  # an exact duplicate: a finding with a related record
    text = json.dumps(records, ensure_ascii=False)
    path = tmp_path_factory.mktemp("locations") / "alpaca_min.json"
    path.write_text(text, encoding="utf-8")
    return path, text, records


@pytest.fixture(scope="module")
def report(minified: tuple[Path, str, list[Any]]) -> Report:
    return ftdata.lint(str(minified[0]), jobs=1)


def render(report: Report, fmt: str) -> str:
    out = io.BytesIO()
    FORMATS[fmt](report, out, RenderOptions(rule_doc=rule_doc, max_examples=1000))
    return out.getvalue().decode()


def record_at(text: str, column: int) -> Any:
    return json.JSONDecoder().raw_decode(text, column - 1)[0]


def on_records(report: Report) -> list[tuple[str, int, int]]:
    """(rule, column, record index) of every finding on a record, from the report itself."""
    return [(f.rule, f.column, f.record_index) for f in report.findings if f.record_index is not None]  # type: ignore[misc]


def test_the_fixture_has_findings_on_many_records(report: Report, minified: tuple[Path, str, list[Any]]) -> None:
    located = on_records(report)
    assert len({i for _, _, i in located}) >= 5
    _, text, records = minified
    assert all(record_at(text, column) == records[index] for _, column, index in located)


def test_json_and_jsonl_carry_the_column(report: Report, minified: tuple[Path, str, list[Any]]) -> None:
    doc = json.loads(render(report, "json"))
    Draft202012Validator(REPORT_SCHEMA).validate(doc)
    _, text, records = minified
    for f in doc["findings"]:
        if f["record_index"] is not None:
            assert f["line"] == 1 and record_at(text, f["column"]) == records[f["record_index"]]
        else:
            assert f["column"] is None
    lines = [json.loads(line) for line in render(report, "jsonl").splitlines()]
    assert [(f["rule"], f["column"], f["record_index"]) for f in lines] == \
        [(f["rule"], f["column"], f["record_index"]) for f in doc["findings"]]


def test_text_names_line_column_and_record_index(report: Report, minified: tuple[Path, str, list[Any]]) -> None:
    path, text, records = minified
    out = render(report, "text")
    found = re.findall(rf"^  {re.escape(str(path))}:1:(\d+) #(\d+)[ ]", out, re.M)
    assert len(found) == len(on_records(report))
    for column, index in found:
        assert record_at(text, int(column)) == records[int(index)]
    related = re.findall(rf"^      ~ {re.escape(str(path))}:1 #(\d+)$", out, re.M)
    assert related and all(0 <= int(i) < len(records) for i in related)


@pytest.mark.parametrize("fmt, pattern", [
    ("concise", r"^{path}:1:(\d+): (\w+) "),
    ("markdown", r"`{path}:1:(\d+)`"),
])
def test_line_formats_print_path_line_column(report: Report, minified: tuple[Path, str, list[Any]],
                                             fmt: str, pattern: str) -> None:
    path, text, records = minified
    columns = [int(c[0] if isinstance(c, tuple) else c)
               for c in re.findall(pattern.format(path=re.escape(str(path))), render(report, fmt), re.M)]
    assert sorted(columns) == sorted(c for _, c, _ in on_records(report))


def test_github_annotations_have_col(report: Report) -> None:
    out = render(report, "github")
    got = re.findall(r"^::\w+ file=[^,]+,line=1,col=(\d+),title=(\w+) ", out, re.M)
    expected = [(str(c), r) for r, c, _ in on_records(report)]
    assert got and all(g in expected for g in got)  # capped per rule, never unlocated


def test_sarif_start_column_is_valid(report: Report, sarif_validator: Any) -> None:  # noqa: F811
    log = json.loads(render(report, "sarif"))
    assert_valid_sarif(sarif_validator, log)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    regions = [r["locations"][0]["physicalLocation"].get("region") for r in run["results"]]
    assert [(g["startLine"], g["startColumn"]) for g in regions if g] == [(1, c) for _, c, _ in on_records(report)]


def test_junit_testcases_have_line_and_column(report: Report) -> None:
    root = ET.fromstring(render(report, "junit").encode())
    cases = [c for c in root.iter("testcase") if c.get("line")]
    assert [(c.get("line"), c.get("column")) for c in cases] == [("1", str(c)) for _, c, _ in on_records(report)]
