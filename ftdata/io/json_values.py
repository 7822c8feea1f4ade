"""Values of a `.json` file holding one array (LLaMA-Factory, Alpaca) or a sequence of values,
decoded element by element with a growing window, so memory follows the largest record, not the
file; with a cap, a value over it is skipped unparsed (see ftdata.io.readers for lines).
"""
from __future__ import annotations

import codecs
import json
import re
from typing import IO, Any, Iterator

from ftdata.io.readers import (
    BOM, ENDLESS, MAX_RECORD_BYTES, SKIP_BLOCK, STREAM_ERRORS, Broken, Oversized, ReadProblem,
)


def iter_json_values(stream: IO[bytes], chunk: int = 1 << 20) -> Iterator[tuple[int, Any] | ReadProblem]:
    """Values of a top-level JSON array (or a sequence of JSON values), with start lines: (line,
    value) or ReadProblem; iter_json_located gives the start column too."""
    for item in iter_json_located(stream, chunk):
        yield item if isinstance(item, ReadProblem) else (item[0], item[1])


def iter_json_located(stream: IO[bytes], chunk: int = 1 << 20, cap: int | None = None,
                      ) -> Iterator[tuple[int, Any, int] | ReadProblem | Oversized]:
    """Values of a top-level JSON array (or a sequence of JSON values), with where they start.

    Yields (line, value, column) or ReadProblem. Line and column are 1-based and point at the
    value's first character; the column counts characters (Unicode code points, a byte-order
    mark not included), so a minified array's records, all on line 1, are told apart. Both come
    from the positions the decoder already has: no second pass over the text.
    A syntax error inside the array cannot be resynchronised reliably, so it ends the file with
    one invalid-json problem at the line and column it occurred.
    With a `cap` (bytes), a value larger than it is skipped unparsed (its strings and brackets
    followed to its end) and comes as an Oversized; and a gzip stream that breaks off ends the
    values with a broken-compression problem instead of an error. A value that does not fit the window is read on
    with a window twice as large, so a big value is decoded a few times, not once per chunk.
    """
    decoder = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="strict")
    buf = ""
    pos = 0
    line = 1  # line number of buf[pos]
    start = 0  # index in buf where that line starts (negative once the window moved past it)
    eof = False
    first = True
    read = 0  # bytes of data read
    broken: Broken | None = None

    read1 = getattr(stream, "read1", None) or stream.read  # gzip: keeps what came before any damage

    def take(want: int) -> bytes:
        """Up to `want` bytes; where a damaged gzip stream breaks off, those before it (see broken)."""
        nonlocal broken
        pieces: list[bytes] = []
        got = 0
        while got < want and broken is None:
            try:
                piece = read1(want - got)
            except STREAM_ERRORS as e:
                if cap is None or not read + got:  # not asked to go on, or nothing read: unreadable
                    raise
                broken = Broken(str(e) or type(e).__name__, read + got, isinstance(e, EOFError))
                break
            if not piece:
                break
            pieces.append(piece)
            got += len(piece)
        return b"".join(pieces)

    def more(at_least: int = 0) -> bool:
        nonlocal buf, pos, start, eof, first, read
        data = take(max(chunk, at_least))
        read += len(data)
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

    def skip_value() -> Oversized:
        """Read past the value at buf[pos] without decoding it, counting its bytes."""
        nonlocal pos, line, start
        at_line, at_column = line, pos - start + 1
        endless = ENDLESS * (cap or MAX_RECORD_BYTES)
        depth, in_string, size, i = 0, False, 0, pos

        def done(end: int) -> Oversized:
            nonlocal pos, line, start
            newline = buf.rfind("\n", pos, end)
            line += buf.count("\n", pos, end)
            start = newline + 1 if newline >= 0 else start
            value_size = size + _utf8_len(buf, pos, end)
            pos = end
            return Oversized(value_size, value_size, True, at_line, at_column)

        while True:
            m = (_STRING_END if in_string else _NESTED if depth else _STRUCTURE).search(buf, i)
            if m is None:  # the window ends inside the value: count it, drop it, read on
                over = max(0, i - len(buf))  # an escaped character still to skip, in the next window
                size += _utf8_len(buf, pos, len(buf))
                line += buf.count("\n", pos)
                newline = buf.rfind("\n", pos)
                start = newline + 1 if newline >= 0 else start
                pos = len(buf)
                if size > endless or not more():
                    return Oversized(size, size, False, at_line, at_column)
                i = pos + over
                continue
            ch, i = m.group(), m.end()
            if in_string:
                if ch == "\\":
                    i += 1  # the escaped character (past the window's end: see above)
                    continue
                in_string = False
            elif ch == '"':
                whole = _STRING_REST.match(buf, i)  # the usual case: the string ends in this window
                if whole is None:
                    in_string = True
                else:
                    i = whole.end()
                    if not depth:
                        return done(i)
                continue
            elif ch in "[{":
                depth += 1
                continue
            elif ch in "]}":
                depth -= 1
            elif depth:  # a comma inside the value
                continue
            else:  # a comma or whitespace ending a scalar at depth 0
                i -= 1
            if depth <= 0:
                return done(i if depth == 0 else i - 1)  # a ']' of the enclosing array ends a scalar

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
            if broken is not None:
                yield ReadProblem("broken-compression", line, broken.detail())
            elif in_array:
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
                if end < len(buf) - CUT or eof or not more():  # a number near the window's end may go on
                    break
            except json.JSONDecodeError as e:
                # more data helps only when the value may be cut by the window's end (within a
                # literal, a number or an escape, a few characters before it)
                truncated = e.pos >= len(buf) - CUT or e.msg.startswith("Unterminated string")
                if truncated and not eof and cap is not None and _utf8_len(buf, pos, len(buf), cap + 1) > cap:
                    big = skip_value()
                    yield big
                    if not big.ended:
                        if broken is not None:
                            yield ReadProblem("broken-compression", line, broken.detail())
                        return
                    value = _SKIPPED
                    break
                if truncated and not eof and more(len(buf) - pos):
                    continue
                yield from _drain(problems)
                if truncated and broken is not None:  # cut by the damage, not wrong
                    yield ReadProblem("broken-compression", line, broken.detail())
                    return
                yield problem(e.msg, e.pos)
                return
            except (RecursionError, ValueError) as e:  # nesting too deep, integer too long
                yield problem(f"cannot be read: {e}", pos)
                return
        expect_value = False
        if value is _SKIPPED:
            continue
        if cap is not None and 4 * (end - pos) > cap and _utf8_len(buf, pos, end, cap + 1) > cap:
            yield Oversized(_utf8_len(buf, pos, end), end - pos, True, line, pos - start + 1)  # fitted the window
        else:
            yield (line, value, pos - start + 1)
        newline = buf.rfind("\n", pos, end)
        if newline >= 0:
            line += buf.count("\n", pos, newline + 1)
            start = newline + 1
        pos = end


_STRING_END = re.compile(r'["\\]')  # inside a string: its end, or an escape
_STRUCTURE = re.compile(r'["\[\]{},\s]')  # outside: what opens or closes a value, or ends a scalar
_NESTED = re.compile(r'["\[\]{}]')  # inside an array or object: what opens or closes a value
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # the rest of a string, closing quote included
_SKIPPED: Any = object()
CUT = 64  # characters: a decoding error this close to the window's end may be the window's doing


def _utf8_len(text: str, start: int, end: int, enough: int | None = None) -> int:
    """UTF-8 bytes of text[start:end] (a lone surrogate as 3), counted in pieces; once past
    `enough`, that is all the caller needs to know."""
    n = 0
    for at in range(start, end, SKIP_BLOCK):
        piece = text[at:min(end, at + SKIP_BLOCK)]
        n += len(piece) if piece.isascii() else len(piece.encode("utf-8", "surrogatepass"))
        if enough is not None and n >= enough:
            return n
    return n


def _drain(problems: list[ReadProblem]) -> Iterator[ReadProblem]:
    while problems:
        yield problems.pop(0)
