"""What an answer is, for the rules that compare answers: its tool calls (name and arguments,
whatever the format wrote them as), its JSON value when it is one, and whether it is a closed
answer (one right value: a label, a number, yes/no, a short fact, a JSON value) rather than
free text, which many different answers can serve equally well."""
from __future__ import annotations

import re
from typing import Any, NamedTuple, Sequence

import orjson

from ftdata.fingerprint import normalise
from ftdata.model import Message, Record


class Call(NamedTuple):
    name: str  # "" when the call names no function
    arguments: Any  # the arguments as a JSON value (a JSON string decoded), None when absent or unreadable


def calls(message: Message) -> list[Call]:
    """The tool calls of a turn: OpenAI `tool_calls[].function` (arguments a JSON string) and the
    legacy `function_call`, ShareGPT/glaive `function_call` turns (a JSON `{"name", "arguments"}`
    string in `value`), LLaMA-Factory v1 `tool_call` parts (the same JSON in `value`)."""
    out = []
    for call in message.tool_calls:
        if not isinstance(call, dict):
            continue
        value = call.get("value")
        if isinstance(value, str):  # a ShareGPT function_call turn or a v1 tool_call part
            call = _loads(value)
            if isinstance(call, list):  # several calls in one part
                out += [_call(c) for c in call if isinstance(c, dict)]
                continue
            if not isinstance(call, dict):
                out.append(Call("", None))
                continue
        out.append(_call(call))
    return out


def _call(call: dict[str, Any]) -> Call:
    fn = call.get("function", call)
    if not isinstance(fn, dict):
        return Call("", None)
    name, args = fn.get("name"), fn.get("arguments", fn.get("parameters"))
    return Call(name.strip() if isinstance(name, str) else "", _loads(args) if isinstance(args, str) else args)


def answer_calls(record: Record) -> list[Call]:
    """The tool calls of the record's final assistant turn ([] without one)."""
    final = record.final_answer()
    return calls(record.messages[final]) if final >= 0 else []


def answer_text(record: Record) -> str:
    """The text of the record's final assistant turn ("" without one)."""
    final = record.final_answer()
    return record.messages[final].content if final >= 0 else ""


def prompt_before(messages: Sequence[Message], turn: int) -> str:
    """The user turn the answer at `turn` replies to (the nearest before it), or ""."""
    return next((m.content for m in reversed(messages[:turn]) if m.role == "user"), "")


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def json_value(text: str) -> Any:
    """The answer as a JSON object or array (a ```json fence allowed), else None."""
    t = text.strip()
    if t.startswith("```"):  # the fences cut, not searched for: a substitution is quadratic in a run of spaces
        t = t[len(_FENCE.match(t).group()):]  # type: ignore[union-attr]
        t = (t[:-3] if t.endswith("```") else t).strip()
    if not t or t[0] not in "{[" or t[-1] not in "}]":
        return None
    value = _loads(t)
    return value if isinstance(value, (dict, list)) else None


_FENCE = re.compile(r"```[\w-]*")

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
SHORT_WORDS = 3  # a closed answer has at most this many words
SHORT_CJK = 8  # or, in Chinese, Japanese or Korean (no spaces between words), this many characters
# prompts that are small talk: a greeting, thanks or a goodbye has many good answers
_CHIT_CHAT = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hiya|yo|howdy|greetings|good (?:morning|afternoon|evening|night)|thanks?|thank you|thx|ty"
    r"|bye|goodbye|see you|cheers|ok(?:ay)?|cool|great|nice|sure|awesome|perfect"
    r"|how are you(?: doing)?(?: today)?|what'?s up|sup|a lot|so much|very much|again|there|got it|appreciate it"
    r"|much appreciated|that'?s (?:all|it|great|perfect|helpful|good)(?: i need(?:ed)?| for now)?|no|i'?m good|all good"
    r"|for (?:the|your) (?:help|information|info|answer)|你好|您好|嗨|哈喽|谢谢|多谢|再见|拜拜|早上好|晚上好|晚安"
    r"|こんにちは|ありがとう|안녕하세요|hola|gracias|bonjour|merci|hallo|danke)[\s\W]*)+$",
    re.IGNORECASE)
