"""Common conventions are read as what they are (checked like any format, named once by FMT007);
custom schemas get one concrete "did you mean"; and two bugs that made floods: a deselected rule's
schema errors falling through to FMT015, the configured id field reported as an unknown key."""
from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import ftdata
from independent import ftdata_command, write_jsonl

HERE = Path(__file__).resolve().parent / "fixtures" / "collapse"

# Dolly 15k's shape and text (databricks-dolly-15k, CC BY-SA 3.0)
DOLLY = [
    {"instruction": "When did Virgin Australia start operating?",
     "context": "Virgin Australia, the trading name of Virgin Australia Airlines Pty Ltd, is an Australian-based "
                "airline. It commenced services on 31 August 2000 as Virgin Blue, with two aircraft on a single route.",
     "response": "Virgin Australia commenced services on 31 August 2000 as Virgin Blue, with two aircraft on a "
                 "single route.", "category": "closed_qa"},
    {"instruction": "Which is a species of fish? Tope or Rope", "context": "", "response": "Tope",
     "category": "classification"},
    {"instruction": "Why can camels survive for long without water?", "context": "",
     "response": "Camels use the fat in their humps to keep them filled with energy and hydration for long periods "
                 "of time.", "category": "open_qa"},
]


def dolly(n: int) -> list[dict[str, Any]]:
    return [dict(DOLLY[i % 3], instruction=f"{DOLLY[i % 3]['instruction']} ({i})") for i in range(n)]


def rules(report: ftdata.Report) -> Counter[str]:
    return Counter(f.rule for f in report.findings)


def test_dolly_is_read_as_instruction_response_and_named_once(tmp_path: Path) -> None:
    report = ftdata.lint(write_jsonl(tmp_path / "dolly.jsonl", dolly(30)), jobs=1, select=["FMT"], collapse=False)
    assert report.stats["files"][0]["formats"] == {"instruction-response": 30}
    assert not {"FMT010", "FMT011", "FMT021"} & set(rules(report))  # was 30 of each (and 60 FMT011)
    (info,) = [f for f in report.findings if f.rule == "FMT007"]
    assert info.severity.value == "info" and info.line == 1
    assert "rename 'response' to 'output', 'context' to 'input'" in info.message
    assert '"query": "context"' in info.message


def test_real_defects_in_a_convention_are_still_found(tmp_path: Path) -> None:
    rows = dolly(30)
    rows[4]["response"] = ""  # an empty answer
    rows[7]["respnse"] = rows[7].pop("response") + ""  # a misspelt key: read as Alpaca, which it is not
    rows[9]["category"] = 3  # a wrong type
    found = ftdata.lint(write_jsonl(tmp_path / "dolly.jsonl", rows), jobs=1, select=["FMT"], collapse=False).findings
    lines = {(f.rule, f.line) for f in found}
    assert ("FMT020", 5) in lines  # empty turn
    assert any(line == 8 for _, line in lines)  # the misspelt record is reported
    assert ("FMT012", 10) in lines


def test_string_preference_pairs_with_instruction_or_question(tmp_path: Path) -> None:
    rows = [{"instruction": f"解释第{i}个概念。", "input": "", "chosen": f"这是第{i}个概念的解释。", "rejected": "我不知道。"}
            for i in range(25)] + [{"instruction": "Say hi.", "input": "", "chosen": "Hi!", "rejected": "Hi!"}]
    report = ftdata.lint(write_jsonl(tmp_path / "dpo.jsonl", rows), jobs=1, collapse=False)
    assert report.stats["files"][0]["formats"] == {"instruction-preference": 26}
    assert not {"FMT010", "FMT011", "FMT021"} & set(rules(report))  # was 26 + 52 + 26
    assert [f.line for f in report.findings if f.rule == "FMT032"] == [26]  # identical chosen/rejected: still found
    (info,) = [f for f in report.findings if f.rule == "FMT007"]
    assert "rename 'instruction' to 'prompt' (appending 'input')" in info.message
    orca = [{"system": "", "question": f"Q{i}?", "chosen": f"A{i}.", "rejected": "No."} for i in range(3)]
    report = ftdata.lint(write_jsonl(tmp_path / "orca.jsonl", orca), jobs=1, select=["FMT"])
    assert report.stats["files"][0]["formats"] == {"instruction-preference": 3}
    assert [f.rule for f in report.findings] == ["FMT007"]


