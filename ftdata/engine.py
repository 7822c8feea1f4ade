"""Run the checks over one dataset: scan chunks (in parallel for large files), stitch, finish.

Large JSON Lines files are cut into byte ranges that worker processes read and scan on their
own, so the parent moves no record data; gzip and stdin are read by the parent and handed out
as blocks of lines. Dataset checks then see per-record arrays, never the records themselves.
"""
from __future__ import annotations

import math
import multiprocessing
import os
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import IO, Any, Callable, Iterable, Iterator

import numpy as np

from ftdata import stats as stats_mod
from ftdata import tokens
from ftdata.checks.base import Dataset
from ftdata.config import Settings
from ftdata.io import (
    byte_ranges, container_of, gzip_size, is_gzip, iter_blocks, iter_json_values, iter_range, open_binary,
)
from ftdata.model import Finding, Location
from ftdata.registry import Plan
from ftdata.report.base import FileResult
from ftdata.scan import Partial, Scanner

CHUNK_BYTES = 8 << 20  # work unit for workers
PARALLEL_MIN_BYTES = 16 << 20  # below this, worker start-up costs more than it saves
SAMPLE_BYTES = 4 << 20  # on large files, about this much text is token-counted exactly (calibration)
STREAM_STRIDE = 16  # on a stream past its exactly counted start, every 16th record is counted


def lint_file(path: str, settings: Settings) -> FileResult:
    """Lint one file, "-" for stdin, or a pipe. Raises OSError/EOFError for unreadable input."""
    stream_only = path == "-" or not os.path.isfile(path)  # stdin, a pipe: read once, size unknown
    gz = not stream_only and is_gzip(path)
    size = 0 if stream_only else gzip_size(path) if gz else os.path.getsize(path)
    stride = 1 if size <= settings.exact_tokens_bytes else max(2, math.ceil(size / SAMPLE_BYTES))
    jobs = settings.jobs or os.cpu_count() or 1
    if stream_only or stride > 1:
        tokens.encoding(settings.spec().encoding)  # load once here; forked workers inherit it
    stream = open_binary(path)
    try:
        partials: Iterable[Partial]
        if container_of(stream, path) == "json":
            partials = [Scanner(settings, path, stride).values(iter_json_values(stream))]
        elif not stream_only and not gz:  # a plain file: workers read byte ranges themselves
            ranges = byte_ranges(path, CHUNK_BYTES)
            work = [(path, s, e, i == 0) for i, (s, e) in enumerate(ranges)]
            partials = _run(settings, path, stride, jobs if size >= PARALLEL_MIN_BYTES else 1, _scan_range, work)
        else:  # gzip or a stream: this process reads, workers scan blocks of lines
            blocks = _blocks(stream, stride, settings.exact_tokens_bytes if stream_only else None)
            partials = _run(settings, path, stride, jobs if stream_only or size >= PARALLEL_MIN_BYTES else 1,
                            _scan_block, blocks)
        return finish(path, settings, partials)
    finally:
        if path != "-":
            stream.close()


def _blocks(stream: IO[bytes], stride: int, exact_bytes: int | None) -> Iterator[tuple[list[bytes], bool, int]]:
    """Blocks of lines with their sampling stride. A stream of unknown size is counted exactly
    for its first `exact_bytes`, then sampled every STREAM_STRIDE lines."""
    seen = 0
    for i, block in enumerate(iter_blocks(stream, CHUNK_BYTES)):
        if exact_bytes is not None:
            stride = 1 if seen < exact_bytes else STREAM_STRIDE
            seen += sum(map(len, block))
        yield block, i == 0, stride


def lint_values(values: Iterable[tuple[int, Any]], settings: Settings, file: str) -> FileResult:
    """Lint in-memory records, each with the 1-based row number to report it at."""
    return finish(file, settings, [Scanner(settings, file).values(values)])


# -- worker side ---------------------------------------------------------------------------------
_worker: Scanner | None = None


def _init_worker(settings: Settings, path: str, stride: int) -> None:
    global _worker
    _worker = Scanner(settings, path, stride)


def _scan_range(job: tuple[str, int, int, bool], scanner: Scanner | None = None) -> Partial:
    path, start, end, first = job
    s = scanner or _worker
    assert s is not None
    return s.lines(iter_range(path, start, end), first, start)


def _scan_block(job: tuple[list[bytes], bool, int], scanner: Scanner | None = None) -> Partial:
    block, first, stride = job
    s = scanner or _worker
    assert s is not None
    return s.lines(block, first, -1, stride)


