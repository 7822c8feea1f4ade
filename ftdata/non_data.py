"""Inputs that are clearly not datasets: a `.json` file holding one JSON object that no format
reads, JSON with comments, or an array of plain values (strings, numbers) without one record.

`ftdata lint *.json` and the pre-commit hook (whose pattern takes every `.json` file) meet
package.json, tsconfig.json, LLaMA-Factory's dataset_info.json or a dict of splits such as
clinc150's `{"train": [[text, intent], ...], ...}`. Linting one as a single record of unknown
format fails the run with errors about a file nobody meant as training data. Only the file's
name and content decide: an array holding any object or array, an empty array, JSON Lines, a
sequence of objects, a single object a format recognises (one record, as before), a file that
breaks off, anything named .jsonl and standard input are datasets (linted, findings and all);
so is every file when --input-format names the format.
"""
from __future__ import annotations

import os
import re
from itertools import islice
from typing import Any

from ftdata.io import READ_ERRORS, ReadProblem, iter_json_values, open_binary
from ftdata.model import plural

_COMMENT = re.compile(rb"^[ \t]*(//|/\*)", re.M)  # outside a string: JSON strings hold no raw newline


def reason(path: str, input_format: str | None = None) -> str | None:
    """What `path` is instead of a dataset ("a single JSON object ..."), or None when it may be one."""
    if input_format or path == "-" or not path.lower().endswith(".json") or not os.path.isfile(path):
        return None
    try:
        return _judge(path)
    except READ_ERRORS:  # unreadable (a broken gzip named .json): lint reports it
        return None


def _judge(path: str) -> str | None:
    with open_binary(path) as stream:
        head = bytes(stream.peek(1 << 16)).lstrip(b"\xef\xbb\xbf \t\r\n")  # type: ignore[attr-defined]
        if head.startswith(b"["):
            return _scalars(stream)
        if not head.startswith((b"{", b"//", b"/*")):
            return None  # JSON Lines of non-objects, or nothing: linted as it is
        items = [i for i in islice(iter_json_values(stream), 3) if not (isinstance(i, ReadProblem) and i.kind == "bom")]
    if not items or isinstance(items[0], ReadProblem):
        return "JSON with comments, such as a configuration" if _COMMENT.search(head) else None
    if len(items) > 1 or not isinstance(items[0][1], dict):
        return None  # a sequence of values: records, however broken
    obj: dict[str, Any] = items[0][1]
    from ftdata import formats

    if formats.detect(obj) is not None:
        return None  # one record of a known format, linted as before
    return describe(obj)


def _scalars(stream: Any) -> str | None:
    """"a JSON array of 77 strings ..." when the array holds no object or array at all (a label list);
    None as soon as an element could be a record, or the array is broken or empty."""
    kinds: dict[str, int] = {}
    for item in iter_json_values(stream):
        if isinstance(item, ReadProblem):
            if item.kind == "bom":
                continue
            return None
        value = item[1]
        if isinstance(value, (dict, list)):
            return None
        kind = "string" if isinstance(value, str) else "null" if value is None else \
            "boolean" if isinstance(value, bool) else "number"
        kinds[kind] = kinds.get(kind, 0) + 1
    if not kinds:
        return None
    what = " and ".join(plural(n, k) if k != "null" else f"{n:,} null" for k, n in kinds.items())
    return f"a JSON array of {what} and no record, such as a list of labels"


def describe(obj: dict[str, Any]) -> str:
    """What a lone object in no record format looks like: splits, an envelope of records, or a configuration."""
    keys = [str(k) for k in obj]
    shown = ", ".join(keys[:6]) + (f" and {len(keys) - 6} more" if len(keys) > 6 else "")
    arrays = [k for k, v in obj.items() if isinstance(v, list) and v]
    if obj and len(arrays) == len(obj):
        return (f"a JSON object of {plural(len(arrays), 'array')} ({shown}), such as splits; write each as its own "
                "JSON Lines file")
    nested = [k for k in arrays if all(isinstance(v, dict) for v in obj[k][:20])]
    if nested:  # {"version": "1.0", "data": [{...}, ...]}: records wrapped in an envelope
        key = nested[0]
        path = f".{key}" if key.isidentifier() else f'.["{key}"]'
        return (f"a JSON object whose {key!r} holds {plural(len(obj[key]), 'object')} (keys: {shown}); "
                f"if they are the records, write them as JSON Lines (jq -c '{path}[]')")
    return (f"a single JSON object in no record format (keys: {shown or 'none'}), such as a configuration; "
            "--input-format NAME would lint it as one record")
