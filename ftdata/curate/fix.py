"""`ftdata lint --fix -o OUT`: safe fixes, written to a new file; the input is never modified.

A safe fix changes no meaning: a byte-order mark at the start of the file is dropped; in the
raw strings behind a turn (a field, or the text parts of a content list) control characters are
removed (see checks/content/_chars.py), surrounding whitespace is trimmed, and an empty-input
marker ("<noinput>", "No input.") in a field that may be empty (Alpaca's `input`, a system
prompt) becomes "". Whitespace stays where it is syntax: HH-RLHF transcripts, plain text, the
string form of prompt/completion/chosen/rejected, which trainers join without a template
(" blue." after "The sky is"), and the indentation of a multi-line turn's first line (code).
No fix empties a field that had text, except a marker whose removal leaves every turn in place.

JSON Lines keep every line that needs no fix byte for byte (blank lines and lines that are not
JSON included: they are lint's to report); a fixed record is re-serialised with orjson (key
order and non-ASCII text kept). A JSON array is written back as an array, indented by two; one
cut short cannot be written back whole and is refused. The output is gzipped when its name ends
in .gz, and written atomically (see atomic.py).
"""
from __future__ import annotations

import json
import os
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

import orjson

from ftdata import formats
from ftdata.checks.content._chars import strip_control
from ftdata.checks.content._text import fields
from ftdata.checks.content.empty_input_marker import OPTIONAL, marker
from ftdata.curate.atomic import atomic_writer
from ftdata.formats.base import Format
from ftdata.io import BOM, ReadProblem, container_of, iter_json_values, open_binary
from ftdata.model import Message, Record
from ftdata.records import jsonl_lines, make_record

CONTROL, WHITESPACE, MARKER = "control", "whitespace", "marker"
KINDS = (CONTROL, WHITESPACE, MARKER)
EXAMPLES = 100  # fixed records whose changes a summary keeps
_VERBATIM = frozenset({"hh-rlhf", "text"})  # formats whose text is trained on as it stands
_CONCATENATED = frozenset({"prompt-completion", "prompt-only", "preference", "kto"})  # when a side is a string
_NOT_TEXT = re.compile("image|audio|video|file|tool|function|call|url|data")  # a content part's type


class RecordFix(NamedTuple):
    record_index: int  # numbered as lint numbers records
    line: int
    values: tuple[tuple[str, tuple[str, ...]], ...]  # (JSON pointer, kinds) of each fixed value


@dataclass(slots=True)
class FixSummary:
    """What a fix run changed. Bounded memory: every fixed record by index, what changed in each
    for the first EXAMPLES of them, and the counts."""

    output: str
    records: int = 0
    fixed: array[int] = field(default_factory=lambda: array("q"))  # record index of each fixed record
    values: int = 0  # values changed
    kinds: Counter[str] = field(default_factory=Counter)  # values each kind of fix changed (a value can have several)
    bom: bool = False  # a byte-order mark was removed
    examples: list[RecordFix] = field(default_factory=list)  # the first EXAMPLES fixed records

    def add(self, fix: RecordFix) -> None:
        self.fixed.append(fix.record_index)
        self.values += len(fix.values)
        self.kinds.update(kind for _, kinds in fix.values for kind in kinds)
        if len(self.examples) < EXAMPLES:
            self.examples.append(fix)

    def describe(self) -> str:
        """One line: "fixed 12 values in 9 records (3 with control characters, ...)"."""
        counts = self.kinds
        words = {CONTROL: "with control characters", WHITESPACE: "with surrounding whitespace",
                 MARKER: "empty-input marker"}
        detail = ", ".join(f"{counts[k]:,} {words[k]}{'s' if k == MARKER and counts[k] > 1 else ''}"
                           for k in KINDS if counts[k])
        parts = [f"fixed {self.values:,} value{'s' * (self.values != 1)} in {len(self.fixed):,} "
                 f"record{'s' * (len(self.fixed) != 1)} ({detail})"] if self.fixed else []
        parts += ["removed the byte-order mark"] if self.bom else []
        return " and ".join(parts) or f"nothing to fix in {self.records:,} records"


def check_output(path: str, output: str) -> None:
    """Raise ValueError unless `output` can be written without touching the input `path`."""
    if output == "-":
        raise ValueError("the fixed data is written to a file: give a path, not '-'")
    if path != "-" and _same(path, output):
        raise ValueError(f"refusing to overwrite the input: output {output!r} is the input file {path!r}")
    if os.path.isdir(output):
        raise ValueError(f"cannot write {output!r}: it is a directory")
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise ValueError(f"cannot write {output!r}: the folder {folder!r} does not exist")