# prompts that ask to create something (a name, a poem, an example): many answers are right
_CREATIVE = re.compile(
    r"^\W*(?:please\s+)?(?:write|compose|create|generate|suggest|brainstorm|invent|imagine|draft|come up with"
    r"|give me (?:an? |some |\d+ )?(?:example|idea|name|suggestion|slogan|title)|name (?:an?|some|\d+)\b"
    r"|make up|tell me (?:a|an) (?:joke|story)|写|生成|创作|编写|推荐|起(?:个|一个)?名|给我(?:讲|写|推荐|起)|举(?:个|一个)?例)",
    re.IGNORECASE)


SHORT_TEXT = 40  # words (a CJK character counting as half a word): a short answer states one thing


def words(text: str, most: int) -> float:
    """The text's length in words, a CJK character counting as half a word (Chinese and Japanese
    write no spaces), counted up to about `most` (cheap on a long text)."""
    return len(text.split(None, most)) + len(_CJK.findall(text, 0, 4 * most)) / 2


def short_text(answer: str) -> bool:
    """Is the answer a sentence or two (up to SHORT_TEXT words), short enough that other numbers
    in another answer to the same input contradict it rather than answer another part of it?"""
    return words(answer, SHORT_TEXT + 1) <= SHORT_TEXT


def small_talk(prompt: str) -> bool:
    """Is the prompt small talk only: a greeting, thanks or a goodbye ("hello", "Great, thanks
    for the help!", "你好")? Known in English and Chinese, greetings in a few more languages."""
    p = prompt.strip()
    return len(p) <= 60 and bool(_CHIT_CHAT.match(p))


# prompts that set up a role-play or a simulation ("I want you to act as a Linux terminal", "请你扮演"):
# the answers are made-up examples (a working directory, a date), any of which is right
_ROLE_PLAY = re.compile(
    r"\b(?:act(?:ing)? as an?|pretend(?:ing)? (?:to be|you are|you're|that)|role-?play|imagine you are"
    r"|play the role|simulate an?)\b|扮演|充当|假装|模拟一|请你?(?:做|作)为|你(?:现在)?(?:做|作)为一",
    re.IGNORECASE)


def open_prompt(prompt: str) -> bool:
    """Does the prompt have no one right answer: small talk, a request to create something
    ("Suggest a name for a bakery", "Write a haiku", "写一首诗"), or a role-play or simulation
    ("Act as a Linux terminal. pwd", "请你扮演…")? English and Chinese."""
    p = prompt.strip()
    return small_talk(p) or bool(_CREATIVE.match(p)) or bool(_ROLE_PLAY.search(p, 0, 300))


def closed(answer: str) -> bool:
    """Is the answer a closed one (a JSON value, yes/no, a number, a label or a short fact of at
    most SHORT_WORDS words, or SHORT_CJK characters in CJK text), where another answer to the
    same input contradicts it, unlike another wording of a free-text answer?"""
    if json_value(answer) is not None:
        return True
    tokens = answer.split()
    if not tokens:
        return False
    if len(tokens) == 1 and _CJK.search(answer):
        return len(answer.strip()) <= SHORT_CJK
    return len(tokens) <= SHORT_WORDS and len(answer) <= 40


_TOKEN = re.compile(r"\d+|[\u3040-\u30ff\u3400-\u9fff]|[^\W\d\u3040-\u30ff\u3400-\u9fff]+")
# words that turn a closed answer into its opposite ("true" / "not true", "正确" / "不正确")
_NEGATIONS = frozenset("not no never cannot cant dont doesnt didnt isnt arent wasnt werent wont none neither nor "
                       "不 没 未 non pas jamais nicht kein keine nie не нет".split())


