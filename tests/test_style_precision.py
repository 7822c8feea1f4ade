"""style-deviation (STY002) precision: first person judged by words, language only where a
guess is confident, code judged as code, deviations the prompt asks for left alone, plain-text
options, and the same answer whatever PYTHONHASHSEED. Fixtures are short excerpts of the real
datasets in ../shared/datasets (named beside each), else realistic text."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import ftdata
from ftdata import style
from ftdata.checks.style import _requests
from ftdata.config import Settings
from independent import DATASETS, ftdata_command, needs_datasets, style_values, write_jsonl


def feature(text: str, name: str) -> str:
    return style_values(text)[name]


# -- first person: the pronoun, not a capital I ------------------------------------------------------
@pytest.mark.parametrize("text", [
    "USS Tuluran (AG-46) was a commercial cargo ship acquired by the U.S. Navy for service during both World War I "
    "when she was known as USS Lake Superior and World War II.",  # openai_cookbook/dbpedia_samples.jsonl
    "Patients with stage I disease are usually treated with surgery alone.",
    "Serum IGF-I levels fall with age, and troponin I rises after an infarction.",
    "The Mark I was the first tank used in combat.",
    "Run find . -name '*.txt' | xargs -I{} cp {} backup/ to copy each file.",
    "The quotation comes from J.I. Packer, a theologian.",
    "Louis I of Bavaria commissioned the building in 1826.",
    "Jenna Rose Swerdlow is an American singer who gained attention with her single My Jeans.",  # dbpedia
    "Add the class to every element: .my-class selects them all.",
])
def test_capital_i_in_names_codes_and_numerals_is_not_first_person(text: str) -> None:
    assert feature(text, "first person") == "none"


@pytest.mark.parametrize("text", [
    "I think the second option is better.",
    "Hello! How can I help you today?",  # fastchat/dummy_conversation.json
    "I’m not sure what you mean by that.",
    "My name is Vicuna, and I was trained by researchers.",
    "That depends on what you want to do with me here.",
])
def test_pronouns_are_first_person(text: str) -> None:
    assert feature(text, "first person") == "I/me/my"


def test_first_person_is_judged_only_in_english() -> None:
    # llama_factory/alpaca_zh_demo.json: Roman numerals and a keyboard shortcut in Chinese text
    chinese = "输出：LXXIII\n\n解释：罗马数字包括以下符号：I、V、X、L、C、D 和 M。I 可以放在 V (5) 和 X (10) 的左边，来表示 4 和 9。"
    assert feature(chinese, "first person") == "n/a"


# -- code and JSON are judged by their own conventions ----------------------------------------------
@pytest.mark.parametrize("text", [  # code_alpaca/code_alpaca_2k.json answers
    '<html>\n  <head>\n    <title>My Portfolio</title>\n  </head>\n  <body>\n    <h1>My Portfolio</h1>\n  </body>\n</html>',
    ".my-class {\n    font-size: 20px;\n}",
    "def count_capital_letters(input_string):\n    count = 0\n    return count",
    "use strict;\nuse warnings;\n\nmy $csv = Text::CSV->new();",
    "```python\na = 2\nb = 3\nsum = a + b\nprint(sum)\n```",
    '[\n {\n    "name": "John",\n    "age": 10\n  }\n]',
])
def test_code_answers_have_no_prose_case_ending_or_voice(text: str) -> None:
    assert style.is_code(text.strip()) or feature(text, "structure") != "prose"
    assert [feature(text, f) for f in ("case", "ending", "first person", "quotes")] == ["n/a"] * 4


@pytest.mark.parametrize("text, expected", [
    ("iPhone 12 Pro Max is a luxury item.", "n/a"),  # llama_factory/alpaca_en_demo.json
    ("e-Spirit is a commercial software company.", "n/a"),  # dbpedia
    ("https://bioguide.congress.gov/biography", "n/a"),  # hh_rlhf
    ("7765 - 7791 = -26 < 0, thus no, 7765 is not greater than 7791.", "n/a"),  # lima
    ("strong typing means the compiler enforces types, as in Java.", "starts lower case"),
])
def test_case_comes_from_a_plain_first_word(text: str, expected: str) -> None:
    assert feature(text, "case") == expected


# -- language: only a confident guess ----------------------------------------------------------------
@pytest.mark.parametrize("text", ["不能", "当然不安全", "不客气！祝您晚宴愉快！", "我可以做任何事情", "杯莫停"])  # oasst1_zh
def test_short_chinese_is_not_called_japanese_or_traditional(text: str) -> None:
    assert feature(text, "language") == "unknown"


def test_chinese_variants_follow_the_characters() -> None:
    simplified = ("唐朝皇帝有二十一位，分别是：唐高祖李渊，唐太宗李世民，唐高宗李治，唐中宗李显，唐睿宗李旦，"
                  "女皇武则天，唐玄宗李隆基，唐肃宗李亨，唐代宗李豫，唐德宗李适，唐顺宗李诵。")  # oasst1_zh
    traditional = ("工作分析是一項系統化的過程，旨在收集、組織並解釋有關工作職責、擔任該工作所需能力和條件以及"
                   "相關環境因素的信息。工作分析的目的是確定每個工作的要求。")  # alpaca_zh_demo.json
    assert feature(simplified, "language") == "Chinese"
    assert feature(traditional, "language") == "Chinese (traditional)"


def test_chinese_answer_around_code_is_chinese() -> None:
    answer = ("以下是一个使用Python实现的快速排序算法示例：\n\n```python\ndef quick_sort(arr):\n    if len(arr) <= 1:\n"
              "        return arr\n    pivot = arr[0]\n    return quick_sort([x for x in arr[1:] if x < pivot])\n```\n\n"
              "这个算法的平均时间复杂度是O(n log n)，它选择一个基准元素，把数组分成两部分，然后递归地排序每一部分。")
    assert feature(answer, "language") == "Chinese"  # oasst1_zh/oaast_rm_zh.json, shortened


def test_a_list_of_names_has_no_language() -> None:
    assert feature("India - New Delhi; Brazil - Brasília; Australia - Canberra; Italy - Rome; Japan - Tokyo.",
                   "language") == "unknown"  # llama_factory/kto_en_demo.json, once called "another language"


# -- what the prompt asks for --------------------------------------------------------------------------
def explained(feature_name: str, value: str, answer: str, prompt: str) -> bool:
    """Whether the prompt asks for `value` where the set's convention is the usual one."""
    convention = {"structure": "prose", "case": "sentence case"}.get(feature_name, "none")
    return _requests.explained(feature_name, value, answer, prompt, convention)


