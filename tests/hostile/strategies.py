"""Hypothesis strategies for hostile input: text, records shaped like every input format ftdata
detects, whole files in every container, and byte mutations of slices of ../shared/datasets.

A record is built as a Python value that may hold `Raw` (JSON text written verbatim: huge
numbers, 1e400, deep nesting) and `Pairs` (an object with duplicate keys); `dumps` writes it as
JSON the way a scraper might (ASCII escapes or raw UTF-8, lone surrogates as `\\ud800`)."""
from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from hypothesis import strategies as st

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
BOM = b"\xef\xbb\xbf"


class Raw(str):
    """JSON text written as is."""


class Pairs(list):  # type: ignore[type-arg]
    """A JSON object as (key, value) pairs: keys may repeat."""


def dumps(value: Any, ascii_only: bool = True) -> str:
    """`value` as JSON text (a str that may hold lone surrogates when not ascii_only)."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=ascii_only)
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{dumps(str(k), ascii_only)}: {dumps(v, ascii_only)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{dumps(str(k), ascii_only)}: {dumps(v, ascii_only)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(dumps(v, ascii_only) for v in value) + "]"
    return json.dumps(value)  # bool, None, int (small), float (finite)


def encode(text: str) -> bytes:
    """UTF-8, lone surrogates as their (invalid) three-byte forms, as careless writers produce them."""
    return text.encode("utf-8", "surrogatepass")


# -- text ------------------------------------------------------------------------------------------
PLAIN = [
    "What is the capital of France?", "The capital of France is Paris.", "Summarize the following text.",
    "Sure! Here is a short poem about the sea:\n\nWaves fold in silver light.", "def add(a, b):\n    return a + b",
    "请用一句话解释量子纠缠。", "量子纠缠是指两个粒子的状态相互关联。", "ما هي عاصمة مصر؟", "עברית מימין לשמאל",
    "Привет, как дела?", "こんにちは、世界", "안녕하세요", "नमस्ते दुनिया", "😀🎉👩‍👩‍👧‍👦🏳️‍🌈", "Ünïcödé çåfé naïve",
    "1. First\n2. Second\n3. Third", "| a | b |\n|---|---|\n| 1 | 2 |", "**Bold** and _italic_ and `code`",
    "I'm sorry, but I can't help with that.", "As an AI language model, I cannot browse the internet.",
    "Answer: 42", "{\"label\": \"positive\"}", "Translate to German: Good morning", "Guten Morgen",
]
CONTROL = [chr(c) for c in list(range(0, 32)) + [127] + list(range(0x80, 0xA0))]
ESCAPES = ["\x1b[2J", "\x1b[31mred\x1b[0m", "\x1b]0;pwned\x07", "\x1b[?1049h", "\x9b2J", "\r\x1b[K", "\x08" * 4,
           "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\", "\x07", "\x00"]
BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e",
        "\u061c", "\u202egnp.exe"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2028", "\u2029", "\u00ad", "\ufffd", "\U000e0041", "\u0301",
             "\ufdd0", "\U0010ffff", "\uffff", "\u3000", "\xa0"]
SURROGATES = ["\ud800", "\udfff", "\udc00", "\udbff", "\udc00\ud800", "a\ud83d", "\ude00b"]
PII = ["jane.doe@example.com", "john+ml@mail.co.uk", "4111 1111 1111 1111", "5500-0000-0000-0004",
       "378282246310005", "+1 (415) 555-0123", "+44 20 7946 0958", "SSN 123-45-6789",
       "IBAN DE89 3704 0044 0532 0130 00", "192.168.10.24", "born 1984-03-12, 12 Main St, Springfield"]
SECRETS = ["AKIAIOSFODNN7EXAMPLE", "sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d",
           "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
           "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----",
           "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
           "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
           "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "password=hunter2"]
TOKENS = ["<|endoftext|>", "<|im_start|>assistant\n", "<|im_end|>", "[INST]", "</s>", "<s>", "<think>", "</think>",
          "{{name}}", "{{author}}", "[INSERT NAME]", "<PLACEHOLDER>", "{input}", "${VAR}", "Lorem ipsum dolor sit amet",
          "TODO", "N/A", "null", "undefined", "NaN", "\\ud800", "\\u0000", "\\", "\"", "\n\nHuman: hi\n\nAssistant:"]
MOJIBAKE = ["Ã©tÃ©", "â€™", "Ã¤Ã¶Ã¼", "ï»¿", "�", "â€œquotedâ€\x9d"]


@lru_cache(maxsize=None)
def text(surrogates: bool = True) -> st.SearchStrategy[str]:
    """A hostile string: realistic text mixed with control and escape sequences, bidi overrides,
    invisible characters, lone surrogates (optional), personal data, secrets, special tokens,
    arbitrary Unicode, or nothing at all; sometimes very long (bounded)."""
    pools = [PLAIN, PLAIN, CONTROL, ESCAPES, BIDI, INVISIBLE, PII, SECRETS, TOKENS, MOJIBAKE]
    if surrogates:
        pools.append(SURROGATES)
    piece = st.one_of(*(st.sampled_from(p) for p in pools), st.text(max_size=24), st.just(""), st.just(" \t "))
    filled = st.one_of(*(st.sampled_from(p) for p in pools), st.text(min_size=1, max_size=24))
    short = st.lists(piece, max_size=6).map("".join)
    long = st.tuples(filled, st.integers(200, 20000)).map(  # up to 20,000 characters
        lambda t: ((t[0] + " ") * (t[1] // (len(t[0]) + 1) + 1))[:t[1]])
    return st.one_of(short, short, short, short, short, short, long)


@lru_cache(maxsize=None)
def junk(surrogates: bool = True) -> st.SearchStrategy[Any]:
    """A value of the wrong type where a string goes, or a pathological number or nesting."""
    huge = st.integers(20, 6000).map(lambda n: Raw("9" * n))
    odd_number = st.sampled_from([Raw("1e400"), Raw("-1e400"), Raw("-0.0"), Raw("1E-400"), Raw("0.1e1"),
                                  Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("0x1F"), Raw("01")])
    deep = st.integers(2, 3000).map(lambda n: Raw("[" * n + "]" * n))
    deep_obj = st.integers(2, 1500).map(lambda n: Raw('{"a":' * n + "1" + "}" * n))
    small = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                      st.floats(allow_nan=False, allow_infinity=False))
    return st.one_of(small, huge, odd_number, deep, deep_obj, st.lists(text(surrogates), max_size=3),
                     st.dictionaries(text(surrogates), text(surrogates), max_size=3))


@lru_cache(maxsize=None)
def field(surrogates: bool = True) -> st.SearchStrategy[Any]:
    """A string field's value: mostly a hostile string, sometimes junk."""
    t = text(surrogates)
    return st.one_of(t, t, t, t, t, t, t, junk(surrogates))


