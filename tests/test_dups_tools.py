"""Tool-call data: calls read from every format (answers.calls), conflicting calls for one prompt
(DUP007), tools without descriptions (FMT034), call imbalance over a fixed tool set (BAL004); on
LLaMA-Factory's glaive and reasoning tool-use demos and on built OpenAI function-calling data."""
from __future__ import annotations

import json
from pathlib import Path

from independent import DATASETS, findings, needs_datasets, tool_chat, write_jsonl

GLAIVE = DATASETS / "llama_factory" / "glaive_toolcall_en_demo.json"
REASON = DATASETS / "llama_factory" / "reason_tool_use_demo_50.jsonl"


def test_calls_of_every_format() -> None:
    from ftdata.answers import calls
    from ftdata.model import Message

    openai = Message("assistant", "", "/messages/1", tool_calls=(
        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}},))
    legacy = Message("assistant", "", "/messages/1", tool_calls=({"name": "g", "arguments": '{"y": [2]}'},))
    sharegpt = Message("assistant", "", "/conversations/1", tool_calls=(
        {"from": "function_call", "value": '{"name": "h", "arguments": {"z": "a"}}'},))
    v1 = Message("assistant", "", "/messages/1", tool_calls=(
        {"type": "tool_call", "value": '[{"name": "i", "arguments": {}}, {"name": "j", "arguments": {"k": 0}}]'},))
    broken = Message("assistant", "", "/messages/1", tool_calls=({"function": {"name": "f", "arguments": "{x"}}, "junk"))
    assert [(c.name, c.arguments) for m in (openai, legacy, sharegpt, v1, broken) for c in calls(m)] == [
        ("f", {"x": 1}), ("g", {"y": [2]}), ("h", {"z": "a"}), ("i", {}), ("j", {"k": 0}), ("f", None)]


@needs_datasets
def test_real_tool_corpora_are_clean() -> None:
    """glaive (300 records, 51 tools, each record defining its own) and the reasoning tool-use
    demo: every tool described, no prompt with two calls, many tools each called a few times
    (not a fixed tool set to balance)."""
    for path in (GLAIVE, REASON):
        assert not findings(path, "DUP007,FMT034,BAL004"), path.name


@needs_datasets
def test_glaive_with_a_conflicting_call_and_an_undescribed_tool(tmp_path: Path) -> None:
    records = json.loads(GLAIVE.read_text(encoding="utf-8"))
    first = next(i for i, r in enumerate(records) if any(t["from"] == "function_call" for t in r["conversations"]))
    copy = json.loads(json.dumps(records[first]))
    call = next(t for t in copy["conversations"] if t["from"] == "function_call")
    value = json.loads(call["value"])
    key = next(iter(value["arguments"]))
    value["arguments"][key] = "something else"
    call["value"] = json.dumps(value)
    tools = json.loads(copy["tools"])
    del tools[0]["description"]
    undescribed = dict(records[first + 1], tools=json.dumps(tools))  # another conversation, the tools of `first`
    data = tmp_path / "glaive.json"
    data.write_text(json.dumps([*records, copy, undescribed]), encoding="utf-8")
    conflicting = findings(data, "DUP007")
    assert [(f.record_index, f.related[0].record_index) for f in conflicting] == [(300, first)]
    assert "something else" in conflicting[0].message
    missing = findings(data, "FMT034")
    assert [(f.record_index, f.pointer) for f in missing] == [(301, "/tools")]
    assert repr(tools[0]["name"]) in missing[0].message


def test_one_tool_of_a_fixed_set_called_far_more_than_the_others(tmp_path: Path) -> None:
    tools = [{"type": "function", "function": {"name": n, "description": d, "parameters": {
        "type": "object", "properties": {"order_id": {"type": "string", "description": "The order number"}}}}}
        for n, d in (("search_orders", "Find orders"), ("cancel_order", "Cancel an order"), ("refund_order", "Refund"))]
    calls = ["search_orders"] * 26 + ["cancel_order"] * 2 + ["refund_order"] * 5
    skewed = [tool_chat(i, name, tools) for i, name in enumerate(calls)]
    found = findings(write_jsonl(tmp_path / "skewed.jsonl", skewed), "BAL004")
    assert len(found) == 1 and "'search_orders' is called 26 times, 'cancel_order' twice (ratio 13.0" in found[0].message
    even = [tool_chat(i, ("search_orders", "cancel_order", "refund_order")[i % 3], tools) for i in range(30)]
    assert not findings(write_jsonl(tmp_path / "even.jsonl", even), "BAL004")
