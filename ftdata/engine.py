"""Run the checks over one dataset: scan chunks (in parallel for large files), stitch, finish.

Large JSON Lines files are cut into byte ranges that worker processes read and scan on their
own, so the parent moves no record data; gzip and stdin are read by the parent and handed out
as blocks of lines. Dataset checks then see per-record arrays, never the records themselves.
"""
from __future__ import annotations

import gc
import math
import multiprocessing
import os
import tempfile
from collections import deque
from contextlib import contextmanager, nullcontext
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from ftdata import plugins, redact
from ftdata import stats as stats_mod
from ftdata import tokens
from ftdata.checks.base import Dataset
from ftdata.config import Settings
from ftdata.io import (
    READ_ERRORS, byte_ranges, container_of, gzip_size, is_gzip, iter_blocks, iter_json_located, iter_range, open_binary,
)
from ftdata.io.readers import spool as spool_stream
from ftdata.model import Finding, Location, Record
from ftdata.registry import Plan
from ftdata.report.base import FileResult
from ftdata.scan import Partial, Scanner
from ftdata.selection import reseverity

CHUNK_BYTES = 8 << 20  # work unit for workers
PARALLEL_MIN_BYTES = 16 << 20  # below this, worker start-up costs more than it saves
SAMPLE_BYTES = 4 << 20  # on large files, about this much text is token-counted exactly (calibration)


def check_eval_paths(train: Iterable[str], evals: Iterable[str]) -> None:
    """An evaluation file must not also be a training file (however its path is spelled)."""
    train = list(train)
    for e in evals:
        for t in train:
            same = os.path.isfile(e) and os.path.isfile(t) and os.path.samefile(e, t)
            if same or e == t:
                raise ValueError(f"--eval {e!r} is also a training file; leakage needs two different sets")


class Unreadable(OSError):
    """A file that cannot be read: the path, and why in a few words."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"cannot read {'stdin' if path == '-' else repr(path)}: {why}")


def lint_paths(paths: Iterable[str], settings: Settings) -> list[FileResult]:
    """Lint training files, then the evaluation files of `settings.eval` against them.
    Raises ValueError when an eval file is a training file, Unreadable for a file that can't be read."""
    paths = list(paths)
    check_eval_paths(paths, settings.eval)
    # streams are spooled here and kept until the end: leakage re-reads training records
    with without_gc(), tempfile.TemporaryDirectory(prefix="ftdata-") as spool:
        return lint_evals([_readable(path, lint_file, path, settings, spool=spool) for path in paths], settings, spool)


def lint_evals(train: list[FileResult], settings: Settings, spool: str | None = None) -> list[FileResult]:
    """The training results, then each evaluation set of `settings.eval` linted against them."""
    with without_gc():
        return train + [_readable(path, lint_eval, path, settings, train, spool) for path in settings.eval]


def _readable(path: str, lint: Callable[..., FileResult], *args: Any, **kwargs: Any) -> FileResult:
    """lint(*args), with a file that cannot be read reported as Unreadable, naming it."""
    try:
        return lint(*args, **kwargs)
    except READ_ERRORS as e:
        raise Unreadable(path, getattr(e, "strerror", None) or str(e) or type(e).__name__) from None


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. Linting builds millions of acyclic objects (records,
    rows, findings), which reference counting frees; the collector's repeated passes over them
    cost 10-20% of a large run and find nothing to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lint_eval(path: str, settings: Settings, train: list[FileResult], spool: str | None = None) -> FileResult:
    """Scan an evaluation set and report its records that leak from the training sets. Its own
    record-level findings are kept; dataset-level checks (volume, duplicates) are not its."""
    result = lint_file(path, settings, role="eval", spool=spool)
    findings = list(result.findings)
    trains = [t.data for t in train if t.data is not None]
    if result.data is not None:
        plan = Plan(settings, path)
        for check in plan.leakage:
            findings.extend(redact.findings(check.finish_all(trains, result.data)))
        findings = reseverity(findings, plan.severity)
        if result.data.cache.get("labels") is not None:  # worked out for the leakage rules: shown too
            result.stats["labels"] = redact.stats({"labels": result.data.cache["labels"].table()})["labels"]
    findings.sort(key=Finding.sort_key)
    return FileResult(result.file, result.records, result.examples, findings, result.stats, result.data)


