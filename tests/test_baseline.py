"""Suppressions outside the data: record fingerprints, the baseline file, ignores by record id.

Real files in tmp_path, linted by the real engine; the data holds real problems (a placeholder,
an empty assistant turn, a line that is not JSON)."""
from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import tomllib
from pathlib import Path
from typing import Any

import orjson
import pytest

import ftdata
import ftdata.baseline as baseline_mod
import ftdata.record_keys as record_keys
import ftdata.suppress_ids as suppress_ids
from ftdata.baseline import apply_baseline, fingerprints, load_baseline, write_baseline
from ftdata.config import Settings
from ftdata.model import Finding, Location
from ftdata.report.base import FileResult, Report
from ftdata.suppress_ids import apply_id_ignores, apply_suppressions
from independent import write_jsonl

# placeholder, empty assistant turn, invalid JSON, and the two new rules
RULES = ("CNT001", "FMT020", "FMT001", "SUP")
SETTINGS = Settings(select=RULES, jobs=1)


def chat(user: str, answer: str, **extra: Any) -> dict[str, Any]:
    return {**extra, "messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]}


GOOD = [chat(f"What is {i} plus {i}?", f"{i} plus {i} is {2 * i}.") for i in range(6)]
PLACEHOLDER = chat("Write a birthday note for {{name}}.", "Happy birthday! Wishing you a wonderful year.")
EMPTY = chat("Name a primary colour.", "")
BROKEN = '{"messages": [{"role": "user", "content": "hi"} {"role": "assistant"}]}'


def lint(*paths: Path, settings: Settings = SETTINGS) -> list[FileResult]:
    return ftdata.lint([str(p) for p in paths], settings=settings).results


def where(results: list[FileResult]) -> list[tuple[str, int | None]]:
    return sorted(((f.rule, f.line) for r in results for f in r.findings), key=str)


def findings_of(results: list[FileResult]) -> list[Finding]:
    return [f for r in results for f in r.findings]


def count_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the suppression reader opens from now on (it still reads them)."""
    opened: list[str] = []
    real = getattr(record_keys, "open_binary")

    def counting(path: str) -> Any:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(record_keys, "open_binary", counting)
    return opened


# -- fingerprints ------------------------------------------------------------------------------------
def fingerprint_by_rule(path: Path, settings: Settings = SETTINGS) -> dict[tuple[str, str], str]:
    report = ftdata.lint(str(path), settings=settings)
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


# -- findings about several records, and about a file -------------------------------------------------
DUPS = Settings(select=("DUP", "SUP"), jobs=1)
SAMPLES = Path(__file__).resolve().parents[1] / "sample_datasets"


def distinct_chats(n: int) -> list[dict[str, Any]]:
    return [chat(f"Question number {i} about topic {7 * i}?", f"The answer to {i} is {13 * i} because of {i}.")
            for i in range(n)]


def conflict(record: dict[str, Any], answer: str) -> dict[str, Any]:
    """The record's question with another answer, stating another number (conflicting-output,
    DUP005: two free-text wordings alone would not contradict each other)."""
    return chat(record["messages"][0]["content"], f"{answer} It is {1000 + len(answer)}.")


def renumbered(record: dict[str, Any], number: int) -> dict[str, Any]:
    """The record's question with its answer stating `number` instead of its answer's second number."""
    words = record["messages"][1]["content"].split()
    numbers = [i for i, w in enumerate(words) if w.isdigit()]
    words[numbers[1]] = str(number)
    return chat(record["messages"][0]["content"], " ".join(words))


def test_a_pair_finding_is_accepted_whichever_record_of_the_pair_carries_it(tmp_path: Path) -> None:
    """The reviewer's repro: DUP005 sits on the later record of the pair; moving the last line to
    the top moves it to the other record."""
    rows = distinct_chats(12)
    rows.append(conflict(rows[3], "Something completely different and unrelated entirely."))
    data = write_jsonl(tmp_path / "d.jsonl", rows)
    path = str(tmp_path / "baseline.json")
    before = lint(data, settings=DUPS)
    assert where(before) == [("DUP005", 13)]
    assert write_baseline(before, path) == 1
    write_jsonl(data, [rows[-1], *rows[:-1]])
    after = lint(data, settings=DUPS)
    assert where(after) == [("DUP005", 5)]  # now on the other record
    assert findings_of(apply_baseline(after, load_baseline(path), DUPS)) == []


def test_a_reversed_and_reindented_json_array_keeps_its_duplicate_findings(tmp_path: Path) -> None:
    """identity_alpaca.json with a conflict of three records added (two findings, each naming the
    first): reversing the array changes which record is first, so keying by the pair would not do.
    (The file's own repeated prompts, "你好" answered by two greetings, are no conflict.)"""
    records = json.loads((SAMPLES / "identity_alpaca.json").read_text(encoding="utf-8"))
    records[5:5] = [{"instruction": "你的版本号是多少？", "input": "", "output": f"我的版本号是 {v}。"} for v in ("1.0", "2.0", "3.1")]
    data = tmp_path / "identity_alpaca.json"
    data.write_text(json.dumps(records, indent=2), encoding="utf-8")
    path = str(tmp_path / "baseline.json")
    before = lint(data, settings=DUPS)
    conflicts = [f for f in findings_of(before) if f.rule == "DUP005"]
    assert len({f.related for f in conflicts}) < len(conflicts)  # two findings name the same first record
    write_baseline(before, path)
    data.write_text(json.dumps(records[::-1], indent=7), encoding="utf-8")
    after = lint(data, settings=DUPS)
    assert sorted(f.rule for f in findings_of(after)) == sorted(f.rule for f in findings_of(before))
    assert {f.line for f in findings_of(after)} != {f.line for f in findings_of(before)}
    assert findings_of(apply_baseline(after, load_baseline(path), DUPS)) == []


def test_a_record_joining_an_accepted_group_is_the_only_new_finding(tmp_path: Path) -> None:
    """A group is keyed by its smallest record fingerprint, not by all of them: a new conflicting
    answer (with a larger fingerprint) adds one finding to the group, and leaves the others accepted."""
    rows = distinct_chats(6)
    # the answer with another number: three or more answers to one prompt conflict only so (else
    # the prompt may be sampled several times on purpose)
    group = [renumbered(rows[2], 27), renumbered(rows[2], 28)]
    data = write_jsonl(tmp_path / "train.jsonl", [*rows, *group])
    path = str(tmp_path / "baseline.json")
    assert write_baseline(lint(data, settings=DUPS), path) == 1
    assert load_baseline(path).entries[0].count == 2
    joining = renumbered(rows[2], 29)
    write_jsonl(data, [joining, *rows, *group])
    group_lines = (4, 8, 9)  # rows[2] and its two conflicts, after the new record on line 1
    # the precondition: the joining record's fingerprint is not the group's smallest
    assert record_fingerprint(data, 1) > min(record_fingerprint(data, n) for n in group_lines)
    left = findings_of(apply_baseline(lint(data, settings=DUPS), load_baseline(path), DUPS))
    assert [f.rule for f in left] == ["DUP005"]


def test_findings_naming_a_common_record_are_one_group_in_any_order(tmp_path: Path) -> None:
    """Line 2 names line 3, line 3 names line 1: one group of three, whatever order the findings
    come in and whichever of them (or another rule's finding) numbers a record first."""
    data = write_jsonl(tmp_path / "train.jsonl", GOOD[:3])
    file = str(data)

    def at(rule: str, line: int, *related: int) -> Finding:
        return Finding(rule=rule, name="x", category="duplicates", severity=ftdata.Severity.WARNING, file=file,
                       line=line, record_index=line - 1, related=tuple(Location(file, n, n - 1) for n in related))

    smallest = min(record_fingerprint(data, n) for n in (1, 2, 3))
    findings = [at("FMT020", 1), at("DUP003", 2, 3), at("DUP003", 3, 1)]
    for order in itertools.permutations(range(3)):
        keys = dict(zip(order, fingerprints([findings[i] for i in order])))
        assert keys == {0: record_fingerprint(data, 1), 1: smallest, 2: smallest}
    other_rule = fingerprints([at("DUP003", 2, 3), at("DUP005", 3, 1)])  # groups are per rule
    assert other_rule == [min(record_fingerprint(data, n) for n in (2, 3)),
                          min(record_fingerprint(data, n) for n in (1, 3))]


def test_a_pair_findings_pointer_is_no_part_of_its_key(tmp_path: Path) -> None:
    """A rule may point into the record carrying a pair finding; when the other record carries it,
    the pointer is another one."""
    a, b = chat("Tell me a joke.", "Why did the chicken cross the road?"), chat("Tell me a joke!", "Knock knock.")
    data = write_jsonl(tmp_path / "train.jsonl", [a, b])

    def pair(pointer: str) -> list[FileResult]:  # on line 2, naming line 1, as the duplicate rules do
        found = Finding(rule="DUP005", name="conflicting-output", category="duplicates",
                        severity=ftdata.Severity.WARNING, file=str(data), line=2, record_index=1, pointer=pointer,
                        related=(Location(str(data), 1, 0),))
        return [FileResult(str(data), 2, 2, [found], {})]

    path = tmp_path / "baseline.json"
    write_baseline(pair("/messages/1/content"), str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["entries"][0]["pointer"] == ""
    write_jsonl(data, [b, a])
    assert findings_of(apply_baseline(pair("/messages/0/content"), load_baseline(str(path)), SETTINGS)) == []


def test_a_leak_is_keyed_with_its_training_record_read_in_the_same_pass(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    rows = distinct_chats(12)
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    leaks = [rows[4], chat(rows[7]["messages"][0]["content"], rows[7]["messages"][1]["content"] + "!")]
    evaluation = write_jsonl(tmp_path / "eval.jsonl", [*leaks, chat("A question for evaluation only?", "Yes.")])
    settings = Settings(select=("LEAK",), eval=(str(evaluation),), jobs=1)
    report = ftdata.lint(str(train), settings=settings)
    assert [(f.rule, f.file, f.line, f.related[0].line) for f in report.findings] == [
        ("LEAK001", str(evaluation), 1, 5), ("LEAK001", str(evaluation), 2, 8)]
    opened = count_opens(monkeypatch)
    keys = fingerprints(report.findings)
    assert sorted(opened) == sorted([str(train), str(evaluation)])  # the training file too, once
    assert keys[0] == record_fingerprint(evaluation, 1)  # an exact copy: the group has one fingerprint
    assert record_fingerprint(evaluation, 2) != record_fingerprint(train, 8)
    assert keys[1] == min(record_fingerprint(evaluation, 2), record_fingerprint(train, 8))
    write_jsonl(train, rows[::-1])
    write_jsonl(evaluation, [chat("A question for evaluation only?", "Yes."), *leaks[::-1]])
    assert fingerprints(ftdata.lint(str(train), settings=settings).findings) == keys[::-1]


def record_fingerprint(path: Path, line: int) -> str:
    """The fingerprint of the record on a line of a file with one record a line."""
    return fingerprints([Finding(rule="X", name="x", category="format", severity=ftdata.Severity.ERROR,
                                 file=str(path), line=line, record_index=line - 1)])[0]


def test_a_byte_order_mark_is_keyed_by_its_file_not_by_the_first_record(tmp_path: Path) -> None:
    """FMT003 is reported on line 1 but is about the file: moving lines keeps it accepted."""
    settings = Settings(select=(*RULES, "FMT003"), jobs=1)
    rows: list[Any] = [*GOOD, PLACEHOLDER, BROKEN]
    data = tmp_path / "train.jsonl"

    def write(rows: list[Any]) -> None:
        data.write_bytes(b"\xef\xbb\xbf" + "".join((r if isinstance(r, str) else json.dumps(r)) + "\n"
                                                   for r in rows).encode())

    write(rows)
    path = str(tmp_path / "baseline.json")
    before = lint(data, settings=settings)
    assert ("FMT003", 1) in where(before)
    assert write_baseline(before, path) == 3
    write(rows[::-1])
    assert findings_of(apply_baseline(lint(data, settings=settings), load_baseline(path), settings)) == []
    array = tmp_path / "train.json"
    array.write_bytes(b"\xef\xbb\xbf" + json.dumps([PLACEHOLDER, *GOOD]).encode())
    fp = fingerprint_by_rule(array, settings)[("FMT003", "")]
    array.write_bytes(b"\xef\xbb\xbf" + json.dumps([*GOOD, PLACEHOLDER], indent=4).encode())
    assert fingerprint_by_rule(array, settings)[("FMT003", "")] == fp


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


def test_an_unreadable_baseline_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read baseline") as e:
        load_baseline(str(tmp_path))  # a folder
    assert "\n" not in str(e.value)


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
    assert [(f.file, f.line) for f in unused] == [(os.path.relpath(config), 6), (os.path.relpath(config), 7)]
    assert "'gone-9' matches no linted record" in unused[0].message
    assert "'g-0' suppresses nothing" in unused[1].message and "placeholder" in unused[1].message


def test_unused_id_ignore_is_located_relative_to_the_working_directory(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """As the baseline's path is, so that SARIF and GitHub annotations map to the checkout."""
    data, config, ignores = id_setup(tmp_path)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    left = apply_id_ignores(lint(data), "meta.uid", ignores, str(config.resolve()), SETTINGS)
    assert {f.file for f in findings_of(left) if f.rule == "SUP002"} == {os.path.join("..", "pyproject.toml")}


@pytest.mark.parametrize("selector", ["CNT001", "cnt001", "CNT", "C", "placeholder", "content", "ALL", "all",
                                      " CNT001 ", "FMT", "FMT020", "empty-turn", "format", "Placeholder", ""])
def test_id_ignore_rules_are_selectors_as_select_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            selector: str) -> None:
    """One selector logic (ftdata.selection.specificity), not a copy of it."""
    from ftdata.checks.content.placeholder import Placeholder
    from ftdata.selection import specificity

    asked: list[str] = []

    def spy(cls: Any, s: str) -> int | None:
        asked.append(s)
        return specificity(cls, s)

    monkeypatch.setattr(suppress_ids, "specificity", spy)
    data = write_jsonl(tmp_path / "train.jsonl", [with_id(PLACEHOLDER, "p-1"), *GOOD])
    ignores = [{"id": "p-1", "reason": "kept on purpose", "rules": [selector]}]
    left = where(apply_id_ignores(lint(data), "meta.uid", ignores, None, SETTINGS))
    assert selector in asked
    assert (("CNT001", 1) not in left) == (specificity(Placeholder, selector) is not None)


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


def test_cli_an_unreadable_baseline_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    data = write_jsonl(tmp_path / "train.jsonl", [*GOOD, EMPTY])
    (tmp_path / "baseline.json").write_text('{"ftdata_baseline": 1, "entries": []}', encoding="utf-8")

    def denied(path: str, *args: Any, **kwargs: Any) -> Any:  # chmod does not stop root
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(baseline_mod, "open", denied, raising=False)
    assert _run(["lint", "--isolated", "--select", ",".join(RULES), "--baseline", "baseline.json", str(data)]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot read baseline 'baseline.json': Permission denied" in err and "Traceback" not in err


def test_cli_sarif_fingerprints_of_a_duplicate_pair_survive_swapping_its_lines(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    rows = distinct_chats(12)
    rows.append(conflict(rows[3], "Something completely different and unrelated entirely."))

    def sarif(rows: list[Any]) -> list[tuple[str, int, str]]:
        write_jsonl(tmp_path / "d.jsonl", rows)
        assert _run(["lint", "--isolated", "--select", "DUP", "--format", "sarif", "-o", "out.sarif", "d.jsonl"]) == 0
        results = orjson.loads((tmp_path / "out.sarif").read_bytes())["runs"][0]["results"]
        return [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
                 r["partialFingerprints"]["recordFingerprint/v1"]) for r in results]

    before = sarif(rows)
    rows[3], rows[12] = rows[12], rows[3]
    after = sarif(rows)
    assert [(rule, line) for rule, line, _ in before] == [("DUP005", 13)]  # the later record of the pair
    assert [(rule, line) for rule, line, _ in after] == [("DUP005", 13)]  # now the other one
    assert after[0][2] == before[0][2]


def test_cli_rewriting_for_some_files_or_rules_keeps_the_others_entries(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """--write-baseline on one file (or fewer rules) judges only that: the other entries stay."""
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    a = write_jsonl(tmp_path / "a.jsonl", [*GOOD, PLACEHOLDER, EMPTY])
    b = write_jsonl(tmp_path / "b.jsonl", [*GOOD, EMPTY])
    select = ["--isolated", "--select", ",".join(RULES)]
    assert _run(["lint", *select, "--write-baseline", str(a), str(b)]) == 0
    everything = load_baseline("ftdata-baseline.json").entries
    assert {e.file for e in everything} == {"a.jsonl", "b.jsonl"}
    write_jsonl(a, [*GOOD, PLACEHOLDER])  # the empty turn of a.jsonl is fixed
    assert _run(["lint", *select, "--write-baseline", str(a)]) == 0
    assert _run(["lint", "--isolated", "--select", "FMT020", "--write-baseline", str(b)]) == 0
    kept = load_baseline("ftdata-baseline.json").entries
    assert {(e.file, e.rule) for e in kept} == {(e.file, e.rule) for e in everything} - {("a.jsonl", "FMT020")}
    assert _run(["lint", *select, str(a), str(b)]) == 0


def test_cli_says_what_the_baseline_hides_and_never_lints_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "train.jsonl", [*GOOD, PLACEHOLDER, EMPTY])
    select = ["--isolated", "--select", ",".join(RULES)]
    assert _run(["lint", *select, "--write-baseline", "train.jsonl"]) == 0
    capsys.readouterr()
    assert _run(["lint", *select, "train.jsonl", "ftdata-baseline.json"]) == 0  # as `*.json*` would give
    out, err = capsys.readouterr()
    assert "skipping ftdata-baseline.json: it is the baseline" in err
    assert "2 accepted findings not shown (baseline, record ignores)" in out and "(1 file)" in out
    assert _run(["lint", *select, "train.jsonl", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["suppressed"] == 2
    assert _run(["lint", *select, "ftdata-baseline.json"]) == 2
    assert "nothing to lint" in capsys.readouterr().err


def test_cli_a_baseline_written_beside_id_ignores_agrees_with_the_next_lint(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A group's key depends on every finding of the group: the baseline must key the findings it
    writes as a lint keys them, before an id ignore removes one of the group's."""
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    q = "Explain in detail how photosynthesis converts light energy into chemical energy in green plants"
    a = "Photosynthesis uses chlorophyll to capture light, splitting water and fixing carbon dioxide into glucose."
    rows = [chat(f"Unrelated question number {i} about topic {i * 7 % 11}", f"Unrelated answer {i}.", id=f"o{i}")
            for i in range(12)]
    for rid, end, at in (("a", ".", 0), ("b", "!", 7), ("c0", "?", 14)):
        rows.insert(at, chat(q + end, a, id=rid))
    write_jsonl(tmp_path / "d.jsonl", rows)
    (tmp_path / "ftdata.toml").write_text('id-field = "id"\n[[ignore-records]]\nid = "c0"\nreason = "kept on '
                                          'purpose"\nrules = ["DUP"]\n', encoding="utf-8")
    select = ["--select", "DUP,SUP", "--format", "json", "-o", "out.json"]
    assert _run(["lint", "d.jsonl", *select, "--no-baseline"]) == 0
    assert {f["rule"] for f in orjson.loads((tmp_path / "out.json").read_bytes())["findings"]} >= {"DUP002"}
    assert _run(["lint", "d.jsonl", "--select", "DUP,SUP", "--write-baseline"]) == 0
    assert _run(["lint", "d.jsonl", *select]) == 0
    assert orjson.loads((tmp_path / "out.json").read_bytes())["findings"] == []


def test_cli_rewriting_drops_the_entries_of_files_that_are_gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "a.jsonl", [*GOOD, PLACEHOLDER])
    write_jsonl(tmp_path / "b.jsonl", [*GOOD, EMPTY])
    select = ["--isolated", "--select", ",".join(RULES)]
    assert _run(["lint", *select, "--write-baseline", "a.jsonl", "b.jsonl"]) == 0
    (tmp_path / "b.jsonl").rename(tmp_path / "c.jsonl")
    assert _run(["lint", *select, "--write-baseline", "a.jsonl", "c.jsonl"]) == 0
    assert {e.file for e in load_baseline("ftdata-baseline.json").entries} == {"a.jsonl", "c.jsonl"}


def test_cli_a_renamed_data_file_is_reported_once_not_silently_unaccepted(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Gzipping train.jsonl orphans its entries: the lint says so once, at the first entry's line."""
    from ftdata.cli import _run

    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "train.jsonl", [*GOOD, PLACEHOLDER, EMPTY])
    select = ["--isolated", "--select", ",".join(RULES), "--format", "json"]
    assert _run(["lint", *select, "--write-baseline", "train.jsonl"]) == 0
    (tmp_path / "train.jsonl.gz").write_bytes(gzip.compress((tmp_path / "train.jsonl").read_bytes()))
    (tmp_path / "train.jsonl").unlink()
    capsys.readouterr()
    assert _run(["lint", *select, "train.jsonl.gz"]) == 1  # its findings are new under the new name
    found = json.loads(capsys.readouterr().out)["findings"]
    assert {f["rule"] for f in found} == {"CNT001", "FMT020", "SUP001"}
    gone = [f for f in found if f["rule"] == "SUP001"]
    assert [(f["file"], f["line"]) for f in gone] == [("ftdata-baseline.json", 2)]
    assert "2 entries for train.jsonl, which no longer exists" in gone[0]["message"]


def test_a_file_name_not_in_utf8_is_baselined_and_matched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os gives a name that is not UTF-8 with lone surrogates, which orjson refuses: the entry is
    written as a JSON escape and read back the same, so it matches (it crashed --write-baseline)."""
    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"caf\xe9.jsonl")
    Path(name).write_text('{"messages": [{"role": "user", "content": "Sign it."}, '
                          '{"role": "assistant", "content": "Regards, [Your Name]"}]}\n')
    report = ftdata.lint(name)
    assert any(f.rule == "CNT001" for f in report.findings)
    n = write_baseline(report, "ftdata-baseline.json")
    assert n == len(report.findings)
    assert "\\udce9" in Path("ftdata-baseline.json").read_text(encoding="utf-8")
    base = load_baseline("ftdata-baseline.json")
    assert {e.file for e in base.entries} == {name}
    again = apply_baseline(list(report.results), base)
    assert [f for r in again for f in r.findings] == []
