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
order and non-ASCII text kept). A JSON array keeps every element that needs no fix byte for byte,
and the bytes between elements; a fixed element is re-serialised in its place, indented as it
was (by its own first level, from where it starts). An array cut short, or with invalid UTF-8,
cannot be written back whole and is refused. The output is gzipped when its name ends
in .gz, and written atomically (see atomic.py): a file appears whole or not at all, a device or
FIFO is written in place, "-" is standard output.
"""
from __future__ import annotations

import json
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any, Iterator, NamedTuple

import orjson

from ftdata import formats
from ftdata.checks.content._chars import strip_control
from ftdata.checks.content._text import fields
from ftdata.checks.content.empty_input_marker import OPTIONAL, marker
from ftdata.checks.format._util import resolve
from ftdata.curate.atomic import Output, WriteError, atomic_outputs, check_target
from ftdata.curate.pieces import Piece, json_pieces
from ftdata.formats.base import Format
from ftdata.io import BOM, READ_ERRORS, container_of, open_binary
from ftdata.model import Message, Record
from ftdata.records import jsonl_lines, make_record

CONTROL, WHITESPACE, MARKER = "control", "whitespace", "marker"
KINDS = (CONTROL, WHITESPACE, MARKER)
_WORDS = {CONTROL: "with control characters", WHITESPACE: "with surrounding whitespace",
          MARKER: "empty-input marker"}
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
        parts = []
        if self.fixed:
            n, fixed, kinds = self.values, len(self.fixed), self.kinds
            detail = ", ".join(f"{kinds[k]:,} {_WORDS[k]}{'s' * (k == MARKER and kinds[k] > 1)}"
                               for k in KINDS if kinds[k])
            parts.append(f"fixed {n:,} value{'s' * (n != 1)} in {fixed:,} record{'s' * (fixed != 1)} ({detail})")
        if self.bom:
            parts.append("removed the byte-order mark")
        return " and ".join(parts) or f"nothing to fix in {self.records:,} record{'s' * (self.records != 1)}"


def check_output(path: str, output: str) -> None:
    """Raise ValueError unless `output` ("-": standard output) can be written without touching the
    input `path`."""
    if output == "":
        raise ValueError("the fixed data needs a place: give a path, not ''")
    check_target(output, (path,))


def fix_file(path: str, output: str, input_format: str | None = None) -> FixSummary:
    """Write `path` with safe fixes applied to `output`; see the module docstring. Reads the input
    once ("-" is stdin). Raises ValueError for an unusable request (output equal to the input, a
    JSON array that cannot be read to its end) and OSError for unreadable input."""
    check_output(path, output)
    forced = formats.by_name(input_format) if input_format else None
    summary = FixSummary(output)
    try:
        stream = open_binary(path)
    except READ_ERRORS as e:
        raise _unreadable(path, e) from None
    try:
        with atomic_outputs(output) as (out,):
            try:
                (_fix_json if container_of(stream, path) == "json" else _fix_jsonl)(stream, out, path, forced, summary)
            except (WriteError, BrokenPipeError):
                raise
            except READ_ERRORS as e:
                raise _unreadable(path, e) from None
    finally:
        if path != "-":
            stream.close()
    return summary


def _unreadable(path: str, e: BaseException) -> OSError:
    from ftdata.engine import Unreadable

    return Unreadable(path, getattr(e, "strerror", None) or str(e) or type(e).__name__)


def _fix_jsonl(stream: IO[bytes], out: Output, path: str, forced: Format | None, summary: FixSummary) -> None:
    summary.bom = stream.peek(len(BOM))[:len(BOM)] == BOM  # type: ignore[attr-defined]
    for line, index, raw in jsonl_lines(stream):  # without the byte-order mark
        if index is not None:
            summary.records += 1
            body = raw.rstrip(b"\r\n")
            loaded = _load(body)  # None: not JSON, copied as it is
            if loaded is not None and _fix_record(loaded[0], forced, path, line, index, summary):
                raw = _dumps(*loaded) + raw[len(body):]  # the line's own ending
        out.write(raw)


def _fix_json(stream: IO[bytes], out: Output, path: str, forced: Format | None, summary: FixSummary) -> None:
    """A JSON array (or values one after another, pretty-printed objects) element by element: an
    element that needs no fix keeps its bytes, and so does everything between elements; a fixed
    one is re-serialised where it stood, indented by two from its own indentation (on one line
    when it was on one line)."""
    for piece in _pieces(stream, path):
        gap = piece.gap
        if summary.records == 0 and gap.startswith(BOM):
            summary.bom, gap = True, gap[len(BOM):]
        if piece.value is None:  # `]` and what follows
            out.write(gap)
            return
        loaded = _load(piece.value)
        if loaded is None:  # JSON by its structure, so: not UTF-8, or nested too deeply to rewrite
            try:
                piece.value.decode("utf-8")
                why = "JSON (nested too deeply to be rewritten)"
            except UnicodeDecodeError as e:
                why = f"UTF-8 (invalid UTF-8 byte {piece.value[e.start]:#04x})"
            raise ValueError(f"cannot fix {path!r}: line {piece.line} is not valid {why}, so the file cannot be "
                             "rewritten without losing data")
        index = summary.records
        summary.records += 1
        raw = piece.value
        if _fix_record(loaded[0], forced, path, piece.line, index, summary):
            if b"\n" in raw:  # pretty-printed: as the element was, from where it starts
                base = _indentation(gap)
                raw = _dumps(loaded[0], exact=False, indent=_unit(raw, base)).replace(b"\n", b"\n" + base)
            else:
                raw = _dumps(loaded[0], exact=False)
        out.write(gap + raw)


def _indentation(gap: bytes) -> bytes:
    """The spaces or tabs an element starts after on its line, when it starts a line."""
    if b"\n" not in gap:
        return b""
    last = gap[gap.rfind(b"\n") + 1:]
    return last[:len(last) - len(last.lstrip(b" \t"))]


def _unit(raw: bytes, base: bytes) -> str:
    """The indentation of one level inside a pretty-printed element (its second line's, less the
    element's own): four spaces, a tab; two spaces when it cannot be told."""
    second = raw.split(b"\n", 2)[1]
    inner = second[:len(second) - len(second.lstrip(b" \t"))]
    unit = inner[len(base):] if inner.startswith(base) else b""
    return unit.decode("ascii") if unit and len(set(unit)) == 1 else "  "


def _pieces(stream: IO[bytes], path: str) -> Iterator[Piece]:
    try:
        yield from json_pieces(stream)
    except ValueError as e:  # a syntax error: what follows cannot be read, so it could not be written back
        raise ValueError(f"cannot fix {path!r}: {e}, so the file cannot be rewritten without losing data") from None


def _fix_record(obj: Any, forced: Format | None, path: str, line: int, index: int, summary: FixSummary) -> bool:
    """Fix one raw record in place and note it in `summary`; whether anything changed."""
    values = _fix_object(obj, forced, path, line, index)
    if values:
        summary.add(RecordFix(index, line, values))
    return bool(values)


def _fix_object(obj: Any, forced: Format | None, path: str, line: int,
                index: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Fix one raw record in place; the (pointer, kinds) of each value changed."""
    fmt = (forced or formats.detect(obj)) if type(obj) is dict else None
    if fmt is None:
        return ()
    record = make_record(fmt, obj, path, line, index)
    seen: set[str] = set()
    changed: list[tuple[str, tuple[str, ...]]] = []
    writes: list[tuple[Any, Any, str]] = []  # applied at the end: every decision is taken on the record as read
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
                    writes.append((parent, key, new))
                    changed.append((where, kinds))
    for parent, key, new in writes:
        parent[key] = new
    return tuple(changed)


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
    parts: list[tuple[Any, Any, str]] = []
    for i, part in enumerate(value):
        if type(part) is str:
            parts.append((value, i, f"{pointer}/{i}"))
        elif type(part) is dict and not _NOT_TEXT.search(str(part.get("type", ""))):
            k = next((k for k in ("text", "value") if type(part.get(k)) is str), None)
            if k:
                parts.append((part, k, f"{pointer}/{i}/{k}"))
    if "\n".join(p[k] for p, k, _ in parts) != text:  # not the parts the format reads: left alone
        return []
    return [(p, k, where, len(parts) == 1) for p, k, where in parts]


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
    head, slash, last = pointer.rpartition("/")
    parent, key = resolve(obj, head), last.replace("~1", "/").replace("~0", "~")
    if slash and type(parent) is dict and key in parent:
        return parent, key
    if slash and type(parent) is list and key.isdigit() and int(key) < len(parent):
        return parent, int(key)
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


def _dumps(value: Any, exact: bool, indent: bool | str = False) -> bytes:
    """JSON of a value, as orjson writes it when that round-trips (it writes NaN as null and
    refuses lone surrogates and integers beyond 64 bits), else as json writes it. `indent`: True
    or a string of spaces or tabs a level (orjson indents by two only; json any other way)."""
    if indent is True:
        indent = "  "
    if not indent or indent == "  ":  # compact (False or "") or two spaces: orjson's layouts
        try:
            data = orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0)
            if exact or orjson.loads(data) == value:
                return data
        except (TypeError, ValueError):  # orjson.JSONEncodeError and JSONDecodeError are both
            pass
    layout: dict[str, Any] = {"indent": indent} if indent else {"separators": (",", ":")}
    try:
        return json.dumps(value, ensure_ascii=False, **layout).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only escaped can it be written
        return json.dumps(value, **layout).encode("ascii")