ROLES = ["system", "user", "assistant", "tool", "function", "User", "bot", "", "developer", "ipython"]
SHAREGPT_FROM = ["human", "gpt", "system", "observation", "function_call", "user", "assistant", "Human", "chatgpt", ""]


def _role(roles: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(*(st.just(r) for r in roles[:4]), st.sampled_from(roles), st.sampled_from(roles), junk())


@lru_cache(maxsize=None)
def _arguments(s: bool) -> st.SearchStrategy[Any]:
    obj = st.dictionaries(st.sampled_from(["city", "query", "n", "units", ""]), field(s), max_size=3)
    return st.one_of(obj.map(lambda d: dumps(d)), obj, text(s), st.just('{"city": "Paris"'), st.just(""))


@lru_cache(maxsize=None)
def _tool_call(s: bool) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({"id": field(s), "type": st.sampled_from(["function", "tool", ""]),
                                  "function": st.fixed_dictionaries({"name": field(s), "arguments": _arguments(s)})})


@lru_cache(maxsize=None)
def _tool(s: bool) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({"type": st.just("function"), "function": st.fixed_dictionaries(
        {"name": field(s), "description": field(s),
         "parameters": st.one_of(st.just({"type": "object", "properties": {"city": {"type": "string"}}}), junk(s))})})


@lru_cache(maxsize=None)
def _chat_message(s: bool) -> st.SearchStrategy[Any]:
    plain = st.fixed_dictionaries({"role": _role(ROLES), "content": field(s)})
    parts = st.fixed_dictionaries({"role": _role(ROLES), "content": st.lists(st.one_of(
        st.fixed_dictionaries({"type": st.just("text"), "text": field(s)}),
        st.fixed_dictionaries({"type": st.just("image_url"), "image_url": st.fixed_dictionaries({"url": field(s)})}),
        junk(s)), max_size=3)})
    calls = st.fixed_dictionaries({"role": st.just("assistant"), "content": st.one_of(st.none(), field(s)),
                                   "tool_calls": st.lists(_tool_call(s), max_size=2)})
    tool = st.fixed_dictionaries({"role": st.just("tool"), "tool_call_id": field(s), "content": field(s)})
    return st.one_of(plain, plain, plain, parts, calls, tool, junk(s))


@lru_cache(maxsize=None)
def _messages(s: bool) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(_chat_message(s), max_size=5), st.lists(_chat_message(s), max_size=5),
                     st.lists(_chat_message(s), max_size=5), junk(s))


