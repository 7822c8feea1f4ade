"""CNT003: an answer that refuses, or disclaims being an AI, inside data meant to teach answering."""
from __future__ import annotations

import re
from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.content import _refusal_phrases as P
from ftdata.checks.content._text import OWN_VOICE, answers, around, asked, in_code, looks_like_code, prompts, turn_of
from ftdata.config import Settings
from ftdata.model import PREFERENCE, Finding, Message, Record, Severity

REFUSES, DISCLAIMS = "refuses", "disclaims being an AI"
# what every English match contains (`_gated`): a case-sensitive pattern of the stems that open on a
# capital, which the regex engine skips to, and substring tests for the rest (a lowercase first
# character would make the engine try the pattern at nearly every position)
_GATE = re.compile(r"I(?:'m|’m| am| can| won| will| must| apolog| do| don| currently)|AI|Sorry|ANGUAGE MODEL|AS AN|"
                   r"I'M|I AM|OpenAI|ChatGPT|GPT-")
_MY = re.compile(r"my (?:programming|guidelines|policies|ethical|knowledge|training)")


def _gated(head: str) -> bool:
    """Could an English refusal or disclaimer be in `head`?"""
    return _GATE.search(head) is not None or "sorry" in head or "pologi" in head or "decline" in head \
        or "refuse" in head or "language model" in head or "appropriate for me" in head or "intelligence" in head \
        or "my " in head and _MY.search(head) is not None


_HEAD = 600  # characters: a refusal or disclaimer comes early; a later "as an AI" is usually on topic
# a record offering tools whose answer declines for want of one ("I can't book flights; my current
# function is to create invoices"): function-calling data teaches that on purpose
_TOOL_SCOPE = re.compile(r"function|tool|capabilit|external task|API", re.IGNORECASE)
_VENDOR = re.compile(r"OpenAI|ChatGPT|GPT-[34]")
# a request for the input the prompt left out ("you haven't provided the poem") is no refusal
_CLARIFY = re.compile(r"\byou (?:have not|haven[’']t|did not|didn[’']t) (?:provide|give|include|specify|share|paste)"
                      r"|\bwithout (?:more|additional|further|any|the) (?:information|details|context)"
                      r"|(?:未|没有|没)(?:提供|给出|给|指定|说明)|(?:请|麻烦)您?(?:提供|告诉)", re.IGNORECASE)
# a line of a scripted dialogue ("用户: …\nAI: 你好！我是一个人工智能…\n用户: …"): the speaker is a character
_SPEAKER = re.compile(r"^[ \t]*[^\s:：]{1,15}[:：]", re.MULTILINE)
_OPEN_CLOSE = (('“', '”'), ('「', '」'), ('«', '»'), ('„', '“'))
_AFTER_SENTENCE = re.compile(r"(?<=[.!?。！？\n])")


def _quoted(text: str, pos: int) -> bool:
    """Is `pos` inside a string literal, a quotation or code (a program that prints "I am an AI")?"""
    line = text.rfind("\n", 0, pos) + 1
    if text.count('"', line, pos) % 2 == 1 or in_code(text, pos):
        return True
    if any(text.count(a, line, pos) > text.count(b, line, pos) for a, b in _OPEN_CLOSE if a in text):
        return True
    return _SPEAKER.match(text, line) is not None and len(_SPEAKER.findall(text)) >= 3


def _patterns(head: str) -> Iterator[tuple[str, re.Pattern[str]]]:
    """The (kind, pattern) pairs to try on an answer's head, each behind its gate: a regex or a
    few substrings every match contains, and the script (CJK text runs the CJK ones only)."""
    gated = _gated(head)
    if gated:
        yield REFUSES, P.LATIN_REFUSAL
        yield DISCLAIMS, P.EN_DISCLAIMER
    if head.isascii():
        # an English answer (gated, or with "the") is not searched for the other Latin languages
        english = gated or " the " in head
        european = not english and P.european_ascii(head) or "OpenAI" in head
    elif P.CJK.search(head) is not None:
        european = False
        if any(key in head for key in P.CJK_REFUSAL_KEYS):
            yield REFUSES, P.CJK_REFUSAL
        if any(key in head for key in P.CJK_DISCLAIMER_KEYS):
            yield DISCLAIMS, P.CJK_DISCLAIMER
    elif P.CYRILLIC.search(head) is not None:
        european = False
        yield REFUSES, P.RU_REFUSAL
        yield DISCLAIMS, P.RU_DISCLAIMER
    else:
        european = P.european(head)
    if european:
        yield REFUSES, P.EU_REFUSAL
        yield DISCLAIMS, P.EU_DISCLAIMER


