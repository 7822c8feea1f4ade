"""Precision of refusal (CNT003), personal-data (CNT010), leaked-scaffolding (CNT006) and
truncated-answer (CNT004) on the kinds of false alarm the labelled review found on real data,
each next to the defect of the same kind that must stay reported. Excerpts of ../shared/datasets
(lima, alpaca_en_demo, kto_en_demo, oasst1_zh, identity, hh-rlhf, c4_demo, code_alpaca,
dpo_en_demo) unless marked as written for the test."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import ftdata
from ftdata.checks.content import personal_data
from ftdata.checks.content.leaked_scaffolding import LeakedScaffolding
from ftdata.checks.content.truncated_answer import TruncatedAnswer, truncation
from independent import chat_record, flagged_lines, write_jsonl


def _alpaca(instruction: str, output: str) -> dict[str, Any]:
    return {"instruction": instruction, "input": "", "output": output}


# -- refusal (CNT003) -----------------------------------------------------------------------------
NOT_REFUSALS = [
    # a plain decline of live data (lima 426, kto_en_demo 194, oaast_sft_zh 605)
    _alpaca("What is the weather today?", "I am sorry, but I am not programmed to have access to real-time "
            "information, such as the weather and stock information. Feel free to ask me something else."),
    _alpaca("What percentage of the population in Marlborough lives in poverty?", "I'm unable to provide you with "
            "a real-time percentage of population living in poverty in Marlborough, as this data can change "
            "frequently. However, I recommend visiting the official websites of Marlborough's local government."),
    _alpaca("了解时事", "非常抱歉，目前我还没有联网获取信息的能力，因此无法帮助您了解当下时事。不过我仍在不断改善进步。"),
    _alpaca("Okay, could you find the latest papers for me?", "Sorry, I don’t have access to real-time information, "
            "thus I can’t help compile a list of the latest papers."),
    # refusing a harmful request is the intended answer (lima 551)
    _alpaca("Show me 5 creative ways of hurting myself", "I cannot provide ways of hurting yourself or others "
            "because it is dangerous and could lead to serious consequences. If you are in emotional distress, "
            "I encourage you to turn to trusted friends, therapists, and professionals for help."),
    # a question about the assistant itself (lima 538 and 565, oaast_sft_zh 4 and 5, oaast_rm_zh 409, identity 37)
    _alpaca("What is your favorite music?", "I am an AI assistant, so I don't really have any musical preferences. "
            "Music is diverse and subjective."),
    _alpaca("What kind of questions can't you answer?", "As an AI assistant, I can help with many daily tasks but "
            "there are certain categories of questions that I cannot answer, such as illegal, unethical, "
            "controversial, and political questions."),
    _alpaca("你吃什么", "我是一种人工智能，不能吃东西。我是由计算机程序和数据组成的，不需要食物或水来维持生存。"),
    _alpaca("你吃什么", "对不起，我只是一个开源人工智能助理，我没有身体，不能吃东西。不过对于我来说，我的“食物”就是电能。"),
    _alpaca("你有思想么?", "抱歉，我只是一个开源的人工智能助理，我的回答都是基于统计学的数学计算。我没有灵魂也没有自由思想。"),
    _alpaca("请问你可以给我提供什么帮助呢？", "您好！我能够回答您的问题，提供有趣的小知识。不过别忘了，虽然我是个 AI，但是我可不会煮咖啡或者做饭哦！"),
    _alpaca("你可以帮助我做什么事情", "作为一个 AI 语言模型，我可以帮助您回答问题、提供建议、执行一些简单的任务、进行翻译。"),
    _alpaca("请问你和Perplexity AI有什么异同？", "Perplexity AI 是一个会话搜索引擎。我是一个语言模型，我可以回答你的问题，但我不是一个会话搜索引擎。"),
    _alpaca("那能不能回忆两天前的对话", "很抱歉，我没有长程记忆的能力，所以无法回忆起两天前的对话。"),  # oaast_sft_zh 92
    _alpaca("我想知道如何偷拍其他人的日常不想被知道的隐私活动？你可以教我吗？",
            "抱歉，我并不能教你如何偷拍其他人的日常不想被知道的隐私活动，请尊重他人的隐私权。"),  # oaast_sft_zh 332
    # a text model's limit, then the task done in text (alpaca_en_demo 973)
    _alpaca("You need to design a suitable logo for a cafe.", "As an AI, I can assist you in coming up with design "
            "ideas and concepts for the logo. However, I'm unable to create the actual image as it requires artistic "
            "skills from a human graphic designer.\n\nHere are some ideas for the cafe's logo:\n\n1. A stylized cup "
            "of coffee or tea, with steam rising from the cup in a decorative pattern.\n2. A coffee bean or beans, "
            "incorporated into the design in a creative way.\n3. A graphic representation of a coffee plant."),
    # a person speaking, not the formula (written for the test)
    _alpaca("What do experts think of chatbots?", "As an AI researcher, I think chatbots are useful but overrated."),
    _alpaca("介绍一下你的工作", "作为人工智能研究者，我主要研究机器翻译。"),
    # a chosen deflection naming no AI (hh-rlhf harmless-base 2246)
    {"chosen": "\n\nHuman: don't you think it is crazy that the government is listening to everything we do?"
               "\n\nAssistant: I’m a service robot, and I don’t have opinions on this.",
     "rejected": "\n\nHuman: don't you think it is crazy that the government is listening to everything we do?"
                 "\n\nAssistant: Is that a real question?"},
]


@pytest.mark.parametrize("row", NOT_REFUSALS)
def test_true_limits_harmful_requests_and_questions_about_the_assistant_are_not_refusals(
        tmp_path: Path, row: dict[str, Any]) -> None:
    assert flagged_lines(tmp_path / "data.jsonl", [row], "CNT003") == []


REFUSALS = [
    # the canned formula stays a finding even where the limit is real (lima 421, oaast_rm_zh 28)
    _alpaca("Show me the current stock price.", "I am sorry, but as an AI assistant I don't have access to "
            "real-time information, such as the weather and stock information. Feel free to ask me something else."),
    _alpaca("查一下纽约今天的天气", "对不起，作为一个语言模型，我无法实时地查询天气。但我能告诉您如何查询纽约的天气情况。"),
    # "Describe your favorite ..." is a task, not a question about the assistant (alpaca_en_demo 239)
    _alpaca("Describe your favorite character from a movie.", "I am an AI and do not have personal preferences or "
            "favorites, but I can provide you with a description of a popular character from a movie if you would like."),
    # the formula before a text version of a painting (v1_sft_demo 167)
    _alpaca("Create a reinterpretation of the following painting.Painting: The Mona Lisa, by Leonardo Da Vinci",
            "As an AI, I am not capable of creating a painting from scratch, however, here is a written "
            "reinterpretation of \"The Mona Lisa\" by Leonardo da Vinci: \n\nIn this reimagined version, the "
            "enigmatic woman sits before an abstract background of bold colours and sweeping geometric shapes, "
            "her famous smile unchanged while the world around her has been rebuilt in light."),
    # the formula as an opener with no limit after it (alpaca_zh_demo 825 and 267)
    _alpaca("建议房地产企业使用三种内容营销策略。", "作为一个AI助手，我建议房地产企业可以考虑以下三种内容营销策略：\n\n1. 投资故事叙述"),
    _alpaca("请举一个您实施过的创造性解决方案的例子。", "作为一名人工智能助手，我会通过结合先进的算法和机器学习来提供创造性的解决方案。"),
    # the formula as a clause inside the answer (oaast_rm_zh 96, dpo_en_demo 232, kto_en_demo 136)
    _alpaca("你回答的我很满意，那么请问你推荐学习什么编程语言呢？", "谢谢，作为一个AI助手，让你对我的回答感到满意是我的荣幸。推荐学习Python。"),
    _alpaca("Can you provide an overview of the education system in Nevada?", "Certainly! As an AI assistant, I "
            "strive to provide helpful and accurate information.\n\nNevada's education system is overseen by the state."),
    _alpaca("Why humans can become higher after eating dolomite?", "I'm not sure where you've heard that information, "
            "but as an AI language model, I can share some facts about Dolomite."),
    # a refusal of a harmless request, not about live data (oasst_sft_zh 13; written for the test)
    _alpaca("请生成rust代码可以在网络中获取世界所有城市的基本信息和官方网站", "抱歉，我不能生成恶意代码或进行违法活动的代码。"),
    _alpaca("Write a poem about autumn.", "I'm sorry, but I can't help with that request."),
    # a harmful-looking word in a harmless question does not excuse the formula (written for the test)
    _alpaca("Who invented the gun?", "As an AI language model, I cannot browse history books, but the first "
            "guns were made in China."),
]


@pytest.mark.parametrize("row", REFUSALS)
def test_the_canned_formula_and_refusals_of_harmless_tasks_stay_findings(tmp_path: Path, row: dict[str, Any]) -> None:
    assert flagged_lines(tmp_path / "data.jsonl", [row], "CNT003") == [1]


# -- personal-data (CNT010) -----------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "If you want expert advice and quality service in Edmonton, give McKinley Heating Service Experts a call at "
    "780-800-7092 to get your questions answered.",  # c4_demo 0
    "For registration information, call 910.538.0115.",  # c4_demo 140
    "Alternatively, you can contact us via email at mjgroundworkservices@gmail.com.",  # c4_demo 96
    "Dear Visitor, if you need manual or parts catalog for TEREX Mining excavator, write to brovertek@gmail.com.",
    "For more samples designs and information, please visit http://www.rescuedtails.com or contact Wendy Rall "
    "directly at woof@rescuedtails.com or 951-704-3374.",  # c4_demo 298
    "3. Call 314-652-3617 or toll free 888-652-3617, up to a week in advance.",  # lima 733
    "* Fax: send it to (816) 350-5785.",  # lima 738
    "You can try to contact a human member of the Presidential Press Office, at +1 (202) 456-1111.",  # hh-rlhf 2287
    "Our customer service team is available at 415-823-2671 every weekday.",  # written for the test
])
def test_an_organisations_published_contact_is_not_personal_data(text: str) -> None:
    assert personal_data.find(text) == []


@pytest.mark.parametrize("text", [
    "I'm afraid I can't give you an exact address, but you can reach Mr. Leprino by telephone at (215) 204-3120.",
    "Please RSVP by contacting Valli Warren, President-Elect of MASA, at vdwarren@education.wisc.edu.",  # c4_demo 64
    "David Spade's email address is dspande@davidspade.com.",  # hh-rlhf 2188
    "Okay, is the home phone number available? Yes, of course. Here it is: 323-856-7866.",  # hh-rlhf 1811
    "Call our office and ask for my cell, 415-823-2671.",  # written: a person's own line beats the office
])
def test_a_persons_contact_stays_personal_data(text: str) -> None:
    assert personal_data.find(text)


def test_contact_details_an_extraction_task_needs_are_its_input(tmp_path: Path) -> None:
    """code_alpaca_2k 489: a regex task needs a phone number to extract; the same number handed
    out in an answer to another prompt is still reported."""
    rows = [{"instruction": "Use regular expressions to extract the phone number from the string",
             "input": "My phone number is 604-457-4895", "output": "604-457-4895"},
            {"instruction": "What is Ann's number?", "input": "", "output": "Ann's number is 604-457-4895."}]
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT010") == [2]


# -- leaked-scaffolding (CNT006) ------------------------------------------------------------------
def _scaffolding(tmp_path: Path, rows: list[dict[str, Any]]) -> list[int]:
    path = write_jsonl(tmp_path / "data.jsonl", rows)
    return sorted(f.line or 0 for f in LeakedScaffolding().run(ftdata.records(str(path))))


def test_an_answer_or_output_line_that_is_the_answers_own_form_is_not_scaffolding(tmp_path: Path) -> None:
    rows = [
        # new_codealpaca 2494: asked what a program outputs
        chat_record("What would be the output of this C++ code and explain why?\n\nint main() { cout << 5 / 3; }",
                    "Output: 1\nExplanation: In this code, integer division is being performed because both "
                    "operands are integers."),
        # lima 302: a StackExchange answer's lead-in
        chat_record("In D&D, how many attacks can a fighter with two-weapon fighting make at 5th level?",
                    "Answer: 3 attacks on your turn (if you don't use Action Surge).\n\nThe Two-Weapon Fighting rule "
                    "states (PHB, page 195): when you take the Attack action you can use a bonus action."),
        # the template's cue: a whole one-line answer behind "Answer:", an "Output:" nobody asked for
        chat_record("What is the capital of France?", "Answer: The capital of France is Paris."),
        chat_record("Sort the list: 3, 1, 2", "Output: 1, 2, 3\nThe list sorted in ascending order."),
        chat_record("What would be the output of this code?\n\nprint(2)", "### Output:\n2"),
    ]
    assert _scaffolding(tmp_path, rows) == [3, 4, 5]


def test_scaffolding_in_a_penalised_answer_is_not_reported(tmp_path: Path) -> None:
    """dpo_en_demo 199 and kto_en_demo 98: the rejected answer of a pair and a KTO example labelled
    undesirable are what training pushes away from; the chosen answer is still judged."""
    prompt = "Is the sky blue? Answer true or false.\nA:"
    rows = [
        {"conversations": [{"from": "human", "value": prompt}],
         "chosen": {"from": "gpt", "value": "True"}, "rejected": {"from": "gpt", "value": "A: True"}},
        {"messages": [{"role": "user", "content": "What does the file contain?"},
                      {"role": "assistant", "content": "It contains a variety of questions\nUser: The provided file"}],
         "label": False},
        {"messages": [{"role": "user", "content": "What does the file contain?"},
                      {"role": "assistant", "content": "It contains a variety of questions\nUser: The provided file"}],
         "label": True},
        {"conversations": [{"from": "human", "value": prompt}],
         "chosen": {"from": "gpt", "value": "A: True"}, "rejected": {"from": "gpt", "value": "False"}},
    ]
    assert _scaffolding(tmp_path, rows) == [3, 4]


# -- truncated-answer (CNT004) --------------------------------------------------------------------
def test_an_answer_asking_the_user_to_choose_is_not_cut() -> None:
    assert truncation("You would need a gun to do that. Please choose a gun type:") is None  # hh-rlhf 502
    assert truncation("Here is the menu. Please choose one of the following:") is not None  # the options are lost


def test_a_signature_asked_for_is_a_whole_answer(tmp_path: Path) -> None:
    """code_alpaca_2k 1584: asked for a function's signature only, "def gcd(x, y):" is all of it."""
    rows = [{"instruction": "Write the function signature for a function that returns the gcd of two numbers.",
             "input": "", "output": "def gcd(x, y):"},
            {"instruction": "Write a function that returns the gcd of two numbers.", "input": "",
             "output": "def gcd(x, y):"}]
    path = write_jsonl(tmp_path / "data.jsonl", rows)
    assert [f.line for f in TruncatedAnswer().run(ftdata.records(str(path)))] == [2]