def fix_file(path: str, output: str, input_format: str | None = None) -> FixSummary:
    """Write `path` with safe fixes applied to `output`; see the module docstring. Reads the input
    once ("-" is stdin). Raises ValueError for an unusable request (output equal to the input, a
    JSON array that cannot be read to its end) and OSError for unreadable input."""
    check_output(path, output)
    forced = formats.by_name(input_format) if input_format else None
    summary = FixSummary(output)
    stream = open_binary(path)
    try:
        with atomic_writer(output) as out:
            (_fix_json if container_of(stream, path) == "json" else _fix_jsonl)(stream, out, path, forced, summary)
    finally:
        if path != "-":
            stream.close()
    return summary


def _fix_jsonl(stream: IO[bytes], out: IO[bytes], path: str, forced: Format | None, summary: FixSummary) -> None:
    summary.bom = stream.peek(len(BOM))[:len(BOM)] == BOM  # type: ignore[attr-defined]
    for line, index, raw in jsonl_lines(stream):  # without the byte-order mark
        if index is None:
            out.write(raw)
            continue
        summary.records += 1
        body = raw.rstrip(b"\r\n")
        loaded = _load(body)
        if loaded is None:
            out.write(raw)
            continue
        value, exact = loaded
        values = _fix_object(value, forced, path, line, index)
        if values:
            summary.add(RecordFix(index, line, values))
        out.write(_dumps(value, exact) + raw[len(body):] if values else raw)  # the line's own ending


def _fix_json(stream: IO[bytes], out: IO[bytes], path: str, forced: Format | None, summary: FixSummary) -> None:
    """A JSON array element by element; a file of several top-level values (pretty-printed
    objects one after another) is written back as such."""
    head = stream.peek(1 << 16)  # type: ignore[attr-defined]
    in_array = (head[len(BOM):] if head.startswith(BOM) else head).lstrip().startswith(b"[")
    out.write(b"[" if in_array else b"")
    for item in iter_json_values(stream):
        if isinstance(item, ReadProblem):
            summary.bom = summary.bom or item.kind == "bom"
            if item.kind in ("invalid-json", "invalid-utf8"):  # writing back would lose or change data
                raise ValueError(f"cannot fix {path!r}: line {item.line} is not valid "
                                 f"{'JSON' if item.kind == 'invalid-json' else 'UTF-8'} ({item.detail}), "
                                 "so the file cannot be rewritten without losing data")
            continue
        line, value = item
        index = summary.records
        summary.records += 1
        values = _fix_object(value, forced, path, line, index)
        if values:
            summary.add(RecordFix(index, line, values))
        data = _dumps(value, exact=False, indent=True)
        out.write((b"\n  " if index == 0 else b",\n  ") + data.replace(b"\n", b"\n  ") if in_array else data + b"\n")
    out.write((b"\n]\n" if summary.records else b"]\n") if in_array else b"")