@lru_cache(maxsize=None)
def _typed(s: bool) -> st.SearchStrategy[Any]:
    part = st.fixed_dictionaries({"type": st.sampled_from(["text", "image", "tool_call", ""]), "value": field(s)})
    return st.lists(st.fixed_dictionaries({"role": _role(ROLES), "content": st.lists(part, max_size=2),
                                           "loss_weight": st.one_of(st.just(1.0), st.just(0.0), junk(s))}),
                    max_size=4)


def _optional(base: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]) -> Any:
    return st.fixed_dictionaries(base, optional=optional)


@lru_cache(maxsize=None)
def format_records(s: bool = True) -> dict[str, st.SearchStrategy[Any]]:
    """One strategy per input format (the names `ftdata formats` lists) plus shapeless JSON."""
    f, t = field(s), text(s)
    conv = st.lists(st.fixed_dictionaries({"from": _role(SHAREGPT_FROM), "value": f}), max_size=5)
    hh = st.lists(st.tuples(t, t), min_size=1, max_size=3).map(
        lambda turns: "".join(f"\n\nHuman: {h}\n\nAssistant: {a}" for h, a in turns))
    return {
        "openai-chat": _optional({"messages": _messages(s)},
                                 {"tools": st.lists(_tool(s), max_size=2), "parallel_tool_calls": junk(s)}),
        "openai-dpo": st.fixed_dictionaries({
            "input": _optional({"messages": _messages(s)}, {"tools": st.lists(_tool(s), max_size=1)}),
            "preferred_output": st.lists(st.fixed_dictionaries({"role": st.just("assistant"), "content": f}),
                                         max_size=2),
            "non_preferred_output": st.lists(st.fixed_dictionaries({"role": st.just("assistant"), "content": f}),
                                             max_size=2)}),
        "llamafactory-v1-dpo": st.fixed_dictionaries({"chosen_messages": _typed(s), "rejected_messages": _typed(s)}),
        "kto": st.one_of(st.fixed_dictionaries({"messages": _messages(s), "label": st.one_of(st.booleans(), junk(s))}),
                         st.fixed_dictionaries({"prompt": f, "completion": f, "label": st.booleans()})),
        "bedrock": _optional({"messages": st.lists(st.fixed_dictionaries({
            "role": _role(ROLES), "content": st.lists(st.fixed_dictionaries({"text": f}), max_size=2)}), max_size=4)},
            {"system": st.lists(st.fixed_dictionaries({"text": f}), max_size=1)}),
        "llamafactory-v1": _optional({"messages": _typed(s)}, {"tools": st.one_of(t, junk(s))}),
        "sharegpt": _optional({"conversations": st.one_of(conv, conv, junk(s))},
                              {"system": f, "tools": st.one_of(st.lists(_tool(s), max_size=1).map(dumps), junk(s)),
                               "images": st.lists(t, max_size=2)}),
        "conversation-pairs": st.fixed_dictionaries({"conversation": st.lists(
            st.fixed_dictionaries({"human": f, "assistant": f}), max_size=3)}),
        "mistral-interactions": _optional({"interactions": st.lists(st.fixed_dictionaries(
            {"role": _role(ROLES), "text": f}), max_size=4)}, {"system_prompt": f}),
        "vertex": _optional({"contents": st.lists(st.fixed_dictionaries({
            "role": _role(["user", "model", "system", "assistant"]),
            "parts": st.lists(st.fixed_dictionaries({"text": f}), max_size=2)}), max_size=4)},
            {"systemInstruction": st.fixed_dictionaries({"role": st.just("system"), "parts": st.lists(
                st.fixed_dictionaries({"text": f}), max_size=1)})}),
        "instruction-preference": st.fixed_dictionaries({"instruction": f, "chosen": f, "rejected": f}),
        "instruction-response": _optional({"instruction": f, "response": f}, {"context": f, "category": t}),
        "alpaca": _optional({"instruction": f, "input": f, "output": f},
                            {"system": f, "history": st.lists(st.lists(f, min_size=2, max_size=2), max_size=2)}),
        "hh-rlhf": st.fixed_dictionaries({"chosen": hh, "rejected": hh}),
        "preference": st.fixed_dictionaries({"prompt": st.one_of(f, _messages(s)), "chosen": st.one_of(f, _messages(s)),
                                             "rejected": st.one_of(f, _messages(s))}),
        "prompt-completion": st.fixed_dictionaries({"prompt": f, "completion": f}),
        "prompt-only": st.fixed_dictionaries({"prompt": f}),
        "text": st.fixed_dictionaries({"text": f}),
        "shapeless": st.one_of(junk(s), st.just({}), st.just([]), text(s),
                               st.dictionaries(text(s), field(s), max_size=4)),
    }


