"""Review of the issue-13 duplicates, balance and style changes: a "No problem" opener is no "no"
(conflicting-output), a corpus of many tools each record defines for itself is no fixed tool set
(tool-call-imbalance), and an answer opening with a <think> block is prose, not code (style)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ftdata import style
from independent import (DATASETS, FILLER, chat_record, findings, needs_datasets, style_values, tool_chat,
                         write_jsonl)


# -- conflicting-output (DUP005): yes/no openings ------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("No problem! Here is a plan for three days in Rome.", 0),
    ("No worries, I can walk you through it.", 0),
    ("No doubt about it: the second option is faster.", 0),
    ("No one knows for certain who built it.", 0),
    ("Non-profit groups can apply for the grant too.", 0),
    ("Si quieres, te explico cómo funciona.", 0),  # Spanish "if", not "sí"
    ("No, we only deliver within the United States.", -1),
    ("No. Not yet.", -1),
    ("Sí, claro.", 1),
    ("Yes, we ship to Canada.", 1),
])
def test_polarity_reads_no_as_an_answer_only(text: str, expected: int) -> None:
    from ftdata.answers import polarity

    assert polarity(text) == expected


def test_sure_and_no_problem_to_one_request_are_no_conflict(tmp_path: Path) -> None:
    """Both comply: "No problem!" opens with "no" but answers nothing with no."""
    prompt = "Can you help me plan a trip to Rome for my parents?"
    answers = ["Sure! Start with the Colosseum and the Forum on day one, then the Vatican museums on day two.",
               "No problem! Book the Vatican museums early, and keep one afternoon free for Trastevere."]
    data = write_jsonl(tmp_path / "d.jsonl", [*FILLER, *(chat_record(prompt, a) for a in answers)])
    assert not findings(data, "DUP005")
    refusal = ["Sure! Start with the Colosseum and the Forum on day one, then the Vatican museums on day two.",
               "No, I can't plan trips; please ask a travel agent about Rome."]
    data = write_jsonl(tmp_path / "e.jsonl", [*FILLER, *(chat_record(prompt, a) for a in refusal)])
    assert [f.line for f in findings(data, "DUP005")] == [12]


# -- tool-call-imbalance (BAL004): a fixed tool set, not a corpus of many tools ------------------------
@needs_datasets
def test_a_larger_glaive_corpus_is_no_fixed_tool_set(tmp_path: Path) -> None:
    """glaive's 300-record demo defines 64 tools, each record its own few; twice the demo (as a
    larger glaive sample would be) has 8 calls per tool on average, and was reported as one
    imbalanced tool set ('calculate_distance' 32 times, others twice)."""
    records = json.loads((DATASETS / "llama_factory" / "glaive_toolcall_en_demo.json").read_text(encoding="utf-8"))
    data = tmp_path / "glaive.json"
    data.write_text(json.dumps(records * 2), encoding="utf-8")
    assert not findings(data, "BAL004")


def test_a_fixed_set_among_other_tools_is_still_judged(tmp_path: Path) -> None:
    """Most records offer the same three tools; a few offer one more of their own: the three are
    the set, and its skew is reported."""
    def tool(name: str) -> dict[str, object]:
        return {"type": "function", "function": {"name": name, "description": f"{name} an order", "parameters": {
            "type": "object", "properties": {"order_id": {"type": "string", "description": "The order number"}}}}}

    def rec(i: int, name: str, extra: str = "") -> dict[str, object]:
        names = ("search_orders", "cancel_order", "refund_order", *([extra] if extra else []))
        return tool_chat(i, name, [tool(n) for n in names])

    rows = [rec(i, "search_orders") for i in range(30)] + [rec(100, "cancel_order"), rec(101, "cancel_order")] + \
        [rec(200 + i, "refund_order") for i in range(5)] + [rec(300 + i, f"track_{i}", f"track_{i}") for i in range(3)]
    found = findings(write_jsonl(tmp_path / "d.jsonl", rows), "BAL004")
    assert len(found) == 1 and "'search_orders' is called 30 times, 'cancel_order' twice" in found[0].message


# -- style: a <think> block opens prose, not code ------------------------------------------------------
@pytest.mark.parametrize("text", [
    "<think>\n用户想知道今天的天气，我应该给出简短的回答。\n</think>\n\n今天北京晴，气温二十度左右，非常适合出门散步，记得带上水。",
    "<think>The user wants a short, friendly answer about the weather.</think>\nIt is sunny in Paris today, "
    "about twenty degrees: a good day for a walk along the river.",
])
def test_an_answer_opening_with_a_think_block_is_prose(text: str) -> None:
    assert not style.is_code(text)
    # a language (ASCII text: "unaccented Latin", resolved per dataset), not code's "unknown"
    assert style_values(text)["language"] in ("Chinese", "unaccented Latin")
    assert style.is_code("<html>\n<body>hi</body>\n</html>")


# -- conflicting-output (DUP005): JSON answers are compared as JSON, whatever their layout ---------------
def test_the_same_json_with_its_keys_reordered_is_no_conflict(tmp_path: Path) -> None:
    """Alike by edits (0.89) but for the order of their numbers: one JSON value, no contradiction."""
    rows = [*FILLER, chat_record("Extract the order.", '{"id": 7, "qty": 2, "note": "leave the parcel at the door"}'),
            chat_record("Extract the order.", '{"qty": 2, "id": 7, "note": "leave the parcel at the door"}')]
    assert not findings(write_jsonl(tmp_path / "d.jsonl", rows), "DUP005")


@pytest.mark.parametrize("layout", ["fenced", "indented"])
def test_json_alike_but_for_a_value_is_a_conflict_in_any_layout(tmp_path: Path, layout: str) -> None:
    """Pretty-printed or fenced JSON reads as code; near-identical JSON answers with another
    quantity were then neither a conflict nor a near duplicate."""
    def answer(qty: int) -> str:
        text = json.dumps({"order_id": "A-17", "qty": qty, "note": "leave the parcel at the door"}, indent=2)
        return f"```json\n{text}\n```" if layout == "fenced" else text

    rows = [*FILLER, chat_record("Extract the order.", answer(2)), chat_record("Extract the order.", answer(3))]
    assert [f.line for f in findings(write_jsonl(tmp_path / "d.jsonl", rows), "DUP005")] == [12]


def test_a_long_lower_case_list_is_read_in_linear_time() -> None:
    """A lower-case answer of many comma-separated items that is no plain word list (it ends in
    "!"): the word-list pattern tried every split of the spaces after the commas, 2^items steps,
    and hung here (about 2^200)."""
    from ftdata.checks.style import _requests

    answer = "red" + ", item" * 200 + "!"
    assert not _requests.explained("case", "starts lower case", answer, "Name some colours you like")
    assert _requests.explained("case", "starts lower case", "book, novel, newspaper.", "Words for reading matter")
