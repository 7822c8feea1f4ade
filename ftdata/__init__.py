"""ftdata: lint and curate LLM fine-tuning data. The notebook API is the CLI's API.

    import ftdata
    report = ftdata.lint("train.jsonl", model="gpt-4o-mini")
    report.verdict, report.to_pandas()
    df = ftdata.load("train.jsonl")
"""
from __future__ import annotations

import math
import os
from typing import Any, Iterable

import numpy as np
import orjson

from ftdata._version import __version__

from ftdata.config import Settings, VolumeSettings
from ftdata.model import Finding, Message, Record, Severity
from ftdata.records import records
from ftdata.report.base import Report

__all__ = ["Finding", "Message", "Record", "Report", "Settings", "Severity", "VolumeSettings", "__version__",
           "lint", "load", "records"]


def lint(source: Any, *, settings: Settings | None = None, exit_zero: bool = False, collapse: bool = True,
         **options: Any) -> Report:
    """Lint a path (or paths), a list of record dicts, or a DataFrame; returns a Report.

    Keyword options are Settings fields: model, max_tokens, input_format, select, ignore,
    severity, checks, jobs, volume (a dict or VolumeSettings), eval (evaluation files checked for
    leakage), and profile (a provider profile, applied below the other options). Configuration
    files are not read: pass `settings=ftdata.configfile.make_settings(ftdata.configfile.load(), {})`
    for the project's. `collapse=False` reports one finding per record even where (nearly) every
    record shares the cause (see ftdata.collapse; the CLI's --no-collapse).
    """
    from ftdata import configfile, engine
    from ftdata.collapse import collapse as collapsed

    if settings is None:
        settings = configfile.make_settings(configfile.Loaded(), options) if "profile" in options \
            else Settings(**options)

    def report(results: list[Any]) -> Report:
        return Report(collapsed(results) if collapse else results, exit_zero=exit_zero)

    if isinstance(source, (str, os.PathLike)):
        return report(engine.lint_paths([os.fspath(source)], settings))
    if isinstance(source, (list, tuple)) and source and all(isinstance(s, (str, os.PathLike)) for s in source):
        return report(engine.lint_paths([os.fspath(p) for p in source], settings))
    if _is_dataframe(source):
        results = [engine.lint_values(_frame_values(source), settings, "<dataframe>")]
    elif isinstance(source, Iterable):
        results = [engine.lint_values(((i + 1, _plain(r)) for i, r in enumerate(source)), settings, "<records>")]
    else:
        raise TypeError(f"cannot lint a {type(source).__name__}; pass a path, a list of dicts or a DataFrame")
    return report(engine.lint_evals(results, settings))


def load(path: str | os.PathLike[str], model: str | None = None, input_format: str | None = None) -> Any:
    """A DataFrame with one row per recognised record: provenance, format, the normalised
    conversation and exact per-turn character and token counts."""
    import pandas as pd

    from ftdata import tokens

    spec = Settings(model=model or tokens.DEFAULT_MODEL).spec()
    enc = tokens.encoding(spec.encoding)
    rows = []
    for r in records(os.fspath(path), input_format):
        turn_tokens = [len(enc.encode_ordinary(m.content)) for m in r.messages]
        rows.append({
            "file": r.file, "line": r.line, "record_index": r.index, "format": r.format, "task": r.task,
            "messages": [{"role": m.role, "content": m.content} for m in r.messages],
            "rejected": None if r.rejected is None else [{"role": m.role, "content": m.content} for m in r.rejected],
            "n_turns": len(r.messages),
            "turn_chars": [len(m.content) for m in r.messages],
            "turn_tokens": turn_tokens,
            "tokens": tokens.count_record(enc, r),
        })
    return pd.DataFrame(rows, columns=["file", "line", "record_index", "format", "task", "messages", "rejected",
                                       "n_turns", "turn_chars", "turn_tokens", "tokens"])


def _is_dataframe(obj: Any) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "to_dict")


def _frame_values(df: Any) -> Iterable[tuple[int, dict[str, Any]]]:
    """Rows as records. A frame from ftdata.load is re-linted as its normalised conversations."""
    if {"messages", "line"} <= set(df.columns):
        for i, row in enumerate(df.itertuples(index=False)):
            line = int(row.line) if isinstance(row.line, (int, np.integer)) else i + 1
            yield line, _plain({"messages": row.messages})
        return
    for i, row in enumerate(df.to_dict("records")):
        yield i + 1, _plain({k: v for k, v in row.items() if not _missing(v)})


def _plain(record: Any) -> Any:
    """The record as plain JSON values, as a file would give it: numpy arrays and scalars (from
    parquet or Hugging Face frames), tuples and the like become lists, numbers and strings."""
    try:
        return orjson.loads(orjson.dumps(record, option=orjson.OPT_SERIALIZE_NUMPY, default=_jsonable))
    except (TypeError, ValueError):
        return record  # not representable as JSON: linted as given, the schema reports it


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy arrays of objects, numpy scalars, pandas arrays
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def _missing(v: Any) -> bool:
    """pandas fills absent keys with NaN/None: treat those as absent, not as values."""
    return v is None or (isinstance(v, (float, np.floating)) and math.isnan(v)) \
        or type(v).__name__ in ("NAType", "NaTType")
