"""Input formats: detection order, normalisation, never-raising on hostile input, schemas, real data."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import ftdata.formats as F
from ftdata.formats.base import Format, Normalised
from ftdata.model import ROLES, TASKS, Message
from independent import DATASETS

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def validator(fmt: Format) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / fmt.schema).read_text(encoding="utf-8")))


def turns(msgs: tuple[Message, ...] | None) -> list[tuple[str, str, str, str]]:
    return [(m.role, m.content, m.pointer, m.content_key) for m in msgs or ()]


# name -> (record, task, messages as (role, content, pointer, content_key), rejected or None)
Turn = tuple[str, str, str, str]
EXAMPLES: list[tuple[str, dict[str, Any], str, list[Turn], list[Turn] | None]] = [
    ("openai-chat", {
        "messages": [
            {"role": "system", "content": "S"},
            {"role": "user", "content": [{"type": "text", "text": "Hi"},
                                         {"type": "image_url", "image_url": {"url": "https://x/a.png"}}]},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "42"},
            {"role": "assistant", "content": "It is 42.", "weight": 1},
        ],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        "parallel_tool_calls": False,
    }, "sft", [("system", "S", "/messages/0", "content"), ("user", "Hi", "/messages/1", "content"),
               ("assistant", "", "/messages/2", "content"), ("tool", "42", "/messages/3", "content"),
               ("assistant", "It is 42.", "/messages/4", "content")], None),
    ("openai-chat", {  # LLaMA-Factory multimodal OpenAI-style
        "messages": [{"role": "user", "content": "<image>Who?"}, {"role": "function", "name": "f", "content": "x"}],
        "images": ["a.jpg"],
    }, "sft", [("user", "<image>Who?", "/messages/0", "content"), ("tool", "x", "/messages/1", "content")], None),
    ("openai-dpo", {
        "input": {"messages": [{"role": "user", "content": "Q"}]},
        "preferred_output": [{"role": "assistant", "content": "good"}],
        "non_preferred_output": [{"role": "assistant", "content": "bad"}],
    }, "preference", [("user", "Q", "/input/messages/0", "content"),
                      ("assistant", "good", "/preferred_output/0", "content")],
     [("user", "Q", "/input/messages/0", "content"), ("assistant", "bad", "/non_preferred_output/0", "content")]),
    ("llamafactory-v1", {
        "messages": [
            {"role": "user", "content": [{"type": "text", "value": "hi"}], "loss_weight": 0.0},
            {"role": "assistant", "content": [{"type": "reasoning", "value": "think"},
                                              {"type": "tool_call", "value": "{\"name\": \"f\"}"},
                                              {"type": "text", "value": "hello"}], "loss_weight": 1.0},
        ],
    }, "sft", [("user", "hi", "/messages/0", "content"),
               ("assistant", "think\nhello", "/messages/1", "content")], None),
    ("llamafactory-v1-dpo", {
        "chosen_messages": [{"role": "user", "content": [{"type": "text", "value": "Q"}], "loss_weight": 0.0},
                            {"role": "assistant", "content": [{"type": "text", "value": "A"}], "loss_weight": 1.0}],
        "rejected_messages": [{"role": "user", "content": [{"type": "text", "value": "Q"}], "loss_weight": 0.0},
                              {"role": "assistant", "content": [{"type": "text", "value": "B"}], "loss_weight": 1.0}],
    }, "preference",
     [("user", "Q", "/chosen_messages/0", "content"), ("assistant", "A", "/chosen_messages/1", "content")],
     [("user", "Q", "/rejected_messages/0", "content"), ("assistant", "B", "/rejected_messages/1", "content")]),
    ("kto", {"prompt": "Q", "completion": "A", "label": True}, "unpaired",
     [("user", "Q", "/prompt", ""), ("assistant", "A", "/completion", "")], None),
    ("kto", {"messages": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}], "label": False},
     "unpaired", [("user", "Q", "/messages/0", "content"), ("assistant", "A", "/messages/1", "content")], None),
    ("bedrock", {"system": "S", "messages": [{"role": "user", "content": "Q"},
                                             {"role": "assistant", "content": [{"text": "A"}]}]},
     "sft", [("system", "S", "/system", ""), ("user", "Q", "/messages/0", "content"),
             ("assistant", "A", "/messages/1", "content")], None),
    ("sharegpt", {
        "system": "S",
        "conversations": [{"from": "human", "value": "Q"}, {"from": "function_call", "value": "{\"name\": \"f\"}"},
                          {"from": "observation", "value": "1"}, {"from": "gpt", "value": "A"}],
        "tools": "[]",
    }, "sft", [("system", "S", "/system", ""), ("user", "Q", "/conversations/0", "value"),
               ("assistant", "", "/conversations/1", "value"),  # the call is in tool_calls
               ("tool", "1", "/conversations/2", "value"), ("assistant", "A", "/conversations/3", "value")], None),
    ("sharegpt", {
        "conversations": [{"from": "human", "value": "Q"}],
        "chosen": {"from": "gpt", "value": "A"}, "rejected": {"from": "gpt", "value": "B"},
    }, "preference", [("user", "Q", "/conversations/0", "value"), ("assistant", "A", "/chosen", "value")],
     [("user", "Q", "/conversations/0", "value"), ("assistant", "B", "/rejected", "value")]),
    ("sharegpt", {  # answers as plain strings (a common DPO variant)
        "conversations": [{"from": "human", "value": "Q"}], "chosen": "A", "rejected": "B",
    }, "preference", [("user", "Q", "/conversations/0", "value"), ("assistant", "A", "/chosen", "")],
     [("user", "Q", "/conversations/0", "value"), ("assistant", "B", "/rejected", "")]),
    ("conversation-pairs", {
        "conversation_id": 7, "category": "Brainstorming",
        "conversation": [{"human": "问", "assistant": "答"}, {"system": "S", "human": "Q2", "assistant": "A2"}],
    }, "sft", [("user", "问", "/conversation/0/human", ""), ("assistant", "答", "/conversation/0/assistant", ""),
               ("system", "S", "/conversation/1/system", ""), ("user", "Q2", "/conversation/1/human", ""),
               ("assistant", "A2", "/conversation/1/assistant", "")], None),
    ("mistral-interactions", {"system_prompt": "S", "interactions": [{"role": "user", "text": "Q"},
                                                                    {"role": "assistant", "content": "A"}]},
     "sft", [("system", "S", "/system_prompt", ""), ("user", "Q", "/interactions/0", "text"),
             ("assistant", "A", "/interactions/1", "content")], None),
    ("vertex", {
        "systemInstruction": {"role": "system", "parts": [{"text": "S"}]},
        "contents": [{"role": "user", "parts": [{"text": "Q"}]}, {"role": "model", "parts": [{"text": "A"}]}],
    }, "sft", [("system", "S", "/systemInstruction", "parts"), ("user", "Q", "/contents/0", "parts"),
               ("assistant", "A", "/contents/1", "parts")], None),
    ("alpaca", {"system": "S", "history": [["q1", "a1"]], "instruction": "Do", "input": "this", "output": "done"},
     "sft", [("system", "S", "/system", ""), ("user", "q1", "/history/0/0", ""),
             ("assistant", "a1", "/history/0/1", ""),
             ("user", "Do\n\nthis", "/instruction", ""), ("assistant", "done", "/output", "")], None),
    ("alpaca", {"instruction": "Do", "input": "", "output": ["best", "worse", "worst"]}, "preference",
     [("user", "Do", "/instruction", ""), ("assistant", "best", "/output/0", "")],
     [("user", "Do", "/instruction", ""), ("assistant", "worse", "/output/1", "")]),
    ("instruction-response", {"instruction": "When?", "context": "In 2000.", "response": "2000", "category": "closed_qa"},
     "sft", [("user", "When?\n\nIn 2000.", "/instruction", ""), ("assistant", "2000", "/response", "")], None),
    ("instruction-response", {"prompt": "Q", "response": "A"}, "sft",
     [("user", "Q", "/prompt", ""), ("assistant", "A", "/response", "")], None),
    ("instruction-response", {"query": "Q", "response": "A", "history": [["q1", "a1"]]}, "sft",
     [("user", "q1", "/history/0/0", ""), ("assistant", "a1", "/history/0/1", ""), ("user", "Q", "/query", ""),
      ("assistant", "A", "/response", "")], None),
    ("instruction-preference", {"system": "S", "history": [["q1", "a1"]], "instruction": "Do", "input": "this",
                                "chosen": "good", "rejected": "bad"}, "preference",
     [("system", "S", "/system", ""), ("user", "q1", "/history/0/0", ""), ("assistant", "a1", "/history/0/1", ""),
      ("user", "Do\n\nthis", "/instruction", ""), ("assistant", "good", "/chosen", "")],
     [("system", "S", "/system", ""), ("user", "q1", "/history/0/0", ""), ("assistant", "a1", "/history/0/1", ""),
      ("user", "Do\n\nthis", "/instruction", ""), ("assistant", "bad", "/rejected", "")]),
    ("instruction-preference", {"question": "Q", "chosen": "A", "rejected": "B"}, "preference",
     [("user", "Q", "/question", ""), ("assistant", "A", "/chosen", "")],
     [("user", "Q", "/question", ""), ("assistant", "B", "/rejected", "")]),
    ("hh-rlhf", {"chosen": "\n\nHuman: Hi\n\nAssistant: Hello", "rejected": "\n\nHuman: Hi\n\nAssistant: Go away"},
     "preference", [("user", "Hi", "/chosen", ""), ("assistant", "Hello", "/chosen", "")],
     [("user", "Hi", "/rejected", ""), ("assistant", "Go away", "/rejected", "")]),
    ("hh-rlhf", {"chosen": "Context\n\nHuman: Hi\n\nAssistant:", "rejected": "\n\nHuman: Hi\n\nAssistant: No"},
     "preference",
     [("user", "Context", "/chosen", ""), ("user", "Hi", "/chosen", ""), ("assistant", "", "/chosen", "")],
     [("user", "Hi", "/rejected", ""), ("assistant", "No", "/rejected", "")]),
    ("preference", {"prompt": "Q", "chosen": "A", "rejected": "B"}, "preference",
     [("user", "Q", "/prompt", ""), ("assistant", "A", "/chosen", "")],
     [("user", "Q", "/prompt", ""), ("assistant", "B", "/rejected", "")]),
    ("preference", {"chosen": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}],
                    "rejected": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "B"}]},
     "preference", [("user", "Q", "/chosen/0", "content"), ("assistant", "A", "/chosen/1", "content")],
     [("user", "Q", "/rejected/0", "content"), ("assistant", "B", "/rejected/1", "content")]),
    ("prompt-completion", {"prompt": "2+2?", "completion": "4"}, "sft",
     [("user", "2+2?", "/prompt", ""), ("assistant", "4", "/completion", "")], None),
    ("prompt-completion", {"prompt": [{"role": "user", "content": "Q"}],
                           "completion": [{"role": "assistant", "content": "A"}]}, "sft",
     [("user", "Q", "/prompt/0", "content"), ("assistant", "A", "/completion/0", "content")], None),
    ("prompt-only", {"prompt": [{"role": "user", "content": "Solve x"}]}, "prompt",
     [("user", "Solve x", "/prompt/0", "content")], None),
    ("prompt-only", {"prompt": "Solve x"}, "prompt", [("user", "Solve x", "/prompt", "")], None),
    ("text", {"text": "Once upon a time"}, "text", [("assistant", "Once upon a time", "/text", "")], None),
]


@pytest.mark.parametrize("name,raw,task,expected,rejected", EXAMPLES,
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)])
def test_example(name: str, raw: dict[str, Any], task: str, expected: list[Any], rejected: list[Any] | None) -> None:
    fmt = F.detect(raw)
    assert fmt is not None and fmt.name == name
    assert list(validator(fmt).iter_errors(raw)) == []
    n = fmt.normalise(raw)
    assert n.task == task
    assert turns(n.messages) == expected
    assert (turns(n.rejected) if n.rejected is not None else None) == rejected


def example(name: str) -> dict[str, Any]:
    return next(e[1] for e in EXAMPLES if e[0] == name)


def test_every_format_has_an_example() -> None:
    assert {e[0] for e in EXAMPLES} == set(F.NAMES)


def test_fields_kept_as_found() -> None:
    n = F.by_name("openai-chat").normalise(example("openai-chat"))
    assert n.messages[2].tool_calls[0]["id"] == "c1"
    assert n.messages[3].tool_call_id == "c1"
    assert n.messages[4].weight == 1
    assert n.tools == example("openai-chat")["tools"]
    legacy = F.by_name("openai-chat").normalise({"messages": [
        {"role": "assistant", "content": None, "function_call": {"name": "f", "arguments": "{}"}},
        {"role": "function", "name": "f", "content": "1"}], "functions": [{"name": "f"}]})
    assert legacy.messages[0].tool_calls == ({"name": "f", "arguments": "{}"},)
    assert legacy.messages[1].name == "f" and legacy.tools == [{"name": "f"}]
    v1 = F.by_name("llamafactory-v1").normalise(example("llamafactory-v1"))
    assert [m.weight for m in v1.messages] == [0.0, 1.0]
    kto = F.by_name("kto").normalise({"prompt": "Q", "completion": "A", "label": False})
    assert kto.label is False
    assert F.by_name("sharegpt").normalise(example("sharegpt")).tools == "[]"


def test_unknown_roles_are_kept_as_strings() -> None:
    n = F.by_name("openai-chat").normalise({"messages": [
        {"role": "developer", "content": "x"}, {"content": "y"}, {"role": 3, "content": "z"}, {"role": None}]})
    assert [m.role for m in n.messages] == ["developer", "", "3", ""]
    s = F.by_name("sharegpt").normalise({"conversations": [{"from": "narrator", "value": "x"}]})
    assert s.messages[0].role == "narrator"


@pytest.mark.parametrize("raw,name", [
    ({"input": {"messages": []}, "preferred_output": []}, "openai-dpo"),
    ({"messages": [], "system": "S"}, "bedrock"),
    ({"messages": [], "schemaVersion": "bedrock-conversation-2024"}, "bedrock"),
    ({"messages": [{"role": "user", "content": "x"}], "label": True}, "kto"),
    ({"prompt": "Q", "completion": "A", "label": True}, "kto"),
    ({"prompt": "Q", "label": True}, "kto"),
    ({"messages": [{"role": "user", "content": [{"type": "text", "value": "x"}]}]}, "llamafactory-v1"),
    ({"messages": [{"role": "user", "content": "x", "loss_weight": 1}]}, "llamafactory-v1"),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]}, "openai-chat"),
    ({"messages": "not a list"}, "openai-chat"),
    ({"messages": [[]]}, "openai-chat"),
    ({"conversations": [], "chosen": {}, "rejected": {}}, "sharegpt"),
    ({"chosen": "\n\nHuman: a\n\nAssistant: b", "rejected": "x"}, "hh-rlhf"),
    ({"prompt": "\n\nHuman: a", "chosen": "\n\nHuman: a\n\nAssistant: b", "rejected": "x"}, "preference"),
    ({"chosen": "no markers", "rejected": "x"}, "preference"),
    ({"chosen": [], "rejected": []}, "preference"),
    ({"instruction": "x"}, "alpaca"),
    ({"output": "x", "response": "x"}, "alpaca"),
    ({"instruction": "x", "output": "y", "response": "y"}, "alpaca"),  # a stray copy: FMT011 says so
    ({"instruction": "x", "context": "c", "response": "y"}, "instruction-response"),
    ({"prompt": "x", "response": "y"}, "instruction-response"),
    ({"prompt": "x", "completion": "y", "response": "y"}, "prompt-completion"),
    ({"response": "y"}, None),
    ({"instruction": "x", "input": "", "chosen": "a", "rejected": "b"}, "instruction-preference"),
    ({"system": "", "question": "x", "chosen": "a", "rejected": "b"}, "instruction-preference"),
    ({"prompt": "x", "question": "q", "chosen": "a", "rejected": "b"}, "preference"),
    ({"conversation": [{"human": "x", "assistant": "y"}]}, "conversation-pairs"),
    ({"conversation": "x"}, None),
    ({"completion": "x"}, "prompt-completion"),
    ({"prompt": "x", "text": "y"}, "prompt-only"),
    ({"text": 5, "category": "c"}, "text"),
    ({}, None),
    ({"input": "x", "category": "c", "label": 1}, None),
])
def test_detection_order(raw: dict[str, Any], name: str | None) -> None:
    fmt = F.detect(raw)
    assert (fmt.name if fmt else None) == name


def test_registry() -> None:
    assert F.NAMES == tuple(f.name for f in F.FORMATS)
    assert len(set(F.NAMES)) == len(F.NAMES)
    for f in F.FORMATS:
        assert F.by_name(f.name) is f
    with pytest.raises(KeyError):
        F.by_name("nope")
    assert F.detect([1, 2]) is None  # type: ignore[arg-type]
    assert F.detect(None) is None  # type: ignore[arg-type]


# ---- never raise on hostile input -------------------------------------------------------------

KEYS = ("messages", "conversations", "interactions", "contents", "systemInstruction", "system", "system_prompt",
        "schemaVersion", "input", "preferred_output", "non_preferred_output", "chosen_messages", "rejected_messages",
        "prompt", "completion", "chosen", "rejected", "label", "instruction", "output", "history", "text", "tools",
        "functions")
BAD_MESSAGES: list[Any] = [
    None, 1, {}, "msg", [], [1, 2], {"role": "user"},
    {"role": ["user"], "content": 5}, {"role": {"a": 1}, "content": {"text": "x"}},
    {"role": "user", "content": [None, 1, [], {"type": []}, {"type": "text", "text": 5}, {"value": []},
                                 {"type": {"x": 1}, "text": "t"}]},
    {"role": "assistant", "tool_calls": "x", "function_call": 1, "weight": [], "tool_call_id": {}, "name": []},
    {"role": "assistant", "tool_calls": {"id": 1}}, {"from": [], "value": {}}, {"from": "gpt", "value": None},
    {"role": "user", "text": ["x"]}, {"role": "user", "parts": "x"}, {"role": "model", "parts": [None, {"text": 1},
                                                                                              {"functionCall": 1}]},
    {"role": "user", "content": [{"type": "image_url", "value": 1}, {"type": "text", "value": "v"}],
     "loss_weight": "x"},
]
BAD_VALUES: list[Any] = [None, 0, -1.5, True, "", "s", "\n\nHuman:", "\n\nAssistant: x", [], {}, [None], [[]], [[1]],
                         [["q"]], [["q", "a", "b"]], [1, "x"], {"messages": "x"}, {"messages": [None]},
                         {"parts": 5}, {"parts": [None]}, {"from": 1}] + [[m] for m in BAD_MESSAGES]


def hostile_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [{}, {"": None}, {"~/": []}]
    for key in KEYS:
        for value in BAD_VALUES:
            records.append({key: value})
    for _, raw, *_ in EXAMPLES:
        for key in raw:
            for value in BAD_VALUES:
                records.append({**raw, key: value})
    return records


HOSTILE = hostile_records()


def assert_canonical(n: Normalised) -> None:
    assert isinstance(n, Normalised) and n.task in TASKS
    for msgs in (n.messages, n.rejected or ()):
        assert isinstance(msgs, tuple)
        for m in msgs:
            assert isinstance(m, Message)
            assert type(m.role) is str and type(m.content) is str and type(m.content_key) is str
            assert m.pointer.startswith("/")
            assert isinstance(m.tool_calls, tuple)


@pytest.mark.parametrize("fmt", F.FORMATS, ids=F.NAMES)
def test_normalise_never_raises(fmt: Format) -> None:
    for raw in HOSTILE:
        try:
            n = fmt.normalise(raw)
        except Exception as exc:  # pragma: no cover - the message names the record
            pytest.fail(f"{fmt.name}.normalise raised {exc!r} on {raw!r}")
        assert_canonical(n)


def test_detect_never_raises() -> None:
    for raw in HOSTILE:
        F.detect(raw)
        for fmt in F.FORMATS:
            assert fmt.detect(raw) in (True, False)


# ---- schemas ------------------------------------------------------------------------------------

def test_schemas_are_valid_and_referenced() -> None:
    files = sorted(p for p in SCHEMAS.glob("*.schema.json") if p.name != "report.schema.json")
    assert {p.name for p in files} == {f.schema for f in F.FORMATS}
    for fmt in F.FORMATS:
        assert fmt.schema == f"{fmt.name}.schema.json"
    for p in files:
        schema = json.loads(p.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"https://ftdata.dev/schemas/{p.name}"
        assert schema["title"] and schema["description"]
        assert schema["additionalProperties"] is False and schema["required"]
        text = p.read_text(encoding="utf-8")
        for vague in ('"oneOf"', '"anyOf"', '"allOf"', '"if"', '"not"'):
            assert vague not in text, f"{p.name} uses {vague}"


def test_schemas_compile_with_jsonschema_rs() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    for fmt in F.FORMATS:
        v = jsonschema_rs.validator_for(json.loads((SCHEMAS / fmt.schema).read_text(encoding="utf-8")))
        assert v.is_valid({}) is False


@pytest.mark.parametrize("name,raw,keyword", [
    ("openai-chat", {"messages": [{"role": "user", "content": "x"}], "extra": 1}, "additionalProperties"),
    ("openai-chat", {"messages": [{"role": "robot", "content": "x"}]}, "enum"),
    ("openai-chat", {"messages": []}, "minItems"),
    ("openai-chat", {"messages": [{"role": "user", "content": 5}]}, "type"),
    ("openai-chat", {"messages": [{"content": "x"}]}, "required"),
    ("openai-chat", {"messages": [{"role": "user", "content": "x", "tone": "calm"}]}, "additionalProperties"),
    ("openai-dpo", {"input": {"messages": [{"role": "user", "content": "Q"}]},
                    "preferred_output": [{"role": "user", "content": "A"}],
                    "non_preferred_output": [{"role": "assistant", "content": "B"}]}, "enum"),
    ("sharegpt", {"conversations": [{"from": "robot", "value": "x"}]}, "enum"),
    ("alpaca", {"instruction": "x", "output": "y", "response": "y"}, "additionalProperties"),
    ("alpaca", {"instruction": "x", "output": ["only one"]}, "minItems"),
    ("kto", {"prompt": "Q", "label": True}, "dependentRequired"),
    ("kto", {"prompt": "Q", "completion": "A", "label": "yes"}, "type"),
    ("vertex", {"contents": [{"role": "assistant", "parts": [{"text": "x"}]}]}, "enum"),
])
def test_schema_errors_use_mappable_keywords(name: str, raw: dict[str, Any], keyword: str) -> None:
    assert {e.validator for e in validator(F.by_name(name)).iter_errors(raw)} == {keyword}


def test_schemas_leave_semantic_values_alone() -> None:
    raw = {"messages": [
        {"role": "user", "content": ""},
        {"role": "assistant", "content": None, "weight": 0.5,
         "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": {"x": 1}}}]},
        {"role": "assistant", "content": "", "weight": "heavy"}]}
    assert list(validator(F.by_name("openai-chat")).iter_errors(raw)) == []


# ---- real data ----------------------------------------------------------------------------------

REAL: list[tuple[str, str]] = [  # glob under shared/datasets -> expected format
    ("llama_factory/alpaca_en_demo.json", "alpaca"),
    ("llama_factory/alpaca_zh_demo.json", "alpaca"),
    ("llama_factory/identity.json", "alpaca"),
    ("llama_factory/c4_demo.jsonl", "text"),
    ("llama_factory/dpo_en_demo.json", "sharegpt"),
    ("llama_factory/glaive_toolcall_en_demo.json", "sharegpt"),
    ("llama_factory/kto_en_demo.json", "kto"),
    ("llama_factory/mllm_demo.json", "openai-chat"),
    ("llama_factory/reason_tool_use_demo_50.jsonl", "llamafactory-v1"),
    ("llama_factory/v1_sft_demo.jsonl", "llamafactory-v1"),
    ("llama_factory/v1_dpo_demo.jsonl", "llamafactory-v1-dpo"),
    ("fastchat/dummy_conversation.json", "sharegpt"),
    ("hh_rlhf/harmless-base/test.jsonl.gz", "hh-rlhf"),
    ("oasst1_zh/oaast_sft_zh.json", "alpaca"),
    ("oasst1_zh/oaast_rm_zh.json", "alpaca"),
    ("lima/lima.json", "alpaca"),
    ("code_alpaca/code_alpaca_2k.json", "alpaca"),
    ("code_alpaca/new_codealpaca.json", "alpaca"),
    ("self_instruct/t0_train_50k_subset/*.jsonl", "prompt-completion"),
    ("openai_cookbook/toy_chat_fine_tuning.jsonl", "openai-chat"),
]
# Real defects: file -> keys that every record carries but the format does not define. Without them the
# record must validate; with them it must fail.
EXPECTED_FAILURES: dict[str, set[str]] = {
    "code_alpaca/new_codealpaca.json": {"response"},  # duplicates "output" on every record
}


def load(path: Path) -> list[Any]:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    return list(json.loads(path.read_text(encoding="utf-8")))


def real_files() -> list[Any]:
    out = []
    for pattern, name in REAL:
        paths = sorted(DATASETS.glob(pattern)) if DATASETS.is_dir() else []
        if not paths:
            out.append(pytest.param(pattern, name, id=pattern))
        out += [pytest.param(str(p.relative_to(DATASETS)), name, id=str(p.relative_to(DATASETS))) for p in paths]
    return out


def test_real_table_covers_every_fine_tuning_file() -> None:
    if not DATASETS.is_dir():
        pytest.skip(f"no shared datasets at {DATASETS}")
    listed = {p for pattern, _ in REAL for p in DATASETS.glob(pattern)}
    on_disk = {p for p in DATASETS.glob("llama_factory/*.json*") if p.name != "dataset_info.json"}
    assert on_disk <= listed


@pytest.mark.parametrize("rel,name", real_files())
def test_real_data(rel: str, name: str) -> None:
    path = DATASETS / rel
    if not path.is_file():
        pytest.skip(f"shared dataset {path} not present")
    records = load(path)
    assert records
    fmt = F.by_name(name)
    v = validator(fmt)
    extra = EXPECTED_FAILURES.get(rel, set())
    for i, raw in enumerate(records):
        detected = F.detect(raw)
        assert detected is fmt, f"record {i} detected as {detected and detected.name}"
        if extra:
            assert not v.is_valid(raw), f"record {i} should fail for {extra}"
            raw = {k: val for k, val in raw.items() if k not in extra}
        errors = [f"{e.json_path}: {e.message}" for e in v.iter_errors(raw)]
        assert not errors, f"record {i}: {errors[:3]}"
        n = fmt.normalise(raw)
        assert_canonical(n)
        assert n.messages and all(m.role in ROLES for m in n.messages)


def test_v1_tool_call_parts_are_tool_calls_not_text() -> None:
    part = {"type": "tool_call", "value": "{\"name\": \"f\", \"arguments\": {}}"}
    raw = {"messages": [{"role": "user", "content": [{"type": "text", "value": "hi"}]},
                        {"role": "assistant", "content": [{"type": "reasoning", "value": "think"}, part]}]}
    n = F.by_name("llamafactory-v1").normalise(raw)
    assert n.messages[1].tool_calls == (part,)
    assert n.messages[1].content == "think"


def test_declared_keys_are_necessary_for_detection() -> None:
    """Format.keys lets detection skip formats; it must never change which format is detected."""
    keys = ["messages", "system", "schemaVersion", "label", "prompt", "completion", "chosen", "rejected",
            "conversations", "instruction", "output", "input", "text", "contents", "interactions",
            "preferred_output", "non_preferred_output", "chosen_messages", "rejected_messages", "other"]
    values: list[object] = ["\n\nHuman: hi\n\nAssistant: yo", [{"role": "user", "content": "x", "loss_weight": 1}],
                            [{"role": "user", "content": [{"type": "text", "value": "x"}]}], True, {}]
    import itertools
    for n in (1, 2, 3):
        for combo in itertools.combinations(keys, n):
            for v in values:
                raw = {k: v for k in combo}
                slow = next((f for f in F.FORMATS if f.detect(raw)), None)
                assert F.detect(raw) is slow, (raw, slow)
                for f in F.FORMATS:
                    if f.detect(raw):
                        assert not f.keys or f.keys & set(raw), (f.name, raw)


def test_sharegpt_function_call_turn_is_a_tool_call_not_text() -> None:
    turn = {"from": "function_call", "value": "{\"name\": \"f\", \"arguments\": {}}"}
    n = F.by_name("sharegpt").normalise({"conversations": [{"from": "human", "value": "hi"}, turn]})
    assert n.messages[1].role == "assistant" and n.messages[1].tool_calls == (turn,) and n.messages[1].content == ""
