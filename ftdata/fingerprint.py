"""Per-record fingerprints for duplicate, conflict and leakage checks.

Hashes of the canonical record, of its normalised text, input and output; and a MinHash
signature of the character 5-grams of its normalised content (the text without system turns and
tool definitions, see `texts`; similarity.preamble recomputes it without a preamble most prompts
share, see `preambles`), computed for a whole chunk at once with
numpy (one-permutation hashing into 64 bins, densified), so that near duplicates are found by
LSH banding without any n x n comparison. Character shingles catch one-line messages too,
where word shingles miss a near-identical line.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, AnyStr, NamedTuple

import numpy as np
import orjson
import regex
from xxhash import xxh3_64_intdigest

from ftdata.arrays import distinct
from ftdata.model import Message, Record
from ftdata.tokens import call_text, json_text

BINS = 64  # MinHash values per record; 8 LSH bands of 8 rows each: a pair with Jaccard 0.8
ROWS = 8  # becomes a candidate with probability 0.83, at 0.9 with 0.99, at 0.5 with 0.03
SHINGLE = 5  # bytes per shingle
BATCH = 1 << 18  # bytes of text hashed at once
SHORT_DIALOGUE = 256  # bytes: dialogues up to this long are also compared by edits (similarity.short_pairs)
_FIVE_BYTES = np.uint64((1 << (8 * SHINGLE)) - 1)
_EMPTY = np.uint16(0)  # the signature of a text shorter than a shingle (real values are 1..32768)
_ASCII_PUNCT = bytes(c for c in range(128) if not chr(c).isalnum() and not chr(c).isspace() and chr(c) not in "_'")
# one pass: upper case to lower, punctuation to a space ("2+2" and "2 + 2" compare equal), and
# apostrophes deleted ("I'm" and "Im" compare equal)
_ASCII_FOLD = bytes.maketrans(bytes(range(65, 91)) + _ASCII_PUNCT, bytes(range(97, 123)) + b" " * len(_ASCII_PUNCT))
_APOSTROPHES = "\u2018\u2019\u02bc"
# non-ASCII characters other than letters, combining marks and digits (the third-party regex
# module has Unicode categories; re's \w would also split words at combining marks)
_NON_ASCII_SEP = regex.compile(r"[^\x00-\x7f\p{L}\p{M}\p{N}]")


def normalise(text: str) -> bytes:
    """UTF-8 of the text as a reader compares it: apostrophes dropped, other punctuation and
    symbols turned into spaces, NFKC, case-folded, whitespace collapsed."""
    if text.isascii():  # the fast path: bytes.translate runs at memory speed
        return _collapse(text.encode().translate(_ASCII_FOLD, b"'"))
    for apostrophe in _APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "")
    # non-ASCII punctuation, symbols and spaces first: most text that is not NFKC-normalised is
    # so only for its full-width punctuation (CJK), and unicodedata.normalize is slow
    text = _NON_ASCII_SEP.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = _NON_ASCII_SEP.sub(" ", unicodedata.normalize("NFKC", text))
    # ASCII bytes never occur inside a multi-byte UTF-8 sequence, so the ASCII table applies
    return _collapse(text.casefold().encode("utf-8", "surrogatepass").translate(_ASCII_FOLD, b"'"))


def _collapse(data: bytes) -> bytes:
    """Whitespace runs to one space, none at the ends. A long text goes block by block (cut at
    whitespace), so that the list of its words never holds millions of small objects at once."""
    if len(data) <= COLLAPSE_BLOCK:
        return b" ".join(data.split())
    parts: list[bytes] = []
    start = 0
    while start < len(data):
        space = _SPACE.search(data, start + COLLAPSE_BLOCK)
        end = space.start() if space else len(data)
        part = b" ".join(data[start:end].split())
        if part:
            parts.append(part)
        start = end
    return b" ".join(parts)


COLLAPSE_BLOCK = 1 << 16
_SPACE = re.compile(rb"[ \t\n\r\x0b\x0c]")  # what bytes.split() splits on


def numbers(text: AnyStr) -> list[AnyStr]:
    """The digit runs of a text, in order: texts alike but for a number ("Is 17 prime?", "Is 71
    prime?", a date) say different things, however few the edits."""
    return _DIGITS.findall(text) if isinstance(text, bytes) else _DIGITS_TEXT.findall(text)


_DIGITS, _DIGITS_TEXT = re.compile(rb"\d+"), re.compile(r"\d+")


def h64(data: bytes) -> int:
    """A stable signed 64-bit hash (XXH3), the same in every process and run."""
    return xxh3_64_intdigest(data) - (1 << 63)


class Texts(NamedTuple):
    """A record's normalised texts."""

    full: bytes  # the whole record: exact and normalised duplicates
    input: bytes  # tool definitions and every turn before the final answer: conflicts
    output: bytes  # the final answer: conflicts and repeated outputs
    content: bytes  # the whole record but its context (system turns, tool definitions): near duplicates
    dialogue: bytes  # the content's turns before the final answer (content = dialogue, output, later turns)


def texts(record: Record) -> Texts:
    """The output is the final assistant turn with its tool calls (and for a preference pair the
    rejected answer); the input is the tool definitions, the system turns and every other turn
    before it; the whole record also holds any turn after the final answer. A record without an
    assistant turn (prompt-only data) is all input.

    Near duplicates compare `content`, without the context: a system prompt or tool list shared
    by every record would otherwise make short, different exchanges look alike; nor does it hold
    an answer of end-of-text tokens only ("<|endoftext|>"), which says nothing: such records are
    near duplicates only if their prompts alone are (and never by short_pairs' edits, which
    need a shared answer)."""
    msgs, roles = record.messages, record.roles
    last = record.final_answer()
    before = msgs[:last] if last >= 0 else msgs
    if record.tools or "system" in roles[:len(before)]:
        context = [_turn(m) for m in before if m.role == "system"]
        if record.tools:
            context.insert(0, "tools " + (record.tools if isinstance(record.tools, str) else json_text(record.tools)))
        dialogue = normalise(" ".join([_turn(m) for m in before if m.role != "system"]))
        inp = _join(_normalise_context(" ".join(context)), dialogue)
    else:
        inp = dialogue = normalise(" ".join([_turn(m) for m in before]))
    if last < 0:
        return Texts(inp, inp, b"", dialogue, dialogue)
    answer = msgs[last]
    out = answer.content if not answer.tool_calls else _turn(answer, role=False)
    if record.rejected is not None:
        out += " rejected " + " ".join([_turn(m, role=False) for m in record.rejected[len(msgs) - 1:]])
    norm_out = normalise(out)
    said = b"" if len(norm_out) <= 16 and _NO_ANSWER.fullmatch(out) else norm_out
    if last == len(msgs) - 1:  # the common case, joined inline
        full = inp + b" " + norm_out if inp and norm_out else inp or norm_out
        content = dialogue + b" " + said if dialogue and said else dialogue or said
        return Texts(full, inp, norm_out, content, dialogue)
    # turns after the final answer still make the record what it is
    tail = normalise(" ".join([_turn(m) for m in msgs[last + 1:]]))
    return Texts(_join(inp, norm_out, tail), inp, norm_out, _join(dialogue, said, tail), dialogue)


# an answer that says nothing: end-of-text tokens only ("<|endoftext|>", "</s>")
_NO_ANSWER = re.compile(r"(?:\s|<\|\w+\|>|</?s>|<eos>|<end_of_turn>|\[/INST\])*", re.IGNORECASE)


def no_answer_hashes() -> np.ndarray:
    """Output hashes of answers that say nothing: none, or one end-of-text token ("<|endoftext|>";
    not "</s>", which normalises as a one-letter answer would)."""
    return np.asarray(sorted(h64(normalise(t)) for t in ("", "<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<eos>",
                                                          "<end_of_turn>")), np.int64)


@lru_cache(maxsize=4096)
def _normalise_context(text: str) -> bytes:
    """normalise(), remembered: a dataset repeats a few system prompts and tool lists endlessly."""
    return normalise(text)


def _join(*parts: bytes) -> bytes:
    """Normalised parts as one normalised text (what normalising their joined text gives)."""
    return b" ".join([p for p in parts if p])


def _turn(m: Message, role: bool = True) -> str:
    text = f"{m.role} {m.content}" if role else m.content
    return text + "".join(" " + call_text(c) for c in m.tool_calls) if m.tool_calls else text


def canonical(value: Any) -> int:
    """The hash of a record's canonical JSON (keys sorted, no spacing)."""
    try:
        return h64(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))
    except (TypeError, ValueError):  # nested too deeply to encode: its repr stands in
        return h64(repr(value).encode("utf-8", "replace"))


