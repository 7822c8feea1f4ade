"""Precision of the volume and length rules on real shapes: a length outlier must be long in
absolute terms too (a paragraph among one-line prompts is not one), and the volume rules do not
judge a file whose records are mostly unrecognised (its size is unknown; the format rules speak)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import ftdata
from independent import DATASETS, chat_record, needs_datasets, write_jsonl

# self_instruct/seed_tasks.jsonl line 136: an instruction carrying a worked example (126 tokens)
# among instructions of about 20 tokens
POS_TAGGING = ("Given a sentence, output the pos tags of all the words. Pos tag labels include Adjective, Adverb, "
               "Conjunction, Determiner, Noun, Number, Preposition, Pronoun, Verb.\n\nHere is an example:\nJohn "
               "likes the blue house at the end of the street.\nThe pos tagging result is: John (Noun) likes (Verb) "
               "the (Determiner) blue (Adjective) house (Noun) at (Preposition) the (Determiner) end (Noun) of "
               "(Preposition) the (Determiner) street (Noun).")
SHORT = ["Is there anything I can eat for breakfast without eggs?", "Give me a synonym for happy.",
         "Sort these numbers: 4, 1, 3.", "Translate 'thank you' into German.", "Name three primary colours.",
         "Who wrote Hamlet?", "Convert 5 km to miles.", "What is the plural of mouse?"]


def rules(rows: list[Any], tmp_path: Path, select: str) -> list[ftdata.Finding]:
    path = write_jsonl(tmp_path / "train.jsonl", rows)
    return [f for f in ftdata.lint(str(path), jobs=1, select=[select]).findings]


def prompts(extra: str) -> list[dict[str, Any]]:
    return [{"prompt": f"{SHORT[i % len(SHORT)]} ({i})"} for i in range(40)] + [{"prompt": extra}]


def test_a_paragraph_among_one_liners_is_no_outlier(tmp_path: Path) -> None:
    assert rules(prompts(POS_TAGGING), tmp_path, "LEN002") == []  # flagged before: 6x the median


def test_a_long_example_among_one_liners_still_is(tmp_path: Path) -> None:
    page = " ".join(f"Section {i}: the terms of service apply to every account holder." for i in range(120))
    found = rules(prompts(page), tmp_path, "LEN002")
    assert [f.line for f in found] == [41] and "outliers are above" in found[0].message


def test_the_floor_is_an_option(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", prompts(POS_TAGGING))
    found = ftdata.lint(str(path), jobs=1, select=["LEN002"], checks={"length-outlier": {"min_tokens": 0}}).findings
    assert [f.line for f in found] == [41]


@needs_datasets
@pytest.mark.parametrize("name", ["self_instruct/seed_tasks.jsonl",
                                  "self_instruct/t0_train_50k_subset/app_reviews_convert_to_star_rating.jsonl"])
def test_real_short_files_have_no_length_outlier(name: str) -> None:
    assert [f for f in ftdata.lint(str(DATASETS / name), jobs=1, select=["LEN002"]).findings] == []


# fastchat/mt_bench/question.jsonl's shape: no fine-tuning format
QUESTION = {"question_id": 81, "category": "writing", "turns": ["Compose an engaging travel blog post about Hawaii."]}


def test_volume_is_not_judged_when_most_records_are_unrecognised(tmp_path: Path) -> None:
    rows = [dict(QUESTION, question_id=81 + i) for i in range(80)] + [chat_record("Hi", "Hello!")]
    found = rules(rows, tmp_path, "VOL")
    assert found == []  # VOL001 "1 example; the provider requires at least 10" before
    assert rules(rows, tmp_path, "FMT006")  # the format rule reports the records


@needs_datasets
def test_real_unknown_format_has_no_volume_finding() -> None:
    report = ftdata.lint(str(DATASETS / "fastchat" / "mt_bench" / "question.jsonl"), jobs=1, select=["VOL", "FMT006"])
    assert {f.rule for f in report.findings} == {"FMT006"}


@pytest.mark.parametrize("chats, unknown, expected", [
    (5, 0, "VOL001"),  # too few, all recognised
    (5, 4, "VOL001"),  # most recognised: still judged
    (30, 10, "VOL002"),
    (0, 0, "VOL001"),  # an empty file: nothing else would say so
])
def test_volume_still_judged_when_most_records_are_examples(tmp_path: Path, chats: int, unknown: int,
                                                             expected: str) -> None:
    rows = [chat_record(f"What is {i} squared?", f"{i * i}.") for i in range(chats)] + [QUESTION] * unknown
    assert [f.rule for f in rules(rows, tmp_path, "VOL")] == [expected]