def lint_file(path: str, settings: Settings, role: str = "train", spool: str | None = None) -> FileResult:
    """Lint one file, "-" for stdin, or a pipe. Raises OSError/EOFError for unreadable input.

    A stream is first copied to a temporary file, so that it is linted exactly like a file
    (parallel, exact counts, records read again for exact decisions) and reported by its name:
    in `spool` when given (the caller removes it when done with the result), else in a
    directory removed on return.
    """
    if path == "-" or not os.path.isfile(path):
        with tempfile.TemporaryDirectory(prefix="ftdata-") if spool is None else nullcontext(spool) as tmp:
            fd, spooled = tempfile.mkstemp(dir=tmp, prefix="stream-")
            with open_binary(path) as src, open(fd, "wb") as dst:
                spool_stream(src, dst, CHUNK_BYTES, settings.max_record_bytes)  # bounded: an endless line stops it
            return _lint_plain(spooled, settings, path, role)
    return _lint_plain(path, settings, path, role)


def _lint_plain(path: str, settings: Settings, name: str, role: str) -> FileResult:
    gz = is_gzip(path)
    size = gzip_size(path) if gz else os.path.getsize(path)
    stride = 1 if size <= settings.exact_tokens_bytes else max(2, math.ceil(size / SAMPLE_BYTES))
    if stride > 1:
        tokens.encoding(settings.spec().encoding)  # load once here; forked workers inherit it
    jobs = (settings.jobs or os.cpu_count() or 1) if size >= PARALLEL_MIN_BYTES else 1
    train = role == "train"
    with open_binary(path) as stream:
        partials: Iterable[Partial]
        if container_of(stream, name if name != "-" else path) == "json":
            values = iter_json_located(stream, cap=settings.max_record_bytes)
            partials = [Scanner(settings, name, stride, train).values(values)]
        elif not gz:  # workers read byte ranges of the file themselves
            work = [(path, s, e, i == 0) for i, (s, e) in enumerate(byte_ranges(path, CHUNK_BYTES))]
            partials = _run(settings, name, stride, train, jobs, _scan_range, work)
        else:  # gzip: this process decompresses, workers scan blocks of lines
            lines = iter_blocks(stream, CHUNK_BYTES, settings.max_record_bytes)
            blocks = ((block, i == 0) for i, block in enumerate(lines))
            partials = _run(settings, name, stride, train, jobs, _scan_block, blocks)
        return finish(name, settings, partials, source=path, role=role)


def lint_values(values: Iterable[tuple[int, Any]], settings: Settings, file: str) -> FileResult:
    """Lint in-memory records, each with the 1-based row number to report it at."""
    items = list(values)
    return finish(file, settings, [Scanner(settings, file).values(items)], [obj for _, obj in items])


# -- worker side ---------------------------------------------------------------------------------
_worker: Scanner | None = None


def _init_worker(settings: Settings, path: str, stride: int, train: bool) -> None:
    global _worker
    gc.disable()  # see without_gc: a worker lives for one lint
    _worker = Scanner(settings, path, stride, train)


def _scan_range(job: tuple[str, int, int, bool], scanner: Scanner | None = None) -> Partial:
    path, start, end, first = job
    s = scanner or _worker
    assert s is not None
    return s.lines(iter_range(path, start, end, s.cap), first, start)


def _scan_block(job: tuple[list[bytes], bool], scanner: Scanner | None = None) -> Partial:
    block, first = job
    s = scanner or _worker
    assert s is not None
    return s.lines(block, first)


