"""Streaming readers: turn a file into (line number, raw line) or (line number, value) items.

JSONL is read in binary and split on b"\\n" only, so U+2028/U+2029 inside strings never split
a record (str.splitlines() would). A `.json` file holding one array (LLaMA-Factory, Alpaca) is
decoded element by element with a growing window, so memory follows the largest record, not
the file.
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import sys
import zlib
from typing import IO, Any, Iterator, NamedTuple

GZIP_MAGIC = b"\x1f\x8b"
BOM = b"\xef\xbb\xbf"


class ReadProblem(NamedTuple):
    """Something wrong with the bytes themselves, found before any record exists."""

    kind: str  # a ReadRule kind: "invalid-json", "invalid-utf8", "bom", "blank-line", ...
    line: int
    detail: str
    column: int | None = None  # 1-based, in characters (Unicode code points), when known


# What reading a file can raise: OSError (missing, unreadable), EOFError and zlib.error (a gzip
# stream cut short or broken).
READ_ERRORS = (OSError, EOFError, zlib.error)


JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".jsonlines")


def open_binary(path: str) -> IO[bytes]:
    """Open a path, "-" for stdin, or a pipe for binary reading, gunzipping by magic bytes.
    Peeking (not seeking) keeps this working on streams that cannot seek."""
    raw: io.BufferedReader = sys.stdin.buffer if path == "-" else open(path, "rb")  # type: ignore[assignment]
    if raw.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw


def is_gzip(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


def gzip_size(path: str) -> int:
    """Uncompressed size of a gzip file from its trailer (exact below 4 GiB, the usual case)."""
    with open(path, "rb") as f:
        if f.seek(0, os.SEEK_END) < 18:  # shorter than a gzip header and trailer: broken
            return 0
        f.seek(-4, os.SEEK_END)
        return int.from_bytes(f.read(4), "little")


def container_of(stream: IO[bytes], path: str = "") -> str:
    """"json" when the first non-blank byte opens an array or a multi-line value, "jsonl"
    otherwise. A JSON Lines name is believed unless its first line is the opening of a value that
    goes on over several lines: a JSON array saved as .jsonl would otherwise be one invalid-json
    finding per line."""
    head = stream.peek(1 << 16) if hasattr(stream, "peek") else b""
    text = head[3:] if head.startswith(BOM) else head
    stripped = text.lstrip()
    first, newline, _ = stripped.partition(b"\n")
    first = first.strip()
    if path.lower().endswith(JSONL_SUFFIXES):
        # only a first line seen whole can be judged unfinished (peek may give a few KiB of a long one)
        whole = bool(newline)
        return "json" if first == b"{" or whole and first.startswith(b"[") and _opens_a_value(first) else "jsonl"
    if stripped.startswith(b"[") or first == b"{":  # an array, or a pretty-printed object
        return "json"
    return "jsonl"


def _opens_a_value(line: bytes) -> bool:
    """Is this first line only the start of a JSON value (`[`, `[{"a": 1,`), not a whole one?"""
    import orjson

    try:
        orjson.loads(line)
        return False
    except orjson.JSONDecodeError as e:  # its position counts characters, not bytes
        return e.pos >= len(line.decode("utf-8", "replace"))  # it ended early, rather than went wrong


def byte_ranges(path: str, target: int) -> list[tuple[int, int]]:
    """Split a plain file into ranges of about `target` bytes that end on a newline."""
    size = os.path.getsize(path)
    ranges: list[tuple[int, int]] = []
    start = 0
    with open(path, "rb") as f:
        while start < size:
            end = min(size, start + target)
            if end < size:
                f.seek(end)
                f.readline()
                end = f.tell()
            ranges.append((start, end))
            start = end
    return ranges


def iter_range(path: str, start: int, end: int) -> Iterator[bytes]:
    """Lines of one byte range of a plain file (each with its trailing newline)."""
    with open(path, "rb") as f:
        f.seek(start)
        pos = start
        for line in f:
            yield line
            pos += len(line)
            if pos >= end:
                break


def iter_blocks(stream: IO[bytes], target: int) -> Iterator[list[bytes]]:
    """Lists of whole lines of about `target` bytes from any stream (gzip, stdin)."""
    block: list[bytes] = []
    size = 0
    for line in stream:
        block.append(line)
        size += len(line)
        if size >= target:
            yield block
            block, size = [], 0
    if block:
        yield block


def iter_json_values(stream: IO[bytes], chunk: int = 1 << 20) -> Iterator[tuple[int, Any] | ReadProblem]:
    """Values of a top-level JSON array (or a sequence of JSON values), with start lines: (line,
    value) or ReadProblem; iter_json_located gives the start column too."""
    for item in iter_json_located(stream, chunk):
        yield item if isinstance(item, ReadProblem) else (item[0], item[1])


def iter_json_located(stream: IO[bytes], chunk: int = 1 << 20) -> Iterator[tuple[int, Any, int] | ReadProblem]:
    """Values of a top-level JSON array (or a sequence of JSON values), with where they start.

    Yields (line, value, column) or ReadProblem. Line and column are 1-based and point at the
    value's first character; the column counts characters (Unicode code points, a byte-order
    mark not included), so a minified array's records, all on line 1, are told apart. Both come
    from the positions the decoder already has: no second pass over the text.
    A syntax error inside the array cannot be resynchronised reliably, so it ends the file with
    one invalid-json problem at the line and column it occurred.
    """
    decoder = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="strict")
    buf = ""
    pos = 0
    line = 1  # line number of buf[pos]
    start = 0  # index in buf where that line starts (negative once the window moved past it)
    eof = False
    first = True

    def more() -> bool:
        nonlocal buf, pos, start, eof, first
        data = stream.read(chunk)
        if not data:
            eof = True
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                problems.append(ReadProblem("invalid-utf8", line + buf.count("\n", pos),
                                            "the file ends inside a UTF-8 character"))
            return False
        if first:
            first = False
            if data.startswith(BOM):
                problems.append(ReadProblem("bom", 1, "file starts with a UTF-8 byte-order mark"))
                data = data[3:]
        try:
            text = utf8.decode(data)
        except UnicodeDecodeError as e:
            bad_line = line + buf.count("\n", pos) + data[: e.start].count(b"\n")
            problems.append(ReadProblem("invalid-utf8", bad_line, f"invalid UTF-8 byte {data[e.start]:#04x}"))
            utf8.reset()
            text = data.decode("utf-8", errors="replace")
        buf = buf[pos:] + text
        start -= pos
        pos = 0
        return True

    problems: list[ReadProblem] = []

    def skip_ws() -> None:
        nonlocal pos, line, start
        n = len(buf)
        while True:
            while pos < n and buf[pos] in " \t\r\n":
                if buf[pos] == "\n":
                    line += 1
                    start = pos + 1
                pos += 1
            if pos < n or not more():
                return
            n = len(buf)

    def problem(detail: str, at: int) -> ReadProblem:
        """An invalid-json problem at buf[at] (at >= pos)."""
        newline = buf.rfind("\n", pos, at)
        return ReadProblem("invalid-json", line + buf.count("\n", pos, at), detail,
                           at - (start if newline < 0 else newline + 1) + 1)

    more()
    yield from _drain(problems)
    skip_ws()
    in_array = pos < len(buf) and buf[pos] == "["
    if in_array:
        pos += 1
    expect_value = True
    while True:
        skip_ws()
        yield from _drain(problems)
        if pos >= len(buf):
            if in_array:
                yield ReadProblem("invalid-json", line, "the JSON array is not closed (missing ']')")
            return
        ch = buf[pos]
        if in_array and ch == "]":
            pos += 1
            skip_ws()
            if pos < len(buf):
                yield problem("data after the end of the top-level JSON array (JSON Lines should be named .jsonl)",
                              pos)
            return
        if in_array and not expect_value:
            if ch != ",":
                yield problem(f"expected ',' or ']' between array elements, found {ch!r}", pos)
                return
            pos += 1
            expect_value = True
            continue
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as e:
                # more data helps only when the value may be cut by the window's end
                truncated = e.pos >= len(buf) - 1 or e.msg.startswith("Unterminated string")
                if truncated and not eof and more():
                    continue
                yield from _drain(problems)
                yield problem(e.msg, e.pos)
                return
            except (RecursionError, ValueError) as e:  # nesting too deep, integer too long
                yield problem(f"cannot be read: {e}", pos)
                return
        yield (line, value, pos - start + 1)
        newline = buf.rfind("\n", pos, end)
        if newline >= 0:
            line += buf.count("\n", pos, newline + 1)
            start = newline + 1
        pos = end
        expect_value = False


def _drain(problems: list[ReadProblem]) -> Iterator[ReadProblem]:
    while problems:
        yield problems.pop(0)
