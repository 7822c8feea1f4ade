"""The duplicate rules (DUP001-DUP006) on real datasets from ../shared/datasets.

Every finding is checked against the data with an independent implementation of what the rule
claims (canonical JSON, the normalised text, rapidfuzz similarity, normalised inputs and outputs),
and where the rule is exact (hash-based) the findings must be exactly the records the independent
computation finds. Counts are pinned only where every finding was read by eye. Known wrong
behaviour on this data is pinned as strict xfails, each naming the records.

Skipped cleanly when ../shared/datasets is absent (a user's clone has no ../shared).
"""
from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cdist

import ftdata
from ftdata.model import Finding, Record

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
if not DATASETS.is_dir():
    pytest.skip("../shared/datasets is absent", allow_module_level=True)

ALPACA = "llama_factory/alpaca_en_demo.json"
GLAIVE = "llama_factory/glaive_toolcall_en_demo.json"
DUMMY = "fastchat/dummy_conversation.json"
OASST = "oasst1_zh/oaast_sft_zh.json"
AG_NEWS = "self_instruct/t0_train_50k_subset/ag_news_classify.jsonl"
FILES = [
    ALPACA,
    "llama_factory/identity.json",
    GLAIVE,
    DUMMY,
    "code_alpaca/code_alpaca_2k.json",
    OASST,
    "hh_rlhf/harmless-base/test.jsonl.gz",
    "lima/lima.json",
    AG_NEWS,
]
THRESHOLD = 80  # near_threshold 0.8, on rapidfuzz's 0-100 scale
ORDERED = ("DUP001", "DUP002", "DUP003", "DUP004", "DUP005")  # report the later record of a pair

# Counts where every finding was read and judged right, and (for the near rules) the independent
# search for missed pairs found none. glaive's 4 normalized duplicates are not pinned (see
# test_glaive_tool_calls_are_part_of_the_text), nor lima's near duplicates (test_lima_...).
PINNED: dict[str, dict[str, int]] = {
    ALPACA: {"DUP001": 14, "DUP002": 0, "DUP003": 0, "DUP004": 0, "DUP005": 0, "DUP006": 0},
    "llama_factory/identity.json": {"DUP001": 0, "DUP002": 0, "DUP004": 0, "DUP006": 3},
    GLAIVE: {"DUP001": 35, "DUP004": 0},
    "code_alpaca/code_alpaca_2k.json": {"DUP001": 0, "DUP002": 0, "DUP004": 0, "DUP006": 6},
    OASST: {"DUP001": 5, "DUP002": 2, "DUP004": 0},
    "hh_rlhf/harmless-base/test.jsonl.gz": {"DUP001": 0, "DUP002": 0, "DUP004": 0, "DUP006": 0},
    "lima/lima.json": {"DUP001": 0, "DUP002": 0, "DUP004": 0, "DUP005": 0, "DUP006": 0},
    AG_NEWS: {"DUP001": 0, "DUP002": 0, "DUP003": 3, "DUP004": 0, "DUP005": 0, "DUP006": 0},
}


# -- the data, read independently -------------------------------------------------------------------
@lru_cache(maxsize=None)
def report(name: str) -> ftdata.Report:
    return ftdata.lint(str(DATASETS / name), jobs=1)


def found(name: str, code: str) -> list[Finding]:
    return [f for f in report(name).findings if f.rule == code]


@lru_cache(maxsize=None)
def records(name: str) -> tuple[Record, ...]:
    """The records as ftdata reads them (turns and roles); the duplicate logic is what is tested."""
    recs = tuple(ftdata.records(str(DATASETS / name)))
    assert [r.index for r in recs] == list(range(len(recs)))
    return recs


@lru_cache(maxsize=None)
def raw_text(name: str) -> str:
    path = DATASETS / name
    data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    return data.decode("utf-8")