def test_sharegpt_with_string_answers_and_turn_pairs(tmp_path: Path) -> None:
    rows = [{"conversations": [{"from": "human", "value": f"Name colour {i}."}], "chosen": "Red.", "rejected": "No."}
            for i in range(3)]
    report = ftdata.lint(write_jsonl(tmp_path / "s.jsonl", rows), jobs=1, select=["FMT"])
    assert [f.rule for f in report.findings] == ["FMT007"]  # was 2 FMT012 errors a record
    assert '{"from": "gpt", "value": "..."}' in report.findings[0].message
    pairs = [{"conversation_id": i, "category": "Brainstorming",
              "conversation": [{"human": f"如何保障安全{i}？", "assistant": "了解相关的安全规定。"}]} for i in range(3)]
    report = ftdata.lint(write_jsonl(tmp_path / "p.jsonl", pairs), jobs=1, select=["FMT"])
    assert report.stats["files"][0]["formats"] == {"conversation-pairs": 3}
    assert [f.rule for f in report.findings] == ["FMT007"]  # was one FMT006 error a record


def test_custom_schema_gets_one_concrete_did_you_mean(tmp_path: Path) -> None:
    rows = [{"question": f"What is {i} squared?", "answer": str(i * i)} for i in range(30)]
    (one,) = ftdata.lint(write_jsonl(tmp_path / "qa.jsonl", rows), jobs=1, select=["FMT"]).findings
    assert one.rule == "FMT006" and one.message.startswith("30 of 30 records: ")
    assert one.message.endswith("as prompt/completion: rename 'question' to 'prompt', 'answer' to 'completion'")
    dpo = [{"system": "", "history": [], "question": f"Q{i}", "response_chosen": "A", "response_rejected": "B"}
           for i in range(3)]
    found = ftdata.lint(write_jsonl(tmp_path / "zh.jsonl", dpo), jobs=1, select=["FMT"]).findings
    assert "rename 'response_chosen' to 'chosen', 'response_rejected' to 'rejected', 'question' to 'prompt'" \
        in found[0].message


def test_nested_required_key_and_stray_copy_are_named() -> None:
    seed = ftdata.lint(HERE / "seed_tasks_25.jsonl", jobs=1, select=["FMT010"]).findings
    assert "it is nested, at /instances/0/output" in seed[0].message
    alpaca = ftdata.lint(HERE / "new_codealpaca_25.json", jobs=1, select=["FMT011"]).findings
    assert "another convention's name for 'output', which the record also has: keep one" in alpaca[0].message


def test_ignoring_unknown_keys_does_not_turn_them_into_schema_violations() -> None:
    report = ftdata.lint(HERE / "dbpedia_25.jsonl", jobs=1, ignore=["FMT011"], collapse=False)
    assert not {"FMT011", "FMT015"} & set(rules(report))  # was 25 FMT015 errors
    assert ftdata.lint(HERE / "dbpedia_25.jsonl", jobs=1, select=["FMT015"]).findings == []


def test_configured_id_field_is_no_unknown_key(tmp_path: Path) -> None:
    rows = [{"id": f"rec-{i}", "meta": {"id": i}, "messages": [{"role": "user", "content": f"Q{i}"},
                                                              {"role": "assistant", "content": f"A{i}"}]}
            for i in range(3)]
    data = write_jsonl(tmp_path / "train.jsonl", rows)
    (tmp_path / "ftdata.toml").write_text('id-field = "id"\nselect = ["FMT011"]\n', encoding="utf-8")
    out = subprocess.run([*ftdata_command(), "lint", str(data), "--format", "json", "--no-collapse"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert [f["pointer"] for f in json.loads(out.stdout)["findings"]] == ["/meta"] * 3  # was /id and /meta
    nested = ftdata.lint(data, jobs=1, select=["FMT011"], checks={"unknown-key": {"id_field": "meta.id"}})
    assert [f.pointer for f in nested.findings] == ["/id"] * 3
