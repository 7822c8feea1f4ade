"""Style rules (STY002, STY003) on real data: quiet on varied open-ended answers (lima), exact on
deviations planted in a consistent set (fastchat's dummy conversations), silent on labels.

Skipped cleanly when ../shared/datasets is absent (a user's clone has no ../shared).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import ftdata
from independent import DATASETS, REPORT_SCHEMA, banking, chat

if not DATASETS.is_dir():
    pytest.skip("../shared/datasets is absent", allow_module_level=True)
SCHEMA = REPORT_SCHEMA


def _style(report: ftdata.Report) -> list[ftdata.Finding]:
    return [f for f in report.findings if f.category == "style"]


def test_lima_varied_answers_yield_few_style_findings() -> None:
    """LIMA's answers are deliberately varied (Stack Exchange, wikiHow, hand-written): structure
    follows the question, so only voice features with a clear convention are judged."""
    report = ftdata.lint(str(DATASETS / "lima" / "lima.json"))
    found = _style(report)
    assert len(found) <= 0.07 * report.stats["files"][0]["examples"], Counter(f.message.split(",")[0] for f in found)
    assert not [f for f in found if f.rule == "STY003"]
    kinds = {f.message.split(":")[0] for f in found if not f.message.startswith("assistant turn")}
    assert not kinds & {"layout", "headings", "bullets", "numbered lists", "bold", "tables", "code fences", "length"}
    # LIMA's Portuguese answers reply to Portuguese questions: their prompts account for them (at most
    # one prompt is too short to tell); the German chapter "Hitler" writes, asked in English, is real
    portuguese = [f for f in found if f.message.startswith("language: Portuguese")]
    assert len(portuguese) <= 1, portuguese
    assert any(f.message.startswith("language: German, where 99% of answers have English") for f in found)
    Draft202012Validator(SCHEMA).validate(json.loads(json.dumps(report.to_dict())))
    assert report.stats["files"][0]["style"]["features"]["language"]["convention"] == "English"


def test_deviations_planted_in_a_consistent_set_are_found_exactly(tmp_path: Path) -> None:
    rows = json.loads((DATASETS / "fastchat" / "dummy_conversation.json").read_text(encoding="utf-8"))
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(rows), encoding="utf-8")
    assert _style(ftdata.lint(str(clean))) == []  # one-line, sentence-case English answers throughout
    planted = {100: ("case", lambda t: t.upper()),
               200: ("language", lambda t: "Lo siento, no sé cuál es la capital de ese país, pero puedo ayudarte."),
               300: ("bullets", lambda t: "Here is what I can do:\n- answer questions\n- write text")}
    for index, (_, change) in planted.items():
        turn = rows[index]["conversations"][1]
        assert turn["from"] == "gpt" and len(turn["value"]) > 12
        turn["value"] = change(turn["value"])
    dirty = tmp_path / "dirty.json"
    dirty.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    found = [f for f in _style(ftdata.lint(str(dirty), checks={"style-deviation": {"minor": True}}))
             if f.rule == "STY002"]
    default = {f.record_index for f in _style(ftdata.lint(str(dirty))) if f.rule == "STY002"}
    assert default == {100, 200}  # the bullets are harmless variation, reported only with `minor`
    assert {f.record_index for f in found} == set(planted)
    for index, (feature, _) in planted.items():
        messages = [f.message for f in found if f.record_index == index]
        # "assistant turn 2: " first when the record has more than one assistant turn
        assert any(m.split("assistant turn 2: ")[-1].startswith(f"{feature}: ") for m in messages), messages
        assert all(f.pointer == "/conversations/1/value" for f in found if f.record_index == index)


def test_labels_are_not_judged_for_style(tmp_path: Path) -> None:
    """banking77's answers are intent names: a label set, whose shape is the balance rules' business."""
    report = ftdata.lint(str(chat(banking("test"), tmp_path / "test.jsonl")), ignore=("duplicates",), jobs=1)
    assert _style(report) == [] and "style" not in report.stats["files"][0]