class Hashes(NamedTuple):
    """What the scanner keeps of a record for the duplicate, conflict and leakage checks."""

    exact: int  # the record (see record_hashes)
    normal: int  # its normalised text
    input: int  # its normalised input
    output: int  # its normalised output
    content: bytes  # the normalised content, until the chunk's MinHash signatures are computed
    short: bytes  # the dialogue of a short record that ends with its answer (see similarity.short_pairs), else b""


def record_hashes(record: Record, line: bytes | None = None) -> Hashes:
    """The record's hash is that of its JSON Lines line when there is one (about 20x cheaper
    than canonical JSON); records equal as canonical JSON but not byte for byte always share a
    normalised text, and `similarity.settle_exact` gives those their canonical hash."""
    t = texts(record)
    exact = h64(line) if line is not None else canonical(record.raw)  # "\n" or not: settle_exact
    return Hashes(exact, h64(t.full), h64(t.input), h64(t.output), t.content, _short(t, t.dialogue))


def _short(t: Texts, dialogue: bytes) -> bytes:
    """`dialogue` (the record's, or it without preambles) when the record is short and ends with
    its answer (see similarity.short_pairs), else b""."""
    ends = t.output and len(t.content) == len(t.dialogue) + 1 + len(t.output)
    return dialogue if ends and 0 < len(dialogue) <= SHORT_DIALOGUE else b""