@st.composite
def records(draw: st.DrawFn, surrogates: bool = True, fmt: str | None = None) -> Any:
    """One record of a random (or the given) format, sometimes with an extra key, a duplicate key or
    a required key missing."""
    strategies = format_records(surrogates)
    name = fmt or draw(st.sampled_from(sorted(strategies)))
    value = draw(strategies[name])
    if isinstance(value, dict) and value:
        tweak = draw(st.sampled_from(["none"] * 6 + ["extra", "duplicate", "drop"]))
        if tweak == "extra":
            value = {**value, draw(st.sampled_from(["id", "meta", "Messages", "", "\x1b[2J", "\ud800" if surrogates
                                                    else "x"])): draw(field(surrogates))}
        elif tweak == "duplicate":
            key = draw(st.sampled_from(sorted(value)))
            value = Pairs(list(value.items()) + [(key, draw(field(surrogates)))])
        elif tweak == "drop":
            del value[draw(st.sampled_from(sorted(value)))]
    return value


TRIGGERS = ["{{name}}", "<|endoftext|>", "\x1b[2J", "\x00", "[INSERT NAME]", "\ufffd", "Ã©tÃ©", "\u202e",
            "jane.doe@example.com", "AKIAIOSFODNN7EXAMPLE"]  # text many rules quote in their excerpts


def _strings(value: Any, change: Callable[[str, int], str], depth: int = 0) -> Any:
    """`value` with every string value (not keys) replaced by `change(text, depth)`; raw JSON and
    anything nested over 50 deep left as it is."""
    if depth > 50 or isinstance(value, Raw):
        return value
    if isinstance(value, str):
        return change(value, depth)
    if isinstance(value, Pairs):
        return Pairs([(k, _strings(v, change, depth + 1)) for k, v in value])
    if isinstance(value, dict):
        return {k: _strings(v, change, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, change, depth + 1) for v in value]
    return value