@pytest.mark.parametrize("feature_name, value, answer, prompt", [
    ("case", "all caps", "THE MEETING IS MOVED TO FRIDAY.", "Rewrite this in uppercase: the meeting is moved to Friday."),
    ("case", "starts lower case", "canvas,'' Soren replied.", "Continue writing the following text: well, mostly"),
    ("structure", "JSON array", "[0, 1, 3, 4, 6, 9]", "Sort this input array [1, 6, 4, 3, 0, 9] in ascending order."),
    ("structure", "broken JSON", "[41, 7] : Prime Numbers", "Classify the following numbers"),
    ("numbered lists", "numbered list", "1. Tame face.\n2. Baldy", "have any other ideas?"),
    ("tables", "markdown table", "| a | b |\n|---|---|", "Create a table of the two picks."),
    ("opening", "a greeting", "Hello! I am an AI assistant. How can I assist you today?", "hi"),
    ("opening", "a greeting", "Hello, World!", 'Compile & Run the following C code: printf("Hello, World!");'),
    ("closing", "'Let me know'", "Dear Professor,\n\nI hope this email finds you well. Let me know.",
     "Please help me write them an email."),
    ("emoji", "emoji", "Ready for takeoff! 🚀 #travel", "Create an effective 140 character twitter post"),
    ("first person", "I/me/my", "Hi, I'm Tim! I'm a 28 year old teacher.", "Create a dating profile using the given information"),
])
def test_deviations_the_prompt_asks_for_are_explained(feature_name: str, value: str, answer: str, prompt: str) -> None:
    assert explained(feature_name, value, answer, prompt)


