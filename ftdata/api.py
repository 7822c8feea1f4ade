"""The library's entry: `lint()` and `load()`, what `import ftdata` gives a notebook.

`lint()` behaves as `ftdata lint` does in the working directory: it reads the nearest
configuration (ftdata.toml, .ftdata.toml, pyproject.toml [tool.ftdata]), applies the baseline and
the record-id ignores, and collapses conventions; `isolated=True` skips the configuration as
--isolated does, `no_baseline=True` the baseline, and `settings=` replaces the configuration's settings.
"""
from __future__ import annotations

import math
import os
from typing import Any, Iterable

import numpy as np
import orjson

from ftdata.config import Settings
from ftdata.records import records
from ftdata.report.base import Report


def lint(source: Any, *, settings: Settings | None = None, exit_zero: bool = False, collapse: bool = True,
         isolated: bool = False, config: str | None = None, baseline: str | None = None, no_baseline: bool = False,
         **options: Any) -> Report:
    """Lint a path (or paths), a list of record dicts, or a DataFrame; returns a Report.

    Keyword options are Settings fields: model, max_tokens, input_format, select, ignore,
    severity, checks, jobs, volume (a dict or VolumeSettings), eval (evaluation files checked for
    leakage), and profile (a provider profile, applied below the other options). As the CLI does,
    the nearest configuration file of the working directory (or `config`, a path) is read below
    the options, and its baseline (or `baseline`, a path; by default ftdata-baseline.json in the
    project root when it exists) and record-id ignores apply. `isolated=True` reads no
    configuration file (the CLI's --isolated), `no_baseline=True` no baseline (--no-baseline), and
    `settings=` is used as given instead of the configuration's settings (the suppressions still apply).
    `collapse=False` reports one finding per record even where (nearly) every record shares the
    cause (see ftdata.collapse; the CLI's --no-collapse). Raises ValueError with one sentence for
    a bad configuration, option or baseline.
    """
    from ftdata import configfile, engine
    from ftdata.collapse import collapse as collapsed
    from ftdata.suppressions import Suppressions

    try:
        loaded = configfile.load(config, isolated)
        if settings is None:
            settings = configfile.make_settings(loaded, _as_layer(options)) if loaded.path or "profile" in options \
                else Settings(**options)
    except configfile.ConfigError as e:
        raise ValueError(str(e)) from None
    suppress = Suppressions.of(loaded, baseline, no_baseline)

    def report(results: list[Any]) -> Report:
        kept, suppressed = suppress.apply(results, settings)
        return Report(collapsed(kept) if collapse else kept, exit_zero=exit_zero, suppressed=suppressed)

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


def _as_layer(options: dict[str, Any]) -> dict[str, Any]:
    """Options as a configuration layer: plain values (a VolumeSettings as its dict)."""
    return {k: v.model_dump() if hasattr(v, "model_dump") else v for k, v in options.items()}


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
