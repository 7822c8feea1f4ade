"""Duplicates precision, round 2: what the labelled review (tests/review) called false alarms and
misses of repeated-output (DUP006), conflicting-output (DUP005) and near-duplicate (DUP003), on
short real excerpts of ../shared/datasets (or realistic text where the case is general)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from independent import FILLER, chat_record, findings, needs_datasets, read_text, write_jsonl


def write_json(path: Path, rows: list[Any]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def dataset(name: str) -> list[Any]:
    text = read_text(name)
    if name.endswith(".json"):
        return json.loads(text)  # type: ignore[no-any-return]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def excerpt(name: str, rows: list[int]) -> list[Any]:
    data = dataset(name)
    return [data[i] for i in rows]


# -- repeated-output (DUP006): a group must be large; a short canned reply is boilerplate, even to thanks --------
@needs_datasets
def test_one_self_introduction_for_three_paraphrases_is_no_boilerplate(tmp_path: Path) -> None:
    """identity.json records 5-7 ("Can you introduce yourself?", "What are you called?", ...) share
    one self-introduction: DUP006 on all three before, labelled intended."""
    rows = excerpt("llama_factory/identity.json", list(range(0, 20)))
    assert len({r["output"] for r in rows[5:8]}) == 1 and len({r["instruction"] for r in rows[5:8]}) == 3
    assert not findings(write_json(tmp_path / "identity.json", rows), "DUP006")


@needs_datasets
def test_one_program_for_a_few_related_tasks_is_no_boilerplate(tmp_path: Path) -> None:
    """new_codealpaca's one recursive factorial answers 6 related tasks (write it, fill its blank,
    fix its syntax error, translate it): right each time (DUP006 before). The same one-line
    string reversal for 10 paraphrases of one task is redundancy to dedupe, and reported."""
    data = dataset("code_alpaca/new_codealpaca.json")
    factorial = [2130, 3278, 3760, 3980, 4093, 4416]
    reverse = [1988, 2085, 2664, 2799, 3618, 3944, 4024, 4182, 4303, 4512]
    filler = list(range(20))
    assert len({data[i]["output"].replace(" ", "") for i in factorial}) <= 2  # one program, indented two ways
    assert not findings(write_json(tmp_path / "factorial.json", [data[i] for i in filler + factorial]), "DUP006")
    found = findings(write_json(tmp_path / "reverse.json", [data[i] for i in filler + reverse]), "DUP006")
    assert sorted(f.record_index for f in found) == list(range(20, 30))


def glaive_closing(i: int, question: str, answer: str, thanks: str) -> dict[str, Any]:
    reply = "You're welcome! If you have any other questions, feel free to ask."
    return {"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer},
                         {"role": "user", "content": thanks}, {"role": "assistant", "content": reply}]}


CLOSINGS = [  # glaive_toolcall_en_demo records 26, 27, 28, 32, 49, 64, their tool results in words
    ("How much would the $200 jacket cost with a 25% discount?", "If the discount was 25%, the jacket would cost you $150.",
     "Great, thanks for the help!"),
    ("How far is London from Paris?", "The distance between London and Paris is approximately 213.7 miles.",
     "Thanks for the information!"),
    ("What tip should I leave on $50 at 20%?", "If you want to leave a 20% tip, the tip amount would be $10.",
     "Thank you for your help!"),
    ("What is the stock price of Microsoft?", "The current stock price of Microsoft is $210.22.",
     "Thank you for the information."),
    ("Can you convert 1000 Euros to US dollars?", "Absolutely, 1000 Euros is approximately 1176.47 USD.",
     "Thank you for your help!"),
    ("What's Microsoft's stock price now?", "The current stock price of Microsoft (MSFT) is $284.91.",
     "Thank you for the information."),
]


def test_one_reply_to_thanks_worded_many_ways_is_no_boilerplate(tmp_path: Path) -> None:
    """glaive ends 38 distinct tool chats with one "You're welcome! If you have any other
    questions, feel free to ask." after 16 wordings of thanks: the fitting reply each time."""
    rows = FILLER + [glaive_closing(i, *c) for i, c in enumerate(CLOSINGS)]
    assert not findings(write_jsonl(tmp_path / "d.jsonl", rows), "DUP006")


