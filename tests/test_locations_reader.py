"""Where the JSON array reader says a record starts: line and column (1-based, in characters) of its
first character, on one-line (minified) and pretty-printed arrays, across read windows, with
non-ASCII text and a byte-order mark; and the column carried onto findings by the scan."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import ftdata
from ftdata.io import ReadProblem, iter_json_located, iter_json_values
from independent import DATASETS, needs_datasets

SAMPLE = Path(__file__).resolve().parents[1] / "sample_datasets" / "identity_alpaca.json"


def located(data: bytes, chunk: int = 1 << 20) -> list[Any]:
    return list(iter_json_located(io.BufferedReader(io.BytesIO(data)), chunk))  # type: ignore[arg-type]


def assert_starts(text: str, items: list[Any], values: list[Any]) -> None:
    """Each (line, value, column) names the place in `text` where that very value starts."""
    starts = [0]
    for n, ch in enumerate(text):
        if ch == "\n":
            starts.append(n + 1)
    decoder = json.JSONDecoder()
    assert [v for _, v, _ in items] == values
    for line, value, column in items:
        assert decoder.raw_decode(text, starts[line - 1] + column - 1)[0] == value


def real_records() -> list[Any]:
    """40 Alpaca records from LLaMA-Factory (English; alpaca_zh for characters beyond ASCII)."""
    if DATASETS.is_dir():
        en = json.loads((DATASETS / "llama_factory" / "alpaca_en_demo.json").read_text(encoding="utf-8"))
        zh = json.loads((DATASETS / "llama_factory" / "alpaca_zh_demo.json").read_text(encoding="utf-8"))
        return en[:20] + zh[:20]
    return json.loads(SAMPLE.read_text(encoding="utf-8"))[:40]


@pytest.mark.parametrize("chunk", [1 << 20, 97])  # one window, and values cut by many window ends
def test_one_line_array_columns_point_at_each_record(chunk: int) -> None:
    records = real_records()
    text = json.dumps(records, ensure_ascii=False)  # minified: every record on line 1
    items = located(text.encode(), chunk)
    assert {line for line, _, _ in items} == {1}
    assert len({column for _, _, column in items}) == len(records)
    assert_starts(text, items, records)


@pytest.mark.parametrize("chunk", [1 << 20, 61])
def test_pretty_and_mixed_layouts(chunk: int) -> None:
    records = real_records()[:12]
    pretty = json.dumps(records, ensure_ascii=False, indent=2)
    items = located(pretty.encode(), chunk)
    assert all(column == 3 for _, _, column in items)
    assert_starts(pretty, items, records)
    # several records per line, on several lines, after multi-line ones
    mixed = "[\n" + ",".join(json.dumps(r, ensure_ascii=False) for r in records[:3]) + ",\n" + \
        json.dumps(records[3], ensure_ascii=False, indent=1) + ", " + \
        ",".join(json.dumps(r, ensure_ascii=False) for r in records[4:]) + "\n]\n"
    items = located(mixed.encode(), chunk)
    assert_starts(mixed, items, records)
    assert items[0][2] == 1 and items[1][0] == 2 and items[1][2] > 1


def test_columns_count_characters_not_bytes_and_skip_the_bom() -> None:
    records = [{"instruction": "把这句话翻译成英语", "output": "Translate this sentence"}, {"instruction": "x", "output": "y"}]
    text = json.dumps(records, ensure_ascii=False)
    (a, b) = located(b"\xef\xbb\xbf" + text.encode())[1:]  # the first item is the BOM problem
    assert a[2] == 2 and b[2] == text.index('{"instruction": "x"') + 1  # characters, not UTF-8 bytes
    values = list(iter_json_values(io.BufferedReader(io.BytesIO(text.encode()))))
    assert values[1] == (1, records[1])  # the two-field form others read is unchanged


def test_invalid_json_in_a_one_line_array_is_located_by_column() -> None:
    good = json.dumps([{"instruction": "a", "output": "b"}] * 3)
    bad = good[:-1] + ', {"instruction": "c" "output": "d"}]'
    (problem,) = [p for p in located(bad.encode()) if isinstance(p, ReadProblem)]
    assert problem.kind == "invalid-json" and problem.line == 1
    assert bad[problem.column - 1:].startswith('"output"')


def test_findings_carry_the_column_of_their_record(tmp_path: Path) -> None:
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "identity.json"
    text = json.dumps(records, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    report = ftdata.lint(str(path), jobs=1, select=["CNT001", "DUP"])
    on_records = [f for f in report.findings if f.record_index is not None]
    assert {f.rule for f in on_records} >= {"CNT001"} and any(f.related for f in on_records)
    decoder = json.JSONDecoder()
    for f in on_records:
        assert f.line == 1 and f.column is not None
        assert decoder.raw_decode(text, f.column - 1)[0] == records[f.record_index]
    # sorted by where the record is, not by rule alone, as in any other file
    assert [f.column for f in report.findings if f.line] == sorted(f.column for f in report.findings if f.line)
    lines = ftdata.lint(str(SAMPLE), jobs=1, select=["CNT001"]).findings  # the same records, pretty-printed
    assert [(f.line, f.column) for f in lines][:2] == [(2, 3), (7, 3)]


@needs_datasets
def test_json_lines_records_start_at_column_one() -> None:
    report = ftdata.lint(str(DATASETS / "llama_factory" / "v1_sft_demo.jsonl"), jobs=1, select=["CNT001"])
    assert report.findings and all(f.column == 1 for f in report.findings)
