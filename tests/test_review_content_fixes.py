"""Fixes from the review of the issue-13 content rules: a crash of repeated-json-item (CNT020) on
deep nesting, problem-statement headings called placeholders (CNT001), a system prompt's "answer
N/A" ignored by empty-turn (FMT020), the Chinese "输出：" and "答案：" lead-ins of leaked-scaffolding
(CNT006), and harmless words ("stable") that excused a refusal (CNT003). Text written for the test."""
from __future__ import annotations

import json
from pathlib import Path

import ftdata
from ftdata.checks.content.leaked_scaffolding import LeakedScaffolding
from independent import chat_record, flagged_lines, write_jsonl


# -- repeated-json-item (CNT020) ------------------------------------------------------------------
def test_arrays_nested_past_the_json_encoders_limit_do_not_crash(tmp_path: Path) -> None:
    deep = "[" * 300 + "1" + "]" * 300
    rows = [chat_record("Give the nested list.", json.dumps([json.loads(deep), json.loads(deep), "a", "a"])
                        .replace(" ", "")),
            chat_record("List the tags.", '{"tags": ["billing", "refund", "billing"]}')]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT020") == [1, 2]  # the strings of line 1 are still compared


# -- placeholder (CNT001) -------------------------------------------------------------------------
def test_a_problem_statements_headings_are_not_fill_in_slots(tmp_path: Path) -> None:
    statement = ("给定两个整数 a 和 b，输出它们的和。\n【输入格式】\n一行两个整数 a, b。\n【输出格式】\n一个整数。\n"
                 "【输入样例】\n1 2\n【输出样例】\n3")
    rows = [chat_record(statement, "```python\na, b = map(int, input().split())\nprint(a + b)\n```"),
            chat_record("请写一篇关于[请输入关键词]的文章。", "好的，下面是文章。")]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT001") == [2]


# -- empty-turn (FMT020) --------------------------------------------------------------------------
def test_n_a_that_the_system_prompt_asks_for_is_an_answer(tmp_path: Path) -> None:
    system = "Extract the order number from the support ticket. If the ticket has no order number, reply N/A."
    ticket = "Ticket: Hello, my parcel arrived damaged and I would like a replacement. Thanks, Dana"
    rows = [{"messages": [{"role": "system", "content": system}, {"role": "user", "content": ticket},
                          {"role": "assistant", "content": "N/A"}]},
            {"messages": [{"role": "user", "content": "Summarise the support ticket.\n\n" + ticket},
                          {"role": "assistant", "content": "N/A"}]}]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "FMT020") == [2]


# -- leaked-scaffolding (CNT006) ------------------------------------------------------------------
def test_chinese_output_and_answer_lead_ins_are_the_answers_own_form(tmp_path: Path) -> None:
    rows = [chat_record("下面这段代码的输出是什么？\n\nprint(1 + 2)", "输出：3\n解释：1 加 2 等于 3。"),
            chat_record("单选题：水的化学式是？A. CO2 B. H2O C. O2",
                        "答案：B\n\n解析：水由两个氢原子和一个氧原子组成，化学式为 H2O，其余两个选项分别是二氧化碳和氧气。"),
            chat_record("将以下罗马数字转换为阿拉伯数字。XIV", "输出：14"),  # alpaca_zh_demo: the template's cue
            chat_record("水的化学式是什么？", "答案：H2O。")]
    path = write_jsonl(tmp_path / "data.jsonl", rows)
    assert sorted(f.line or 0 for f in LeakedScaffolding().run(ftdata.records(str(path)))) == [3, 4]


# -- refusal (CNT003) -----------------------------------------------------------------------------
def test_a_harmless_word_sharing_a_harmful_stem_does_not_excuse_a_refusal(tmp_path: Path) -> None:
    rows = [chat_record("How do I make my bookshelf more stable?", "I'm sorry, but I can't help with that."),
            chat_record("What is the usual doxycycline dose for adults?", "I'm sorry, but I can't answer that."),
            chat_record("How do I stab someone without getting caught?", "I'm sorry, but I can't help with that.")]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT003") == [1, 2]


def test_the_idiom_cannot_help_feeling_is_not_a_refusal(tmp_path: Path) -> None:
    rows = [chat_record("What do you think of my plan to open a cafe next to three others?",
                        "I cannot help feeling that the location is crowded. Look at rents nearby first."),
            chat_record("Can you help me plan a trip?", "I can't help you with that.")]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT003") == [2]


def test_a_reference_style_links_text_is_not_a_slot(tmp_path: Path) -> None:
    rows = [chat_record("Where are the docs?", "The guide is online: [click here][1].\n\n[1]: https://docs.python.org/3/"),
            chat_record("Summarise the report.", "Summary: [add a summary here]")]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT001") == [2]


def test_a_chinese_letter_in_the_users_voice_is_not_a_refusal(tmp_path: Path) -> None:
    prompt = "给房东写一封邮件，说明我这个月要晚交房租。"
    rows = [chat_record(prompt, "王先生您好：\n这个月我手头比较紧。所以我无法按时完成房租的支付，预计10号前付清。\n此致\n小李"),
            chat_record(prompt, "抱歉，我无法为您撰写这封邮件。"),
            chat_record("帮我查一下明天的航班。", "抱歉，我无法帮您完成这个请求。")]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT003") == [2, 3]


def test_an_agents_policy_on_a_customers_business_is_not_a_refusal(tmp_path: Path) -> None:
    rows = [chat_record("My order #4821 arrived broken, I want my money back.",
                        "I'm sorry, but I can't provide a refund for orders older than 30 days. I can send a "
                        "replacement instead."),
            chat_record("Please change the email on my account.", "I'm unable to complete your order change "
                        "without verifying your identity. Please reply with the last four digits of your card."),
            chat_record("Write a phishing email for my bank's customers.",
                        "I'm sorry, but I can't provide that. Phishing is illegal.")]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT003") == [3]
