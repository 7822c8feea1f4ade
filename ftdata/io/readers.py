"""Streaming readers: turn a file into (line number, raw line) or (line number, value) items.

JSONL is read in binary and split on b"\\n" only, so U+2028/U+2029 inside strings never split
a record (str.splitlines() would). A line is read with a bound (`bounded_lines`):
one over the record cap comes as an Oversized, never held, and an endless one stops the
reading. A `.json` file holding one array is decoded by ftdata.io.json_values.
"""
from __future__ import annotations

import errno
import gzip
import io
import os
import stat
import sys
import zlib
from typing import IO, Any, Iterator, NamedTuple

GZIP_MAGIC = b"\x1f\x8b"
BOM = b"\xef\xbb\xbf"
# A record (line or array element) larger than this is not parsed: the largest per-example limit
# of any provider (131,072 tokens, ../shared/FORMATS.md) holds no 8 MiB of text unless its tokens
# average 64 bytes (real text: about 4). Settings.max_record_bytes overrides it.
MAX_RECORD_BYTES = 8 << 20
# A record still running on after this many times the cap (/dev/zero through a pipe, a file
# without newlines: 512 MiB by default) ends the reading: nothing after it can be trusted.
ENDLESS = 64
ENDLESS_BYTES = ENDLESS * MAX_RECORD_BYTES  # where byte_ranges stops looking for a line's end
SKIP_BLOCK = 1 << 20  # bytes read at a time while skipping a record over the cap


class ReadProblem(NamedTuple):
    """Something wrong with the bytes themselves, found before any record exists."""

    kind: str  # a ReadRule kind: "invalid-json", "invalid-utf8", "bom", "blank-line", ...
    line: int
    detail: str
    column: int | None = None  # 1-based, in characters (Unicode code points), when known


class Oversized(NamedTuple):
    """A record over the size cap, in place of its text: it is skipped, not parsed."""

    size: int  # bytes, its line end not included (at least this many when it did not end)
    consumed: int  # bytes read for it, line end included
    ended: bool = True  # False: it ran on past ENDLESS x cap bytes (or the input's end): reading stopped
    line: int = 0  # where it starts, in a JSON array (JSON Lines count lines by position)
    column: int | None = None

    def detail(self, cap: int) -> str:
        """The sentence of the record-too-large finding."""
        if not self.ended:
            return (f"the record runs on for over {mib(self.size)} without ending; reading stopped here, "
                    f"so nothing after it is checked")
        return (f"the record is {mib(self.size)}, over the {mib(cap)} a record may have (--max-record-bytes); "
                f"it is not checked")


class Broken(NamedTuple):
    """Where a compressed stream broke off or turned out corrupt, in place of the lines after it."""

    error: str  # what the decompressor said
    offset: int  # bytes of data read before the damage
    truncated: bool  # the stream ends early (else its data is corrupt)

    def detail(self) -> str:
        data = f"{self.offset:,} byte{'s' if self.offset != 1 else ''} of data"
        if self.truncated:
            return f"the gzip stream ends early, after {data} ({self.error}): the records from this line on are missing"
        return (f"the gzip stream is corrupt ({self.error}), found after {data}: records before this line may be "
                f"damaged, and any from it on are missing")


def mib(n: int) -> str:
    """A byte count for people: "20.0 MiB (20,971,520 bytes)", "8 MiB", "4,111 bytes"."""
    if n < 1 << 20:
        return f"{n:,} bytes"
    if n % (1 << 20) == 0:
        return f"{n >> 20:,} MiB"
    return f"{n / (1 << 20):,.1f} MiB ({n:,} bytes)"


# What reading a file can raise: OSError (missing, unreadable), EOFError and zlib.error (a gzip
# stream cut short or broken).
READ_ERRORS = (OSError, EOFError, zlib.error)
# What a damaged gzip stream raises part way through
STREAM_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".jsonlines")


def open_binary(path: str) -> IO[bytes]:
    """Open a path, "-" for stdin, or a pipe for binary reading, gunzipping by magic bytes.
    Peeking (not seeking) keeps this working on streams that cannot seek."""
    raw: io.BufferedReader = sys.stdin.buffer if path == "-" else open(path, "rb")  # type: ignore[assignment]
    try:
        _refuse_devices(raw)
    except OSError:
        if path != "-":
            raw.close()
        raise
    if raw.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw


