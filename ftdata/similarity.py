"""Duplicate clusters of a dataset: exact, normalised and near, without any n x n comparison.

Exact and normalised duplicates are rows with equal hashes (a sort). Near duplicates are
candidate pairs from LSH banding of the MinHash signatures (rows sharing any band), judged by the
Jaccard similarity of their character 5-gram sets: clear cases by the MinHash estimate, the
uncertain ones exactly on the texts (findings mark estimates with ≈). Near clusters are built by
leader clustering in file order (a record joins the first earlier representative it is similar
to), not by connected components, which chain A~B~C into one cluster where A and C differ.
"""
from __future__ import annotations

import re
import threading
from typing import Any, Callable, NamedTuple, TypeVar

import numpy as np

from ftdata import fingerprint
from ftdata.answers import (agree, answer_calls, answer_text, closed, json_value, looks_like_code, open_prompt,
                            polarity, prompt_before, rounded, short_text)
from ftdata.arrays import distinct
from ftdata.checks.base import Dataset
from ftdata.model import SFT, TASKS, Record

A = TypeVar("A")
B = TypeVar("B")
EMPTY = fingerprint.h64(b"")  # the hash of an empty normalised input


class Conflict(NamedTuple):
    first: int  # the first row with this input
    row: int  # a later row whose answer differs from the first row's
    similarity: float | None  # of the two answers (rapidfuzz), None for labels
    contradicts: bool = True  # False: two free-text answers, a different answer but no contradiction (see contradicts)


JACCARD, PROMPT_EDITS, ANSWER_EDITS = 0, 1, 2  # how a near duplicate's similarity was measured


class Clusters(NamedTuple):
    root: np.ndarray  # per row: the first row of its cluster (itself when unique or first)
    exact_root: np.ndarray  # per row: the first row with the same canonical record
    normal_root: np.ndarray  # per row: the first row with the same normalised text
    similarity: np.ndarray  # per row: verified similarity to the row it was matched with (1 for equal)
    matched: np.ndarray  # per row: the row it was matched with (itself when none)
    estimated: np.ndarray  # per row: was the similarity a MinHash estimate (a clear case, or beyond VERIFY_MAX)?
    conflicts: list[Conflict]  # same input, another answer: reported as conflicts, not as copies
    measure: np.ndarray  # per row: how its similarity was measured (JACCARD, PROMPT_EDITS, ANSWER_EDITS)

    @property
    def distinct(self) -> int:
        return int((self.root == np.arange(len(self.root))).sum())


def groups(roots: np.ndarray) -> dict[int, list[int]]:
    """Rows by the root they share (the group's first row), for groups of two or more, each in
    row order (one sort and one split, not one scan per row)."""
    dup = np.flatnonzero(roots != np.arange(len(roots)))
    if not len(dup):
        return {}
    heads = distinct(roots[dup])
    members, keys = np.concatenate([heads, dup]), np.concatenate([heads, roots[dup]])
    order = np.lexsort((members, keys))  # by root, then row
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return dict(zip(heads.tolist(), [part.tolist() for part in np.split(members[order], cuts)]))