def final_answer(record: Record) -> bytes:
    """The normalised final assistant turn with its tool calls (for a preference pair the chosen
    one: `texts` adds the rejected answer to the output), b"" without one."""
    last = record.final_answer()
    return normalise(_turn(record.messages[last], role=False)) if last >= 0 else b""


PREAMBLE_MIN = 40  # bytes of normalised text: a shared preamble is at least this long
PREAMBLE_SHARE = 0.2  # and opens (or closes) at least this share of the sampled prompts


def preambles(dialogues: list[bytes]) -> tuple[bytes, ...]:
    """Long texts that open or close a large share (PREAMBLE_SHARE) of these normalised prompts:
    a fixed task instruction, tool descriptions pasted into every prompt, a question template
    ("..., given a list of categories: ..., what category does the title belong to?"). Each is
    the longest text that all prompts beginning (or ending) with the same PREAMBLE_MIN bytes
    share, cut at a word (or, in CJK text, a character) boundary. One pass and a sort per group."""
    found: list[bytes] = []
    least = max(5, PREAMBLE_SHARE * len(dialogues))
    for texts, reverse in ((dialogues, False), ([d[::-1] for d in dialogues], True)):
        heads: dict[bytes, int] = {}
        for t in texts:
            if len(t) >= PREAMBLE_MIN:
                heads[t[:PREAMBLE_MIN]] = heads.get(t[:PREAMBLE_MIN], 0) + 1
        for head, count in sorted(heads.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
            if count < least:
                break
            group = sorted(t for t in texts if t.startswith(head))
            common = _boundary(_common_prefix(group[0], group[-1]), group[0], reverse)
            if len(common) >= PREAMBLE_MIN:
                found.append(common[::-1].strip() if reverse else common.strip())
    return tuple(sorted(set(found), key=lambda p: (-len(p), p)))


def first_prompt(record: Record) -> bytes:
    """The normalised first user turn, where a task instruction or template sits ("user " included,
    as in `texts`, so that a preamble found here is found in the content)."""
    first = next((m for m in record.messages if m.role == "user"), None)
    return normalise(_turn(first)) if first is not None else b""


def _common_prefix(a: bytes, b: bytes) -> bytes:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _boundary(common: bytes, text: bytes, reverse: bool) -> bytes:
    """`common` cut back to a word boundary of `text` (or a character boundary, without spaces;
    `reverse`: the texts' bytes are reversed, a character's lead byte last)."""
    if len(common) == len(text) or text[len(common):len(common) + 1] == b" ":
        return common
    space = common.rfind(b" ")
    if space >= PREAMBLE_MIN:
        return common[:space]
    cut = len(common)
    if reverse:
        while cut and 0x80 <= common[cut - 1] < 0xC0:  # end on a lead (or ASCII) byte
            cut -= 1
    else:
        while cut and 0x80 <= text[cut] < 0xC0:  # a continuation byte: the character began earlier
            cut -= 1
    return common[:cut]


def strip(text: bytes, parts: tuple[bytes, ...]) -> bytes:
    """The normalised text without any of the shared preambles (see preambles)."""
    out = text
    for p in parts:
        if p in out:
            out = out.replace(p, b" ")
    return out if out is text else b" ".join(out.split())


def stripped(t: Texts, parts: tuple[bytes, ...]) -> tuple[bytes, bytes]:
    """(content, short) as record_hashes computes them, without the shared preambles."""
    return strip(t.content, parts), _short(t, strip(t.dialogue, parts))


def signatures(normalised: list[bytes]) -> np.ndarray:
    """MinHash signatures (rows x BINS, uint16) of the texts' character 5-grams.

    One-permutation hashing: every shingle is hashed once and lands in one of 64 bins by its top
    bits; a bin keeps its smallest value. Empty bins borrow the next filled bin's value
    (densification), so short texts still get a full signature. Texts shorter than a shingle get
    an all-empty signature and are left to the exact and normalised rules.
    """
    n = len(normalised)
    lengths = np.fromiter((len(b) for b in normalised), np.int64, n)
    empty = np.iinfo(np.uint16).max
    flat = np.full((n + 1) * BINS, empty, np.uint16)  # and a spare row: see _minhash
    start = 0
    while start < n:  # batches of about BATCH bytes, so that the temporaries stay in cache
        stop = start + max(1, int(np.searchsorted(np.cumsum(lengths[start:start + BATCH]), BATCH, "right")))
        rows = flat[start * BINS:(stop + 1) * BINS]
        if lengths[start] <= BATCH:
            _minhash(normalised[start:stop], lengths[start:stop], rows)
        else:  # one long text, in overlapping pieces: a piece's last shingles start the next piece
            text = normalised[start]
            for at in range(0, len(text) - SHINGLE + 1, BATCH - SHINGLE + 1):
                piece = text[at:at + BATCH]
                _minhash([piece], np.array([len(piece)]), rows)
        flat[stop * BINS:(stop + 1) * BINS] = empty  # the spare row is the next batch's first
        start = stop
    sig = flat[:n * BINS].reshape(n, BINS)
    has = lengths >= SHINGLE
    sig[~has] = _EMPTY
    return _densify(sig, has)


def _minhash(texts: list[bytes], lengths: np.ndarray, flat: np.ndarray) -> None:
    """Lower `flat` ((len(texts) + 1) x BINS) to each bin's smallest shingle value. The texts are
    joined and every byte position starts a shingle; one that runs past the end of its text
    (from its last four positions) lands in the spare last row instead of its own."""
    n = len(texts)
    row = np.repeat(np.arange(n, dtype=np.int32) * BINS, lengths)  # each byte's text, as the offset of its row
    ends = np.cumsum(lengths)
    tail = (ends[:, None] - np.arange(1, SHINGLE)[None, :]).ravel()
    row[tail[tail >= np.repeat(ends - lengths, SHINGLE - 1)]] = n * BINS
    h = _grams(b"".join(texts), int(ends[-1]))
    h *= np.uint64(0x9E3779B97F4A7C15)  # multiplicative (Fibonacci) hashing: the top bits are mixed
    row += (h >> np.uint64(58)).astype(np.int32)  # the bin: the top 6 bits
    # the value: the next 15 bits, plus one, so it is never 0 (an empty signature) nor 65535 (an empty bin)
    np.minimum.at(flat, row, ((h >> np.uint64(43)) + np.uint64(1)).astype(np.uint16))


def _densify(sig: np.ndarray, has: np.ndarray) -> np.ndarray:
    """Fill each empty bin from the next filled bin to its right, wrapping around (in place, on
    the rows that have both filled and empty bins)."""
    empty = sig == np.iinfo(np.uint16).max
    rows = np.flatnonzero(empty.any(axis=1) & has)
    if not len(rows):
        return sig
    bins = np.arange(BINS, dtype=np.int16)
    idx = np.where(empty[rows], np.int16(BINS * 3), bins)
    doubled = np.concatenate([idx, np.minimum(idx + BINS, BINS * 3)], axis=1)  # bin j may borrow from j + BINS
    nxt = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :BINS] % BINS
    sig[rows] = np.take_along_axis(sig[rows], nxt, axis=1)
    return sig