@needs_datasets
def test_a_templated_goodbye_exchange_is_boilerplate(tmp_path: Path) -> None:
    """dummy_conversation ends 166 templated chats with "Goodbye" -> "Goodbye! If you have any
    more questions in the future, don't hesitate to ask.": labelled boilerplate, missed before
    (replies to small talk were all left alone)."""
    data = dataset("fastchat/dummy_conversation.json")
    rows = data[:18]
    ends = [r["conversations"][-2]["value"] for r in rows]
    assert ends.count("Goodbye") == 6  # records 2, 5, 8, 11, 14, 17
    found = findings(write_json(tmp_path / "dummy.json", rows), "DUP006")
    assert sorted(f.record_index for f in found) == [i for i, e in enumerate(ends) if e == "Goodbye"]


def test_a_canned_chinese_greeting_is_counted_in_characters(tmp_path: Path) -> None:
    """A Chinese reply has no spaces: "你好！有什么我可以帮助你的吗？" was one word, under min_words,
    and never reported however often it repeated."""
    reply = "你好！有什么我可以帮助你的吗？"
    rows = FILLER + [{"messages": [{"role": "user", "content": f"{topic}"}, {"role": "assistant", "content": "好的。"},
                                   {"role": "user", "content": "你好"}, {"role": "assistant", "content": reply}]}
                     for topic in ("今天天气怎么样", "帮我查一下快递", "推荐一本书", "北京有什么好玩的", "怎么学习Python")]
    found = findings(write_jsonl(tmp_path / "d.jsonl", rows), "DUP006")
    assert sorted(f.record_index for f in found) == list(range(10, 15))


# -- conflicting-output (DUP005): a contradiction, not two fine answers ----------------------------------
@needs_datasets
@pytest.mark.parametrize("pair", [[82, 83], [679, 680], [681, 682], [428, 429]],
                         ids=["terminal-pwd", "reversed-sentence", "same-number-with-words", "rounded-figure"])
def test_two_fine_answers_to_one_prompt_are_no_conflict(tmp_path: Path, pair: list[int]) -> None:
    """oaast_sft_zh: "act as a linux terminal ... pwd" -> "/home/root" / "/home/user" (examples of a
    simulated environment); "reverse 我喜欢吃苹果" -> by words / by characters; "1+1 等于几" -> "2" /
    "等于2"; the equator -> "长约40,000公里" / "约为40075千米". DUP005 before (the first three
    labelled false alarms)."""
    rows = excerpt("oasst1_zh/oaast_sft_zh.json", list(range(12)) + pair)
    assert rows[-1]["instruction"] == rows[-2]["instruction"] and rows[-1]["output"] != rows[-2]["output"]
    assert not findings(write_json(tmp_path / "oasst.json", rows), "DUP005")


@pytest.mark.parametrize(("prompt", "answers"), [
    ("Is the statement true: water boils at 100 °C at sea level?", ["True", "Not true"]),
    ("这个说法正确吗：水在100摄氏度沸腾", ["正确。", "不太正确。"]),
    ("How long is the equator?", ["About 40,000 km.", "About 24,901 km."]),
])
def test_still_a_contradiction(tmp_path: Path, prompt: str, answers: list[str]) -> None:
    """The agreement of closed answers counts CJK characters as words, but a negating extra word
    disagrees; a rounded figure agrees only with one within 5%."""
    data = write_jsonl(tmp_path / "d.jsonl", [*FILLER, *(chat_record(prompt, a) for a in answers)])
    assert [f.record_index for f in findings(data, "DUP005")] == [11]


