"""Content hygiene on real data: the defects ../shared/datasets/README.md documents, found
exactly where an independent reading of the raw files puts them, and quiet where the data is
known to be clean of them.

Skipped cleanly when ../shared/datasets is absent (a user's clone has no ../shared).
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

import ftdata
from independent import DATASETS, records_by_line

if not DATASETS.is_dir():
    pytest.skip("../shared/datasets is absent", allow_module_level=True)


def _found(path: Path, code: str) -> list[ftdata.Finding]:
    # every record's findings: a defect on every record is otherwise one finding (ftdata.collapse)
    return [f for f in ftdata.lint(str(path), jobs=1, collapse=False).findings if f.rule == code]


@pytest.mark.parametrize("name", ["llama_factory/identity.json", "llama_factory/v1_sft_demo.jsonl"])
def test_unfilled_name_and_author_placeholders(name: str) -> None:
    want = {line for line, (_, r) in records_by_line(name).items() if re.search(r"\{\{(name|author)\}\}", json.dumps(r))}
    found = _found(DATASETS / name, "CNT001")
    assert want and {f.line for f in found} == want
    assert all("{{" in f.message and f.excerpt and "{{" in f.excerpt for f in found)


def test_t0_completions_end_in_a_literal_end_of_text_token() -> None:
    folder = DATASETS / "self_instruct" / "t0_train_50k_subset"
    for path in sorted(folder.glob("*.jsonl"))[:5]:
        rows = [json.loads(s) for s in path.read_text(encoding="utf-8").splitlines()]
        want = {i + 1 for i, r in enumerate(rows) if r["completion"].rstrip().endswith("<|endoftext|>")}
        found = _found(path, "CNT005")
        assert want and {f.line for f in found} == want, path.name
        assert all(f.pointer == "/completion" and "'<|endoftext|>'" in f.message and "ends with" in f.message
                   for f in found)


def test_alpaca_empty_input_markers() -> None:
    name = "llama_factory/alpaca_en_demo.json"
    marker = re.compile(r"^\W*(no\s*-?\s*input|n/?a|none)\W*$", re.IGNORECASE)
    want = {line for line, (_, r) in records_by_line(name).items() if marker.match(r.get("input", "") or "x")}
    found = _found(DATASETS / name, "CNT002")
    assert len(want) >= 5 and {f.line for f in found} == want
    assert all(f.pointer == "/input" for f in found)


def test_mojibake_and_windows_1252_controls_in_imdb_reviews() -> None:
    path = DATASETS / "self_instruct" / "t0_train_50k_subset" / "imdb_Movie_Expressed_Sentiment.jsonl"
    rows = [json.loads(s) for s in path.read_text(encoding="utf-8").splitlines()]
    want = {i + 1 for i, r in enumerate(rows) if re.search("[\x80-\x9f]", r["prompt"])}
    found = [f for f in _found(path, "CNT008") if "control character" in f.message]
    assert want and {f.line for f in found} == want
    assert all("Windows-1252" in f.message for f in found)


def test_refusals_are_counted_with_their_share() -> None:
    name = "llama_factory/alpaca_en_demo.json"
    # "As an AI, I can assist you with ideas. However, I'm unable to create the actual image": the
    # opener states no limit and the text-only limit is followed by the work (a label says clean)
    want = {line for line, (_, r) in records_by_line(name).items()
            if r["output"].startswith("As an AI,") and re.search(r"n[’']t|\bnot\b|unable", r["output"].split(".")[0])}
    found = _found(DATASETS / name, "CNT003")
    assert want and want <= {f.line for f in found}
    assert all(re.search(rf"\b{len(found)} of 99\d answering records \(2\.\d%\)", f.message) for f in found)


def test_tool_limits_in_function_calling_data_are_not_refusals() -> None:
    """glaive's "I'm sorry, but I can't book flights; my current function is X" teaches a tool-using
    model to decline what no tool covers: intended, so not reported (it was, 44 times)."""
    path = DATASETS / "llama_factory" / "glaive_toolcall_en_demo.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    apologies = sum(1 for r in raw if r.get("tools") and any(
        t["from"] == "gpt" and t["value"].startswith("I'm sorry, but") for t in r["conversations"]))
    assert apologies >= 40 and _found(path, "CNT003") == []


def test_harmless_preference_pairs_are_not_refusal_findings() -> None:
    """Choosing a refusal over a harmful answer is the point of harmlessness data; a chosen answer
    is judged for AI disclaimers only."""
    path = DATASETS / "hh_rlhf" / "harmless-base" / "test.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        chosen = [json.loads(line)["chosen"].rsplit("\n\nAssistant:", 1)[-1] for line in f]
    assert sum(1 for c in chosen if re.match(r"\s*I(’|')m sorry", c)) >= 10
    assert all("disclaims being an AI" in f.message for f in _found(path, "CNT003"))


@pytest.mark.parametrize("name", ["lima/lima.json", "fastchat/dummy_conversation.json", "oasst1_zh/oaast_sft_zh.json",
                                  "code_alpaca/code_alpaca_2k.json"])
def test_knowledge_injection_is_quiet_on_behaviour_data(name: str) -> None:
    assert _found(DATASETS / name, "CNT012") == []


def test_content_rules_flag_a_small_share_of_curated_data() -> None:
    """LIMA was curated by hand: no content rule should flag more than 2% of it."""
    report = ftdata.lint(str(DATASETS / "lima" / "lima.json"))
    n = report.stats["files"][0]["examples"]
    by_rule: dict[str, set[int | None]] = {}
    for f in report.findings:
        if f.category == "content":
            by_rule.setdefault(f.rule, set()).add(f.line)
    assert all(len(lines) <= 0.02 * n for lines in by_rule.values()), {k: len(v) for k, v in by_rule.items()}