def _run(settings: Settings, path: str, stride: int, train: bool, jobs: int, fn: Callable[..., Partial],
         work: Iterable[Any]) -> Iterator[Partial]:
    """Scan the work items in order: in worker processes when jobs > 1, else here."""
    if jobs <= 1:
        scanner = Scanner(settings, path, stride, train)
        yield from (fn(item, scanner) for item in work)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(jobs, multiprocessing.get_context(method), initializer=_init_worker,
                             initargs=(settings, path, stride, train)) as pool:
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
def finish(file: str, settings: Settings, partials: Iterable[Partial],
           memory: list[Any] | None = None, source: str | None = None, role: str = "train") -> FileResult:
    """Stitch the chunks, run the dataset checks, compute stats. Records are fetched again from
    `memory` (an in-memory source's raw values, by record index) or the file `source`."""
    plan = Plan(settings, file)
    spec = settings.spec()
    findings: list[Finding] = []
    columns: dict[str, list[np.ndarray]] = {k: [] for k in Partial.COLUMNS}
    signatures: list[np.ndarray] = []
    short: list[bytes] = []
    profiles: list[tuple[np.ndarray, np.ndarray]] = []  # style profile tables and system hashes
    collected: list[list[Any]] = [[] for _ in plan.dataset]
    line_off = index_off = row_off = records = 0
    for part in partials:
        for f in part.findings:
            findings.append(_shift(f, line_off, index_off))
        for k, arr in part.columns.items():
            columns[k].append(arr + line_off if k == "line" else arr + index_off if k == "index" else arr)
        for acc, vals in zip(collected, part.collected):
            acc.extend(vals)
        if part.signatures is not None:
            signatures.append(part.signatures)
            short.extend(part.short)
        if part.profiles is not None:
            table = np.stack(part.profiles[:5], axis=1)
            table[:, 0] += row_off  # rows are counted from the first chunk's
            profiles.append((table, part.profiles.systems))
        row_off += len(part.columns["line"])
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
    sig = np.concatenate(signatures) if signatures else None
    col["short"] = np.array(short, dtype=object) if short else np.full(len(col["line"]), b"", dtype=object)
    fetch = _fetcher(source or file, settings, col["index"], col["offset"], memory)
    data = Dataset(file, settings, spec, col["line"], col["index"], col["format"], col["task"],
                   col["n_messages"], tok, exact, est, lambda rows: _recount(data, rows), col, sig, fetch,
                   {"records": records})  # records read, recognised or not (the volume rules)
    if plan.profiles and role == "train":
        from ftdata.style import Profiles

        profiles.append((np.zeros((0, 5), np.int64), np.zeros(0, np.int64)))  # so that none concatenates
        data.cache["profiles"] = Profiles.of(np.concatenate([t for t, _ in profiles]),
                                             np.concatenate([s for _, s in profiles]))
    levels = plan.fingerprints(False)
    if role == "train" and levels:  # duplicate clusters: the duplicate checks, the volume verdict
        from ftdata.similarity import clusters

        data.cache["clusters"] = clusters(data, settings.near_threshold, near="near" in levels)
    elif role == "train" and plan.fingerprints(bool(settings.eval)):  # fingerprinted for the leakage rules
        # (an evaluation set's rows matched by normalised text are re-hashed by the leakage rules themselves)
        from ftdata.similarity import settle_exact

        settle_exact(data)  # clusters does it too
    for check, values in zip(plan.dataset if role == "train" else (), collected):
        findings.extend(check.finish(values, data))
    findings = plugins.settle(redact.findings(findings))  # the one masking step: see ftdata.redact
    findings.sort(key=Finding.sort_key)
    findings = reseverity(findings, plan.severity)
    st = redact.stats({"role": role, **stats_mod.compute(data, records, (alpha, beta), n_exact, role)})
    return FileResult(file, records, data.n, findings, st, data)


def _fetcher(file: str, settings: Settings, indices: np.ndarray, offsets: np.ndarray,
             memory: list[Any] | None) -> Callable[[np.ndarray], dict[int, Record]]:
    """Re-read given rows' records: from memory, by byte offset (plain JSON Lines), or by a
    sequential read of the file (for stdin, its spooled copy while it exists; else nothing)."""
    from ftdata import formats
    from ftdata.records import Rereader, make_record, values_at_offsets

    forced = formats.by_name(settings.input_format) if settings.input_format else None
    reread = Rereader(file)

    def fetch(rows: np.ndarray) -> dict[int, Record]:
        by_index = {int(indices[r]): int(r) for r in rows}
        if not by_index:
            return {}
        if memory is not None:
            values: Iterable[tuple[int, Any]] = ((i, memory[i]) for i in sorted(by_index))
        elif not os.path.isfile(file):
            return {}
        elif all(offsets[r] >= 0 for r in by_index.values()):
            values = values_at_offsets(file, [(i, int(offsets[r])) for i, r in by_index.items()])
        else:
            values = reread.values(set(by_index))
        out: dict[int, Record] = {}
        for index, obj in values:
            fmt = forced or formats.detect(obj)
            if fmt is not None and isinstance(obj, dict):
                out[by_index[index]] = make_record(fmt, obj, file, None, index)
        return out

    return fetch


def _recount(data: Dataset, rows: np.ndarray) -> None:
    """Count the given rows exactly, re-reading their records where the source allows."""
    rows = np.asarray([r for r in rows if not data.tokens_exact[r]], np.int64)
    enc = tokens.encoding(data.spec.encoding) if len(rows) else None
    for r, rec in data.fetch(rows).items():
        data.tokens[r] = tokens.count_record(enc, rec)
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
