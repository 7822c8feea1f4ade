"""Precision and recall of the content rules on the cases users reported from real data: correct
text called damaged, forms called truncated, jokes called scaffolding, supplied context called
unseen; and the misses: answers cut mid-expression in a set whose answers end one way, prompts
about a picture or a book that is not there, empty answers written as "<nooutput>" or invisible
characters. Real excerpts from ../shared/datasets where one exists, else realistic text."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import ftdata
from ftdata.checks.content import personal_data, secret
from ftdata.checks.content._ending import FINAL, OPEN, OTHER, SENTENCE, SIGN, ending
from ftdata.checks.content.empty_input_marker import EmptyInputMarker, empty_answer
from ftdata.checks.content.encoding_damage import EncodingDamage, _damage
from ftdata.checks.content.leaked_scaffolding import LeakedScaffolding
from ftdata.checks.content.truncated_answer import truncation
from ftdata.checks.content.unseen_context import UnseenContext
from ftdata.checks.format.empty_turn import EmptyTurn
from independent import dataset_file, findings, write_jsonl
from independent import chat_record as chat


# -- encoding-damage (CNT008) ----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["La lettre Â “à” n’existe pas.", "Ç“à”", "Le mot “à” et “è” – “ù”", "“Â”"])
def test_correct_typographic_text_is_not_mojibake(text: str) -> None:
    # ftfy's full fix_text straightens curly quotes; only its encoding repair may count
    assert not [d for d in _damage(text) if "mojibake" in d[2]]


@pytest.mark.parametrize(("text", "meant"), [
    ("Calculate the area of a circle, using the formula A = Ï€ * r^2. radius: 5", "π"),  # new_codealpaca.json
    ("Rose DeWitt Bukater, her fiancÃ© Cal Hockley", "é"),  # dpo_en_demo.json
    ("Itâ€™s a cafÃ©.", "’s"),
])
def test_real_mojibake_is_still_found_with_what_was_meant(text: str, meant: str) -> None:
    found = [d for d in _damage(text) if "mojibake" in d[2]]
    assert found and f"{meant!r} was meant" in found[0][2]


# -- truncated-answer (CNT004) ---------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Please fill in the form:\n\nName: \nEmail: ",
    "Contact form\nName:\nEmail:\nMessage:",
    "Welcome to the dungeon!\n1. Start\n2. Options\n3. Quit\nChoose an option: ",
    "1. Start\n2. Options\n3. Quit\n> ",
])
def test_forms_and_menus_that_await_input_are_not_cut(text: str) -> None:
    assert truncation(text) is None


@pytest.mark.parametrize("text", [
    "Ingredients:\n- flour\n- eggs\n\nSteps:",
    "Hmm, you might want to try something like this:",  # hh-rlhf harmless-base
])
def test_a_colon_with_nothing_after_it_is_still_cut(text: str) -> None:
    cut = truncation(text)
    assert cut is not None and cut.kind == "colon"


@pytest.mark.parametrize(("text", "kind"), [
    ("So she has 12 + 30 =", SIGN), ("The store opened in 19", OPEN), ("She has 5 apples and pays $", SIGN),
    ("Then she gives the remaining apples to her brot", OPEN),
    ("So she has 42 apples.\n#### 42", FINAL), ("The answer is 7", FINAL), ("It was fine.", SENTENCE),
    ('He said "yes."', SENTENCE), ("positive", OTHER), ("- apples\n- pears", OTHER), ("## Summary", OTHER),
    ("x = compute(a)\nprint(x)\nreturn y", OTHER), ("I would start with C++", OTHER),
    ("The ticket costs 25$", OTHER), ("See you then.\n\n---", OTHER), ("Your files are in /usr/local/", OTHER), ("您好！我是助手，您可以通过给我的回答打分来让我不断进化", OTHER),
])
def test_ending_classes(text: str, kind: int) -> None:
    assert ending(text) == kind


def _gsm(n: int, cut: dict[int, str]) -> list[dict[str, Any]]:
    rng = random.Random(3)
    rows = []
    for i in range(n):
        a, b = rng.randint(2, 90), rng.randint(2, 90)
        answer = f"She has {a} apples and buys {b} more.\nSo she has {a} + {b} = <<{a}+{b}={a + b}>>{a + b}.\n#### {a + b}"
        rows.append(chat(f"Natalia has {a} apples and buys {b} more. How many has she?", cut.get(i, answer)))
    return rows


def test_answers_cut_mid_expression_where_the_set_ends_one_way(tmp_path: Path) -> None:
    cut = {5: "She has 12 apples and buys 30 more.\nSo she has 12 + 30 =", 9: "The store opened in 19",
           13: "She has 12 apples and pays $", 17: "She has 12 apples.\nThen she gives the remai"}
    found = findings(write_jsonl(tmp_path / "data.jsonl", _gsm(100, cut)), "CNT004")
    assert sorted(f.record_index for f in found) == sorted(cut)
    assert all("final-answer line" in f.message and "96%" in f.message for f in found)
    assert all(f.pointer == "/messages/1/content" for f in found)


def test_where_answers_end_on_sentences_only_a_dangling_sign_is_cut(tmp_path: Path) -> None:
    # dbpedia_samples.jsonl: abstracts end in a full stop, a few only lack it ("... with a hooded doorway")
    rng = random.Random(4)
    rows = [chat(f"Describe building {i}.", f"Building {i} is a public house in Monmouth, Wales. It was listed in "
                                             f"{rng.randint(1900, 2000)}.") for i in range(60)]
    rows[7] = chat("Describe building 7.", "The Three Horseshoes is a public house in Drybridge Street in Monmouth. "
                                           "19th century 2 storeys roughcast as stone with a hooded doorway")
    rows[11] = chat("What does a pint cost there?", "A pint of the house ale costs about $")
    found = findings(write_jsonl(tmp_path / "data.jsonl", rows), "CNT004")
    assert [f.record_index for f in found] == [11]
    assert "finished sentence" in found[0].message and "'$'" in found[0].message


def test_no_convention_no_dataset_relative_findings(tmp_path: Path) -> None:
    # a third of the answers end without punctuation: there is no convention to break
    rows = _gsm(60, {i: f"She has {i} apples and buys" + (" 3" if i % 2 else " more") for i in range(0, 60, 3)})
    found = findings(write_jsonl(tmp_path / "data.jsonl", rows), "CNT004")
    assert not [f for f in found if "answers end with" in f.message]


def test_per_record_cuts_are_reported_once(tmp_path: Path) -> None:
    rows = _gsm(40, {3: "She has 12 apples and the"})
    found = findings(write_jsonl(tmp_path / "data.jsonl", rows), "CNT004")
    assert [f.record_index for f in found] == [3]


# -- leaked-scaffolding (CNT006) -------------------------------------------------------------------
def scaffolding(tmp_path: Path, user: str, answer: str) -> list[ftdata.Finding]:
    return LeakedScaffolding().run(ftdata.records(str(write_jsonl(tmp_path / "data.jsonl", [chat(user, answer)]))))


@pytest.mark.parametrize(("user", "answer"), [
    ("Tell me a joke.", "Q: Why did the chicken cross the road?\nA: To get to the other side!"),
    ("Tell me a joke in Q/A form.", "A: To get to the other side!"),
    ("Q: Why did the chicken cross the road?", "A: To get to the other side!"),
])
def test_a_question_and_answer_joke_is_not_scaffolding(tmp_path: Path, user: str, answer: str) -> None:
    assert not scaffolding(tmp_path, user, answer)


def test_an_answer_repeating_the_prompts_a_cue_is_scaffolding(tmp_path: Path) -> None:
    # dpo_en_demo.json: the prompt ends on the cue "A:" and the answer repeats it
    found = scaffolding(tmp_path, "Review: the marketing was everywhere.\nQ: What is the sentiment of the review?\nA:",
                        "A: neutral")
    assert len(found) == 1 and "'A:'" in found[0].message


@pytest.mark.parametrize(("user", "answer", "label"), [
    # alpaca_zh_demo.json: the translated Alpaca template's "Output:" opens the answer
    ("输入三支篮球队的名称并生成一个适当的口号。\n\n输入：俄克拉荷马城雷霆队，芝加哥公牛队，布鲁克林网队。",
     '输出： "雷霆，公牛和网队：各显神通，角逐群雄!"', "输出："),
    ("什么是机器学习？", "机器学习是人工智能的一个分支。\n用户：那深度学习呢？", "用户："),
])
def test_chinese_scaffolding(tmp_path: Path, user: str, answer: str, label: str) -> None:
    found = scaffolding(tmp_path, user, answer)
    assert len(found) == 1 and label in found[0].message


@pytest.mark.parametrize(("user", "answer"), [
    ("什么是机器学习？", "机器学习的定义：让计算机从数据中学习。"),
    ("写一段用户和助手的对话", "用户：你好\n助手：你好！"),
    ("讲个笑话", "答：因为它想过马路。"),
])
def test_chinese_text_with_colons_is_not_scaffolding(tmp_path: Path, user: str, answer: str) -> None:
    assert not scaffolding(tmp_path, user, answer)


# -- personal-data (CNT010) and secret (CNT011): sample data is no one's ---------------------------
@pytest.mark.parametrize("text", [
    # new_codealpaca.json: a CSV of sample contacts, placeholders among them
    '"Name,Email\nAlice,alice@example.com\nBob,bob@gmail.com\nCarol,carol@example.org\nDan,dan@gmail.com"',
    # hh-rlhf harmless-base: a made-up address, and the phone number given beside one
    "You could make up a fake email address, for example “giantlawsuitedog@hotmail.com”, and send him emails.",
    "here are their email address and phone number:\n\nperson1@email.com\n\nphone number: (647) 321-1199",
])
def test_sample_contact_details_are_not_personal_data(text: str) -> None:
    assert personal_data.find(text) == []


def test_real_looking_contact_details_still_count() -> None:
    found = personal_data.find("Contact Wendy Rall directly at wendy.rall@randomco.com or (647) 321-1199.")
    assert [h.kind for h in found] == ["email", "phone"]


@pytest.mark.parametrize("name", ["enc_password", "encrypted_password", "password_hash", "hashed_password"])
def test_a_transformed_value_is_not_a_secret(name: str) -> None:
    # code_alpaca_2k.json: "Write a code to decrypt a password encrypted with AES-256."
    assert secret.find(f'{name} = "IH6noKXV7kU6S5BS6LTYMOSoIz15gyKx"') == []
    assert [h.kind for h in secret.find('db_password = "IH6noKXV7kU6S5BS6LTYMOSoIz15gyKx"')] == ["assigned"]


# -- unseen-context (CNT007) -----------------------------------------------------------------------
PASSAGE = ("The quarterly report shows revenue grew by 12% year over year, driven by strong demand in the "
           "enterprise segment. Operating costs rose 5%, mostly due to hiring in engineering and sales. "
           "Management expects growth to continue next quarter, although supply chain risks remain. The board "
           "approved a share buyback of $50 million and declared a dividend.")
FETCH_TOOL = [{"type": "function", "function": {"name": "fetch_url", "description": "Fetch a web page",
                                                "parameters": {"type": "object", "properties": {}}}}]


@pytest.mark.parametrize("prompt", [
    "What is in this photo?", "Summarize the book.", "What does the chart show?", "Please see the attached.",
    "Describe the video above.", "请描述这张图片的内容。", "请总结附件中的报告。", "告诉我两个形容这幅画的形容词。", "Describe esta imagen, por favor.",
    "Décris cette image.", "Beschreibe dieses Bild.", "Summarize the article at https://example.org/news/1",
    "Describe the painting.", "总结这篇文章", PASSAGE + "\n\nDescribe the attached photo.",
])
def test_prompts_about_what_is_not_there(tmp_path: Path, prompt: str) -> None:
    path = write_jsonl(tmp_path / "data.jsonl", [chat(prompt, "Sure.")])
    assert len(UnseenContext().run(ftdata.records(str(path)))) == 1


@pytest.mark.parametrize("row", [
    chat("Can you recommend a book about history?", "Sure."),
    chat("What is a pie chart?", "A circle divided into slices."),
    chat("Who wrote the book of Genesis?", "Moses, by tradition."),
    chat("帮我推荐一本书", "好的"),
    chat("将以下句子从被动语态改为主动语态：这幅画是艺术家创作的。", "艺术家创作了这幅画。"),  # alpaca_zh_demo.json
    chat("Summarize the attached document:\n\n" + PASSAGE, "Revenue grew 12%."),
    chat(PASSAGE + "\n\nSummarize the attached document.", "Revenue grew 12%."),
    {"messages": [{"role": "user", "content": "Here is my essay: " + PASSAGE}, {"role": "assistant", "content": "Thanks."},
                  {"role": "user", "content": "Proofread the essay."}, {"role": "assistant", "content": "Done."}]},
    chat("What does the chart below show?\n| year | sales |\n|---|---|\n| 2020 | 5 |\n| 2021 | 7 |", "Growth."),
    chat("Explain the chart: it has two bars, one for each year's sales.", "Sales grew."),
    {"instruction": "Summarize the text.", "input": "The cat sat on the mat all day because it was warm.",
     "output": "A cat sat on a warm mat."},
    chat("Create a table of the planets and their moons. Then explain the table.", "| Planet | Moons |"),
    chat("Summarize the article at https://example.org/news/1", "It says...", tools=FETCH_TOOL),
    {"messages": [{"role": "system", "content": "You can browse the web with the fetch tool."},
                  {"role": "user", "content": "Summarize the article at https://example.org/news/1"},
                  {"role": "assistant", "content": "It says..."}]},
    # amazon_polarity (t0): a review quoted in the prompt talks about "this book"
    {"prompt": "Title: Unbelievable\nReview: As a historian, I certainly can't believe what is in this book. It is "
               "an unsubstantiated story.\nIs this product review negative?", "completion": "Yes"},
])
def test_supplied_or_general_context_is_seen(tmp_path: Path, row: dict[str, Any]) -> None:
    assert not UnseenContext().run(ftdata.records(str(write_jsonl(tmp_path / "data.jsonl", [row]))))


# -- empty answers: empty-turn (FMT020), not empty-input-marker (CNT002) ---------------------------
@pytest.mark.parametrize(("row", "what"), [
    ({"instruction": "Draw a cat.", "input": "", "output": "<nooutput>"}, "no-output marker"),
    ({"instruction": "Paint a sunset.", "input": "", "output": "<No Output>"}, "no-output marker"),
    ({"instruction": "Record a song for me.", "input": "", "output": "No Output"}, "no-output marker"),
    ({"instruction": "Paint a sunset.", "input": "", "output": "N/A"}, "no-output marker"),
    ({"instruction": "画一只猫。", "input": "", "output": "<无输出>"}, "no-output marker"),
    (chat("Hi", "\u200b\u200b"), "invisible characters (U+200B)"),
    (chat("你好", "\u3000\u200b"), "invisible characters"),
])
def test_empty_answers_are_errors_of_empty_turn(tmp_path: Path, row: dict[str, Any], what: str) -> None:
    path = write_jsonl(tmp_path / "data.jsonl", [row])
    found = EmptyTurn().run(ftdata.records(str(path)))
    assert len(found) == 1 and what in found[0].message and found[0].severity == ftdata.Severity.ERROR
    assert not EmptyInputMarker().run(ftdata.records(str(path)))  # not reported twice
    assert not EncodingDamage().run(ftdata.records(str(path)))


@pytest.mark.parametrize(("prompt", "answer"), [
    ("What does print() return in Python?", "None"),
    ("List the adjectives in the sentence. If there are none, say N/A.\n\nHe ran.", "N/A"),
    ("Hi", "Hello!"),
    ("这句话里有形容词吗？如果没有，回答无。\n\n他跑了。", "无"),
])
def test_answers_that_may_be_none(prompt: str, answer: str) -> None:
    assert empty_answer(answer, prompt) is None


@pytest.mark.parametrize("marker", ["<noinput>", "<无输入>"])
def test_noinput_in_alpaca_input_stays_a_warning_of_cnt002(tmp_path: Path, marker: str) -> None:
    path = write_jsonl(tmp_path / "data.jsonl", [{"instruction": "Name a colour.", "input": marker, "output": "Blue."}])
    found = EmptyInputMarker().run(ftdata.records(str(path)))
    assert [f.pointer for f in found] == ["/input"] and found[0].severity == ftdata.Severity.WARNING
    assert not EmptyTurn().run(ftdata.records(str(path)))


# -- on real data (skipped when ../shared/datasets is absent) ---------------------------------------
def test_real_chinese_prompts_about_a_painting() -> None:
    # alpaca_zh_demo.json: "describe this painting" has no painting; "the artist created this painting" is a sentence
    found = findings(dataset_file("llama_factory/alpaca_zh_demo.json"), "CNT007")
    assert found and all("这幅画" in (f.excerpt or "") or "图" in (f.excerpt or "") for f in found)
    assert not [f for f in found if "创作了这幅画" in (f.excerpt or "")]


def test_real_abstracts_missing_a_full_stop_are_not_cut() -> None:
    # dbpedia_samples.jsonl: 98% of texts end in a full stop; two end "... with a hooded doorway" and such
    assert not findings(dataset_file("openai_cookbook/dbpedia_samples.jsonl"), "CNT004")


def test_real_mojibake_says_what_was_meant() -> None:
    found = findings(dataset_file("code_alpaca/new_codealpaca.json"), "CNT008")
    assert any("'Ï€'" in f.message and "'π' was meant" in f.message for f in found)