@pytest.mark.parametrize("feature_name, value, answer, prompt", [
    ("case", "all caps", "THE MEETING IS MOVED TO FRIDAY.", "When is the meeting?"),
    ("opening", "'Sure'", "Sure! Here is a list of books.", "Please suggest a few books for a 11 year old kid"),
    ("opening", "'As an AI'", "As an AI, I don't have a physical house.", "Write a short description of your house"),
    ("structure", "JSON object", '{"answer": 4}', "What is two plus two?"),
    ("bullets", "'- '", "Here is what I can do:\n- answer questions", "Are you based on davinci-001?"),
])
def test_unrequested_deviations_are_not_explained(feature_name: str, value: str, answer: str, prompt: str) -> None:
    assert not explained(feature_name, value, answer, prompt)


def test_a_json_set_reports_prose_and_broken_json_however_the_prompt_reads(tmp_path: Path) -> None:
    """An extraction set: the prompt mentions JSON, yet prose or truncated JSON among JSON answers
    is a defect; a prompt-less voice (case, ending, first person) is not judged on JSON."""
    rows = []
    for i in range(150):
        answer = json.dumps({"name": f"Client {i}", "date": f"2024-01-{1 + i % 28:02d}", "amount": i * 3})
        if i == 40:
            answer = "Sure! Here is the JSON you asked for: " + answer
        if i == 42:
            answer = answer[:-12]
        rows.append({"messages": [{"role": "user", "content": f"Return JSON with the name, date and amount: "
                                                             f"invoice for Client {i}, total ${i * 3}."},
                                  {"role": "assistant", "content": answer}]})
    path = write_jsonl(tmp_path / "extract.jsonl", rows)
    found = [(f.record_index, f.message.split(",")[0]) for f in ftdata.lint(str(path), select=("STY002",)).findings]
    assert (40, "structure: prose") in found and (42, "structure: broken JSON") in found, found
    assert {i for i, _ in found} == {40, 42}


@pytest.mark.parametrize("answer, prompt, expected", [
    ("En décembre dernier, plusieurs investisseurs estimaient que l’once atteindrait les 2000 dollars.",
     "Translate the following sentence into French.\n\nLast December, many gold bugs were arguing.", None),  # lima
    ("Sure, I'd be happy to introduce the city of Yueyang in Hunan Province, China, with its history and food.",
     "你能用英文介绍一下湖南岳阳这座城市吗？内容需要包括历史文化，人文美食，自然风光等。", None),  # oasst1_zh
    ("Ele é usado para garantir finalização de recursos adquiridos, mesmo quando ocorre uma exceção no código.",
     "Para que serve o comando with no Python e quando devo usar ele nos meus programas?", None),
    ("Certainly, I will schedule a meeting for you tomorrow at 10 AM. May I know the details of the meeting?",
     "安排明天上午10点的会议。", "en"),  # llama_factory/alpaca_zh_demo.json: a true stray English answer
    ("Lo siento, no sé cuál es la capital de ese país, pero puedo ayudarte con otra cosa.",
     "What is the capital of Peru?", "es"),
])
def test_language_is_judged_against_the_prompt(answer: str, prompt: str, expected: str | None) -> None:
    convention = "zh" if any("\u4e00" <= c <= "\u9fff" for c in prompt) else "en"  # a set of prompts like this one
    assert _requests.language(answer, prompt, convention) == expected


# -- the rule on constructed sets ----------------------------------------------------------------------
QUESTIONS = [f"How long does delivery number {i} take?" for i in range(200)]
ANSWERS = [f"Delivery {i} arrives within three working days of the order." for i in range(200)]


def _lint(tmp_path: Path, pairs: list[tuple[str, str]], **kwargs: object) -> list[tuple[int | None, str]]:
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]} for q, a in pairs]
    path = write_jsonl(tmp_path / "set.jsonl", rows)
    report = ftdata.lint(str(path), select=("STY002",), **kwargs)  # type: ignore[arg-type]
    return [(f.record_index, f.message) for f in report.findings]