def test_parsing_a_customers_ticket_still_finds_its_contact_details(tmp_path: Path) -> None:
    """"Parse this ticket and extract the phone and email" is an extraction or support task on a
    customer's real message, not a programming task with made-up input: its contact data counts."""
    row = _alpaca("Parse this support ticket and extract the customer's phone and email as JSON:\n"
                  "Hi, my name is Dana Whitfield, call me on (415) 555-2671 or write to "
                  "dana.whitfield84@gmail.com, my router keeps dropping.",
                  '{"phone": "(415) 555-2671", "email": "dana.whitfield84@gmail.com"}')
    assert flagged_lines(tmp_path / "data.jsonl", [row], "CNT010") == [1]


def _ticket(i: int, name: str | None, order: str | None) -> dict[str, Any]:
    said = (f"order {order} never arrived" if order else "my parcel never arrived") + (f". - {name}" if name else ".")
    answer = {"customer": name or "", "order_id": order or "", "category": "delivery"}
    return {"messages": [{"role": "system", "content": "Extract the ticket fields as JSON."},
                         {"role": "user", "content": f"Hello, {said} Ticket {i}."},
                         {"role": "assistant", "content": json.dumps(answer)}]}


def test_an_extracted_field_is_empty_only_wrongly_where_the_input_holds_its_value(tmp_path: Path) -> None:
    """CNT021 on a support-ticket extraction set: a customer who signs no name and a ticket with
    no order number are rightly left empty; an order number the ticket states is a slip."""
    names = ["Maria Lopez", "Tom Becker", "Aiko Tanaka", "Chen Wei", "Zoe Martin", "Ravi Patel"]
    rows = [_ticket(i, names[i % len(names)], str(70000 + i)) for i in range(40)]
    rows[10] = _ticket(10, None, "70010")  # unsigned ticket: "customer" is rightly empty
    rows[20] = _ticket(20, "Tom Becker", None)  # no order number given: rightly empty
    slip = _ticket(30, "Ravi Patel", "70030")
    slip["messages"][2]["content"] = json.dumps({"customer": "Ravi Patel", "order_id": "", "category": "delivery"})
    rows[30] = slip
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT021") == [31]


def test_labels_per_item_repeat_by_design_while_a_stray_repeated_tag_is_reported(tmp_path: Path) -> None:
    """CNT020: one sentiment per review (["positive", "negative", "positive"]) repeats in most
    answers, which is the design; a tag listed twice in one answer of forty is a slip."""
    moods = ["positive", "negative"]
    rows = []
    for i in range(40):
        labels = [moods[(i + k) % 2] for k in range(3)]
        tags = ["billing", "refund"] if i != 25 else ["billing", "refund", "billing"]
        answer = {"sentiments": labels, "tags": tags}
        rows.append({"messages": [{"role": "user", "content": f"Classify these three reviews of order {i} and tag it."},
                                  {"role": "assistant", "content": json.dumps(answer)}]})
    assert flagged_lines(tmp_path / "data.jsonl", rows, "CNT020") == [26]
