"""`ftdata dedupe`: keep one record per duplicate cluster; every dropped record goes to a rejects file.

The input is never modified. The output keeps the input's container (JSON Lines, a JSON array,
gzip when its name ends in .gz) and every byte that is not a dropped record: kept records byte
for byte (invalid UTF-8, escapes, a byte-order mark, CRLF and the whitespace between array
elements included), and lines that are no record (blank or invalid lines are lint's to report,
not dedupe's to lose).

The rejects file is JSON Lines, one object per dropped record, in input order: `line`,
`record_index`, `reason`, `matched` {file, line, record_index}, `similarity`, `estimated`,
`measure`, `record` and `escaped`. `record` is the record as it is in the input (a JSON Lines
line verbatim; an array element without the whitespace between its tokens). When those bytes are
not strict JSON (invalid UTF-8, a lone surrogate escape such as "\\ud800", NaN), `escaped` is true,
`record` holds the record as lint read it (invalid bytes and lone surrogates as U+FFFD) and
`raw_base64` the exact bytes (base64), so every line parses with a strict parser and nothing is lost.

Both files are written to temporary files, then renamed into place, the data first and the
rejects last, with signals held off in between (see atomic.py): an interrupted run leaves the
old pair or the new one. When the data goes to standard output or a device (`-o -`), the rejects
need their own path (`rejects=`, `--rejects`).
"""
from __future__ import annotations

import base64
import json
import os
import re
from typing import Any, NamedTuple

import orjson

from ftdata.config import Settings
from ftdata.curate.atomic import (
    Output, WriteError, atomic_outputs, check_target, describe, in_place, is_device, same_file,
)
from ftdata.curate.pieces import json_pieces
from ftdata.checks.base import Dataset
from ftdata.io import BOM, READ_ERRORS, container_of, open_binary
from ftdata.records import jsonl_lines

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
           settings: Settings | None = None, rejects: str | None = None) -> DedupeResult:
    """Drop duplicates from `path` into `output`, the dropped records into `rejects` (default
    OUTPUT.rejects.jsonl); see the module docstring. Raises ValueError for an unusable request
    (output equal to the input) and OSError naming the path for a file that cannot be read or
    written."""
    from ftdata import engine

    for p in (path, against):
        if p is not None and not os.path.isfile(p):
            raise ValueError(f"dedupe reads {p!r} twice and needs a regular file, not a stream or pipe")
    rejects = _rejects_target(output, rejects)
    inputs = (path,) if against is None else (path, against)
    check_target(output, inputs)
    check_target(rejects, inputs)
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
    with atomic_outputs(output, rejects) as (out, rejected):  # committed data first, rejects last
        try:
            with open_binary(path) as stream:
                json_container = container_of(stream, path) == "json"
                records = (_write_json if json_container else _write_jsonl)(stream, out, rejected, by_index)
        except (WriteError, BrokenPipeError):
            raise
        except READ_ERRORS as e:
            raise engine.Unreadable(path, getattr(e, "strerror", None) or str(e) or type(e).__name__) from None
        except ValueError as e:
            raise ValueError(f"cannot copy the records of {path!r} byte for byte: {e}; nothing was written") from None
        if records != result.records:  # never write a file whose records are not the ones judged
            raise ValueError(f"{path!r} changed while being deduplicated ({result.records:,} records read, then "
                             f"{records:,}); nothing was written")
    return DedupeResult(result.records, result.records - len(drops), sorted(drops), output, rejects)


def _rejects_target(output: str, rejects: str | None) -> str:
    """Where the dropped records go: beside a file output, else where the caller says."""
    if rejects is None:
        if in_place(output):
            raise ValueError(f"dedupe writes the data to {describe(output)}, which is not a file, so the dropped "
                             "records need a path of their own: give --rejects PATH (--rejects /dev/null discards "
                             "them)")
        rejects = rejects_path(output)
    if rejects == "-" and output == "-":
        raise ValueError("the data and the dropped records cannot both go to standard output; give --rejects a path")
    same = os.path.realpath(rejects) == os.path.realpath(output) or same_file(output, rejects)
    if "-" not in (output, rejects) and not is_device(output) and same:
        raise ValueError(f"the data and the dropped records both go to {describe(output)}; give --rejects another path")
    return rejects


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


