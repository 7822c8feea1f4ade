"""CNT006: prompt-template scaffolding left in a turn's text (headers, role names, merged instructions)."""
from __future__ import annotations

import re
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import around, field_at, in_code, joined, looks_like_code, prompts, texts, turn_of
from ftdata.model import Finding, Record, Severity

_SECTIONS = r"(?:Instruction|Response|Human|Assistant|System|User|Prompt)"
# Alpaca/Vicuna template headers: "### Response:", "### Instruction" on a line of their own
# ("## Output:" after a program shows what it prints; at the start of an answer PREFIX has it).
HEADER = re.compile(rf"(?m)^[ \t]*#{{2,4}}[ \t]*{_SECTIONS}[ \t]*:?[ \t]*$|^[ \t]*#{{2,4}}[ \t]*{_SECTIONS}[ \t]*:")
# A speaker label opening an answer ("Assistant: Sure", "Answer: 42"): the template's cue, trained.
PREFIX = re.compile(r"\s*(?:#{1,4}\s*)?(?:(?:Assistant|AI|Bot|GPT|ChatGPT|Model|Response|Answer|Output)\s*:(?!//)|A:\s)")
# A user's or assistant's label starting a line inside an answer: the next turn of a transcript
# run into this one ("...\n\nHuman: and then?").
SPEAKER = re.compile(r"\n[ \t]*(?:Human|User|USER|Assistant|ASSISTANT|###\s*(?:Human|User|Assistant))\s*:")
# A second generated task inside one example: "2. Instruction:" or "Instruction 2:".
MERGED = re.compile(r"(?im)^[ \t]*(?:#+[ \t]*)?(?:\d+\.[ \t]*(?:Instruction|Task)[ \t]*:|(?:Instruction|Task)[ \t]+\d+[ \t]*:)")
# records that ask for a dialogue, a script or a template, where speaker labels are content
_ABOUT_DIALOGUE = re.compile(r"dialog|conversation|script|transcript|interview|chat log|role-?play|screenplay|"
                             r"exchange between|template|prompt format|\bQ&A\b|FAQ|对话|剧本|采访|对白", re.IGNORECASE)


class LeakedScaffolding(RecordCheck):
    """A turn's text carries the scaffolding of a prompt template: a header such as
    "### Response:", a speaker label opening an answer ("Assistant:", "Answer:"), the next
    speaker's label inside an answer ("\\n\\nHuman:"), or a second numbered instruction.

    What it does: finds template headers in any turn; speaker labels and merged instructions
    in answers. Records that ask for a dialogue, script, interview, FAQ or template are left
    alone (labels are their content), and so is code.
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
        if ":" not in whole:
            return
        about: bool | None = None
        for message in texts(record):
            text, answer = message.content, message.role == "assistant"
            if ":" not in text:
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
            return "starts with the speaker label", m.start(), m.end()
        m = SPEAKER.search(text)
        if m is not None:
            return "runs into the next turn at", m.start(), m.end()
        m = MERGED.search(text)
        if m is not None:
            return "holds a second task at", m.start(), m.end()
        return None
