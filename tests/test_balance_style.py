"""Balance and style rules on small constructed sets: the cases a reviewer found wrong, pinned."""
from __future__ import annotations

from pathlib import Path

import ftdata
from independent import chat_record as _chat, write_jsonl

QUESTIONS = [
    "Where is my new card?", "How do I reset my PIN?", "Why was I charged a fee?", "Can I freeze my account?",
    "What is the exchange rate today?", "How long does a transfer take?", "Is there an app for tablets?",
    "Who do I call about fraud?", "Can I change my address online?", "What happens if I go overdrawn?",
    "Do you offer student loans?", "How can I close my savings?", "When are statements sent out?",
    "Why did my payment bounce?", "May I get a paper cheque book?", "Which cards work abroad?",
    "Is contactless safe to use?", "Where can I deposit cash?",
]


def _write(path: Path, rows: list[dict[str, object]]) -> str:
    return str(write_jsonl(path, rows))


def _rules(report: ftdata.Report, category: str) -> list[str]:
    return [f.rule for f in report.findings if f.category == category]


def test_unseen_eval_labels_are_judged_against_all_training_sets_together(tmp_path: Path) -> None:
    one = _write(tmp_path / "one.jsonl", [_chat(q, "pos" if i % 2 else "neg") for i, q in enumerate(QUESTIONS)])
    two = _write(tmp_path / "two.jsonl", [_chat(q, "neutral" if i % 2 else "neg") for i, q in enumerate(QUESTIONS)])
    evaluation = _write(tmp_path / "eval.jsonl", [_chat("Is it good?", "pos"), _chat("Is it fine?", "neutral"),
                                                  _chat("Is it bad?", "unknown")])
    found = [f for f in ftdata.lint([one, two], eval=[evaluation]).findings if f.rule == "BAL003"]
    assert [f.message.split("'")[1] for f in found] == ["unknown"]
    assert "training sets" in found[0].message


def test_copies_with_another_label_still_count_for_that_label(tmp_path: Path) -> None:
    rows = [_chat(q, "ok", cat="A") for q in QUESTIONS] + [_chat(q, "fine", cat="B") for q in QUESTIONS]
    rows += [_chat(q, "ok", cat="C") for q in QUESTIONS[:6]]  # the same conversations as A's, labelled C
    report = ftdata.lint(_write(tmp_path / "cat.jsonl", rows), label_field="cat")
    assert report.stats["files"][0]["labels"]["counts"] == {"A": 18, "B": 18, "C": 6}


def test_a_field_with_a_value_per_record_is_not_a_label(tmp_path: Path) -> None:
    rows = [_chat(f"message {i}", "ok", id=f"ticket-{i}") for i in range(300)]
    report = ftdata.lint(_write(tmp_path / "ids.jsonl", rows), label_field="id")
    table = report.stats["files"][0]["labels"]
    assert table["per_record"] and table["labels"] == 300 and len(table["counts"]) == 50
    assert not _rules(report, "balance")


def test_labels_are_final_assistant_turns_and_json_scalars(tmp_path: Path) -> None:
    prompts = [{"messages": [{"role": "user", "content": "hello" if i % 5 else "yo"}]} for i in range(30)]
    assert not _rules(ftdata.lint(_write(tmp_path / "prompts.jsonl", prompts)), "balance")
    flags = [_chat(q, "x", flag=i % 2 == 0) for i, q in enumerate(QUESTIONS)]
    table = ftdata.lint(_write(tmp_path / "flags.jsonl", flags), label_field="flag").stats["files"][0]["labels"]
    assert set(table["counts"]) == {"true", "false"}


def test_templated_or_dated_system_prompts_are_not_variants(tmp_path: Path) -> None:
    names = ["Ann", "Bob", "Cem", "Dia", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kai", "Lea", "Max", "Ned",
             "Oda", "Pia", "Quin", "Rae"]
    templated = [_chat(q, "ok", system=f"You are the ACME Corp assistant. The customer's name is {names[i]}.")
                 for i, q in enumerate(QUESTIONS)]
    dated = [_chat(q, "ok", system=f"You are the ACME Corp assistant. Today is 2024-03-{1 + i % 3:02d}.")
             for i, q in enumerate(QUESTIONS)]
    for name, rows in (("templated", templated), ("dated", dated)):
        assert not _rules(ftdata.lint(_write(tmp_path / f"{name}.jsonl", rows)), "style"), name
