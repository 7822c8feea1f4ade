"""Suppressions outside the data: record fingerprints, the baseline file, ignores by record id.

Real files in tmp_path, linted by the real engine; the data holds real problems (a placeholder,
an empty assistant turn, a line that is not JSON)."""
from __future__ import annotations

import gzip
import json
import random
import tomllib
from pathlib import Path
from typing import Any

import orjson
import pytest

import ftdata
import ftdata.baseline as baseline_mod
from ftdata.baseline import apply_baseline, fingerprints, load_baseline, write_baseline
from ftdata.config import Settings
from ftdata.model import Finding
from ftdata.report.base import FileResult, Report
from ftdata.suppress_ids import apply_id_ignores, apply_suppressions

# placeholder, empty assistant turn, invalid JSON, and the two new rules
RULES = ("CNT001", "FMT020", "FMT001", "SUP")
SETTINGS = Settings(select=RULES, jobs=1)


def chat(user: str, answer: str, **extra: Any) -> dict[str, Any]:
    return {**extra, "messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]}


GOOD = [chat(f"What is {i} plus {i}?", f"{i} plus {i} is {2 * i}.") for i in range(6)]
PLACEHOLDER = chat("Write a birthday note for {{name}}.", "Happy birthday! Wishing you a wonderful year.")
EMPTY = chat("Name a primary colour.", "")
BROKEN = '{"messages": [{"role": "user", "content": "hi"} {"role": "assistant"}]}'


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    """Records as JSON Lines; a str row is written as it is (a line that is not JSON)."""
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def lint(*paths: Path, settings: Settings = SETTINGS) -> list[FileResult]:
    return ftdata.lint([str(p) for p in paths], settings=settings).results


def where(results: list[FileResult]) -> list[tuple[str, int | None]]:
    return sorted(((f.rule, f.line) for r in results for f in r.findings), key=str)


def findings_of(results: list[FileResult]) -> list[Finding]:
    return [f for r in results for f in r.findings]


def count_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the suppression reader opens from now on (it still reads them)."""
    opened: list[str] = []
    real = getattr(baseline_mod, "open_binary")

    def counting(path: str) -> Any:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(baseline_mod, "open_binary", counting)
    return opened


# -- fingerprints ------------------------------------------------------------------------------------
def fingerprint_by_rule(path: Path) -> dict[tuple[str, str], str]:
    report = ftdata.lint(str(path), settings=SETTINGS)
    return {(f.rule, f.pointer): fp for f, fp in zip(report.findings, report.fingerprints())}


def test_fingerprint_ignores_position_key_order_and_indentation(tmp_path: Path) -> None:
    a = fingerprint_by_rule(write_jsonl(tmp_path / "a.jsonl", [*GOOD[:3], PLACEHOLDER, BROKEN, *GOOD[3:]]))
    # moved to other lines, keys reordered, spaces changed, the broken line indented
    reordered = json.dumps({"messages": [dict(reversed(m.items())) for m in PLACEHOLDER["messages"]]}, indent=None,
                           separators=(" ,", " :  "))
    b = fingerprint_by_rule(write_jsonl(tmp_path / "b.jsonl", ["   " + BROKEN + "  ", *GOOD, "  " + reordered]))
    assert set(a) == {("CNT001", "/messages/0/content"), ("FMT001", "")}
    assert a == b
    assert len(set(a.values())) == 2
    changed = chat("Write a birthday note for {{name}}!", PLACEHOLDER["messages"][1]["content"])
    c = fingerprint_by_rule(write_jsonl(tmp_path / "c.jsonl", [*GOOD, changed, BROKEN.replace("hi", "hello")]))
    assert c.keys() == a.keys() and not set(c.values()) & set(a.values())


def test_fingerprint_of_a_record_is_the_same_in_a_json_array(tmp_path: Path) -> None:
    lines = fingerprint_by_rule(write_jsonl(tmp_path / "a.jsonl", [*GOOD, PLACEHOLDER]))
    array = tmp_path / "a.json"
    array.write_text(json.dumps([PLACEHOLDER, *GOOD], indent=4), encoding="utf-8")
    assert fingerprint_by_rule(array) == lines


def test_fingerprint_of_a_json_array_syntax_error_is_its_line(tmp_path: Path) -> None:
    """The error ends the array; its finding has a line and no record: the line's bytes count."""
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    one.write_text('[\n  {"a": 1},\n  {"b": 2 oops}\n]\n', encoding="utf-8")
    two.write_text('[\n  {"a": 1},\n  {"c": 3},\n      {"b": 2 oops}\n]\n', encoding="utf-8")
    first, second = ftdata.lint(str(one), settings=SETTINGS), ftdata.lint(str(two), settings=SETTINGS)
    assert [(f.rule, f.line) for f in first.findings] == [("FMT001", 3)]
    assert [(f.rule, f.line) for f in second.findings] == [("FMT001", 4)]
    assert first.fingerprints() == second.fingerprints()


def test_fingerprint_of_a_vanished_file_falls_back_to_its_place(tmp_path: Path) -> None:
    """stdin is spooled and removed after linting: (file, line) is all there is."""
    gone = Finding(rule="FMT020", name="empty-turn", category="format", severity=ftdata.Severity.ERROR,
                   file=str(tmp_path / "gone.jsonl"), line=3, record_index=2)
    dataset = Finding(rule="VOL001", name="below-provider-minimum", category="volume",
                      severity=ftdata.Severity.ERROR, file="-")
    fps = fingerprints([gone, dataset, gone])
    assert fps[0] == fps[2] != fps[1] and all(len(fp) == 16 for fp in fps)


def test_each_file_is_opened_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [PLACEHOLDER if i % 3 == 0 else EMPTY if i % 3 == 1 else BROKEN for i in range(3000)]
    a, b = write_jsonl(tmp_path / "a.jsonl", rows), write_jsonl(tmp_path / "b.jsonl", rows[::-1])
    report = ftdata.lint([str(a), str(b)], settings=SETTINGS)
    assert len(report.findings) == 6000
    opened = count_opens(monkeypatch)
    fps = fingerprints(report.findings)
    assert sorted(opened) == sorted([str(a), str(b)])
    assert len(set(fps)) == 3  # the same three records in both files


# -- the baseline ------------------------------------------------------------------------------------
def test_round_trip_reports_nothing(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, PLACEHOLDER, EMPTY, BROKEN])
    report = ftdata.lint(str(data), settings=SETTINGS)
    assert report.exit_code == 1 and len(report.findings) == 3
    path = tmp_path / "ftdata-baseline.json"
    assert write_baseline(report, str(path)) == 3
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["ftdata_baseline"] == 1
    assert {e["file"] for e in doc["entries"]} == {"train.jsonl"}  # relative to the baseline's folder
    assert path.read_text(encoding="utf-8").count("\n") == 3 + 2  # one entry a line
    after = Report(apply_baseline(lint(data), load_baseline(str(path)), SETTINGS))
    assert after.findings == [] and after.exit_code == 0