def shingles(text: bytes) -> np.ndarray:
    """The set of character 5-grams (bytes of the normalised UTF-8 text) a signature
    summarises, as sorted unique uint64 values: five bytes fit in one, so no two collide."""
    if len(text) < SHINGLE:
        return np.zeros(0, np.uint64)
    return distinct(_grams(text, len(text) - SHINGLE + 1))


def _grams(data: bytes, count: int) -> np.ndarray:
    """The 5-gram starting at each of the first `count` offsets, as a uint64 (8 bytes read from
    each offset, masked to 5: no copy of the data, one vector operation)."""
    buf = np.frombuffer(data + b"\0" * 8, np.uint8)
    return np.ndarray((count,), "<u8", buf.data, 0, (1,)) & _FIVE_BYTES


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two shingle sets (0 for two empty sets: nothing to compare)."""
    both = np.concatenate([a, b])
    both.sort()
    common = int(np.count_nonzero(both[1:] == both[:-1]))  # each set is unique: a repeat is shared
    union = len(a) + len(b) - common
    return common / union if union else 0.0


def bands(sig: np.ndarray) -> np.ndarray:
    """LSH band keys (rows x 8, uint64): each band's eight 16-bit values, as two 64-bit words
    mixed into one. An all-empty band (a text shorter than a shingle) keys 0."""
    words = np.ascontiguousarray(sig).view(np.uint64).reshape(len(sig), BINS // ROWS, ROWS // 4)
    return words[:, :, 0] ^ (words[:, :, 1] * np.uint64(0x9E3779B97F4A7C15))
