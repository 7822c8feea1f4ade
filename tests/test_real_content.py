"""Content hygiene on real data: the defects ../shared/datasets/README.md documents, found
exactly where an independent reading of the raw files puts them, and quiet where the data is
known to be clean of them.

Skipped cleanly when ../shared/datasets is absent (a user's clone has no ../shared).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import ftdata
from independent import DATASETS, records_by_line

if not DATASETS.is_dir():
    pytest.skip("../shared/datasets is absent", allow_module_level=True)


def _found(path: Path, code: str) -> list[ftdata.Finding]:
    return [f for f in ftdata.lint(str(path), jobs=1).findings if f.rule == code]


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
    path = DATASETS / "llama_factory" / "glaive_toolcall_en_demo.json"
    found = _found(path, "CNT003")
    raw = json.loads(path.read_text(encoding="utf-8"))
    apologies = sum(1 for r in raw if any(t["from"] == "gpt" and t["value"].startswith("I'm sorry, but")
                                          for t in r["conversations"]))
    assert 0.8 * apologies <= len(found) <= apologies + 5
    assert all(f"{len(found)} of 300 answering records" in f.message for f in found)


def test_harmless_preference_pairs_are_not_refusal_findings() -> None:
    """Choosing a refusal over a harmful answer is the point of harmlessness data."""
    assert _found(DATASETS / "hh_rlhf" / "harmless-base" / "test.jsonl.gz", "CNT003") == []


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
