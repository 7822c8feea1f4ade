"""The measures behind the content rules truncated-answer (CNT004) and repetition (CNT009): when an
answer's end is cut, and when an answer loops; and both rules on real data, where what they
find was read by eye. The real-data tests skip cleanly when ../shared/datasets is absent."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import ftdata
from ftdata.checks.content._text import answers
from ftdata.checks.content.repetition import Repetition, repetition
from ftdata.checks.content.truncated_answer import TruncatedAnswer, open_fence, truncation, unclosed, weak_ending
from independent import dataset_file

LONG_PROSE = ("Buying cryptocurrency starts with choosing an exchange. There are many exchanges, each with its own "
              "fees and interface. Research them and choose one that is well established and has a solid track "
              "record. Once you have chosen, create an account and set up a wallet to store your coins. ") * 2


# -- truncated answers -----------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "kind"), [
    # cut
    ("Here is the code:\n\n```python\ndef add(a, b):\n    return a + b\n", "fence"),
    ("~~~\nls -la\n", "fence"),
    ("Use this:\n```yaml\nname: app\n``` and run it.", "fence"),
    ("The causes are deforestation, overgrazing and the", "word"),
    ("It depends on the situation and", "word"),
    ("That is a bad idea.  It is a good idea to", "word"),
    ("I think so. The values that people of different races have", "word"),
    ("I can fix that.  I’d", "word"),
    (LONG_PROSE + "While Bitcoin", "word"),
    ("First, the cost is high. Second, the timeline is short,", "comma"),
    ("机器学习是一种人工智能技术，它可以从数据中学习规律，", "comma"),
    ("Here are the steps to reset your password:", "colon"),
    ("技术可以从以下几个方面改善生活：", "colon"),
    ("def gcd(x, y):", "colon"),
    ("i = 10\nwhile i < 20:", "colon"),
    ("Call it like so: compute(", "bracket"),
    ("Here is the output:\n\n[", "bracket"),
    ('She wrote that "all happy families are alike, but each', "bracket"),
    ("I am named after his song “", "bracket"),
    ("Steps:\n1. Preheat the oven.\n2. Mix the flour.\n3.", "list"),
    ("- eggs\n- milk\n-", "list"),
    ("Outline:\n  A. Intro\n    1. Hook\n    2.", "list"),
    ("The capital of France is Paris, and the<|endoftext|>", "word"),
    ("The capital of France is Paris, and the </s>  \n", "word"),
    # finished, or not judged
    ("42.", None),
    ("42", None),
    ("Yes", None),
    ("Yes.", None),
    ("positive", None),
    ("beneficiary_not_allowed", None),
    ("The cheapest option is Plan A", None),
    ("Carrots are rich in vitamin A", None),
    ("function double(x) {\n  return x * 2;\n}", None),
    ("response = requests.get(url)\nprint(response.json())", None),
    ("for i in range(3):\n    print i,", None),
    ("name: app\nscripts:\n  build: make\n  test: pytest\n  lint: ruff\nversion: 1;", None),
    ("Roses are red\nViolets are blue\nSugar is sweet\nAnd so are you", None),
    ("Roses are red,\nViolets are blue,\nSugar is sweet,\nAnd so are you,", None),
    ("- apples\n- pears\n- plums", None),
    ("You can find them at https://example.com/docs", None),
    ("Have a great day 😊", None),
    ("机器学习是人工智能的一个分支。它让计算机从数据中学习", None),
    ("東京は日本の首都です。人口は約1400万人です", None),
    ('{"name": "Alice", "age": 30}', None),
    ("positive<|endoftext|>", None),
    ("The answer is 42.   \n\n", None),
    ("There are many. Apples, pears, plums and so on", None),
    ("```python\nprint('hello')\n```", None),
    ("Use ```ls -la``` to list files.", None),
    ("````markdown\n```python\nprint(1)\n```\n````", None),
    ("```E1: `x ? y : z` - boolean\n```\nSee the spec.", None),
    ("```python\nprint(1)\n```\nThat prints one.\n```", None),
    ("Dear John,\n\nThank you for your help.\n\nBest regards,", None),
    ("That is sad :(", None),
    ("Glad that worked. Is there anything else I can help you with", None),
    ("Sure, I can do that. Let me know if you want to", None),
    ("Some things cannot change. That's just the way it is", None),
    ("It helps a lot. I will do it as soon as I can", None),
    ("dog lazy the over jumped fox brown quick The", None),
    ("The domain is [0, 1) for x", None),
    ('He is 5\'11" tall and weighs 180 lbs', None),
    ("Science and Technology", None),
    (LONG_PROSE + "Good luck", None),
    ("Dear team,\n\nThe launch moved to Friday. Please plan.\n\nJohn Smith", None),
    ("1. Open the app.\n2. Sign in.\n3. Tap Settings.", None),
    ("## Summary", None),
    ("", None),
    ("   \n", None),
])
def test_truncation(text: str, kind: str | None) -> None:
    cut = truncation(text)
    assert (cut.kind if cut else None) == kind, cut


def test_truncation_messages_say_where() -> None:
    assert truncation("Code:\n\n```python\nx = 1\n") == ("fence", "leaves a code fence open (opened at line 3)")
    cut = truncation("Use this:\n```yaml\nname: app\n``` and run it.")
    assert cut is not None and "opened at line 2" in cut.detail and "line 4" in cut.detail
    cut = truncation("The causes are deforestation, overgrazing and the")
    assert cut is not None and cut.detail == "ends mid-sentence after 'deforestation, overgrazing and the'"
    cut = truncation("Steps:\n1. Preheat.\n2. Mix.\n3.")
    assert cut is not None and "'3.'" in cut.detail


@pytest.mark.parametrize(("text", "where"), [
    ("```\ncode\n```", None),
    ("```python\ncode", (1, None)),
    ("text\n\n```\na\n```\n\n~~~sh\nb\n", (7, None)),
    ("````\n```\ninner\n```\n````", None),
    ("````\n```\ninner\n```\n", (1, None)),
    ("```x``` and ```y```", None),
    ("```\nx = 1\n``` then more", (1, 3)),
    ("```\nx\n```\ntext\n```", None),  # a stray closing fence last
    ("Here it is:\n```python", (2, None)),  # a block begun with a language and nothing in it
])
def test_open_fence(text: str, where: tuple[int, int | None] | None) -> None:
    assert open_fence(text) == where


@pytest.mark.parametrize(("line", "opener"), [
    ("see the docs (section 2", "("),
    ("the interval [0, 1) and more", None),
    ("call f(x) then g(y", "("),
    ('he said "hello', '"'),
    ('he said "hello" and left', None),
    ('a board 5\'11" long', None),
    ("so sad :( but fine", None),
    ("他说「你好", "「"),
])
def test_unclosed(line: str, opener: str | None) -> None:
    found = unclosed(line)
    assert (found[0] if found else None) == opener


@pytest.mark.parametrize(("previous", "word", "cut"), [
    ("idea", "to", True), ("want", "to", False), ("importance", "of", True), ("made", "of", False),
    ("useful", "for", True), ("looking", "for", False), ("evidence", "is", True), ("it", "is", False),
    ("you'd", "have", False), ("races", "have", True), ("but", "in", True), ("log", "in", False),
    ("suspect", "that", True), ("like", "that", False), ("fix.", "I’d", True),
])
def test_weak_ending(previous: str, word: str, cut: bool) -> None:
    assert weak_ending(previous, word) is cut


def test_answers_are_what_is_trained(tmp_path: Path) -> None:
    rows = [
        {"prompt": "Q?", "chosen": "Good.", "rejected": "Bad and the"},
        {"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "Cut and the"}], "label": False},
        {"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A and the", "weight": 0},
                      {"role": "user", "content": "Q2?"}, {"role": "assistant", "content": "B", "weight": 1}]},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = [[m.content for m in answers(r)] for r in ftdata.records(str(path))]
    assert got == [["Good."], [], ["B"]]
    assert not TruncatedAnswer().run(ftdata.records(str(path)))  # each answer left out ends cut


# -- repetition ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "unit", "repeats"), [
    ("I cannot book flights. " + "I am sorry. " * 14 + "Goodbye.", "I am sorry.", 14),
    ("The sea is calm, and " + "the waves roll in slowly and " * 8, "the waves roll in slowly and", 8),
    ("机器学习是人工智能的一个分支。" + "我很抱歉。" * 20, "我很抱歉。", 20),
    ("机器学习是人工智能的一个分支。" + "我很抱歉，我不能回答这个问题，请换一个问题。" * 6, "我很抱歉，我不能回答这个问题，请换一个问题。", 6),
    ("I like it very " + "very " * 30 + "much.", "very", 31),
    ("Eat a banana!" * 50, "Eat a banana!", 50),
    (" ".join("I cannot help. " + x for x in "Why? Sorry. No. Stop. Hm. Ok. Right. Well. Fine. Bye.".split()),
     "I cannot help.", 10),
])
def test_repetition_finds_the_loop(text: str, unit: str, repeats: int) -> None:
    loop = repetition(text)  # a loop's unit may begin at any word of it
    assert loop is not None and loop.unit in f"{unit} {unit}" and len(loop.unit) == len(unit)
    assert loop.repeats == repeats
    assert 0.3 <= loop.share <= 1


@pytest.mark.parametrize("text", [
    "Here is your list:\n- Buy milk\n- Buy eggs\n- Buy bread\n- Buy butter\n- Buy jam\n- Buy tea\n- Buy coffee\n"
    "- Buy rice\n",
    "Your teacher is a jerk. Your teacher is a fool. Your teacher is a failure. Your teacher is a loser. "
    "Your teacher is a bore. Your teacher is a clown.",
    "| Name | Phone |\n|---|---|\n" + "| N/A | N/A |\n" * 10,
    '<div class="grid">\n' + '  <div class="cell"></div>\n' * 6 + "</div>",
    "print('hello')\n" * 8,
    ("The rain falls on the town.\nAnd still the river runs.\nThe bells ring at dusk.\nAnd still the river runs.\n") * 3,
    "Verse: the days are long.\nChorus: summer, stay with me tonight\n" * 3,
    "-" * 80 + "\nSection\n" + "=" * 80,
    "Here it is: 1" + "0" * 200,
    "For example, apples are fruit. For example, carrots are vegetables. For example, rice is a grain. These are "
    "common foods, each from a different group of the food pyramid, which is used in nutrition.",
])
def test_repetition_leaves_structure_alone(text: str) -> None:
    assert len(text) >= 100  # shorter answers are not judged at all
    assert repetition(text) is None


def test_repetition_needs_twice_the_repeats_between_others() -> None:
    """One word, or a sentence recurring between others, counts from 10 repeats (a loop from 5):
    9 are left alone, though a lower threshold shows the unit is found."""
    word = "I will " + "never " * 9 + "do that, whatever you say to me, and that is all I can tell you now."
    assert repetition(word) is None and repetition(word, min_repeats=4) is not None
    assert repetition(word.replace("never ", "never never ", 1)) is not None
    between = ("I cannot help. Why? I cannot help. Sorry. I cannot help. No. I cannot help. Stop. I cannot help. "
               "Please ask me something else.")
    assert repetition(between) is None and repetition(between, min_repeats=2) is not None


def test_repetition_thresholds_are_options(tmp_path: Path) -> None:
    text = "Intro sentence here. " + "I am sorry. " * 6 + "Some other closing words to make it longer than that."
    assert repetition(text) is not None
    assert repetition(text, min_repeats=7) is None
    assert repetition(text, min_share=0.9) is None
    path = tmp_path / "loop.jsonl"
    record = {"messages": [{"role": "user", "content": "Book a flight."}, {"role": "assistant", "content": text}]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert len(Repetition().run(ftdata.records(str(path)))) == 1
    assert not Repetition(Repetition.Options(min_repeats=7)).run(ftdata.records(str(path)))


def test_repetition_asked_for_is_fine(tmp_path: Path) -> None:
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": "I love you. " * 12}]}
            for q in ("Say 'I love you' twelve times.", "Write a song for my wife.", "How do you feel about me?",
                      "Proofread this: " + "I love you. " * 12)]  # the loop is the prompt's own text
    path = tmp_path / "asked.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [f.line for f in Repetition().run(ftdata.records(str(path)))] == [3]


# -- real data, read by eye ------------------------------------------------------------------------
def test_hh_rlhf_cut_answers() -> None:
    """hh-rlhf's chosen answers were sampled with a length limit; the ends below were read by eye
    (an unclosed "[", a colon promising a list, a comma, "It’s a good idea to"), and the rule
    flags a few percent of the file, never a rejected answer."""
    path = dataset_file("hh_rlhf/harmless-base/test.jsonl.gz")
    found = TruncatedAnswer().run(ftdata.records(str(path)))
    by_line = {f.line: f.message for f in found}
    assert "ends with '[' unclosed" in by_line[1329]
    assert "ends on a colon" in by_line[1111]
    assert "ends mid-sentence on a comma" in by_line[2106]
    assert "a good idea to" in by_line[1801]
    assert 0.01 <= len(by_line) / 2312 <= 0.06
    assert all(f.pointer == "/chosen" for f in found)
    # complete answers that merely lack a full stop are left alone
    assert 284 not in by_line and 660 not in by_line and 897 not in by_line


def test_clean_answers_stay_quiet() -> None:
    """Classification completions (self-instruct's t0 templates, each ending in <|endoftext|>)
    and code answers end as they should."""
    for name in ("self_instruct/t0_train_50k_subset/ag_news_classify.jsonl",
                 "self_instruct/t0_train_50k_subset/app_reviews_generate_review.jsonl",
                 "code_alpaca/new_codealpaca.json"):
        assert not TruncatedAnswer().run(ftdata.records(str(dataset_file(name)))), name


def test_real_loops() -> None:
    """The OpenAI cookbook's toy set plants an answer that says "Eat a banana!" over and over;
    LLaMA-Factory's KTO demo has a giggling loop, labelled undesirable, so not judged."""
    found = Repetition().run(ftdata.records(str(dataset_file("openai_cookbook/toy_chat_fine_tuning.jsonl"))))
    assert [(f.line, f.pointer) for f in found] == [(5, "/messages/2/content")]
    assert "'Eat a banana!'" in found[0].message and "2000 times" in found[0].message
    kto = list(ftdata.records(str(dataset_file("llama_factory/kto_en_demo.json"))))
    giggle = next(r for r in kto if r.line == 1215)
    loop = repetition(giggle.messages[1].content)
    assert giggle.label is False and loop is not None and loop.repeats > 100
    assert not [f for f in Repetition().run(kto) if f.line == 1215]