def _run(settings: Settings, path: str, stride: int, jobs: int, fn: Callable[..., Partial],
         work: Iterable[Any]) -> Iterator[Partial]:
    """Scan the work items in order: in worker processes when jobs > 1, else here."""
    if jobs <= 1:
        scanner = Scanner(settings, path, stride)
        yield from (fn(item, scanner) for item in work)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(jobs, multiprocessing.get_context(method), initializer=_init_worker,
                             initargs=(settings, path, stride)) as pool:
        yield from _ordered(pool, fn, work, window=2 * jobs)


def _ordered(pool: Executor, fn: Callable[..., Partial], work: Iterable[Any], window: int) -> Iterator[Partial]:
    """Results in submission order, with at most `window` jobs in flight (bounded memory)."""
    pending: deque[Future[Partial]] = deque()
    for item in work:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# -- stitching and dataset checks ----------------------------------------------------------------
def finish(file: str, settings: Settings, partials: Iterable[Partial]) -> FileResult:
    plan = Plan(settings.checks, settings.ignore)
    spec = settings.spec()
    findings: list[Finding] = []
    columns: dict[str, list[np.ndarray]] = {k: [] for k in Partial.COLUMNS}
    collected: list[list[Any]] = [[] for _ in plan.dataset]
    line_off = index_off = records = 0
    for part in partials:
        for f in part.findings:
            findings.append(_shift(f, line_off, index_off))
        for k, arr in part.columns.items():
            columns[k].append(arr + line_off if k == "line" else arr + index_off if k == "index" else arr)
        for acc, vals in zip(collected, part.collected):
            acc.extend(vals)
        line_off += part.n_lines
        index_off += part.n_records
        records += part.n_records
    col = {k: np.concatenate(v) if v else np.zeros(0, Partial.COLUMNS[k]) for k, v in columns.items()}
    exact = col["tokens"] >= 0
    alpha, beta = tokens.fit_ratio(col["chars"][exact], col["extra"][exact],
                                   col["tokens"][exact] - col["overhead"][exact])
    est = np.rint(col["overhead"] + alpha * col["chars"] + beta * col["extra"])
    tok = np.where(exact, col["tokens"], est).astype(np.float64)
    n_exact = int(exact.sum())  # the calibration sample and limit candidates, before any recount
    data = Dataset(file, settings, spec, col["line"], col["index"], col["format"], col["task"],
                   col["n_messages"], tok, exact, est, lambda rows: _recount(file, settings, data, col["offset"], rows))
    for check, values in zip(plan.dataset, collected):
        findings.extend(check.finish(values, data))
    findings.sort(key=Finding.sort_key)
    st = stats_mod.compute(data, records, (alpha, beta), col["answer"], n_exact)
    return FileResult(file, records, data.n, findings, st)


def _recount(file: str, settings: Settings, data: Dataset, offsets: np.ndarray, rows: np.ndarray) -> None:
    """Count the given rows exactly by re-reading their records (a file, not stdin or memory):
    by seeking to their byte offsets when known (plain JSON Lines), else by a sequential read."""
    rows = np.asarray([r for r in rows if not data.tokens_exact[r]], np.int64)
    if not len(rows) or not os.path.isfile(file):
        return
    from ftdata import formats
    from ftdata.records import make_record, values_at_offsets, values_by_index

    by_index = {int(data.indices[r]): int(r) for r in rows}
    if (offsets[rows] >= 0).all():
        values = values_at_offsets(file, [(int(data.indices[r]), int(offsets[r])) for r in rows])
    else:
        values = values_by_index(file, set(by_index))
    enc = tokens.encoding(data.spec.encoding)
    forced = formats.by_name(settings.input_format) if settings.input_format else None
    for index, obj in values:
        fmt = forced or formats.detect(obj)
        if fmt is not None and isinstance(obj, dict):
            r = by_index[index]
            data.tokens[r] = tokens.count_record(enc, make_record(fmt, obj, file, None, index))
            data.tokens_exact[r] = True


def _shift(f: Finding, line_off: int, index_off: int) -> Finding:
    if not line_off and not index_off:
        return f
    from dataclasses import replace

    return replace(f, line=None if f.line is None else f.line + line_off,
                   record_index=None if f.record_index is None else f.record_index + index_off,
                   related=tuple(Location(r.file, None if r.line is None else r.line + line_off,
                                          None if r.record_index is None else r.record_index + index_off)
                                 for r in f.related))