def test_writing_is_deterministic(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, PLACEHOLDER, EMPTY, BROKEN])
    write_baseline(ftdata.lint(str(data), settings=SETTINGS), str(tmp_path / "one.json"))
    write_jsonl(data, [BROKEN, EMPTY, *GOOD[::-1], PLACEHOLDER])  # the same records, moved
    write_baseline(ftdata.lint(str(data), settings=SETTINGS), str(tmp_path / "two.json"))
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()


def test_only_new_findings_after_inserting_and_shuffling(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, PLACEHOLDER, EMPTY, BROKEN])
    path = str(tmp_path / "baseline.json")
    write_baseline(ftdata.lint(str(data), settings=SETTINGS), path)
    new_placeholder = chat("Dear {{customer}}, your order shipped.", "Thanks for letting me know!")
    new_broken = '{"messages": [}'
    rows: list[Any] = [*GOOD, PLACEHOLDER, EMPTY, BROKEN, new_placeholder, new_broken]
    random.Random(7).shuffle(rows)
    write_jsonl(data, rows)
    left = apply_baseline(lint(data), load_baseline(path), SETTINGS)
    assert where(left) == sorted([("CNT001", rows.index(new_placeholder) + 1),
                                  ("FMT001", rows.index(new_broken) + 1)], key=str)