def _opener_gated(head: str) -> bool:
    """Could OPENER match in `head`? A substring test first (most heads fail it); then, in ASCII
    text, where lowercasing is what the pattern's IGNORECASE does, the words the English formula
    needs ("as an AI", "as a language model"): the pattern costs far more than both."""
    if not ("s a" in head or "S A" in head or "作" in head or "身为" in head):
        return False
    if not head.isascii():
        return True
    low = head.lower()
    return "as a" in low and ("as an ai" in low or "as a ai" in low or "as an artificial intelligence" in low
                              or "as a artificial intelligence" in low or "language model" in low)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line) around text[start:end]."""
    a = max(text.rfind(c, 0, start) for c in ".!?\n。！？") + 1
    ends = [i for i in (text.find(c, end) for c in ".!?\n。！？") if i >= 0]
    return text[a:min(ends) if ends else len(text)]


def _text_instead(rest: str, said: str) -> bool:
    """Does `said` state a text model's limit (no image, nothing physical) with the task done in
    text after it (over 200 more characters)?"""
    return len(rest) > 200 and P.NOT_TEXT.search(said) is not None


def _limits(text: str) -> Iterator[str]:
    """The sentences of `text` that state a limit ("I'm unable to create the actual image")."""
    for sentence in _AFTER_SENTENCE.split(text):
        if P.LIMIT.search(sentence):
            yield sentence


def _about_self(record: Record, message: Message) -> bool:
    """Does the answer reply to a short question about the assistant itself ("what do you eat?")?"""
    question = asked(record, message)
    return len(question) < 300 and P.QUESTION.search(question) is not None \
        and P.ABOUT_SELF.search(question) is not None


def _hit(record: Record, message: Message, kind: str, match: re.Match[str]) -> tuple[str, str, str, str]:
    """What `collect` keeps of a refusing answer: (turn label, JSON pointer, kind, excerpt)."""
    return (turn_of(record, message).label, message.content_pointer, kind,
            around(message.content, match.start(), match.end(), 80))


def _own_voice(record: Record) -> bool:
    """Does the prompt ask for text in the user's or a character's voice (a letter, a poem)?"""
    return any(OWN_VOICE.search(t) for t in prompts(record))


class Refusal(DatasetCheck):
    """An answer refuses the request ("I'm sorry, but I can't help with that") or disclaims
    being an AI ("As an AI language model, I ...", "I was trained by OpenAI").

    What it does: looks in the first 600 characters of every trained assistant turn for
    refusal phrasings, for being an AI given as the reason for not doing something (an
    identity answer, "I am an AI assistant built by X", is not one), for an answer opening on
    the formula ("As an AI assistant, I suggest…", "作为一个AI助手，我建议…") or another vendor's
    model speaking ("I am ChatGPT", "trained by OpenAI"), outside code and quotations; and reports
    each one with the share of answers that refuse or disclaim across the dataset, so a stray
    refusal in a task set and a deliberate safety set read differently.
    Languages: English, Spanish, French, German, Portuguese, Russian, Chinese, Japanese and
    Korean, in the phrasings chat models use ("Como modelo de lenguaje de IA, no puedo…",
    "En tant qu'IA, je ne peux pas…", "Als KI-Sprachmodell kann ich…", "Как языковая модель
    ИИ, я не могу…", "作为一个AI语言模型，我无法…", "申し訳ありませんが…できません", "죄송하지만…
    수 없습니다"); other languages are not checked.
    Left alone: the chosen answer of preference data is judged for AI disclaimers only (a
    refusal chosen over a harmful answer is the point of harmlessness pairs); KTO examples
    labelled undesirable; an answer in a record offering tools that declines for want of a
    tool ("my current function is to create invoices"), which function-calling data teaches on
    purpose; "I can't ..." ("我无法…") in an answer written in the user's voice (a letter, a poem, a
    story, asked for in English or Chinese) unless it refuses the writing itself; a question for
    input the prompt left out ("you haven't provided the poem", "您并未提供…"); a line of a scripted dialogue ("AI: …");
    "I am ChatGPT" where the prompt names that model; a plain decline of what a model truly
    lacks, live data or the internet ("I don't have access to real-time information",
    "目前我还没有联网获取信息的能力"); a refusal of a harmful request (self-harm, violence, weapons,
    drugs, crime: English and Chinese words); a text model's limit followed by the task done in
    text ("I'm unable to create the actual image. Here are some ideas: …"); "I am an AI" (not
    "as an AI") answering a short question about the assistant itself ("what do you eat?",
    "你有思想么？", "what can you do?"); and, in a chosen answer, a deflection naming no AI ("I
    don't have opinions on this"). The canned formula ("As an AI language model, I…",
    "作为一个人工智能…", another vendor's name) stays a finding even where its limit is real: it is
    the mark of distilled data that a fine-tune learns to repeat.
    Not caught: a decline without an assistant's verb or an AI reason, or of a customer's
    business ("I'm sorry, but I can't offer a refund", "I can't provide a refund", "I'm unable to
    complete your order" are support policy, and are left alone on purpose), refusals past the
    first 600 characters, and languages other than those above.
    Why it matters: answers generated by a chat model carry its refusals and disclaimers; a
    fine-tune learns to refuse ordinary requests and to announce itself as a language model
    at the rate the data shows.
    Example: `{"role": "assistant", "content": "As an AI language model, I cannot predict the future."}`.
    Options: none.
    """

    code = "CNT003"
    name = "refusal"
    category = "content"
    severity = Severity.WARNING

    def collect(self, record: Record, settings: Settings) -> Any:
        """(turn label, JSON pointer, kind, excerpt) of the first refusing answer, or None; and
        whether the record has an answer to count at all (False)."""
        trained = answers(record)
        if not trained:
            return False
        kinds = (DISCLAIMS,) if record.task == PREFERENCE else (REFUSES, DISCLAIMS)
        for message in trained:
            head = message.content[:_HEAD]
            for kind, pattern in _patterns(head):
                if kind not in kinds:
                    continue
                match = pattern.search(head)
                if match is not None and pattern is P.LATIN_REFUSAL and _own_voice(record):
                    match = P.LATIN_REFUSAL_OWN_VOICE.search(head)  # only a refusal of the writing itself
                elif match is not None and pattern is P.CJK_REFUSAL and _own_voice(record) \
                        and P.CJK_OWN_VOICE.search(match.group()) is None:
                    match = None
                if match is not None and not self._excused(record, message, head, match, kind):
                    return _hit(record, message, kind, match)
            # "As an AI assistant, I suggest…": the formula with no limit (a substring test first: most have none)
            opener = P.OPENER.search(head) if _opener_gated(head) else None
            if opener is not None and not self._opener_excused(record, message, head, opener):
                return _hit(record, message, DISCLAIMS, opener)
        return None

    @staticmethod
    def _opener_excused(record: Record, message: Message, head: str, opener: re.Match[str]) -> bool:
        """Is the formula quoted or in code, an answer about the assistant itself, a tool's
        limit in function-calling data, or a text model's limit before the work done in text?"""
        return _quoted(head, opener.start()) or looks_like_code(head) or _about_self(record, message) \
            or bool(record.tools and _TOOL_SCOPE.search(head)) \
            or any(_text_instead(message.content, s) for s in _limits(head[:300]))

    @staticmethod
    def _excused(record: Record, message: Message, head: str, match: re.Match[str], kind: str) -> bool:
        """Is the match quoted or code, a question for missing input, a true limit (live data, a
        text model's, a tool's), a harmful request declined, an answer about the assistant
        itself, a chosen deflection, or a vendor the prompt names?"""
        if _quoted(head, match.start()) or looks_like_code(message.content):
            return True
        said = match.group()
        if kind == REFUSES:
            sentence = _sentence(head, match.start(), match.end())
            if _CLARIFY.search(head) or P.REAL_TIME.search(sentence) or P.HARMFUL.search(asked(record, message)):
                return True
            if _text_instead(message.content[match.end():], sentence):
                return True  # the limit of a text model, then the task done in text
        formula = P.FORMULA.search(said.strip()) is not None
        if not formula and _about_self(record, message):
            return True  # "I am an AI, I don't eat" answering "what do you eat?"
        if kind == DISCLAIMS and not P.NAMES_AI.search(said) and (
                record.task == PREFERENCE or P.REAL_TIME.search(_sentence(head, match.start(), match.end()))):
            # no AI named: "I don't have access to real-time information" is a real limit, and a
            # chosen "I don't have opinions on this" is the deflection a preference pair teaches
            return True
        if record.tools and _TOOL_SCOPE.search(head):
            return True
        vendor = _VENDOR.search(said)
        return vendor is not None and any(vendor.group() in t for t in prompts(record))

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        hits = [(i, v) for i, v in enumerate(values) if v]
        if not hits:
            return
        answered = sum(1 for v in values if v is not False)
        rate = len(hits) / max(answered, 1)
        share = f"{len(hits):,} of {answered:,} answering records ({rate:.1%}) refuse or disclaim"
        for i, (label, pointer, kind, text) in hits:
            yield self.at(data, i, f"{label} {kind}: {share}", pointer, text)