def _plant(value: Any, pieces: list[str]) -> Any:
    """`value` with one of `pieces` appended to every string, round robin."""
    return _strings(value, lambda text, depth: text + " " + pieces[(len(text) + depth) % len(pieces)])


@st.composite
def planted(draw: st.DrawFn, hazards: tuple[str, ...] = ("surrogate",)) -> Sample:
    """JSON Lines records whose every string carries a hazard next to a text that rules quote in
    their excerpts (a placeholder, a special token, a control character, personal data...): the
    hazard then reaches messages, excerpts and every output format."""
    pools = {"surrogate": SURROGATES, "escape": ESCAPES + [c for c in CONTROL if c not in "\n"], "bidi": BIDI,
             "invisible": INVISIBLE, "pii": PII + SECRETS}
    pool = [p for h in hazards for p in pools[h]]
    rows = draw(st.lists(records("surrogate" in hazards), min_size=1, max_size=6))
    pieces = [draw(st.sampled_from(pool)) + draw(st.sampled_from(TRIGGERS)) for _ in range(3)]
    rows = [_plant(r, pieces) for r in rows]
    ascii_only = draw(st.booleans())
    data = encode("\n".join(dumps(r, ascii_only) for r in rows) + "\n")
    return Sample(data, ".jsonl", f"planted {'+'.join(hazards)} {'ascii' if ascii_only else 'utf8'}")


# -- files -----------------------------------------------------------------------------------------
@dataclass
class Sample:
    """A generated input file: its bytes, the suffix it is saved under, and how it was made."""
    data: bytes
    suffix: str
    how: str


WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"]


def _vary(value: Any, i: int) -> Any:
    """A variant of a record: some of its strings get a word appended (every seventh copy is exact),
    so that many records are near, not exact, duplicates."""
    if i % 7 == 0:
        return value
    return _strings(value, lambda text, _: f"{text} {WORDS[i % len(WORDS)]} {i // len(WORDS)}"
                    if (len(text) + i) % 3 else text)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


INVALID_BYTES = [b"\xff", b"\xfe", b"\xc3(", b"\xe2\x82", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80", b"\xed\xa0\x80"]


@st.composite
def files(draw: st.DrawFn, surrogates: bool = True) -> Sample:
    """A whole input file: JSON Lines or a JSON array of generated records (some repeated, for
    duplicates), with line-ending, BOM, blank-line, trailing-comma, invalid-byte, garbage-line
    and gzip (whole or truncated) variations; or an empty file."""
    kind = draw(st.sampled_from(["jsonl"] * 6 + ["json"] * 3 + ["empty"]))
    if kind == "empty":
        data = draw(st.sampled_from([b"", b"\n", b"\n\n  \n", BOM, b"[]", b"[\n]\n", b"{}", b"null", b" "]))
        return Sample(data, draw(st.sampled_from([".jsonl", ".json"])), "empty")
    rows = draw(st.lists(records(surrogates), min_size=1, max_size=8))
    if draw(st.booleans()):  # copies, for the duplicate checks and dedupe
        rows = rows + draw(st.lists(st.sampled_from(rows), max_size=3))
    if draw(st.integers(0, 5)) == 0:  # many near variants: what needs volume (near duplicates, style, collapse)
        n = draw(st.integers(20, 160))
        rows = [_vary(rows[i % len(rows)], i) for i in range(n)]
    ascii_only = draw(st.booleans())
    texts = [dumps(r, ascii_only) for r in rows]
    how = [kind, "ascii" if ascii_only else "utf8"] + (["bulk"] if len(rows) >= 20 else [])
    if kind == "jsonl":
        if draw(st.integers(0, 4)) == 0:  # garbage lines: text, an array, a cut record, another format
            garbage = draw(st.lists(st.sampled_from(["not json", "[1, 2, 3]", '{"messages": [', "}", "'single'",
                                                     '{"a": 1,}', "\x1b[2J", '"just a string"', "[", "]"]),
                                    min_size=1, max_size=3))
            for g in garbage:
                texts.insert(draw(st.integers(0, len(texts))), g)
            how.append("garbage")
        eol = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "mixed"]))
        how.append(repr(eol))
        out = []
        for i, line in enumerate(texts):
            end = draw(st.sampled_from(["\n", "\r\n"])) if eol == "mixed" else eol
            if draw(st.integers(0, 6)) == 0:
                # blank lines, trailing space
                line += draw(st.sampled_from(["", " ", "\t", "\n", "\n  \n", "\r\n\r\n"]))
            out.append(line + (end if i < len(texts) - 1 or draw(st.booleans()) else ""))
        body = "".join(out)
        suffix = ".jsonl"
    else:
        sep = draw(st.sampled_from([",\n", ", ", ",\r\n", ",\n\n"]))
        body = "[" + draw(st.sampled_from(["\n", "", "\r\n"])) + sep.join(texts)
        if draw(st.integers(0, 5)) == 0:
            body += ","  # a trailing comma
            how.append("trailing-comma")
        body += draw(st.sampled_from(["\n]\n", "]", "\n]", "]\n\n"]))
        if draw(st.integers(0, 8)) == 0:
            body = body[:draw(st.integers(1, len(body)))]  # cut short
            how.append("cut")
        suffix = ".json"
    data = encode(body)
    if draw(st.integers(0, 4)) == 0:
        data = BOM + data
        how.append("bom")
    if draw(st.integers(0, 4)) == 0:
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(INVALID_BYTES)) + data[at:]
        how.append("invalid-utf8")
    if draw(st.integers(0, 5)) == 0:
        data = _gzip(data)
        suffix += ".gz"
        how.append("gzip")
        if draw(st.integers(0, 2)) == 0:
            data = data[:draw(st.integers(10, max(10, len(data) - 1)))]
            how.append("truncated")
    if draw(st.integers(0, 12)) == 0:
        suffix = draw(st.sampled_from([".json", ".jsonl", ".txt", ""]))  # a name that lies about the content
        how.append(f"named{suffix or '-bare'}")
    return Sample(data, suffix, " ".join(how))