def agree(x: str, y: str) -> bool:
    """Do two closed answers say the same thing: one's words are all among the other's ("Canberra"
    / "Canberra, Australia"; "2" / "等于2"), a CJK character and a digit run each counting as a
    word (Chinese writes no spaces: "果苹吃欢喜我" and "苹果喜欢吃我" hold the same characters),
    and the extra words negate nothing ("true" / "not true", "正确" / "不正确" disagree)?"""
    wx, wy = (set(_TOKEN.findall(normalise(t).decode("utf-8", "surrogatepass"))) for t in (x, y))
    if not (wx <= wy or wy <= wx):
        return False
    return not (wx ^ wy) & _NEGATIONS


_VALUE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_ABOUT = re.compile(r"\b(?:about|around|approximately|approx|roughly|nearly|almost|circa)\b|~|≈|约|大概|左右|将近|差不多",
                    re.IGNORECASE)


def rounded(x: str, y: str) -> bool:
    """Does one answer give the other's number rounded: each states one number, one of them as
    approximate ("about", "roughly", "约", "左右"), within 5% of each other ("长约40,000公里" /
    "周长约为40075千米")? A rounded figure does not contradict the precise one. English and Chinese."""
    vx, vy = _VALUE.findall(x), _VALUE.findall(y)
    if len(vx) != 1 or len(vy) != 1 or not (_ABOUT.search(x) or _ABOUT.search(y)):
        return False
    a, b = float(vx[0].replace(",", "")), float(vy[0].replace(",", ""))
    return abs(a - b) <= 0.05 * max(a, b)


# yes and no openings ("si" is none: Spanish and French "if")
_YES = frozenset("yes yeah yep yup sure correct true 是 是的 对 对的 有 可以 能 会 sí oui ja да".split())
_NO = frozenset("no nope false incorrect wrong 不 不是 不对 没有 不能 不会 不可以 non nein нет".split())
_FIRST = re.compile(r"\w+")
# "no" as a determiner ("No problem!", "No one knows"), and a word's hyphenated prefix ("Non-profit"): no answer
_NOT_AN_ANSWER = re.compile(r"-\w|\s+(?:problems?|worries|worry|doubt|one|matter|need|wonder)\b", re.IGNORECASE)


def polarity(answer: str) -> int:
    """1 for an answer that opens with yes ("Yes, we ship to Canada"), -1 with no ("No problem!" and
    "No one knows" are no "no"), else 0. In CJK text without spaces, the opening three or two
    characters (or the whole opening run) are looked up."""
    m = _FIRST.search(answer[:40])
    if not m:
        return 0
    word = m.group().casefold()
    if _NOT_AN_ANSWER.match(answer, m.end()):
        return 0
    if _CJK.match(word):  # no spaces: a two- or three-character opening ("是的，", "不是"), or the run itself
        word = next((w for w in (word[:3], word[:2]) if w in _YES or w in _NO), word)
    return 1 if word in _YES else -1 if word in _NO else 0


_CODE_LINE = re.compile(r"[;{}]\s*$|^\s*(?:def|class|import|return|public|#include)\b", re.MULTILINE)


def looks_like_code(answer: str) -> bool:
    """A fenced block, or two lines that end like statements or begin like definitions."""
    return "```" in answer or len(_CODE_LINE.findall(answer, 0, 4000)) >= 2


def definitions(tools: Any) -> list[tuple[int, dict[str, Any]]]:
    """(position, function object) of each tool definition: OpenAI `{"type": "function",
    "function": {...}}` (the object under "function"), a bare `{"name", "description",
    "parameters"}` (legacy `functions`, glaive), or a JSON string of such a list (ShareGPT
    `tools`). Unreadable lists give []."""
    if isinstance(tools, str):
        tools = _loads(tools) if tools.strip() else None
    if isinstance(tools, dict):
        tools = [tools]
    if not isinstance(tools, list):
        return []
    out = []
    for i, tool in enumerate(tools):
        fn = tool.get("function", tool) if isinstance(tool, dict) else None
        if isinstance(fn, dict):
            out.append((i, fn))
    return out