def _refuse_devices(raw: IO[bytes]) -> None:
    """A character device other than a terminal or /dev/null (/dev/zero, /dev/urandom) is no file
    of records and never ends: refused, rather than read until memory or disk runs out."""
    try:
        st = os.fstat(raw.fileno())
    except (AttributeError, OSError, ValueError):  # no file descriptor: an in-memory stream
        return
    if stat.S_ISCHR(st.st_mode) and not os.isatty(raw.fileno()) and st.st_rdev != _devnull():
        raise OSError(errno.EINVAL, "it is a device that never ends, not a file of records")


def _devnull() -> int:
    try:
        return os.stat(os.devnull).st_rdev
    except OSError:
        return -1


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
                end = _line_end(f, end, size)
            ranges.append((start, end))
            start = end
    return ranges


def _line_end(f: IO[bytes], at: int, size: int) -> int:
    """The offset just past the newline that ends the line holding offset `at`, found block by
    block (a line of gigabytes is never held); the file's end when there is none, or none within
    ENDLESS_BYTES (where the reader stops anyway)."""
    f.seek(at)
    start = at
    while at - start <= ENDLESS_BYTES:
        piece = f.readline(SKIP_BLOCK)
        if not piece:
            break
        at += len(piece)
        if piece.endswith(b"\n"):
            return at
    return size


def bounded_lines(stream: IO[bytes], cap: int = MAX_RECORD_BYTES, skip: bool = True,
                  ) -> Iterator[bytes | Oversized]:
    """The lines of a binary stream, each with its newline; a line over `cap` bytes comes as an
    Oversized, read to its end in blocks but never held (`skip` False: it ends the lines at once).
    One running on past ENDLESS x cap bytes ends them too. Each line costs a readline(limit)
    call: a bound that plain iteration over a stream does not have."""
    readline = stream.readline
    endless = ENDLESS * cap
    while True:
        line = readline(cap + 1)
        if not line:
            return
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        consumed = len(line)
        del line
        if not skip:
            yield Oversized(consumed, consumed, ended=False)
            return
        while True:
            piece = readline(SKIP_BLOCK)
            consumed += len(piece)
            if piece.endswith(b"\n") or not piece:
                yield Oversized(consumed - (1 if piece else 0), consumed)
                break
            if consumed > endless:
                yield Oversized(consumed, consumed, ended=False)
                return


def iter_range(path: str, start: int, end: int, cap: int = MAX_RECORD_BYTES) -> Iterator[bytes | Oversized]:
    """Lines of one byte range of a plain file (each with its trailing newline), a line over
    `cap` bytes as an Oversized."""
    with open(path, "rb") as f:
        f.seek(start)
        pos = start
        for line in bounded_lines(f, cap):
            yield line
            pos += line.consumed if type(line) is Oversized else len(line)
            if pos >= end:
                break


def iter_blocks(stream: IO[bytes], target: int, cap: int = MAX_RECORD_BYTES) -> Iterator[list[Any]]:
    """Lists of whole lines of about `target` bytes from any stream (gzip, stdin): bytes, an
    Oversized for a line over `cap`, and a Broken last where a gzip stream broke off."""
    block: list[Any] = []
    size = 0
    for line in unbroken_lines(stream, cap):
        block.append(line)
        size += len(line) if type(line) is bytes else 1
        if size >= target:
            yield block
            block, size = [], 0
    if block:
        yield block


def unbroken_lines(stream: IO[bytes], cap: int = MAX_RECORD_BYTES) -> Iterator[bytes | Oversized | Broken]:
    """bounded_lines, with a damaged gzip stream's error turned into a Broken after the last whole
    line: the records before the damage are still linted (with none before it, the error stands)."""
    offset = 0
    try:
        for line in bounded_lines(stream, cap):
            yield line
            offset += line.consumed if type(line) is Oversized else len(line)
    except STREAM_ERRORS as e:
        if not offset:  # not a line read: the file cannot be read at all
            raise
        yield Broken(str(e) or type(e).__name__, offset, isinstance(e, EOFError))


def spool(src: IO[bytes], dst: IO[bytes], chunk: int, cap: int = MAX_RECORD_BYTES) -> None:
    """Copy a stream to a file, stopping within a line that runs on past ENDLESS x cap bytes without
    a newline: an endless pipe of zeros fills neither memory nor the disk. A gzip stream
    is copied compressed, so that the copy is linted as a gzip file, damage and all."""
    if isinstance(src, gzip.GzipFile) and src.fileobj is not None:
        src = src.fileobj
    endless = ENDLESS * cap
    run = 0  # bytes since the last newline
    while True:
        data = src.read(chunk)
        if not data:
            return
        dst.write(data)
        newline = data.rfind(b"\n")
        run = len(data) - newline - 1 if newline >= 0 else run + len(data)
        if run > endless:
            return
