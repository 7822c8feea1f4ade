"""Per-record fingerprints for duplicate, conflict and leakage checks.

Hashes of the canonical record, of its normalised text, input and output; and a MinHash
signature of the normalised text's character 5-grams, computed for a whole chunk at once with
numpy (one-permutation hashing into 64 bins, densified), so that near duplicates are found by
LSH banding without any n x n comparison. Character shingles catch one-line messages too,
where word shingles miss a near-identical line.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any
from zlib import adler32, crc32

import numpy as np
import orjson

from ftdata.model import Message, Record
from ftdata.tokens import call_text, json_text

BINS = 64  # MinHash values per record; 8 LSH bands of 8 rows each: a pair with Jaccard 0.8
ROWS = 8  # becomes a candidate with probability 0.83, at 0.9 with 0.99, at 0.5 with 0.03
SHINGLE = 5  # bytes per shingle
_EMPTY = np.uint16(0)  # a bin with no shingle (real values are 1..65535)
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_ASCII_PUNCT = bytes(c for c in range(128) if not chr(c).isalnum() and not chr(c).isspace() and chr(c) not in "_'")
# one pass: upper case to lower, punctuation to a space ("2+2" and "2 + 2" compare equal), and
# apostrophes deleted ("I'm" and "Im" compare equal)
_ASCII_FOLD = bytes.maketrans(bytes(range(65, 91)) + _ASCII_PUNCT, bytes(range(97, 123)) + b" " * len(_ASCII_PUNCT))
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc]")


def normalise(text: str) -> bytes:
    """UTF-8 of the text as a reader compares it: NFKC, case-folded, apostrophes dropped, other
    punctuation turned into spaces, whitespace collapsed."""
    if text.isascii():  # the fast path: bytes.translate runs at memory speed
        return b" ".join(text.encode().translate(_ASCII_FOLD, b"'").split())
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    folded = _PUNCT.sub(" ", _APOSTROPHES.sub("", text.casefold()))
    return " ".join(folded.split()).encode("utf-8", "surrogatepass")


def h64(data: bytes) -> int:
    """A stable signed 64-bit hash, the same in every process and run (CRC-32 and Adler-32:
    two fast C checksums of different construction; a collision needs both to collide)."""
    return ((crc32(data) << 32) | adler32(data)) - (1 << 63)


def texts(record: Record) -> tuple[bytes, bytes, bytes]:
    """Normalised (whole conversation, input, output). The output is the final assistant turn
    with its tool calls (and for a preference pair the rejected answer); the input is the tool
    definitions and every turn before it; the whole conversation also holds any turn after the
    final answer. A record without an assistant turn (prompt-only data) is all input."""
    msgs = record.messages
    last = len(msgs) - 1
    while last >= 0 and msgs[last].role != "assistant":
        last -= 1
    tools = ("tools " + (record.tools if isinstance(record.tools, str) else json_text(record.tools)) + " "
             if record.tools else "")
    if last < 0:
        inp = normalise(tools + " ".join([_turn(m) for m in msgs]))
        return inp, inp, b""
    inp = normalise(tools + " ".join([_turn(m) for m in msgs[:last]]))
    out = _turn(msgs[last], role=False)
    if record.rejected is not None:
        out += " rejected " + " ".join([_turn(m, role=False) for m in record.rejected[len(msgs) - 1:]])
    norm_out = normalise(out)
    full = inp + b" " + norm_out if inp else norm_out
    if last < len(msgs) - 1:  # turns after the final answer still make the record what it is
        full += b" " + normalise(" ".join([_turn(m) for m in msgs[last + 1:]]))
    return full, inp, norm_out


def _turn(m: Message, role: bool = True) -> str:
    text = f"{m.role} {m.content}" if role else m.content
    return text + "".join(" " + call_text(c) for c in m.tool_calls) if m.tool_calls else text


def record_hashes(record: Record) -> tuple[int, int, int, int, bytes]:
    """Hashes of the canonical record, the normalised text, input and output, and the normalised
    text itself (kept only until the chunk's signatures are computed)."""
    try:
        canonical = orjson.dumps(record.raw, option=orjson.OPT_SORT_KEYS)
    except (TypeError, ValueError):  # nested too deeply to encode: its repr stands in
        canonical = repr(record.raw).encode("utf-8", "replace")
    full, inp, out = texts(record)
    return h64(canonical), h64(full), h64(inp), h64(out), full


def signatures(normalised: list[bytes]) -> np.ndarray:
    """MinHash signatures (rows x BINS, uint16) of the texts' character 5-grams.

    One-permutation hashing: every shingle is hashed once and lands in one of 64 bins by its top
    bits; a bin keeps its smallest value. Empty bins borrow the next filled bin's value
    (densification), so short texts still get a full signature. Texts shorter than a shingle get
    an all-empty signature and are left to the exact and normalised rules.
    """
    n = len(normalised)
    sig = np.zeros((n, BINS), np.uint16)
    if not n:
        return sig
    encoded = normalised
    lengths = np.fromiter((len(b) for b in encoded), np.int64, n)
    buf = np.frombuffer(b"".join(encoded) + b"\0" * 8, np.uint8)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    windows = np.maximum(lengths - SHINGLE + 1, 0)  # shingles per text
    total = int(windows.sum())
    if not total:
        return sig
    # the byte offset of every shingle, and the text it belongs to
    owner = np.repeat(np.arange(n), windows)
    offset = np.arange(total) - np.repeat(np.cumsum(windows) - windows, windows) + np.repeat(starts, windows)
    words = np.ndarray((len(buf) - 7,), "<u8", buf.data, 0, (1,))[offset]  # 8 bytes from each offset
    h = words & np.uint64((1 << (8 * SHINGLE)) - 1)  # keep the shingle's 5 bytes
    h *= np.uint64(0x9E3779B97F4A7C15)  # multiplicative (Fibonacci) hashing: the top bits are mixed
    bins = (h >> np.uint64(58)).astype(np.int64)
    values = ((h >> np.uint64(42)) | np.uint64(1)).astype(np.uint16)  # 16 mixed bits; never 0 (= empty)
    flat = np.full(n * BINS, np.iinfo(np.uint16).max, np.uint16)
    np.minimum.at(flat, owner * BINS + bins, values)
    sig = flat.reshape(n, BINS)
    sig[windows == 0] = _EMPTY
    return _densify(sig, windows > 0)


def _densify(sig: np.ndarray, has: np.ndarray) -> np.ndarray:
    """Fill each empty bin from the next filled bin to its right, wrapping around."""
    empty = sig == np.iinfo(np.uint16).max
    if not empty.any():
        return sig
    idx = np.where(empty, BINS * 2, np.arange(BINS)[None, :])
    doubled = np.concatenate([idx, idx + BINS], axis=1)  # wrap: bin j may borrow from j + BINS
    doubled[doubled >= BINS * 2] = BINS * 3
    nxt = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :BINS] % BINS
    out = np.take_along_axis(sig, nxt, axis=1)
    out[~has] = _EMPTY
    return out


def shingles(text: bytes) -> np.ndarray:
    """The set of character 5-grams (bytes of the normalised UTF-8 text) a signature
    summarises, as sorted unique uint64 values: five bytes fit in one, so no two collide."""
    if len(text) < SHINGLE:
        return np.zeros(0, np.uint64)
    buf = np.frombuffer(text + b"\0" * 8, np.uint8)
    words = np.ndarray((len(text) - SHINGLE + 1,), "<u8", buf.data, 0, (1,))
    return np.unique(words & np.uint64((1 << (8 * SHINGLE)) - 1))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two shingle sets (0 for two empty sets: nothing to compare)."""
    common = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - common
    return common / union if union else 0.0


def bands(sig: np.ndarray) -> np.ndarray:
    """LSH band keys (rows x 8, uint64): each band's eight 16-bit values, as two 64-bit words
    mixed into one. An all-empty band (a text shorter than a shingle) keys 0."""
    words = np.ascontiguousarray(sig).view(np.uint64).reshape(len(sig), BINS // ROWS, ROWS // 4)
    return words[:, :, 0] ^ (words[:, :, 1] * np.uint64(0x9E3779B97F4A7C15))
