"""CNT006: prompt-template scaffolding left in a turn's text (headers, role names, merged instructions)."""
from __future__ import annotations

import re
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import around, asked, field_at, in_code, joined, looks_like_code, prompts, turn_of
from ftdata.model import UNPAIRED, Finding, Message, Record, Severity

_SECTIONS = r"(?:Instruction|Response|Human|Assistant|System|User|Prompt)"
# Alpaca/Vicuna template headers: "### Response:", "### Instruction" on a line of their own
# ("## Output:" after a program shows what it prints; at the start of an answer PREFIX has it).
HEADER = re.compile(rf"(?m)^[ \t]*#{{2,4}}[ \t]*{_SECTIONS}[ \t]*:?[ \t]*$|^[ \t]*#{{2,4}}[ \t]*{_SECTIONS}[ \t]*:")
# A speaker label opening an answer ("Assistant: Sure", "Answer: 42"): the template's cue, trained.
PREFIX = re.compile(r"\s*(?:#{1,4}\s*)?(?:(?:Assistant|AI|Bot|GPT|ChatGPT|Model|Response|Answer|Output)\s*:(?!//)|A:\s"
                    r"|(?:助手|回答|回复|输出|答案)\s*[:：]|答[:：])")
# A user's or assistant's label starting a line inside an answer: the next turn of a transcript
# run into this one ("...\n\nHuman: and then?").
SPEAKER = re.compile(r"\n[ \t]*(?:Human|User|USER|Assistant|ASSISTANT|###\s*(?:Human|User|Assistant))\s*:"
                     r"|\n[ \t]*(?:用户|人类|助手)\s*[:：]")
# A second generated task inside one example: "2. Instruction:" or "Instruction 2:".
MERGED = re.compile(r"(?im)^[ \t]*(?:#+[ \t]*)?(?:\d+\.[ \t]*(?:Instruction|Task)[ \t]*:|(?:Instruction|Task)[ \t]+\d+[ \t]*:)")
# records that ask for a dialogue, a script or a template, where speaker labels are content
_ABOUT_DIALOGUE = re.compile(r"dialog|conversation|script|transcript|interview|chat log|role-?play|screenplay|"
                             r"exchange between|template|prompt format|\bQ&A\b|FAQ|对话|剧本|采访|对白", re.IGNORECASE)
# a joke, riddle or quiz asked for, whose answer comes as "A: ..." by its form ("Q: Why did the chicken...")
_JOKE = re.compile(r"\b(?:jokes?|riddles?|puns?|knock[- ]knock|quiz|trivia|Q ?/ ?A|Q ?& ?A)\b|笑话|谜语|脑筋急转弯",
                   re.IGNORECASE)
_LABEL = "starts with the speaker label"
# a prompt asking what a program prints: "Output: ..." is then the answer's natural form
_ASKS_OUTPUT = re.compile(r"(?i)\b(?:what|predict|determine|show|give|find)\b[^.?\n]{0,40}\boutput\b|\boutput of (?:this|the)"
                          r"|输出(?:结果)?是什么|会输出什么|输出什么")
_Q_LABEL = re.compile(r"(?m)^[ \t]*(?:Q|问)\s*[:：]")


