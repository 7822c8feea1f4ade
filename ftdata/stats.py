"""Dataset statistics for every report: size, shape, tokens, cost, and the size to aim for."""
from __future__ import annotations

from typing import Any

import numpy as np

from ftdata import tokens
from ftdata.checks.base import Dataset
from ftdata.model import PREFERENCE, UNPAIRED


def compute(data: Dataset, records: int, ratio: tuple[float, float], n_sampled: int,
            role: str = "train") -> dict[str, Any]:
    """`n_sampled`: rows counted exactly during the scan, on which `ratio` was fitted. An evaluation
    set (`role` "eval") is not trained on: it gets no training cost and no recommended size."""
    spec = data.spec
    n = data.n
    tok = np.sort(data.tokens.astype(np.int64))
    n_exact = int(data.tokens_exact.sum())
    msgs = data.n_messages
    stats: dict[str, Any] = {
        "file": data.file,
        "records": records,
        "examples": n,
        "formats": data.format_counts(),
        "turns": {"total": int(msgs.sum()), "mean": round(float(msgs.mean()), 2) if n else 0,
                  "max": int(msgs.max()) if n else 0},
        "tokens": {
            "model": spec.name, "encoding": spec.encoding, "limit": spec.limit, "limit_source": spec.source,
            "min": int(tok[0]) if n else 0, "median": int(np.median(tok)) if n else 0,
            "p95": tokens.percentile(tok, 95), "max": int(tok[-1]) if n else 0, "total": int(tok.sum()),
            "over_limit": int((tok > spec.limit).sum()),
            "exact": n_exact == n,
            "method": ("exact (every example counted)" if n_exact == n else
                       f"estimated: {n_exact:,} examples counted exactly (every one that could exceed the "
                       f"limit among them), the rest from characters at {ratio[0]:.3f} tokens/char + "
                       f"{ratio[1]:.3f} per extra UTF-8 byte, "
                       + (f"fitted on {n_sampled:,} exactly counted examples" if n_sampled else
                          "a default ratio (no example was counted exactly)")),
        },
    }
    if role == "train":
        epochs = tokens.epochs(n)
        billed = int(np.minimum(tok, spec.limit).sum()) * epochs
        stats["training"] = {"epochs": epochs, "billed_tokens": billed,
                             "note": "OpenAI cookbook heuristic: default 3 epochs, fewer for large sets; "
                                     "billed = sum(min(limit, tokens)) x epochs"}
        stats["volume"] = recommend(data)
    if data.cache.get("labels") is not None:
        stats["labels"] = data.cache["labels"].table()
    if data.cache.get("style") is not None:
        stats["style"] = style(data)
    return stats


def style(data: Dataset) -> dict[str, Any]:
    """The style profile the style rules computed, with the modes of a mixture if one was found."""
    table: dict[str, Any] = data.cache["style"].table()
    if data.cache.get("style_modes"):
        table["modes"] = data.cache["style_modes"]
    return table


def recommend(data: Dataset) -> dict[str, Any]:
    """The kind of task the data looks like, and the size usually needed for it."""
    n = data.n
    labels = data.labels()
    v = data.settings.volume
    tasks = data.task_counts()
    mean_turns = float(data.n_messages.mean()) if n else 0.0
    if labels:
        kind, rec = f"classification ({labels} labels)", max(v.recommended, 50 * labels)
        why = "classifiers need about 50 or more examples per label"
    elif tasks and next(iter(tasks)) in (PREFERENCE, UNPAIRED):
        kind, rec, why = "preference", 500, "preference tuning needs hundreds to thousands of pairs"
    elif mean_turns > 4:
        kind, rec, why = "multi-turn chat", 1000, "complex multi-turn behaviour needs thousands of examples"
    else:
        kind, rec, why = "single-turn generation", max(v.recommended, 100), \
            "simple format or style changes: 50-100; complex tasks: hundreds to thousands"
    return {"examples": n, "distinct_examples": data.distinct, "task": kind, "recommended": rec, "why": why,
            "provider_minimum": v.provider_minimum, "minimum": v.minimum}