@lru_cache(maxsize=None)
def raw_located(name: str) -> tuple[tuple[int, str], ...]:
    """Each record's source text exactly as in the file, with the line it starts on: the elements
    of a JSON array, or the non-blank lines of JSON Lines."""
    text = raw_text(name)
    if not name.endswith(".json"):
        return tuple((n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip())
    decoder, out = json.JSONDecoder(), list[tuple[int, str]]()
    pos = text.index("[") + 1
    while True:
        while text[pos] in " \t\r\n,":
            pos += 1
        if text[pos] == "]":
            return tuple(out)
        _, end = decoder.raw_decode(text, pos)
        out.append((text.count("\n", 0, pos) + 1, text[pos:end]))
        pos = end


def raw_spans(name: str) -> tuple[str, ...]:
    return tuple(span for _, span in raw_located(name))


@lru_cache(maxsize=None)
def canonical(name: str) -> tuple[str, ...]:
    return tuple(json.dumps(json.loads(s), sort_keys=True, ensure_ascii=False) for s in raw_spans(name))


PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """What the rules document: apostrophes dropped, other punctuation and symbols turned into
    spaces, NFKC, case folded, whitespace collapsed."""
    symbols = re.sub(r"[^\x00-\x7f\w]", " ", re.sub("[\u2018\u2019\u02bc]", "", text))  # before NFKC
    folded = unicodedata.normalize("NFKC", symbols).casefold().replace("'", "")
    return " ".join(PUNCT.sub(" ", folded).split())


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _call(call: object) -> str:
    if isinstance(call, dict) and isinstance(call.get("value"), str):  # ShareGPT / LLaMA-Factory v1
        return str(call["value"])
    return _json(call.get("function", call) if isinstance(call, dict) else call)


def _turn(m: object, role: bool = True) -> str:
    text = f"{m.role} {m.content}" if role else m.content  # type: ignore[attr-defined]
    return text + "".join(" " + _call(c) for c in m.tool_calls)  # type: ignore[attr-defined]


def parts(rec: Record) -> tuple[str, str, str, str]:
    """Normalised (conversation, input, output, content): the output is the final assistant turn
    with its tool calls (for a preference pair followed by the rejected answer), the input the
    tool definitions, system turns and every other turn before it, with roles; the content, which
    near duplicates compare, is the conversation without tool definitions and system turns."""
    msgs = rec.messages
    last = max((i for i, m in enumerate(msgs) if m.role == "assistant"), default=-1)
    before = msgs[:last] if last >= 0 else msgs
    tools = ("tools " + (rec.tools if isinstance(rec.tools, str) else _json(rec.tools)) + " ") if rec.tools else ""
    system = " ".join(_turn(m) for m in before if m.role == "system")
    dialogue = normalise(" ".join(_turn(m) for m in before if m.role != "system"))
    inp = normalise(f"{tools} {system} {dialogue}")
    out = _turn(msgs[last], role=False) if last >= 0 else ""
    if rec.rejected is not None:
        out += " rejected " + " ".join(_turn(m, role=False) for m in rec.rejected[len(msgs) - 1:])
    out = normalise(out)
    return normalise(f"{inp} {out}"), inp, out, normalise(f"{dialogue} {out}")


@lru_cache(maxsize=None)
def normalised(name: str) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(parts(r) for r in records(name))


def later_copies(keys: tuple[str, ...] | list[str]) -> dict[int, int]:
    """Each row whose key an earlier row has -> the first row with that key."""
    first: dict[str, int] = {}
    return {i: first.setdefault(k, i) for i, k in enumerate(keys) if first.setdefault(k, i) != i}


def is_classification(name: str) -> bool:
    """Dataset.labels(): >= 10 records, >= 90% of final turns at most 64 characters, 2 to n/5 of them."""
    recs = records(name)
    n = len(recs)
    last = [r.messages[-1].content if r.messages else "" for r in recs]
    short = [a for a in last if len(a) <= 64]
    k = len(set(short))
    return n >= 10 and len(short) >= 0.9 * n and 2 <= k <= max(2, min(200, n // 5))


def pair(f: Finding) -> tuple[int, int]:
    assert f.record_index is not None and f.related, f
    other = f.related[0].record_index
    assert other is not None
    return f.record_index, other


# -- alpaca_en_demo: the README's 14 exact duplicates -----------------------------------------------
def test_alpaca_en_demo_has_exactly_its_14_exact_duplicates() -> None:
    dups = found(ALPACA, "DUP001")
    assert len(dups) == 14
    located, spans = raw_located(ALPACA), raw_spans(ALPACA)
    for f in dups:
        here, there = pair(f)
        # the finding's lines are where the two records start in the file, and their bytes are equal
        assert (f.line, f.related[0].line) == (located[here][0], located[there][0])
        assert spans[here] == spans[there], f"line {f.line} is not byte-identical to line {f.related[0].line}"
        assert f.related[0].line < f.line  # type: ignore[operator]
    # and they are all of them: every later byte-identical copy, nothing else
    assert {f.record_index for f in dups} == set(later_copies(list(spans)))
    assert not [f for f in report(ALPACA).findings if f.category == "duplicates" and f.rule != "DUP001"]


@pytest.mark.parametrize("name", sorted(PINNED), ids=lambda n: n.split("/")[-1])
def test_counts_read_by_eye(name: str) -> None:
    counts = Counter(f.rule for f in report(name).findings if f.category == "duplicates")
    assert {code: counts[code] for code in PINNED[name]} == PINNED[name]


# -- every finding is right, and the exact rules find everything ------------------------------------
@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_findings_name_an_earlier_record(name: str) -> None:
    for f in report(name).findings:
        if f.rule in ORDERED:
            here, there = pair(f)
            assert there < here and f.related[0].line < f.line, f  # type: ignore[operator]
            assert f.line == records(name)[here].line and f.related[0].line == records(name)[there].line


@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_exact_duplicates_are_canonically_equal(name: str) -> None:
    canon = canonical(name)
    assert len(canon) == len(records(name))
    dups = found(name, "DUP001")
    for f in dups:
        here = pair(f)[0]
        assert all(canon[here] == canon[loc.record_index] for loc in f.related), f  # type: ignore[index]
    expected = later_copies(canon)
    assert {f.record_index: pair(f)[1] for f in dups} == expected


@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_normalized_duplicates_normalise_equal(name: str) -> None:
    canon, text = canonical(name), [t[0] for t in normalised(name)]
    dups = found(name, "DUP002")
    for f in dups:
        here, there = pair(f)
        assert text[here] == text[there], f
        assert canon[here] != canon[there], f"{f}: an exact copy is exact-duplicate's"
    exact = later_copies(canon)
    expected = {i: first for i, first in later_copies(text).items() if i not in exact}
    assert {f.record_index: pair(f)[1] for f in dups} == expected


def _jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the character 5-gram sets (of the UTF-8 bytes), as documented."""
    sa, sb = ({t[i:i + 5] for i in range(len(t) - 4)} for t in (a.encode(), b.encode()))
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_near_duplicates_are_similar(name: str) -> None:
    full, text = [t[0] for t in normalised(name)], [t[3] for t in normalised(name)]
    for f in found(name, "DUP003"):
        here, there = pair(f)
        assert full[here] != full[there], f"{f}: equal once normalised is normalized-duplicate's"
        sim = _jaccard(text[here], text[there])
        stated = re.search(r"similarity (≈?)(\d\.\d\d)", f.message)
        assert stated, f.message
        if stated.group(1):  # a MinHash estimate well above the threshold: the set is close to it
            assert sim >= THRESHOLD / 100 - 0.15, f"line {f.line} vs {f.related[0].line}: Jaccard {sim:.2f}"
        else:  # verified exactly: the number is the Jaccard similarity itself
            assert sim >= THRESHOLD / 100, f"line {f.line} vs {f.related[0].line}: Jaccard {sim:.2f}"
            assert float(stated.group(2)) == pytest.approx(sim, abs=0.006), f.message


@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_conflicts_share_the_input_not_the_output(name: str) -> None:
    norm = normalised(name)
    for code in ("DUP004", "DUP005"):
        for f in found(name, code):
            here, there = pair(f)
            assert norm[here][1] and norm[here][1] == norm[there][1], f
            assert norm[here][2] != norm[there][2], f
            assert records(name)[here].task == records(name)[there].task == "sft", f


@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_label_conflicts_are_all_found(name: str) -> None:
    expected: dict[int, int] = {}
    if is_classification(name):
        norm, first = normalised(name), dict[str, int]()
        for i, (_, inp, out, _) in enumerate(norm):
            if records(name)[i].task == "sft" and inp:
                j = first.setdefault(inp, i)
                if norm[j][2] != out:
                    expected[i] = j
    else:
        assert not found(name, "DUP004")
    assert {f.record_index: pair(f)[1] for f in found(name, "DUP004")} == expected


@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_repeated_outputs(name: str) -> None:
    """Every record whose answer (>= 4 words) follows >= 3 different inputs, and only those."""
    norm, recs = normalised(name), records(name)
    inputs: dict[str, set[str]] = defaultdict(set)
    for r, (_, inp, out, _) in zip(recs, norm):
        if r.task == "sft":
            inputs[out].add(inp)
    expected = set()
    if not is_classification(name):
        for r, (_, _, out, _) in zip(recs, norm):
            answer = next((m.content for m in reversed(r.messages) if m.role == "assistant"), "")
            if r.task == "sft" and len(inputs[out]) >= 3 and len(answer.split()) >= 4:
                expected.add(r.index)
    dups = found(name, "DUP006")
    for f in dups:
        assert all(norm[loc.record_index][2] == norm[f.record_index][2] for loc in f.related), f  # type: ignore[index]
        assert f"({len(inputs[norm[f.record_index][2]])} different inputs)" in f.message, f.message  # type: ignore[index]
    assert {f.record_index for f in dups} == expected


@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_distinct_examples_are_the_records_not_reported_as_copies(name: str) -> None:
    volume = report(name).stats["files"][0]["volume"]
    copies = sum(len(found(name, code)) for code in ("DUP001", "DUP002", "DUP003"))
    assert volume["examples"] == len(records(name))
    assert volume["distinct_examples"] == volume["examples"] - copies


# -- wrong on this data (read by eye); strict, so a fix is noticed ---------------------------------
def test_glaive_tool_calls_are_part_of_the_text() -> None:
    reported = {(f.line, f.related[0].line) for f in found(GLAIVE, "DUP002")}
    assert (3106, 1514) not in reported


def test_glaive_conflicts_share_their_tools() -> None:
    spans = raw_spans(GLAIVE)
    differ = [f.line for f in found(GLAIVE, "DUP005")
              if json.loads(spans[pair(f)[0]]).get("tools") != json.loads(spans[pair(f)[1]]).get("tools")]
    assert not differ


@pytest.mark.xfail(strict=True, reason="lima lines 2528 and 2558 are the same canned refusal after two "
                   "questions (rapidfuzz 0.83), but their MinHash estimate is 0.50: never a candidate")
def test_lima_refusal_template_is_a_near_duplicate() -> None:
    assert (2558, 2528) in {(f.line, f.related[0].line) for f in found("lima/lima.json", "DUP003")}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=why)) if why else name
    for name, why in [(n, {
        DUMMY: "69 of 82 conflicts are >= 0.8 similar, e.g. line 9481 vs 9355: 'No, I'm a language "
               "model ...' vs 'No, I am a language model ...' (0.99); the two records sit in different "
               "leader clusters, or near-duplicate missed the pair",
        OASST: "14 conflicts are >= 0.8 similar (e.g. line 1148 vs 1137: 0.88), near duplicates that "
               "near-duplicate never verified (MinHash estimate below threshold - MARGIN)",
        GLAIVE: "line 6409 vs 1353 is 0.91 similar (one reworded sentence at the end), a near duplicate "
                "that near-duplicate missed, so it is reported as a conflict",
    }.get(n)) for n in FILES]
], ids=lambda n: n.split("/")[-1])
def test_conflicting_outputs_are_not_near_duplicates(name: str) -> None:
    """conflicting-output: "reports each record whose answer differs ... unless the two records are
    near duplicates anyway"."""
    text = [t[0] for t in normalised(name)]
    similar = [(f.line, f.related[0].line, round(ratio(text[pair(f)[0]], text[pair(f)[1]])))
               for f in found(name, "DUP005") if ratio(text[pair(f)[0]], text[pair(f)[1]]) >= THRESHOLD]
    assert not similar


MISSED = {  # records with an earlier >= 0.8 similar cluster leader that near-duplicate did not report
    "llama_factory/identity.json": "11, e.g. line 62 is 0.91 similar to line 57 (the same answer after "
                                   "'Are you ChatGPT?' and 'Are you based on GPT-3?')",
    GLAIVE: "27, e.g. line 2063 is 0.91 similar to line 1010 (the same stock-price dialogue, reworded)",
    DUMMY: "68, e.g. line 65 is 0.87 similar to line 2 (the same dialogue, one answer reworded)",
    "code_alpaca/code_alpaca_2k.json": "39, e.g. line 3147 is 0.88 similar to line 2487 (the same "
                                       "Fibonacci code after a paraphrased instruction)",
}
WHY_MISSED = ("; 5-gram Jaccard runs far below rapidfuzz similarity (these pairs: Jaccard estimates "
              "0.36-0.77), so LSH banding (8 bands of 8 values) seldom makes them candidates, and "
              "candidates estimated below threshold - MARGIN are dropped unverified")


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="missed " + MISSED[n] + WHY_MISSED)) if n in MISSED else n
    for n in (ALPACA, "llama_factory/identity.json", GLAIVE, DUMMY, "code_alpaca/code_alpaca_2k.json", AG_NEWS)
], ids=lambda n: n.split("/")[-1])
def test_near_duplicates_are_found(name: str) -> None:
    """Leader clustering: a record joins the first earlier cluster leader it is similar to, so a
    record with an earlier similar leader (a record reported by no copy rule) must be reported."""
    full, text = [t[0] for t in normalised(name)], [t[3] for t in normalised(name)]
    sims = cdist(text, text, scorer=ratio, score_cutoff=THRESHOLD, dtype=np.uint8, workers=-1)
    copies = {f.record_index for code in ("DUP001", "DUP002", "DUP003") for f in found(name, code)}
    missed = []
    for j in range(len(text)):
        leaders = [i for i in np.flatnonzero(sims[j, :j]).tolist() if i not in copies and full[i] != full[j]]
        if leaders and j not in copies:
            missed.append((records(name)[j].line, records(name)[leaders[0]].line, int(sims[j, leaders[0]])))
    assert not missed


def test_verification_in_two_processes_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """Uncertain pairs verified half in a forked process give exactly the serial findings."""
    from ftdata import similarity

    path = str(DATASETS / DUMMY)
    serial = [f for f in ftdata.lint(path, jobs=1).findings if f.category == "duplicates"]
    monkeypatch.setattr(similarity, "PARALLEL_VERIFY", 1)
    calls, original = [], similarity._verify_in_two

    def counted(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(similarity, "_verify_in_two", counted)
    parallel = [f for f in ftdata.lint(path, jobs=2).findings if f.category == "duplicates"]
    assert calls and any(f.rule == "DUP003" and "≈" not in f.message for f in serial)
    assert parallel == serial