def first_of_equal(keys: np.ndarray) -> np.ndarray:
    """For every row, the first row with the same key."""
    if not len(keys):
        return np.zeros(0, np.int64)
    order = np.argsort(keys)  # not stable (several times faster): the first row is found below
    sorted_keys = keys[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    group_first = np.minimum.reduceat(order, np.flatnonzero(starts))[np.cumsum(starts) - 1]
    out = np.empty_like(order)
    out[order] = group_first
    return out


def settle_exact(data: Dataset) -> None:
    """Make the `exact` column a canonical-JSON hash wherever that can matter. The scanner
    hashes a JSON Lines record's line as written; records equal as canonical JSON but written
    differently (key order, spacing, escapes) have equal normalised texts, so only rows sharing a
    normalised text with a row of another hash are read again and hashed canonically."""
    rows, hashes = _canonical_hashes(data)
    data.columns["exact"][rows] = hashes


def _canonical_hashes(data: Dataset) -> tuple[np.ndarray, np.ndarray]:
    exact, root = data.columns["exact"], first_of_equal(data.columns["normal"])
    if len(exact) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((exact, root))
    r, e = root[order], exact[order]
    new = np.r_[True, (r[1:] != r[:-1]) | (e[1:] != e[:-1])]
    kinds = np.bincount(r[new], minlength=len(root))  # distinct hashes per normalised text
    rows = np.flatnonzero(kinds[root] > 1)
    hashes = exact[rows].copy()
    for start in range(0, len(rows), VERIFY_BATCH):
        records = data.fetch(rows[start:start + VERIFY_BATCH])
        for k in range(start, min(start + VERIFY_BATCH, len(rows))):
            if int(rows[k]) in records:
                hashes[k] = fingerprint.canonical(records[int(rows[k])].raw)
    return rows, hashes


def preamble(data: Dataset) -> tuple[bytes, ...]:
    """The preambles many prompts share (fingerprint.preambles of the first user turns of an even
    sample of PREAMBLE_SAMPLE records: a shared opening exchange of a conversation is content, not
    a preamble), once per dataset. When there are some, every record's near-duplicate content is
    computed again without them (one bounded re-read), as system prompts and tool definitions are
    left out: a long instruction or question template shared by most prompts would otherwise
    make different short questions look alike. Exact and normalised duplicates keep the whole text."""
    if "preamble" in data.cache:
        return data.cache["preamble"]  # type: ignore[no-any-return]
    parts: tuple[bytes, ...] = ()
    if data.n >= 20 and data.signatures is not None:
        rows = distinct(np.linspace(0, data.n - 1, min(data.n, PREAMBLE_SAMPLE)).astype(np.int64))
        records = data.fetch(rows)
        parts = fingerprint.preambles([fingerprint.first_prompt(records[r]) for r in rows.tolist() if r in records])
    if parts:
        _resign(data, parts)
    data.cache["preamble"] = parts
    return parts


def _resign(data: Dataset, parts: tuple[bytes, ...]) -> None:
    """Replace the signatures and short prompts of the records that hold a preamble by those of
    their text without it (records that cannot be read again keep theirs)."""
    assert data.signatures is not None
    data.cache["preamble"] = parts
    short = data.columns["short"]
    for start in range(0, data.n, VERIFY_BATCH):
        records = data.fetch(np.arange(start, min(start + VERIFY_BATCH, data.n)))
        changed: list[int] = []
        contents: list[bytes] = []
        for r, rec in sorted(records.items()):
            t = fingerprint.texts(rec)
            content, prompt = fingerprint.stripped(t, parts)
            if content != t.content:
                changed.append(r)
                contents.append(content)
                short[r] = prompt
        if changed:
            data.signatures[np.asarray(changed)] = fingerprint.signatures(contents)


PREAMBLE_SAMPLE = 1000  # records sampled (evenly) to find shared preambles


def candidate_pairs(sig: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Pairs (i, j), i < j, of the given rows sharing at least one LSH band (8 bands of 8 MinHash
    values). Each row is paired with the first row of its band group: linear, and that first row
    is the one leader clustering needs, since rows are taken in file order."""
    bands = fingerprint.bands(sig[rows])
    pairs = []
    for b in range(bands.shape[1]):
        keys = bands[:, b]
        order = np.argsort(keys)  # not stable (several times faster): the head is found below
        k = keys[order]
        same = (k[1:] == k[:-1]) & (k[1:] != 0)  # 0: an empty signature, never a candidate
        if not same.any():
            continue
        starts = np.r_[True, ~same]
        head = np.minimum.reduceat(order, np.flatnonzero(starts))[np.cumsum(starts) - 1]  # first row, for every row
        link = order != head
        pairs.append(np.stack([rows[head[link]], rows[order[link]]], axis=1))
    if not pairs:
        return np.zeros((0, 2), np.int64)
    both = np.concatenate(pairs)
    both.sort(axis=1)
    return _unique_pairs(both)


def _unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Distinct rows of an (k, 2) array of row numbers, sorted (one 1-D sort of packed keys,
    several times faster than np.unique(axis=0))."""
    width = int(pairs[:, 1].max()) + 1 if len(pairs) else 1
    keys = distinct(pairs[:, 0].astype(np.int64) * width + pairs[:, 1])
    return np.stack([keys // width, keys % width], axis=1)


def clusters(data: Dataset, threshold: float, near: bool = True) -> Clusters:
    """The dataset's duplicate clusters; the engine computes them once, in data.cache["clusters"].
    Settles the `exact` column first (settle_exact)."""
    n = data.n
    if near and data.signatures is not None:
        preamble(data)
    normal_root = first_of_equal(data.columns["normal"])  # equal text: an equivalence class
    closeness = np.ones(n)  # per row: similarity to the row it joined
    matched = normal_root.copy()
    estimated = np.zeros(n, bool)
    measure = np.zeros(n, np.int8)  # JACCARD, PROMPT_EDITS or ANSWER_EDITS
    leader = np.arange(n)  # for each normalised representative: the near cluster it belongs to
    reps = np.flatnonzero(normal_root == np.arange(n))  # compare representatives only
    near = near and data.signatures is not None and n > 1
    none = np.zeros((0, 2), np.int64)

    def by_edits() -> tuple[list[Conflict], np.ndarray, np.ndarray, np.ndarray]:
        """Conflicts, and near duplicates by edits: the same answer after nearly the same short
        prompt (short_pairs), or nearly the same answer after the same prompt (conflicts)."""
        found, answer_pairs, answer_sims = conflicts(data, threshold)
        prompt_pairs, prompt_sims = short_pairs(data, reps, threshold) if near else (none, np.zeros(0))
        how = np.r_[np.full(len(prompt_pairs), PROMPT_EDITS, np.int8), np.full(len(answer_pairs), ANSWER_EDITS, np.int8)]
        return found, np.concatenate([prompt_pairs, answer_pairs]), np.r_[prompt_sims, answer_sims], how

    def by_minhash() -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        """Canonical hashes (settle_exact), and near duplicates by MinHash and Jaccard."""
        canonical = _canonical_hashes(data)
        if not near or data.signatures is None:
            return canonical, none, np.zeros(0), np.zeros(0, bool)
        pairs = candidate_pairs(data.signatures, reps)
        return (canonical, pairs, *similarity(pairs, data, data, threshold, parallel=False))

    (found, edit_pairs, edit_sims, edit_how), (canonical, pairs, sims, est) = both(
        data, n, PARALLEL_CLUSTERS, by_edits, by_minhash)
    data.columns["exact"][canonical[0]] = canonical[1]  # as settle_exact
    exact_root = first_of_equal(data.columns["exact"])
    conflicting = {c.row for c in found}  # same input, another answer: a conflict, never a copy
    if near:
        out, mute = data.columns["output"], fingerprint.no_answer_hashes()
        # with no answer (none, or "<|endoftext|>"), the prompts alone must be near-identical
        keep = sims >= np.where(np.isin(out[pairs[:, 0]], mute) & np.isin(out[pairs[:, 1]], mute),
                                edit_threshold(threshold), threshold)
        keep[np.flatnonzero(keep)[branches(data, pairs[keep], threshold)]] = False
        how = np.r_[np.full(int(keep.sum()), JACCARD, np.int8), edit_how]
        pairs = np.concatenate([pairs[keep], edit_pairs])
        sims, est = np.r_[sims[keep], edit_sims], np.r_[est[keep], np.zeros(len(edit_pairs), bool)]
        order = np.lexsort((-sims, pairs[:, 0], pairs[:, 1]))  # by later row, earlier row, most similar
        lead, match = leader.tolist(), matched.tolist()  # Python lists: this loop runs per pair
        for k, i, j in zip(order.tolist(), pairs[order, 0].tolist(), pairs[order, 1].tolist()):
            if lead[j] == j and lead[i] == i and match[j] == j and j not in conflicting:
                lead[j] = match[j] = i
                closeness[j], estimated[j], measure[j] = sims[k], est[k], how[k]
        leader, matched = np.asarray(lead), np.asarray(match)
    return Clusters(leader[normal_root], exact_root, normal_root, closeness, matched, estimated, found, measure)


def branches(data: Dataset, pairs: np.ndarray, threshold: float) -> np.ndarray:
    """Which near pairs (by 5-gram Jaccard) teach different answers: their final answers (the
    chosen one of a preference pair) are less than `threshold` alike by edits (1 - Indel
    distance / total length). Such records share most of their text but not what is trained: a
    branch of one conversation continued differently (the earlier answer now a turn of its
    history, then a new question and answer), a follow-up turn on one long document, not a
    copy. A set of 5-grams ignores order and repeats, and a long shared opening outweighs the
    answers in it. Pairs with the same output are alike; pairs with the same input are
    conflicts' (see conflicts); at most VERIFY_MAX others are read again, the rest are kept."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cpdist

    out = np.zeros(len(pairs), bool)
    inp, ans = data.columns["input"], data.columns["output"]
    a, b = pairs[:, 0], pairs[:, 1]
    which = np.flatnonzero((inp[a] != inp[b]) & (ans[a] != ans[b]))[:VERIFY_MAX]
    for start in range(0, len(which), VERIFY_BATCH):
        batch = which[start:start + VERIFY_BATCH]
        records = data.fetch(distinct(pairs[batch]))
        answers = {r: fingerprint.final_answer(rec).decode("utf-8", "surrogatepass") for r, rec in records.items()}
        known = [k for k in batch.tolist() if int(pairs[k, 0]) in answers and int(pairs[k, 1]) in answers]
        if known:
            sims = cpdist([answers[int(pairs[k, 0])] for k in known], [answers[int(pairs[k, 1])] for k in known],
                          scorer=Indel.normalized_similarity, score_cutoff=threshold, workers=-1)
            out[np.asarray(known)[np.asarray(sims) < threshold]] = True
    return out


def short_pairs(data: Dataset, rows: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Near duplicates that character 5-grams miss: records with the same answer whose short
    dialogues (the turns before it) differ by an edit or two ("Cna I get a refund?"), where one
    typo changes most of a line's few 5-grams. Pairs of `rows` (i < j) and their similarity: see
    _edit_neighbours."""
    pairs, sims = _edit_neighbours(data.columns["short"][rows], data.columns["output"][rows], threshold)
    pairs = rows[pairs]
    pairs.sort(axis=1)
    return pairs, sims


def _edit_neighbours(short: np.ndarray, answers: np.ndarray, threshold: float,
                     side: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positions (a, b) of texts with the same answer whose short prompts are edit_threshold
    alike, and their similarity. Each prompt is compared with its WINDOW neighbours in the order
    of (answer, prompt) and of (answer, reversed prompt), so that an edit anywhere but at both
    ends leaves a neighbour: linear after a sort, no n x n step. The similarity is that of the
    two prompts by edits, 1 - Indel distance / total length: the shared answer does not count,
    so differently worded questions with one label (an intent dataset's paraphrases) are not
    near duplicates. With `side` (bool per text), only pairs across the two sides, side False first."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cpdist

    none = (np.zeros((0, 2), np.int64), np.zeros(0))
    size = np.fromiter(map(len, short), np.int64, len(short))
    pos = np.flatnonzero(size > 0)
    if len(pos) > 1:  # only answers given more than once
        first = first_of_equal(answers[pos])
        pos = pos[np.bincount(first, minlength=len(pos))[first] > 1]
    if len(pos) < 2:
        return none
    texts = short[pos]
    found = []
    for words in (texts.astype("S24"), np.array([t[::-1] for t in texts.tolist()], dtype="S24")):
        key = words.view(">u8").reshape(len(pos), 3)  # big-endian: numeric order is byte order
        order = np.lexsort((key[:, 2], key[:, 1], key[:, 0], answers[pos]))
        for step in range(1, WINDOW + 1):
            a, b = pos[order[:-step]], pos[order[step:]]
            keep = answers[a] == answers[b]
            if side is not None:
                keep &= side[a] != side[b]
            found.append(np.stack([a[keep], b[keep]], axis=1))
    pairs = np.concatenate(found)
    if side is not None:  # side False first
        flip = side[pairs[:, 0]]
        pairs[flip] = pairs[flip][:, ::-1]
    else:
        pairs.sort(axis=1)
    pairs = _unique_pairs(pairs)
    total = size[pairs[:, 0]] + size[pairs[:, 1]]
    possible = 1 - np.abs(size[pairs[:, 0]] - size[pairs[:, 1]]) / total >= edit_threshold(threshold)
    pairs, total = pairs[possible], total[possible]  # the Indel distance is at least the length gap
    distance = cpdist(short[pairs[:, 0]].tolist(), short[pairs[:, 1]].tolist(), scorer=Indel.distance,
                      workers=-1, dtype=np.int64)
    sims = 1 - distance / np.maximum(total, 1)
    keep = np.flatnonzero(sims >= edit_threshold(threshold))
    numbers = fingerprint.numbers
    keep = [k for k in keep.tolist() if numbers(short[pairs[k, 0]]) == numbers(short[pairs[k, 1]])]
    return pairs[keep].reshape(-1, 2), sims[keep]


def pair_similarity(data: Dataset, a: int, b: int) -> tuple[float, bool, int]:
    """The similarity of two rows by the measures near duplicates use (the better one when two
    apply), whether it is an estimate, and the measure (JACCARD or PROMPT_EDITS)."""
    threshold = data.settings.near_threshold
    sims, est = similarity(np.asarray([[a, b]]), data, data, threshold)
    best = (float(sims[0]), bool(est[0]), JACCARD)
    x, y = data.columns["short"][a], data.columns["short"][b]
    if data.columns["output"][a] == data.columns["output"][b] and x and y and \
            fingerprint.numbers(x) == fingerprint.numbers(y):  # as _edit_neighbours judges a pair
        from rapidfuzz.distance import Indel

        edit = 1 - Indel.distance(x, y) / (len(x) + len(y))
        if edit >= edit_threshold(threshold) and edit > best[0]:
            best = (edit, False, PROMPT_EDITS)
    return best


def edit_threshold(threshold: float) -> float:
    """The edit similarity that short prompts need for the near-duplicate threshold on 5-gram
    Jaccard: halfway from it to 1 (0.9 for 0.8). An edit changes one character but up to five
    5-grams, so the same threshold would let a short question differ by a whole word or two."""
    return (1 + threshold) / 2


def distinct_counts(group: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """How many distinct values each group holds, indexed by group (0..n-1): `group` and
    `values` per row; distinct (group, value) pairs counted per group, all at once."""
    order = np.lexsort((values, group))
    g, v = group[order], values[order]
    return np.bincount(g[np.r_[True, (g[1:] != g[:-1]) | (v[1:] != v[:-1])]], minlength=n)


def conflicts(data: Dataset, threshold: float) -> tuple[list[Conflict], np.ndarray, np.ndarray]:
    """Supervised rows whose answer differs from the first row with the same non-empty input
    (tool definitions and every turn before the final answer). Free-text answers differ below
    `threshold` (rapidfuzz on the normalised answers); labels differ whenever they are not equal.
    Answers with different numbers always differ. Also the pairs whose free-text answers are
    nearly the same by edits (from edit_threshold), with the same numbers: near duplicates,
    returned as (pairs, similarities)."""
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import cpdist

    none = (np.zeros((0, 2), np.int64), np.zeros(0))
    inp, out = data.columns["input"], data.columns["output"]
    rows = np.flatnonzero((data.task_codes == TASKS.index(SFT)) & (inp != EMPTY))
    if not len(rows):
        return [], *none
    first = rows[first_of_equal(inp[rows])]
    differ = out[rows] != out[first]
    pairs = list(zip(first[differ].tolist(), rows[differ].tolist()))
    if data.labels():
        return [Conflict(f, r, None) for f, r in pairs], *none
    sampled = set(np.flatnonzero(distinct_counts(first, out[rows], data.n) >= SAMPLED).tolist())
    found: list[Conflict] = []
    similar: list[tuple[int, int, float]] = []
    for start in range(0, len(pairs), VERIFY_BATCH):
        batch = pairs[start:start + VERIFY_BATCH]
        records = data.fetch(distinct(np.asarray(batch)))
        answers = {r: fingerprint.texts(rec).output.decode("utf-8", "surrogatepass") for r, rec in records.items()}
        known = [(f, r) for f, r in batch if f in answers and r in answers]
        sims = cpdist([answers[f] for f, _ in known], [answers[r] for _, r in known], scorer=ratio, workers=-1) / 100 \
            if known else np.zeros(0)
        for (f, r), s in zip(known, sims.tolist()):
            same_numbers = fingerprint.numbers(answers[f]) == fingerprint.numbers(answers[r])  # "42." / "43."
            if s < threshold or not same_numbers:
                found.append(Conflict(f, r, float(s), contradicts(records[f], records[r], s >= threshold, f in sampled)))
            elif s >= edit_threshold(threshold):
                similar.append((f, r, float(s)))
    if not similar:
        return found, *none
    return found, np.asarray([(f, r) for f, r, _ in similar], np.int64), np.asarray([s for _, _, s in similar])


def contradicts(a: Record, b: Record, alike: bool, sampled: bool) -> bool:
    """Do two different answers to one input contradict each other, rather than word a free-text
    answer two ways? These do: JSON values that differ once parsed; answers otherwise `alike` but
    for their numbers; and, unless the input is small talk ("hello", "thanks": many good answers)
    or a request to create or role-play (answers.open_prompt), or `sampled` for SAMPLED or more
    different answers (a prompt answered several times by design: "write a review"), answers
    opening with opposite yes/no, short answers (answers.short_text) with other numbers (but a
    figure and its rounding, answers.rounded), and closed answers (answers.closed: labels,
    short facts) that do not agree (answers.agree). Code (JSON aside) is never a contradiction;
    tool calls are conflicting-tool-call's."""
    if answer_calls(a) or answer_calls(b):
        return False
    x, y = answer_text(a), answer_text(b)
    jx, jy = json_value(x), json_value(y)  # before code: indented or fenced JSON reads as code
    if jx is not None and jy is not None:
        return bool(jx != jy)
    code = looks_like_code(x) or looks_like_code(y)  # two versions of a program differ without contradicting
    if alike:
        return not code
    prompt = prompt_before(a.messages, a.final_answer())
    if sampled or code or open_prompt(prompt):
        return False
    if polarity(x) * polarity(y) < 0:  # "Yes, we ship to Canada." / "No, only within the US."
        return True
    if short_text(x) and short_text(y):
        sx, sy = _LIST_MARKS.sub("", x), _LIST_MARKS.sub("", y)
        nx, ny = fingerprint.numbers(sx), fingerprint.numbers(sy)
        if nx and ny and set(nx) != set(ny) and not rounded(sx, sy):
            return True  # "within 30 days of delivery" / "for 14 days after purchase"
    if not (closed(x) and closed(y)):
        return False
    return not agree(x, y)  # "Canberra" and "Canberra, Australia" agree


# "1." opening a list item, and web addresses: not stated numbers
_LIST_MARKS = re.compile(r"^\s*\d+\s*[.)、:]|\bhttps?://\S+", re.MULTILINE)
SAMPLED = 3  # different answers from which an input is taken to be sampled several times on purpose
MARGIN = 0.15  # three standard errors of a 64-value MinHash estimate near 0.8
VERIFY_BATCH = 5000  # candidate pairs whose records are held in memory at once
WINDOW = 3  # short_pairs: neighbours each short record is compared with, in each of two orders
VERIFY_MAX = 10_000  # uncertain pairs verified exactly, nearest the threshold first; the rest by estimate


class Leak(NamedTuple):
    row: int  # the evaluation row
    train_row: int  # the training row it matches
    kind: str  # "exact", "normal" or "near"
    similarity: float
    estimated: bool  # a MinHash estimate (a clear case, or beyond VERIFY_MAX)
    measure: int = JACCARD  # how the similarity was measured (see Clusters.measure)


def leaks(train: Dataset, evaluation: Dataset, threshold: float, near: bool) -> list[Leak]:
    """Evaluation rows found in the training set: by hash join for exact and normalised copies,
    by an LSH band join (sorted keys, searchsorted) verified like near duplicates for the rest.
    Computed once per (train, eval) pair and shared by the leakage rules."""
    key = f"leaks:{id(evaluation)}:{near}"
    if key in train.cache:
        return train.cache[key]  # type: ignore[no-any-return]
    if near:  # the near join adds to the hash joins, which are not done twice
        found = list(leaks(train, evaluation, threshold, near=False))
        matched = np.zeros(evaluation.n, bool)
        matched[[leak.row for leak in found]] = True
    else:
        found, matched = [], np.zeros(evaluation.n, bool)
        for kind in ("exact", "normal"):
            hit, where = _join(train.columns[kind], evaluation.columns[kind])
            found += [Leak(r, int(where[r]), kind, 1.0, False) for r in np.flatnonzero(hit & ~matched).tolist()]
            matched |= hit
        found = _canonical_leaks(found, train, evaluation)
    if near and train.signatures is not None and evaluation.signatures is not None:
        parts = preamble(train)
        if parts and "preamble" not in evaluation.cache:  # compared without the training set's preambles
            _resign(evaluation, parts)
        pairs = _band_join(train.signatures, evaluation.signatures, matched)
        if len(pairs):
            sims, est = similarity(pairs, train, evaluation, threshold)
            best: dict[int, Leak] = {}
            for (t, e), s, x in zip(pairs.tolist(), sims.tolist(), est.tolist()):
                if s >= threshold and (e not in best or s > best[e].similarity):
                    best[e] = Leak(e, t, "near", s, x)
            found += sorted(best.values())
    if near:
        found = _edit_leaks(found, train, evaluation, matched, threshold)
    train.cache[key] = found
    return found


def _edit_leaks(found: list[Leak], train: Dataset, evaluation: Dataset, matched: np.ndarray,
                threshold: float) -> list[Leak]:
    """Near leaks by edits, as near duplicates find them: the same answer after nearly the same
    short prompt, for eval records that do not leak otherwise."""
    short = np.concatenate([train.columns["short"], evaluation.columns["short"]])
    answers = np.concatenate([train.columns["output"], evaluation.columns["output"]])
    side = np.r_[np.zeros(train.n, bool), np.ones(evaluation.n, bool)]
    pairs, sims = _edit_neighbours(short, answers, threshold, side)
    best: dict[int, Leak] = {}
    leaking = {leak.row for leak in found}
    for (t, e), s in zip(pairs.tolist(), sims.tolist()):
        e -= train.n
        if e not in leaking and not matched[e] and (e not in best or s > best[e].similarity):
            best[e] = Leak(e, t, "near", s, False, PROMPT_EDITS)
    return found + sorted(best.values())


def _canonical_leaks(found: list[Leak], train: Dataset, evaluation: Dataset) -> list[Leak]:
    """Normalised copies that are exact copies as canonical JSON (written differently in the two
    files, so their line hashes differ: see settle_exact). The training side's settled hashes are
    canonical wherever its rows of one normalised text are written differently; else all its
    rows with that text are byte-identical, and the first one stands for them."""
    normal = [k for k, leak in enumerate(found) if leak.kind == "normal"]
    if not normal:
        return found
    e = evaluation.fetch(np.asarray([found[k].row for k in normal]))
    normal = [k for k in normal if found[k].row in e]
    hashes = np.asarray([fingerprint.canonical(e[found[k].row].raw) for k in normal], np.int64)
    hit, where = _join(train.columns["exact"], hashes)
    t = train.fetch(np.asarray([found[k].train_row for k, h in zip(normal, hit.tolist()) if not h]))
    for k, h, row, value in zip(normal, hit.tolist(), where.tolist(), hashes.tolist()):
        leak = found[k]
        if h:
            found[k] = leak._replace(kind="exact", train_row=int(row))
        elif leak.train_row in t and fingerprint.canonical(t[leak.train_row].raw) == value:
            found[k] = leak._replace(kind="exact")
    return found


def _join(train_keys: np.ndarray, eval_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each eval key: is it among the training keys, and the first training row with it."""
    values, first = np.unique(train_keys, return_index=True)
    pos = np.clip(np.searchsorted(values, eval_keys), 0, max(len(values) - 1, 0))
    hit = (values[pos] == eval_keys) if len(values) else np.zeros(len(eval_keys), bool)
    return hit, first[pos] if len(values) else np.zeros(len(eval_keys), np.int64)


def _band_join(train_sig: np.ndarray, eval_sig: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """(train row, eval row) pairs sharing an LSH band; eval rows in `skip` are left out."""
    tb, eb = fingerprint.bands(train_sig), fingerprint.bands(eval_sig)
    pairs = []
    for b in range(tb.shape[1]):
        hit, where = _join(tb[:, b], eb[:, b])
        hit &= (eb[:, b] != 0) & ~skip
        rows = np.flatnonzero(hit)
        pairs.append(np.stack([where[rows], rows], axis=1))
    return _unique_pairs(np.concatenate(pairs)) if pairs else np.zeros((0, 2), np.int64)


def similarity(pairs: np.ndarray, left: Dataset, right: Dataset, threshold: float,
               parallel: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard similarity of candidate pairs (rows of `left`, rows of `right`) over the normalised
    texts' character 5-grams, and whether it is a MinHash estimate. Clear cases are decided by
    the estimate (below threshold - MARGIN: not near; above threshold + MARGIN: near); pairs in
    between get the exact Jaccard of their shingle sets, from the texts fetched again in batches:
    at most VERIFY_MAX pairs, the nearest the threshold first, the rest decided by the estimate (≈)."""
    assert left.signatures is not None and right.signatures is not None
    sims = (left.signatures[pairs[:, 0]] == right.signatures[pairs[:, 1]]).mean(axis=1)
    est = np.ones(len(pairs), bool)
    unsure = np.flatnonzero((sims >= threshold - MARGIN) & (sims < threshold + MARGIN))
    if len(unsure) > VERIFY_MAX:  # bounded work: the pairs an exact score is most likely to flip
        unsure = np.sort(unsure[np.argsort(np.abs(sims[unsure] - threshold), kind="stable")[:VERIFY_MAX]])
    values = _verify_in_two(pairs, unsure, left, right) if parallel and _parallel(left, len(unsure), PARALLEL_VERIFY) \
        else _verify(pairs, unsure, left, right)
    done = ~np.isnan(values)  # NaN: a record could not be read again
    sims[unsure[done]], est[unsure[done]] = values[done], False
    return sims, est


def _verify(pairs: np.ndarray, which: np.ndarray, left: Dataset, right: Dataset) -> np.ndarray:
    """Exact Jaccard similarity of pairs[which], from their records read again in batches."""
    out = np.full(len(which), np.nan)
    same = left is right  # clustering: both sides are one dataset, fetched and shingled once
    for start in range(0, len(which), VERIFY_BATCH):
        batch = which[start:start + VERIFY_BATCH]
        if same:
            a = b = left.fetch(distinct(pairs[batch]))
        else:
            a, b = left.fetch(distinct(pairs[batch, 0])), right.fetch(distinct(pairs[batch, 1]))
        shingles: dict[tuple[bool, int], np.ndarray] = {}  # by (right side of two datasets, row)

        def of(side: bool, records: dict[int, Any], row: int) -> np.ndarray:
            if (side, row) not in shingles:
                parts = (right if side else left).cache.get("preamble", ())
                content = fingerprint.strip(fingerprint.texts(records[row]).content, parts)
                shingles[(side, row)] = fingerprint.shingles(content)
            return shingles[(side, row)]

        for k, (i, j) in enumerate(pairs[batch].tolist(), start):
            if i in a and j in b:
                out[k] = fingerprint.jaccard(of(False, a, i), of(not same, b, j))
    return out


def _parallel(data: Dataset, n: int, least: int) -> bool:
    import multiprocessing
    import os

    jobs = data.settings.jobs or os.cpu_count() or 1
    return n >= least and jobs > 1 and "fork" in multiprocessing.get_all_start_methods()


def both(data: Dataset, n: int, least: int, background: Callable[[], A], foreground: Callable[[], B]) -> tuple[A, B]:
    """background() and foreground(): the first in a forked process while this one runs the
    second, when there are two cores and n >= least work items; else one after the other. After
    the parallel scan, the dataset checks run in one process and the other core is idle."""
    if not _parallel(data, n, least):
        return background(), foreground()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _forked
    with _FORKING:  # one at a time: the child finds its work in a module global
        _forked = background  # the child inherits it: datasets hold closures and do not pickle
        try:
            with ProcessPoolExecutor(1, multiprocessing.get_context("fork")) as pool:
                theirs = pool.submit(_run_forked)
                mine = foreground()
                return theirs.result(), mine
        finally:
            _forked = None


def _run_forked() -> Any:
    assert _forked is not None
    return _forked()


def _verify_in_two(pairs: np.ndarray, which: np.ndarray, left: Dataset, right: Dataset) -> np.ndarray:
    """_verify, half of it in a forked process."""
    half = len(which) // 2
    theirs, mine = both(left, len(which), 0, lambda: _verify(pairs, which[half:], left, right),
                        lambda: _verify(pairs, which[:half], left, right))
    return np.concatenate([mine, theirs])


_forked: Callable[[], Any] | None = None
_FORKING = threading.Lock()
PARALLEL_VERIFY = 2000  # uncertain pairs from which verifying them in two processes pays off
PARALLEL_CLUSTERS = 50_000  # records from which clustering runs its two halves in two processes
