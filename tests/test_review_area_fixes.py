"""Fixes from the review of issue 13's format, location and workflow changes: a did-you-mean that
names a preference key only where the format has one, a nested key's pointer escaped as RFC 6901
says, a broken file named .json reported by lint (not an internal error), and `ftdata show` on a
record that only lenient parsers read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest


import ftdata
from ftdata.non_data import reason
from independent import chat_record, cli, write_jsonl


def test_a_flag_beside_chat_messages_is_no_renamed_answer(tmp_path: Path) -> None:
    # a reviewed chat export: `accepted` is the reviewer's verdict, not a preferred answer
    rows = [dict(chat_record(f"How do I close account {i}?", f"Open Settings, then Close account {i}."),
                 accepted=True) for i in range(3)]
    found = ftdata.lint(write_jsonl(tmp_path / "chat.jsonl", rows), jobs=1, select=["FMT011"]).findings
    assert [f.pointer for f in found] == ["/accepted"] * 3
    assert all("chosen" not in f.message for f in found), found[0].message


def test_a_renamed_answer_of_a_preference_record_is_still_named(tmp_path: Path) -> None:
    rows = [{"prompt": f"Name a colour ({i}).", "chosen": "Red.", "rejected": "No.", "good": "Blue."} for i in range(3)]
    found = ftdata.lint(write_jsonl(tmp_path / "pref.jsonl", rows), jobs=1, select=["FMT011"]).findings
    assert found and all("'chosen', which the record also has" in f.message for f in found), found


def test_nested_key_pointer_escapes_slash_and_tilde(tmp_path: Path) -> None:
    rows = [{"instruction": "Classify the sentiment.", "i/o~pairs": [{"input": "Great!", "output": "positive"}]}]
    (found,) = ftdata.lint(write_jsonl(tmp_path / "seed.jsonl", rows), jobs=1, select=["FMT010"]).findings
    assert "it is nested, at /i~1o~0pairs/0/output" in found.message, found.message


def test_a_broken_gzip_named_json_is_reported_by_lint(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"not a gzip stream " * 20)
    assert reason(str(path)) is None  # not judged here: lint reads it and says what is wrong
    code, out, err = cli("lint", path, "--isolated", "--jobs", "1")
    assert code == 2 and "internal error" not in err and "skipping" not in err, err



@pytest.mark.parametrize("command", [("show", "{path}", "1"), ("dedupe", "{path}", "-o", "{out}"),
                                     ("lint", "{path}", "--fix", "--fix-output", "{out}")])
def test_a_broken_gzip_is_one_sentence_for_every_command(tmp_path: Path, command: tuple[str, ...]) -> None:
    """show, dedupe and --fix read files too: a broken gzip stream is "cannot read", exit 2."""
    path = tmp_path / "train.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"not a gzip stream " * 20)
    args = [a.format(path=path, out=tmp_path / "out.jsonl") for a in command]
    code, out, err = cli(*args)
    assert code == 2 and "internal error" not in err and "cannot read" in err, err
    assert len(err.strip().splitlines()) == 1

def test_show_prints_a_record_with_a_lone_surrogate(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text('{"instruction": "Spell \\ud83d", "output": "x"}\n', encoding="utf-8")
    assert ftdata.lint(str(path), jobs=1, select=["FMT001"]).findings  # lenient-only JSON: linted, reported
    code, out, err = cli("show", path, "1")
    assert code == 0, err
    assert json.loads(out) == {"instruction": "Spell \ud83d", "output": "x"}


def test_a_collapsed_rule_is_counted_as_the_summary_counts_it() -> None:
    from ftdata.report.markdown import render as markdown
    from ftdata.report.text import render as text

    codealpaca = Path(__file__).resolve().parent / "fixtures" / "collapse" / "new_codealpaca_25.json"
    report = ftdata.lint(codealpaca, jobs=1, select=["FMT011"])  # `response` beside `output` on all 25
    assert len(report.findings) == 1 and report.summary["warnings"] == 25
    assert "FMT011 unknown-key  warning  25 findings" in text(report)  # it said "1 finding"
    assert "| warning | 25 |" in markdown(report)


def test_answers_that_are_json_objects_are_no_single_label(tmp_path: Path) -> None:
    # a JSON-extraction set whose answers are objects, not strings: each is reported as a wrong
    # type, but they are distinct answers, not "the same label" (they were all read as "")
    people = ["Anna", "Ben", "Carla", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]
    rows = [{"instruction": "Extract the customer's name and quantity as JSON.",
             "input": f"Order {i}: {name} wants {i + 2} apples delivered on Monday.",
             "response": {"name": name, "qty": i + 2}} for i, name in enumerate(people * 2)]
    report = ftdata.lint(write_jsonl(tmp_path / "extract.jsonl", rows), jobs=1, collapse=False)
    assert sum(f.rule == "FMT012" for f in report.findings) == len(rows)  # still: not a string
    assert not [f for f in report.findings if f.rule in ("DUP006", "BAL001", "BAL002")], report.findings


def test_turn_pairs_repeating_their_system_prompt_have_one(tmp_path: Path) -> None:
    # exports that copy the system prompt into every {system, human, assistant} pair
    rows = [{"conversation_id": i, "conversation": [
        {"system": "你是一个乐于助人的助手。", "human": f"绿茶{i}是怎么制作的？", "assistant": "绿茶经过杀青、揉捻和干燥制成。"},
        {"system": "你是一个乐于助人的助手。", "human": "红茶呢？", "assistant": "红茶经过完全发酵。"}]} for i in range(3)]
    rows[2]["conversation"][1]["system"] = "只用英文回答。"  # a new system prompt mid-conversation: still found
    found = ftdata.lint(write_jsonl(tmp_path / "pairs.jsonl", rows), jobs=1, select=["FMT024"]).findings
    assert [f.line for f in found] == [3], found  # every record was flagged: "second system message"