def _write_jsonl(stream: Any, out: Output, rejected: Output, drops: dict[int, Drop]) -> int:
    """Every line to `out` but the dropped records, which go to `rejected`; the number of records."""
    if stream.peek(len(BOM))[:len(BOM)] == BOM:
        out.write(BOM)  # kept, like every line that is not a dropped record
    records = 0
    for line, index, raw in jsonl_lines(stream):
        if index is None:
            out.write(raw)
            continue
        records += 1
        if index in drops:
            body = raw.rstrip(b"\r\n")
            rejected.write(_reject(drops[index], line, body, _strict_jsonl(body)))
        else:
            out.write(raw)
    return records


def _write_json(stream: Any, out: Output, rejected: Output, drops: dict[int, Drop]) -> int:
    """A JSON array (or values one after another) without the dropped elements: everything else
    byte for byte, each kept element with the separator that preceded it in the input."""
    wrote = False
    index = 0
    for piece in json_pieces(stream):
        if piece.value is None:  # the rest of the file: `]` and what follows
            tail = piece.gap
            if not wrote and index and tail.lstrip().startswith(b","):  # `[a,]` with a dropped: not `[,]`
                tail = tail.lstrip()[1:]
            out.write(piece.gap if index == 0 else tail)
            return index
        if index == 0:
            out.write(piece.gap)  # the opening: a byte-order mark, `[`, the indentation before the first
        if index in drops:
            rejected.write(_reject(drops[index], piece.line, piece.value, _strict_element(piece.value)))
        else:
            out.write(piece.gap + piece.value if wrote else piece.value)
            wrote = True
        index += 1
    return index


def _reject(d: Drop, line: int, raw: bytes, strict: bytes | None) -> bytes:
    """One rejects line: the record verbatim when it is strict JSON, else escaped (module docstring)."""
    entry: dict[str, Any] = {
        "line": line, "record_index": d.record_index, "reason": d.reason,
        "matched": {"file": d.matched_file, "line": d.matched_line, "record_index": d.matched_index},
        "similarity": round(d.similarity, 4), "estimated": d.estimated, "measure": d.measure}
    if strict is not None:
        entry["record"], entry["escaped"] = orjson.Fragment(strict), False
    else:
        as_read = json.dumps(_as_read(raw), ensure_ascii=False, separators=(",", ":"))  # integers of any size
        entry["record"], entry["escaped"] = orjson.Fragment(as_read.encode("utf-8")), True
        entry["raw_base64"] = base64.b64encode(raw).decode("ascii")
    return orjson.dumps(entry) + b"\n"


def _strict_jsonl(body: bytes) -> bytes | None:
    """The line itself when it is strict JSON (UTF-8, no NaN, no lone surrogate), else None."""
    try:
        orjson.loads(body)  # strict: refuses invalid UTF-8, NaN and lone surrogates
        return body
    except orjson.JSONDecodeError:
        return body if _strict_slowly(body) else None


_STRING_OR_SPACE = re.compile(rb'("(?:[^"\\]|\\.)*")|[ \t\r\n]+', re.S)


def _strict_element(raw: bytes) -> bytes | None:
    """An array element on one line (whitespace between tokens removed, nothing else changed)
    when it is strict JSON, else None."""
    if _strict_jsonl(raw) is None:
        return None
    return _STRING_OR_SPACE.sub(lambda m: m.group(1) or b"", raw)


def _strict_slowly(body: bytes) -> bool:
    """What orjson refuses but is strict JSON all the same: integers beyond 64 bits, deep nesting."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_refuse)
        return _SURROGATE_ESCAPE.search(body) is None or not _has_surrogate(value)
    except (ValueError, RecursionError):  # nested too deeply to check: escaped, to be safe
        return False


def _refuse(name: str) -> Any:
    raise ValueError(name)


def _has_surrogate(value: Any) -> bool:
    if type(value) is str:
        return _SURROGATE.search(value) is not None
    if type(value) is dict:
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if type(value) is list:
        return any(_has_surrogate(v) for v in value)
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _as_read(raw: bytes) -> Any:
    """The record as lint reads it, made strict: invalid bytes and lone surrogates as U+FFFD,
    NaN and infinities as null; text that is not JSON as a string."""
    text = raw.decode("utf-8", "replace")
    try:
        value = _plain(json.loads(text))
        json.dumps(value)  # nested too deeply for the encoder?
        return value
    except (ValueError, RecursionError):
        return _plain(text)


def _plain(value: Any) -> Any:
    if type(value) is str:
        return _SURROGATE.sub("\ufffd", value)
    if type(value) is float:
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if type(value) is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if type(value) is list:
        return [_plain(v) for v in value]
    return value
