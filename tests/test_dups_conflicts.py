"""conflicting-output (DUP005) reports contradicting answers, not different good answers to an open
prompt; repeated-output (DUP006) leaves labels alone but reports a set that has only one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from independent import DATASETS, FILLER, ROOT, chat_record, findings, needs_datasets, write_jsonl

T0 = DATASETS / "self_instruct" / "t0_train_50k_subset"


def test_greetings_answered_two_ways_are_no_conflict() -> None:
    """identity_alpaca.json (LLaMA-Factory's identity set): "你好" and "你是谁？" are each answered
    by two different greetings; the earlier DUP005 reported both."""
    assert not findings(ROOT / "sample_datasets" / "identity_alpaca.json", "DUP005")


@pytest.mark.parametrize(("prompt", "answers"), [
    ("hello", ["Hi!", "Hello there!"]),
    ("Thanks a lot!", ["You're welcome.", "Any time!"]),
    ("Write a haiku about autumn.", ["Crisp leaves drift and fall,\nthe maple burns red and gold,\nwind hums a soft hymn.",
                                     "Cold rain on the roof,\nchestnuts split open in fire,\ngeese stitch the grey sky."]),
    ("Suggest a name for a bakery.", ["Golden Crust", "The Rolling Pin"]),
])
def test_open_prompts_and_small_talk_have_many_good_answers(tmp_path: Path, prompt: str, answers: list[str]) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [*FILLER, *(chat_record(prompt, a) for a in answers)])
    assert not findings(data, "DUP005")


@pytest.mark.parametrize(("prompt", "answers"), [
    ("Do you ship to Canada?", ["Yes, we ship to Canada; delivery takes five to eight working days.",
                                "No. At the moment we only deliver within the United States, sorry."]),
    ("What is the capital of Australia?", ["Canberra.", "Sydney."]),
    ("How long is the warranty?", ["The warranty covers parts and labour for 24 months from delivery.",
                                   "You get a 12 month warranty on every device we sell."]),
    ("Extract the fields.", ['{"order_id": "A-17", "qty": 2}', '{"qty": 3, "order_id": "A-17"}']),
    ("中国的首都是哪座城市？", ["北京", "上海"]),
])
def test_contradicting_answers_are_reported(tmp_path: Path, prompt: str, answers: list[str]) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [*FILLER, *(chat_record(prompt, a) for a in answers)])
    assert [f.line for f in findings(data, "DUP005")] == [12]


def test_the_same_json_written_differently_is_no_conflict(tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "d.jsonl", [*FILLER, chat_record("Extract the fields.", '{"a": 1, "b": [2]}'),
                                              chat_record("Extract the fields.", '```json\n{"b": [2], "a": 1}\n```')])
    assert not findings(data, "DUP005")


@needs_datasets
def test_a_prompt_sampled_for_several_reviews(tmp_path: Path) -> None:
    """app_reviews_generate_review asks for a review of one app several times ("Generate a 5-star
    review ... package com.pilot51.voicenotify"): short different reviews, 179 DUP005 before."""
    assert not findings(T0 / "app_reviews_generate_review.jsonl", "DUP005")


@needs_datasets
def test_one_label_for_every_input_is_one_finding() -> None:
    """imdb_Reviewer_Enjoyment's 200 records all answer "They didn't like it!": not boilerplate on
    200 records (DUP006 before) but one finding that the set teaches a single label."""
    found = findings(T0 / "imdb_Reviewer_Enjoyment.jsonl", "DUP006")
    assert len(found) == 1 and "200 of 200 answers" in found[0].message and found[0].line == 1


def test_two_labels_of_four_words_repeat_by_design(tmp_path: Path) -> None:
    rows = [chat_record(f"Review {i}: the film was {'great' if i % 3 else 'dull'} and {i} minutes long.",
                        "They really loved it!" if i % 3 else "They didn't like it!") for i in range(40)]
    rows += [chat_record(f"Review {i}: a long, odd one.", f"They had mixed feelings, mostly about scene {i}.")
             for i in range(3)]
    assert not findings(write_jsonl(tmp_path / "d.jsonl", rows), "DUP006")


def test_boilerplate_after_different_prompts_is_still_reported(tmp_path: Path) -> None:
    canned = "Thank you for contacting us. We will get back to you within two working days."
    rows = [chat_record(f"Question {i} about my account, order {i * 3} and invoice {i * 5}?", f"Answer {i}: see page {i}.")
            for i in range(20)]
    rows += [chat_record(q, canned) for q in ("Can I change my address?", "Where is my parcel?", "Is the shop open?",
                                              "Do you ship abroad?", "How do I reset my password?")]
    assert [f.line for f in findings(write_jsonl(tmp_path / "d.jsonl", rows), "DUP006")] == [21, 22, 23, 24, 25]


def test_answer_kinds() -> None:
    from ftdata.answers import closed, open_prompt, polarity, short_text

    assert polarity("Yes, we do.") == 1 and polarity("No. Not yet.") == -1 and polarity("Yesterday it rained.") == 0
    assert polarity("是的，可以") == 1 and polarity("不是这样") == -1 and polarity("对于这个问题") == 0
    assert closed("Canberra.") and closed('{"a": 1, "b": "a long value with many words in it"}')
    assert not closed("The capital of Australia is Canberra, not Sydney.")
    assert closed("不会") and not closed("对于AI生成的图画，是否构成著作权侵权，法律目前还没有明确的答案。")
    assert short_text("You have 30 days to return an item for a full refund.")
    assert not short_text(" ".join(["word"] * 41)) and not short_text("字" * 81)
    assert open_prompt("Hello!") and open_prompt("thanks, bye") and open_prompt("你好") and not open_prompt("Hello, what is 2+2?")


def test_a_fitting_reply_to_thanks_is_no_canned_answer(tmp_path: Path) -> None:
    """Chats ending "Thanks!" -> "You're welcome! ..." (4 records, then 6): no boilerplate; nor are
    glaive's 38 such closings, the fitting reply to many wordings of thanks (test_dups2_precision)."""
    reply = "You're welcome! If you have any other questions, feel free to ask."
    rows = [chat_record(f"Question {i} about my account, order {i * 3} and invoice {i * 5}?", f"Answer {i}: see page {i}.")
            for i in range(20)]
    thanks = ["Thank you for the information.", "Great, thanks for the help!", "That's all I needed, thank you!",
              "Thanks!", "Thanks a lot, that helps.", "Perfect, thank you so much!"]
    assert not findings(write_jsonl(tmp_path / "d.jsonl", rows + [chat_record(q, reply) for q in thanks[:4]]), "DUP006")
    # past min_records, as many as a canned answer's (5): still the fitting reply to each
    assert not findings(write_jsonl(tmp_path / "d.jsonl", rows + [chat_record(q, reply) for q in thanks]), "DUP006")