def _fix_object(obj: Any, forced: Format | None, path: str, line: int,
                index: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Fix one raw record in place; the (pointer, kinds) of each value changed."""
    fmt = forced or formats.detect(obj)
    if fmt is None or type(obj) is not dict:
        return ()
    record = make_record(fmt, obj, path, line, index)
    seen: set[str] = set()
    edits: list[tuple[Any, Any, str, str, tuple[str, ...]]] = []
    for m in record.messages + (record.rejected or ()):  # a prompt shared by chosen and rejected: once
        for pointer, text in fields(record, m):
            if pointer in seen:
                continue
            seen.add(pointer)
            for parent, key, where, whole in _strings(obj, pointer, text):
                new, kinds = _fix_text(parent[key], trim=whole and _trimmable(record, m))
                if whole and where in OPTIONAL and marker(new, m.role, True) is not None \
                        and _may_empty(fmt, obj, record, parent, key):
                    new, kinds = "", kinds + (MARKER,)
                if kinds:
                    edits.append((parent, key, new, where, kinds))
    for parent, key, new, _, _ in edits:
        parent[key] = new
    return tuple((pointer, kinds) for _, _, _, pointer, kinds in edits)


def _strings(obj: Any, pointer: str, text: str) -> list[tuple[Any, Any, str, bool]]:
    """The raw strings behind a turn's text, as (container, key, pointer, whole): a string field,
    or the text parts of a content list (OpenAI, Bedrock, Vertex, LLaMA-Factory v1) when the turn
    is exactly those parts joined by newlines. `whole`: the string is all of the turn's text (an
    HH-RLHF transcript field holds several turns; a turn may have several text parts)."""
    parent, key = _locate(obj, pointer)
    value = parent[key] if parent is not None else None
    if type(value) is str:
        return [(parent, key, pointer, value == text)]
    if type(value) is not list:  # a missing field, a value of the wrong type: left alone
        return []
    found: list[tuple[Any, Any, str, bool]] = []
    for i, part in enumerate(value):
        if type(part) is str:
            found.append((value, i, f"{pointer}/{i}", False))
        elif type(part) is dict and not _NOT_TEXT.search(str(part.get("type", ""))):
            k = "text" if type(part.get("text")) is str else "value" if type(part.get("value")) is str else None
            if k:
                found.append((part, k, f"{pointer}/{i}/{k}", False))
    if "\n".join(p[k] for p, k, _, _ in found) != text:  # not the parts the format reads: left alone
        return []
    return [(p, k, where, len(found) == 1) for p, k, where, _ in found]


def _fix_text(text: str, trim: bool) -> tuple[str, tuple[str, ...]]:
    kinds: list[str] = []
    clean = strip_control(text)
    if clean != text and clean.strip():  # a field of control characters alone: another rule's to report
        text = clean
        kinds.append(CONTROL)
    if trim:
        trimmed = _trim(text)
        if trimmed and trimmed != text:  # whitespace only: empty-turn reports it
            text = trimmed
            kinds.append(WHITESPACE)
    return text, tuple(kinds)


def _trim(text: str) -> str:
    """The text without surrounding whitespace, except the indentation of a first line followed by
    others: in code ("    x = 1\n    y = 2") it is syntax, so only blank lines before it go."""
    body = text.rstrip()
    lead = len(body) - len(body.lstrip())
    if "\n" in body[lead:]:
        lead = body.rfind("\n", 0, lead) + 1
    return body[lead:]


def _trimmable(record: Record, m: Message) -> bool:
    """Is a turn's surrounding whitespace noise rather than syntax?"""
    return record.format not in _VERBATIM and not (record.format in _CONCATENATED and not m.content_key)


def _may_empty(fmt: Format, obj: dict[str, Any], record: Record, parent: Any, key: Any) -> bool:
    """Would emptying the field leave every turn but a system prompt in place, none of them empty?
    (Alpaca's `input` on its own is the user turn; Bedrock keeps an empty system turn.)"""
    old, parent[key] = parent[key], ""
    try:
        after = fmt.normalise(obj)
    finally:
        parent[key] = old
    return _shape(after.messages, after.rejected) == _shape(record.messages, record.rejected)


def _shape(messages: tuple[Message, ...], rejected: tuple[Message, ...] | None) -> tuple[Any, ...]:
    turns = messages + (rejected or ())
    return tuple(m.role for m in turns if m.role != "system"), sum(1 for m in turns if not m.content.strip())


def _locate(obj: Any, pointer: str) -> tuple[Any, Any]:
    """The container and key (or list index) a JSON pointer names, or (None, None)."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")] if pointer else []
    if not tokens:
        return None, None
    node = obj
    for i, token in enumerate(tokens):
        key: Any = token
        if type(node) is list:
            if not token.isdigit() or int(token) >= len(node):
                return None, None
            key = int(token)
        elif type(node) is not dict or token not in node:
            return None, None
        if i == len(tokens) - 1:
            return node, key
        node = node[key]
    return None, None


def _load(body: bytes) -> tuple[Any, bool] | None:
    """(value, parsed by orjson) of a line; None when it is not JSON or not UTF-8 (copied as is).
    Lenient JSON (NaN, lone surrogates, huge integers) is parsed, and later written, by json."""
    try:
        return orjson.loads(body), True
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(body.decode("utf-8")), False
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


def _dumps(value: Any, exact: bool, indent: bool = False) -> bytes:
    """JSON of a value, as orjson writes it when that round-trips (it writes NaN as null and
    refuses lone surrogates and integers beyond 64 bits), else as json writes it."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0)
        if exact or orjson.loads(data) == value:
            return data
    except (TypeError, ValueError):  # orjson.JSONEncodeError and JSONDecodeError are both
        pass
    layout: dict[str, Any] = {"indent": 2} if indent else {"separators": (",", ":")}
    try:
        return json.dumps(value, ensure_ascii=False, **layout).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only escaped can it be written
        return json.dumps(value, **layout).encode("ascii")


def _same(a: str, b: str) -> bool:
    try:
        return os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)