def test_fixed_record_is_reported_at_its_baseline_line(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, PLACEHOLDER, EMPTY, BROKEN])
    path = tmp_path / "baseline.json"
    write_baseline(ftdata.lint(str(data), settings=SETTINGS), str(path))
    entry_line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                      if '"CNT001"' in text)
    fixed = chat("Write a birthday note for Ana.", PLACEHOLDER["messages"][1]["content"])
    write_jsonl(data, [*GOOD, fixed, EMPTY, BROKEN])
    left = findings_of(apply_baseline(lint(data), load_baseline(str(path)), SETTINGS))
    assert [(f.rule, f.name, f.file, f.line) for f in left] == [("SUP001", "unused-suppression", str(path),
                                                                 entry_line)]
    assert left[0].severity is ftdata.Severity.WARNING
    assert "CNT001 in train.jsonl" in left[0].message and "1 of 1 unused" in left[0].message


def test_duplicate_records_need_one_suppression_each(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [EMPTY, *GOOD, EMPTY])
    path = str(tmp_path / "baseline.json")
    assert write_baseline(ftdata.lint(str(data), settings=SETTINGS), path) == 1
    assert load_baseline(path).entries[0].count == 2
    write_jsonl(data, [EMPTY, *GOOD, EMPTY, EMPTY])  # a third copy is new
    assert where(apply_baseline(lint(data), load_baseline(path), SETTINGS)) == [("FMT020", 9)]
    write_jsonl(data, [*GOOD, EMPTY])  # one copy removed: half the entry is unused
    left = findings_of(apply_baseline(lint(data), load_baseline(path), SETTINGS))
    assert [f.rule for f in left] == ["SUP001"] and "1 of 2 unused" in left[0].message


def test_json_array_survives_reindenting_and_reordering(tmp_path: Path) -> None:
    data = tmp_path / "train.json"
    data.write_text(json.dumps([*GOOD, PLACEHOLDER, EMPTY], indent=2), encoding="utf-8")
    path = str(tmp_path / "baseline.json")
    assert write_baseline(ftdata.lint(str(data), settings=SETTINGS), path) == 2
    data.write_text(json.dumps([EMPTY, *GOOD, PLACEHOLDER], indent=8), encoding="utf-8")
    assert findings_of(apply_baseline(lint(data), load_baseline(path), SETTINGS)) == []
    data.write_text(json.dumps([EMPTY, *GOOD, PLACEHOLDER, EMPTY]), encoding="utf-8")
    assert where(apply_baseline(lint(data), load_baseline(path), SETTINGS)) == [("FMT020", 1)]