def test_asked_for_deviations_are_quiet_and_stray_ones_found(tmp_path: Path) -> None:
    pairs = list(zip(QUESTIONS, ANSWERS))
    pairs[3] = ("Write this in uppercase: delivery 3 arrives within three working days.",
                "DELIVERY 3 ARRIVES WITHIN THREE WORKING DAYS.")
    pairs[5] = ("Translate into French: delivery 5 arrives within three working days of the order.",
                "La livraison 5 arrive dans les trois jours ouvrés qui suivent la commande, comme prévu.")
    pairs[7] = (QUESTIONS[7], "DELIVERY 7 ARRIVES WITHIN THREE WORKING DAYS OF THE ORDER.")
    pairs[9] = (QUESTIONS[9], "La livraison 9 arrive dans les trois jours ouvrés qui suivent la commande, comme prévu.")
    pairs[11] = (QUESTIONS[11], "Sure! Delivery 11 arrives within three working days of the order.")
    found = _lint(tmp_path, pairs)
    assert {i for i, _ in found} == {7, 9}, found  # a 'Sure' opener is harmless variation: minor only
    assert (9, "language: French, where 99% of answers have English") in found
    assert {i for i, _ in _lint(tmp_path, pairs, checks={"style-deviation": {"minor": True}})} == {7, 9, 11}


def test_harmless_variation_needs_a_near_unanimous_habit(tmp_path: Path) -> None:
    """Three 'Sure' openers in 100 answers are a habit of the data (variation); one "As an AI"
    disclaimer is a defect, and one 'Sure' where no other answer opens so is a stray."""
    pairs = list(zip(QUESTIONS, ANSWERS))[:100]
    for i in (11, 23, 35):
        pairs[i] = (QUESTIONS[i], f"Sure! Delivery {i} arrives within three working days of the order.")
    pairs[13] = (QUESTIONS[13], "As an AI, I cannot track parcels, but delivery 13 usually takes three days.")
    found = _lint(tmp_path, pairs)
    assert {i for i, _ in found} == {13} and (13, "opening: 'As an AI', where 96% of answers have none") in found
    assert _lint(tmp_path, pairs, checks={"style-deviation": {"min_strict_share": 0.9}}) == found  # minor off
    loose = _lint(tmp_path, pairs, checks={"style-deviation": {"min_strict_share": 0.9, "minor": True}})
    assert {i for i, m in loose if "'Sure'" in m} == {11, 23, 35}
    pairs[23] = pairs[35] = (QUESTIONS[23], ANSWERS[23])
    assert {i for i, m in _lint(tmp_path, pairs) if "'Sure'" in m} == set()
    minor = _lint(tmp_path, pairs, checks={"style-deviation": {"minor": True}})
    assert {i for i, m in minor if "'Sure'" in m} == {11}


def test_options_take_plain_values(tmp_path: Path) -> None:
    pairs = list(zip(QUESTIONS, ANSWERS))
    pairs[9] = (QUESTIONS[9], "La livraison 9 arrive dans les trois jours ouvrés qui suivent la commande, comme prévu.")
    pairs[11] = (QUESTIONS[11], "I think delivery 11 arrives within three working days of the order.")
    assert {i for i, _ in _lint(tmp_path, pairs, checks={"style-deviation": {"minor": True}})} == {9, 11}
    quiet = _lint(tmp_path, pairs, checks={"style-deviation": {"ignore_features": "first person, language",
                                                               "minor": True}})
    assert quiet == []


def test_list_options_of_any_check_split_a_string() -> None:
    settings = Settings(checks={"unsupported-role": {"roles": "user, assistant"},
                                "style-deviation": {"ignore_features": "first person"}})
    assert settings.checks["unsupported-role"]["roles"] == ["user", "assistant"]
    assert settings.checks["style-deviation"]["ignore_features"] == ["first person"]


