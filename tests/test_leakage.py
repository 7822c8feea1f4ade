"""Train/eval leakage (`--eval`): findings sit on the eval record and name the training record."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jsonschema import Draft202012Validator

import ftdata
from independent import (DATASETS, REPORT_SCHEMA, ROOT, banking, chat, edit_similarity, jaccard, needs_datasets,
                         normalise)

FIXTURES = ROOT / "tests" / "fixtures" / "checks" / "LEAK001"
BANKING = DATASETS / "banking77"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ftdata.cli", *args], capture_output=True, text=True, check=False)


def test_cli_reports_leaks_on_the_eval_file() -> None:
    train, evaluation = FIXTURES / "fail.jsonl", FIXTURES / "eval.jsonl"
    run = _cli("lint", str(train), "--eval", str(evaluation), "--format", "json")
    report = json.loads(run.stdout)
    schema = REPORT_SCHEMA
    Draft202012Validator(schema).validate(report)
    assert run.returncode == 1 == report["exit_code"]
    assert [s["role"] for s in report["stats"]["files"]] == ["train", "eval"]
    leaks = [f for f in report["findings"] if f["category"] == "leakage"]
    # each leak with the training line it leaks from
    assert {(f["rule"], f["line"], f["related"][0]["line"]) for f in leaks} == {
        ("LEAK001", 1, 2), ("LEAK001", 2, 5), ("LEAK002", 4, 3)}
    assert all(f["file"] == str(evaluation) and f["related"][0]["file"] == str(train) for f in leaks)


def test_the_eval_set_is_not_judged_as_a_training_set() -> None:
    """A small eval set is normal: its volume and its internal duplicates are not findings."""
    report = ftdata.lint(str(FIXTURES / "pass.jsonl"), jobs=1, eval=[str(FIXTURES / "eval.jsonl")])
    on_eval = [f for f in report.findings if f.file == str(FIXTURES / "eval.jsonl")]
    assert not [f for f in on_eval if f.category in ("volume", "duplicates", "length")]
    assert {f.rule for f in on_eval} == {"LEAK002"}  # pass.jsonl holds no exact copy, one near one


def test_without_eval_no_leakage_rule_runs(tmp_path: Path) -> None:
    report = ftdata.lint(str(FIXTURES / "fail.jsonl"), jobs=1)
    assert not [f for f in report.findings if f.category == "leakage"]
    assert [s["role"] for s in report.stats["files"]] == ["train"]


@needs_datasets
def test_banking77_test_set_leaks_from_train(tmp_path: Path) -> None:
    train = chat(banking("train"), tmp_path / "train.jsonl")
    evaluation = chat(banking("test"), tmp_path / "test.jsonl")
    report = ftdata.lint(str(train), jobs=1, eval=[str(evaluation)])
    t_lines = train.read_text(encoding="utf-8").splitlines()
    e_lines = evaluation.read_text(encoding="utf-8").splitlines()

    def text(lines: list[str], line: int | None) -> str:
        assert line is not None
        m = json.loads(lines[line - 1])["messages"]
        return normalise(f"user {m[0]['content']}") + " " + normalise(m[1]["content"])

    exact = [f for f in report.findings if f.rule == "LEAK001"]
    near = [f for f in report.findings if f.rule == "LEAK002"]
    assert exact and near
    for f in exact:  # every reported leak is checked independently
        assert text(e_lines, f.line) == text(t_lines, f.related[0].line), f
    by_edits = [f for f in near if "the same answer; prompt edit similarity" in f.message]
    assert by_edits
    for f in near:
        e, t = (json.loads(lines[line - 1])["messages"] for lines, line in
                ((e_lines, f.line), (t_lines, f.related[0].line)))
        if f in by_edits:  # the same label, and questions 0.9 alike by edits
            assert e[1]["content"] == t[1]["content"], f
            q, p = (normalise(f"user {m[0]['content']}") for m in (e, t))
            assert edit_similarity(q, p) >= 0.9, f
            continue
        # Jaccard of character 5-grams, exact unless the message marks an estimate
        assert jaccard(text(e_lines, f.line), text(t_lines, f.related[0].line)) >= (0.65 if "≈" in f.message else 0.8), f
    # and no eval record that equals a training record once normalised is missed
    train_texts = {text(t_lines, i + 1) for i in range(len(t_lines))}
    equal = {i + 1 for i in range(len(e_lines)) if text(e_lines, i + 1) in train_texts}
    assert {f.line for f in exact} == equal


def test_a_record_written_differently_is_an_exact_leak(tmp_path: Path) -> None:
    """Exact means equal as canonical JSON, though lines are hashed as written: key order and
    spacing differ here, and the leak is still reported as identical (not merely normalised)."""
    rec = {"messages": [{"role": "user", "content": "Where is my card?"},
                        {"role": "assistant", "content": "It is on its way."}]}
    other = {"messages": [{"role": "user", "content": "Can I pay in euros?"},
                          {"role": "assistant", "content": "Yes, in every shop."}]}
    train, evaluation, again = tmp_path / "train.jsonl", tmp_path / "eval.jsonl", tmp_path / "again.jsonl"
    train.write_text(json.dumps(other) + "\n" + json.dumps(rec) + "\n", encoding="utf-8")
    evaluation.write_text(json.dumps(rec, indent=None, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    again.write_text(json.dumps({"messages": [{"content": "where is my card", "role": "user"},
                                              {"content": "It is on its way", "role": "assistant"}]}) + "\n",
                     encoding="utf-8")
    found = ftdata.lint([str(train)], eval=[str(evaluation), str(again)], jobs=1).findings
    messages = {(f.file, f.rule): f.message for f in found if f.category == "leakage"}
    assert messages[(str(evaluation), "LEAK001")].startswith(f"identical to training record {train} line 2")
    assert messages[(str(again), "LEAK001")].startswith(f"the same text, once normalised, as training record {train}")
    # the exact copy is found though an earlier training record has the same normalised text
    shouted = {"messages": [{"role": m["role"], "content": m["content"].upper()} for m in rec["messages"]]}
    train.write_text(json.dumps(shouted) + "\n" + json.dumps(rec) + "\n", encoding="utf-8")
    found = ftdata.lint([str(train)], eval=[str(evaluation)], jobs=1).findings
    (leak,) = [f for f in found if f.category == "leakage"]
    assert leak.message == f"identical to training record {train} line 2"


def test_training_data_from_stdin_is_read_again_for_leaks(tmp_path: Path) -> None:
    """Stdin is spooled to a temporary file kept until the evaluation sets are compared, so a
    leak written differently is still recognised as identical (canonical JSON needs a re-read)."""
    rec = {"messages": [{"role": "user", "content": "Where is my card?"},
                        {"role": "assistant", "content": "It is on its way."}]}
    evaluation = tmp_path / "eval.jsonl"
    evaluation.write_text(json.dumps(rec, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "ftdata.cli", "lint", "-", "--eval", str(evaluation), "--format", "json"],
                         input=json.dumps(rec) + "\n", capture_output=True, text=True, check=False)
    leaks = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "LEAK001"]
    assert [f["message"] for f in leaks] == ["identical to training record - line 1"]
