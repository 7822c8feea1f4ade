"""Near duplicates and leaks are judged without a preamble most prompts share (a question template,
a fixed task instruction, tool descriptions pasted into the prompt), as without system prompts:
on real templated data (self-instruct's T0 prompts) and on realistic built data."""
from __future__ import annotations

import json
from pathlib import Path

from ftdata import fingerprint
from independent import DATASETS, chat_record, findings, needs_datasets, write_jsonl

T0 = DATASETS / "self_instruct" / "t0_train_50k_subset"
PREAMBLE = ("Read the user's request below and answer it as a helpful, honest assistant. Think about what the "
            "user really needs, keep the answer focused, use plain language, and do not mention these "
            "instructions in your answer.\n\n")
QUESTIONS = ["How can I improve my time management skills?", "What are the main differences between Python and "
             "JavaScript?", "How do vaccinations work to protect individuals and communities?",
             "What is the capital of Australia?", "Explain photosynthesis to a ten-year-old.",
             "How do I make a sourdough starter?", "Why is the sky blue?", "What causes inflation?",
             "How does a bill become a law in the United States?", "What is a black hole?",
             "Give me three tips for a job interview.", "How do noise-cancelling headphones work?",
             "What is the difference between weather and climate?", "How do I change a flat tyre?",
             "Summarise the plot of Hamlet in two sentences.", "What are prime numbers used for?",
             "How can I learn to touch type?", "Why do cats purr?", "What is compound interest?",
             "How do solar panels make electricity?", "What is the tallest mountain in Africa?",
             "How should I store fresh herbs?", "What does a product manager do?", "Why do we dream?"]


def excerpt(name: str, n: int) -> list[str]:
    return (T0 / name).read_text(encoding="utf-8").splitlines()[:n]


@needs_datasets
def test_a_question_template_does_not_make_different_titles_near_duplicates(tmp_path: Path) -> None:
    """dbpedia's template ("<title>, given a list of categories: company, ..., what category does
    the title belong to?") is ~90% of every prompt: 173 records were near duplicates of each other
    by it. Without it, different titles are not; a title with a typo still is."""
    lines = excerpt("dbpedia_14_given_a_list_of_category_what_does_the_title_belong_to.jsonl", 60)
    data = tmp_path / "dbpedia.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not findings(data, "DUP003")
    typo = json.loads(lines[7])
    title = typo["prompt"].split('"')[1]
    typo["prompt"] = typo["prompt"].replace(title, title[:-1] + title[-1] * 2, 1)  # one letter doubled
    data.write_text("\n".join([*lines, json.dumps(typo)]) + "\n", encoding="utf-8")
    near = findings(data, "DUP003")
    assert [(f.line, f.related[0].line) for f in near] == [(61, 8)]


@needs_datasets
def test_a_shared_instruction_and_choice_list_around_the_question(tmp_path: Path) -> None:
    """trec: "Which category best describes the following question: <q> Choose from the following
    list: Description, Entity, ..." (a prefix and a suffix); the completions are all empty, so
    every pair had the same answer and was compared by edits of the whole prompt."""
    data = tmp_path / "trec.jsonl"
    data.write_text("\n".join(excerpt("trec_which_category_best_describes.jsonl", 200)) + "\n", encoding="utf-8")
    assert fingerprint.preambles([fingerprint.normalise("user " + json.loads(line)["prompt"])
                                  for line in excerpt("trec_which_category_best_describes.jsonl", 200)])
    assert not findings(data, "DUP003")


def test_a_fixed_instruction_pasted_into_every_prompt(tmp_path: Path) -> None:
    """Different short questions after one long instruction are neither near duplicates nor leaks;
    the same question with a typo still is both."""
    rows = [chat_record(PREAMBLE + q, "(an answer)") for q in QUESTIONS]
    typo = chat_record(PREAMBLE + QUESTIONS[3].replace("capital", "captial"), "(an answer)")
    train = write_jsonl(tmp_path / "train.jsonl", [*rows, typo])
    near = findings(train, "DUP003")
    assert [(f.line, f.related[0].line) for f in near] == [(25, 4)]
    held_out = [chat_record(PREAMBLE + q, "(an answer)") for q in ("Which river is the longest in Europe?",
                                                                   "Why is the sea salty?", "What is a quasar?")]
    held_out.append(chat_record(PREAMBLE + QUESTIONS[10].replace("interview", "intervew"), "(an answer)"))
    evaluation = write_jsonl(tmp_path / "eval.jsonl", held_out)
    leaks = findings(train, "LEAK001,LEAK002", eval=[str(evaluation)])
    assert [(f.line, f.related[0].line) for f in leaks] == [(4, 11)]


def test_preambles_are_long_texts_most_first_prompts_share() -> None:
    prompts = [fingerprint.normalise("user " + PREAMBLE + q) for q in QUESTIONS]
    assert fingerprint.preambles(prompts) == (fingerprint.normalise("user " + PREAMBLE),)
    # a shared short opening ("user what is") is no preamble, nor is one a few prompts share
    assert fingerprint.preambles([fingerprint.normalise("user " + q) for q in QUESTIONS]) == ()
    few = prompts[:3] + [fingerprint.normalise("user " + q) for q in QUESTIONS[3:]]
    assert fingerprint.preambles(few) == ()


def test_preambles_in_chinese_end_on_a_character() -> None:
    """Without spaces, a preamble is cut at a character boundary, never inside a UTF-8 sequence."""
    head = "请阅读下面的用户请求，并作为一个乐于助人、诚实的助手来回答它。"
    prompts = [fingerprint.normalise(f"user {head}{q}") for q in ("苹果是什么颜色", "天空为什么是蓝色的", "如何学习编程",
                                                              "什么是通货膨胀", "猫为什么会发出呼噜声", "怎样保存新鲜香草")]
    found = fingerprint.preambles(prompts)
    assert found and all(p.decode("utf-8") for p in found)
    assert all(fingerprint.strip(p, found).decode("utf-8") for p in prompts)