def test_answer_helpers() -> None:
    from ftdata.answers import agree, open_prompt, rounded, words

    assert agree("2", "等于2") and agree("苹果喜欢吃我", "果苹吃欢喜我") and agree("Canberra", "Canberra, Australia")
    assert not agree("北京", "上海") and not agree("正确", "不太正确") and not agree("true", "not true")
    assert rounded("长约40,000公里。", "地球赤道的周长约为40075千米。") and not rounded("40,000 km", "40,075 km")
    assert not rounded("about 30 days", "14 days") and not rounded("about 1 or 2 days", "2 days")
    assert open_prompt("I want you to act as a linux terminal. My first command is pwd")
    assert open_prompt("从现在起，请你做为一个linux terminal来跟我互动。我的第一个指令是pwd") and open_prompt("请你扮演一位医生")
    assert not open_prompt("What is the capital of Australia?") and not open_prompt("1+1 等于几")
    assert words("你好！有什么我可以帮助你的吗？", 4) >= 4 and words("是的。", 4) < 4 and words("Yes, it is.", 4) < 4


# -- near-duplicate (DUP003): a copy, not a branch; an empty answer says nothing ----------------------------
HH = "hh_rlhf/harmless-base/test.jsonl.gz"


@needs_datasets
def test_a_conversation_continued_differently_is_no_near_copy(tmp_path: Path) -> None:
    """hh-rlhf 2291 continues 237's opening differently (237's rejected answer is a turn of its
    history, then a new question and answer): 5-gram Jaccard 0.83, DUP003 before, labelled a
    branch. A copy of 2291 with one word of its answer changed is still a near duplicate."""
    data = dataset(HH)
    rows = data[:20] + [data[237], data[2291]]
    assert not findings(write_jsonl(tmp_path / "branch.jsonl", rows), "DUP003")
    copy = dict(data[2291], chosen=data[2291]["chosen"].replace("would violate", "might violate"))
    found = findings(write_jsonl(tmp_path / "copy.jsonl", rows + [copy]), "DUP003")
    assert [(f.record_index, f.related[0].record_index) for f in found] == [(22, 21)]


@needs_datasets
def test_a_follow_up_question_on_one_document_is_no_near_copy(tmp_path: Path) -> None:
    """oaast_rm_zh 483 asks a follow-up ("还有什么类别也符合？") after 482's long app description and
    answer: most 5-grams shared, but another answer is taught (DUP003 before)."""
    rows = excerpt("oasst1_zh/oaast_rm_zh.json", list(range(20)) + [482, 483])
    assert rows[-1]["history"][0][0] == rows[-2]["instruction"]
    assert not findings(write_json(tmp_path / "rm.json", rows), "DUP003")


@needs_datasets
def test_questions_sharing_only_an_empty_completion_are_no_near_copies(tmp_path: Path) -> None:
    """trec_trec1's completions are all "<|endoftext|>": "What is the origin of the word attic?"
    and "... the word , JJ ." are 0.91 alike by edits, but share no answer (DUP003 before)."""
    name = "self_instruct/t0_train_50k_subset/trec_trec1.jsonl"
    rows = excerpt(name, list(range(30)) + [101, 144])
    assert {r["completion"] for r in rows} == {"<|endoftext|>"}
    assert not findings(write_jsonl(tmp_path / "trec.jsonl", rows), "DUP003")


def test_a_typo_in_a_short_prompt_with_a_real_answer_is_still_a_near_copy(tmp_path: Path) -> None:
    rows = [*FILLER, chat_record("Can I get a refund for my order?", "Yes, within 30 days of delivery."),
            chat_record("Cna I get a refund for my order?", "Yes, within 30 days of delivery.")]
    assert [f.record_index for f in findings(write_jsonl(tmp_path / "d.jsonl", rows), "DUP003")] == [11]