def test_gzip_lines_survive_shuffling(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl.gz"
    rows: list[Any] = [*GOOD, PLACEHOLDER, EMPTY, BROKEN]
    data.write_bytes(gzip.compress("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows).encode()))
    path = str(tmp_path / "baseline.json")
    assert write_baseline(ftdata.lint(str(data), settings=SETTINGS), path) == 3
    random.Random(3).shuffle(rows)
    data.write_bytes(gzip.compress("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows).encode()))
    assert findings_of(apply_baseline(lint(data), load_baseline(path), SETTINGS)) == []


def test_stale_only_for_files_linted_and_rules_run(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [*GOOD, PLACEHOLDER])
    b = write_jsonl(tmp_path / "b.jsonl", [*GOOD, EMPTY])
    path = str(tmp_path / "baseline.json")
    assert write_baseline(ftdata.lint([str(a), str(b)], settings=SETTINGS), path) == 2
    write_jsonl(a, GOOD)
    write_jsonl(b, GOOD)
    only_b = lint(b)  # a.jsonl is not linted: its entry cannot be judged
    assert where(apply_baseline(only_b, load_baseline(path), SETTINGS)) == [("SUP001", 3)]
    no_empty_turn = Settings(select=RULES, ignore=("FMT020",), jobs=1)
    assert where(apply_baseline(lint(b, settings=no_empty_turn), load_baseline(path), no_empty_turn)) == []
    no_sup = Settings(select=RULES, ignore=("SUP001",), jobs=1)
    assert where(apply_baseline(lint(a, b, settings=no_sup), load_baseline(path), no_sup)) == []


def test_unused_suppression_takes_the_runs_severity(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, EMPTY])
    path = str(tmp_path / "baseline.json")
    write_baseline(ftdata.lint(str(data), settings=SETTINGS), path)
    write_jsonl(data, GOOD)
    strict = Settings(select=RULES, severity={"unused-suppression": ftdata.Severity.ERROR}, jobs=1)
    left = findings_of(apply_baseline(lint(data, settings=strict), load_baseline(path), strict))
    assert [(f.rule, f.severity) for f in left] == [("SUP001", ftdata.Severity.ERROR)]


@pytest.mark.parametrize(("text", "fact"), [
    ("not json at all", "not valid JSON"),
    ('{"entries": []}', "not an ftdata baseline"),
    ('{"ftdata_baseline": 2, "entries": []}', "version 2"),
    ('{"ftdata_baseline": 1, "entries": [\n{"rule": "FMT020", "file": "x.jsonl", "pointer": "", "count": 1}\n]}',
     "'fingerprint'"),
    ('{"ftdata_baseline": 1, "entries": [\n{"rule": "FMT020", "file": "x.jsonl", "fingerprint": "ab", '
     '"pointer": "", "count": 0}\n]}', "positive integer"),
])
def test_an_invalid_baseline_is_a_value_error(tmp_path: Path, text: str, fact: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="baseline") as e:
        load_baseline(str(path))
    assert fact in str(e.value) and "\n" not in str(e.value)


def test_a_missing_baseline_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        load_baseline(str(tmp_path / "nope.json"))


def test_an_unwritable_baseline_is_a_value_error(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, EMPTY])
    with pytest.raises(ValueError, match="cannot write baseline"):
        write_baseline(lint(data), str(tmp_path / "no-such-folder" / "baseline.json"))


# -- ignores by record id ----------------------------------------------------------------------------
CONFIG = """\
[tool.ftdata]
id-field = "meta.uid"
ignore-records = [
  {id = "p-1", reason = "the template variable is intended", rules = ["CNT001"]},
  {id = "e-2", reason = "empty on purpose: tests refusal handling"},
  {id = "gone-9", reason = "record removed last week"},
  {id = "g-0", reason = "was broken once", rules = ["placeholder"]},
]
"""


def with_id(record: dict[str, Any], uid: str) -> dict[str, Any]:
    return {**record, "meta": {"uid": uid}}


def id_setup(tmp_path: Path) -> tuple[Path, Path, list[Any]]:
    rows: list[Any] = [with_id(GOOD[0], "g-0"), with_id(PLACEHOLDER, "p-1"), with_id(EMPTY, "e-2"),
                       with_id(PLACEHOLDER, "p-3"), with_id(EMPTY, "e-4"), BROKEN]
    config = tmp_path / "pyproject.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return write_jsonl(tmp_path / "train.jsonl", rows), config, tomllib.loads(CONFIG)["tool"]["ftdata"]["ignore-records"]


def test_id_ignores_suppress_only_their_records_findings(tmp_path: Path) -> None:
    data, config, ignores = id_setup(tmp_path)
    left = apply_id_ignores(lint(data), "meta.uid", ignores, str(config), SETTINGS)
    assert [(f.rule, f.line) for f in findings_of(left) if f.file == str(data)] == [
        ("CNT001", 4), ("FMT020", 5), ("FMT001", 6)]
    unused = [f for f in findings_of(left) if f.rule == "SUP002"]
    assert [(f.file, f.line) for f in unused] == [(str(config), 6), (str(config), 7)]
    assert "'gone-9' matches no linted record" in unused[0].message
    assert "'g-0' suppresses nothing" in unused[1].message and "placeholder" in unused[1].message


def test_id_ignore_with_rules_keeps_the_records_other_findings(tmp_path: Path) -> None:
    rows = [with_id(chat("Hello {{name}}", ""), "p-1"), *GOOD]
    data = write_jsonl(tmp_path / "train.jsonl", rows)
    ignores = [{"id": "p-1", "reason": "template kept on purpose", "rules": ["CNT001"]}]
    left = apply_id_ignores(lint(data), "meta.uid", ignores, None, SETTINGS)
    assert where(left) == [("FMT020", 1)]


def test_integer_ids_and_json_arrays(tmp_path: Path) -> None:
    data = tmp_path / "train.json"
    data.write_text(json.dumps([{**EMPTY, "id": 7}, *GOOD, {**EMPTY, "id": 8}], indent=2), encoding="utf-8")
    left = apply_id_ignores(lint(data), "id", [{"id": 8, "reason": "known"}], None, SETTINGS)
    assert where(left) == [("FMT020", 2)]


def test_baseline_and_id_ignores_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, config, ignores = id_setup(tmp_path)
    path = str(tmp_path / "baseline.json")
    rows = [with_id(PLACEHOLDER, "p-1"), with_id(EMPTY, "e-4"), BROKEN]  # p-1: also ignored by id
    write_baseline(ftdata.lint(str(write_jsonl(tmp_path / "train.jsonl", rows)), settings=SETTINGS), path)
    data, _, _ = id_setup(tmp_path)
    opened = count_opens(monkeypatch)
    left = apply_suppressions(lint(data), SETTINGS, baseline=load_baseline(path), id_field="meta.uid",
                              ignores=ignores, config_file=str(config))
    assert opened == [str(data)]
    # a finding covered twice leaves neither suppression unused
    assert where(left) == [("CNT001", 4), ("SUP002", 6), ("SUP002", 7)]


# -- the rules' documentation and the CLI --------------------------------------------------------------
@pytest.mark.parametrize("code", ["SUP001", "SUP002"])
def test_rule_is_documented(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    from ftdata.cli import _run

    assert _run(["rule", code]) == 0
    out = capsys.readouterr().out
    assert code in out and "suppression" in out and "What it does" in out


def test_cli_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ftdata.suppressions", reason="the CLI's baseline flags are wired separately")
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, PLACEHOLDER, EMPTY, BROKEN])
    select = ["--select", ",".join(RULES)]
    assert _run(["lint", "--isolated", *select, "--baseline", "baseline.json", str(data)]) == 2  # none yet
    assert _run(["lint", "--isolated", *select, "--baseline", "baseline.json", "--write-baseline", str(data)]) == 0
    assert _run(["lint", "--isolated", *select, "--baseline", "baseline.json", str(data)]) == 0
    write_jsonl(data, [EMPTY, *GOOD, PLACEHOLDER, BROKEN, EMPTY])
    assert _run(["lint", "--isolated", *select, "--baseline", "baseline.json", "--format", "json", "-o", "out.json",
                 str(data)]) == 1
    found = orjson.loads((tmp_path / "out.json").read_bytes())["findings"]
    assert [(f["rule"], f["line"]) for f in found] == [("FMT020", 10)]