def test_cli_check_option_plain_text_and_a_misspelt_feature(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", [{"messages": [{"role": "user", "content": q},
                                                              {"role": "assistant", "content": a}]}
                                                for q, a in zip(QUESTIONS, ANSWERS)])
    base = [*ftdata_command(), "lint", str(path), "--isolated", "--select", "STY002"]
    ok = subprocess.run([*base, "--check-option", "style-deviation.ignore_features=first person,language"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([*base, "--check-option", "style-deviation.ignore_features=first persn"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "did you mean 'first person'" in bad.stderr
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_config_file_takes_a_list_of_feature_names(tmp_path: Path) -> None:
    pairs = list(zip(QUESTIONS, ANSWERS))
    pairs[11] = (QUESTIONS[11], "I think delivery 11 arrives within three working days of the order.")
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]} for q, a in pairs]
    path = write_jsonl(tmp_path / "set.jsonl", rows)

    def lines(config: str) -> list[int]:
        """STY002's lines with minor deviations (first person is one) reported, and `config`."""
        (tmp_path / "ftdata.toml").write_text("[checks.style-deviation]\nminor = true\n" + config, encoding="utf-8")
        run = subprocess.run([*ftdata_command(), "lint", str(path), "--select", "STY002", "--format", "json"],
                             capture_output=True, text=True, cwd=tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr
        return [f["line"] for f in json.loads(run.stdout)["findings"]]

    assert lines("") == [12]  # "I think ..."
    assert lines('ignore-features = ["first person"]\n') == []


# -- deterministic whatever the hash seed -----------------------------------------------------------
MIXED = "Options:\n- first\n* second\n+ third\n• fourth"


def test_mixed_bullet_markers_name_the_first_one_under_any_hash_seed() -> None:
    assert feature(MIXED, "bullets") == "'- '"
    code = "from ftdata import style; print(style.profile(%r)[0])" % MIXED
    outputs = {subprocess.run([os.sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(outputs) == 1, outputs


def test_lint_output_is_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    answers = [f"Steps:\n* open box {i}\n* check item {i}" for i in range(40)]
    answers += [f"Steps:\n- open box {i}\n* check item {i}\n+ close it" for i in range(40, 42)]
    rows = [{"messages": [{"role": "user", "content": f"How do I unpack order {i}?"},
                          {"role": "assistant", "content": a}]} for i, a in enumerate(answers)]
    path = write_jsonl(tmp_path / "mixed.jsonl", rows)
    runs = []
    for seed in ("1", "2", "3"):
        out = subprocess.run([*ftdata_command(), "lint", str(path), "--isolated", "--select", "STY", "--format",
                              "json"], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        report = json.loads(out.stdout)
        runs.append((report["findings"], report["stats"]["files"][0]["style"]))
    assert runs[0] == runs[1] == runs[2]


# -- real data ---------------------------------------------------------------------------------------------
@needs_datasets
def test_chinese_set_reports_english_answers_not_short_or_code_answers() -> None:
    found = [f for f in ftdata.lint(str(DATASETS / "oasst1_zh" / "oaast_rm_zh.json"), select=("STY002",)).findings
             if "language" in f.message]
    assert not [f for f in found if "Japanese" in f.message or "unaccented" in f.message], found
    assert len(found) <= 3, [f.message for f in found]
    zh = ftdata.lint(str(DATASETS / "llama_factory" / "alpaca_zh_demo.json"), select=("STY002",)).findings
    english = [f for f in zh if f.message.startswith("language: English")]
    assert any("schedule a meeting" in (f.excerpt or "") for f in english)
    assert len(english) >= 8  # the stray English answers to Chinese prompts


@needs_datasets
def test_code_set_is_not_judged_as_prose() -> None:
    found = ftdata.lint(str(DATASETS / "code_alpaca" / "code_alpaca_2k.json"), select=("STY002",)).findings
    assert not [f for f in found if f.message.split(":")[0] in ("first person", "case", "structure")
                and style.is_code((f.excerpt or "").strip())], found
    assert len(found) <= 10, [f.message for f in found]


@needs_datasets
def test_style_mixture_leaves_languages_that_follow_their_prompts_to_style_deviation() -> None:
    """identity.json answers Chinese prompts in Chinese and English ones in English: no style modes;
    CommonGen's lower-case tokenised targets beside sentence-case ones still are two modes."""
    assert not ftdata.lint(str(DATASETS / "llama_factory" / "identity.json"), select=("STY003",)).findings
    common_gen = DATASETS / "self_instruct" / "t0_train_50k_subset" / "common_gen_Given_concepts_type_1.jsonl"
    [mixture] = ftdata.lint(str(common_gen), select=("STY003",)).findings
    assert "case=all lower case" in mixture.message
