"""`ftdata dedupe`: keep one record per duplicate cluster; every dropped record goes to a rejects file.

The input is never modified. The output keeps the input's container (JSON Lines or a JSON
array) and every line that is not a dropped record, byte for byte (blank or invalid lines
included: they are lint's to report, not dedupe's to lose). Both files are written atomically.
"""
from __future__ import annotations

import json
import os
from typing import Any, Iterator, NamedTuple

import orjson

from ftdata.config import Settings
from ftdata.curate.atomic import atomic_writer, check_target
from ftdata.checks.base import Dataset
from ftdata.io import BOM, container_of, open_binary
from ftdata.records import jsonl_lines, records_of

REASONS = {"exact": "exact-duplicate", "normal": "normalized-duplicate", "near": "near-duplicate"}
MEASURES = ("jaccard", "prompt-edits", "answer-edits")  # by similarity.JACCARD, PROMPT_EDITS, ANSWER_EDITS


class Drop(NamedTuple):
    record_index: int  # in the input
    reason: str
    matched_file: str
    matched_line: int | None
    matched_index: int
    similarity: float
    estimated: bool = False  # a MinHash estimate rather than a rapidfuzz score
    measure: str = ""  # of a near duplicate's similarity: "jaccard" (5-grams), "prompt-edits" or "answer-edits"


class DedupeResult(NamedTuple):
    records: int
    kept: int
    dropped: list[Drop]
    output: str
    rejects: str


def rejects_path(output: str) -> str:
    return output + ".rejects.jsonl"


def dedupe(path: str, output: str, keep: str = "first", near: bool = True, against: str | None = None,
           settings: Settings | None = None) -> DedupeResult:
    """Drop duplicates from `path` into `output`; see the module docstring. Raises ValueError
    for an unusable request (output equal to the input) and OSError for unreadable input."""
    from ftdata import engine

    for p in (path, against):
        if p is not None and not os.path.isfile(p):
            raise ValueError(f"dedupe reads {p!r} twice and needs a regular file, not a stream or pipe")
    inputs = (path,) if against is None else (path, against)
    check_target(output, inputs)
    check_target(rejects_path(output), inputs)
    settings = _settings(settings or Settings(), near, against)
    result = engine.lint_file(path, settings)
    broken = [f for f in result.findings if f.rule == "FMT001" and f.record_index is None]
    if broken:  # a JSON array cut short: what follows cannot be read, so it could not be written back
        raise ValueError(f"{path!r} is not valid JSON at line {broken[0].line}; fix it before deduping")
    data = result.data
    if against:
        drops = _against(data, engine.lint_file(against, settings).data, near)
    else:
        drops = _within(data, keep, settings.near_threshold)
    by_index = {d.record_index: d for d in drops}
    with atomic_writer(rejects_path(output)) as out:  # first: a dropped record is never only in memory
        for index, line, raw in _records(path, set(by_index)):
            d = by_index[index]
            out.write(orjson.dumps({
                "line": line, "record_index": index, "reason": d.reason,
                "matched": {"file": d.matched_file, "line": d.matched_line, "record_index": d.matched_index},
                "similarity": round(d.similarity, 4), "estimated": d.estimated, "measure": d.measure,
                "record": raw}) + b"\n")
    _write(path, output, set(by_index))
    return DedupeResult(result.records, result.records - len(drops), sorted(drops), output, rejects_path(output))


def _settings(settings: Settings, near: bool, against: str | None) -> Settings:
    """Only what finding duplicates needs: the duplicate checks (or leakage ones), nothing else."""
    keep = ("FMT001", "DUP001", "DUP002") + (("DUP003",) if near else ())  # FMT001: a broken array stops us
    if against:
        keep = ("FMT001", "LEAK001") + (("LEAK002",) if near else ())
    from ftdata.registry import all_checks

    ignore = tuple(c.code for c in all_checks() if c.code not in keep)
    return settings.model_copy(update={"ignore": ignore, "eval": (against,) if against else ()})


def _within(data: Dataset, keep: str, threshold: float) -> list[Drop]:
    """One record kept per cluster: the first, or the longest (most characters; first on ties).
    A copy (exact or normalised) goes with the record it copies; with `longest`, any other
    member is dropped only if it is near the kept record too."""
    from ftdata.similarity import groups

    clusters = data.cache["clusters"]
    chars = data.columns["chars"]
    drops: list[Drop] = []
    for root, members in groups(clusters.root).items():
        kept = root if keep == "first" else max(members, key=lambda r: (int(chars[r]), -r))
        for r in members:
            if r == kept:
                continue
            # the record r copies: the kept one if it is a copy of it, else its own first copy
            copied = kept if clusters.normal_root[r] == clusters.normal_root[kept] else int(clusters.normal_root[r])
            if copied != r:
                kind, sim, est, measure = "exact" if clusters.exact_root[r] == clusters.exact_root[copied] else \
                    "normal", 1.0, False, ""
            else:
                kind, copied = "near", kept
                sim, est, how = _similarity(data, r, kept, clusters)
                measure = MEASURES[how]
            if sim >= threshold:
                drops.append(Drop(int(data.indices[r]), REASONS[kind], data.file, data.line_of(copied),
                                  int(data.indices[copied]), sim, est, measure))
    return drops


def _similarity(data: Dataset, row: int, kept: int, clusters: Any) -> tuple[float, bool, int]:
    """Similarity of two members of a near cluster: the one it was matched by, else the best of
    the measures near-duplicate uses that can be computed for the pair."""
    if clusters.matched[row] == kept:
        return float(clusters.similarity[row]), bool(clusters.estimated[row]), int(clusters.measure[row])
    from ftdata.similarity import pair_similarity

    return pair_similarity(data, kept, row)


def _against(data: Dataset, train: Dataset, near: bool) -> list[Drop]:
    """Records of the input already in the other file (exactly, normalised, or nearly)."""
    from ftdata.similarity import leaks

    return [Drop(int(data.indices[leak.row]), REASONS[leak.kind], train.file, train.line_of(leak.train_row),
                 int(train.indices[leak.train_row]), leak.similarity, leak.estimated,
                 MEASURES[leak.measure] if leak.kind == "near" else "")
            for leak in leaks(train, data, data.settings.near_threshold, near) if near or leak.kind != "near"]


def _records(path: str, wanted: set[int]) -> Iterator[tuple[int, int, Any]]:
    """(record index, line, record) of the wanted records, in order: a JSON Lines record as its
    original bytes (kept verbatim in the rejects file), an array element as its value."""
    with open_binary(path) as stream:
        for line, index, item in records_of(stream, path):
            if index in wanted:
                yield index, line, orjson.Fragment(item.rstrip(b"\r\n")) if isinstance(item, bytes) else item


def _write(path: str, output: str, dropped: set[int]) -> None:
    with open_binary(path) as stream, atomic_writer(output) as out:
        if container_of(stream, path) == "json":
            kept = [value for _, index, value in records_of(stream, path) if index not in dropped]
            try:
                out.write(orjson.dumps(kept, option=orjson.OPT_INDENT_2) + b"\n")
            except (TypeError, ValueError):  # integers beyond 64 bits, lone surrogates: the slower encoder
                out.write(json.dumps(kept, indent=2, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")
            return
        if stream.peek(len(BOM))[:len(BOM)] == BOM:  # type: ignore[attr-defined]
            out.write(BOM)  # kept, like every line that is not a dropped record
        for _, index, raw in jsonl_lines(stream):
            if index is None or index not in dropped:
                out.write(raw)