class LeakedScaffolding(RecordCheck):
    """A turn's text carries the scaffolding of a prompt template: a header such as
    "### Response:", a speaker label opening an answer ("Assistant:", "Answer:"), the next
    speaker's label inside an answer ("\\n\\nHuman:"), or a second numbered instruction.

    What it does: finds template headers in any turn; speaker labels and merged instructions
    in answers. Records that ask for a dialogue, script, interview, FAQ or template are left
    alone (labels are their content), and so is code; so is an answer opening with "A:" in a
    question-and-answer text (a joke or riddle asked for, a "Q:" in the answer, or a user's
    "Q: ..." that does not end on the "A:" cue the answer repeats); an "Answer:" lead-in on a
    short first line followed by its explanation ("Answer: 3 attacks\\n\\nThe rule states…", "答案：B");
    an "Output:" (输出：) where the prompt asks what a program outputs; and the rejected answer of a
    preference pair or a KTO example labelled undesirable (training pushes away from them).
    Labels are the English ones
    of common templates and their Chinese counterparts (用户：, 助手：, 回答：); the dialogue and
    joke exemptions also read Chinese (对话, 剧本, 笑话, 问：).
    Why it matters: the trainer's template adds the real role markers. Scaffolding pasted in
    the text is learnt as output: the model starts answers with "Answer:", writes the user's
    next line itself, or goes on to invent a new task. Usually text rendered through a
    template before export, or several generated tasks split in the wrong place.
    Example: `{"role": "assistant", "content": "Paris.\\n\\nHuman: And Italy?"}`.
    Options: none.
    """

    code = "CNT006"
    name = "leaked-scaffolding"
    category = "content"
    severity = Severity.WARNING

    def check(self, record: Record) -> Iterator[Finding]:
        whole = joined(record)
        if ":" not in whole and "：" not in whole:
            return
        about: bool | None = None
        penalised = record.task == UNPAIRED and record.label is False  # a KTO example labelled undesirable
        for message in record.messages:  # not the rejected side of a pair: the pair penalises it
            text, answer = message.content, message.role == "assistant"
            if ":" not in text and "：" not in text or answer and penalised:
                continue
            found = self._scaffold(text, answer)
            if found is None:
                continue
            what, start, end = found
            if in_code(text, start):
                continue
            if about is None:
                about = any(_ABOUT_DIALOGUE.search(t) for t in prompts(record))
            if about:
                return
            if text[start:end].strip() in ("A:", "答:", "答：") and _question_answer(record, message):
                continue
            if what == _LABEL and _lead_in(record, message, text[start:end], end):
                continue
            pointer, _ = field_at(record, message, start)
            yield self.finding(f"{turn_of(record, message).label} {what} {text[start:end].strip()!r}", record,
                               pointer, around(text, start, end))

    @staticmethod
    def _scaffold(text: str, answer: bool) -> tuple[str, int, int] | None:
        """(what it is, start, end) of the first scaffolding in a turn."""
        if "#" in text and not looks_like_code(text):  # "## Output: 9" after a program is a comment
            m = HEADER.search(text)
            if m is not None:
                return "has the template header", m.start(), m.end()
        if not answer:
            return None
        m = PREFIX.match(text)
        if m is not None and not (m.group().strip() == "A:" and ("\nB:" in text or "B：" in text)):
            return _LABEL, m.start(), m.end()
        m = SPEAKER.search(text)
        if m is not None:
            return "runs into the next turn at", m.start(), m.end()
        m = MERGED.search(text)
        if m is not None:
            return "holds a second task at", m.start(), m.end()
        return None


def _lead_in(record: Record, answer: Message, label: str, end: int) -> bool:
    """Is an opening "Answer:" or "Output:" (答案：, 输出：) the answer's own form rather than the
    template's cue: "Answer: 3 attacks" on a short first line with the explanation after it, or
    "Output: 1" where the prompt asks what a program outputs?"""
    word = label.strip(" \t\n:：").lower()
    if word in ("output", "输出"):
        return any(_ASKS_OUTPUT.search(t) for t in prompts(record))
    if word not in ("answer", "答案"):
        return False  # "### Answer:" is a template header whatever follows
    first, _, rest = answer.content[end:].strip().partition("\n")
    return len(first) <= 160 and len(rest.strip()) >= 40


def _question_answer(record: Record, answer: Message) -> bool:
    """Is an answer's opening "A:" the form of a question-and-answer text rather than a template
    cue: the answer holds the "Q:" too, the prompt asks for a joke or a riddle, or the user wrote
    "Q: ..." without ending on the "A:" cue that the answer then repeats?"""
    if _Q_LABEL.search(answer.content):
        return True
    user = asked(record, answer)
    return bool(_JOKE.search(user)) or bool(_Q_LABEL.search(user)) and not user.rstrip().endswith(("A:", "A：", "答:",
                                                                                                  "答："))
