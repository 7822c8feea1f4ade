"""`ftdata dedupe`: keep one record per duplicate cluster; every dropped record goes to a rejects file.

The input is never modified. The output keeps the input's container (JSON Lines or a JSON
array) and every line that is not a dropped record, byte for byte (blank or invalid lines
included: they are lint's to report, not dedupe's to lose). Both files are written atomically.
"""
from __future__ import annotations

import os
from typing import Any, NamedTuple

import numpy as np
import orjson

from ftdata.config import Settings
from ftdata.curate.atomic import atomic_writer
from ftdata.io import ReadProblem, container_of, iter_json_values, open_binary

REASONS = {"exact": "exact-duplicate", "normal": "normalized-duplicate", "near": "near-duplicate"}


class Drop(NamedTuple):
    record_index: int  # in the input
    reason: str
    matched_file: str
    matched_line: int | None
    matched_index: int
    similarity: float


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

    if _same(path, output) or _same(path, rejects_path(output)) or (against and _same(against, output)):
        raise ValueError(f"refusing to overwrite the input: output {output!r} is an input file")
    settings = _settings(settings or Settings(), near, against)
    result = engine.lint_file(path, settings)
    data = result.data
    if against:
        train = engine.lint_file(against, settings)
        drops = _against(data, train.data, near)
    else:
        drops = _within(data, keep)
    dropped = {d.record_index for d in drops}
    _write(path, output, dropped)
    by_index = {d.record_index: d for d in drops}
    with atomic_writer(rejects_path(output)) as out:
        for index, line, raw in _records(path, dropped):
            d = by_index[index]
            out.write(orjson.dumps({
                "line": line, "record_index": index, "reason": d.reason,
                "matched": {"file": d.matched_file, "line": d.matched_line, "record_index": d.matched_index},
                "similarity": round(d.similarity, 4), "record": raw}) + b"\n")
    return DedupeResult(result.records, result.records - len(drops), sorted(drops), output, rejects_path(output))


def _settings(settings: Settings, near: bool, against: str | None) -> Settings:
    """Only what finding duplicates needs: the duplicate checks (or leakage ones), nothing else."""
    keep = ("DUP001", "DUP002") + (("DUP003",) if near else ())
    if against:
        keep = ("LEAK001",) + (("LEAK002",) if near else ())
    from ftdata.registry import all_checks

    ignore = tuple(c.code for c in all_checks() if c.code not in keep)
    return settings.model_copy(update={"ignore": ignore, "eval": (against,) if against else ()})


def _within(data: Any, keep: str) -> list[Drop]:
    """One record kept per cluster: the first, or the longest (most characters; first on ties)."""
    from ftdata.similarity import groups

    clusters = data.cache["clusters"]
    chars = data.columns["chars"]
    drops: list[Drop] = []
    for root, members in groups(clusters.root).items():
        kept = root if keep == "first" else max(members, key=lambda r: (int(chars[r]), -r))
        for r in members:
            if r == kept:
                continue
            kind = "exact" if clusters.exact_root[r] == clusters.exact_root[kept] else \
                "normal" if clusters.normal_root[r] == clusters.normal_root[kept] else "near"
            sim = 1.0 if kind != "near" else _similarity(data, r, kept, clusters)
            drops.append(Drop(int(data.indices[r]), REASONS[kind], data.file, data.line_of(kept),
                              int(data.indices[kept]), sim))
    return drops


def _similarity(data: Any, row: int, kept: int, clusters: Any) -> float:
    if clusters.matched[row] == kept:
        return float(clusters.similarity[row])
    from rapidfuzz.fuzz import ratio

    from ftdata.fingerprint import texts

    records = data.fetch(np.asarray([row, kept]))
    if row in records and kept in records:
        a, b = (texts(records[r])[0].decode("utf-8", "surrogatepass") for r in (row, kept))
        return float(ratio(a, b) / 100)
    return float(clusters.similarity[row])


def _against(data: Any, train: Any, near: bool) -> list[Drop]:
    """Records of the input already in the other file (exactly, normalised, or nearly)."""
    from ftdata.similarity import leaks

    return [Drop(int(data.indices[leak.row]), REASONS[leak.kind], train.file, train.line_of(leak.train_row),
                 int(train.indices[leak.train_row]), leak.similarity)
            for leak in leaks(train, data, data.settings.near_threshold, near)]


def _records(path: str, wanted: set[int]) -> Any:
    """(record index, line, raw value) of the wanted records, in order."""
    from ftdata.records import raw_values

    for index, (line, value) in enumerate(raw_values(path)):
        if index in wanted:
            yield index, line, value


def _write(path: str, output: str, dropped: set[int]) -> None:
    with open_binary(path) as stream, atomic_writer(output) as out:
        if container_of(stream, path) == "json":
            kept = [v for i, v in enumerate(x[1] for x in iter_json_values(stream) if not isinstance(x, ReadProblem))
                    if i not in dropped]
            out.write(orjson.dumps(kept, option=orjson.OPT_INDENT_2) + b"\n")
            return
        index = -1
        for raw in stream:
            if raw.strip():
                index += 1
                if index in dropped:
                    continue
            out.write(raw)


def _same(a: str, b: str) -> bool:
    try:
        return os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
