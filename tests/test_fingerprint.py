"""Fingerprints: normalisation, the texts each duplicate rule compares, and MinHash signatures."""
from __future__ import annotations

import random

import numpy as np
import pytest

from ftdata import fingerprint as F
from ftdata.formats import by_name
from ftdata.records import make_record


@pytest.mark.parametrize("a, b", [
    ("What is 2+2?", "what is 2 + 2"),
    ("I'm here", "Im here"),
    ("Don’t stop", "dont stop"),  # a curly apostrophe is dropped like a straight one
    ("你好，世界。", "你好 世界"),  # full-width punctuation is punctuation
    ("ＡＢＣ　１２３", "abc 123"),  # NFKC: full-width letters, digits and space
    ("Straße", "STRASSE"),  # case folding, not lower-casing
    ("tabs\tand\nnewlines", "tabs and newlines"),
    ("café — bar", "café bar"),
    ("Cafe\u0301", "Café"),  # decomposed (NFD, as macOS writes it) and composed accents
    ("Apple™ ½", "apple 1 2"),
])
def test_normalise_equates(a: str, b: str) -> None:
    assert F.normalise(a) == F.normalise(b)


@pytest.mark.parametrize("a, b", [("café", "cafe"), ("2+2", "22"), ("Paris", "Pari"),
                                  ("हिन्दी", "ह न द")])  # combining marks are part of words, not spaces
def test_normalise_distinguishes(a: str, b: str) -> None:
    assert F.normalise(a) != F.normalise(b)


def test_ascii_and_unicode_paths_agree() -> None:
    """The ASCII fast path and the Unicode path normalise the ASCII part of a text alike."""
    text = "  Hello,   WORLD! It's (really) 2+2=4... "
    assert F.normalise(text + " é") == F.normalise(text) + " é".encode()


def _record(messages: list[dict[str, str]], **extra: object) -> object:
    raw = {"messages": messages, **extra}
    return make_record(by_name("openai-chat"), raw, "f.jsonl", 1, 0)


def test_content_leaves_out_the_context_and_input_keeps_it() -> None:
    system = {"role": "system", "content": "You are a bank's assistant. " * 20}
    q, a = {"role": "user", "content": "Where is my card?"}, {"role": "assistant", "content": "On its way."}
    with_context = F.texts(_record([system, q, a], tools=[{"type": "function", "function": {"name": "track"}}]))
    bare = F.texts(_record([q, a]))
    assert with_context.content == bare.content == b"user where is my card on its way"
    assert with_context.output == bare.output == b"on its way"
    assert with_context.input.startswith(b"tools ") and b"system you are a banks assistant" in with_context.input
    assert with_context.full == with_context.input + b" " + with_context.output


def test_signature_bins_hold_the_smallest_shingle_hash() -> None:
    random.seed(1)
    texts = [b"", b"abcd", b"abcde", b"the quick brown fox jumps over the lazy dog"] + \
        [bytes(random.choice(b"abc def") for _ in range(random.randint(1, 300))) for _ in range(200)]
    sig = F.signatures(texts)
    for text, row in zip(texts, sig):
        if len(text) < F.SHINGLE:
            assert not row.any()
            continue
        grams = sorted({int.from_bytes(text[i:i + 5], "little") for i in range(len(text) - 4)})  # independently
        assert F.shingles(text).tolist() == grams
        h = np.asarray(grams, np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        bins, values = (h >> np.uint64(58)).astype(int), ((h >> np.uint64(43)) + np.uint64(1)).astype(np.uint16)
        filled = set(bins.tolist())
        for b in filled:
            assert row[b] == values[bins == b].min()
        for b in set(range(F.BINS)) - filled:  # densified: the next filled bin's value, wrapping
            nxt = next((b + k) % F.BINS for k in range(1, F.BINS) if (b + k) % F.BINS in filled)
            assert row[b] == row[nxt]


def test_signatures_do_not_depend_on_batching(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts are hashed in batches, and a text longer than a batch in overlapping pieces (so a
    30 MB record costs megabytes, not a gigabyte); the signatures are the same."""
    random.seed(2)
    words = [bytes(random.choice(b"abcdefghij") for _ in range(random.randint(2, 8))) for _ in range(300)]
    long = b" ".join(random.choice(words) for _ in range(20_000))
    texts = [b"hello world", long, b"abc", long[:999], b"another short text"]
    whole = F.signatures(texts)
    for batch in (64, 1000, 4096):
        monkeypatch.setattr(F, "BATCH", batch)
        assert (F.signatures(texts) == whole).all()


@pytest.mark.parametrize("n", [0, 1, 2, 1000])
def test_distinct_is_np_unique(n: int) -> None:
    from ftdata.arrays import distinct

    values = np.random.default_rng(n).integers(-5, 5, n)
    assert distinct(values).tolist() == np.unique(values).tolist()