# -- mutations of real data ------------------------------------------------------------------------
SLICE_BYTES = 6000
REAL_FILES = [
    "openai_cookbook/toy_chat_fine_tuning.jsonl", "llama_factory/alpaca_en_demo.json",
    "llama_factory/alpaca_zh_demo.json",
    "llama_factory/dpo_en_demo.json", "llama_factory/glaive_toolcall_en_demo.json", "llama_factory/identity.json",
    "llama_factory/kto_en_demo.json", "llama_factory/mllm_demo.json", "llama_factory/v1_sft_demo.jsonl",
    "llama_factory/v1_dpo_demo.jsonl", "llama_factory/reason_tool_use_demo_50.jsonl", "llama_factory/c4_demo.jsonl",
    "fastchat/dummy_conversation.json", "oasst1_zh/oaast_sft_zh.json", "oasst1_zh/oaast_rm_zh.json",
    "lima/lima.json", "code_alpaca/code_alpaca_2k.json", "code_alpaca/new_codealpaca.json",
    "self_instruct/seed_tasks.jsonl", "hh_rlhf/harmless-base/test.jsonl.gz",
]


def _head_array(path: Path) -> bytes:
    """The first records of a JSON array, as the array of them, in the file's own layout (read up
    to SLICE_BYTES and cut after the last whole top-level element)."""
    raw = path.read_bytes()[: SLICE_BYTES * 4]
    decoder = json.JSONDecoder()
    textual = raw.decode("utf-8", "ignore")
    i = textual.index("[") + 1
    kept: list[Any] = []
    while i < len(textual) and len(json.dumps(kept, ensure_ascii=False)) < SLICE_BYTES:
        while i < len(textual) and textual[i] in " \t\r\n,":
            i += 1
        try:
            value, i = decoder.raw_decode(textual, i)
        except json.JSONDecodeError:
            break
        kept.append(value)
    return json.dumps(kept, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


@lru_cache(maxsize=None)
def real_slices() -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of the first few KB (whole records) of each real dataset present."""
    out = []
    for name in REAL_FILES:
        path = DATASETS / name
        if not path.is_file():
            continue
        if name.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                head = f.read(SLICE_BYTES * 2)
            out.append((name, _gzip(head[: head.rfind(b"\n", 0, SLICE_BYTES) + 1])))
        elif name.endswith(".jsonl"):
            head = path.read_bytes()[: SLICE_BYTES * 2]
            cut = head.rfind(b"\n", 0, SLICE_BYTES)
            out.append((name, head[: cut + 1] if cut >= 0 else head))
        else:
            out.append((name, _head_array(path)))
    return tuple(out)


INSERTS = [b"\x00", b"\xff", b'"', b"{", b"}", b"[", b"]", b",", b":", b"\n", b"\r", b"\\", b"\\ud800", b"\\u0000",
           b"\x1b[2J", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"9" * 400, b"1e999", b'"\\', b"\n\n", b"\t", b" "]


def _mutate(data: bytes, op: str, rnd: random.Random, surrogates: bool = True) -> bytes:
    n = len(data)
    at = rnd.randrange(n + 1) if n else 0
    if op == "flip" and n:
        i = rnd.randrange(n)
        return data[:i] + bytes([data[i] ^ (1 << rnd.randrange(8))]) + data[i + 1:]
    if op == "insert":
        inserts = INSERTS if surrogates else [b for b in INSERTS if b not in SURROGATE_BYTES]
        return data[:at] + rnd.choice(inserts) + data[at:]
    if op == "delete" and n:
        return data[:at] + data[at + rnd.randrange(1, 64):]
    if op == "truncate":
        return data[:at]
    lines = data.split(b"\n")
    if op == "dup-line" and lines:
        i = rnd.randrange(len(lines))
        return b"\n".join(lines[: i + 1] + [lines[i]] * rnd.randrange(1, 4) + lines[i + 1:])
    if op == "swap-lines" and len(lines) > 1:
        i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    if op == "splice":  # another dataset's slice appended or inserted: mixed formats and containers
        other = rnd.choice(real_slices())[1]
        other = gzip.decompress(other) if other.startswith(b"\x1f\x8b") else other
        cut = data.rfind(b"\n", 0, at) + 1
        return data[:cut] + other + data[cut:]
    if op == "hostile-string":  # hostile text inside a JSON string of the file
        quotes = [i for i in range(n) if data[i:i + 1] == b'"' and data[i - 1:i] != b"\\"]
        if quotes:
            i = rnd.choice(quotes) + 1
            piece = rnd.choice(ESCAPES + BIDI + SECRETS + PII + TOKENS)
            return data[:i] + json.dumps(piece)[1:-1].encode() + data[i:]
    return data


SURROGATE_BYTES = (b"\\ud800",)  # a lone surrogate escape (raw \xed\xa0\x80 is invalid UTF-8, read as such)
OPS = ["flip", "insert", "delete", "truncate", "dup-line", "swap-lines", "hostile-string", "splice"]


@st.composite
def mutations(draw: st.DrawFn, surrogates: bool = True) -> Sample:
    """A slice of a real dataset with 1-4 byte-level mutations (flips, inserts of hostile bytes,
    deletes, truncation, duplicated or swapped lines, hostile text inside strings); gzip slices
    are mutated inside (recompressed) or in their compressed bytes."""
    slices = real_slices()
    name, data = draw(st.sampled_from(slices))
    ops = draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=4))
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    gz = name.endswith(".gz")
    if gz and draw(st.booleans()):
        for op in ops:
            data = _mutate(data, op, rnd, surrogates)  # damage the compressed stream itself
        return Sample(data, ".jsonl.gz", f"{name} gz-bytes {' '.join(ops)}")
    plain = gzip.decompress(data) if gz else data
    for op in ops:
        plain = _mutate(plain, op, rnd, surrogates)
    suffix = ".jsonl" if ".jsonl" in name else ".json"
    return Sample(_gzip(plain) if gz else plain, suffix + (".gz" if gz else ""), f"{name} {' '.join(ops)}")
